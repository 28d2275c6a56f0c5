//! Small statistics shared by the report sections: quantiles, histograms, nice numbers.

use serde::Serialize;

/// The `p`-quantile (0–1) of sorted values by linear interpolation (the pandas/numpy default),
/// so figures can be checked against an independent computation.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    quantile_at(sorted.len(), |i| sorted[i], p)
}

/// [`quantile_sorted`] over `len` sorted values read through `at`.
pub fn quantile_at(len: usize, at: impl Fn(usize) -> f64, p: f64) -> Option<f64> {
    if len == 0 {
        return None;
    }
    let pos = p.clamp(0.0, 1.0) * (len - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(at(lo) + (at(hi) - at(lo)) * frac)
}

/// Quantiles of integer day counts (read as floats where needed, not copied into a float list).
pub fn quantiles_of(values: &mut [i64], ps: &[f64]) -> Vec<Option<f64>> {
    values.sort_unstable();
    ps.iter().map(|&p| quantile_at(values.len(), |i| values[i] as f64, p)).collect()
}

/// A histogram bin: `[from, to)` (`to` = `null` for the open last bin) and its count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub from: f64,
    pub to: Option<f64>,
    pub count: u64,
}

/// Counts `values` into bins with the given lower edges (ascending); values below the first edge
/// fall into the first bin.
pub fn histogram(values: impl IntoIterator<Item = f64>, edges: &[f64]) -> Vec<Bin> {
    let mut bins: Vec<Bin> =
        edges.iter().enumerate().map(|(i, &from)| Bin { from, to: edges.get(i + 1).copied(), count: 0 }).collect();
    if bins.is_empty() {
        return bins;
    }
    for v in values {
        // The edges at or below `v`, counted: with a dozen edges, a compare each and no branch,
        // where a binary search guessed wrong at about every other step (the order-value
        // histogram of the 100 MB `customer,date,amount` file places 3.9 million values).
        let i = edges.iter().filter(|&&e| e <= v).count().saturating_sub(1);
        bins[i].count += 1;
    }
    bins
}

/// Day-gap bins sellers read naturally: a week, two weeks, a month, two, three, half a year, a year.
pub const DAY_EDGES: [f64; 9] = [0.0, 8.0, 15.0, 31.0, 61.0, 91.0, 181.0, 366.0, 731.0];

/// A "nice" step (1, 2 or 5 × 10^k) near `raw`, for money bins and default thresholds.
pub fn nice_step(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || raw.is_infinite() {
        return 1.0;
    }
    let exp = raw.log10().floor();
    let base = 10f64.powf(exp);
    let m = raw / base;
    let nice = if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    };
    nice * base
}

/// Rounds a positive amount to two significant digits (default thresholds shown to sellers).
pub fn round_2sig(v: f64) -> f64 {
    if v.is_nan() || v <= 0.0 || v.is_infinite() {
        return 0.0;
    }
    let exp = v.log10().floor() - 1.0;
    let base = 10f64.powf(exp);
    (v / base).round() * base
}

/// Money bins for values whose 95th percentile is `p95`: ten nice-width bins covering up to it,
/// then an open bin.
pub fn money_edges_to(p95: f64) -> Vec<f64> {
    let step = nice_step(p95 / 10.0);
    (0..=10).map(|i| i as f64 * step).collect()
}

/// `a / b`, or `None` when `b` is zero.
pub fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// [`histogram`] of values sorted ascending: each bin's count is where its upper edge falls
/// minus where its lower one does, found by binary search instead of a search per value (the
/// spend distribution of two million customers).
pub fn histogram_sorted<T: Copy>(sorted: &[T], as_f64: impl Fn(T) -> f64, edges: &[f64]) -> Vec<Bin> {
    let mut bins = histogram(std::iter::empty(), edges);
    // Where the values reaching edge `j` start; the first bin also takes those below its edge.
    let start = |j: usize| match j {
        0 => 0,
        j if j >= edges.len() => sorted.len(),
        j => sorted.partition_point(|&x| as_f64(x) < edges[j]),
    };
    for (j, bin) in bins.iter_mut().enumerate() {
        bin.count = (start(j + 1) - start(j)) as u64;
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.5), Some(2.5));
        assert_eq!(quantile_sorted(&v, 0.25), Some(1.75));
        assert_eq!(quantile_sorted(&v, 1.0), Some(4.0));
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn histogram_edges() {
        let bins = histogram([0.0, 7.0, 8.0, 30.0, 1000.0], &DAY_EDGES);
        let counts: Vec<u64> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![2, 1, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!(bins.last().unwrap().to, None);
    }

    /// The same counts as value by value, with values on the edges, below the first and repeated.
    #[test]
    fn sorted_histogram_counts_as_the_plain_one() {
        let mut rng = crate::sample::Rng::new(5);
        for case in 0..300 {
            let mut values: Vec<i64> = (0..rng.below(60)).map(|_| rng.below(40) as i64 - 5).collect();
            values.sort_unstable();
            let edges: Vec<f64> = match case % 3 {
                0 => DAY_EDGES.to_vec(),
                1 => vec![0.0, 10.0, 20.0],
                _ => vec![3.0],
            };
            let plain = histogram(values.iter().map(|&v| v as f64), &edges);
            assert_eq!(histogram_sorted(&values, |v| v as f64, &edges), plain, "{values:?} {edges:?}");
        }
        assert!(histogram_sorted(&[1.0], |v| v, &[]).is_empty());
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_step(23.0), 20.0);
        assert_eq!(nice_step(0.7), 0.5);
        assert_eq!(nice_step(0.0), 1.0);
        assert_eq!(round_2sig(1234.0), 1200.0);
        assert_eq!(round_2sig(0.0), 0.0);
    }
}
