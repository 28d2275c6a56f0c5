//! The serialisable report: the one thing that crosses to JavaScript and to `--json`.

use crate::analysis::cohorts::Cohorts;
use crate::analysis::lifecycle::Stage;
use crate::analysis::products::Products;
use crate::analysis::regions::Region;
use crate::analysis::repeat::Repeat;
use crate::analysis::rfm::Rfm;
use crate::analysis::summary::Summary;
use crate::analysis::table::CustomerRow;
use crate::analysis::timing::Timing;
use crate::analysis::value::Value;
use crate::campaigns::Plan;
use crate::ingest::report::ImportReport;
use crate::settings::Settings;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub import: ImportReport,
    pub settings: Settings,
    /// The definitions the figures follow, in words, for the page to show.
    pub definitions: Vec<(&'static str, &'static str)>,
    pub rfm: Option<Rfm>,
    pub lifecycle: Vec<Stage>,
    pub repeat: Option<Repeat>,
    pub cohorts: Option<Cohorts>,
    pub value: Option<Value>,
    pub timing: Timing,
    pub products: Option<Products>,
    pub regions: Option<Vec<Region>>,
    /// The ranked campaign plan (absent without customers).
    pub plan: Option<Plan>,
    /// The customers table (omitted when `settings.include_customers` is false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers: Option<Vec<CustomerRow>>,
}
