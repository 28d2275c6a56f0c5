//! Who matters: revenue concentration (Pareto, Lorenz, Gini), order-value and spend distributions,
//! importance tiers (大客户/重要/潜力/普通) and membership levels (普通/高级/VIP/至尊VIP).

use super::customers::Facts;
use super::select::values_at_ranks;
use super::stats::{histogram, histogram_sorted, money_edges_to, quantile_at, ratio, round_2sig, Bin};
use crate::model::MoneyValues;
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

/// The distribution of the valid orders' values, read at the ranks its quantiles need rather than
/// from a sorted copy ([`values_at_ranks`]): 8 bytes an order that the report's peak does not hold.
fn order_distribution(orders: MoneyValues) -> Distribution {
    let n = orders.len();
    let values = orders.iter().map(|m| m.0);
    let ps = [0.25, 0.5, 0.75, 0.9, 0.95];
    // The two ranks each quantile interpolates between (`quantile_at`'s).
    let ranks: Vec<usize> = ps
        .iter()
        .flat_map(|p| {
            let pos = p * n.saturating_sub(1) as f64;
            [pos.floor() as usize, pos.ceil() as usize]
        })
        .collect();
    let at_ranks = if n == 0 { Vec::new() } else { values_at_ranks(values.clone(), &ranks) };
    let at = |i: usize| ranks.iter().position(|&r| r == i).map_or(0.0, |k| Money(at_ranks[k]).to_f64());
    let [p25, median, p75, p90, p95] = ps.map(|p| quantile_at(n, at, p));
    let total: i128 = values.clone().map(i128::from).sum();
    Distribution {
        histogram: histogram(values.map(|x| Money(x).to_f64()), &money_edges_to(p95.unwrap_or(0.0))),
        mean: mean_of(total, n),
        median,
        p25,
        p75,
        p90,
    }
}

/// The mean of `n` amounts that add up to `total` (in [`Money`]'s units): one division of the
/// exact sum, so the mean is the closest float to the true one (a sum of floats drifts by a few
/// units in the last place over millions of values).
fn mean_of(total: i128, n: usize) -> Option<f64> {
    (n > 0).then(|| total as f64 / (n as f64 * crate::money::SCALE as f64))
}

/// `v as f64`, out of line for the rare sum beyond `i64`: written inline, the conversion was
/// made for every sum whatever its size, and only then was one of the two results picked.
#[cold]
#[inline(never)]
fn wide_to_f64(v: i128) -> f64 {
    v as f64
}

/// The quantile `p` of amounts `sorted` ascending, read in place.
fn money_quantile(sorted: MoneyValues, p: f64) -> Option<f64> {
    quantile_at(sorted.len(), |i| sorted.get(i).to_f64(), p)
}

