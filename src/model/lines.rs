//! The orders' product lines: listed in 12 bytes each while their numbers are small, or implied
//! by the orders themselves.

use super::small::{narrow, widen};
use super::{Orders, SmallValues, NONE};
use crate::chunked::{self, Chunked};
use crate::money::Money;

/// One product line of an order. Packed to 4-byte alignment: 20 bytes, not 24 with the padding
/// an 8-byte field would bring, for the rare list that cannot be kept in `NarrowLine`s.
/// Its fields are read by value (`{ line.amount }`): a packed field cannot be borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct Line {
    pub order: u32,
    pub product: u32,
    pub quantity: u32,
    pub amount: Money,
}

/// A line in 12 bytes: its product and quantity in two bytes each, as [`super::SmallColumn`]
/// keeps them, and its amount in whole cents.
#[derive(Debug, Clone, Copy)]
pub struct NarrowLine {
    order: u32,
    cents: i32,
    product: u16,
    quantity: u16,
}

const _: () = assert!(std::mem::size_of::<NarrowLine>() == 12);

impl NarrowLine {
    /// `line` in 12 bytes, if its product and quantity are small and its amount whole cents
    /// within ±21 million units (two-decimal prices, and yen or won ones, all are).
    fn of(line: Line) -> Option<NarrowLine> {
        Some(NarrowLine {
            order: line.order,
            cents: { line.amount }.cents()?,
            product: narrow(line.product)?,
            quantity: narrow(line.quantity)?,
        })
    }

    #[inline]
    fn line(self) -> Line {
        Line {
            order: self.order,
            product: widen(self.product),
            quantity: widen(self.quantity),
            amount: Money::from_cents(self.cents),
        }
    }
}

/// Product lines in the order they were listed: 12 bytes a line while every line fits a
/// `NarrowLine`, and 20 ([`Line`]) from the first that does not. A 1 GB Shopify-style export
/// lists 6.7 million lines: 81 MB instead of 135 in the wasm heap.
///
/// Kept in chunks (a `Chunked` list), which a list of any length needs no estimate for (the list was
/// reserved from the file's size before), and which the lines sorted by order
/// ([`LineList::sort_by_order`]) are written to as well: the page's wasm memory never shrinks,
/// and the sorted copy in one piece found no hole to fit in once the orders had been laid out
/// in their 4-byte columns, growing the 1 GB Shopify-style file's session by 76 MiB in Node.
#[derive(Debug, Default, Clone)]
pub struct LineList {
    /// The lines while all fit in 12 bytes; else empty.
    narrow: Chunked<NarrowLine>,
    /// The lines once one did not; else empty.
    wide: Chunked<Line>,
}

impl LineList {
    pub fn len(&self) -> usize {
        self.narrow.len() + self.wide.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn push(&mut self, line: Line) {
        if self.wide.is_empty() {
            if let Some(n) = NarrowLine::of(line) {
                return self.narrow.push(n);
            }
            self.wide = self.widened(self.narrow.len());
            self.narrow = Chunked::default();
        }
        self.wide.push(line);
    }

    /// The first `kept` narrow lines in 20 bytes each.
    fn widened(&self, kept: usize) -> Chunked<Line> {
        let mut wide = Chunked::default();
        self.narrow.iter().take(kept).for_each(|n| wide.push(n.line()));
        wide
    }

    /// Replaces each line by what `f` makes of it, dropping those it gives `None` for, in place
    /// (the list is widened if a line it makes does not fit in 12 bytes).
    pub fn filter_map(&mut self, mut f: impl FnMut(Line) -> Option<Line>) {
        if !self.wide.is_empty() {
            let mut kept = 0;
            for i in 0..self.wide.len() {
                if let Some(line) = f(self.wide[i]) {
                    self.wide[kept] = line;
                    kept += 1;
                }
            }
            self.wide.truncate(kept);
            return;
        }
        let mut kept = 0;
        for i in 0..self.narrow.len() {
            let Some(line) = f(self.narrow[i].line()) else { continue };
            match NarrowLine::of(line) {
                Some(n) => {
                    self.narrow[kept] = n;
                    kept += 1;
                }
                None => {
                    let mut wide = self.widened(kept);
                    wide.push(line);
                    for k in i + 1..self.narrow.len() {
                        if let Some(l) = f(self.narrow[k].line()) {
                            wide.push(l);
                        }
                    }
                    self.wide = wide;
                    self.narrow = Chunked::default();
                    return;
                }
            }
        }
        self.narrow.truncate(kept);
    }

    /// Gives back room the last chunk holds beyond its lines.
    pub fn shrink_to_fit(&mut self) {
        self.narrow.shrink_to_fit();
        self.wide.shrink_to_fit();
    }

    /// Puts the lines in order of their orders, those of one order as they were.
    pub fn sort_by_order(&mut self) {
        self.narrow = by_order(&self.narrow, |l| l.order);
        self.wide = by_order(&self.wide, |l| l.order);
    }

    pub fn iter(&self) -> LinesIter<'_> {
        if self.wide.is_empty() {
            LinesIter::Narrow(self.narrow.iter())
        } else {
            LinesIter::Wide(self.wide.iter())
        }
    }
}

