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
    picked.sort_by(|&a, &b| {
        let (x, y) = (a as usize, b as usize);
        // Customers without a value (one-time buyers have no second order) come last either way up.
        let by_value = match (has_value(table, data, x, key), has_value(table, data, y, key)) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ if query.descending => compare(table, data, y, x, key),
            _ => compare(table, data, x, y, key),
        };
        by_value.then(a.cmp(&b))
    });
    picked
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

fn has_value(t: &CustomerTable, data: &Dataset, c: usize, key: SortKey) -> bool {
    match key {
        SortKey::DaysToSecond => t.days_to_second(c, data).is_some(),
        SortKey::Region => t.region.get(c) != NONE,
        _ => true,
    }
}

fn compare(t: &CustomerTable, data: &Dataset, a: usize, b: usize, key: SortKey) -> Ordering {
    let region = |c: usize| data.regions.get(t.region.get(c));
    match key {
        SortKey::Key => t.key(a, data).cmp(t.key(b, data)),
        SortKey::FirstOrder => t.first_day(a, data).cmp(&t.first_day(b, data)),
        SortKey::LastOrder => t.last_day(a, data).cmp(&t.last_day(b, data)),
        SortKey::Orders => t.orders(a).cmp(&t.orders(b)),
        SortKey::Gross => t.gross[a].cmp(&t.gross[b]),
        SortKey::Net => t.net[a].cmp(&t.net[b]),
        SortKey::AverageOrderValue => t.average_order_value(a).cmp(&t.average_order_value(b)),
        SortKey::Items => t.items[a].cmp(&t.items[b]),
        SortKey::RecencyDays => t.recency_days(a, data).cmp(&t.recency_days(b, data)),
        SortKey::DaysToSecond => t.days_to_second(a, data).cmp(&t.days_to_second(b, data)),
        SortKey::Rfm => {
            let s = &t.scores;
            (s.r[a], s.f[a], s.m[a]).cmp(&(s.r[b], s.f[b], s.m[b]))
        }
        SortKey::Region => region(a).cmp(&region(b)),
    }
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

    fn keys(table: &CustomerTable, data: &Dataset, picked: &[u32]) -> Vec<String> {
        picked.iter().map(|&c| table.key(c as usize, data).to_string()).collect()
    }

    /// The same query answered the slow way, on rows turned into text.
    fn reference(rows: &[CustomerRow], q: &CustomerQuery) -> Vec<u32> {
        let value = |c: &CustomerRow| -> Option<String> {
            Some(match q.sort {
                SortKey::Key => c.key.clone(),
                SortKey::FirstOrder => c.first_order.clone(),
                SortKey::LastOrder => c.last_order.clone(),
                SortKey::Orders => format!("{:012}", c.orders),
                SortKey::Gross => format!("{:020}", c.gross.0),
                SortKey::Net => format!("{:020}", c.net.0),
                SortKey::AverageOrderValue => format!("{:020}", c.average_order_value.0),
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
