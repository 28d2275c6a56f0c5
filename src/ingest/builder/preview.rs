//! Figures while a big file is still being read: valid orders, customers and repeat customers
//! among the orders read so far, so a seller waiting on a 500 MB export sees numbers within the
//! first chunk instead of a bare progress bar. The final report is computed afresh at the end.

use super::{Builder, Flags};
use crate::model::NO_CUSTOMER;
use crate::money::Money;
use serde::Serialize;

/// The figures so far. They follow DESIGN.md's definitions order by order, but an order still
/// receiving rows, and an order whose date a later row of the file decides, count as they stand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub orders: u64,
    pub customers: u64,
    pub repeat_customers: u64,
}

/// What earlier previews counted: each order is looked at once, so previews over a whole file
/// cost one pass over its orders.
#[derive(Default)]
pub(super) struct Tally {
    /// Orders already counted.
    seen: usize,
    /// Valid orders per customer id, stopping at 2 (all a repeat customer needs): two bits a
    /// customer, 32 to a word ([`PER_WORD`]). They are looked up at random once an order, so
    /// their size is what previews cost: with a byte each, the 100 MB `customer,date,amount`
    /// file's two million customers took 2 MB, and its previews 86-91 ms an import in Node's
    /// wasm; 60-67 with two bits.
    orders_of: Vec<u64>,
    figures: Preview,
    /// What reading ahead read, kept so that the reads are not optimised away.
    read_ahead: u64,
}

/// Drafts whose customers' counts are read ahead together.
const GROUP: usize = 32;

/// Customers' counts of valid orders in a word of [`Tally::orders_of`].
const PER_WORD: usize = 32;

