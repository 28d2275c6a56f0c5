//! Filtering, searching and sorting the customers table.
//!
//! The page shows half a million customers through a window of a few dozen rows, so it never holds
//! the table: it sends a [`CustomerQuery`] and asks for slices of the resulting order. The order is
//! a list of row indices, computed once per query and cheap to slice.

use super::table::CustomerTable;
use crate::model::{Dataset, Interner, NONE};
use serde::Deserialize;
use std::cmp::Ordering;

/// Which customers to list and in what order. Empty filters match everyone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CustomerQuery {
    pub segment: Option<String>,
    pub cn_class: Option<String>,
    pub stage: Option<String>,
    pub tier: Option<String>,
    pub level: Option<String>,
    /// Part of the customer key, first or top product or region; case-insensitive for Latin text.
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
}

/// A column of the customers table to sort by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    Key,
    FirstOrder,
    LastOrder,
    Orders,
    Gross,
    #[default]
    Net,
    AverageOrderValue,
    Items,
    RecencyDays,
    DaysToSecond,
    Rfm,
    Region,
}

/// Rows of `table` matching `query`, in its order (ties keep table order).
pub fn select(table: &CustomerTable, data: &Dataset, query: &CustomerQuery) -> Vec<u32> {
    let needle = query.search.trim().to_lowercase();
    let wanted = |filter: &Option<String>, value: &str| {
        matches!(filter.as_deref(), None | Some("")) || filter.as_deref() == Some(value)
    };
    let mut picked: Vec<u32> = (0..table.len())
        .filter(|&c| {
            wanted(&query.segment, table.segment(c))
                && wanted(&query.cn_class, table.cn_class(c))
                && wanted(&query.stage, table.stage(c))
                && wanted(&query.tier, table.tier(c))
                && wanted(&query.level, table.level(c))
                && (needle.is_empty() || matches_search(table, data, c, &needle))
        })
        .map(|c| c as u32)
        .collect();
    let key = query.sort;
    if let Some(value) = sort_values(table, data, key, query.descending) {
        // In place: `picked` holds the order, with no list of the same size beside it.
        if !packed_sort(&mut picked, table.len(), &value) {
            triple_sort(&mut picked, &value);
        }
        return picked;
    }
    // A text column, compared through the table: customers without a region come last.
    let up = |o: Ordering| if query.descending { o.reverse() } else { o };
    if key == SortKey::Region {
        let region = |c: u32| data.regions.get(table.region.get(c as usize));
        picked.sort_by(|&a, &b| {
            let by_value = match (region(a), region(b)) {
                (Some(x), Some(y)) => up(x.cmp(y)),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_value.then(a.cmp(&b))
        });
    } else {
        picked.sort_by(|&a, &b| up(table.key(a as usize, data).cmp(table.key(b as usize, data))).then(a.cmp(&b)));
    }
    picked
}

/// Each customer's value in a numeric column, ordered as asked (`!v` reverses the order of every
/// `i64`); `None` for a customer without one. `None` for the text columns. [`select`] sorts by it
/// with each value read once, then moving integers in sequence: comparing through the table read
/// two customers' values at random places per comparison, and took 682–765 ms for the two million
/// customers of the 100 MB `customer,date,amount` file in Node's wasm.
fn sort_values<'a>(
    table: &'a CustomerTable,
    data: &'a Dataset,
    key: SortKey,
    descending: bool,
) -> Option<impl Fn(u32) -> Option<i64> + 'a> {
    type Value = fn(&CustomerTable, &Dataset, usize) -> Option<i64>;
    let value: Value = match key {
        SortKey::Key | SortKey::Region => return None,
        SortKey::FirstOrder => |t, d, c| Some(t.first_day(c, d)),
        SortKey::LastOrder => |t, d, c| Some(t.last_day(c, d)),
        SortKey::Orders => |t, _, c| Some(i64::from(t.orders(c))),
        SortKey::Gross => |t, _, c| Some(t.gross[c].0),
        SortKey::Net => |t, _, c| Some(t.net[c].0),
        SortKey::AverageOrderValue => |t, _, c| Some(t.average_order_value(c).0),
        SortKey::Items => |t, _, c| Some(i64::from(t.items[c])),
        SortKey::RecencyDays => |t, d, c| Some(t.recency_days(c, d)),
        SortKey::DaysToSecond => |t, d, c| t.days_to_second(c, d),
        SortKey::Rfm => |t, _, c| {
            let s = &t.scores;
            Some(i64::from(s.r[c]) << 16 | i64::from(s.f[c]) << 8 | i64::from(s.m[c]))
        },
    };
    Some(move |c: u32| value(table, data, c as usize).map(|v| if descending { !v } else { v }))
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

