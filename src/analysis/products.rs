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
    let (mut revenue, mut qty, mut orders) = (vec![Money::ZERO; np], vec![0u64; np], vec![0u64; np]);
    let mut together = PairCounts::new(np);
    let mut by_customer = ByCustomer::new(facts, np);
    // Each valid order's distinct products, one order at a time: the lines come in order of
    // their orders ([`crate::model::Lines`]), so an order's lines are a run. They were grouped
    // by order with a counting sort before, into lists of an order's start and of the lines'
    // products: 45 MB on the 1 GB Shopify-style file, which grew its session's wasm memory by
    // 24 MiB in Node.
    let mut own: Vec<u32> = Vec::new();
    let mut reading = u32::MAX;
    let mut order_done = |i: u32, own: &mut Vec<u32>| {
        own.sort_unstable();
        own.dedup();
        own.truncate(MAX_PRODUCTS_PER_ORDER);
        for (x, &p) in own.iter().enumerate() {
            orders[p as usize] += 1;
            for &q in &own[x + 1..] {
                together.add(p.min(q), p.max(q));
            }
        }
        by_customer.order(i as usize, own);
        own.clear();
    };
    data.lines().for_each(|l| {
        if !o.valid[l.order as usize] || l.product == NONE {
            return;
        }
        revenue[l.product as usize] += l.amount;
        qty[l.product as usize] += l.quantity as u64;
        if l.order != reading {
            if !own.is_empty() {
                order_done(reading, &mut own);
            }
            reading = l.order;
        }
        own.push(l.product);
    });
    if !own.is_empty() {
        order_done(reading, &mut own);
    }
    let ByCustomer { next, first_counts, buyers, .. } = by_customer.finish();
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

/// The products' figures by customer, fed each valid order's distinct products in the order of
/// the orders: the grouped ones come customer by customer, in fact-row order.
struct ByCustomer<'f> {
    facts: &'f Facts<'f>,
    /// The fact row of the orders being fed, once past the rows before it.
    row: usize,
    /// The row's last order fed, and its products, for the products bought next.
    last: Option<usize>,
    last_products: Vec<u32>,
    /// The row's products so far, for the buyers of each product.
    seen: Vec<u32>,
    /// Per product: the customers who bought it.
    buyers: Vec<u64>,
    /// Pairs of a product of one order and one of the same customer's next order.
    next: PairCounts,
    /// Per product: the customers whose first order starts with it, and those of them who came
    /// back.
    first_counts: Vec<(u64, u64)>,
}

impl<'f> ByCustomer<'f> {
    fn new(facts: &'f Facts<'f>, products: usize) -> ByCustomer<'f> {
        let mut first_counts = vec![(0u64, 0u64); products];
        for c in 0..facts.len() {
            if let Some(e) = first_counts.get_mut(facts.first_product.get(c) as usize) {
                e.0 += 1;
                e.1 += (facts.orders(c) >= 2) as u64;
            }
        }
        ByCustomer {
            facts,
            row: 0,
            last: None,
            last_products: Vec::new(),
            seen: Vec::new(),
            buyers: vec![0; products],
            next: PairCounts::new(products),
            first_counts,
        }
    }

    /// Order `i`'s distinct products, `i` above the order fed before.
    fn order(&mut self, i: usize, products: &[u32]) {
        while self.row < self.facts.len() && self.facts.range(self.row).end <= i {
            self.end_row();
        }
        if self.row == self.facts.len() {
            return; // not a grouped order: without a customer
        }
        if self.last == Some(i.wrapping_sub(1)) {
            for &pa in &self.last_products {
                for &pb in products {
                    self.next.add(pa, pb);
                }
            }
        }
        // Pushed one by one: a copy of a length known only when it runs is a call out of
        // compiled wasm (`memory.copy`), one an order.
        self.last_products.clear();
        for &p in products {
            self.seen.push(p);
            self.last_products.push(p);
        }
        self.last = Some(i);
    }

    fn end_row(&mut self) {
        self.seen.sort_unstable();
        self.seen.dedup();
        for &p in &self.seen {
            self.buyers[p as usize] += 1;
        }
        self.seen.clear();
        self.last = None;
        self.row += 1;
    }

    fn finish(mut self) -> ByCustomer<'f> {
        if self.row < self.facts.len() {
            self.end_row();
        }
        self
    }
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
