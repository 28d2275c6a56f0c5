//! RFM: recency, frequency and monetary scores 1–5 (5 best), the 11 named segments of the
//! R × FM grid, and the Chinese 8-class scheme (each of R, F, M high or low against the shop's
//! mean or median).
//!
//! Quantile scoring is tie-safe: a customer's score depends only on their value (the share of
//! customers with a worse value plus half of those with the same value), so equal values always
//! share a score, and a shop where everyone is alike scores everyone 3 rather than 1. Frequency needs
//! care: most customers buy once, so plain quintiles would give every one-time buyer the same score
//! and leave scores 2–3 empty. When one-time buyers are at least a fifth of customers they get F = 1
//! and the repeat buyers are spread over 2–5 by the same rule; the method text says so.

use super::customers::Facts;
use super::stats::ratio;
use crate::money::Money;
use crate::settings::{Baseline, RfmScoring};
use serde::Serialize;

pub const SEGMENTS: [&str; 11] = [
    "champions",
    "loyal",
    "potential_loyalist",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose_them",
    "hibernating",
    "lost",
];

pub const CN_CLASSES: [&str; 8] = [
    "重要价值客户",
    "重要发展客户",
    "重要保持客户",
    "重要挽留客户",
    "一般价值客户",
    "一般发展客户",
    "一般保持客户",
    "一般挽留客户",
];

/// The segment of an R score and an FM score (both 1–5), per the standard grid.
pub fn segment_of(r: u8, fm: u8) -> usize {
    match (r, fm) {
        (5, 5) | (5, 4) | (4, 5) => 0,
        (5, 3) | (4, 4) | (3, 5) | (3, 4) => 1,
        (5, 2) | (4, 2) | (4, 3) | (3, 3) => 2,
        (5, 1) => 3,
        (4, 1) | (3, 1) => 4,
        (3, 2) | (2, 3) | (2, 2) => 5,
        (2, 1) => 6,
        (2, 5) | (2, 4) | (1, 3) => 7,
        (1, 5) | (1, 4) => 8,
        (1, 2) => 9,
        _ => 10,
    }
}

/// Scores and thresholds in use.
#[derive(Debug, Clone, Serialize)]
pub struct Rfm {
    /// How the scores were computed, in words.
    pub method: String,
    /// Lowest value that earns scores 2, 3, 4 and 5 (recency: highest number of days).
    pub r_thresholds: Vec<Option<f64>>,
    pub f_thresholds: Vec<Option<f64>>,
    pub m_thresholds: Vec<Option<f64>>,
    /// Customers per score 1–5 for each of R, F, M.
    pub r_counts: [u64; 5],
    pub f_counts: [u64; 5],
    pub m_counts: [u64; 5],
    pub segments: Vec<SegmentStats>,
    pub cn_baseline: Baseline,
    /// The baselines the Chinese classes compare against: recency days, orders, net spend.
    pub cn_recency: f64,
    pub cn_frequency: f64,
    pub cn_monetary: f64,
    pub cn_classes: Vec<SegmentStats>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SegmentStats {
    pub name: &'static str,
    pub customers: u64,
    pub share: Option<f64>,
    pub net_revenue: Money,
    pub revenue_share: Option<f64>,
    pub avg_recency: Option<f64>,
    pub avg_frequency: Option<f64>,
    pub avg_monetary: Option<f64>,
    /// Rows of the customers table in this segment.
    pub customers_list: Vec<u32>,
}

/// Per-customer results, parallel to [`Facts`].
pub struct Scores {
    pub r: Vec<u8>,
    pub f: Vec<u8>,
    pub m: Vec<u8>,
    pub segment: Vec<u8>,
    pub cn_class: Vec<u8>,
}

/// Where a value stands among sorted values: the share of customers with a worse value plus half
/// the share with an equal one (the midpoint of its tie group), in (0, 1). Depending only on the
/// value, it gives equal values equal scores; a shop where everyone is alike lands in the middle.
fn midpoint_share(sorted: &[f64], v: f64) -> f64 {
    let below = sorted.partition_point(|&x| x < v);
    let equal = sorted.partition_point(|&x| x <= v) - below;
    (below as f64 + equal as f64 / 2.0) / sorted.len().max(1) as f64
}

/// Tie-safe quintile score, higher value better: 1 + ⌊5 × midpoint share⌋.
fn quantile_scores(values: &[f64]) -> (Vec<u8>, Vec<Option<f64>>) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let scores: Vec<u8> =
        values.iter().map(|&v| (1.0 + (5.0 * midpoint_share(&sorted, v)).floor()).min(5.0) as u8).collect();
    let thresholds = thresholds_from(values, &scores);
    (scores, thresholds)
}

