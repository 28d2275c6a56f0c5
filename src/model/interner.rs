//! Text seen many times (customer keys, products, regions, order ids), stored once and referred
//! to by a dense id.
//!
//! A file with two million customers looks one up on every row, in a table far larger than the
//! processor's caches, so what a lookup costs is the number of cache lines it touches. Here that
//! is one for a key of up to 8 bytes (a customer number such as `17850` or `c1517`, an order id
//! such as `T1001`), which is kept in its table slot, and two for a longer one (its slot, then
//! its bytes). hashbrown's table, used before, read a control byte, then the slot, then the
//! bytes: three lines. The price of doing it by hand is a plain linear-probing table, which
//! needs no more than the code below.

use super::arena::Arena;
use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// Byte strings stored end to end in an `Arena` (the id is the string's number there) and
/// found again through a hash table of ids: interning costs no allocation per key.
#[derive(Default, Clone)]
pub struct BytesInterner {
    keys: Arena,
    /// Open addressing with linear probing, at most 3/4 full. Its length is any number: a table
    /// grows by half, not by doubling (see [`table_size`]).
    slots: Vec<Slot>,
}

/// A table slot: 16 bytes, four to a cache line.
#[derive(Clone, Copy)]
struct Slot {
    /// The id, or `EMPTY`.
    id: u32,
    /// 28 bits of the key's hash above 4 bits saying where its bytes are (see [`check_of`]).
    check: u32,
    /// A short key's bytes, zero-padded; a long key's `(start, end)` in the arena.
    key: u64,
}

const EMPTY: u32 = u32::MAX;
const EMPTY_SLOT: Slot = Slot { id: EMPTY, check: 0, key: 0 };

/// Tables of fewer slots (1 MB, a core's L2 cache here) are left to the caches: reading ahead in
/// them only costs (about 1 ms, 3 %, of Node's 32 ms read of the 10 MB Taobao-style file, 29,000
/// customers). Past it, reading ahead pays: in Node's wasm, the 100 MB Taobao-style file (290,000
/// customers, 6–9 MB of slots) read 1–10 % faster than with reading ahead from 16 MB only (four
/// series), the Shopify-style one 1–5 % and the GBK one 3–7 % (an earlier version of reading ahead
/// had been 7 % slower).
const PREFETCH_FROM: usize = 1 << 16;

/// Keys of up to this many bytes are kept in their slot.
const INLINE: usize = 8;

/// What a slot must hold for `key`: the top 28 bits of its hash, and in the low 4 bits its
/// length plus one if it fits in the slot, else 0. Two keys with equal checks are either both
/// inline with the same length (and equal exactly when their slot words are) or both in `bytes`.
fn check_of(key: &[u8]) -> u32 {
    let h = FxBuildHasher.hash_one(key);
    let h = (h >> 32) as u32 ^ h as u32;
    let inline = if key.len() <= INLINE { key.len() as u32 + 1 } else { 0 };
    (h & !0xF) | inline
}

/// A short key as its slot word: little-endian, zero-padded (its length is in the check). Read
/// as two loads that overlap (each byte lands where it belongs, twice at most), not byte by byte:
/// every row's keys go through here.
fn word_of(key: &[u8]) -> u64 {
    let n = key.len();
    let at = |i: usize| u64::from(key[i]) << (8 * i);
    match n {
        0 => 0,
        1..=3 => at(0) | at(n / 2) | at(n - 1),
        4..=7 => {
            let lo = u32::from_le_bytes([key[0], key[1], key[2], key[3]]);
            let hi = u32::from_le_bytes([key[n - 4], key[n - 3], key[n - 2], key[n - 1]]);
            u64::from(lo) | u64::from(hi) << (8 * (n - 4))
        }
        _ => u64::from_le_bytes([key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7]]),
    }
}

/// What a slot holds of a key stored at `start..end` in `bytes`.
fn slot_word(key: &[u8], start: u32, end: u32) -> u64 {
    if key.len() <= INLINE {
        word_of(key)
    } else {
        (end as u64) << 32 | start as u64
    }
}

/// The fewest slots that hold `keys` keys at most 3/4 full. A table that must grow takes at
/// least half as many again ([`BytesInterner::make_room`]), so growing stays rare and a table is
/// at most 1.5 times the fewest slots for its keys. Grown to powers of two, it could be twice:
/// the 1 GB GBK benchmark file's 3.3 million buyers took 8.4 million slots (128 MB).
fn table_size(keys: usize) -> usize {
    (keys.saturating_mul(4) / 3 + 1).max(16)
}

