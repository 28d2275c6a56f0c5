//! Per-customer facts from the valid orders: the base every other section reads.
//!
//! The importer lays the valid orders out customer by customer, oldest first
//! ([`crate::model::Orders`]), so a customer's orders are a run of the order columns, read in place.

use super::spend::Spend;
use crate::calendar::day_number;
use crate::model::{Dataset, MoneyColumn, MoneyValues, SmallColumn, SmallValues, NONE};
use crate::money::Money;

/// One entry per customer with at least one valid order, in the order of first appearance.
#[derive(Debug)]
pub struct Facts<'a> {
    /// Index into `Dataset::customers`.
    pub id: RowIds,
    /// Gross and net spend, kept as cents while they are whole cents, net only where it is not
    /// gross ([`Spend`]); items in a [`SmallColumn`], two bytes while small. The facts are the
    /// report's largest lists, and the customer table keeps them for the session: with the
    /// 100 MB `customer,date,amount` file's two million customers, `Money`s and `u32`s took the
    /// report's peak in Node's wasm to 183 MiB, and these to 163 (the import's own peak).
    pub spend: Spend,
    pub items: SmallColumn,
    /// Median of the customer's own days between consecutive orders: a whole or half number of
    /// days, which `f32` holds exactly; NaN for one-time buyers ([`Facts::median_interval`]
    /// gives an `Option`: a sentinel rather than an `Option` halves the column).
    pub median_interval: Vec<f32>,
    /// Products and regions ([`NONE`] if the customer's orders name none): stored only when the
    /// files name some.
    pub first_product: SmallColumn,
    pub top_product: SmallColumn,
    pub region: SmallColumn,
    /// Customer `c`'s valid orders are the orders `order_start[c]..order_start[c + 1]`, oldest
    /// first ([`Facts::range`]). The days of their first, second and last orders are read from
    /// there ([`Facts::first_day`]…) rather than kept: 12 bytes a customer, 33 MB of the 1 GB
    /// Taobao-style file's report.
    pub order_start: Vec<u32>,
    /// The time and gross of the grouped orders: the start of [`crate::model::Orders::time`] and
    /// [`crate::model::Orders::gross`], indexed as the orders are. Times are seconds since 1970
    /// in 32 bits; `i64::from` gives the [`crate::calendar::Timestamp`].
    pub order_time: &'a [u32],
    pub order_gross: MoneyValues<'a>,
}

impl Default for Facts<'_> {
    fn default() -> Self {
        Facts {
            id: RowIds::Same(0),
            spend: Spend::default(),
            items: SmallColumn::new(1),
            median_interval: Vec::new(),
            first_product: SmallColumn::new(NONE),
            top_product: SmallColumn::new(NONE),
            region: SmallColumn::new(NONE),
            order_start: Vec::new(),
            order_time: &[],
            order_gross: MoneyValues::default(),
        }
    }
}

/// The dataset customer of each fact row. Rows follow the customers' ids, leaving out those
/// without a valid order; when none is left out, as in a `customer,date,amount` file, row `c` is
/// customer `c` and no list is kept: 4 bytes a customer, which the customer table keeps for the
/// session.
#[derive(Debug, Clone)]
pub enum RowIds {
    /// Row `c` is customer `c`, for this many rows.
    Same(usize),
    Listed(Vec<u32>),
}

