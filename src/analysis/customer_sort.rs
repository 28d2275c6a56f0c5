//! Putting the customers table's rows in the order of one of its columns.
//!
//! Two million customers are sorted each time the seller clicks a column, so no sort here compares
//! two customers through the table: each customer's value (or a few bytes of its key) is read once
//! into a 64-bit number beside its row, and those numbers are sorted.

use super::customer_query::SortKey;
use super::table::CustomerTable;
use crate::model::{Dataset, Interner};

/// Sorts `picked`, rows of `table`, by column `key` (customers without a value last, ties in table
/// order).
pub(super) fn sort(picked: &mut [u32], table: &CustomerTable, data: &Dataset, key: SortKey, descending: bool) {
    match sort_values(table, data, key, descending) {
        // In place: `picked` holds the order, with no list of the same size beside it.
        Some(value) => {
            if !packed_sort(picked, table.len(), &value) {
                triple_sort(picked, &value);
            }
        }
        None => text_sort(picked, table.len(), descending, |c| table.key(c as usize, data).as_bytes()),
    }
}

/// Each customer's value in a column other than the key, ordered as asked (`!v` reverses the
/// order of every `i64`); `None` for a customer without one. [`sort`] sorts by it with each
/// value read once, then moving integers in sequence: comparing through the table read two
/// customers' values at random places per comparison, and took 682–765 ms for the two million
/// customers of the 100 MB `customer,date,amount` file in Node's wasm. `None` for the key, which
/// is sorted as text ([`text_sort`]).
fn sort_values<'a>(
    table: &'a CustomerTable,
    data: &'a Dataset,
    key: SortKey,
    descending: bool,
) -> Option<Box<dyn Fn(u32) -> Option<i64> + 'a>> {
    type Value = fn(&CustomerTable, &Dataset, usize) -> Option<i64>;
    let value: Value = match key {
        SortKey::Region => {
            // A region is its place among the shop's regions in text order: a few dozen texts
            // sorted once, not two looked up per comparison.
            let rank = text_ranks(&data.regions);
            let region = move |c: u32| rank.get(table.region.get(c as usize) as usize).map(|&r| i64::from(r));
            return Some(Box::new(move |c| region(c).map(|v| if descending { !v } else { v })));
        }
        SortKey::Key => return None,
        SortKey::Net => |t, _, c| Some(t.spend.net(c).0),
        SortKey::FirstOrder => |t, d, c| Some(t.first_day(c, d)),
        SortKey::LastOrder => |t, d, c| Some(t.last_day(c, d)),
        SortKey::Orders => |t, _, c| Some(i64::from(t.orders(c))),
        SortKey::Gross => |t, _, c| Some(t.spend.gross(c).0),
        SortKey::AverageOrderValue => |t, _, c| Some(t.average_order_value(c).0),
        SortKey::Items => |t, _, c| Some(i64::from(t.items.get(c))),
        SortKey::RecencyDays => |t, d, c| Some(t.recency_days(c, d)),
        SortKey::DaysToSecond => |t, d, c| t.days_to_second(c, d),
        SortKey::Rfm => |t, _, c| {
            let s = &t.scores;
            Some(i64::from(s.r[c]) << 16 | i64::from(s.f[c]) << 8 | i64::from(s.m[c]))
        },
    };
    Some(Box::new(move |c: u32| value(table, data, c as usize).map(|v| if descending { !v } else { v })))
}

/// Each id's place when the interned texts are sorted (byte order is UTF-8's code point order).
fn text_ranks(texts: &Interner) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..texts.len() as u32).collect();
    ids.sort_unstable_by(|&a, &b| texts.get(a).cmp(&texts.get(b)));
    let mut rank = vec![0; ids.len()];
    for (place, &id) in ids.iter().enumerate() {
        rank[id as usize] = place as u32;
    }
    rank
}

/// Sorts `picked` (rows below `rows`) by `text` in byte order, ties in table order, as 64-bit
/// numbers: the first few bytes of a customer's text above its row, then, within each run of
/// customers whose bytes so far are equal, the next few bytes, and so on. Comparing whole texts
/// read two customers' keys at random places per comparison: 1.95 s for the two million
/// customers of the 100 MB `customer,date,amount` file in Node's wasm.
fn text_sort<'a>(picked: &mut [u32], rows: usize, descending: bool, text: impl Fn(u32) -> &'a [u8]) {
    let row_bits = (usize::BITS - rows.leading_zeros()).clamp(1, 32);
    let sort = TextSort { row_bits, width: (64 - row_bits as usize) / 8, descending, text };
    let mut keyed: Vec<u64> = picked.iter().map(|&c| u64::from(c)).collect();
    sort.from(&mut keyed, 0);
    for (c, k) in picked.iter_mut().zip(keyed) {
        *c = sort.row(k);
    }
}

