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
use crate::model::MoneyValues;
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
    /// Rows of the customers table in this segment (none unless the report carries the
    /// customers: `Settings::include_customers`).
    pub customers_list: Vec<u32>,
}

/// Per-customer results, parallel to [`Facts`].
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub r: Vec<u8>,
    pub f: Vec<u8>,
    pub m: Vec<u8>,
    pub segment: Vec<u8>,
    pub cn_class: Vec<u8>,
}

/// Values to score, read by place: a slice, or a column computed from the facts as it is read
/// ([`Computed`]).
trait Values {
    fn len(&self) -> usize;
    fn at(&self, i: usize) -> f64;
    fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        (0..self.len()).map(|i| self.at(i))
    }
}

impl Values for [f64] {
    fn len(&self) -> usize {
        <[f64]>::len(self)
    }
    fn at(&self, i: usize) -> f64 {
        self[i]
    }
}

/// `n` values computed as they are read, each from its place: scored without a column of floats,
/// which for two million customers is 16 MB of a tab's memory.
struct Computed<F: Fn(usize) -> f64>(usize, F);

impl<F: Fn(usize) -> f64> Values for Computed<F> {
    fn len(&self) -> usize {
        self.0
    }
    fn at(&self, i: usize) -> f64 {
        (self.1)(i)
    }
}

/// Scores from where each value stands: the share of values below it plus half the share equal
/// to it (the midpoint of its tie group), mapped by `to_score`, which must not decrease. Depending
/// only on the value, equal values get equal scores, and a shop where everyone is alike lands in
/// the middle. Whole numbers in a narrow span (days, order counts) are counted per value; other
/// values go through a sorted copy, walked once by tie group to find the lowest value of each
/// score, against which each customer is then scored. Sorting the values themselves, not indices
/// into them, keeps the sort in sequential memory: for two million customers it is the section's
/// main cost.
fn midpoint_scores(values: &(impl Values + ?Sized), to_score: impl Fn(f64) -> u8) -> Vec<u8> {
    whole_number_midpoint_scores(values, &to_score).unwrap_or_else(|| sorted_midpoint_scores(values, &to_score))
}

/// [`midpoint_scores`] for any values, through a sorted copy.
fn sorted_midpoint_scores(values: &(impl Values + ?Sized), to_score: &impl Fn(f64) -> u8) -> Vec<u8> {
    let sorted = sorted_by_total_order(values);
    midpoint_scores_from_sorted(values, |k| sorted[k], to_score)
}

/// [`midpoint_scores`] of `values`, which in ascending order are `sorted(0)`, `sorted(1)`…
fn midpoint_scores_from_sorted(
    values: &(impl Values + ?Sized),
    sorted: impl Fn(usize) -> f64,
    to_score: &impl Fn(f64) -> u8,
) -> Vec<u8> {
    let len = values.len();
    let n = len.max(1) as f64;
    // (lowest value, score) for each score given, rising.
    let mut lowest: Vec<(f64, u8)> = Vec::with_capacity(5);
    let mut start = 0;
    while start < len {
        let v = sorted(start);
        let mut end = start + 1;
        while end < len && sorted(end) == v {
            end += 1;
        }
        let score = to_score((start as f64 + (end - start) as f64 / 2.0) / n);
        debug_assert!(lowest.last().map_or(true, |&(_, s)| s <= score), "to_score must not decrease");
        if lowest.last().map_or(true, |&(_, s)| s != score) {
            lowest.push((v, score));
        }
        start = end;
    }
    // The scores rise with the lows, so a value's score is that of the last low at or below it:
    // the lows at or below are counted, so that no branch depends on the value (with two million
    // customers' spend in no order, a search's branches were mispredicted at every other value).
    let lows: Vec<i64> = lowest.iter().map(|&(low, _)| total_order_key(low)).collect();
    let score_after: Vec<u8> = std::iter::once(1).chain(lowest.iter().map(|&(_, s)| s)).collect();
    values
        .iter()
        .map(|v| {
            let key = total_order_key(v);
            score_after[lows.iter().filter(|&&low| low <= key).count()]
        })
        .collect()
}