/// Where a check goes in a table of `len` slots: Fibonacci hashing mixes every bit of the check
/// into the top 32 bits of a product, which are then scaled to the table (Lemire's reduction:
/// a multiply, not a division).
fn home(check: u32, len: usize) -> usize {
    let mixed = (check as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
    ((mixed * len as u64) >> 32) as usize
}

/// `a == b`, eight bytes at a time. Slice equality calls the C `memcmp`, which on wasm32 is
/// compiler-builtins' loop over single bytes, and every row compares its buyer and its product
/// title (often 30 bytes and more) with the interned one.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return word_of(a) == word_of(b);
    }
    // Whole words, then the last eight bytes, which overlap the words before when the length is
    // not a multiple of eight.
    let word = |c: &[u8]| c.try_into().map_or(0, u64::from_ne_bytes);
    word(&a[n - 8..]) == word(&b[n - 8..]) && a.chunks_exact(8).zip(b.chunks_exact(8)).all(|(x, y)| word(x) == word(y))
}

impl std::fmt::Debug for BytesInterner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BytesInterner").field("len", &self.keys.len()).finish()
    }
}

impl BytesInterner {
    /// Room for `keys` more keys without growing the table (their bytes take room as they come).
    pub fn reserve(&mut self, keys: usize) {
        self.make_room(self.keys.len().saturating_add(keys));
        self.keys.reserve(keys);
    }

    /// The id of `key`, if it was interned (by a scan of every key if the interner is frozen).
    pub fn find(&self, key: &[u8]) -> Option<u32> {
        if self.slots.is_empty() {
            return (0..self.keys.len() as u32).find(|&id| self.get(id) == Some(key));
        }
        self.probe(check_of(key), key).ok()
    }

    /// Whether the table is large enough for [`BytesInterner::prefetch`] to pay.
    pub fn worth_prefetching(&self) -> bool {
        self.slots.len() >= PREFETCH_FROM
    }

    /// Reads the slots where `keys` would be found first, all of them before anything depends on
    /// one, then a long key's stored bytes, so that their waits on memory overlap and their
    /// lookups soon after find them in the cache (see `ingest::builder::ahead`). Returns a value
    /// made from what was read, for the caller to keep, so the reads are not optimised away.
    pub fn prefetch(&self, keys: &[&[u8]]) -> u32 {
        const GROUP: usize = 32;
        if self.slots.is_empty() {
            return 0;
        }
        let len = self.slots.len();
        let mut read = 0;
        for keys in keys.chunks(GROUP) {
            let mut homes = [0usize; GROUP];
            for (at, key) in homes.iter_mut().zip(keys) {
                *at = home(check_of(key), len);
            }
            let homes = &homes[..keys.len()];
            for &at in homes {
                read ^= self.slots[at].id;
            }
            for &at in homes {
                let s = self.slots[at];
                if s.id != EMPTY && s.check & 0xF == 0 {
                    read ^= self.keys.byte(s.key as u32).map_or(0, u32::from);
                }
            }
        }
        read
    }

    /// The id of `key`, interning it if new.
    pub fn intern(&mut self, key: &[u8]) -> u32 {
        if self.slots.is_empty() {
            self.rebuild_table();
        }
        let check = check_of(key);
        match self.probe(check, key) {
            Ok(id) => id,
            Err(at) if self.fits(self.keys.len() + 1) => self.add(at, check, key),
            Err(_) => {
                self.make_room(self.keys.len() + 1);
                let at = self.vacancy(check);
                self.add(at, check, key)
            }
        }
    }

    /// The id of `key` (`Ok`), or the empty slot where it would go (`Err`). The table is never
    /// full, so every probe ends.
    fn probe(&self, check: u32, key: &[u8]) -> Result<u32, usize> {
        let len = self.slots.len();
        let inline = key.len() <= INLINE;
        let word = if inline { word_of(key) } else { 0 };
        let mut at = home(check, len);
        loop {
            let s = self.slots[at];
            if s.id == EMPTY {
                return Err(at);
            }
            if s.check == check {
                let found = if inline { s.key == word } else { same_bytes(self.stored(s.key), key) };
                if found {
                    return Ok(s.id);
                }
            }
            at = if at + 1 == len { 0 } else { at + 1 };
        }
    }

    /// A long key's bytes from its slot word.
    fn stored(&self, key: u64) -> &[u8] {
        self.keys.slice(key as u32, (key >> 32) as u32).unwrap_or(&[])
    }

    /// Stores `key` as the next id, in the empty slot `at`.
    fn add(&mut self, at: usize, check: u32, key: &[u8]) -> u32 {
        let id = self.keys.len() as u32;
        let (start, end) = self.keys.push(key);
        self.slots[at] = Slot { id, check, key: slot_word(key, start, end) };
        id
    }

    /// Whether a table of the current size may hold `keys` keys.
    fn fits(&self, keys: usize) -> bool {
        keys.saturating_mul(4) <= self.slots.len().saturating_mul(3)
    }

