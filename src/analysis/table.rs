//! The customers table: one row per customer with everything the page filters on and the
//! exporter writes.
//!
//! It is kept as columns of numbers and ids ([`CustomerTable`]), moved out of the analysis that
//! computed them, and a row becomes text ([`CustomerRow`]) only when it is shown or written. A
//! shop with two million customers would otherwise spend seconds and hundreds of megabytes on
//! strings nobody looks at: the page shows a few dozen rows at a time.

use super::customers::{day_of, Facts, RowIds};
use super::lifecycle::STAGES;
use super::rfm::{Scores, CN_CLASSES, SEGMENTS};
use super::spend::Spend;
use super::value::{Assigned, LEVELS, TIERS};
use crate::calendar::Day;
use crate::model::{Dataset, SmallColumn, NONE};
use crate::money::Money;
use serde::Serialize;

/// One customer as shown and exported: borrowed from the table and the dataset, so that making
/// a row allocates nothing (the exports and `--json` make one for every customer).
#[derive(Debug, Clone, Serialize)]
pub struct CustomerRow<'a> {
    /// The customer's id in the dataset (contacts), not shown.
    #[serde(skip)]
    pub id: u32,
    pub key: &'a str,
    pub first_order: Day,
    pub last_order: Day,
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
    pub first_product: Option<&'a str>,
    pub top_product: Option<&'a str>,
    pub region: Option<&'a str>,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: &'static str,
    pub cn_class: &'static str,
    pub stage: &'static str,
    pub tier: &'static str,
    pub level: &'static str,
}

/// The customers table as columns, indexed by fact row (the order of [`Facts`]).
#[derive(Debug, Clone)]
pub struct CustomerTable {
    as_of: i64,
    pub(crate) id: RowIds,
    /// As in [`Facts`]: row `c`'s valid orders are the dataset's orders
    /// `order_start[c]..order_start[c + 1]`, oldest first, which give its order count and the
    /// days of its first, second and last orders.
    order_start: Vec<u32>,
    pub(crate) spend: Spend,
    pub(crate) items: SmallColumn,
    /// As in [`Facts`]: NaN for one-time buyers.
    pub(crate) median_interval: Vec<f32>,
    pub(crate) first_product: SmallColumn,
    pub(crate) top_product: SmallColumn,
    pub(crate) region: SmallColumn,
    pub(crate) scores: Scores,
    pub(crate) stage: Vec<u8>,
    pub(crate) assigned: Assigned,
}

impl Default for CustomerTable {
    /// No customers (a file without a buyer column).
    fn default() -> CustomerTable {
        CustomerTable::new(Facts::default(), 0, Scores::default(), Vec::new(), Assigned::default())
    }
}

impl CustomerTable {
    /// Takes the per-customer columns of a finished analysis (the order lists stay behind).
    pub fn new(facts: Facts, as_of: i64, scores: Scores, stage: Vec<u8>, assigned: Assigned) -> CustomerTable {
        CustomerTable {
            as_of,
            id: facts.id,
            order_start: facts.order_start,
            spend: facts.spend,
            items: facts.items,
            median_interval: facts.median_interval,
            first_product: facts.first_product,
            top_product: facts.top_product,
            region: facts.region,
            scores,
            stage,
            assigned,
        }
    }

    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// The customer key of row `c`.
    pub fn key<'a>(&self, c: usize, data: &'a Dataset) -> &'a str {
        data.customers.get(self.id.get(c)).unwrap_or("")
    }

    /// How many valid orders row `c` has.
    pub fn orders(&self, c: usize) -> u32 {
        self.order_start[c + 1] - self.order_start[c]
    }

    /// The day number of row `c`'s first valid order.
    pub fn first_day(&self, c: usize, data: &Dataset) -> i64 {
        day_of(data.orders.time[self.order_start[c] as usize])
    }

    pub fn last_day(&self, c: usize, data: &Dataset) -> i64 {
        day_of(data.orders.time[self.order_start[c + 1] as usize - 1])
    }

    pub fn average_order_value(&self, c: usize) -> Money {
        Money(self.spend.gross(c).0 / self.orders(c).max(1) as i64)
    }

    pub fn recency_days(&self, c: usize, data: &Dataset) -> i64 {
        self.as_of - self.last_day(c, data)
    }

    /// Days from row `c`'s first valid order to its second (`None` for a one-time buyer).
    pub fn days_to_second(&self, c: usize, data: &Dataset) -> Option<i64> {
        let second = self.order_start[c] as usize + 1;
        (second < self.order_start[c + 1] as usize).then(|| day_of(data.orders.time[second]) - self.first_day(c, data))
    }

    pub fn segment(&self, c: usize) -> &'static str {
        SEGMENTS[self.scores.segment[c] as usize]
    }

    pub fn cn_class(&self, c: usize) -> &'static str {
        CN_CLASSES[self.scores.cn_class[c] as usize]
    }

    pub fn stage(&self, c: usize) -> &'static str {
        STAGES[self.stage[c] as usize]
    }

    pub fn tier(&self, c: usize) -> &'static str {
        TIERS[self.assigned.tier[c] as usize]
    }

    pub fn level(&self, c: usize) -> &'static str {
        LEVELS[self.assigned.level[c] as usize]
    }

    /// Row `c` as shown.
    pub fn row<'a>(&self, c: usize, data: &'a Dataset) -> CustomerRow<'a> {
        let text = |interner: &'a crate::model::Interner, id: u32| (id != NONE).then(|| interner.get(id).unwrap_or(""));
        CustomerRow {
            id: self.id.get(c),
            key: self.key(c, data),
            first_order: Day::of(self.first_day(c, data)),
            last_order: Day::of(self.last_day(c, data)),
            orders: self.orders(c),
            gross: self.spend.gross(c),
            refunds: self.spend.gross(c) - self.spend.net(c),
            net: self.spend.net(c),
            average_order_value: self.average_order_value(c),
            items: self.items.get(c),
            recency_days: self.recency_days(c, data),
            days_to_second: self.days_to_second(c, data),
            typical_interval_days: Some(self.median_interval[c]).filter(|m| !m.is_nan()).map(f64::from),
            first_product: text(&data.products, self.first_product.get(c)),
            top_product: text(&data.products, self.top_product.get(c)),
            region: text(&data.regions, self.region.get(c)),
            r: self.scores.r[c],
            f: self.scores.f[c],
            m: self.scores.m[c],
            segment: self.segment(c),
            cn_class: self.cn_class(c),
            stage: self.stage(c),
            tier: self.tier(c),
            level: self.level(c),
        }
    }

    /// Every row, made at once (tests).
    pub fn rows<'a>(&self, data: &'a Dataset) -> Vec<CustomerRow<'a>> {
        (0..self.len()).map(|c| self.row(c, data)).collect()
    }

    /// Every row, serialised as a list one row at a time.
    pub fn serialized<'a>(&'a self, data: &'a Dataset) -> TableRows<'a> {
        TableRows { table: self, data }
    }
}

/// The table's rows as a serialised list ([`CustomerTable::serialized`]).
pub struct TableRows<'a> {
    table: &'a CustomerTable,
    data: &'a Dataset,
}

impl Serialize for TableRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((0..self.table.len()).map(|c| self.table.row(c, self.data)))
    }
}
