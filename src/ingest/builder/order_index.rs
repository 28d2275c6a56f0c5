//! Order id → the draft its rows go to.
//!
//! Most platforms number their orders (Taobao's 19-digit 订单编号, Shopify's `#1001`, JD's,
//! WooCommerce's). Such an id is kept as a number in the table slot itself: one probe that finds
//! the key and the draft together, 12 bytes an order (8 for numbers below 2^31, [`Compact`])
//! instead of about 40 with the id's text, its span and a separate draft column. Anything else (letters, leading zeros, longer numbers) is
//! interned as bytes. The two never meet: a number key is only made from the one way of writing
//! that number, so two ids share a key exactly when they are the same text.

use super::ids_in_order::IdsInOrder;
use super::NO_DRAFT;
use crate::model::BytesInterner;
use hashbrown::hash_table::{Entry, HashTable};

/// Where an order id is kept, to set its draft once the draft exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OrderKey {
    Number(u64),
    Text(u32),
}

/// A numbered order's slot: the id split in two halves so the slot is 12 bytes, not 16.
#[derive(Clone, Copy)]
struct Numbered {
    id: [u32; 2],
    draft: u32,
}

impl Numbered {
    fn id(&self) -> u64 {
        (self.id[1] as u64) << 32 | self.id[0] as u64
    }
}

/// A numbered order's slot when its number fits in 31 bits (with `#` as the 32nd): 8 bytes. The
/// order numbers of Shopify, WooCommerce and most shops do; the 1 GB Shopify-style file's 4.8
/// million orders take 8.4 million slots, 75 MB in these against 104 in [`Numbered`] ones.
#[derive(Clone, Copy)]
struct Compact {
    id: u32,
    draft: u32,
}

/// The 32-bit form of number key `n`, if it has one.
fn compact(n: u64) -> Option<u32> {
    let number = n & !HASH_SIGN;
    (number < 1 << 31).then(|| number as u32 | u32::from(n & HASH_SIGN != 0) << 31)
}

/// The number key of a 32-bit form.
fn expand(c: u32) -> u64 {
    u64::from(c & !(1 << 31)) | if c >> 31 == 1 { HASH_SIGN } else { 0 }
}

#[derive(Default)]
pub(super) struct OrderIndex {
    /// The order numbers while they come in order, across files too: a number past the last
    /// one is new, and one equal to it is the last order, the one a later file's row must find
    /// to be skipped as read already.
    in_order: IdsInOrder,
    /// Set once an id came out of order or was not a number: the list is then in the tables,
    /// which keep every id from then on.
    unordered: bool,
    compact: HashTable<Compact>,
    numbers: HashTable<Numbered>,
    text: BytesInterner,
    /// The draft of each interned text id.
    text_draft: Vec<u32>,
    /// Orders expected, reserved in whichever table the first id goes to.
    expected: usize,
}

/// Set on keys written `#digits` (Shopify), so `#12` and `12` stay two orders.
const HASH_SIGN: u64 = 1 << 63;

/// The number of an id written as a plain decimal number (or `#` and one), without leading zeros.
fn number_key(id: &[u8]) -> Option<u64> {
    let (sign, digits) = match id {
        [b'#', rest @ ..] => (HASH_SIGN, rest),
        _ => (0, id),
    };
    if digits.is_empty() || digits.len() > 19 || (digits[0] == b'0' && digits.len() > 1) {
        return None;
    }
    let mut n = 0u64;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        // 19 digits stay below 10^19 < 2^64.
        n = n * 10 + (b - b'0') as u64;
    }
    (n < HASH_SIGN).then_some(n | sign)
}

/// `draft` as it was, and `next` in its place if it had none.
fn claimed(draft: &mut u32, next: u32) -> u32 {
    let had = *draft;
    if had == NO_DRAFT {
        *draft = next;
    }
    had
}