/// The distribution of amounts `sorted` ascending, whose exact sum (in [`Money`]'s units) is
/// `total`.
fn distribution(sorted: MoneyValues, total: i128) -> Distribution {
    let q = |p: f64| money_quantile(sorted, p);
    let edges = money_edges_to(q(0.95).unwrap_or(0.0));
    let histogram = match sorted {
        MoneyValues::Cents(v) => histogram_sorted(v, |c| Money::from_cents(c).to_f64(), &edges),
        MoneyValues::Wide(v) => histogram_sorted(v, |m| m.to_f64(), &edges),
    };
    Distribution {
        histogram,
        mean: mean_of(total, sorted.len()),
        median: q(0.5),
        p25: q(0.25),
        p75: q(0.75),
        p90: q(0.9),
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

/// Customers listed per level as closest to the next one.
const CLOSEST: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct Assigned {
    pub tier: Vec<u8>,
    pub level: Vec<u8>,
}

/// The value section and each customer's tier and level. `spend` is every customer's net spend
/// ascending ([`Facts::spend_ascending`]): the Pareto shares, the Lorenz curve, the spend
/// quantiles and the spend distribution all read it, in place (with half a million customers,
/// every copy is 4 MB of a tab's memory that is never given back).
pub fn value(
    facts: &Facts,
    spend: MoneyValues,
    tiers: Option<TierThresholds>,
    levels: Option<[f64; 3]>,
) -> (Value, Assigned) {
    let n = facts.len();
    debug_assert_eq!(spend.len(), n);
    let total: i128 = spend.iter().map(|m| i128::from(m.0)).sum();
    let share_of_top = |k: usize| {
        let top: i128 = spend.slice(n - k.min(n)..n).iter().map(|m| i128::from(m.0)).sum();
        (total != 0).then(|| top as f64 / total as f64)
    };
    let top_shares = [1u32, 5, 10, 20, 50].iter().map(|&p| (p, share_of_top((n * p as usize).div_ceil(100)))).collect();
    // Lorenz: the share held by the bottom p% (p = 0…100), read off the running sum as it passes
    // each point; Gini = 1 − 2 × the area under the curve, summed on the way.
    let mut lorenz = Vec::with_capacity(101);
    let (mut cum, mut area, mut p) = (0i128, 0.0f64, 0usize);
    // Where the next point is read: a division per point, not per customer.
    let point_at = |p: usize| (n * p).div_ceil(100).min(n);
    let mut next_point = point_at(0);
    for i in 0..=n {
        if i > 0 {
            let before = cum;
            cum += i128::from(spend.get(i - 1).0);
            // The same float as `as f64` of the i128, which in wasm is a call per customer.
            let twice = before + cum;
            area += i64::try_from(twice).map_or_else(|_| wide_to_f64(twice), |t| t as f64) / 2.0;
        }
        while p <= 100 && next_point == i {
            lorenz.push(if total == 0 { 0.0 } else { cum as f64 / total as f64 });
            p += 1;
            next_point = point_at(p);
        }
    }
    let gini = (n > 0 && total > 0).then(|| 1.0 - 2.0 * area / (n as f64 * total as f64));
    let spend_quantiles = [0.95, 0.8, 0.6, 0.85, 0.97].map(|p| round_2sig(money_quantile(spend, p).unwrap_or(0.0)));
    let customer_spend = distribution(spend, total);

    let order_value = order_distribution(facts.order_gross);
    let potential_order = round_2sig(order_value.p75.unwrap_or(0.0));

    let [key_spend, important_spend, level_1, level_2, level_3] = spend_quantiles;
    let tiers_derived = tiers.is_none();
    let t = tiers.unwrap_or(TierThresholds { key_spend, important_spend, important_orders: 3, potential_order });
    let levels_derived = levels.is_none();
    let lv = levels.unwrap_or([level_1, level_2, level_3]);

    let net = |c: usize| facts.spend.net(c).to_f64();
    let tier: Vec<u8> = (0..n).map(|c| tier_of(&t, net(c), facts.orders(c), facts.max_order(c).to_f64())).collect();
    let level: Vec<u8> = (0..n).map(|c| level_of(&lv, net(c))).collect();
    let total_net: Money = facts.spend.net_values().sum();
    // One pass over the customers for both schemes, keeping per group only a count, a sum and the
    // closest few: a list of members would be 4 bytes per customer, and their distances 16 more.
    let nearer = |a: &(u32, f64), b: &(u32, f64)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
    let mut tally = [[(0u64, Money::ZERO); 4]; 2];
    // Per level below the top, the CLOSEST nearest the next level so far, nearest first.
    let mut closest: [Vec<(u32, f64)>; 4] = Default::default();
    for c in 0..n {
        for (scheme, k) in [(0, tier[c]), (1, level[c])] {
            let t = &mut tally[scheme][k as usize];
            t.0 += 1;
            t.1 += facts.spend.net(c);
        }
        let k = level[c] as usize;
        if k < 3 {
            let list = &mut closest[k];
            let candidate = (c as u32, lv[k] - net(c));
            // Most customers are farther than the farthest of a full list: one comparison.
            if list.len() == CLOSEST && list.last().is_some_and(|last| nearer(last, &candidate).is_lt()) {
                continue;
            }
            let at = list.partition_point(|x| nearer(x, &candidate).is_lt());
            list.insert(at, candidate);
            list.truncate(CLOSEST);
        }
    }
    let group = |names: &[&'static str], tally: &[(u64, Money); 4], closest: [Vec<(u32, f64)>; 4]| {
        names
            .iter()
            .zip(tally)
            .zip(closest)
            .map(|((&name, &(customers, revenue)), closest_to_next)| Group {
                name,
                customers,
                share: ratio(customers, n as u64),
                net_revenue: revenue,
                revenue_share: (total_net.0 != 0).then(|| revenue.0 as f64 / total_net.0 as f64),
                closest_to_next,
            })
            .collect::<Vec<Group>>()
    };
    let v = Value {
        top_shares,
        lorenz,
        gini,
        order_value,
        customer_spend,
        tier_thresholds: t,
        tiers_derived,
        tiers: group(&TIERS, &tally[0], Default::default()),
        level_thresholds: lv,
        levels_derived,
        levels: group(&LEVELS, &tally[1], closest),
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
