//! Who matters: revenue concentration (Pareto, Lorenz, Gini), order-value and spend distributions,
//! importance tiers (大客户/重要/潜力/普通) and membership levels (普通/高级/VIP/至尊VIP).

use super::customers::Facts;
use super::stats::{histogram, money_edges, quantile_sorted, ratio, round_2sig, Bin};
use crate::model::Dataset;
use crate::money::Money;
use crate::settings::TierThresholds;
use serde::Serialize;

pub const TIERS: [&str; 4] = ["key", "important", "potential", "ordinary"];
pub const LEVELS: [&str; 4] = ["普通会员", "高级会员", "VIP会员", "至尊VIP会员"];

#[derive(Debug, Clone, Serialize)]
pub struct Value {
    /// Share of net revenue from the top 1, 5, 10, 20 and 50% of customers.
    pub top_shares: Vec<(u32, Option<f64>)>,
    /// 101 points: share of net revenue held by the bottom 0%, 1%, … 100% of customers.
    pub lorenz: Vec<f64>,
    pub gini: Option<f64>,
    pub order_value: Distribution,
    pub customer_spend: Distribution,
    pub tier_thresholds: TierThresholds,
    pub tiers_derived: bool,
    pub tiers: Vec<Group>,
    pub level_thresholds: [f64; 3],
    pub levels_derived: bool,
    pub levels: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Distribution {
    pub histogram: Vec<Bin>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub p25: Option<f64>,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: &'static str,
    pub customers: u64,
    pub share: Option<f64>,
    pub net_revenue: Money,
    pub revenue_share: Option<f64>,
    /// For levels below the top: the customers closest to the next level, nearest first,
    /// as (customers-table row, amount still missing).
    pub closest_to_next: Vec<(u32, f64)>,
}

fn distribution(mut v: Vec<f64>) -> Distribution {
    v.sort_by(f64::total_cmp);
    let edges = money_edges(&v);
    Distribution {
        histogram: histogram(v.iter().copied(), &edges),
        mean: (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64),
        median: quantile_sorted(&v, 0.5),
        p25: quantile_sorted(&v, 0.25),
        p75: quantile_sorted(&v, 0.75),
        p90: quantile_sorted(&v, 0.9),
    }
}

pub fn tier_of(t: &TierThresholds, net: f64, orders: u32, max_order: f64) -> u8 {
    if net >= t.key_spend {
        0
    } else if net >= t.important_spend || orders >= t.important_orders {
        1
    } else if max_order >= t.potential_order {
        2
    } else {
        3
    }
}

pub fn level_of(t: &[f64; 3], net: f64) -> u8 {
    t.iter().filter(|&&x| net >= x).count() as u8
}

#[derive(Debug, Clone, Default)]
pub struct Assigned {
    pub tier: Vec<u8>,
    pub level: Vec<u8>,
}

pub fn value(
    data: &Dataset,
    facts: &Facts,
    tiers: Option<TierThresholds>,
    levels: Option<[f64; 3]>,
) -> (Value, Assigned) {
    let n = facts.len();
    let nets: Vec<f64> = facts.net.iter().map(|m| m.to_f64()).collect();
    let mut desc: Vec<i64> = facts.net.iter().map(|m| m.0).collect();
    desc.sort_unstable_by(|a, b| b.cmp(a));
    let total: i128 = desc.iter().map(|&x| x as i128).sum();
    let share_of_top = |k: usize| {
        (total != 0).then(|| desc[..k.min(n)].iter().map(|&x| x as i128).sum::<i128>() as f64 / total as f64)
    };
    let top_shares = [1u32, 5, 10, 20, 50].iter().map(|&p| (p, share_of_top((n * p as usize).div_ceil(100)))).collect();
    // Lorenz over ascending spend.
    let mut cum = vec![0i128; n + 1];
    for (i, &x) in desc.iter().rev().enumerate() {
        cum[i + 1] = cum[i] + x as i128;
    }
    let lorenz: Vec<f64> = (0..=100)
        .map(|p| if total == 0 { 0.0 } else { cum[(n * p).div_ceil(100).min(n)] as f64 / total as f64 })
        .collect();
    // Gini from the ascending cumulative sums: 1 − 2 × area under the Lorenz curve.
    let gini = (n > 0 && total > 0).then(|| {
        let area: f64 = (1..=n).map(|i| (cum[i - 1] + cum[i]) as f64 / 2.0).sum::<f64>() / (n as f64 * total as f64);
        1.0 - 2.0 * area
    });

    let o = &data.orders;
    let order_values: Vec<f64> = (0..o.len())
        .filter(|&i| o.valid[i] && o.customer[i] != crate::model::NO_CUSTOMER)
        .map(|i| o.gross[i].to_f64())
        .collect();
    let mut sorted_nets = nets.clone();
    sorted_nets.sort_by(f64::total_cmp);
    let mut sorted_orders = order_values.clone();
    sorted_orders.sort_by(f64::total_cmp);
    let q = |v: &[f64], p: f64| round_2sig(quantile_sorted(v, p).unwrap_or(0.0));

    let tiers_derived = tiers.is_none();
    let t = tiers.unwrap_or(TierThresholds {
        key_spend: q(&sorted_nets, 0.95),
        important_spend: q(&sorted_nets, 0.8),
        important_orders: 3,
        potential_order: q(&sorted_orders, 0.75),
    });
    let levels_derived = levels.is_none();
    let lv = levels.unwrap_or([q(&sorted_nets, 0.6), q(&sorted_nets, 0.85), q(&sorted_nets, 0.97)]);

    let tier: Vec<u8> = (0..n).map(|c| tier_of(&t, nets[c], facts.orders[c], facts.max_order[c].to_f64())).collect();
    let level: Vec<u8> = (0..n).map(|c| level_of(&lv, nets[c])).collect();
    let total_net: Money = facts.net.iter().copied().sum();
    let group = |names: &[&'static str], of: &[u8], next: Option<&[f64; 3]>| -> Vec<Group> {
        names
            .iter()
            .enumerate()
            .map(|(k, &name)| {
                let members: Vec<usize> = (0..n).filter(|&c| of[c] as usize == k).collect();
                let net: Money = members.iter().map(|&c| facts.net[c]).sum();
                let mut closest: Vec<(u32, f64)> = match next {
                    Some(th) if k < 3 => members.iter().map(|&c| (c as u32, th[k] - nets[c])).collect(),
                    _ => Vec::new(),
                };
                closest.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                closest.truncate(20);
                Group {
                    name,
                    customers: members.len() as u64,
                    share: ratio(members.len() as u64, n as u64),
                    net_revenue: net,
                    revenue_share: (total_net.0 != 0).then(|| net.0 as f64 / total_net.0 as f64),
                    closest_to_next: closest,
                }
            })
            .collect()
    };
    let v = Value {
        top_shares,
        lorenz,
        gini,
        order_value: distribution(order_values),
        customer_spend: distribution(nets.clone()),
        tier_thresholds: t,
        tiers_derived,
        tiers: group(&TIERS, &tier, None),
        level_thresholds: lv,
        levels_derived,
        levels: group(&LEVELS, &level, Some(&lv)),
    };
    (v, Assigned { tier, level })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_rules_in_order() {
        let t =
            TierThresholds { key_spend: 1000.0, important_spend: 300.0, important_orders: 3, potential_order: 200.0 };
        assert_eq!(tier_of(&t, 1500.0, 1, 1500.0), 0);
        assert_eq!(tier_of(&t, 100.0, 3, 50.0), 1);
        assert_eq!(tier_of(&t, 250.0, 1, 250.0), 2);
        assert_eq!(tier_of(&t, 50.0, 1, 50.0), 3);
    }

    #[test]
    fn levels_count_thresholds_passed() {
        let l = [100.0, 500.0, 2000.0];
        assert_eq!((level_of(&l, 99.0), level_of(&l, 100.0), level_of(&l, 2500.0)), (0, 1, 3));
    }
}
