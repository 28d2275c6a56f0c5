//! The customers table: one row per customer with everything the page filters on and the
//! exporter writes.

use super::customers::Facts;
use super::lifecycle::STAGES;
use super::rfm::{Scores, CN_CLASSES, SEGMENTS};
use super::value::{Assigned, LEVELS, TIERS};
use crate::ingest::dates::{format_date, SECS_PER_DAY};
use crate::model::{Dataset, NONE};
use crate::money::Money;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct CustomerRow {
    /// The customer's id in the dataset (contacts), not shown.
    #[serde(skip)]
    pub id: u32,
    pub key: String,
    pub first_order: String,
    pub last_order: String,
    pub orders: u32,
    pub gross: Money,
    pub refunds: Money,
    pub net: Money,
    pub average_order_value: Money,
    pub items: u32,
    pub recency_days: i64,
    /// Days from the first to the second order.
    pub days_to_second: Option<i64>,
    /// The customer's own typical (median) days between orders.
    pub typical_interval_days: Option<f64>,
    pub first_product: Option<String>,
    pub top_product: Option<String>,
    pub region: Option<String>,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: &'static str,
    pub cn_class: &'static str,
    pub stage: &'static str,
    pub tier: &'static str,
    pub level: &'static str,
}

pub fn rows(
    data: &Dataset,
    facts: &Facts,
    as_of: i64,
    scores: &Scores,
    stage: &[u8],
    assigned: &Assigned,
) -> Vec<CustomerRow> {
    let text =
        |interner: &crate::model::Interner, id: u32| (id != NONE).then(|| interner.get(id).unwrap_or("").to_string());
    (0..facts.len())
        .map(|c| CustomerRow {
            id: facts.id[c],
            key: data.customers.get(facts.id[c]).unwrap_or("").to_string(),
            first_order: format_date(facts.first_day[c] * SECS_PER_DAY),
            last_order: format_date(facts.last_day[c] * SECS_PER_DAY),
            orders: facts.orders[c],
            gross: facts.gross[c],
            refunds: facts.refunds[c],
            net: facts.net[c],
            average_order_value: Money(facts.gross[c].0 / facts.orders[c].max(1) as i64),
            items: facts.items[c],
            recency_days: as_of - facts.last_day[c],
            days_to_second: facts.second_day[c].map(|s| s - facts.first_day[c]),
            typical_interval_days: facts.median_interval[c],
            first_product: text(&data.products, facts.first_product[c]),
            top_product: text(&data.products, facts.top_product[c]),
            region: text(&data.regions, facts.region[c]),
            r: scores.r[c],
            f: scores.f[c],
            m: scores.m[c],
            segment: SEGMENTS[scores.segment[c] as usize],
            cn_class: CN_CLASSES[scores.cn_class[c] as usize],
            stage: STAGES[stage[c] as usize],
            tier: TIERS[assigned.tier[c] as usize],
            level: LEVELS[assigned.level[c] as usize],
        })
        .collect()
}