/// [`f64::total_cmp`]'s order as signed integers: negative values' other bits flipped.
fn total_order_key(v: f64) -> i64 {
    flip_negative(v.to_bits() as i64)
}

/// The value of a [`total_order_key`]: the same transform, which is its own inverse.
fn from_total_order_key(key: i64) -> f64 {
    f64::from_bits(flip_negative(key) as u64)
}

fn flip_negative(bits: i64) -> i64 {
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

/// `values` sorted as [`f64::total_cmp`] orders them, through integer keys in that order: a
/// comparison of two integers instead of two conversions and one (the sort of two million
/// customers' spend is most of the RFM section).
fn sorted_by_total_order(values: &(impl Values + ?Sized)) -> Vec<f64> {
    let mut keys: Vec<i64> = values.iter().map(total_order_key).collect();
    keys.sort_unstable();
    keys.into_iter().map(from_total_order_key).collect()
}

/// [`midpoint_scores`] for whole numbers spread over not many more values than there are
/// customers (days since the last order, order counts): each value's tie group is counted in one
/// pass instead of sorted, and its score looked up. `None` for other values (money).
fn whole_number_midpoint_scores(values: &(impl Values + ?Sized), to_score: &impl Fn(f64) -> u8) -> Option<Vec<u8>> {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.iter() {
        // NaN and infinities have no zero fraction either.
        if v.fract() != 0.0 {
            return None;
        }
        // Compared, not `f64::min` and `max`: their rule for NaN (which has returned above) is a
        // call per value in wasm.
        if v < low {
            low = v;
        }
        if v > high {
            high = v;
        }
    }
    if values.len() == 0 || high - low > 2.0 * values.len() as f64 + 65_536.0 {
        return None;
    }
    let slot = |v: f64| (v - low) as usize;
    let mut counts = vec![0u32; slot(high) + 1];
    for v in values.iter() {
        counts[slot(v)] += 1;
    }
    let n = values.len() as f64;
    let mut below = 0u64;
    let score_of: Vec<u8> = counts
        .iter()
        .map(|&c| {
            let score = to_score((below as f64 + f64::from(c) / 2.0) / n);
            below += u64::from(c);
            score
        })
        .collect();
    Some(values.iter().map(|v| score_of[slot(v)]).collect())
}

/// A quintile score from a midpoint share: 1 + ⌊5 × share⌋, at most 5.
fn quintile(share: f64) -> u8 {
    (1.0 + (5.0 * share).floor()).min(5.0) as u8
}

/// Tie-safe quintile score, higher value better: 1 + ⌊5 × midpoint share⌋.
fn quantile_scores(values: &(impl Values + ?Sized)) -> (Vec<u8>, Vec<Option<f64>>) {
    let scores = midpoint_scores(values, quintile);
    let thresholds = thresholds_from(values.iter(), &scores);
    (scores, thresholds)
}

/// [`quantile_scores`] of the customers' spend (`values`, as floats), whose order is read off
/// `ascending`, the same spend sorted in [`Money`]'s units ([`Facts::spend_ascending`]), instead of
/// a sort of its own.
fn spend_scores(values: &(impl Values + ?Sized), ascending: MoneyValues) -> (Vec<u8>, Vec<Option<f64>>) {
    debug_assert_eq!(values.len(), ascending.len());
    let scores = whole_number_midpoint_scores(values, &quintile)
        .unwrap_or_else(|| midpoint_scores_from_sorted(values, |k| ascending.get(k).to_f64(), &quintile));
    let thresholds = thresholds_from(values.iter(), &scores);
    (scores, thresholds)
}

/// The lowest value that earned each score 2..=5 (`None` when no customer got it).
fn thresholds_from(values: impl IntoIterator<Item = f64>, scores: &[u8]) -> Vec<Option<f64>> {
    // One pass for the four scores; the first of equal lowest values is kept, as `min_by` keeps it.
    let mut lowest: [Option<f64>; 6] = [None; 6];
    for (v, &s) in values.into_iter().zip(scores) {
        let low = &mut lowest[usize::from(s.min(5))];
        if low.map_or(true, |l| v.total_cmp(&l).is_lt()) {
            *low = Some(v);
        }
    }
    lowest[2..].to_vec()
}

/// Frequency: one-time buyers get 1 and repeat buyers are spread over 2–5 when one-timers are
/// common; otherwise plain quantiles.
fn frequency_scores(orders: &[u32]) -> (Vec<u8>, Vec<Option<f64>>, bool) {
    let n = orders.len();
    let once = orders.iter().filter(|&&o| o <= 1).count();
    if n == 0 || once * 5 < n {
        let (s, t) = quantile_scores(&Computed(n, |i| f64::from(orders[i])));
        return (s, t, false);
    }
    let repeat: Vec<u32> = orders.iter().copied().filter(|&o| o > 1).collect();
    let repeat_values = Computed(repeat.len(), |i| f64::from(repeat[i]));
    let repeat_scores = midpoint_scores(&repeat_values, |share| (2.0 + (4.0 * share).floor()).min(5.0) as u8);
    let mut next = repeat_scores.into_iter();
    let scores: Vec<u8> = orders.iter().map(|&o| if o <= 1 { 1 } else { next.next().unwrap_or(2) }).collect();
    // Read off the counts themselves: a copy as floats would be 8 bytes a customer.
    let t = thresholds_from(orders.iter().map(|&o| f64::from(o)), &scores);
    (scores, t, true)
}

/// Fixed thresholds: the number of thresholds passed (`higher` = a larger value is better).
fn fixed_score(v: f64, thresholds: &[f64; 4], higher: bool) -> u8 {
    1 + thresholds.iter().filter(|&&t| if higher { v >= t } else { v <= t }).count() as u8
}

/// Scores every customer. `spend` is their net spend ascending ([`Facts::spend_ascending`]). With
/// `member_lists`, each segment and class lists its customers (for `--json`); the page filters the
/// customers table by segment instead, so its report keeps none (4 bytes a customer for each
/// scheme).
pub fn score(
    facts: &Facts,
    spend: MoneyValues,
    as_of: i64,
    scoring: &RfmScoring,
    baseline: Baseline,
    member_lists: bool,
) -> (Rfm, Scores) {
    let n = facts.len();
    // Read from the facts as they are scored ([`Computed`]) rather than copied into columns: with
    // two million customers each column of floats is 16 MB of a tab's memory.
    let recency = |i: usize| (as_of - facts.last_day(i)) as f64;
    let monetary = |i: usize| facts.spend.net(i).to_f64();
    let freq = |i: usize| f64::from(facts.orders(i));
    // Generic, not `&dyn Fn`: a call through a pointer for every customer could not be inlined.
    fn column(n: usize, value: impl Fn(usize) -> f64) -> Vec<f64> {
        (0..n).map(value).collect()
    }
    let (r, f, m, method, rt, ft, mt);
    match scoring {
        RfmScoring::Quantiles => {
            // Recency: fewer days is better, so score the negated value.
            let (rs, rth) = quantile_scores(&Computed(n, |i| -recency(i)));
            let (fs, fth, split) = frequency_scores(&facts.order_counts().collect::<Vec<_>>());
            let (ms, mth) = spend_scores(&Computed(n, monetary), spend);
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
            r = (0..n).map(|i| fixed_score(recency(i), recency_days, false)).collect::<Vec<_>>();
            f = (0..n).map(|i| fixed_score(freq(i), orders, true)).collect();
            m = (0..n).map(|i| fixed_score(monetary(i), net_spend, true)).collect();
            method = "Fixed thresholds set in the settings.".to_string();
            rt = recency_days.iter().map(|&d| Some(d)).collect();
            ft = orders.iter().map(|&d| Some(d)).collect();
            mt = net_spend.iter().map(|&d| Some(d)).collect();
        }
    }
    let segment: Vec<u8> = (0..n).map(|i| segment_of(r[i], (f[i] + m[i]).div_ceil(2)) as u8).collect();

    // Chinese 8 classes: high = better than the baseline (recency: fewer days).
    fn median(n: usize, value: impl Fn(usize) -> f64) -> f64 {
        let mut s = column(n, value);
        s.sort_by(f64::total_cmp);
        super::stats::quantile_sorted(&s, 0.5).unwrap_or(0.0)
    }
    let (cr, cf, cm) = match baseline {
        Baseline::Mean => {
            // The three means in one pass over the customers, each summed in customer order
            // from -0.0, as `Iterator::sum` does.
            let mut sums = [-0.0f64; 3];
            for i in 0..n {
                sums[0] += recency(i);
                sums[1] += freq(i);
                sums[2] += monetary(i);
            }
            let count = n.max(1) as f64;
            (sums[0] / count, sums[1] / count, sums[2] / count)
        }
        Baseline::Median => (median(n, recency), median(n, freq), median(n, monetary)),
    };
    // The classes in `CN_CLASSES`' order: high spend first, then recent, then frequent, each "high"
    // before "low". Computed as bits, not matched: the three comparisons are unpredictable.
    let cn_class: Vec<u8> = (0..n)
        .map(|i| {
            let (rh, fh, mh) = (recency(i) < cr, freq(i) > cf, monetary(i) > cm);
            u8::from(!mh) << 2 | u8::from(!rh) << 1 | u8::from(!fh)
        })
        .collect();

    let counts = |s: &[u8]| {
        let mut c = [0u64; 5];
        for &x in s {
            c[(x.clamp(1, 5) - 1) as usize] += 1;
        }
        c
    };
    let total_net: Money = facts.spend.net_values().sum();
    // Per scheme: a count of each group's members, to make their lists at their exact size (the
    // lists are kept with the report; grown by doubling they could hold twice the room), then one
    // pass for members and sums, for both schemes at once: each customer's values are read once.
    let schemes = [(&SEGMENTS[..], &segment[..]), (&CN_CLASSES[..], &cn_class[..])];
    let mut sizes = schemes.map(|(names, _)| vec![0usize; names.len()]);
    for ((_, of), sizes) in schemes.iter().zip(&mut sizes) {
        for &k in of.iter() {
            sizes[k as usize] += 1;
        }
    }
    let mut lists: [Vec<Vec<u32>>; 2] = std::array::from_fn(|s| {
        sizes[s].iter().map(|&size| Vec::with_capacity(if member_lists { size } else { 0 })).collect()
    });
    let mut sums = schemes.map(|(names, _)| vec![(Money::ZERO, 0.0f64, 0.0f64, 0.0f64); names.len()]);
    for i in 0..n {
        let (net, r, f, m) = (facts.spend.net(i), recency(i), freq(i), monetary(i));
        for (s, (_, of)) in schemes.iter().enumerate() {
            let k = of[i] as usize;
            if member_lists {
                lists[s][k].push(i as u32);
            }
            let sum = &mut sums[s][k];
            sum.0 += net;
            sum.1 += r;
            sum.2 += f;
            sum.3 += m;
        }
    }
    let [segment_lists, class_lists] = lists;
    let [segment_sums, class_sums] = sums;
    let [segment_sizes, class_sizes] = sizes;
    let stats = |names: &[&'static str], lists: Vec<Vec<u32>>, sums: Vec<(Money, f64, f64, f64)>, sizes: Vec<usize>| {
        names
            .iter()
            .zip(lists)
            .zip(sums)
            .zip(sizes)
            .map(|(((&name, list), (net, r, f, m)), size)| {
                let cnt = size as u64;
                let avg = |total: f64| (cnt > 0).then(|| total / cnt as f64);
                SegmentStats {
                    name,
                    customers: cnt,
                    share: ratio(cnt, n as u64),
                    net_revenue: net,
                    revenue_share: (total_net.0 != 0).then(|| net.0 as f64 / total_net.0 as f64),
                    avg_recency: avg(r),
                    avg_frequency: avg(f),
                    avg_monetary: avg(m),
                    customers_list: list,
                }
            })
            .collect::<Vec<SegmentStats>>()
    };
    let rfm = Rfm {
        method,
        r_thresholds: rt,
        f_thresholds: ft,
        m_thresholds: mt,
        r_counts: counts(&r),
        f_counts: counts(&f),
        m_counts: counts(&m),
        segments: stats(&SEGMENTS, segment_lists, segment_sums, segment_sizes),
        cn_baseline: baseline,
        cn_recency: cr,
        cn_frequency: cf,
        cn_monetary: cm,
        cn_classes: stats(&CN_CLASSES, class_lists, class_sums, class_sizes),
    };
    (rfm, Scores { r, f, m, segment, cn_class })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MoneyColumn;

    /// The integer keys sort as `total_cmp` does, signs, zeros, infinities and NaNs included.
    #[test]
    fn sorted_by_total_order_is_total_cmp() {
        let mut rng = crate::sample::Rng::new(3);
        let mut values: Vec<f64> = (0..2000).map(|_| (rng.unit() - 0.5) * 1e6).collect();
        values.extend([0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -f64::NAN, 1e-310, -1e-310, 5.0, 5.0]);
        let mut want = values.clone();
        want.sort_by(f64::total_cmp);
        let got = sorted_by_total_order(&values[..]);
        assert_eq!(
            got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }

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
        let (s, _) = quantile_scores(&[5.0, 5.0, 5.0, 1.0, 9.0][..]);
        assert_eq!(s, vec![3, 3, 3, 1, 5]);
        let (s, _) = quantile_scores(&[3.0; 7][..]);
        assert!(s.iter().all(|&x| x == 3), "everyone alike: the middle score");
        let (s, _) = quantile_scores(&[1.0, 2.0, 3.0, 4.0, 5.0][..]);
        assert_eq!(s, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn scores_follow_the_midpoint_definition() {
        // Many ties, unsorted, negative values (recency is scored negated): each score must be
        // to_score of (values below + half the values equal) / n, computed here the slow way,
        // whether the values are counted (whole numbers in a narrow span) or sorted.
        let to_score = |share: f64| (1.0 + (5.0 * share).floor()).min(5.0) as u8;
        let slow = |values: &[f64]| -> Vec<u8> {
            let n = values.len() as f64;
            values
                .iter()
                .map(|v| {
                    let below = values.iter().filter(|w| *w < v).count() as f64;
                    let equal = values.iter().filter(|w| *w == v).count() as f64;
                    to_score((below + equal / 2.0) / n)
                })
                .collect()
        };
        let whole: Vec<f64> = (0..997u64).map(|i| ((i * 7919) % 61) as f64 - 30.0).collect();
        let wide: Vec<f64> = whole.iter().map(|v| v * 1e6).collect();
        let fractions: Vec<f64> = whole.iter().map(|v| v / 4.0).collect();
        // Recency of 0 days, negated, is -0.0, which equals 0.0 and must share its score.
        let zeros = [0.0, -0.0, 1.0, -0.0, 2.0, -3.0];
        for values in [&whole[..], &wide[..], &fractions[..], &zeros[..]] {
            assert_eq!(midpoint_scores(values, to_score), slow(values), "{values:?}");
            assert_eq!(sorted_midpoint_scores(values, &to_score), slow(values), "{values:?}");
        }
        assert!(whole_number_midpoint_scores(&whole[..], &to_score).is_some());
        assert!(whole_number_midpoint_scores(&zeros[..], &to_score).is_some());
        assert!(whole_number_midpoint_scores(&wide[..], &to_score).is_none(), "too wide a span to count");
        assert!(whole_number_midpoint_scores(&fractions[..], &to_score).is_none());
        assert!(whole_number_midpoint_scores(&[1.0, f64::NAN][..], &to_score).is_none());
    }

    /// Spend scored through the shared ascending spend scores as through a sort of its own: money
    /// with cents, repeated amounts, refunds above the spend (negative), and whole amounts in a
    /// span narrow enough to be counted.
    #[test]
    fn spend_scores_are_the_spends_quantile_scores() {
        let mut rng = crate::sample::Rng::new(7);
        let cents: Vec<i64> = (0..3000).map(|_| (rng.below(40_000) as i64 - 2_000) * 100).collect();
        let repeated: Vec<i64> = (0..3000).map(|_| [0, 990_000, 1_990_000, -50_000][rng.below(4) as usize]).collect();
        let whole: Vec<i64> = (0..3000).map(|_| rng.below(500) as i64 * 10_000).collect();
        for spend in [cents, repeated, whole] {
            let values: Vec<f64> = spend.iter().map(|&x| Money(x).to_f64()).collect();
            let ascending =
                MoneyColumn::sorted(MoneyValues::Wide(&spend.iter().map(|&x| Money(x)).collect::<Vec<_>>()));
            assert_eq!(spend_scores(&values[..], ascending.values()), quantile_scores(&values[..]));
        }
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

    /// The Chinese classes against the median customer: ann (recent, 3 orders, 60) is above it
    /// on all three; cid (old, 1 order, 5) on none; the medians are bob's values.
    #[test]
    fn classes_against_the_median() {
        let csv = "order,customer,date,amount\n\
                   1,ann,2024-03-01,20\n2,ann,2024-03-20,20\n3,ann,2024-03-30,20\n\
                   4,bob,2024-02-01,10\n5,bob,2024-03-10,10\n\
                   6,cid,2024-01-01,5\n";
        let (data, _) = crate::ingest::import_files(&[("o.csv", csv.as_bytes())], Default::default()).expect("imports");
        let facts = Facts::build(&data);
        let as_of = crate::calendar::day_number(crate::calendar::ymd_secs(2024, 3, 31, 0).expect("a day"));
        let (rfm, scores) =
            score(&facts, facts.spend_ascending().values(), as_of, &RfmScoring::Quantiles, Baseline::Median, true);
        assert_eq!((rfm.cn_recency, rfm.cn_frequency, rfm.cn_monetary), (21.0, 2.0, 20.0));
        let class = |key: &str| {
            let c = (0..facts.len()).find(|&c| data.customers.get(facts.id.get(c)) == Some(key)).expect("a customer");
            CN_CLASSES[scores.cn_class[c] as usize]
        };
        assert_eq!((class("ann"), class("cid")), (CN_CLASSES[0], CN_CLASSES[7]));
        // Sums per class read the same values: ann's class holds her alone.
        let ann = rfm.cn_classes.iter().find(|s| s.name == CN_CLASSES[0]).expect("a class");
        assert_eq!((ann.avg_recency, ann.avg_frequency, ann.avg_monetary), (Some(1.0), Some(3.0), Some(60.0)));
    }

    /// Every customer's class is the one its three comparisons with the baseline name: 重要 (spend
    /// above it) or 一般, then 价值 (recent and frequent), 发展 (recent only), 保持 (frequent
    /// only) or 挽留 (neither). All eight classes occur in the made-up shop.
    #[test]
    fn each_class_is_named_by_its_three_comparisons() {
        let shop = crate::sample::SampleShop { customers: 400, ..Default::default() };
        let csv = shop.taobao_csv();
        let (data, _) = crate::ingest::import_files(&[("o.csv", csv.as_bytes())], Default::default()).expect("imports");
        let facts = Facts::build(&data);
        let as_of = crate::analysis::summary::last_valid_day(&data).expect("valid orders");
        let (rfm, scores) =
            score(&facts, facts.spend_ascending().values(), as_of, &RfmScoring::Quantiles, Baseline::Mean, false);
        let mut seen = std::collections::BTreeSet::new();
        for c in 0..facts.len() {
            let recent = ((as_of - facts.last_day(c)) as f64) < rfm.cn_recency;
            let frequent = f64::from(facts.orders(c)) > rfm.cn_frequency;
            let high = facts.spend.net(c).to_f64() > rfm.cn_monetary;
            let kind = match (recent, frequent) {
                (true, true) => "价值",
                (true, false) => "发展",
                (false, true) => "保持",
                (false, false) => "挽留",
            };
            let name = format!("{}{kind}客户", if high { "重要" } else { "一般" });
            assert_eq!(CN_CLASSES[scores.cn_class[c] as usize], name, "customer {c}");
            seen.insert(name);
        }
        assert_eq!(seen.len(), 8, "{seen:?}");
    }

    #[test]
    fn fixed_thresholds() {
        assert_eq!(fixed_score(10.0, &[180.0, 90.0, 30.0, 14.0], false), 5);
        assert_eq!(fixed_score(200.0, &[180.0, 90.0, 30.0, 14.0], false), 1);
        assert_eq!(fixed_score(3.0, &[2.0, 3.0, 5.0, 10.0], true), 3);
    }
}
