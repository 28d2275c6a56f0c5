//! Lifecycle stages by days since the last order (活跃 / 沉默 / 睡眠 / 流失预警 / 流失).

use super::customers::Facts;
use super::stats::ratio;
use crate::money::Money;
use serde::Serialize;

pub const STAGES: [&str; 5] = ["active", "silent", "sleeping", "about_to_lose", "lost"];

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub name: &'static str,
    /// Days since the last order covered by the stage: `[from, to]`, `to` = `null` for lost.
    pub from_days: u32,
    pub to_days: Option<u32>,
    pub customers: u64,
    pub share: Option<f64>,
    pub net_revenue: Money,
    /// Customers in the stage with two or more orders.
    pub returning_customers: u64,
}

/// The stage index (0–4) of a customer last seen `days` ago.
pub fn stage_of(days: i64, bounds: &[u32; 4]) -> u8 {
    bounds.iter().position(|&b| days <= b as i64).unwrap_or(4) as u8
}

pub fn stages(facts: &Facts, as_of: i64, bounds: &[u32; 4]) -> (Vec<Stage>, Vec<u8>) {
    let of: Vec<u8> = (0..facts.len()).map(|c| stage_of(as_of - facts.last_day(c), bounds)).collect();
    let n = facts.len() as u64;
    // Customers, returning customers and net revenue per stage, in one pass over the customers.
    let mut tally = [(0u64, 0u64, Money::ZERO); 5];
    for ((&k, orders), net) in of.iter().zip(facts.order_counts()).zip(facts.spend.net_values().iter()) {
        let t = &mut tally[usize::from(k).min(4)];
        t.0 += 1;
        t.1 += u64::from(orders >= 2);
        t.2 += net;
    }
    let out = (0..5)
        .map(|k| {
            let (customers, returning, net) = tally[k];
            Stage {
                name: STAGES[k],
                from_days: if k == 0 { 0 } else { bounds[k - 1] + 1 },
                to_days: bounds.get(k).copied(),
                customers,
                share: ratio(customers, n),
                net_revenue: net,
                returning_customers: returning,
            }
        })
        .collect();
    (out, of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_bounds_are_inclusive() {
        let b = [90, 180, 270, 360];
        assert_eq!(stage_of(0, &b), 0);
        assert_eq!(stage_of(90, &b), 0);
        assert_eq!(stage_of(91, &b), 1);
        assert_eq!(stage_of(360, &b), 3);
        assert_eq!(stage_of(361, &b), 4);
    }
}
