//! Byte strings stored end to end in chunks that never move: the interners' keys, and the
//! customers' contact records.
//!
//! One `Vec` of every key's bytes grows by doubling, so it holds up to twice what it needs, and
//! for a moment both its old and new buffer: the 1 GB Shopify-style file's emails sat in a
//! 108 MB buffer grown from one of 54 MB. Here each chunk is twice the size of the one before
//! (8, 8, 16, 32 MB…), grows by doubling until full, and is never copied once the next one
//! starts; a string never straddles two. Chunks that kept one size fragmented the page's memory:
//! they stay while the drafts' 2 MB chunks, made between them, are freed once the import is
//! done, and the analysis's columns need room in one piece. In Node's wasm, after the report of
//! the 1 GB `customer,date,amount` file (20 million customers): one buffer 2603 MB, 8 MB chunks
//! 3064, chunks that double 2508.

/// The first chunk's size, and the second's: 2^23 bytes.
const FIRST_BITS: u32 = 23;
/// The last chunk: `2^31..2^32`.
const LAST: usize = 9;

/// The chunk holding position `at`: chunk 0 holds `0..2^23`, chunk `k` ≥ 1 holds
/// `2^(22+k)..2^(23+k)`, so positions are chunk and offset at once, and fit in `u32` (10 chunks).
fn chunk_of(at: u32) -> usize {
    (31 - (at | 1).leading_zeros()).saturating_sub(FIRST_BITS - 1) as usize
}

/// Where chunk `k` starts.
fn base(k: usize) -> usize {
    if k == 0 {
        0
    } else {
        1 << (FIRST_BITS as usize - 1 + k)
    }
}

/// How many bytes chunk `k` holds.
fn size(k: usize) -> usize {
    if k == 0 {
        1 << FIRST_BITS
    } else {
        base(k)
    }
}

/// Byte strings end to end in chunks that double, each at a position that stays valid.
#[derive(Debug, Default, Clone)]
pub struct Chunks {
    chunks: Vec<Vec<u8>>,
}

impl Chunks {
    /// Appends `bytes` within one chunk; returns their start and end positions, and whether
    /// they began a chunk.
    pub fn push(&mut self, bytes: &[u8]) -> (u32, u32, bool) {
        let n = bytes.len();
        let fits = self.chunks.last().is_some_and(|c| c.len() + n <= size(self.chunks.len() - 1));
        // The next chunk large enough. Past the last (4 GB of strings, more than a wasm memory
        // holds), the last one grows on and positions wrap, as one buffer's `u32` offsets did.
        let began = !fits && self.chunks.len() <= LAST;
        if began {
            let mut k = self.chunks.len();
            while k < LAST && size(k) < n {
                k += 1;
            }
            self.chunks.resize_with(k + 1, Vec::new);
        }
        let k = self.chunks.len() - 1;
        let last = &mut self.chunks[k];
        if last.len() + n > last.capacity() {
            // Doubling from small, but not past the chunk's size.
            let want = (2 * last.capacity()).max(256).min(size(k)).max(last.len() + n);
            last.reserve_exact(want - last.len());
        }
        let start = (base(k) + last.len()) as u32;
        last.extend_from_slice(bytes);
        (start, start.wrapping_add(n as u32), began)
    }

    /// The bytes at `start..end`, as [`Chunks::push`] returned them.
    pub fn slice(&self, start: u32, end: u32) -> Option<&[u8]> {
        self.tail(start)?.get(..end.checked_sub(start)? as usize)
    }

    /// The bytes from `at` to the end of what its chunk holds: what was pushed at `at`, and what
    /// followed it there.
    pub fn tail(&self, at: u32) -> Option<&[u8]> {
        let k = chunk_of(at);
        self.chunks.get(k)?.get(at as usize - base(k)..)
    }

