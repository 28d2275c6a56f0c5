//! Values at given ranks of a list too big to copy and sort.
//!
//! The order-value distribution wants five quantiles of every valid order's amount. Sorting a
//! copy of them held 8 bytes an order at the report's peak (41 MB for the 1 GB Taobao-style
//! file), and the page's wasm memory never shrinks from a peak. Here the values are counted into
//! buckets that each hold the values within 1/4096 of one another, the buckets holding the ranks
//! are found, and only the distinct values falling in those few buckets are kept and sorted.

use rustc_hash::FxHashMap;

/// Significant bits a bucket keeps below a value's top bit: values under `2 << MANTISSA` have a
/// bucket each.
const MANTISSA: u32 = 12;
/// Buckets for values ≥ 0; as many again for negative ones.
const HALF: usize = (64 - MANTISSA as usize + 1) << MANTISSA;

/// The bucket of `u`, in order: `u` itself below `2 << MANTISSA`, then one per value of its top
/// `MANTISSA + 1` bits.
fn magnitude_bucket(u: u64) -> usize {
    if u < 2 << MANTISSA {
        return u as usize;
    }
    let top = 63 - u.leading_zeros();
    let mantissa = (u >> (top - MANTISSA)) as usize & ((1 << MANTISSA) - 1);
    (((top - MANTISSA) as usize + 1) << MANTISSA) + mantissa
}

/// `v`'s bucket: buckets are in the values' order, negative values first.
fn bucket(v: i64) -> usize {
    if v >= 0 {
        HALF + magnitude_bucket(v as u64)
    } else {
        // `!v` is `-v - 1`: the most negative value's magnitude too fits.
        HALF - 1 - magnitude_bucket(!v as u64)
    }
}

/// The values at `ranks` (0-based positions in ascending order, each below the number of values),
/// in the order asked. Reads `values` twice, holding a count per bucket (1.7 MB) and the distinct
/// values of the buckets holding a rank.
pub fn values_at_ranks(values: impl Iterator<Item = i64> + Clone, ranks: &[usize]) -> Vec<i64> {
    let mut counts = vec![0u32; 2 * HALF];
    for v in values.clone() {
        counts[bucket(v)] += 1;
    }
    // Each asked rank's bucket, and how many values come before that bucket.
    let mut asked: Vec<(usize, usize)> = ranks.iter().map(|&r| (r, 0)).collect();
    asked.sort_unstable();
    let mut wanted: FxHashMap<usize, usize> = FxHashMap::default();
    let (mut b, mut before) = (0usize, 0usize);
    for (rank, bucket_of) in &mut asked {
        while b < counts.len() && before + counts[b] as usize <= *rank {
            before += counts[b] as usize;
            b += 1;
        }
        *bucket_of = b;
        wanted.insert(b, before);
    }
    // The distinct values of the wanted buckets, with how often each comes. The counts become
    // each bucket's place among the wanted ones plus one (0: not wanted), so that the values of
    // all the other buckets are passed over by an index rather than a hash lookup each.
    let wanted_buckets: Vec<usize> = wanted.keys().copied().collect();
    counts.fill(0);
    for (k, &b) in wanted_buckets.iter().enumerate() {
        // A rank past the end (which callers do not ask) has no bucket.
        if let Some(mark) = counts.get_mut(b) {
            *mark = k as u32 + 1;
        }
    }
    let mut found: Vec<FxHashMap<i64, u32>> = vec![FxHashMap::default(); wanted_buckets.len()];
    for v in values {
        if let Some(k) = (counts[bucket(v)] as usize).checked_sub(1) {
            *found[k].entry(v).or_insert(0) += 1;
        }
    }
    drop(counts);
    let sorted: FxHashMap<usize, Vec<(i64, u32)>> = wanted_buckets
        .into_iter()
        .zip(found)
        .map(|(b, seen)| {
            let mut list: Vec<(i64, u32)> = seen.into_iter().collect();
            list.sort_unstable();
            (b, list)
        })
        .collect();
    ranks
        .iter()
        .map(|&rank| {
            let b = asked.iter().find(|a| a.0 == rank).map_or(0, |a| a.1);
            let mut at = wanted.get(&b).copied().unwrap_or(0);
            for &(v, n) in sorted.get(&b).into_iter().flatten() {
                at += n as usize;
                if at > rank {
                    return v;
                }
            }
            // Only for a rank past the end, which callers do not ask.
            0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_keep_the_values_order() {
        let probes =
            [i64::MIN, -1 << 40, -8193, -8192, -4097, -2, -1, 0, 1, 4095, 4096, 8191, 8192, 8193, 1 << 40, i64::MAX];
        for w in probes.windows(2) {
            assert!(bucket(w[0]) <= bucket(w[1]), "{} then {}", w[0], w[1]);
        }
        assert!(bucket(i64::MAX) < 2 * HALF);
        // Small values have a bucket each.
        assert!(bucket(8190) < bucket(8191) && bucket(-8191) < bucket(-8190));
    }

    /// A rank past the end is not asked by callers; asked anyway, it gives 0 and the others
    /// stay right.
    #[test]
    fn a_rank_past_the_end_does_no_harm() {
        assert_eq!(values_at_ranks([30, 10, 20].into_iter(), &[1, 3, 0]), vec![20, 0, 10]);
    }

    /// Against a sorted copy: duplicates, negatives, an outlier far above the rest, and values
    /// sharing buckets.
    #[test]
    fn ranks_read_as_from_a_sorted_copy() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let lists: Vec<Vec<i64>> = vec![
            (0..5000).map(|_| (next() % 2_000_000) as i64 * 100).collect(),
            (0..5000).map(|_| (next() % 50) as i64 * 10_000 - 200_000).collect(),
            (0..3000).map(|_| 990_000).chain([i64::MAX, i64::MIN, 0]).collect(),
            (0..4000).map(|_| next() as i64).collect(),
            vec![7],
        ];
        for values in lists {
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let n = values.len();
            let ranks = [0, n / 4, n / 2, n / 2, (n * 9) / 10, n - 1];
            let want: Vec<i64> = ranks.iter().map(|&r| sorted[r]).collect();
            assert_eq!(values_at_ranks(values.iter().copied(), &ranks), want, "{n} values");
        }
    }
}
