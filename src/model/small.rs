//! A column of `u32` values that keeps them in two bytes each while they are small.

use super::column::gathered;

/// One value per order (or per customer) for products, regions and item counts: numbers with no
/// bound, but small in almost every shop (a few thousand products, a few dozen regions, a few
/// items an order). While every value is below `0xFFFF` or is `u32::MAX` ([`super::NONE`]), each
/// is kept in two bytes; the first larger value widens the column to four. On the 1 GB
/// Taobao-style file (5.9 million orders) that is 34 MB less for three order columns, which
/// the import lays out while its drafts are still held.
///
/// It stores nothing while every value is its fill: a `customer,date,amount` file has no
/// products or regions and one item an order, and its 4 million orders would otherwise hold
/// 24 MB of those. Read with [`SmallColumn::get`].
#[derive(Debug, Clone)]
pub struct SmallColumn {
    /// The values while all are small (and not all `fill`); else empty.
    narrow: Vec<u16>,
    /// The values once one was not small; else empty.
    wide: Vec<u32>,
    len: usize,
    fill: u32,
    /// The length expected ([`SmallColumn::reserve`]), reserved at once when values are first
    /// stored.
    expected: usize,
}

/// How `u32::MAX` is kept in two bytes; no other value is kept as this.
const NARROW_MAX: u16 = u16::MAX;

pub(super) fn narrow(v: u32) -> Option<u16> {
    if v == u32::MAX {
        return Some(NARROW_MAX);
    }
    u16::try_from(v).ok().filter(|&n| n != NARROW_MAX)
}

pub(super) fn widen(n: u16) -> u32 {
    if n == NARROW_MAX {
        u32::MAX
    } else {
        u32::from(n)
    }
}

impl SmallColumn {
    /// An empty column whose values are all `fill` until one is not.
    pub const fn new(fill: u32) -> SmallColumn {
        SmallColumn { narrow: Vec::new(), wide: Vec::new(), len: 0, fill, expected: 0 }
    }

    /// Expects `n` more values: room for them is reserved, exactly, if the column stores any.
    pub fn reserve(&mut self, n: usize) {
        self.expected = self.len.saturating_add(n);
        if !self.wide.is_empty() {
            self.wide.reserve_exact(n);
        } else if !self.narrow.is_empty() {
            self.narrow.reserve_exact(n);
        }
    }

    /// Appends `v`. The usual cases (a value like the ones before) are answered where this is
    /// called, once for every order in each such column; storing starts or widens out of line.
    #[inline]
    pub fn push(&mut self, v: u32) {
        if !self.wide.is_empty() {
            self.wide.push(v);
        } else if !self.narrow.is_empty() {
            match narrow(v) {
                Some(n) => self.narrow.push(n),
                None => self.push_changing(v),
            }
        } else if v != self.fill {
            // A uniform column (nothing stored) meets its first different value.
            self.push_changing(v);
        }
        self.len += 1;
    }

    /// Stores `v` where the column cannot hold it as it stands: the first value unlike the
    /// uniform ones, or the first too wide for two bytes. (`len` is counted by the caller.)
    #[inline(never)]
    fn push_changing(&mut self, v: u32) {
        if !self.narrow.is_empty() {
            self.wide = self.widened();
            self.narrow = Vec::new();
            self.wide.push(v);
            return;
        }
        let room = self.expected.max(self.len + 1);
        match (narrow(self.fill), narrow(v)) {
            (Some(fill), Some(n)) => {
                self.narrow.reserve_exact(room);
                self.narrow.resize(self.len, fill);
                self.narrow.push(n);
            }
            _ => {
                self.wide.reserve_exact(room);
                self.wide.resize(self.len, self.fill);
                self.wide.push(v);
            }
        }
    }

    /// The values so far in four bytes each, with room for the rest expected.
    fn widened(&self) -> Vec<u32> {
        let mut wide = Vec::with_capacity(self.expected.max(self.len + 1));
        wide.extend(self.narrow.iter().map(|&n| widen(n)));
        wide
    }

    /// The value at `i`; panics if `i` is out of bounds, as a `Vec` does.
    #[inline]
    pub fn get(&self, i: usize) -> u32 {
        self.values().get(i)
    }