impl RowIds {
    pub fn len(&self) -> usize {
        match self {
            RowIds::Same(n) => *n,
            RowIds::Listed(ids) => ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `c`'s customer; panics if there is no row `c`, as a slice does.
    #[inline]
    pub fn get(&self, c: usize) -> u32 {
        match self {
            RowIds::Same(n) => {
                assert!(c < *n, "fact row {c} of {n}");
                c as u32
            }
            RowIds::Listed(ids) => ids[c],
        }
    }
}

impl<'a> Facts<'a> {
    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// How many valid orders fact row `c` has: the length of its run, not kept (4 bytes a customer).
    pub fn orders(&self, c: usize) -> u32 {
        self.order_start[c + 1] - self.order_start[c]
    }

    /// Every fact row's count of valid orders, in row order.
    pub fn order_counts(&self) -> impl ExactSizeIterator<Item = u32> + '_ {
        self.order_start.windows(2).map(|w| w[1] - w[0])
    }

    /// Fact row `c`'s valid orders, oldest first: indices into the orders, `order_time` and
    /// `order_gross`.
    pub fn range(&self, c: usize) -> std::ops::Range<usize> {
        self.order_start[c] as usize..self.order_start[c + 1] as usize
    }

    /// The day number ([`day_number`]) of fact row `c`'s first valid order.
    pub fn first_day(&self, c: usize) -> i64 {
        day_of(self.order_time[self.order_start[c] as usize])
    }

    pub fn last_day(&self, c: usize) -> i64 {
        day_of(self.order_time[self.order_start[c + 1] as usize - 1])
    }

    /// The day of fact row `c`'s second valid order (`None` for a one-time buyer).
    pub fn second_day(&self, c: usize) -> Option<i64> {
        let second = self.order_start[c] as usize + 1;
        (second < self.order_start[c + 1] as usize).then(|| day_of(self.order_time[second]))
    }

    /// The largest of fact row `c`'s orders (gross): read from its run when asked, which is once,
    /// rather than kept (8 bytes a customer).
    pub fn max_order(&self, c: usize) -> Money {
        self.order_gross.slice(self.range(c)).max().unwrap_or(Money::ZERO)
    }

    /// Every fact row's net spend, ascending ([`MoneyColumn::sorted`]). RFM's spend scores and
    /// the value section both read it: one sort of the customers instead of two (with two million
    /// customers, a sort is tens of milliseconds of a report in the browser).
    pub fn spend_ascending(&self) -> MoneyColumn {
        MoneyColumn::sorted(self.spend.net_values())
    }

    /// Median days between fact row `c`'s orders (`None` with a single order).
    pub fn median_interval(&self, c: usize) -> Option<f32> {
        Some(self.median_interval[c]).filter(|m| !m.is_nan())
    }

    /// Days between fact row `c`'s consecutive orders, oldest first (none for a one-time buyer).
    pub fn gaps_of(&self, c: usize) -> impl Iterator<Item = i64> + '_ {
        self.order_time[self.range(c)].windows(2).map(|w| day_number(w[1].into()) - day_number(w[0].into()))
    }