/// How [`text_sort`] packs texts: `width` bytes (4 to 7) of text above `row_bits` of row.
struct TextSort<F> {
    row_bits: u32,
    width: usize,
    descending: bool,
    text: F,
}

impl<'a, F: Fn(u32) -> &'a [u8]> TextSort<F> {
    /// Past this many bytes, runs still equal are sorted by comparing their texts whole: such
    /// keys are rare, and the passes stay few.
    const DEEPEST: usize = 64;

    fn row(&self, k: u64) -> u32 {
        (k & ((1 << self.row_bits) - 1)) as u32
    }

    /// The text's bytes `at..at + width`, zero-padded and big-endian, so that a text's number
    /// never exceeds that of a text after it.
    fn word(&self, text: &[u8], at: usize) -> u64 {
        let bytes = text.get(at..).unwrap_or_default();
        let word = bytes.iter().take(self.width).fold(0u64, |w, &b| w << 8 | u64::from(b));
        let word = word << (8 * (self.width - bytes.len().min(self.width)));
        if self.descending {
            !word & ((1 << (8 * self.width)) - 1)
        } else {
            word
        }
    }

    /// Sorts `keyed`, whose texts are equal before byte `at`, by the rest of their texts.
    fn from(&self, keyed: &mut [u64], at: usize) {
        for k in keyed.iter_mut() {
            let c = self.row(*k);
            *k = self.word((self.text)(c), at) << self.row_bits | u64::from(c);
        }
        keyed.sort_unstable();
        let next = at + self.width;
        for run in keyed.chunk_by_mut(|a, b| a >> self.row_bits == b >> self.row_bits).filter(|run| run.len() > 1) {
            let lengths = run.iter().map(|&k| (self.text)(self.row(k)).len());
            let (shortest, longest) = lengths.fold((usize::MAX, 0), |(s, l), n| (s.min(n), l.max(n)));
            if longest > next && next < Self::DEEPEST {
                self.from(run, next);
            } else if longest > next || shortest != longest {
                // Beyond the deepest pass, or texts that differ only by trailing zero bytes;
                // texts equal and of equal length are already in table order.
                self.whole(run);
            }
        }
    }

    /// Sorts `keyed` by comparing whole texts.
    fn whole(&self, keyed: &mut [u64]) {
        keyed.sort_unstable_by(|&a, &b| {
            let (a, b) = (self.row(a), self.row(b));
            let by_text = (self.text)(a).cmp((self.text)(b));
            (if self.descending { by_text.reverse() } else { by_text }).then(a.cmp(&b))
        });
    }
}

/// Sorts `picked` (rows below `rows`) by `value`, customers without one last and ties in table
/// order, each customer as one 64-bit number: no value in the top bit, then the value above the
/// lowest, then the row. Half the memory of [`triple_sort`]'s keys (16 MB for two million
/// customers, not 32). `false`, with `picked` untouched, if the values span more than the bits
/// left (any shop's amounts fit).
fn packed_sort(picked: &mut [u32], rows: usize, value: &impl Fn(u32) -> Option<i64>) -> bool {
    let (low, high) =
        picked.iter().filter_map(|&c| value(c)).fold((i64::MAX, i64::MIN), |(l, h), v| (l.min(v), h.max(v)));
    let row_bits = usize::BITS - rows.leading_zeros();
    let span = if low <= high { (i128::from(high) - i128::from(low)) as u128 } else { 0 };
    if row_bits > 32 || span >= 1u128 << (63 - row_bits) {
        return false;
    }
    let mut keyed: Vec<u64> = picked
        .iter()
        .map(|&c| match value(c) {
            Some(v) => ((i128::from(v) - i128::from(low)) as u64) << row_bits | u64::from(c),
            None => 1 << 63 | u64::from(c),
        })
        .collect();
    keyed.sort_unstable();
    let row = (1u64 << row_bits) - 1;
    for (c, k) in picked.iter_mut().zip(keyed) {
        *c = (k & row) as u32;
    }
    true
}