/// Mixes every bit of `n` into the low bits and the top ones.
fn mix(n: u64) -> u64 {
    let h = (n ^ (n >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^ (h >> 32)
}

/// Runs of 2^6 neighbouring numbers share a place in the table.
const RUN_BITS: u32 = 6;

/// Where a number goes in the table. Exports number their orders in sequence (Shopify's #1001,
/// #1002…, Tmall's, UCI's invoices), so neighbouring numbers go to neighbouring buckets: a run of
/// 64 shares one random place (bits 6–24, mixed from `n >> 6`), and a new id lands next to the
/// one before it instead of at a random place in megabytes of table, a cache miss each (the
/// 100 MB Taobao-style file imported a fifth faster, and as fast as before with random ids). The
/// price: in a full table of sequential numbers, looking up numbers that are not there takes
/// longer than with random places (2.4 × in a test of 917,000; 3.4 × with runs of 256, which were
/// no faster on the file). The tag hashbrown compares first (the top 7 bits, or bits 25–31 where
/// `usize` has 32) is mixed from the whole number, so the numbers of a run rarely share one.
/// Multiples of 64 still spread: their `n >> 6` differ.
fn hash(n: u64) -> u64 {
    const TAG: u64 = 0xFE00_0000_FE00_0000;
    const PLACE: u64 = 0x01FF_FFFF;
    let place = mix(n >> RUN_BITS) << RUN_BITS | (n & ((1 << RUN_BITS) - 1));
    (mix(n) & TAG) | (place & PLACE)
}

impl OrderIndex {
    /// Room for `orders` more orders without growing, once the first id says which table.
    pub fn reserve(&mut self, orders: usize) {
        self.expected = orders;
    }

    /// Moves the numbers kept in order to the tables, which keep every id from now on.
    fn move_to_tables(&mut self) {
        self.unordered = true;
        let kept = self.in_order.len();
        if kept == 0 {
            return;
        }
        // Room for the file's orders in the table its first number goes to, as `claim` makes.
        let room = std::mem::take(&mut self.expected).max(kept);
        let mut ids = self.in_order.take().peekable();
        match ids.peek().map(|&(n, _)| compact(n).is_some()) {
            Some(true) => self.compact.reserve(room, |s| hash(expand(s.id))),
            _ => self.numbers.reserve(room, |s| hash(s.id())),
        }
        // The numbers are distinct: each went past the one before.
        for (n, draft) in ids {
            match compact(n) {
                Some(c) => {
                    self.compact.insert_unique(hash(n), Compact { id: c, draft }, |s| hash(expand(s.id)));
                }
                None => {
                    let id = [n as u32, (n >> 32) as u32];
                    self.numbers.insert_unique(hash(n), Numbered { id, draft }, |s| hash(s.id()));
                }
            }
        }
    }

    /// The key of `id` and the draft it had (`NO_DRAFT` for a new id, or one whose rows were all
    /// skipped so far). An id without a draft is given `next` at once, the draft its row is about
    /// to make: a row that is skipped instead gives it back with [`OrderIndex::set`]. One probe a
    /// new order instead of two (a second set the draft once made): the 100 MB Taobao-style
    /// file read 2–3 % faster in Node's wasm.
    pub fn claim(&mut self, id: &[u8], next: u32) -> (OrderKey, u32) {
        let number = number_key(id);
        if !self.unordered {
            if let Some(n) = number {
                if let Some(had) = self.in_order.claim(n, next) {
                    return (OrderKey::Number(n), had);
                }
            }
            self.move_to_tables();
        }
        let expected = std::mem::take(&mut self.expected);
        if let Some(n) = number {
            if let Some(c) = compact(n) {
                self.compact.reserve(expected, |s| hash(expand(s.id)));
                let slot = match self.compact.entry(hash(n), |s| s.id == c, |s| hash(expand(s.id))) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(Compact { id: c, draft: NO_DRAFT }).into_mut(),
                };
                return (OrderKey::Number(n), claimed(&mut slot.draft, next));
            }
            self.numbers.reserve(expected, |s| hash(s.id()));
            let slot = match self.numbers.entry(hash(n), |s| s.id() == n, |s| hash(s.id())) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(Numbered { id: [n as u32, (n >> 32) as u32], draft: NO_DRAFT }).into_mut(),
            };
            return (OrderKey::Number(n), claimed(&mut slot.draft, next));
        }
        self.text.reserve(expected);
        self.text_draft.reserve(expected);
        let k = self.text.intern(id);
        if k as usize == self.text_draft.len() {
            self.text_draft.push(NO_DRAFT);
        }
        (OrderKey::Text(k), claimed(&mut self.text_draft[k as usize], next))
    }

    /// Sets the draft of an id [`OrderIndex::claim`] returned.
    pub fn set(&mut self, key: OrderKey, draft: u32) {
        match key {
            OrderKey::Number(n) if self.in_order.set(n, draft) => {}
            OrderKey::Number(n) => match compact(n) {
                Some(c) => {
                    if let Some(s) = self.compact.find_mut(hash(n), |s| s.id == c) {
                        s.draft = draft;
                    }
                }
                None => {
                    if let Some(s) = self.numbers.find_mut(hash(n), |s| s.id() == n) {
                        s.draft = draft;
                    }
                }
            },
            OrderKey::Text(k) => {
                if let Some(d) = self.text_draft.get_mut(k as usize) {
                    *d = draft;
                }
            }
        }
    }

    /// The draft of `id`, if it was seen and has one.
    pub fn find(&self, id: &[u8]) -> Option<u32> {
        let draft = match number_key(id) {
            Some(n) if self.in_order.len() > 0 => self.in_order.find(n),
            Some(n) => match compact(n) {
                Some(c) => self.compact.find(hash(n), |s| s.id == c).map(|s| s.draft),
                None => self.numbers.find(hash(n), |s| s.id() == n).map(|s| s.draft),
            },
            None => self.text.find(id).and_then(|k| self.text_draft.get(k as usize).copied()),
        };
        draft.filter(|&d| d != NO_DRAFT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_only_in_their_one_way_of_writing() {
        assert_eq!(number_key(b"3100000000000000001"), Some(3_100_000_000_000_000_001));
        assert_eq!(number_key(b"0"), Some(0));
        assert_eq!(number_key(b"#1001"), Some(1001 | HASH_SIGN));
        for text in ["", "#", "007", "#01", "12a", "1.5", " 12", "-3", "99999999999999999999", "9300000000000000000"] {
            assert_eq!(number_key(text.as_bytes()), None, "{text}");
        }
    }

    #[test]
    fn ids_that_differ_as_text_are_different_orders() {
        let mut index = OrderIndex::default();
        index.reserve(100);
        let ids = ["12", "#12", "012", "12 ", "A12", "9300000000000000000", "930000000000000000"];
        for (draft, id) in ids.iter().enumerate() {
            let (_, found) = index.claim(id.as_bytes(), draft as u32);
            assert_eq!(found, NO_DRAFT, "{id} is new");
        }
        for (draft, id) in ids.iter().enumerate() {
            // A known id keeps its draft: `next` is not taken.
            assert_eq!(index.claim(id.as_bytes(), 99).1, draft as u32, "{id}");
            assert_eq!(index.find(id.as_bytes()), Some(draft as u32), "{id}");
        }
        assert_eq!(index.find(b"13"), None);
        assert_eq!(index.find(b"#13"), None);
    }

    /// Numbers below 2^31, with or without `#`, take 8-byte slots; larger ones 12-byte slots,
    /// and a number is found in the one table it goes to.
    #[test]
    fn small_numbers_are_compact_and_large_ones_are_not() {
        for n in [0, 1001, (1 << 31) - 1] {
            for key in [n, n | HASH_SIGN] {
                assert_eq!(compact(key).map(expand), Some(key), "{key}");
            }
        }
        assert_eq!(compact(1 << 31), None);
        assert_eq!(compact(3_100_000_000_000_000_001), None);
        let mut index = OrderIndex::default();
        let ids = ["2147483647", "2147483648", "#2147483647", "#2147483648", "5", "#5"];
        for (draft, id) in ids.iter().enumerate() {
            let (_, found) = index.claim(id.as_bytes(), draft as u32);
            assert_eq!(found, NO_DRAFT, "{id} is new");
        }
        assert_eq!((index.compact.len(), index.numbers.len()), (4, 2));
        for (draft, id) in ids.iter().enumerate() {
            assert_eq!(index.find(id.as_bytes()), Some(draft as u32), "{id}");
        }
    }

    /// A row skipped after claiming its id's draft gives it back: the id's next row claims
    /// the draft that row makes, in every kind of table.
    #[test]
    fn an_id_whose_rows_were_skipped_has_no_draft_yet() {
        for id in ["77", "3100000000000000077", "T77"] {
            let mut index = OrderIndex::default();
            let (key, had) = index.claim(id.as_bytes(), 3);
            assert_eq!(had, NO_DRAFT, "{id}");
            assert_eq!(index.find(id.as_bytes()), Some(3), "{id}");
            index.set(key, NO_DRAFT);
            assert_eq!(index.find(id.as_bytes()), None, "{id}");
            assert_eq!(index.claim(id.as_bytes(), 5), (key, NO_DRAFT), "{id}");
            assert_eq!(index.find(id.as_bytes()), Some(5), "{id}");
        }
    }

    /// Numbers in order stay in the list; the first out of order, or the first id that is not a
    /// number, moves them to the tables, where every id is found with its draft.
    #[test]
    fn ids_out_of_order_move_to_the_tables() {
        let falling = ["#1411", "#1410", "#1409", "#5"];
        for (last, ended_by) in [("#1410", true), ("#4", false), ("T1", true), ("#9999", true)] {
            let mut index = OrderIndex::default();
            for (draft, id) in falling.iter().enumerate() {
                assert_eq!(index.claim(id.as_bytes(), draft as u32).1, NO_DRAFT, "{id}");
                assert_eq!(index.claim(id.as_bytes(), 99).1, draft as u32, "{id}'s next row");
            }
            assert!(!index.unordered);
            let (_, had) = index.claim(last.as_bytes(), 4);
            assert_eq!(index.unordered, ended_by, "after {last}");
            assert_eq!(index.in_order.len() == 0, ended_by, "after {last}");
            if last == "#1410" {
                assert_eq!(had, 1, "#1410 has its draft");
            } else {
                assert_eq!(had, NO_DRAFT, "{last} is new");
                assert_eq!(index.find(last.as_bytes()), Some(4), "{last}");
            }
            for (draft, id) in falling.iter().enumerate() {
                assert_eq!(index.find(id.as_bytes()), Some(draft as u32), "{id} after {last}");
                assert_eq!(index.claim(id.as_bytes(), 99).1, draft as u32, "{id} after {last}");
            }
            assert_eq!(index.find(b"#1412"), None);
            assert_eq!(index.find(b"1411"), None, "`1411` is not `#1411`");
        }
        // Numbers of both tables, moved.
        let mut index = OrderIndex::default();
        let rising = ["5", "2147483648", "3100000000000000001"];
        for (draft, id) in rising.iter().enumerate() {
            index.claim(id.as_bytes(), draft as u32);
        }
        index.claim(b"6", 3);
        assert!(index.unordered);
        assert_eq!((index.compact.len(), index.numbers.len()), (2, 2));
        for (draft, id) in rising.iter().chain(&["6"]).enumerate() {
            assert_eq!(index.find(id.as_bytes()), Some(draft as u32), "{id}");
        }
    }

    #[test]
    fn neighbouring_numbers_are_neighbours_in_the_table_with_their_own_tags() {
        let start = 3_100_000_000_000_000_000u64 & !63;
        let place = |n: u64| hash(n) & 0x01FF_FFFF;
        assert!((start..start + 63).all(|n| place(n + 1) == place(n) + 1));
        assert_ne!(place(start + 64), place(start + 63) + 1, "the next run goes elsewhere");
        // 32- and 64-bit tags: the top seven bits of the low half and of the whole.
        for shift in [25, 57] {
            let tags: std::collections::HashSet<u64> = (start..start + 64).map(|n| hash(n) >> shift & 0x7F).collect();
            assert!(tags.len() > 40, "{} tags among 64 neighbours", tags.len());
        }
    }

    #[test]
    fn many_sequential_and_round_numbers_stay_distinct() {
        let mut index = OrderIndex::default();
        let ids: Vec<String> = (0..20_000u64).map(|i| (3_100_000_000_000_000_000 + i * 1000).to_string()).collect();
        for (d, id) in ids.iter().enumerate() {
            assert_eq!(index.claim(id.as_bytes(), d as u32).1, NO_DRAFT, "{id}");
        }
        assert!(ids.iter().enumerate().all(|(d, id)| index.find(id.as_bytes()) == Some(d as u32)));
    }
}
