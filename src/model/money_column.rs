//! A column of amounts that keeps them in four bytes each while they are whole cents.

use super::column::gathered;
use crate::money::Money;
use std::ops::Range;

/// One amount per order: a [`Money`] is eight bytes (ten-thousandths of a unit), but an order's
/// gross in a two-decimal currency is whole cents, and below ±21 million units it fits in four
/// ([`Money::cents`]). While every amount does, the column keeps cents; the first that does not
/// widens it to [`Money`]s. On the 1 GB GBK benchmark file (6.4 million orders) that is 25 MB
/// less, in the page's wasm memory, which never shrinks, at the import's highest point: the
/// order columns are laid out while the drafts are still held, then laid out again by customer.
///
/// Read through [`MoneyColumn::values`], which looks at how the amounts are kept once.
#[derive(Debug, Clone)]
pub struct MoneyColumn(Kept);

#[derive(Debug, Clone)]
enum Kept {
    Cents(Vec<i32>),
    Wide(Vec<Money>),
}

impl Default for MoneyColumn {
    fn default() -> MoneyColumn {
        MoneyColumn(Kept::Cents(Vec::new()))
    }
}

impl MoneyColumn {
    /// Room for `n` more amounts, reserved exactly.
    pub fn reserve(&mut self, n: usize) {
        match &mut self.0 {
            Kept::Cents(v) => v.reserve_exact(n),
            Kept::Wide(v) => v.reserve_exact(n),
        }
    }

    #[inline]
    pub fn push(&mut self, m: Money) {
        match (&mut self.0, m.cents()) {
            (Kept::Cents(v), Some(c)) => v.push(c),
            (Kept::Wide(v), _) => v.push(m),
            (Kept::Cents(_), None) => self.push_widening(m),
        }
    }

    /// Widens the column for `m`, the first amount that is not whole cents in 32 bits, keeping
    /// the room reserved.
    #[cold]
    fn push_widening(&mut self, m: Money) {
        if let Kept::Cents(cents) = &self.0 {
            let mut wide = Vec::with_capacity(cents.capacity().max(cents.len() + 1));
            wide.extend(cents.iter().map(|&c| Money::from_cents(c)));
            wide.push(m);
            self.0 = Kept::Wide(wide);
        }
    }

    pub fn len(&self) -> usize {
        self.values().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The amount at `i`; panics if `i` is out of bounds, as a `Vec` does.
    #[inline]
    pub fn get(&self, i: usize) -> Money {
        self.values().get(i)
    }

    /// The amounts, to read many of.
    pub fn values(&self) -> MoneyValues<'_> {
        match &self.0 {
            Kept::Cents(v) => MoneyValues::Cents(v),
            Kept::Wide(v) => MoneyValues::Wide(v),
        }
    }

    /// `amounts` in ascending order: as cents if every one is whole cents, which halves the list
    /// and its sort (the customers' spend, sorted for every report: 16 MB with two million
    /// customers as [`Money`]s, the largest list the report made in one piece).
    pub fn sorted(amounts: MoneyValues) -> MoneyColumn {
        let wide = match amounts {
            MoneyValues::Cents(v) => {
                let mut cents = v.to_vec();
                cents.sort_unstable();
                return MoneyColumn(Kept::Cents(cents));
            }
            MoneyValues::Wide(v) => v,
        };
        let mut cents = Vec::with_capacity(wide.len());
        for m in wide {
            let Some(c) = m.cents() else {
                drop(cents);
                let mut wide = wide.to_vec();
                wide.sort_unstable();
                return MoneyColumn(Kept::Wide(wide));
            };
            cents.push(c);
        }
        cents.sort_unstable();
        MoneyColumn(Kept::Cents(cents))
    }

    /// Reorders the column so that amount `k` is the one that was at `from[k]`.
    pub fn gather(&mut self, from: &[u32]) {
        self.0 = match &self.0 {
            Kept::Cents(v) => Kept::Cents(gathered(v, from)),
            Kept::Wide(v) => Kept::Wide(gathered(v, from)),
        };
    }
}

/// A [`MoneyColumn`]'s amounts, or a run of them, as kept.
#[derive(Debug, Clone, Copy)]
pub enum MoneyValues<'a> {
    Cents(&'a [i32]),
    Wide(&'a [Money]),
}

impl Default for MoneyValues<'_> {
    fn default() -> Self {
        MoneyValues::Wide(&[])
    }
}

impl<'a> MoneyValues<'a> {
    pub fn len(self) -> usize {
        match self {
            MoneyValues::Cents(v) => v.len(),
            MoneyValues::Wide(v) => v.len(),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The amount at `i`; panics if `i` is out of bounds, as a slice does.
    #[inline]
    pub fn get(self, i: usize) -> Money {
        match self {
            MoneyValues::Cents(v) => Money::from_cents(v[i]),
            MoneyValues::Wide(v) => v[i],
        }
    }

    /// The amounts in `range`; panics if it is out of bounds, as a slice does.
    pub fn slice(self, range: Range<usize>) -> MoneyValues<'a> {
        match self {
            MoneyValues::Cents(v) => MoneyValues::Cents(&v[range]),
            MoneyValues::Wide(v) => MoneyValues::Wide(&v[range]),
        }
    }

    pub fn iter(self) -> MoneyIter<'a> {
        match self {
            MoneyValues::Cents(v) => MoneyIter::Cents(v.iter()),
            MoneyValues::Wide(v) => MoneyIter::Wide(v.iter()),
        }
    }

