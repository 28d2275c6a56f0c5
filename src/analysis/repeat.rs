//! How often customers come back: N-day repeat rates, orders per customer, days to the second
//! order and between orders — distributions, not only means.

use super::customers::Facts;
use super::stats::{histogram, histogram_sorted, quantile_at, quantiles_of, ratio, Bin, DAY_EDGES};
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

/// Day gaps between plausible order dates (1970–2100) are below this.
const MAX_GAP: usize = 1 << 16;

/// The distribution of day gaps, counted per day rather than listed and sorted: the quantiles
/// and histogram a sorted list gives, without the list (8 bytes a gap: 15 MB for the 1.9 million
/// gaps of the 100 MB `customer,date,amount` file) or its sort. A value outside `0..MAX_GAP`,
/// which plausible dates cannot give, sends them all to the sorted way.
fn gaps(values: impl Iterator<Item = i64>) -> Gaps {
    let mut counts: Vec<u64> = Vec::new();
    let mut others: Vec<i64> = Vec::new();
    for v in values {
        match usize::try_from(v) {
            Ok(day) if day < MAX_GAP => {
                if counts.len() <= day {
                    counts.resize(day + 1, 0);
                }
                counts[day] += 1;
            }
            _ => others.push(v),
        }
    }
    if !others.is_empty() {
        others.extend(counts.iter().enumerate().flat_map(|(day, &n)| std::iter::repeat(day as i64).take(n as usize)));
        return sorted_gaps(others);
    }
    // How many gaps are at most each day: the gap at rank `r` (0-based, ascending) is the first
    // day whose running count passes `r`.
    let mut running = counts;
    let mut total = 0;
    for n in &mut running {
        total += *n;
        *n = total;
    }
    let at = |rank: usize| running.partition_point(|&n| n <= rank as u64) as f64;
    let q = |p: f64| quantile_at(total as usize, at, p);
    let mut bins = histogram(std::iter::empty(), &DAY_EDGES);
    let mut before = 0;
    for (day, &upto) in running.iter().enumerate() {
        let bin = DAY_EDGES.partition_point(|&e| e <= day as f64).saturating_sub(1);
        bins[bin].count += upto - before;
        before = upto;
    }
    Gaps { count: total, histogram: bins, p10: q(0.1), p25: q(0.25), median: q(0.5), p75: q(0.75), p90: q(0.9) }
}

/// [`gaps`] of any values, through a sorted list.
fn sorted_gaps(mut values: Vec<i64>) -> Gaps {
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
    // Every window in one pass over the customers.
    let (mut eligible, mut repeated) = ([0u64; WINDOWS.len()], [0u64; WINDOWS.len()]);
    for c in 0..facts.len() {
        let (first, second) = (facts.first_day(c), facts.second_day(c));
        for (k, &days) in WINDOWS.iter().enumerate() {
            if first <= as_of - days {
                eligible[k] += 1;
                repeated[k] += second.is_some_and(|s| s - first <= days) as u64;
            }
        }
    }
    let windows = (0..WINDOWS.len())
        .map(|k| WindowRate {
            days: WINDOWS[k],
            eligible_customers: eligible[k],
            repeated: repeated[k],
            rate: ratio(repeated[k], eligible[k]),
        })
        .collect();
    const WITHIN: [i64; 3] = [30, 60, 90];
    let mut within = [0u64; WITHIN.len()];
    let to_second = (0..facts.len()).filter_map(|c| facts.second_day(c).map(|s| s - facts.first_day(c)));
    let days_to_second = gaps(to_second.inspect(|&g| {
        for (n, &d) in within.iter_mut().zip(&WITHIN) {
            *n += (g <= d) as u64;
        }
    }));
    let second_within = WITHIN.iter().zip(within).map(|(&d, n)| (d, ratio(n, days_to_second.count))).collect();
    let between = (0..facts.len()).flat_map(|c| facts.gaps_of(c));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Counted per day, the gaps give what the sorted list gives: on lists of every size up to a
    /// few hundred, days spread over a year or bunched on a few, and with values no date gives.
    #[test]
    fn counted_gaps_are_the_sorted_ones() {
        let mut rng = crate::sample::Rng::new(3);
        for len in (0..300).chain([1000, 5000]) {
            let span = [1, 3, 40, 400, 5000][len % 5];
            let values: Vec<i64> = (0..len).map(|_| rng.below(span) as i64).collect();
            let want = sorted_gaps(values.clone());
            let got = gaps(values.iter().copied());
            assert_eq!(format!("{got:?}"), format!("{want:?}"), "{len} values over {span} days");
            let mut odd = values.clone();
            odd.push(if len % 2 == 0 { -1 } else { MAX_GAP as i64 });
            assert_eq!(format!("{:?}", gaps(odd.iter().copied())), format!("{:?}", sorted_gaps(odd)), "{len}");
        }
    }
}
