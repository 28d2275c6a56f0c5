//! How often customers come back: N-day repeat rates, orders per customer, days to the second
//! order and between orders — distributions, not only means.

use super::customers::Facts;
use super::stats::{histogram, histogram_sorted, quantiles_of, ratio, Bin, DAY_EDGES};
use serde::Serialize;

pub const WINDOWS: [i64; 5] = [30, 60, 90, 180, 365];

#[derive(Debug, Clone, Serialize)]
pub struct Repeat {
    pub repeat_rate: Option<f64>,
    pub windows: Vec<WindowRate>,
    /// Customers by number of valid orders: 1, 2, 3, 4, 5, 6–10, 11+.
    pub orders_per_customer: Vec<Bin>,
    pub days_to_second: Gaps,
    /// Share of second orders that come within 30, 60 and 90 days of the first.
    pub second_within: Vec<(i64, Option<f64>)>,
    pub days_between: Gaps,
}

/// Right-censoring: only customers whose first order is at least `days` before the as-of date
/// could have shown a second order within `days`, so only they are counted.
#[derive(Debug, Clone, Serialize)]
pub struct WindowRate {
    pub days: i64,
    pub eligible_customers: u64,
    pub repeated: u64,
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Gaps {
    pub count: u64,
    pub histogram: Vec<Bin>,
    /// 10th, 25th, 50th, 75th and 90th percentiles (linear interpolation).
    pub p10: Option<f64>,
    pub p25: Option<f64>,
    pub median: Option<f64>,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
}

fn gaps(mut values: Vec<i64>) -> Gaps {
    let q = quantiles_of(&mut values, &[0.1, 0.25, 0.5, 0.75, 0.9]);
    Gaps {
        count: values.len() as u64,
        // Sorted by `quantiles_of`.
        histogram: histogram_sorted(&values, |v| v as f64, &DAY_EDGES),
        p10: q[0],
        p25: q[1],
        median: q[2],
        p75: q[3],
        p90: q[4],
    }
}

pub fn repeat(facts: &Facts, as_of: i64) -> Repeat {
    let n = facts.len() as u64;
    let repeaters = facts.order_counts().filter(|&o| o >= 2).count() as u64;
    let windows = WINDOWS
        .iter()
        .map(|&days| {
            let mut eligible = 0u64;
            let mut repeated = 0u64;
            for c in 0..facts.len() {
                if facts.first_day(c) <= as_of - days {
                    eligible += 1;
                    repeated += facts.second_day(c).is_some_and(|s| s - facts.first_day(c) <= days) as u64;
                }
            }
            WindowRate { days, eligible_customers: eligible, repeated, rate: ratio(repeated, eligible) }
        })
        .collect();
    // Each list of gaps is made at its exact size and summarised before the next is made: for
    // millions of orders they are the section's memory.
    let mut to_second: Vec<i64> = Vec::with_capacity(repeaters as usize);
    to_second.extend((0..facts.len()).filter_map(|c| facts.second_day(c).map(|s| s - facts.first_day(c))));
    let second_within = [30, 60, 90]
        .iter()
        .map(|&d| (d, ratio(to_second.iter().filter(|&&g| g <= d).count() as u64, to_second.len() as u64)))
        .collect();
    let days_to_second = gaps(to_second);
    let mut between = Vec::with_capacity(facts.order_time.len() - facts.len());
    for c in 0..facts.len() {
        between.extend(facts.gaps_of(c));
    }
    let per_customer = histogram(facts.order_counts().map(f64::from), &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 11.0]);
    Repeat {
        repeat_rate: ratio(repeaters, n),
        windows,
        orders_per_customer: per_customer,
        days_to_second,
        second_within,
        days_between: gaps(between),
    }
}
