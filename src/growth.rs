//! How the import's largest lists grow: by a quarter, not by doubling.
//!
//! A `Vec` that runs out of room doubles, so a list ends up to twice the size it needs, and while
//! it moves, the old and the new copy are both held. The page's wasm memory never shrinks, so that
//! spare room stays the page's for good: on the 1 GB Taobao-style file, whose row estimate fell
//! 0.1 % short, the drafts' list doubled from 235 to 470 MB. Growing by a quarter copies more often
//! (about five times each item, instead of twice) and keeps at most a quarter spare.
//!
//! Used for contacts (the drafts and the product lines, which grew this way too, are now
//! [`crate::chunked::Chunked`] lists that never move). The
//! interners keep `Vec`'s doubling: measured in Node, their keys growing by quarters left holes
//! the heap could not reuse, and the 100 MB Shopify-style file's memory rose from 103 to 120 MB.

/// The room to add when `len` items need `more` beyond what is reserved: a quarter of what is
/// there, and at least `more` and a few pages' worth of small items.
pub fn extra(len: usize, more: usize) -> usize {
    more.max(len / 4).max(256)
}

/// Makes room for `more` items in `list`, by a quarter at a time.
#[inline]
pub fn reserve<T>(list: &mut Vec<T>, more: usize) {
    if list.capacity() - list.len() < more {
        grow(list, more);
    }
}

/// `list.push(item)`, growing by a quarter when full.
#[inline]
pub fn push<T>(list: &mut Vec<T>, item: T) {
    reserve(list, 1);
    list.push(item);
}

/// The rare part of `reserve`, out of the rows' way.
#[cold]
#[inline(never)]
fn grow<T>(list: &mut Vec<T>, more: usize) {
    list.reserve_exact(extra(list.len(), more));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_lists_grow_by_a_quarter_and_reserves_are_kept() {
        let mut list: Vec<u64> = Vec::with_capacity(10_000);
        for i in 0..10_000 {
            push(&mut list, i);
        }
        assert_eq!(list.capacity(), 10_000, "the reserve is used before growing");
        push(&mut list, 10_000);
        assert_eq!(list.capacity(), 12_500);
        reserve(&mut list, 5_000);
        assert!(list.capacity() >= 15_001 && list.capacity() < 16_000, "{}", list.capacity());
        let mut small: Vec<u8> = Vec::new();
        push(&mut small, 1);
        assert_eq!(small.capacity(), 256);
        assert_eq!(list.iter().copied().sum::<u64>(), (0..=10_000u64).sum::<u64>());
    }
}