/// The lowest value that earned each score 2..=5 (`None` when no customer got it).
fn thresholds_from(values: &[f64], scores: &[u8]) -> Vec<Option<f64>> {
    (2..=5u8)
        .map(|s| values.iter().zip(scores).filter(|(_, &x)| x == s).map(|(&v, _)| v).min_by(f64::total_cmp))
        .collect()
}

/// Frequency: one-time buyers get 1 and repeat buyers are spread over 2–5 when one-timers are
/// common; otherwise plain quantiles.
fn frequency_scores(orders: &[u32]) -> (Vec<u8>, Vec<Option<f64>>, bool) {
    let n = orders.len();
    let once = orders.iter().filter(|&&o| o <= 1).count();
    if n == 0 || once * 5 < n {
        let v: Vec<f64> = orders.iter().map(|&o| o as f64).collect();
        let (s, t) = quantile_scores(&v);
        return (s, t, false);
    }
    let mut repeat: Vec<f64> = orders.iter().filter(|&&o| o > 1).map(|&o| o as f64).collect();
    repeat.sort_by(f64::total_cmp);
    let scores: Vec<u8> = orders
        .iter()
        .map(|&o| if o <= 1 { 1 } else { (2.0 + (4.0 * midpoint_share(&repeat, o as f64)).floor()).min(5.0) as u8 })
        .collect();
    let v: Vec<f64> = orders.iter().map(|&o| o as f64).collect();
    let t = thresholds_from(&v, &scores);
    (scores, t, true)
}

/// Fixed thresholds: the number of thresholds passed (`higher` = a larger value is better).
fn fixed_score(v: f64, thresholds: &[f64; 4], higher: bool) -> u8 {
    1 + thresholds.iter().filter(|&&t| if higher { v >= t } else { v <= t }).count() as u8
}

