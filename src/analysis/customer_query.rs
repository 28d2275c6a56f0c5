//! Filtering, searching and sorting the customers table.
//!
//! The page shows half a million customers through a window of a few dozen rows, so it never holds
//! the table: it sends a [`CustomerQuery`] and asks for slices of the resulting order. The order is
//! a list of row indices, computed once per query and cheap to slice.

use super::table::CustomerRow;
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

/// Indices into `rows` of the customers matching `query`, in its order (ties keep table order).
pub fn select(rows: &[CustomerRow], query: &CustomerQuery) -> Vec<u32> {
    let needle = query.search.trim().to_lowercase();
    let wanted = |filter: &Option<String>, value: &str| {
        matches!(filter.as_deref(), None | Some("")) || filter.as_deref() == Some(value)
    };
    let mut picked: Vec<u32> = rows
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            wanted(&query.segment, c.segment)
                && wanted(&query.cn_class, c.cn_class)
                && wanted(&query.stage, c.stage)
                && wanted(&query.tier, c.tier)
                && wanted(&query.level, c.level)
                && (needle.is_empty() || matches_search(c, &needle))
        })
        .map(|(i, _)| i as u32)
        .collect();
    picked.sort_by(|&a, &b| {
        let (x, y) = (&rows[a as usize], &rows[b as usize]);
        // Customers without a value (one-time buyers have no second order) come last either way up.
        let by_value = match (has_value(x, query.sort), has_value(y, query.sort)) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ if query.descending => compare(y, x, query.sort),
            _ => compare(x, y, query.sort),
        };
        by_value.then(a.cmp(&b))
    });
    picked
}

fn matches_search(c: &CustomerRow, needle: &str) -> bool {
    let hit = |text: &str| contains_ignore_case(text, needle);
    hit(&c.key)
        || c.first_product.as_deref().is_some_and(hit)
        || c.top_product.as_deref().is_some_and(hit)
        || c.region.as_deref().is_some_and(hit)
}

/// `needle` (already lower-case) in `hay`, ignoring case without allocating for ASCII text.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
}

fn has_value(c: &CustomerRow, key: SortKey) -> bool {
    match key {
        SortKey::DaysToSecond => c.days_to_second.is_some(),
        SortKey::Region => c.region.is_some(),
        _ => true,
    }
}

fn compare(a: &CustomerRow, b: &CustomerRow, key: SortKey) -> Ordering {
    match key {
        SortKey::Key => a.key.cmp(&b.key),
        // Dates are ISO `YYYY-MM-DD`, so text order is date order.
        SortKey::FirstOrder => a.first_order.cmp(&b.first_order),
        SortKey::LastOrder => a.last_order.cmp(&b.last_order),
        SortKey::Orders => a.orders.cmp(&b.orders),
        SortKey::Gross => a.gross.cmp(&b.gross),
        SortKey::Net => a.net.cmp(&b.net),
        SortKey::AverageOrderValue => a.average_order_value.cmp(&b.average_order_value),
        SortKey::Items => a.items.cmp(&b.items),
        SortKey::RecencyDays => a.recency_days.cmp(&b.recency_days),
        SortKey::DaysToSecond => a.days_to_second.cmp(&b.days_to_second),
        SortKey::Rfm => (a.r, a.f, a.m).cmp(&(b.r, b.f, b.m)),
        SortKey::Region => a.region.cmp(&b.region),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    fn row(key: &str, net: i64, segment: &'static str, second: Option<i64>, product: Option<&str>) -> CustomerRow {
        CustomerRow {
            id: 0,
            key: key.into(),
            first_order: "2024-01-01".into(),
            last_order: "2024-02-01".into(),
            orders: 1,
            gross: Money::units(net),
            refunds: Money::ZERO,
            net: Money::units(net),
            average_order_value: Money::units(net),
            items: 1,
            recency_days: 10,
            days_to_second: second,
            typical_interval_days: None,
            first_product: product.map(Into::into),
            top_product: None,
            region: None,
            r: 3,
            f: 1,
            m: 2,
            segment,
            cn_class: "一般发展客户",
            stage: "active",
            tier: "ordinary",
            level: "普通会员",
        }
    }

    fn table() -> Vec<CustomerRow> {
        vec![
            row("Alice@Example.com", 50, "new", None, Some("Green Tea")),
            row("bob@example.com", 200, "champions", Some(12), None),
            row("小王", 200, "champions", Some(3), Some("乌龙茶 250g")),
            row("carol", 10, "lost", None, None),
        ]
    }

    #[test]
    fn everyone_by_net_spend_descending_ties_in_table_order() {
        let q = CustomerQuery { descending: true, ..Default::default() };
        assert_eq!(select(&table(), &q), vec![1, 2, 0, 3]);
    }

    #[test]
    fn filters_combine_and_empty_filters_match_all() {
        let q = CustomerQuery { segment: Some("champions".into()), stage: Some(String::new()), ..Default::default() };
        assert_eq!(select(&table(), &q), vec![1, 2]);
        let none =
            CustomerQuery { segment: Some("champions".into()), stage: Some("lost".into()), ..Default::default() };
        assert!(select(&table(), &none).is_empty());
    }

    #[test]
    fn search_ignores_latin_case_and_finds_chinese_products() {
        let q = |s: &str| CustomerQuery { search: s.into(), sort: SortKey::Key, ..Default::default() };
        assert_eq!(select(&table(), &q("EXAMPLE")), vec![0, 1]);
        assert_eq!(select(&table(), &q("green tea")), vec![0]);
        assert_eq!(select(&table(), &q("乌龙")), vec![2]);
        assert_eq!(select(&table(), &q("  小王 ")), vec![2]);
        assert!(select(&table(), &q("nobody")).is_empty());
    }

    #[test]
    fn missing_values_sort_last_either_way_up() {
        let asc = CustomerQuery { sort: SortKey::DaysToSecond, ..Default::default() };
        assert_eq!(&select(&table(), &asc)[..2], &[2, 1]);
        assert_eq!(&select(&table(), &asc)[2..], &[0, 3]);
        let desc = CustomerQuery { descending: true, ..asc };
        assert_eq!(select(&table(), &desc), vec![1, 2, 0, 3]);
    }
}
