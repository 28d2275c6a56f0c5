//! The serialisable report: the one thing that crosses to JavaScript and to `--json`.

use crate::analysis::summary::Summary;
use crate::ingest::report::ImportReport;
use crate::settings::Settings;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub summary: Summary,
    pub import: ImportReport,
    pub settings: Settings,
}