    /// The values, to read many of: which way they are kept is looked at once, not per value.
    pub fn values(&self) -> SmallValues<'_> {
        if !self.narrow.is_empty() {
            SmallValues::Narrow(&self.narrow)
        } else if !self.wide.is_empty() {
            SmallValues::Wide(&self.wide)
        } else {
            SmallValues::Same(self.fill, self.len)
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value every entry has, if they all have the same (an empty column's is its fill).
    pub fn uniform(&self) -> Option<u32> {
        (self.narrow.is_empty() && self.wide.is_empty()).then_some(self.fill)
    }

    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len).map(move |i| self.get(i))
    }

    /// Reorders the column so that value `k` is the one that was at `from[k]`.
    pub fn gather(&mut self, from: &[u32]) {
        if !self.narrow.is_empty() {
            self.narrow = gathered(&self.narrow, from);
        } else if !self.wide.is_empty() {
            self.wide = gathered(&self.wide, from);
        }
    }

    /// Gives back room reserved for values that did not come.
    pub fn shrink_to_fit(&mut self) {
        self.narrow.shrink_to_fit();
        self.wide.shrink_to_fit();
    }
}

/// A [`SmallColumn`]'s values as kept: all the same (the value and how many), or two or four
/// bytes each.
#[derive(Debug, Clone, Copy)]
pub enum SmallValues<'a> {
    Same(u32, usize),
    Narrow(&'a [u16]),
    Wide(&'a [u32]),
}

impl SmallValues<'_> {
    /// The value at `i`; panics if `i` is out of bounds, as a slice does.
    #[inline]
    pub fn get(self, i: usize) -> u32 {
        match self {
            SmallValues::Narrow(n) => widen(n[i]),
            SmallValues::Wide(w) => w[i],
            SmallValues::Same(v, len) => {
                assert!(i < len, "index out of a column");
                v
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_take_two_bytes_until_a_large_one_comes() {
        let mut c = SmallColumn::new(u32::MAX);
        c.reserve(1000);
        for _ in 0..10 {
            c.push(u32::MAX);
        }
        assert_eq!((c.uniform(), c.narrow.capacity(), c.wide.capacity()), (Some(u32::MAX), 0, 0));
        for v in [0, 7, 0xFFFE, u32::MAX] {
            c.push(v);
        }
        assert_eq!((c.uniform(), c.narrow.capacity(), c.wide.capacity()), (None, 1000, 0));
        assert_eq!(c.iter().collect::<Vec<_>>()[9..], [u32::MAX, 0, 7, 0xFFFE, u32::MAX]);
        // 0xFFFF is not small: it would read back as `u32::MAX`.
        c.push(0xFFFF);
        c.push(3);
        assert!(c.narrow.is_empty() && c.wide.capacity() >= 1000);
        let expected: Vec<u32> = [vec![u32::MAX; 10], vec![0, 7, 0xFFFE, u32::MAX, 0xFFFF, 3]].concat();
        assert_eq!(c.iter().collect::<Vec<_>>(), expected);
        assert_eq!(c.len(), 16);
    }

    #[test]
    fn a_large_first_value_or_fill_is_kept_wide() {
        let mut c = SmallColumn::new(1);
        c.push(1);
        c.push(70_000);
        assert_eq!((c.get(0), c.get(1), c.narrow.len(), c.wide.len()), (1, 70_000, 0, 2));
        let mut c = SmallColumn::new(0x1_0000);
        c.push(2);
        assert_eq!((c.get(0), c.wide.len()), (2, 1));
    }

    #[test]
    fn gathers_in_either_width() {
        for large in [false, true] {
            let mut c = SmallColumn::new(0);
            let values = [5, 0, 9, if large { 100_000 } else { 8 }];
            values.iter().for_each(|&v| c.push(v));
            c.gather(&[3, 0, 2, 1]);
            assert_eq!(c.iter().collect::<Vec<_>>(), [values[3], 5, 9, 0]);
            let kept = c.values();
            assert!(matches!(kept, SmallValues::Wide(_)) == large && kept.get(1) == 5);
        }
    }

    #[test]
    #[should_panic(expected = "out of a column")]
    fn reading_past_the_end_of_a_uniform_column_panics() {
        let mut c = SmallColumn::new(0);
        c.push(0);
        let _ = c.get(1);
    }
}
