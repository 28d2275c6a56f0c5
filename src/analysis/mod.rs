//! Pure functions of a dataset and settings: every view a seller uses to run their returning
//! customers. Nothing here reads the clock or the file; changing settings only re-runs this.

pub mod cohorts;
pub mod customer_query;
mod customer_sort;
pub mod customers;
pub mod lifecycle;
pub mod products;
pub mod regions;
pub mod repeat;
pub mod rfm;
pub mod select;
pub mod spend;
pub mod stats;
pub mod summary;
pub mod table;
pub mod timing;
pub mod value;

use crate::both::both;
use crate::calendar;
use crate::error::{Error, ErrorKind, SettingsProblem};
use crate::ingest::report::ImportReport;
use crate::model::Dataset;
use crate::report::Report;
use crate::settings::Settings;
use customers::Facts;
use table::CustomerTable;

/// The definitions every figure follows (DESIGN.md), shown to sellers beside the figures.
pub const DEFINITIONS: [(&str, &str); 7] = [
    ("valid_order", "A purchase: paid or completed (shipped and partially refunded count); not cancelled, closed, unpaid, voided or fully refunded; amount ≥ 0; with a customer key."),
    ("customer", "A distinct buyer key among valid orders: buyer account, else email (case-insensitive), else phone (digits), else name."),
    ("repeat_customer", "A customer with two or more valid orders (回头客)."),
    ("repeat_rate", "Repeat customers ÷ customers (复购率)."),
    ("n_day_repeat_rate", "Among customers whose first order is at least N days before the as-of date, the share with a second order within N days of the first."),
    ("recency", "Days from the customer's last valid order to the as-of date."),
    ("net_revenue", "Gross (valid orders' amounts) minus refunds on them and credit notes."),
];

/// Settings found fit for a dataset by [`check_settings`], with the as-of day they give it.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    settings: &'a Settings,
    as_of: Option<i64>,
}

impl Checked<'_> {
    /// The as-of day (`None` without a valid order).
    pub fn as_of(&self) -> Option<i64> {
        self.as_of
    }
}

/// `settings` checked against `data`, or why they cannot be applied to it: [`analyze`] fails
/// exactly when this does, so a caller holding a report can check first, free that report only
/// for settings that will make the next one, and then make it with [`analyze_checked`].
pub fn check_settings<'a>(data: &Dataset, settings: &'a Settings) -> Result<Checked<'a>, Error> {
    let as_of = as_of_day(data, settings)?;
    if !settings.lifecycle_days.windows(2).all(|w| w[0] < w[1]) {
        return Err(settings_error(SettingsProblem::StagesNotIncreasing));
    }
    Ok(Checked { settings, as_of })
}

/// Analyses a dataset. Fails only on settings that contradict the data (an as-of date before the
/// last order would make recency negative), as [`check_settings`] says.
pub fn analyze(data: &Dataset, import: &ImportReport, settings: &Settings) -> Result<Report, Error> {
    Ok(analyze_checked(data, import, check_settings(data, settings)?))
}

/// Analyses `data` with settings [`check_settings`] found fit for it (for this dataset: the as-of
/// day is not looked for again).
pub fn analyze_checked(data: &Dataset, import: &ImportReport, checked: Checked) -> Report {
    let Checked { settings, as_of } = checked;
    let facts = Facts::build(data);
    let Some(as_of) = as_of.filter(|_| !facts.is_empty()) else {
        return Report {
            summary: summary::summarize(data, as_of, None),
            import: import.clone(),
            settings: settings.clone(),
            definitions: DEFINITIONS.to_vec(),
            rfm: None,
            lifecycle: Vec::new(),
            repeat: None,
            cohorts: None,
            value: None,
            timing: timing::timing(data, &facts),
            products: products::products(data, &facts),
            regions: None,
            plan: None,
            table: CustomerTable::default(),
        };
    };
    // The sections read the facts and nothing of one another until the plan: natively, in two
    // groups at once (of about equal time on the 1 GB Taobao-style file). In the browser's wasm
    // they run one after the other, the first group first: its sections keep little but need much
    // while they run, so they go before the scores, whose results are held to the end, and the
    // peak is the facts plus the largest of them, not the facts plus everything kept plus the last
    // one (the wasm memory never shrinks from a peak).
    let ((timing, products, cohorts, repeat, summary, regions), (rfm, scores, lifecycle, stage, value, assigned)) =
        both(
            || {
                (
                    timing::timing(data, &facts),
                    products::products(data, &facts),
                    cohorts::cohorts(&facts),
                    repeat::repeat(&facts, as_of),
                    summary::summarize(data, Some(as_of), Some(&facts)),
                    regions::regions(data, &facts),
                )
            },
            || {
                let spend = facts.spend_ascending();
                let (rfm, scores) = rfm::score(
                    &facts,
                    spend.values(),
                    as_of,
                    &settings.rfm,
                    settings.cn_baseline,
                    settings.include_customers,
                );
                let (lifecycle, stage) = lifecycle::stages(&facts, as_of, &settings.lifecycle_days);
                let (value, assigned) = value::value(&facts, spend.values(), settings.tiers, settings.levels);
                (rfm, scores, lifecycle, stage, value, assigned)
            },
        );
    let plan = crate::campaigns::plan(&crate::campaigns::Inputs {
        data,
        facts: &facts,
        as_of,
        scores: &scores,
        stage: &stage,
        assigned: &assigned,
        value: &value,
        repeat: &repeat,
        timing: &timing,
        summary: &summary,
        settings,
    });
    let table = CustomerTable::new(facts, as_of, scores, stage, assigned);
    Report {
        summary,
        import: import.clone(),
        settings: settings.clone(),
        definitions: DEFINITIONS.to_vec(),
        rfm: Some(rfm),
        lifecycle,
        repeat: Some(repeat),
        cohorts: Some(cohorts),
        value: Some(value),
        timing,
        products,
        regions,
        plan: Some(plan),
        table,
    }
}

fn settings_error(problem: SettingsProblem) -> Error {
    Error::new("settings", ErrorKind::Settings(problem))
}

/// The as-of day: the setting, checked against the data, or the last valid order's day.
fn as_of_day(data: &Dataset, settings: &Settings) -> Result<Option<i64>, Error> {
    let last_day = summary::last_valid_day(data);
    let Some(text) = settings.as_of.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Ok(last_day);
    };
    let day =
        calendar::parse_iso_day(text).ok_or_else(|| settings_error(SettingsProblem::AsOfNotADate(text.to_string())))?;
    if let Some(last) = last_day.filter(|&l| day < l) {
        let last = calendar::format_date(last * calendar::SECS_PER_DAY);
        return Err(settings_error(SettingsProblem::AsOfBeforeLastOrder { as_of: text.to_string(), last }));
    }
    Ok(Some(day))
}