    /// Grows the table to hold `keys` keys, by half at least. Slots move by their checks: no key
    /// is read again.
    fn make_room(&mut self, keys: usize) {
        if self.slots.is_empty() {
            self.rebuild_table();
        }
        if self.fits(keys) {
            return;
        }
        let size = table_size(keys).max(self.slots.len().saturating_add(self.slots.len() / 2));
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_SLOT; size]);
        for s in old.into_iter().filter(|s| s.id != EMPTY) {
            let at = self.vacancy(s.check);
            self.slots[at] = s;
        }
    }

    /// The first empty slot from a check's home: where a key not in the table goes.
    fn vacancy(&self, check: u32) -> usize {
        let len = self.slots.len();
        let mut at = home(check, len);
        while self.slots[at].id != EMPTY {
            at = if at + 1 == len { 0 } else { at + 1 };
        }
        at
    }

    /// Drops the lookup table and spare room once every key is in: after the import, keys are
    /// only read by id, and the table (a third of the interner) is memory the analysis can use.
    /// A later `intern` rebuilds the table.
    pub fn freeze(&mut self) {
        self.slots = Vec::new();
        self.keys.shrink_to_fit();
    }

    /// The table of a frozen (or new) interner, made again from its keys.
    fn rebuild_table(&mut self) {
        self.slots = vec![EMPTY_SLOT; table_size(self.keys.len())];
        for id in 0..self.keys.len() {
            let (start, end) = self.keys.span(id).unwrap_or((0, 0));
            let key = self.keys.slice(start, end).unwrap_or(&[]);
            let check = check_of(key);
            let at = self.vacancy(check);
            self.slots[at] = Slot { id: id as u32, check, key: slot_word(key, start, end) };
        }
    }

    pub fn get(&self, id: u32) -> Option<&[u8]> {
        self.keys.get(id as usize)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Text keys (customers, products, regions), which are always UTF-8.
#[derive(Debug, Default, Clone)]
pub struct Interner(BytesInterner);

impl Interner {
    /// See [`BytesInterner::freeze`].
    pub fn freeze(&mut self) {
        self.0.freeze();
    }

    /// See [`BytesInterner::reserve`].
    pub fn reserve(&mut self, keys: usize) {
        self.0.reserve(keys);
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        self.0.intern(s.as_bytes())
    }

    /// See [`BytesInterner::worth_prefetching`].
    pub fn worth_prefetching(&self) -> bool {
        self.0.worth_prefetching()
    }

    /// See [`BytesInterner::prefetch`]: `keys` as they would be interned.
    pub fn prefetch(&self, keys: &[&[u8]]) -> u32 {
        self.0.prefetch(keys)
    }

    pub fn get(&self, id: u32) -> Option<&str> {
        // Only `&str` goes in, so every stored span is UTF-8.
        self.0.get(id).and_then(|b| std::str::from_utf8(b).ok())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_is_slice_equality() {
        let texts: [&[u8]; 10] = [
            b"",
            b"a",
            b"b",
            b"a\0",
            b"abcdefgh",
            b"abcdefgi",
            b"abcdefghi",
            b"abcdefghj",
            "黑糖话梅 150g".as_bytes(),
            b"x",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
        // A difference at every place of a key of any length is seen.
        for n in 0..=41 {
            let key: Vec<u8> = (0..n as u8).collect();
            assert!(same_bytes(&key, &key.clone()), "length {n}");
            for i in 0..n {
                let mut other = key.clone();
                other[i] ^= 0x80;
                assert!(!same_bytes(&key, &other), "byte {i} of {n}");
            }
        }
    }

    #[test]
    fn word_of_is_the_zero_padded_little_endian_word() {
        let bytes: Vec<u8> = (1..=8).map(|b| b * 0x11).collect();
        for n in 0..=8 {
            let key = &bytes[..n];
            let want = key.iter().rev().fold(0u64, |w, &b| w << 8 | b as u64);
            assert_eq!(word_of(key), want, "{key:02X?}");
        }
    }

    #[test]
    fn interner_finds_what_it_stored() {
        let mut i = Interner::default();
        let words = ["tea", "cup", "", "茶具", "tea cup", "cup"];
        let ids: Vec<u32> = words.iter().map(|w| i.intern(w)).collect();
        assert_eq!(ids, vec![0, 1, 2, 3, 4, 1]);
        assert_eq!(i.len(), 5);
        for (w, id) in words.iter().zip(ids) {
            assert_eq!(i.get(id), Some(*w));
        }
        assert_eq!(i.get(9), None);
        let mut many = BytesInterner::default();
        for n in 0..10_000u32 {
            assert_eq!(many.intern(n.to_string().as_bytes()), n);
        }
        assert_eq!(many.find(b"4242"), Some(4242));
        assert_eq!(many.find(b"x"), None);
        // Frozen, it still answers, and interning again picks up where it stopped.
        many.freeze();
        assert_eq!(many.get(4242), Some(&b"4242"[..]));
        assert_eq!(many.find(b"4242"), Some(4242));
        assert_eq!(many.intern(b"17"), 17);
        assert_eq!(many.intern(b"new"), 10_000);
        assert_eq!(many.find(b"new"), Some(10_000));
        // So does one frozen, then given room.
        many.freeze();
        many.reserve(100);
        assert_eq!(many.find(b"9999"), Some(9999));
        assert_eq!(many.intern(b"new"), 10_000);
    }

    /// Reading ahead changes nothing, and reads within the table whatever the keys.
    #[test]
    fn prefetch_reads_and_changes_nothing() {
        let mut interner = BytesInterner::default();
        assert_eq!(interner.prefetch(&[b"x"]), 0);
        let keys: Vec<Vec<u8>> = (0..20_000u32).map(|n| format!("customer{n}@example.com").into_bytes()).collect();
        for key in &keys {
            interner.intern(key);
        }
        // Reading ahead pays only in a table too big for the caches.
        assert!(!interner.worth_prefetching());
        let asked: Vec<&[u8]> = keys.iter().take(40).map(|k| &k[..]).chain([&b""[..], b"new", b"c1"]).collect();
        let read = interner.prefetch(&asked);
        assert_eq!(interner.prefetch(&asked), read);
        assert_eq!(interner.len(), keys.len());
        assert_eq!(interner.find(b"customer17@example.com"), Some(17));
        assert_eq!(interner.find(b"new"), None);
        for n in keys.len()..PREFETCH_FROM {
            interner.intern(format!("customer{n}@example.com").as_bytes());
        }
        assert!(interner.worth_prefetching());
        assert_eq!(interner.find(b"customer17@example.com"), Some(17));
    }

    /// Keys kept in their slot and keys kept in the buffer never pass for one another: the same
    /// bytes padded with zeros, one byte longer, or a long key that starts like a short one.
    #[test]
    fn short_and_long_keys_that_look_alike_stay_apart() {
        let keys: [&[u8]; 12] = [
            b"",
            b"\0",
            b"\0\0",
            b"a",
            b"a\0",
            b"a\0\0\0\0\0\0\0",
            b"abcdefgh",
            b"abcdefgh\0",
            b"abcdefghi",
            b"abcdefg",
            b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
            b"\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF",
        ];
        let mut interner = BytesInterner::default();
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(interner.intern(key), n as u32, "{key:?} is new");
        }
        for (n, key) in keys.iter().enumerate() {
            assert_eq!(interner.intern(key), n as u32, "{key:?}");
            assert_eq!(interner.find(key), Some(n as u32), "{key:?}");
            assert_eq!(interner.get(n as u32), Some(*key));
        }
        assert_eq!(interner.len(), keys.len());
    }

    /// Keys whose 28 hash bits happen to match must still differ in their checks when one is
    /// kept inline and the other is not, or both inline with different lengths: the slot words
    /// alone cannot tell `a` from `a\0`. (Hash collisions are too rare to draw in a test, so the
    /// low bits are checked directly.)
    #[test]
    fn checks_say_how_long_a_short_key_is() {
        let keys: [&[u8]; 5] = [b"", b"a", b"a\0", b"abcdefgh", b"abcdefghi"];
        let tags: Vec<u32> = keys.iter().map(|k| check_of(k) & 0xF).collect();
        assert_eq!(tags, [1, 2, 3, 9, 0]);
    }

    /// Against a `HashMap`, on keys of every length around the inline limit, drawn with many
    /// repeats, through the table's growth from 16 slots.
    #[test]
    fn ids_match_a_hash_map_through_growth() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut interner = BytesInterner::default();
        let mut map = std::collections::HashMap::new();
        for _ in 0..200_000 {
            let r = next();
            let len = (r % 13) as usize;
            let pool = (r >> 8) % 60_000;
            let key: Vec<u8> = (0..len).map(|i| (pool >> (i % 8 * 2)) as u8 & 0x0F).collect();
            let expected = map.len() as u32;
            let expected = *map.entry(key.clone()).or_insert(expected);
            assert_eq!(interner.intern(&key), expected, "{key:?}");
        }
        assert!(map.len() > 40_000, "{} keys", map.len());
        assert_eq!(interner.len(), map.len());
        assert!(map.iter().all(|(k, &id)| interner.find(k) == Some(id) && interner.get(id) == Some(&k[..])));
    }
}