    pub fn build(data: &'a Dataset) -> Facts<'a> {
        let o = &data.orders;
        let grouped = o.grouped;
        // Which fact row a dataset customer maps to (`u32::MAX` if they have no valid order).
        let mut row_of = vec![u32::MAX; data.customers.len()];
        let mut f = Facts {
            order_time: &o.time[..grouped],
            order_gross: o.gross.values().slice(0..grouped),
            ..Facts::default()
        };
        // A row for each run of one customer's orders, counted first: reserved exactly, the lists
        // are not doubled into room they never use. Counted as the places where the customer
        // changes, a loop without branches: as `chunk_by(..).count()`, the facts of the 100 MB
        // `customer,date,amount` file took 57 ms natively instead of 49.
        let runs = usize::from(grouped > 0) + o.customer[..grouped].windows(2).filter(|w| w[0] != w[1]).count();
        // Runs come in customer id order (`Orders::group_by_customer`): when every customer has
        // one, row `c` is customer `c`.
        let listed = runs != data.customers.len();
        let mut ids = Vec::with_capacity(if listed { runs } else { 0 });
        f.order_start.reserve_exact(runs + 1);
        for (i, &k) in o.customer[..grouped].iter().enumerate() {
            if i == 0 || k != o.customer[i - 1] {
                row_of[k as usize] = f.order_start.len() as u32;
                f.order_start.push(i as u32);
                if listed {
                    ids.push(k);
                }
            }
        }
        f.order_start.push(grouped as u32);
        f.id = if listed { RowIds::Listed(ids) } else { RowIds::Same(runs) };
        let rows = runs;

        // Returned money by row, kept only when there is some (a shop's credit notes).
        let mut credits = if data.credits.is_empty() { Vec::new() } else { vec![Money::ZERO; rows] };
        for cr in &data.credits {
            if let Some(&r) = row_of.get(cr.customer as usize) {
                if r != u32::MAX {
                    credits[r as usize] += cr.amount;
                }
            }
        }
        f.top_product = top_products(data, &row_of, rows);
        f.spend.reserve(rows);
        f.items.reserve(rows);
        f.median_interval.reserve_exact(rows);
        f.first_product.reserve(rows);
        f.region.reserve(rows);
        // A file without refunds, item counts, products or regions (`customer,date,amount`)
        // stores none, and has none to read.
        // Refunds in order of place, walked beside the customers' runs, which ascend too.
        let mut refund_entries = o.refund.entries().peekable();
        let one_item_each = o.items.uniform() == Some(1);
        let (order_items, order_products, order_regions) =
            (o.items.values(), o.first_product.values(), o.region.values());
        let mut gaps: Vec<i64> = Vec::new();
        for c in 0..rows {
            let range = f.range(c);
            let n = range.len();
            let times = &f.order_time[range.clone()];
            let days = |j: usize| day_of(times[j]);
            let (mut refunds, mut items) = (credits.get(c).copied().unwrap_or(Money::ZERO), 0u32);
            let gross = f.order_gross.slice(range.clone()).sum();
            while let Some((_, r)) = refund_entries.next_if(|&(i, _)| i < range.end) {
                refunds += r;
            }
            if one_item_each {
                items = n as u32;
            } else {
                for i in range.clone() {
                    items = items.saturating_add(order_items.get(i));
                }
            }
            // Most customers have one or two orders: no gap, or the one, without the list.
            let median = match n {
                0 | 1 => f32::NAN,
                2 => (days(1) - days(0)) as f32,
                _ => {
                    gaps.clear();
                    gaps.extend((1..n).map(|j| days(j) - days(j - 1)));
                    gaps.sort_unstable();
                    let m = gaps.len() / 2;
                    if gaps.len() % 2 == 1 {
                        gaps[m] as f32
                    } else {
                        (gaps[m - 1] + gaps[m]) as f32 / 2.0
                    }
                }
            };
            f.spend.push(gross, gross - refunds);
            f.items.push(items);
            f.median_interval.push(median);
            // The first of the customer's orders naming one.
            let first_named = |column: SmallValues| match column {
                SmallValues::Same(v, _) => v,
                _ => range.clone().map(|i| column.get(i)).find(|&v| v != NONE).unwrap_or(NONE),
            };
            f.first_product.push(first_named(order_products));
            f.region.push(first_named(order_regions));
        }
        f
    }
}

/// The day number of an order time as the orders store it (seconds since 1970 in 32 bits).
pub(crate) fn day_of(t: u32) -> i64 {
    day_number(t.into())
}

/// Each fact row's most bought product (by quantity over valid orders; ties to the earlier-seen).
///
/// The lines come in order of their orders ([`crate::model::Lines`]), and the grouped orders
/// customer by customer in fact-row order, so each customer's lines are a run, and its few
/// products are sorted alone. The lines were sorted by customer and product before (a tenth of
/// a report), then grouped by a counting sort into a list of their own: 8 bytes a line, 51 MB
/// in one piece for the 1 GB GBK benchmark file, whose facts grew its session's wasm memory by
/// 45 MiB in Node.
fn top_products(data: &Dataset, row_of: &[u32], rows: usize) -> SmallColumn {
    let o = &data.orders;
    let row = |l: &crate::model::Line| {
        let r = *row_of.get(o.customer[l.order as usize] as usize)?;
        (o.valid[l.order as usize] && l.product != NONE && r != u32::MAX).then_some(r as usize)
    };
    let mut top = SmallColumn::new(NONE);
    top.reserve(rows);
    // The (product, quantity) pairs of the row whose lines are being read.
    let mut run: Vec<(u32, u32)> = Vec::new();
    let mut end_run = |run: &mut Vec<(u32, u32)>| {
        run.sort_unstable_by_key(|&(p, _)| p);
        let mut best = (NONE, 0u32);
        for same in run.chunk_by(|a, b| a.0 == b.0) {
            let qty = same.iter().fold(0u32, |q, &(_, n)| q.saturating_add(n));
            // Ascending products: a tie keeps the earlier-seen one.
            if qty > best.1 {
                best = (same[0].0, qty);
            }
        }
        top.push(best.0);
        run.clear();
    };
    let mut reading = 0;
    data.lines().for_each(|l| {
        let Some(r) = row(&l) else { return };
        debug_assert!(r >= reading, "lines out of the order of their orders");
        // The rows up to this line's are done (without a line, they have no product).
        while reading < r {
            end_run(&mut run);
            reading += 1;
        }
        run.push((l.product, l.quantity.max(1)));
    });
    while reading < rows {
        end_run(&mut run);
        reading += 1;
    }
    top
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows newest first and interleaved, a cancelled order and a row without a buyer: each
    /// customer's run must come out oldest first and hold only valid orders.
    const SHOP: &str = "order,customer,date,amount,status
5,ann,2024-03-20,30,paid
4,bob,2024-03-01,10,paid
3,ann,2024-03-02,20,paid
7,bob,2024-02-01,99,cancelled
2,ann,2024-02-25,10,paid
6,,2024-01-15,5,paid
1,cid,2024-01-10,40,paid
";

    fn shop() -> Dataset {
        let (data, _) = crate::ingest::import_files(&[("shop.csv", SHOP.as_bytes())], Default::default())
            .expect("the test shop imports");
        data
    }

    fn row(data: &Dataset, f: &Facts, key: &str) -> usize {
        (0..f.len()).find(|&c| data.customers.get(f.id.get(c)) == Some(key)).expect("customer has a row")
    }

    fn day(date: &str) -> i64 {
        let n: Vec<u32> = date.split('-').map(|p| p.parse().expect("a test date")).collect();
        day_number(crate::calendar::ymd_secs(n[0] as i32, n[1], n[2], 0).expect("a real day"))
    }

    #[test]
    fn top_product_is_the_most_bought_in_valid_orders_ties_to_the_earlier_seen() {
        let shop = "order,customer,date,amount,status,product,quantity
1,ann,2024-01-01,10,paid,tea,1
2,bob,2024-01-02,10,paid,cup,1
3,ann,2024-01-03,10,paid,cup,2
4,bob,2024-01-04,30,cancelled,pot,3
5,ann,2024-01-05,10,paid,tea,1
6,cid,2024-01-06,10,paid,pot,1
6,cid,2024-01-06,10,paid,cup,2
";
        let (data, _) = crate::ingest::import_files(&[("shop.csv", shop.as_bytes())], Default::default())
            .expect("the test shop imports");
        let f = Facts::build(&data);
        let top = |key: &str| data.products.get(f.top_product.get(row(&data, &f, key)));
        assert_eq!(top("ann"), Some("tea"), "tea 2 and cup 2: tea was seen first");
        assert_eq!(top("bob"), Some("cup"), "the cancelled order's 3 pots do not count");
        assert_eq!(top("cid"), Some("cup"), "two lines of one order");
    }

    /// Items and refunds per customer, with and without the columns that give them (without
    /// them, each order is one item and nothing is refunded).
    #[test]
    fn items_and_net_add_up_each_customers_orders() {
        let with = "order,customer,date,amount,quantity,refund
1,ann,2024-01-01,50,2,10
2,bob,2024-01-02,20,1,
3,ann,2024-01-05,30,3,0
4,ann,2024-01-09,5,1,2
";
        let without = "order,customer,date,amount
1,ann,2024-01-01,50
2,bob,2024-01-02,20
3,ann,2024-01-05,30
";
        // Spend and items past what four bytes of cents and two bytes hold: the columns widen.
        let wholesale = "order,customer,date,amount,quantity,refund
1,ann,2024-01-01,15000000,70000,
2,bob,2024-01-02,20,1,
3,ann,2024-01-05,15000000,1,1
";
        let shops = [
            (with, (6, 85, 73), (1, 20, 20)),
            (without, (2, 80, 80), (1, 20, 20)),
            (wholesale, (70_001, 30_000_000, 29_999_999), (1, 20, 20)),
        ];
        for (shop, ann, bob) in shops {
            let (data, _) = crate::ingest::import_files(&[("shop.csv", shop.as_bytes())], Default::default())
                .expect("the test shop imports");
            let f = Facts::build(&data);
            for (key, (items, gross, net)) in [("ann", ann), ("bob", bob)] {
                let c = row(&data, &f, key);
                assert_eq!(f.items.get(c), items, "{key}'s items in {shop}");
                assert_eq!(f.spend.gross(c), Money::units(gross), "{key}'s gross in {shop}");
                assert_eq!(f.spend.net(c), Money::units(net), "{key}'s net in {shop}");
            }
        }
    }

    /// A row's customer, whether every customer has a row (no list kept) or one has none.
    #[test]
    fn rows_name_their_customers_with_or_without_a_list() {
        let all = "order,customer,date,amount\n1,ann,2024-01-01,5\n2,bob,2024-01-02,6\n";
        let some = "order,customer,date,amount,status\n1,ann,2024-01-01,5,cancelled\n\
                    2,bob,2024-01-02,6,paid\n3,cid,2024-01-03,7,paid\n";
        for (shop, names, listed) in [(all, ["ann", "bob"], false), (some, ["bob", "cid"], true)] {
            let (data, _) = crate::ingest::import_files(&[("shop.csv", shop.as_bytes())], Default::default())
                .expect("the test shop imports");
            let f = Facts::build(&data);
            assert_eq!(matches!(f.id, RowIds::Listed(_)), listed, "{shop}");
            let named: Vec<&str> = (0..f.len()).map(|c| data.customers.get(f.id.get(c)).unwrap_or("?")).collect();
            assert_eq!(named, names, "{shop}");
        }
    }

    #[test]
    fn runs_are_per_customer_oldest_first() {
        let data = shop();
        let f = Facts::build(&data);
        assert_eq!(f.len(), 3, "ann, bob and cid; the order without a buyer has no row");
        let ann = row(&data, &f, "ann");
        let times: Vec<i64> = f.order_time[f.range(ann)].iter().map(|&t| t.into()).collect();
        assert_eq!(
            times.iter().map(|&t| day_number(t)).collect::<Vec<_>>(),
            [day("2024-02-25"), day("2024-03-02"), day("2024-03-20")]
        );
        for (j, i) in f.range(ann).enumerate() {
            assert_eq!(data.orders.time(i), times[j], "order_time reads the orders");
            assert_eq!(data.orders.customer[i], f.id.get(ann), "the run is ann's");
            assert_eq!(data.orders.gross.get(i), f.order_gross.slice(f.range(ann)).get(j));
        }
        assert_eq!(f.first_day(ann), day("2024-02-25"));
        assert_eq!(f.second_day(ann), Some(day("2024-03-02")));
        assert_eq!(f.last_day(ann), day("2024-03-20"));
        // Gaps of 6 and 18 days.
        assert_eq!(f.median_interval(ann), Some(12.0));
        assert_eq!(f.spend.gross(ann), Money::units(60));

        let bob = row(&data, &f, "bob");
        assert_eq!(f.orders(bob), 1, "the cancelled order is not counted");
        assert_eq!(f.second_day(bob), None);
        assert_eq!(f.median_interval(bob), None);
    }
}