/// Sorts `picked` by `value` as [`packed_sort`] does, through (no value, value, row) triples: any
/// values.
fn triple_sort(picked: &mut [u32], value: &impl Fn(u32) -> Option<i64>) {
    let mut keyed: Vec<(bool, i64, u32)> =
        picked.iter().map(|&c| value(c).map_or((true, 0, c), |v| (false, v, c))).collect();
    keyed.sort_unstable();
    for (c, (_, _, row)) in picked.iter_mut().zip(keyed) {
        *c = row;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::customer_query::tests::larger_shop;

    /// Customers packed into 64-bit numbers sort as (no value, value, row) triples do, and values
    /// too far apart for the bits left are refused rather than cut.
    #[test]
    fn packed_and_triple_sorts_agree() {
        let (data, report) = larger_shop();
        let t = &report.table;
        let picked: Vec<u32> = (0..t.len() as u32).rev().step_by(2).collect();
        use SortKey::*;
        // Every column but the key, which is text.
        let numbers = [FirstOrder, LastOrder, Orders, Gross, Net, AverageOrderValue, Items];
        for sort in numbers.into_iter().chain([RecencyDays, DaysToSecond, Rfm, Region]) {
            for descending in [false, true] {
                let value = sort_values(t, &data, sort, descending).expect("a numeric column");
                let (mut packed, mut triples) = (picked.clone(), picked.clone());
                assert!(packed_sort(&mut packed, t.len(), &value), "the shop's values fit");
                triple_sort(&mut triples, &value);
                assert_eq!(packed, triples, "{sort:?} descending {descending}");
            }
        }
        let far = |c: u32| Some(if c % 2 == 0 { i64::MIN } else { i64::MAX });
        let mut rows = [0, 1, 2];
        assert!(!packed_sort(&mut rows, 3, &far));
        assert_eq!(rows, [0, 1, 2], "left as it was");
        triple_sort(&mut rows, &far);
        assert_eq!(rows, [0, 2, 1]);
        let wide = |c: u32| Some(i64::from(c) << 45);
        let mut rows = [3, 1, 2];
        assert!(packed_sort(&mut rows, 4, &wide));
        assert_eq!(rows, [1, 2, 3]);
        let mut rows = [3, 1, 2];
        assert!(!packed_sort(&mut rows, 1 << 20, &wide), "a span of 2^46 and 21 bits of rows do not fit in 63");
        assert_eq!(rows, [3, 1, 2]);
    }

    /// Texts over a two-letter alphabet, many of them sharing their first eight bytes, some
    /// equal and some a prefix of others, sort as whole texts do, either way up.
    #[test]
    fn text_sort_orders_whole_texts_beyond_eight_bytes() {
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed >> 16
        };
        let texts: Vec<Vec<u8>> = (0..2_000)
            .map(|_| {
                let len = next() % 13;
                (0..len).map(|_| if next() % 4 == 0 { b'b' } else { b'a' }).collect()
            })
            .chain([vec![], b"a\0".to_vec(), b"a".to_vec(), "中文".as_bytes().to_vec()])
            .chain(
                ["x".repeat(70), "x".repeat(80), format!("{}y", "x".repeat(70)), "x".repeat(70)]
                    .map(String::into_bytes),
            )
            .chain([format!("{}b", "z".repeat(69)), format!("{}a", "z".repeat(69))].map(String::into_bytes))
            .collect();
        let long_runs = texts.iter().filter(|t| t.len() > 8 && t.starts_with(b"aaaaaaaa")).count();
        assert!(long_runs > 10, "texts longer than eight bytes share their first eight");
        // Rows of 11 bits leave six bytes of text a pass, rows of 32 bits four.
        for rows in [texts.len(), 1 << 31] {
            for descending in [false, true] {
                let mut picked: Vec<u32> = (0..texts.len() as u32).filter(|c| c % 3 != 1 || *c >= 2_000).collect();
                let mut expected = picked.clone();
                expected.sort_by(|&a, &b| {
                    let by_text = texts[a as usize].cmp(&texts[b as usize]);
                    (if descending { by_text.reverse() } else { by_text }).then(a.cmp(&b))
                });
                text_sort(&mut picked, rows, descending, |c| &texts[c as usize]);
                assert_eq!(picked, expected, "rows {rows} descending {descending}");
            }
        }
    }
}