/// `lines` in order of their orders (`order_of`), by counting: one pass counts each order's
/// lines, one writes each line at its order's next place. Lines come in file order, which grouping
/// the orders by customer scatters. On the 100 MB Shopify-style file (673,586 lines), renumbering
/// and sorting its lines took 18 ms natively with a comparison sort and 4–9 ms this way; settling
/// the file in Node's wasm, 56–65 ms and 40–44. Made after the drafts are freed, the copy kept
/// settling below the reading's peak memory on the 100 MB and 1 GB Shopify-style files.
fn by_order<T: Copy>(lines: &Chunked<T>, order_of: impl Fn(&T) -> u32) -> Chunked<T> {
    let Some(&first) = lines.iter().next() else { return Chunked::default() };
    if u32::try_from(lines.len()).is_err() {
        // Places past u32 (48 GB of lines): sorted the slow way, not counted.
        let mut sorted: Vec<T> = lines.iter().copied().collect();
        sorted.sort_by_key(|l| order_of(l));
        let mut list = Chunked::default();
        sorted.into_iter().for_each(|l| list.push(l));
        return list;
    }
    let orders = lines.iter().map(&order_of).max().map_or(0, |o| o as usize + 1);
    // Where each order's lines go, then (as they are written) where its next line goes.
    let mut next = vec![0u32; orders];
    for l in lines.iter() {
        next[order_of(l) as usize] += 1;
    }
    let mut at = 0;
    for n in next.iter_mut() {
        (*n, at) = (at, at + *n);
    }
    let mut sorted = Chunked::filled(lines.len(), first);
    for &l in lines.iter() {
        let n = &mut next[order_of(&l) as usize];
        sorted[*n as usize] = l;
        *n += 1;
    }
    sorted
}

/// The orders' product lines.
///
/// An order report names one product per order (Taobao's 订单报表, a generic order list): each
/// line is then its order's product, items and gross, which [`Orders`] already holds, and the
/// list is not kept.
#[derive(Debug, Default, Clone)]
pub struct Lines {
    listed: LineList,
    /// The lines are [`Orders::implied_lines`], one per order naming a product.
    implied: bool,
}

impl Lines {
    /// Keeps `listed`, unless it is exactly the orders' implied lines. The lines are kept in
    /// order of their orders, which the sections rely on (sorted here if they are not).
    pub fn new(mut listed: LineList, orders: &Orders) -> Lines {
        // Through `fold`, which reads each chunk in a plain loop (`all` would call `next` a line).
        let (_, in_order) = listed.iter().fold((0, true), |(last, ok), l| (l.order, ok && last <= l.order));
        if !in_order {
            listed.sort_by_order();
        }
        let implied = !listed.is_empty() && listed.iter().eq(orders.implied_lines());
        if implied {
            Lines { listed: LineList::default(), implied }
        } else {
            // Collected in place, the lines keep the room reserved from the file's size.
            listed.shrink_to_fit();
            Lines { listed, implied }
        }
    }

    /// The orders' implied lines, one for each order naming a product.
    pub fn implied(orders: &Orders) -> Lines {
        Lines { listed: LineList::default(), implied: orders.implied_lines().next().is_some() }
    }

    pub fn is_empty(&self) -> bool {
        !self.implied && self.listed.is_empty()
    }

    /// Every product line, in order.
    pub fn iter<'a>(&'a self, orders: &'a Orders) -> LinesIter<'a> {
        if self.implied {
            orders.implied_lines()
        } else {
            self.listed.iter()
        }
    }
}

