//! Each customer's gross and net spend.

use crate::model::{MoneyColumn, MoneyValues};
use crate::money::Money;

/// Gross and net spend per fact row. Net is gross less refunds and credit notes, and in a shop
/// with neither (a `customer,date,amount` file) it is gross for everyone: no second column is
/// kept until a customer's net differs, 4 bytes a customer that the customer table keeps for
/// the session.
#[derive(Debug, Clone, Default)]
pub struct Spend {
    gross: MoneyColumn,
    /// `None` while every net so far is its gross.
    net: Option<MoneyColumn>,
    /// Rows expected ([`Spend::reserve`]), for a net column started late.
    expected: usize,
}

impl Spend {
    /// Room for `n` more rows, reserved exactly.
    pub fn reserve(&mut self, n: usize) {
        self.expected = self.gross.len().saturating_add(n);
        self.gross.reserve(n);
        if let Some(net) = &mut self.net {
            net.reserve(n);
        }
    }

    pub fn push(&mut self, gross: Money, net: Money) {
        match &mut self.net {
            Some(column) => column.push(net),
            None if net != gross => self.start_net(net),
            None => {}
        }
        self.gross.push(gross);
    }

    /// The first net unlike its gross: the net column starts, with the grosses before it.
    #[cold]
    fn start_net(&mut self, net: Money) {
        let mut column = MoneyColumn::default();
        column.reserve(self.expected.max(self.gross.len() + 1));
        self.gross.values().iter().for_each(|m| column.push(m));
        column.push(net);
        self.net = Some(column);
    }

    pub fn len(&self) -> usize {
        self.gross.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `c`'s gross; panics if there is no row `c`, as a slice does.
    #[inline]
    pub fn gross(&self, c: usize) -> Money {
        self.gross.get(c)
    }

    #[inline]
    pub fn net(&self, c: usize) -> Money {
        self.net.as_ref().unwrap_or(&self.gross).get(c)
    }

    pub fn gross_values(&self) -> MoneyValues<'_> {
        self.gross.values()
    }

    pub fn net_values(&self) -> MoneyValues<'_> {
        self.net.as_ref().unwrap_or(&self.gross).values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Net reads as gross until one differs, then each row keeps its own, however kept.
    #[test]
    fn net_is_gross_until_one_differs() {
        for odd in [Money::units(3), Money(3)] {
            let mut s = Spend::default();
            s.reserve(4);
            let rows = [(Money::units(5), Money::units(5)), (Money::units(7), Money::units(7)), (Money::units(9), odd)];
            for (i, &(g, n)) in rows.iter().enumerate() {
                s.push(g, n);
                assert_eq!(s.net.is_some(), i == 2);
            }
            s.push(Money::units(1), Money::units(1));
            let want = [Money::units(5), Money::units(7), odd, Money::units(1)];
            assert_eq!((0..s.len()).map(|c| s.net(c)).collect::<Vec<_>>(), want);
            assert_eq!(s.net_values().iter().collect::<Vec<_>>(), want);
            assert_eq!(s.gross_values().iter().collect::<Vec<_>>()[2], Money::units(9));
            assert_eq!(s.gross(3), Money::units(1));
        }
        let mut s = Spend::default();
        s.push(Money::units(2), Money::units(2));
        assert!(s.net.is_none() && s.net(0) == Money::units(2));
    }
}
