//! Byte strings stored end to end in chunks that never move: the interners' text.
//!
//! One `Vec` of every key's bytes grows by doubling, so it holds up to twice what it needs, and
//! for a moment both its old and new buffer: the 1 GB Shopify-style file's 2.4 million emails
//! (65 MB) sat in a 108 MB buffer, grown from one of 54 MB. Chunks of a megabyte grow one at a
//! time and are never copied; a string never straddles two.

/// Bytes per chunk (2^20). A longer string gets a chunk of its own.
const CHUNK_BITS: u32 = 23;
const CHUNK: usize = 1 << CHUNK_BITS;

/// Strings numbered in the order pushed, each at a position `(chunk << CHUNK_BITS) + offset`
/// that stays valid: positions fit in `u32` (512 chunks, as much as a wasm memory holds).
#[derive(Debug, Default, Clone)]
pub struct Arena {
    chunks: Vec<Vec<u8>>,
    /// Where each string ends. A string starts where the one before it ends, unless it is the
    /// first of its chunk.
    ends: Vec<u32>,
    /// `(first string, chunk)` of every chunk, ascending.
    firsts: Vec<(u32, u32)>,
}

impl Arena {
    /// Appends `bytes` as the next string; returns its start and end positions.
    pub fn push(&mut self, bytes: &[u8]) -> (u32, u32) {
        let n = bytes.len();
        let open = self.chunks.last().is_some_and(|c| c.len() + n <= CHUNK);
        if !open {
            self.firsts.push((self.ends.len() as u32, self.chunks.len() as u32));
            // The first chunk grows from small, so that a few strings hold a few bytes.
            let room = if self.chunks.is_empty() { n.max(256) } else { n.max(CHUNK) };
            self.chunks.push(Vec::with_capacity(room));
        }
        let chunk = self.chunks.len() - 1;
        let last = &mut self.chunks[chunk];
        if last.len() + n > last.capacity() {
            // Doubling, but not past a chunk.
            let want = (2 * last.capacity()).min(CHUNK).max(last.len() + n);
            last.reserve_exact(want - last.len());
        }
        let start = ((chunk << CHUNK_BITS) + last.len()) as u32;
        last.extend_from_slice(bytes);
        let end = start + n as u32;
        self.ends.push(end);
        (start, end)
    }

    /// The bytes at `start..end`, as [`Arena::push`] returned them.
    pub fn slice(&self, start: u32, end: u32) -> Option<&[u8]> {
        let chunk = self.chunks.get((start >> CHUNK_BITS) as usize)?;
        let offset = start as usize & (CHUNK - 1);
        chunk.get(offset..offset + end.checked_sub(start)? as usize)
    }

    /// String `i`'s start and end positions.
    pub fn span(&self, i: usize) -> Option<(u32, u32)> {
        let end = *self.ends.get(i)?;
        let start = match self.firsts.binary_search_by_key(&(i as u32), |f| f.0) {
            Ok(k) => self.firsts[k].1 << CHUNK_BITS,
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
        self.slice(at, at + 1).and_then(|b| b.first().copied())
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
        if let Some(last) = self.chunks.last_mut() {
            last.shrink_to_fit();
        }
        self.ends.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings of every size read back as pushed: empty ones, ones that fill a chunk to the
    /// byte, and ones longer than a chunk, which get one of their own.
    #[test]
    fn strings_read_back_across_chunks() {
        let mut arena = Arena::default();
        let mut pushed: Vec<(Vec<u8>, (u32, u32))> = Vec::new();
        let sizes = [0, 5, 300, CHUNK - 305, 1, 0, CHUNK + 7, 0, 9, 2 * CHUNK, 3, CHUNK, 4];
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
        // The string of CHUNK - 305 bytes filled the first chunk exactly: the next shares it no more.
        assert_eq!(pushed[4].1 .0, CHUNK as u32);
        assert_eq!(arena.get(sizes.len()), None);
        assert_eq!(arena.byte(pushed[2].1 .0), Some(2));
        arena.shrink_to_fit();
        assert_eq!(arena.get(9).map(<[u8]>::len), Some(2 * CHUNK));
    }

    #[test]
    fn a_few_strings_hold_a_few_bytes() {
        let mut arena = Arena::default();
        arena.push(b"tea");
        arena.push(b"cup");
        assert!(arena.chunks[0].capacity() <= 256);
        assert_eq!((arena.len(), arena.get(1)), (2, Some(&b"cup"[..])));
    }
}