/// Product lines, listed or implied: a plain loop over each kind, which the sections run through
/// twice each (a chain of iterator adapters made the report a tenth slower in the wasm).
pub enum LinesIter<'a> {
    Narrow(chunked::Iter<'a, NarrowLine>),
    Wide(chunked::Iter<'a, Line>),
    Implied { orders: &'a Orders, product: SmallValues<'a>, items: SmallValues<'a>, at: usize },
}

impl Iterator for LinesIter<'_> {
    type Item = Line;

    #[inline]
    fn next(&mut self) -> Option<Line> {
        match self {
            LinesIter::Narrow(lines) => lines.next().map(|n| n.line()),
            LinesIter::Wide(lines) => lines.next().copied(),
            LinesIter::Implied { orders, product, items, at } => {
                // Through views of the columns taken once, not read from the columns per order.
                while *at < orders.len() {
                    let i = *at;
                    *at += 1;
                    let product = product.get(i);
                    if product != NONE {
                        return Some(Line {
                            order: i as u32,
                            product,
                            quantity: items.get(i),
                            amount: orders.gross.get(i),
                        });
                    }
                }
                None
            }
        }
    }

    /// The lines through one loop per kind, the kind matched once: `for_each` over the lines
    /// comes here. Through `next`, which wasm did not inline, each line was a call and a match.
    fn fold<B, F: FnMut(B, Line) -> B>(self, init: B, mut f: F) -> B {
        match self {
            LinesIter::Narrow(lines) => lines.fold(init, |acc, n| f(acc, n.line())),
            LinesIter::Wide(lines) => lines.fold(init, |acc, &l| f(acc, l)),
            LinesIter::Implied { orders, product, items, at } => {
                let gross = orders.gross.values();
                (at..orders.len()).fold(init, |acc, i| {
                    let product = product.get(i);
                    if product == NONE {
                        return acc;
                    }
                    f(acc, Line { order: i as u32, product, quantity: items.get(i), amount: gross.get(i) })
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::SCALE;

    fn line(order: u32, product: u32, quantity: u32, amount: i64) -> Line {
        Line { order, product, quantity, amount: Money(amount) }
    }

    /// Lines that fit stay 12 bytes; the first that does not (a fraction of a cent, a product or
    /// quantity from 0xFFFF, an amount past i32 cents) widens the list, which reads the same.
    #[test]
    fn lines_stay_narrow_until_one_does_not_fit() {
        let small = [line(0, 3, 2, 19_990_000), line(1, u32::MAX, 0xFFFE, -500), line(2, 0, 1, 0)];
        let too_big = [
            line(3, 7, 1, 12_345),
            line(3, 0xFFFF, 1, 100),
            line(3, 7, 70_000, 100),
            line(3, 7, 1, Money::from_cents(i32::MAX).0 + SCALE / 100),
        ];
        for big in too_big {
            let mut list = LineList::default();
            small.iter().for_each(|&l| list.push(l));
            assert_eq!((list.narrow.len(), list.wide.len()), (3, 0));
            list.push(big);
            list.push(small[0]);
            assert_eq!((list.narrow.len(), list.wide.len()), (0, 5), "{big:?}");
            let expected = [&small[..], &[big, small[0]]].concat();
            assert_eq!(list.iter().collect::<Vec<_>>(), expected);
            let mut folded = Vec::new();
            list.iter().for_each(|l| folded.push(l));
            assert_eq!(folded, expected, "for_each");
        }
    }

    /// `filter_map` drops and rewrites lines in place, widening at the first rewritten line that
    /// does not fit, with every later line still passed through.
    #[test]
    fn filter_map_drops_rewrites_and_widens() {
        let mut list = LineList::default();
        (0..6).for_each(|i| list.push(line(i, i, 1, 100)));
        list.filter_map(|l| (l.order % 2 == 0).then(|| line(l.order / 2, l.product, 2, 100)));
        assert_eq!(list.iter().map(|l| (l.order, l.quantity)).collect::<Vec<_>>(), [(0, 2), (1, 2), (2, 2)]);
        assert_eq!(list.wide.len(), 0);
        let mut seen = Vec::new();
        list.filter_map(|l| {
            seen.push(l.order);
            (l.order != 2).then(|| if l.order == 0 { line(0, 0, 1, 1) } else { l })
        });
        assert_eq!(seen, [0, 1, 2], "every line is passed to f once");
        assert_eq!(list.iter().collect::<Vec<_>>(), [line(0, 0, 1, 1), line(1, 2, 2, 100)]);
        assert_eq!(list.narrow.len(), 0);
        list.filter_map(|l| Some(line(l.order + 1, l.product, l.quantity, { l.amount }.0)));
        assert_eq!(list.iter().map(|l| l.order).collect::<Vec<_>>(), [1, 2]);
    }

    /// Lines kept for the sections come in order of their orders, sorted if they were not.
    #[test]
    fn kept_lines_are_in_order_of_their_orders() {
        for orders in [[0, 1, 1, 2], [2, 0, 1, 0]] {
            let mut list = LineList::default();
            orders.iter().enumerate().for_each(|(k, &o)| list.push(line(o, k as u32, 1, 100)));
            let kept = Lines::new(list, &Orders::default());
            let got: Vec<(u32, u32)> = kept.listed.iter().map(|l| (l.order, l.product)).collect();
            let mut expected: Vec<(u32, u32)> = orders.iter().zip(0..).map(|(&o, k)| (o, k)).collect();
            expected.sort_by_key(|&(o, _)| o);
            assert_eq!(got, expected);
        }
    }

    /// Sorting by order keeps each order's lines in the order they came, narrow or wide.
    #[test]
    fn sort_by_order_is_a_stable_sort_by_order() {
        // Enough lines for a comparison sort that is not stable to show it.
        let orders: Vec<u32> = (0..300u32).map(|k| k * 7919 % 13 + k % 2 * 20).collect();
        for wide in [false, true] {
            let mut list = LineList::default();
            let mut expected = Vec::new();
            for (k, &o) in orders.iter().enumerate() {
                let amount = if wide { k as i64 + 1 } else { 100 * (k as i64 + 1) };
                list.push(line(o, k as u32, 1, amount));
                expected.push(line(o, k as u32, 1, amount));
            }
            assert_eq!(list.wide.is_empty(), !wide);
            list.sort_by_order();
            expected.sort_by_key(|l| l.order);
            assert_eq!(list.iter().collect::<Vec<_>>(), expected, "wide: {wide}");
        }
        let mut empty = LineList::default();
        empty.sort_by_order();
        assert!(empty.is_empty());
    }

    /// Orders are grouped by customer once read; their listed lines follow them, so that the
    /// sections reading lines beside orders read both in step.
    #[test]
    fn listed_lines_follow_the_grouped_orders() {
        let shop = "order,customer,date,product,quantity,price\n\
                    1,ann,2024-01-01,tea,1,5\n1,ann,2024-01-01,cup,2,3\n\
                    2,bob,2024-01-02,pot,1,9\n2,bob,2024-01-02,tea,1,5\n\
                    3,ann,2024-01-03,cup,4,3\n3,ann,2024-01-03,pot,1,9\n";
        let (data, _) = crate::ingest::import_files(&[("shop.csv", shop.as_bytes())], Default::default())
            .expect("the test shop imports");
        let got: Vec<(u32, &str, &str)> = data
            .lines()
            .map(|l| {
                let customer = data.customers.get(data.orders.customer[l.order as usize]).unwrap_or("?");
                (l.order, customer, data.products.get(l.product).unwrap_or("?"))
            })
            .collect();
        assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "{got:?}");
        let mut by_order: Vec<(u32, &str, &str)> = got.clone();
        by_order.sort();
        let expected = [
            (0, "ann", "cup"),
            (0, "ann", "tea"),
            (1, "ann", "cup"),
            (1, "ann", "pot"),
            (2, "bob", "pot"),
            (2, "bob", "tea"),
        ];
        assert_eq!(by_order, expected);
    }

    /// An order report's lines are implied by its orders; a second line in one order, or a
    /// line whose money is its own, keeps the list. Either way the lines read the same.
    #[test]
    fn lines_are_kept_only_when_the_orders_do_not_imply_them() {
        let report = "order,customer,date,amount,product,quantity\n1,ann,2024-01-01,50,tea,2\n2,bob,2024-01-02,20,,1\n3,ann,2024-01-05,30,cup,1\n";
        let two_lines =
            "order,customer,date,amount,product,quantity\n1,ann,2024-01-01,50,tea,2\n1,ann,2024-01-01,50,cup,1\n";
        let own_money = "order,customer,date,total,product,quantity,line total\n1,ann,2024-01-01,50,tea,2,45\n";
        // Order 1's first line is listed when its second (without a product) comes, with the
        // items of the first alone; order 2's when the file ends.
        let interleaved = "order,customer,date,amount,product,quantity\n1,ann,2024-01-01,50,tea,2\n2,bob,2024-01-02,20,cup,1\n1,ann,2024-01-01,50,,3\n";
        for (shop, implied, lines) in [
            // Ann's two orders come first, grouped: bob's, without a product, is order 2.
            (report, true, vec![(0, "tea", 2, 50), (1, "cup", 1, 30)]),
            (two_lines, false, vec![(0, "tea", 2, 0), (0, "cup", 1, 0)]),
            (own_money, false, vec![(0, "tea", 2, 45)]),
            (interleaved, false, vec![(0, "tea", 2, 50), (1, "cup", 1, 20)]),
        ] {
            let (data, _) = crate::ingest::import_files(&[("shop.csv", shop.as_bytes())], Default::default())
                .expect("the test shop imports");
            assert_eq!(data.lines.implied, implied, "{shop}");
            assert_eq!(data.lines.listed.is_empty(), implied, "{shop}");
            let got: Vec<(u32, &str, u32, i64)> = data
                .lines()
                .map(|l| (l.order, data.products.get(l.product).unwrap_or("?"), l.quantity, l.amount.0 / SCALE))
                .collect();
            assert_eq!(got, lines, "{shop}");
            // `fold` (what `for_each` runs) gives what `next` gives, for each kind of list.
            let mut by_next = Vec::new();
            for l in data.lines() {
                by_next.push(l); // a `for` loop calls `next`
            }
            let mut by_fold = Vec::new();
            data.lines().for_each(|l| by_fold.push(l));
            assert_eq!(by_fold, by_next, "{shop}");
        }
    }
}
