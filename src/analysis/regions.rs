//! Customers, revenue and repeat rate by province / region.

use super::customers::Facts;
use super::stats::ratio;
use crate::model::{Dataset, NONE};
use crate::money::Money;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Region {
    pub region: String,
    pub customers: u64,
    pub repeat_customers: u64,
    pub repeat_rate: Option<f64>,
    pub net_revenue: Money,
}

/// Regions by customers (most first); `None` when the files have no region column.
pub fn regions(data: &Dataset, facts: &Facts) -> Option<Vec<Region>> {
    if data.regions.is_empty() {
        return None;
    }
    let mut acc = vec![(0u64, 0u64, Money::ZERO); data.regions.len()];
    for c in 0..facts.len() {
        if facts.region.get(c) != NONE {
            let a = &mut acc[facts.region.get(c) as usize];
            a.0 += 1;
            a.1 += (facts.orders(c) >= 2) as u64;
            a.2 += facts.spend.net(c);
        }
    }
    let mut out: Vec<Region> = acc
        .into_iter()
        .enumerate()
        .filter(|(_, a)| a.0 > 0)
        .map(|(r, (n, rep, net))| Region {
            region: data.regions.get(r as u32).unwrap_or("").to_string(),
            customers: n,
            repeat_customers: rep,
            repeat_rate: ratio(rep, n),
            net_revenue: net,
        })
        .collect();
    out.sort_by(|a, b| {
        b.customers.cmp(&a.customers).then(b.net_revenue.cmp(&a.net_revenue)).then(a.region.cmp(&b.region))
    });
    Some(out)
}
