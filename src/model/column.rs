//! A column that holds nothing while all its values are the same.

use std::ops::Index;

/// One value per order (or per customer), stored only once a value differs from the column's
/// `fill`. A `customer,date,amount` file has no refunds, products or regions and one item an
/// order: its 4 million orders would otherwise hold 64 MB of those, and its 2 million customers
/// 24 MB of "no product, no region".
///
/// Reads are by index (`column[i]`), as for a `Vec`.
#[derive(Debug, Clone)]
pub struct Column<T> {
    /// Empty while every value is `fill`; else all `len` values.
    values: Vec<T>,
    len: usize,
    fill: T,
    /// The length expected ([`Column::reserve`]), reserved at once when the first differing
    /// value comes.
    expected: usize,
}

impl<T: Copy + PartialEq> Column<T> {
    /// An empty column whose values are all `fill` until one is not.
    pub const fn new(fill: T) -> Column<T> {
        Column { values: Vec::new(), len: 0, fill, expected: 0 }
    }

    /// Expects `n` more values: room for them is reserved, exactly, if the column stores any.
    pub fn reserve(&mut self, n: usize) {
        self.expected = self.len.saturating_add(n);
        if !self.values.is_empty() {
            self.values.reserve_exact(n);
        }
    }

    pub fn push(&mut self, v: T) {
        if self.values.is_empty() {
            if v == self.fill {
                self.len += 1;
                return;
            }
            self.values.reserve_exact(self.expected.max(self.len + 1));
            self.values.resize(self.len, self.fill);
        }
        self.values.push(v);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value every entry has, if they all have the same (an empty column's is its fill).
    pub fn uniform(&self) -> Option<T> {
        self.values.is_empty().then_some(self.fill)
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        (0..self.len).map(move |i| self[i])
    }

    /// Every value, to change in place, if the column stores them (`None` while all are `fill`).
    pub fn stored_mut(&mut self) -> Option<&mut [T]> {
        (!self.values.is_empty()).then_some(self.values.as_mut_slice())
    }

    /// Reorders the column so that value `k` is the one that was at `from[k]`.
    pub fn gather(&mut self, from: &[u32]) {
        if !self.values.is_empty() {
            self.values = gathered(&self.values, from);
        }
    }

    /// Gives back room reserved for values that did not come.
    pub fn shrink_to_fit(&mut self) {
        self.values.shrink_to_fit();
    }
}

/// `list` reordered so that item `k` is the one that was at `from[k]`.
pub fn gathered<T: Copy>(list: &[T], from: &[u32]) -> Vec<T> {
    from.iter().map(|&i| list[i as usize]).collect()
}

impl<T: Copy + PartialEq> Index<usize> for Column<T> {
    type Output = T;

    /// The value at `i`; panics if `i` is out of bounds, as a `Vec` does.
    fn index(&self, i: usize) -> &T {
        if self.values.is_empty() {
            assert!(i < self.len, "index out of a column");
            &self.fill
        } else {
            &self.values[i]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_nothing_until_a_value_differs() {
        let mut c = Column::new(7u32);
        c.reserve(1000);
        for _ in 0..100 {
            c.push(7);
        }
        assert_eq!((c.len(), c.uniform(), c.values.capacity()), (100, Some(7), 0));
        assert_eq!(c[99], 7);
        c.push(3);
        c.push(7);
        assert_eq!(c.uniform(), None);
        assert_eq!(c.values.capacity(), 1000, "the room expected is reserved at the first differing value");
        assert_eq!((c.len(), c[0], c[99], c[100], c[101]), (102, 7, 7, 3, 7));
        assert_eq!(c.iter().filter(|&v| v == 3).count(), 1);
        assert_eq!(c.iter().count(), 102);
    }

    #[test]
    fn a_first_value_that_differs_is_stored() {
        let mut c = Column::new(0i64);
        c.push(5);
        assert_eq!((c.len(), c[0], c.uniform()), (1, 5, None));
    }

    #[test]
    #[should_panic(expected = "out of a column")]
    fn reading_past_the_end_of_a_uniform_column_panics() {
        let mut c = Column::new(0u8);
        c.push(0);
        let _ = c[1];
    }
}
