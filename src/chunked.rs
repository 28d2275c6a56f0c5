//! A list kept in chunks of fixed size, which never moves what it holds.
//!
//! The import makes one draft per order, and cannot know how many orders a file holds until it
//! is read. A `Vec` reserved from an estimate must be copied to a larger place when the estimate
//! falls short, holding both copies for a moment, and one reserved from a generous estimate holds
//! room it may never use: the page's wasm has 4 GB, and never gives memory back. The 1 GB
//! `customer,date,amount` file (39 million orders, 1.5 GB of drafts) ran out of memory while its
//! drafts grew past their reserve. A chunked list grows a chunk at a time and needs no estimate.

use std::ops::{Index, IndexMut};

/// Items per chunk: 2^16, 1.5 MB of 24-byte drafts. Indexing is a shift and a mask.
const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;

/// A [`Chunked`] list's items in order.
pub type Iter<'a, T> = std::iter::Flatten<std::slice::Iter<'a, Vec<T>>>;

/// A list of `T` in chunks of [`CHUNK`] items; the last chunk grows as a `Vec` does, so a list of
/// a few items holds a few items' room.
#[derive(Debug, Clone)]
pub struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => {
                if last.len() == last.capacity() {
                    // Doubling, but never past one chunk's room.
                    last.reserve_exact(last.len().max(16).min(CHUNK - last.len()));
                }
                last.push(item);
            }
            _ => {
                let mut chunk = Vec::with_capacity(if self.chunks.is_empty() { 16 } else { CHUNK });
                chunk.push(item);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    /// The item at `i`, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> CHUNK_BITS)?.get(i & (CHUNK - 1))
    }

    /// The last item pushed.
    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.chunks.last_mut()?.last_mut()
    }

    /// The items in order, each chunk freed once passed.
    pub fn into_items(self) -> impl Iterator<Item = T> {
        self.chunks.into_iter().flatten()
    }

    pub fn iter(&self) -> Iter<'_, T> {
        self.chunks.iter().flatten()
    }

    /// Keeps the first `len` items.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.chunks.truncate(len.div_ceil(CHUNK));
        if let Some(last) = self.chunks.last_mut() {
            last.truncate(len - (len - 1) / CHUNK * CHUNK);
        }
        self.len = len;
    }

    /// Gives back the room of the last chunk beyond its items.
    pub fn shrink_to_fit(&mut self) {
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        self.chunks.shrink_to_fit();
    }
}

impl<T: Clone> Chunked<T> {
    /// `n` copies of `value`: a list to write at any place of, a chunk at a time in memory.
    pub fn filled(n: usize, value: T) -> Chunked<T> {
        let chunks = (0..n.div_ceil(CHUNK)).map(|k| vec![value.clone(); CHUNK.min(n - k * CHUNK)]).collect();
        Chunked { chunks, len: n }
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

impl<T> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        &mut self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_and_iterates_across_chunks() {
        let mut list = Chunked::default();
        assert_eq!(list.last_mut(), None);
        let n = 3 * CHUNK + 5;
        for i in 0..n {
            list.push(i as u64);
            assert_eq!(list.last_mut(), Some(&mut (i as u64)));
        }
        assert_eq!(list.len(), n);
        assert_eq!(list.chunks.len(), 4);
        assert!(
            list.chunks[..3].iter().all(|c| c.len() == CHUNK && c.capacity() == CHUNK),
            "full chunks hold no spare room"
        );
        for i in [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK + 7, n - 1] {
            assert_eq!(list[i], i as u64);
            assert_eq!(list.get(i), Some(&(i as u64)));
        }
        assert_eq!((list.get(n), list.get(4 * CHUNK)), (None, None));
        list[CHUNK] += 100;
        assert_eq!(list[CHUNK], CHUNK as u64 + 100);
        assert!(list.iter().enumerate().all(|(i, &v)| v == i as u64 + if i == CHUNK { 100 } else { 0 }));
        list[CHUNK] -= 100;
        assert!(list.clone().into_items().eq(0..n as u64));
        assert_eq!(list.iter().count(), n);
    }

    #[test]
    fn filled_and_truncated_lists_hold_their_items() {
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3] {
            let mut list = Chunked::filled(n, 7u8);
            assert_eq!((list.len(), list.iter().count()), (n, n));
            assert!(list.iter().all(|&v| v == 7));
            assert!(list.chunks.iter().all(|c| c.len() == c.capacity()), "no spare room");
            for keep in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, n, n + 1] {
                let mut kept = list.clone();
                kept.truncate(keep);
                let keep = keep.min(n);
                assert_eq!((kept.len(), kept.iter().count()), (keep, keep), "{n} to {keep}");
                assert_eq!(kept.chunks.len(), keep.div_ceil(CHUNK), "{n} to {keep}: no empty chunk");
                kept.push(9);
                assert_eq!(kept[keep], 9);
            }
            if n > 0 {
                list[n - 1] = 1;
                assert_eq!(list.iter().last(), Some(&1));
            }
        }
    }

    #[test]
    fn a_short_list_holds_little_room() {
        let mut list = Chunked::default();
        for i in 0..20u32 {
            list.push(i);
        }
        assert_eq!(list.chunks.len(), 1);
        assert!(list.chunks[0].capacity() <= 32, "{}", list.chunks[0].capacity());
    }

    #[test]
    #[should_panic]
    fn reading_past_the_end_panics() {
        let mut list = Chunked::default();
        list.push(1u8);
        let _ = list[1];
    }
}
