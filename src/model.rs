//! The orders every analysis reads: columnar, with customers, products and regions interned.

use crate::calendar::Timestamp;
use crate::ingest::columns::Role;
use crate::money::Money;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use serde::Serialize;
use std::hash::BuildHasher;

/// An order's state after all its rows and status columns are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Paid,
    Shipped,
    Completed,
    PartiallyRefunded,
    /// A status value the importer does not know: counted as a sale, and listed in the report.
    Unrecognized,
    Unpaid,
    Cancelled,
    Closed,
    Refunded,
    Voided,
}

impl Status {
    /// Paid or completed (shipped, delivered, partially refunded count).
    pub fn is_sale(self) -> bool {
        matches!(
            self,
            Status::Paid | Status::Shipped | Status::Completed | Status::PartiallyRefunded | Status::Unrecognized
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Status::Paid => "paid",
            Status::Shipped => "shipped",
            Status::Completed => "completed",
            Status::PartiallyRefunded => "partially_refunded",
            Status::Unrecognized => "unrecognized",
            Status::Unpaid => "unpaid",
            Status::Cancelled => "cancelled",
            Status::Closed => "closed",
            Status::Refunded => "refunded",
            Status::Voided => "voided",
        }
    }
}

/// Sentinel for "no customer key" in [`Orders::customer`].
pub const NO_CUSTOMER: u32 = u32::MAX;
/// Sentinel for "none" in product and region columns.
pub const NONE: u32 = u32::MAX;

/// One entry per distinct order id, in the order first seen.
#[derive(Debug, Default, Clone)]
pub struct Orders {
    pub customer: Vec<u32>,
    pub time: Vec<Timestamp>,
    /// Gross amount: what the buyer paid before refunds.
    pub gross: Vec<Money>,
    pub refund: Vec<Money>,
    pub status: Vec<Status>,
    pub items: Vec<u32>,
    /// Interned product of the order's first line, or [`NONE`].
    pub first_product: Vec<u32>,
    pub region: Vec<u32>,
    /// Whether the order counts as a purchase (DESIGN.md "valid order").
    pub valid: Vec<bool>,
}

impl Orders {
    /// Room for `n` more orders in every column.
    pub fn reserve(&mut self, n: usize) {
        self.customer.reserve_exact(n);
        self.time.reserve_exact(n);
        self.gross.reserve_exact(n);
        self.refund.reserve_exact(n);
        self.status.reserve_exact(n);
        self.items.reserve_exact(n);
        self.first_product.reserve_exact(n);
        self.region.reserve_exact(n);
        self.valid.reserve_exact(n);
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }
}

/// A credit note or returned line: not an order, it reduces the customer's net revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credit {
    pub customer: u32,
    pub time: Timestamp,
    pub amount: Money,
}

/// One product line of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub order: u32,
    pub product: u32,
    pub quantity: u32,
    pub amount: Money,
}

/// Byte strings stored end to end in one buffer and found again through a hash table of ids:
/// interning costs no allocation per key, which matters with hundreds of thousands of customers
/// and orders (and keeps the wasm heap unfragmented).
///
/// Each table slot keeps 32 bits of its key's hash and where its bytes are, beside the id: a
/// probe compares bytes only when the hashes match and reads them straight from the buffer, and
/// growing the table never reads the keys again. With half a million customers or order ids,
/// every extra read on the way to a key's bytes is a cache miss that costs more than the hashing.
#[derive(Default, Clone)]
pub struct BytesInterner {
    bytes: Vec<u8>,
    /// `(start, end)` of each id's bytes.
    spans: Vec<(u32, u32)>,
    table: HashTable<Slot>,
}

/// A table slot: an id, its key's hash and the key's place in `bytes`.
#[derive(Clone, Copy)]
struct Slot {
    id: u32,
    hash: u32,
    start: u32,
    end: u32,
}

impl Slot {
    fn holds(&self, hash: u32, key: &[u8], bytes: &[u8]) -> bool {
        self.hash == hash && bytes.get(self.start as usize..self.end as usize).is_some_and(|b| same_bytes(b, key))
    }
}

