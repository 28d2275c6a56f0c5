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

    /// The last item pushed.
    pub fn last_mut(&mut self) -> Option<&mut T> {
        self.chunks.last_mut()?.last_mut()
    }

    /// The items in order, each chunk freed once passed.
    pub fn into_items(self) -> impl Iterator<Item = T> {
        self.chunks.into_iter().flatten()
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.chunks.iter().flatten()
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
        }
        list[CHUNK] += 100;
        assert_eq!(list[CHUNK], CHUNK as u64 + 100);
        assert!(list.iter().enumerate().all(|(i, &v)| v == i as u64 + if i == CHUNK { 100 } else { 0 }));
        list[CHUNK] -= 100;
        assert!(list.clone().into_items().eq(0..n as u64));
        assert_eq!(list.iter().count(), n);
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
