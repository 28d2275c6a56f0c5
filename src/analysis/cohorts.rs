//! Cohorts by month of first order, and new versus returning business per month (老客户成交占比).

use super::customers::Facts;
use crate::calendar::{day_number, year_month_of_day};
use crate::money::Money;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Cohorts {
    /// One row per month with new customers, oldest first.
    pub cohorts: Vec<Cohort>,
    /// Every month from the first order to the last.
    pub months: Vec<MonthMix>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cohort {
    /// `YYYY-MM`.
    pub month: String,
    pub customers: u64,
    /// `retention[k]`: share of the cohort with a valid order in month k after the first (k = 0 is 1).
    pub retention: Vec<f64>,
    /// `revenue[k]`: the cohort's gross revenue in month k.
    pub revenue: Vec<Money>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthMix {
    pub month: String,
    pub new_customers: u64,
    pub returning_customers: u64,
    /// Orders that are a customer's first valid order, and the others.
    pub new_orders: u64,
    pub returning_orders: u64,
    pub new_revenue: Money,
    pub returning_revenue: Money,
    /// Returning revenue ÷ revenue.
    pub returning_revenue_share: Option<f64>,
}

/// Months since year 0 of a day number.
fn month_index(day: i64) -> i64 {
    let (y, m) = year_month_of_day(day);
    y * 12 + m as i64 - 1
}

/// The month index of every day from the first order to the last, so that each order's month is
/// a lookup rather than a calendar conversion (twice per order: the section's main cost for a shop
/// with millions of orders). Order dates are 1970–2100, so the table is at most 47 thousand days.
struct MonthOfDay {
    first: i64,
    month: Vec<i64>,
}

impl MonthOfDay {
    fn new(first: i64, last: i64) -> MonthOfDay {
        MonthOfDay { first, month: (first..=last).map(month_index).collect() }
    }

    fn of(&self, day: i64) -> i64 {
        usize::try_from(day - self.first)
            .ok()
            .and_then(|i| self.month.get(i).copied())
            .unwrap_or_else(|| month_index(day))
    }
}

fn month_label(m: i64) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

pub fn cohorts(facts: &Facts) -> Cohorts {
    if facts.is_empty() {
        return Cohorts { cohorts: Vec::new(), months: Vec::new() };
    }
    let customers = 0..facts.len();
    let first_day = customers.clone().map(|c| facts.first_day(c)).min().unwrap_or(0);
    let last_day = customers.clone().map(|c| facts.last_day(c)).max().unwrap_or(first_day);
    let month_of = MonthOfDay::new(first_day, last_day);
    // Each fact row with the month of its first order, worked out where needed rather than
    // kept (8 bytes a customer).
    let first_months = customers.map(|c| (c, month_of.of(facts.first_day(c))));
    let start = month_of.of(first_day);
    let end = month_of.of(last_day).max(start);
    let span = (end - start + 1) as usize;
    // Per cohort row: customers active, and revenue, k months after the first; per calendar
    // month: new and returning customers, orders and revenue. One pass over the orders for both.
    let mut cohort_size = vec![0u64; span];
    let mut active = vec![vec![0u64; 0]; span];
    let mut revenue = vec![vec![Money::ZERO; 0]; span];
    let mut months: Vec<MonthMix> = (0..span)
        .map(|k| MonthMix {
            month: month_label(start + k as i64),
            new_customers: 0,
            returning_customers: 0,
            new_orders: 0,
            returning_orders: 0,
            new_revenue: Money::ZERO,
            returning_revenue: Money::ZERO,
            returning_revenue_share: None,
        })
        .collect();
    for (c, fm) in first_months {
        let row = (fm - start) as usize;
        cohort_size[row] += 1;
        let width = span - row;
        if active[row].is_empty() {
            active[row] = vec![0; width];
            revenue[row] = vec![Money::ZERO; width];
        }
        let mut last_m = i64::MIN;
        let range = facts.range(c);
        for (j, (&t, g)) in
            facts.order_time[range.clone()].iter().zip(facts.order_gross.slice(range).iter()).enumerate()
        {
            let m = month_of.of(day_number(t.into()));
            let k = (m - fm) as usize;
            if m != last_m {
                active[row][k] += 1;
            }
            revenue[row][k] += g;
            let mm = &mut months[(m - start) as usize];
            if j == 0 {
                mm.new_customers += 1;
                mm.new_orders += 1;
                mm.new_revenue += g;
            } else {
                if m != last_m && m != fm {
                    mm.returning_customers += 1;
                }
                mm.returning_orders += 1;
                mm.returning_revenue += g;
            }
            last_m = m;
        }
    }
    let cohorts = (0..span)
        .filter(|&r| cohort_size[r] > 0)
        .map(|r| Cohort {
            month: month_label(start + r as i64),
            customers: cohort_size[r],
            retention: active[r].iter().map(|&a| a as f64 / cohort_size[r] as f64).collect(),
            revenue: revenue[r].clone(),
        })
        .collect();
    for m in &mut months {
        let total = m.new_revenue + m.returning_revenue;
        m.returning_revenue_share = (total.0 != 0).then(|| m.returning_revenue.0 as f64 / total.0 as f64);
    }
    Cohorts { cohorts, months }
}