    /// The amounts added up (saturating, as [`Money`]'s `+` does).
    pub fn sum(self) -> Money {
        match self {
            MoneyValues::Cents(v) => v.iter().map(|&c| Money::from_cents(c)).sum(),
            MoneyValues::Wide(v) => v.iter().copied().sum(),
        }
    }

    /// The largest amount, if any.
    pub fn max(self) -> Option<Money> {
        match self {
            MoneyValues::Cents(v) => v.iter().copied().max().map(Money::from_cents),
            MoneyValues::Wide(v) => v.iter().copied().max(),
        }
    }
}

/// The amounts of a [`MoneyValues`] in turn.
#[derive(Debug, Clone)]
pub enum MoneyIter<'a> {
    Cents(std::slice::Iter<'a, i32>),
    Wide(std::slice::Iter<'a, Money>),
}

impl Iterator for MoneyIter<'_> {
    type Item = Money;

    #[inline]
    fn next(&mut self) -> Option<Money> {
        match self {
            MoneyIter::Cents(v) => v.next().map(|&c| Money::from_cents(c)),
            MoneyIter::Wide(v) => v.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            MoneyIter::Cents(v) => v.size_hint(),
            MoneyIter::Wide(v) => v.size_hint(),
        }
    }

    /// One loop for the way the amounts are kept, matched once (as `for_each` and `sum` use).
    fn fold<B, F: FnMut(B, Money) -> B>(self, init: B, mut f: F) -> B {
        match self {
            MoneyIter::Cents(v) => v.fold(init, |acc, &c| f(acc, Money::from_cents(c))),
            MoneyIter::Wide(v) => v.fold(init, |acc, &m| f(acc, m)),
        }
    }
}

impl ExactSizeIterator for MoneyIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(amounts: &[Money]) -> MoneyColumn {
        let mut c = MoneyColumn::default();
        c.reserve(amounts.len());
        amounts.iter().for_each(|&m| c.push(m));
        c
    }

    /// Whole cents in 32 bits are kept as cents; the first other amount widens the column, and
    /// every amount reads back the same either way, one at a time, in runs and added up.
    #[test]
    fn cents_until_an_amount_is_not() {
        let max = Money::from_cents(i32::MAX);
        let min = Money::from_cents(i32::MIN);
        let cents = [Money::units(5), Money(-2_500), max, min, Money::ZERO];
        let c = column(&cents);
        assert!(matches!(c.values(), MoneyValues::Cents(_)));
        for odd in [Money(1), Money(max.0 + 100), Money(min.0 - 100), Money(i64::MIN)] {
            let amounts = [&cents[..], &[odd, Money::units(3)]].concat();
            let c = column(&amounts);
            assert!(matches!(c.values(), MoneyValues::Wide(_)), "{odd:?}");
            assert_eq!((0..c.len()).map(|i| c.get(i)).collect::<Vec<_>>(), amounts);
        }
        for c in [column(&cents), column(&[&cents[..], &[Money(1)]].concat())] {
            let all: Vec<Money> = c.values().iter().collect();
            assert_eq!(all[..5], cents);
            assert_eq!(c.values().slice(1..3).iter().collect::<Vec<_>>(), all[1..3]);
            assert_eq!(c.values().slice(0..2).sum(), Money::units(5) + Money(-2_500));
            assert_eq!(c.values().sum(), all.iter().copied().sum());
            assert_eq!(c.values().max(), all.iter().copied().max());
            assert_eq!(c.values().iter().len(), all.len());
            let folded = c.values().iter().fold(Vec::new(), |mut v, m| {
                v.push(m);
                v
            });
            assert_eq!(folded, all);
        }
    }

    /// Sorted amounts read back ascending, as cents when all are whole cents, however they came.
    #[test]
    fn sorted_amounts_ascend_either_way() {
        let cents = [Money::units(5), Money(-2_500), Money::ZERO, Money::from_cents(i32::MAX)];
        let ascending = [Money(-2_500), Money::ZERO, Money::units(5), cents[3]];
        for c in [MoneyColumn::sorted(MoneyValues::Wide(&cents)), MoneyColumn::sorted(column(&cents).values())] {
            assert!(matches!(c.values(), MoneyValues::Cents(_)));
            assert_eq!(c.values().iter().collect::<Vec<_>>(), ascending);
        }
        let odd = [Money(7), Money::units(-1), Money(i64::MAX)];
        let c = MoneyColumn::sorted(MoneyValues::Wide(&odd));
        assert!(matches!(c.values(), MoneyValues::Wide(_)));
        assert_eq!(c.values().iter().collect::<Vec<_>>(), [Money::units(-1), Money(7), Money(i64::MAX)]);
        assert!(MoneyColumn::sorted(MoneyValues::Wide(&[])).is_empty());
    }

    /// Gathering moves the amounts, in either way of keeping them.
    #[test]
    fn gather_reorders() {
        for odd in [Money::units(9), Money(9)] {
            let mut c = column(&[Money::units(1), Money::units(2), odd]);
            c.gather(&[2, 0, 1]);
            assert_eq!(c.values().iter().collect::<Vec<_>>(), [odd, Money::units(1), Money::units(2)]);
        }
    }
}
