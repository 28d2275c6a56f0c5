//! Filtering and searching the customers table, in the order of one of its columns (sorted by
//! `customer_sort`).
//!
//! The page shows half a million customers through a window of a few dozen rows, so it never holds
//! the table: it sends a [`CustomerQuery`] and asks for slices of the resulting order. The order is
//! a list of row indices, computed once per query and cheap to slice.

use super::customer_sort;
use super::table::CustomerTable;
use crate::model::{Dataset, Interner, NONE};
use memchr::memmem;
use serde::Deserialize;

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
    let needle = Needle::new(&query.search);
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
                && needle.as_ref().map_or(true, |n| matches_search(table, data, c, n))
        })
        .map(|c| c as u32)
        .collect();
    customer_sort::sort(&mut picked, table, data, query.sort, query.descending);
    picked
}

fn matches_search(table: &CustomerTable, data: &Dataset, c: usize, needle: &Needle) -> bool {
    let hit = |text: &str| needle.is_in(text);
    let named = |interner: &Interner, id: u32| id != NONE && interner.get(id).is_some_and(hit);
    hit(table.key(c, data))
        || named(&data.products, table.first_product.get(c))
        || named(&data.products, table.top_product.get(c))
        || named(&data.regions, table.region.get(c))
}

/// What a seller searches for, lower-cased, and how it is looked for in each customer's texts,
/// decided once per search: a search in Chinese of the 100 MB Taobao-style file's 290,000
/// customers took 188–198 ms in Node's wasm when every product name was lower-cased into a new
/// string to be searched.
struct Needle {
    text: String,
    how: Match,
}

enum Match {
    /// No letter with case (Chinese, digits): the bytes themselves.
    Exact(Box<memmem::Finder<'static>>),
    /// Letters with case, all ASCII: byte by byte, ignoring ASCII case. In UTF-8 an ASCII byte is
    /// always a whole character, so this holds in Chinese text too.
    AsciiCase,
    /// Other letters with case (`É`, `Д`): in the text lower-cased.
    Lower,
}

impl Needle {
    /// `None` for an empty search, which matches everyone.
    fn new(search: &str) -> Option<Needle> {
        let text = search.trim().to_lowercase();
        let caseless = |c: char| c.to_uppercase().eq([c]) && c.to_lowercase().eq([c]);
        let how = if text.chars().all(caseless) {
            Match::Exact(Box::new(memmem::Finder::new(text.as_bytes()).into_owned()))
        } else if text.chars().all(|c| c.is_ascii() || caseless(c)) {
            Match::AsciiCase
        } else {
            Match::Lower
        };
        (!text.is_empty()).then_some(Needle { text, how })
    }

    /// Whether `hay` holds the search, ignoring case. (Where no lower-cased copy is made, the few
    /// characters whose lower case is ASCII, such as the Kelvin sign, are not found by it.)
    fn is_in(&self, hay: &str) -> bool {
        let (h, n) = (hay.as_bytes(), self.text.as_bytes());
        match &self.how {
            Match::Exact(finder) => finder.find(h).is_some(),
            Match::AsciiCase => n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n)),
            Match::Lower => hay.to_lowercase().contains(&self.text),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::analysis::table::CustomerRow;
    use crate::report::Report;
    use std::cmp::Ordering;

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
    pub(in crate::analysis) fn larger_shop() -> (Dataset, Report) {
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
                SortKey::Key => c.key.to_string(),
                SortKey::FirstOrder => c.first_order.to_string(),
                SortKey::LastOrder => c.last_order.to_string(),
                SortKey::Orders => format!("{:012}", c.orders),
                SortKey::Gross => signed(c.gross.0),
                SortKey::Net => signed(c.net.0),
                SortKey::AverageOrderValue => signed(c.average_order_value.0),
                SortKey::Items => format!("{:012}", c.items),
                SortKey::RecencyDays => format!("{:012}", c.recency_days),
                SortKey::DaysToSecond => format!("{:012}", c.days_to_second?),
                SortKey::Rfm => format!("{}{}{}", c.r, c.f, c.m),
                SortKey::Region => c.region?.to_string(),
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
        assert_eq!(found("250G"), ["小王"], "Latin case ignored within Chinese text");
        assert_eq!(found("  小王 "), ["小王"]);
        assert_eq!(found("anhui"), ["carol"]);
        assert!(found("nobody").is_empty());
        assert_eq!(found("茶 250G"), ["小王"], "Chinese and Latin letters in one search");
    }

    /// Each way of looking for a search finds what lower-casing both would, and no more.
    #[test]
    fn case_is_ignored_with_and_without_lower_casing_the_text() {
        let is_in = |hay: &str, search: &str| Needle::new(search).expect("a search").is_in(hay);
        assert!(matches!(Needle::new("乌龙 250").map(|n| n.how), Some(Match::Exact(_))));
        assert!(matches!(Needle::new("茶 250G").map(|n| n.how), Some(Match::AsciiCase)));
        assert!(matches!(Needle::new("Évian").map(|n| n.how), Some(Match::Lower)));
        assert!(Needle::new("  ").is_none());
        assert!(is_in("乌龙茶 250G", "茶 250g") && is_in("乌龙茶 250g", "茶 250G"));
        assert!(is_in("GREEN Tea", "green TEA"));
        assert!(is_in("广东省 深圳市", "深圳") && !is_in("乌龙茶", "龙井"));
        assert!(is_in("Évian Water", "éVIAN"), "an accented capital, lower-cased");
        assert!(!is_in("Evian", "évian"));
        assert!(is_in("ПРИВЕТ", "привет"));
        assert!(!is_in("ab", "abc"));
    }
}