/// `a == b`, eight bytes at a time. Slice equality calls the C `memcmp`, which on wasm32 is
/// compiler-builtins' loop over single bytes, and every row compares its buyer and its product
/// title (often 30 bytes and more) with the interned one.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails_match = a_words.remainder() == b_words.remainder();
    let word = |c: &[u8]| c.try_into().map_or(0, u64::from_ne_bytes);
    tails_match && a_words.zip(b_words).all(|(x, y)| word(x) == word(y))
}

impl std::fmt::Debug for BytesInterner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BytesInterner").field("len", &self.spans.len()).finish()
    }
}

/// 32 bits of a key's hash: what the table stores.
fn hash_of(b: &[u8]) -> u32 {
    let h = FxBuildHasher.hash_one(b);
    (h >> 32) as u32 ^ h as u32
}

/// The table's 64-bit hash, rebuilt from the stored 32 bits: the multiplication spreads them into
/// the top bits, which hashbrown uses for its tag bytes.
fn spread(h: u32) -> u64 {
    (h as u64 | (h as u64) << 32).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl BytesInterner {
    /// Room for `keys` more keys of about `bytes_each` bytes without growing.
    pub fn reserve(&mut self, keys: usize, bytes_each: usize) {
        self.table.reserve(keys, |s| spread(s.hash));
        self.spans.reserve(keys);
        self.bytes.reserve(keys.saturating_mul(bytes_each));
    }

    /// The id of `key`, if it was interned (by a scan of every key if the interner is frozen).
    pub fn find(&self, key: &[u8]) -> Option<u32> {
        if self.table.len() != self.spans.len() {
            return (0..self.spans.len() as u32).find(|&id| self.get(id) == Some(key));
        }
        let h = hash_of(key);
        self.table.find(spread(h), |s| s.holds(h, key, &self.bytes)).map(|s| s.id)
    }

    /// The id of `key`, interning it if new.
    pub fn intern(&mut self, key: &[u8]) -> u32 {
        if self.table.len() != self.spans.len() {
            self.rebuild_table();
        }
        let h = hash_of(key);
        let Self { bytes, spans, table } = self;
        match table.entry(spread(h), |s| s.holds(h, key, bytes), |s| spread(s.hash)) {
            hashbrown::hash_table::Entry::Occupied(e) => e.get().id,
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = spans.len() as u32;
                let start = bytes.len() as u32;
                bytes.extend_from_slice(key);
                let end = bytes.len() as u32;
                spans.push((start, end));
                e.insert(Slot { id, hash: h, start, end });
                id
            }
        }
    }

    /// Drops the lookup table and spare room once every key is in: after the import, keys are
    /// only read by id, and the table (a third of the interner) is memory the analysis can use.
    /// A later `intern` rebuilds the table.
    pub fn freeze(&mut self) {
        self.table = HashTable::new();
        self.bytes.shrink_to_fit();
        self.spans.shrink_to_fit();
    }

    fn rebuild_table(&mut self) {
        let Self { bytes, spans, table } = self;
        table.clear();
        table.reserve(spans.len(), |s| spread(s.hash));
        for (id, &(start, end)) in spans.iter().enumerate() {
            let hash = hash_of(&bytes[start as usize..end as usize]);
            table.insert_unique(spread(hash), Slot { id: id as u32, hash, start, end }, |s| spread(s.hash));
        }
    }

    pub fn get(&self, id: u32) -> Option<&[u8]> {
        let &(a, b) = self.spans.get(id as usize)?;
        self.bytes.get(a as usize..b as usize)
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// Text seen many times (customer keys, products, regions), stored once and referred to by id.
#[derive(Debug, Default, Clone)]
pub struct Interner(BytesInterner);

impl Interner {
    /// See [`BytesInterner::freeze`].
    pub fn freeze(&mut self) {
        self.0.freeze();
    }

    /// Room for `keys` more keys of about `bytes_each` bytes without growing.
    pub fn reserve(&mut self, keys: usize, bytes_each: usize) {
        self.0.reserve(keys, bytes_each);
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        self.0.intern(s.as_bytes())
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

/// Everything imported from a seller's files.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub orders: Orders,
    pub credits: Vec<Credit>,
    pub lines: Vec<Line>,
    pub customers: Interner,
    pub products: Interner,
    pub regions: Interner,
    /// The column kind customers are identified by; `None` when the files have no usable buyer column.
    pub customer_key: Option<Role>,
    pub currency: Option<String>,
    /// How to reach each customer, as the files wrote it (for campaign lists).
    pub contacts: Contacts,
}

/// Email, phone and name per customer id: the first non-empty value seen for each, stored end to
/// end in one buffer like the interners.
#[derive(Debug, Default, Clone)]
pub struct Contacts {
    text: String,
    /// Per customer id: `(start, end)` of email, phone and name (`start == end`: unknown).
    spans: Vec<[(u32, u32); 3]>,
}

impl Contacts {
    /// Records what a row says about customer `id`, keeping values already known.
    pub fn note(&mut self, id: u32, email: &str, phone: &str, name: &str) {
        // Files without contact columns (a `customer,date,amount` list) leave `spans` empty
        // rather than 24 bytes per customer of nothing.
        if email.is_empty() && phone.is_empty() && name.is_empty() {
            return;
        }
        let i = id as usize;
        if self.spans.len() <= i {
            self.spans.resize(i + 1, [(0, 0); 3]);
        }
        for (k, value) in [email, phone, name].into_iter().enumerate() {
            let (a, b) = self.spans[i][k];
            if a == b && !value.is_empty() {
                let start = self.text.len() as u32;
                self.text.push_str(value);
                self.spans[i][k] = (start, self.text.len() as u32);
            }
        }
    }

    /// Gives back the spare room of the buffers once every row is read (as the interners do):
    /// grown by doubling, they can hold twice what they need.
    pub fn freeze(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
    }

    fn field(&self, id: u32, k: usize) -> Option<&str> {
        let (a, b) = self.spans.get(id as usize)?[k];
        (a < b).then(|| self.text.get(a as usize..b as usize)).flatten()
    }

    pub fn email(&self, id: u32) -> Option<&str> {
        self.field(id, 0)
    }

    pub fn phone(&self, id: u32) -> Option<&str> {
        self.field(id, 1)
    }

    pub fn name(&self, id: u32) -> Option<&str> {
        self.field(id, 2)
    }

    /// Whether any customer has a phone number or an email address at all.
    pub fn has_phone(&self) -> bool {
        self.spans.iter().any(|s| s[1].0 < s[1].1)
    }

    pub fn has_email(&self) -> bool {
        self.spans.iter().any(|s| s[0].0 < s[0].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_is_slice_equality() {
        let texts: [&[u8]; 9] =
            [b"", b"a", b"b", b"abcdefgh", b"abcdefgi", b"abcdefghi", b"abcdefghj", "黑糖话梅 150g".as_bytes(), b"x"];
        for a in texts {
            for b in texts {
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
        // A difference at every place of a long key is seen.
        let long: Vec<u8> = (0..40).collect();
        for i in 0..long.len() {
            let mut other = long.clone();
            other[i] ^= 0x80;
            assert!(!same_bytes(&long, &other), "byte {i}");
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
    }

    #[test]
    fn contacts_keep_the_first_value() {
        let mut c = Contacts::default();
        c.note(2, "", "138", "Ann");
        c.note(2, "a@x.com", "139", "");
        assert_eq!((c.email(2), c.phone(2), c.name(2)), (Some("a@x.com"), Some("138"), Some("Ann")));
        assert_eq!((c.email(0), c.phone(5)), (None, None));
        assert!(c.has_phone() && c.has_email());
        // A customer with nothing to note takes no room.
        c.note(1000, "", "", "");
        assert_eq!(c.spans.len(), 3);
        assert_eq!((c.email(1000), c.phone(1000), c.name(1000)), (None, None, None));
    }
}
