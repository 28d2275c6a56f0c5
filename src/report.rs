//! The serialisable report: the one thing that crosses to JavaScript and to `--json`.

use crate::analysis::cohorts::Cohorts;
use crate::analysis::lifecycle::Stage;
use crate::analysis::products::Products;
use crate::analysis::regions::Region;
use crate::analysis::repeat::Repeat;
use crate::analysis::rfm::Rfm;
use crate::analysis::summary::Summary;
use crate::analysis::table::{CustomerTable, TableRows};
use crate::analysis::timing::Timing;
use crate::analysis::value::Value;
use crate::calendar::Day;
use crate::campaigns::Plan;
use crate::ingest::report::ImportReport;
use crate::model::Dataset;
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
    /// The customers table as columns: the views, the downloads and `--json` ([`Report::json`])
    /// read rows from it.
    #[serde(skip)]
    pub table: CustomerTable,
}

/// The per-customer lists of a report (campaign audiences and their dates, segment members),
/// held apart while the rest crosses to the page: the page shows figures and asks the worker
/// for lists, so half a million ids never become JavaScript values.
#[derive(Debug, Default)]
pub struct CustomerLists {
    audiences: Vec<(Vec<u32>, Vec<Day>)>,
    segments: Vec<Vec<u32>>,
}

/// The report as `--json` writes it: with `settings.include_customers`, the customers table
/// follows as rows, each made as it is written. Two million customers made into text at once
/// would hold gigabytes.
#[derive(Serialize)]
pub struct ReportJson<'a> {
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    customers: Option<TableRows<'a>>,
}

impl Report {
    /// The report with its customers as rows, for `--json` (see [`ReportJson`]).
    pub fn json<'a>(&'a self, data: &'a Dataset) -> ReportJson<'a> {
        let listed = self.settings.include_customers && !self.table.is_empty();
        ReportJson { report: self, customers: listed.then(|| self.table.serialized(data)) }
    }

    /// Moves the per-customer lists out of the report (see [`CustomerLists`]).
    pub fn take_lists(&mut self) -> CustomerLists {
        let mut lists = CustomerLists::default();
        if let Some(plan) = &mut self.plan {
            for c in &mut plan.campaigns {
                lists.audiences.push((std::mem::take(&mut c.audience), std::mem::take(&mut c.schedule)));
            }
        }
        if let Some(rfm) = &mut self.rfm {
            for s in rfm.segments.iter_mut().chain(rfm.cn_classes.iter_mut()) {
                lists.segments.push(std::mem::take(&mut s.customers_list));
            }
        }
        lists
    }

    /// Puts back what [`Report::take_lists`] took.
    pub fn restore_lists(&mut self, lists: CustomerLists) {
        if let Some(plan) = &mut self.plan {
            for (c, (audience, schedule)) in plan.campaigns.iter_mut().zip(lists.audiences) {
                c.audience = audience;
                c.schedule = schedule;
            }
        }
        if let Some(rfm) = &mut self.rfm {
            for (s, list) in rfm.segments.iter_mut().chain(rfm.cn_classes.iter_mut()).zip(lists.segments) {
                s.customers_list = list;
            }
        }
    }
}