impl Builder {
    /// The figures over the orders read so far. The newest order may still get rows, so it waits
    /// for the next preview (or the final report).
    pub fn preview(&mut self) -> Preview {
        let end = self.drafts.len().saturating_sub(1);
        let mut tally = std::mem::take(&mut self.preview);
        let Tally { seen, orders_of, figures, read_ahead } = &mut tally;
        // The refunds (in draft order, at most one a draft) walked beside the drafts, not searched
        // for each: the previews of the 100 MB Taobao-style file read in 4 MB batches took
        // 28-31 ms an import in a Chromium worker with a search, 13-16 without.
        let first = self.refunds.partition_point(|&(draft, _)| (draft as usize) < *seen);
        let mut refunds = self.refunds[first..].iter().peekable();
        let words = self.data.customers.len().div_ceil(PER_WORD);
        if orders_of.len() < words {
            orders_of.resize(words, 0);
        }
        for i in *seen..end {
            // The counts of the next GROUP drafts' customers read first, all together, so that
            // their waits on memory overlap: with millions of customers they are megabytes. The
            // 1 GB `customer,date,amount` file's previews (20 million customers) took 696-728 ms
            // an import in Node's wasm instead of 1108-1111, the 1 GB Taobao-style file's 117-119
            // instead of 128-166; the 100 MB minimal file's 45-46 instead of 39-44.
            if (i - *seen) % GROUP == 0 {
                for j in i..(i + GROUP).min(end) {
                    *read_ahead ^= orders_of.get(self.drafts[j].customer as usize / PER_WORD).copied().unwrap_or(0);
                }
            }
            let refund = refunds.next_if(|&&(draft, _)| draft as usize == i).map_or(Money::ZERO, |&(_, r)| r);
            let d = &self.drafts[i];
            if d.flags.has(Flags::DROPPED) || d.flags.has(Flags::CREDIT_NOTE) || !d.flags.has(Flags::SALE_LINE) {
                continue;
            }
            let rules = self.rules_of(i);
            let (status, gross, _) = d.settle(i as u32, &self.spill, refund, rules);
            let has_customer = d.customer != NO_CUSTOMER;
            if !status.is_sale() || gross.is_negative() || (rules.keyed && !has_customer) {
                continue;
            }
            figures.orders += 1;
            if !has_customer {
                continue;
            }
            let (word, shift) = (d.customer as usize / PER_WORD, d.customer as usize % PER_WORD * 2);
            if orders_of.len() <= word {
                orders_of.resize(word + 1, 0);
            }
            // Counted without a branch on the count, which would wait for its read: 39-44 ms of
            // the 100 MB minimal file's previews instead of 60-67, 1108-1111 of the 1 GB one's
            // instead of 1168-1185.
            let had = orders_of[word] >> shift & 3;
            figures.customers += u64::from(had == 0);
            figures.repeat_customers += u64::from(had == 1);
            orders_of[word] += u64::from(had < 2) << shift;
        }
        *seen = end.max(*seen);
        let figures = *figures;
        self.preview = tally;
        figures
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{ImportOptions, Importer};

    fn preview_after(text: &str) -> super::Preview {
        let mut imp = Importer::new(ImportOptions::default());
        imp.start_file("orders.csv");
        imp.push(text.as_bytes()).expect("reads");
        imp.end_file().expect("ends");
        imp.preview()
    }

    #[test]
    fn counts_valid_orders_customers_and_repeats_but_not_the_newest_order() {
        let p = preview_after(
            "order,customer,date,amount,status\n\
             1,ann,2024-01-01,10,paid\n\
             2,bob,2024-01-02,10,paid\n\
             3,ann,2024-01-03,10,paid\n\
             4,cat,2024-01-04,10,cancelled\n\
             5,bob,2024-01-05,10,paid\n",
        );
        // Order 5 is the newest and waits; order 4 is cancelled.
        assert_eq!(p, super::Preview { orders: 3, customers: 2, repeat_customers: 1 });
    }

    /// A refund decides an order's status as the final report's does: refunded in full, it is
    /// not a sale; in part, it is.
    #[test]
    fn refunds_decide_as_in_the_report() {
        let p = preview_after(
            "order,customer,date,amount,status,refund\n\
             1,ann,2024-01-01,10,paid,10\n\
             2,bob,2024-01-02,10,paid,0\n\
             3,ann,2024-01-03,10,paid,5\n\
             4,cat,2024-01-04,10,paid,0\n",
        );
        assert_eq!(p, super::Preview { orders: 2, customers: 2, repeat_customers: 0 });
    }

    /// In both layouts: line items (Shopify-style) and orders with refunds that decide their
    /// status (Taobao-style: refunded in full is not a sale).
    #[test]
    fn agrees_with_the_final_figures_once_every_order_is_in() {
        use crate::generate::{write, Layout, Spec};
        for layout in [Layout::Shopify, Layout::Taobao] {
            let mut text = Vec::new();
            write(Spec { layout, gbk: false, bytes: 300_000, seed: 7 }, &mut text).expect("writes");
            let mut imp = Importer::new(ImportOptions::default());
            imp.start_file("orders.csv");
            let mut previews = Vec::new();
            for chunk in text.chunks(16 << 10) {
                imp.push(chunk).expect("reads");
                previews.push(imp.preview());
            }
            imp.end_file().expect("ends");
            let last = imp.preview();
            let (data, import) = imp.finish().expect("finishes");
            let report = crate::analysis::analyze(&data, &import, &Default::default()).expect("analyses");
            assert!(import.orders > import.valid_orders, "{layout:?}: some orders are not sales");
            // Each preview counts at least what the one before did, and the last misses only the
            // newest order.
            assert!(previews.windows(2).all(|w| w[0].orders <= w[1].orders && w[0].customers <= w[1].customers));
            let s = &report.summary;
            assert!(
                s.orders >= last.orders && s.orders - last.orders <= 1,
                "{layout:?}: {} vs {}",
                s.orders,
                last.orders
            );
            assert!(s.customers >= last.customers && s.customers - last.customers <= 1, "{layout:?}");
            assert!(s.repeat_customers >= last.repeat_customers && s.repeat_customers - last.repeat_customers <= 1);
            assert!(last.repeat_customers > 0, "{layout:?}");
        }
    }
}