pub fn score(facts: &Facts, as_of: i64, scoring: &RfmScoring, baseline: Baseline) -> (Rfm, Scores) {
    let n = facts.len();
    let recency: Vec<f64> = facts.last_day.iter().map(|&d| (as_of - d) as f64).collect();
    let monetary: Vec<f64> = facts.net.iter().map(|m| m.to_f64()).collect();
    let (r, f, m, method, rt, ft, mt);
    match scoring {
        RfmScoring::Quantiles => {
            // Recency: fewer days is better, so score the negated value.
            let neg: Vec<f64> = recency.iter().map(|d| -d).collect();
            let (rs, rth) = quantile_scores(&neg);
            let (fs, fth, split) = frequency_scores(&facts.orders);
            let (ms, mth) = quantile_scores(&monetary);
            method = format!(
                "Quintiles over the shop's customers; equal values share a score (score = 1 + ⌊5 × (share of customers with a worse value + half the share with the same value)⌋).{}",
                if split {
                    " Frequency: one-time buyers are so common that they all score 1, and repeat buyers are spread over scores 2–5 the same way."
                } else {
                    ""
                }
            );
            (r, f, m, rt, ft, mt) = (rs, fs, ms, rth.iter().map(|t| t.map(|x| -x)).collect(), fth, mth);
        }
        RfmScoring::Fixed { recency_days, orders, net_spend } => {
            r = recency.iter().map(|&d| fixed_score(d, recency_days, false)).collect::<Vec<_>>();
            f = facts.orders.iter().map(|&o| fixed_score(o as f64, orders, true)).collect();
            m = monetary.iter().map(|&v| fixed_score(v, net_spend, true)).collect();
            method = "Fixed thresholds set in the settings.".to_string();
            rt = recency_days.iter().map(|&d| Some(d)).collect();
            ft = orders.iter().map(|&d| Some(d)).collect();
            mt = net_spend.iter().map(|&d| Some(d)).collect();
        }
    }
    let segment: Vec<u8> = (0..n).map(|i| segment_of(r[i], (f[i] + m[i]).div_ceil(2)) as u8).collect();

    // Chinese 8 classes: high = better than the baseline (recency: fewer days).
    let center = |v: &[f64]| match baseline {
        Baseline::Mean => v.iter().sum::<f64>() / v.len().max(1) as f64,
        Baseline::Median => {
            let mut s = v.to_vec();
            s.sort_by(f64::total_cmp);
            super::stats::quantile_sorted(&s, 0.5).unwrap_or(0.0)
        }
    };
    let freq: Vec<f64> = facts.orders.iter().map(|&o| o as f64).collect();
    let (cr, cf, cm) = (center(&recency), center(&freq), center(&monetary));
    let cn_class: Vec<u8> = (0..n)
        .map(|i| {
            let (rh, fh, mh) = (recency[i] < cr, freq[i] > cf, monetary[i] > cm);
            match (mh, rh, fh) {
                (true, true, true) => 0,
                (true, true, false) => 1,
                (true, false, true) => 2,
                (true, false, false) => 3,
                (false, true, true) => 4,
                (false, true, false) => 5,
                (false, false, true) => 6,
                (false, false, false) => 7,
            }
        })
        .collect();

    let counts = |s: &[u8]| {
        let mut c = [0u64; 5];
        for &x in s {
            c[(x.clamp(1, 5) - 1) as usize] += 1;
        }
        c
    };
    let total_net: Money = facts.net.iter().copied().sum();
    let stats = |names: &[&'static str], of: &[u8]| -> Vec<SegmentStats> {
        names
            .iter()
            .enumerate()
            .map(|(k, &name)| {
                let list: Vec<u32> = (0..n).filter(|&i| of[i] as usize == k).map(|i| i as u32).collect();
                let cnt = list.len() as u64;
                let net: Money = list.iter().map(|&i| facts.net[i as usize]).sum();
                let avg = |v: &dyn Fn(usize) -> f64| {
                    (cnt > 0).then(|| list.iter().map(|&i| v(i as usize)).sum::<f64>() / cnt as f64)
                };
                SegmentStats {
                    name,
                    customers: cnt,
                    share: ratio(cnt, n as u64),
                    net_revenue: net,
                    revenue_share: (total_net.0 != 0).then(|| net.0 as f64 / total_net.0 as f64),
                    avg_recency: avg(&|i| recency[i]),
                    avg_frequency: avg(&|i| freq[i]),
                    avg_monetary: avg(&|i| monetary[i]),
                    customers_list: list,
                }
            })
            .collect()
    };
    let rfm = Rfm {
        method,
        r_thresholds: rt,
        f_thresholds: ft,
        m_thresholds: mt,
        r_counts: counts(&r),
        f_counts: counts(&f),
        m_counts: counts(&m),
        segments: stats(&SEGMENTS, &segment),
        cn_baseline: baseline,
        cn_recency: cr,
        cn_frequency: cf,
        cn_monetary: cm,
        cn_classes: stats(&CN_CLASSES, &cn_class),
    };
    (rfm, Scores { r, f, m, segment, cn_class })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_covers_all_25_cells_as_specified() {
        let spec: [(&str, &[u8]); 11] = [
            ("champions", &[55, 54, 45]),
            ("loyal", &[53, 44, 35, 34]),
            ("potential_loyalist", &[52, 42, 43, 33]),
            ("new", &[51]),
            ("promising", &[41, 31]),
            ("need_attention", &[32, 23, 22]),
            ("about_to_sleep", &[21]),
            ("at_risk", &[25, 24, 13]),
            ("cant_lose_them", &[15, 14]),
            ("hibernating", &[12]),
            ("lost", &[11]),
        ];
        let mut seen = 0;
        for (name, cells) in spec {
            for &c in cells {
                assert_eq!(SEGMENTS[segment_of(c / 10, c % 10)], name, "cell {c}");
                seen += 1;
            }
        }
        assert_eq!(seen, 25);
    }

    #[test]
    fn ties_share_a_score() {
        let (s, _) = quantile_scores(&[5.0, 5.0, 5.0, 1.0, 9.0]);
        assert_eq!(s, vec![3, 3, 3, 1, 5]);
        let (s, _) = quantile_scores(&[3.0; 7]);
        assert!(s.iter().all(|&x| x == 3), "everyone alike: the middle score");
        let (s, _) = quantile_scores(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn one_time_buyers_score_one_and_repeaters_spread() {
        let orders = [1, 1, 1, 1, 1, 1, 2, 2, 3, 8];
        let (s, t, split) = frequency_scores(&orders);
        assert!(split);
        // Repeaters 2, 2, 3, 8: midpoints 1/4, 1/4, 5/8, 7/8 of them → 3, 3, 4, 5.
        assert_eq!(s, vec![1, 1, 1, 1, 1, 1, 3, 3, 4, 5]);
        assert_eq!(t, vec![None, Some(2.0), Some(3.0), Some(8.0)]);
    }

    #[test]
    fn fixed_thresholds() {
        assert_eq!(fixed_score(10.0, &[180.0, 90.0, 30.0, 14.0], false), 5);
        assert_eq!(fixed_score(200.0, &[180.0, 90.0, 30.0, 14.0], false), 1);
        assert_eq!(fixed_score(3.0, &[2.0, 3.0, 5.0, 10.0], true), 3);
    }
}
