//! Products: what sells, what brings customers back, and what goes together.

use super::customers::Facts;
use super::stats::ratio;
use crate::model::{Dataset, NONE};
use crate::money::Money;
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Distinct products per order considered for pairs: keeps pair counting linear in practice.
const MAX_PRODUCTS_PER_ORDER: usize = 20;
const TOP: usize = 20;

#[derive(Debug, Clone, Serialize)]
pub struct Products {
    pub top_by_revenue: Vec<ProductStat>,
    pub top_by_buyers: Vec<ProductStat>,
    /// Products that start customers' first orders, with how many of those customers came back.
    pub first_product_repeat: Vec<FirstProduct>,
    /// Pairs bought in the same order, most frequent first.
    pub bought_together: Vec<Pair>,
    /// Product of one order followed by a product of the same customer's next order.
    pub bought_next: Vec<Pair>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductStat {
    pub product: String,
    pub revenue: Money,
    pub quantity: u64,
    pub orders: u64,
    pub buyers: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct FirstProduct {
    pub product: String,
    pub customers: u64,
    pub repeat_customers: u64,
    pub repeat_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub count: u64,
}

/// `None` when the files have no product column.
pub fn products(data: &Dataset, facts: &Facts) -> Option<Products> {
    if data.lines.is_empty() {
        return None;
    }
    let o = &data.orders;
    let np = data.products.len();
    let (mut revenue, mut qty, mut orders, mut buyers) =
        (vec![Money::ZERO; np], vec![0u64; np], vec![0u64; np], vec![0u64; np]);
    // Distinct products per valid order, grouped with a counting sort: order i's products are
    // `prods[start[i]..start[i + 1]]`. The sort fills each order's run through its own start,
    // which then moves up one place, and the runs are deduplicated in place: no order-sized
    // scratch besides `start` (at 6 million orders, each such list is 24 MB).
    let n = o.len();
    let mut start = vec![0u32; n + 1];
    data.lines().for_each(|l| {
        if o.valid[l.order as usize] && l.product != NONE {
            revenue[l.product as usize] += l.amount;
            qty[l.product as usize] += l.quantity as u64;
            start[l.order as usize + 1] += 1;
        }
    });
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut prods = vec![0u32; start[n] as usize];
    data.lines().for_each(|l| {
        if o.valid[l.order as usize] && l.product != NONE {
            let at = &mut start[l.order as usize];
            prods[*at as usize] = l.product;
            *at += 1;
        }
    });
    // Each start now holds its run's end, which is the next run's start.
    start.copy_within(0..n, 1);
    start[0] = 0;
    let mut kept = 0;
    for i in 0..n {
        let (begin, end) = (start[i] as usize, start[i + 1] as usize);
        let run = &mut prods[begin..end];
        run.sort_unstable();
        let mut k = 0;
        for j in 0..run.len() {
            if (j == 0 || run[j] != run[j - 1]) && k < MAX_PRODUCTS_PER_ORDER {
                run[k] = run[j];
                k += 1;
            }
        }
        for &p in &run[..k] {
            orders[p as usize] += 1;
        }
        // Item by item: the run is a product or two, and a copy of a length known only when it
        // runs is a call out of compiled wasm (`memory.copy`), one an order.
        for j in 0..k {
            prods[kept + j] = prods[begin + j];
        }
        start[i] = kept as u32;
        kept += k;
    }
    start[n] = kept as u32;
    let per_order = |i: usize| &prods[start[i] as usize..start[i + 1] as usize];
    let mut together = PairCounts::new(np);
    let mut next = PairCounts::new(np);
    // Per product: the customers whose first order starts with it, and those of them who came back.
    let mut first_counts = vec![(0u64, 0u64); np];
    let mut seen: Vec<u32> = Vec::new();
    for c in 0..facts.len() {
        let list = facts.range(c);
        seen.clear();
        for i in list.clone() {
            // Pushed one by one, for the reason above.
            for &p in per_order(i) {
                seen.push(p);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        for &p in &seen {
            buyers[p as usize] += 1;
        }
        if let Some(e) = first_counts.get_mut(facts.first_product.get(c) as usize) {
            e.0 += 1;
            e.1 += (facts.orders(c) >= 2) as u64;
        }
        for i in list.start + 1..list.end {
            let (a, b) = (per_order(i - 1), per_order(i));
            for &pa in a {
                for &pb in b {
                    next.add(pa, pb);
                }
            }
        }
    }
    for i in 0..o.len() {
        let list = per_order(i);
        for (x, &p) in list.iter().enumerate() {
            for &q in &list[x + 1..] {
                together.add(p.min(q), p.max(q));
            }
        }
    }
    let name = |p: u32| data.products.get(p).unwrap_or("").to_string();
    let stat = |p: usize| ProductStat {
        product: name(p as u32),
        revenue: revenue[p],
        quantity: qty[p],
        orders: orders[p],
        buyers: buyers[p],
    };
    let mut ids: Vec<usize> = (0..np).filter(|&p| orders[p] > 0).collect();
    ids.sort_by(|&a, &b| revenue[b].cmp(&revenue[a]).then(a.cmp(&b)));
    let top_by_revenue = ids.iter().take(TOP).map(|&p| stat(p)).collect();
    ids.sort_by(|&a, &b| buyers[b].cmp(&buyers[a]).then(a.cmp(&b)));
    let top_by_buyers = ids.iter().take(TOP).map(|&p| stat(p)).collect();
    let mut firsts: Vec<(u32, (u64, u64))> =
        first_counts.into_iter().enumerate().filter(|(_, e)| e.0 > 0).map(|(p, e)| (p as u32, e)).collect();
    firsts.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let first_product_repeat = firsts
        .into_iter()
        .take(TOP)
        .map(|(p, (n, r))| FirstProduct {
            product: name(p),
            customers: n,
            repeat_customers: r,
            repeat_rate: ratio(r, n),
        })
        .collect();
    let top_pairs = |m: PairCounts| {
        let mut v = m.into_counts();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(TOP).map(|((a, b), count)| Pair { a: name(a), b: name(b), count }).collect()
    };
    Some(Products {
        top_by_revenue,
        top_by_buyers,
        first_product_repeat,
        bought_together: top_pairs(together),
        bought_next: top_pairs(next),
    })
}

/// How often each pair of products (ids below `products`) comes, counted in a table of every
/// pair when there are few products, else in a hash map. A shop of a dozen products made the
/// 100 MB Taobao-style file's 290,000 customers hash a pair for each two orders in a row.
enum PairCounts {
    /// `counts[a * products + b]`.
    Dense {
        products: usize,
        counts: Vec<u32>,
    },
    Sparse(FxHashMap<(u32, u32), u64>),
}

/// Products up to which pairs are counted in a table: 1 MB at most.
const DENSE_PRODUCTS: usize = 512;

impl PairCounts {
    fn new(products: usize) -> PairCounts {
        if products <= DENSE_PRODUCTS {
            PairCounts::Dense { products, counts: vec![0; products * products] }
        } else {
            PairCounts::Sparse(FxHashMap::default())
        }
    }

    fn add(&mut self, a: u32, b: u32) {
        match self {
            PairCounts::Dense { products, counts } => {
                let (a, b) = (a as usize, b as usize);
                if let Some(n) = counts.get_mut(a * *products + b).filter(|_| b < *products) {
                    *n = n.saturating_add(1);
                }
            }
            PairCounts::Sparse(map) => *map.entry((a, b)).or_default() += 1,
        }
    }

    /// The pairs counted at least once, in no particular order.
    fn into_counts(self) -> Vec<((u32, u32), u64)> {
        match self {
            PairCounts::Dense { products, counts } => counts
                .into_iter()
                .enumerate()
                .filter(|&(_, n)| n > 0)
                .map(|(k, n)| (((k / products) as u32, (k % products) as u32), u64::from(n)))
                .collect(),
            PairCounts::Sparse(map) => map.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table and the hash map count the same pairs, each pair its own way round.
    #[test]
    fn pair_counts_in_a_table_are_those_of_the_map() {
        let mut rng = crate::sample::Rng::new(11);
        for products in [1usize, 2, 7, 40] {
            let mut table = PairCounts::new(products);
            assert!(matches!(table, PairCounts::Dense { .. }));
            let mut map = PairCounts::Sparse(FxHashMap::default());
            for _ in 0..rng.below(500) {
                let (a, b) = (rng.below(products as u64) as u32, rng.below(products as u64) as u32);
                table.add(a, b);
                map.add(a, b);
            }
            // An id past the table counts nowhere (not in the next row).
            table.add(0, products as u32);
            let (mut t, mut m) = (table.into_counts(), map.into_counts());
            t.sort_unstable();
            m.sort_unstable();
            assert_eq!(t, m, "{products} products");
        }
        assert!(matches!(PairCounts::new(DENSE_PRODUCTS + 1), PairCounts::Sparse(_)));
    }
}