fn matches_search(table: &CustomerTable, data: &Dataset, c: usize, needle: &str) -> bool {
    let hit = |text: &str| contains_ignore_case(text, needle);
    let named = |interner: &Interner, id: u32| id != NONE && interner.get(id).is_some_and(hit);
    hit(table.key(c, data))
        || named(&data.products, table.first_product.get(c))
        || named(&data.products, table.top_product.get(c))
        || named(&data.regions, table.region.get(c))
}

/// `needle` (already lower-case) in `hay`, ignoring case without allocating for ASCII text.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::table::CustomerRow;
    use crate::report::Report;

    const SHOP: &str = "customer,date,amount,product,region
Alice@Example.com,2024-01-05,50,Green Tea,Zhejiang
bob@example.com,2024-01-10,100,,
bob@example.com,2024-01-22,100,,Beijing
小王,2024-02-01,120,乌龙茶 250g,
小王,2024-02-04,80,乌龙茶 250g,
carol,2023-03-01,10,,Anhui
dave,2023-06-01,50,Green Tea,
";

    fn shop() -> (Dataset, Report) {
        let (data, import) = crate::ingest::import_files(&[("shop.csv", SHOP.as_bytes())], Default::default())
            .expect("the test shop imports");
        let report = crate::analysis::analyze(&data, &import, &Default::default()).expect("analyses");
        (data, report)
    }

    /// The made-up shop of 300 customers: ties in every column, one-time buyers without a second
    /// order.
    fn larger_shop() -> (Dataset, Report) {
        let csv = crate::sample::SampleShop { customers: 300, ..Default::default() }.taobao_csv();
        let (data, import) =
            crate::ingest::import_files(&[("shop.csv", csv.as_bytes())], Default::default()).expect("imports");
        let report = crate::analysis::analyze(&data, &import, &Default::default()).expect("analyses");
        (data, report)
    }

    fn keys(table: &CustomerTable, data: &Dataset, picked: &[u32]) -> Vec<String> {
        picked.iter().map(|&c| table.key(c as usize, data).to_string()).collect()
    }

    /// The same query answered the slow way, on rows turned into text.
    fn reference(rows: &[CustomerRow], q: &CustomerQuery) -> Vec<u32> {
        // Amounts may be negative: shifted to sort as text.
        let signed = |v: i64| format!("{:020}", i128::from(v) - i128::from(i64::MIN));
        let value = |c: &CustomerRow| -> Option<String> {
            Some(match q.sort {
                SortKey::Key => c.key.clone(),
                SortKey::FirstOrder => c.first_order.clone(),
                SortKey::LastOrder => c.last_order.clone(),
                SortKey::Orders => format!("{:012}", c.orders),
                SortKey::Gross => signed(c.gross.0),
                SortKey::Net => signed(c.net.0),
                SortKey::AverageOrderValue => signed(c.average_order_value.0),
                SortKey::Items => format!("{:012}", c.items),
                SortKey::RecencyDays => format!("{:012}", c.recency_days),
                SortKey::DaysToSecond => format!("{:012}", c.days_to_second?),
                SortKey::Rfm => format!("{}{}{}", c.r, c.f, c.m),
                SortKey::Region => c.region.clone()?,
            })
        };
        let mut picked: Vec<u32> = (0..rows.len() as u32)
            .filter(|&i| q.segment.as_deref().map_or(true, |s| s == rows[i as usize].segment))
            .collect();
        picked.sort_by(|&a, &b| {
            let (x, y) = (value(&rows[a as usize]), value(&rows[b as usize]));
            let by_value = match (x, y) {
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (x, y) if q.descending => y.cmp(&x),
                (x, y) => x.cmp(&y),
            };
            by_value.then(a.cmp(&b))
        });
        picked
    }

    #[test]
    fn every_sort_agrees_with_sorting_the_rows_as_text() {
        let (data, report) = shop();
        let rows = report.table.rows(&data);
        assert_eq!(rows.len(), 5);
        use SortKey::*;
        let sorts = [Key, FirstOrder, LastOrder, Orders, Gross, Net, AverageOrderValue, Items, RecencyDays];
        for sort in sorts.into_iter().chain([DaysToSecond, Rfm, Region]) {
            for descending in [false, true] {
                let q = CustomerQuery { sort, descending, ..Default::default() };
                assert_eq!(select(&report.table, &data, &q), reference(&rows, &q), "{sort:?} descending {descending}");
            }
        }
    }

    /// A shop of 300 customers has ties in every column and one-time buyers without a second
    /// order: each sort, either way up, with and without a filter, agrees with the rows sorted as
    /// text.
    #[test]
    fn sorts_of_a_larger_shop_agree_with_the_rows_sorted_as_text() {
        let (data, report) = larger_shop();
        let rows = report.table.rows(&data);
        assert!(rows.iter().any(|r| r.days_to_second.is_none()) && rows.iter().any(|r| r.days_to_second.is_some()));
        use SortKey::*;
        let sorts = [Key, FirstOrder, LastOrder, Orders, Gross, Net, AverageOrderValue, Items, RecencyDays];
        let segment = Some(rows[0].segment.to_string());
        for sort in sorts.into_iter().chain([DaysToSecond, Rfm, Region]) {
            for descending in [false, true] {
                for segment in [None, segment.clone()] {
                    let q = CustomerQuery { sort, descending, segment, ..Default::default() };
                    assert_eq!(select(&report.table, &data, &q), reference(&rows, &q), "{q:?}");
                }
            }
        }
    }

    /// Customers packed into 64-bit numbers sort as (no value, value, row) triples do, and values
    /// too far apart for the bits left are refused rather than cut.
    #[test]
    fn packed_and_triple_sorts_agree() {
        let (data, report) = larger_shop();
        let t = &report.table;
        let picked: Vec<u32> = (0..t.len() as u32).rev().step_by(2).collect();
        use SortKey::*;
        for sort in
            [FirstOrder, LastOrder, Orders, Gross, Net, AverageOrderValue, Items, RecencyDays, DaysToSecond, Rfm]
        {
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

    #[test]
    fn net_spend_descending_ties_in_table_order() {
        let (data, report) = shop();
        let q = CustomerQuery { descending: true, ..Default::default() };
        // bob and 小王 both spent 200; bob comes first in the table.
        let got = keys(&report.table, &data, &select(&report.table, &data, &q));
        assert_eq!(got, ["bob@example.com", "小王", "Alice@Example.com", "dave", "carol"]);
    }

    #[test]
    fn filters_combine_and_empty_filters_match_all() {
        let (data, report) = shop();
        let t = &report.table;
        let segment = t.segment(0).to_string();
        let q = CustomerQuery { segment: Some(segment.clone()), stage: Some(String::new()), ..Default::default() };
        let want: Vec<u32> = (0..t.len() as u32).filter(|&c| t.segment(c as usize) == segment).collect();
        assert!(!want.is_empty());
        assert_eq!(select(t, &data, &q), want);
        let none = CustomerQuery { segment: Some(segment), stage: Some("no such stage".into()), ..Default::default() };
        assert!(select(t, &data, &none).is_empty());
    }

    #[test]
    fn search_ignores_latin_case_and_finds_chinese_products_and_regions() {
        let (data, report) = shop();
        let q = |s: &str| CustomerQuery { search: s.into(), sort: SortKey::Key, ..Default::default() };
        let found = |s: &str| keys(&report.table, &data, &select(&report.table, &data, &q(s)));
        assert_eq!(found("EXAMPLE"), ["Alice@Example.com", "bob@example.com"]);
        assert_eq!(found("green tea"), ["Alice@Example.com", "dave"]);
        assert_eq!(found("乌龙"), ["小王"]);
        assert_eq!(found("  小王 "), ["小王"]);
        assert_eq!(found("anhui"), ["carol"]);
        assert!(found("nobody").is_empty());
    }
}