    /// Bytes stored.
    #[cfg(test)]
    pub fn stored(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    /// Gives back the room of the last chunk that was not used.
    pub fn shrink_to_fit(&mut self) {
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
    }
}

/// Strings in [`Chunks`], numbered in the order pushed.
#[derive(Debug, Default, Clone)]
pub struct Arena {
    bytes: Chunks,
    /// Where each string ends. A string starts where the one before it ends, unless it is the
    /// first of its chunk.
    ends: Vec<u32>,
    /// `(first string, chunk)` of every chunk begun, ascending.
    firsts: Vec<(u32, u32)>,
}

impl Arena {
    /// Appends `bytes` as the next string; returns its start and end positions.
    pub fn push(&mut self, bytes: &[u8]) -> (u32, u32) {
        let (start, end, began) = self.bytes.push(bytes);
        if began {
            self.firsts.push((self.ends.len() as u32, chunk_of(start) as u32));
        }
        self.ends.push(end);
        (start, end)
    }

    /// The bytes at `start..end`, as [`Arena::push`] returned them.
    pub fn slice(&self, start: u32, end: u32) -> Option<&[u8]> {
        self.bytes.slice(start, end)
    }

    /// String `i`'s start and end positions.
    pub fn span(&self, i: usize) -> Option<(u32, u32)> {
        let end = *self.ends.get(i)?;
        let start = match self.firsts.binary_search_by_key(&(i as u32), |f| f.0) {
            Ok(k) => base(self.firsts[k].1 as usize) as u32,
            Err(_) => self.ends[i.checked_sub(1)?],
        };
        Some((start, end))
    }

    /// String `i`.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let (start, end) = self.span(i)?;
        self.slice(start, end)
    }

    /// The byte at a position, if there is one.
    pub fn byte(&self, at: u32) -> Option<u8> {
        self.bytes.tail(at)?.first().copied()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Room for `n` more strings' ends.
    pub fn reserve(&mut self, n: usize) {
        self.ends.reserve(n);
    }

    /// Gives back the room of the last chunk and of the ends that were not used.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings of every size read back as pushed: empty ones, one that fills a chunk to the
    /// byte, and one longer than the next chunk, which goes to the one after.
    #[test]
    fn strings_read_back_across_chunks() {
        const C: usize = 1 << FIRST_BITS;
        let mut arena = Arena::default();
        let mut pushed: Vec<(Vec<u8>, (u32, u32))> = Vec::new();
        let sizes = [0, 5, 300, C - 305, 1, 0, C + 7, 0, 9, 3, 4];
        for (k, &n) in sizes.iter().enumerate() {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 31 + k) as u8).collect();
            let at = arena.push(&bytes);
            pushed.push((bytes, at));
        }
        for (i, (bytes, at)) in pushed.iter().enumerate() {
            assert_eq!(arena.span(i), Some(*at), "string {i}");
            assert_eq!(arena.get(i), Some(&bytes[..]), "string {i}");
            assert_eq!(arena.slice(at.0, at.1), Some(&bytes[..]), "string {i}");
        }
        // The string of C - 305 bytes filled the first chunk exactly: the next starts the second,
        // and the one of C + 7 bytes the third (16 MB), the second having no room for it.
        assert_eq!((pushed[4].1 .0, pushed[6].1 .0), (C as u32, 2 * C as u32));
        assert_eq!(arena.get(sizes.len()), None);
        assert_eq!(arena.byte(pushed[2].1 .0), Some(2));
        arena.shrink_to_fit();
        assert_eq!(arena.get(6).map(<[u8]>::len), Some(C + 7));
    }

    #[test]
    fn positions_name_their_chunk() {
        let at = |k: u32| 1u32 << k;
        let chunks: Vec<usize> =
            [0, at(23) - 1, at(23), at(24) - 1, at(24), at(25), at(31) - 1, at(31), u32::MAX].map(chunk_of).to_vec();
        assert_eq!(chunks, [0, 0, 1, 1, 2, 3, 8, 9, 9]);
        assert_eq!((base(0), base(1), base(2), base(LAST)), (0, 1 << 23, 1 << 24, 1 << 31));
        assert_eq!((size(0), size(1), size(2)), (1 << 23, 1 << 23, 1 << 24));
    }

    #[test]
    fn a_few_strings_hold_a_few_bytes() {
        let mut arena = Arena::default();
        arena.push(b"tea");
        arena.push(b"cup");
        assert!(arena.bytes.chunks[0].capacity() <= 256);
        assert_eq!((arena.len(), arena.get(1)), (2, Some(&b"cup"[..])));
    }
}
