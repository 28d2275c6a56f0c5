//! How to reach each customer: email, phone and name, as the files wrote them (for campaign
//! lists).

use super::arena::Chunks;
use crate::growth;

/// Email, phone and name per customer id: the first non-empty value seen for each.
///
/// Each customer's values are one record in a shared buffer: for email, phone and name in turn,
/// a length and the bytes. Most exports give a buyer's contact columns on every row, so a record
/// is written once; a row that brings a value not known yet writes a new record and leaves the old
/// one unused. This is 5 bytes a customer besides the values, against 24 for three `(start, end)`
/// pairs: reading the 1 GB Taobao-style file (2.9 million buyers) holds 53 MB less, and the wasm
/// memory after reading it is 623 MB instead of 726, the pairs' growth having left holes that
/// nothing else could fill.
///
/// A value that is the customer's key as interned (the email or phone a shop identifies its
/// buyers by) is not stored again. Read through [`super::Dataset::email`],
/// [`super::Dataset::phone`] and [`super::Dataset::name`].
#[derive(Debug, Default, Clone)]
pub struct Contacts {
    /// The records, in chunks that never move ([`Chunks`]). Grown as one buffer by quarters,
    /// the 1 GB Taobao-style file's 58 MB of records were copied at each growth, and the last
    /// copy set the top of the wasm memory while reading: 584 MB, 529 in chunks.
    text: Chunks,
    /// The record being written.
    scratch: Vec<u8>,
    /// Per customer id: where its record starts in `text`.
    record: Vec<u32>,
    /// Per customer id: which of email, phone and name (bits 0, 1, 2) its record holds, so a row
    /// that brings nothing new is told so without reading the record.
    known: Vec<u8>,
}

/// A value's length in a record: nothing known, the customer's key, or `n` bytes as `n + 2`.
const UNKNOWN: u32 = 0;
const SAME_AS_KEY: u32 = 1;
const BYTES: u32 = 2;

/// A value as a record holds it.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Field {
    Unknown,
    SameAsKey,
    /// `start..end` in the text.
    Bytes(u32, u32),
}

impl Contacts {
    /// Records what a row says about customer `id`, whose key is `key`, keeping values already
    /// known.
    #[inline]
    pub fn note(&mut self, id: u32, key: &str, email: &str, phone: &str, name: &str) {
        let offered = u8::from(!email.is_empty()) | u8::from(!phone.is_empty()) << 1 | u8::from(!name.is_empty()) << 2;
        // Files without contact columns (a `customer,date,amount` list) store nothing at all, and
        // most rows bring nothing new: both are told where the call is (one a row).
        if offered == 0 || self.known.get(id as usize).is_some_and(|&known| offered & !known == 0) {
            return;
        }
        self.write(id, key, [email, phone, name], offered);
    }

    /// Writes customer `id`'s record anew with the values `offered` (bits as in `known`) that it
    /// did not know yet.
    #[inline(never)]
    fn write(&mut self, id: u32, key: &str, values: [&str; 3], offered: u8) {
        let i = id as usize;
        if self.known.len() <= i {
            // Customer ids come in order, so this is most often one more customer: pushed, not
            // resized (a call to fill one byte).
            if self.known.len() == i {
                growth::push(&mut self.known, 0);
                growth::push(&mut self.record, 0);
            } else {
                let more = i + 1 - self.known.len();
                growth::reserve(&mut self.known, more);
                growth::reserve(&mut self.record, more);
                self.known.resize(i + 1, 0);
                self.record.resize(i + 1, 0);
            }
        }
        let known = self.known[i];
        if offered & !known == 0 {
            return;
        }
        // A customer seen for the first time (most writes) has no record to read.
        let old = if known == 0 { [Field::Unknown; 3] } else { self.fields(i) };
        self.scratch.clear();
        for (k, value) in values.iter().enumerate() {
            match old[k] {
                Field::Bytes(a, b) => {
                    self.put_len(BYTES + (b - a));
                    let old_value = self.text.slice(a, b).unwrap_or_default();
                    self.scratch.extend_from_slice(old_value);
                }
                Field::SameAsKey => self.put_len(SAME_AS_KEY),
                Field::Unknown if value.is_empty() => self.put_len(UNKNOWN),
                Field::Unknown if *value == key => self.put_len(SAME_AS_KEY),
                Field::Unknown => {
                    self.put_len(BYTES + value.len() as u32);
                    self.scratch.extend_from_slice(value.as_bytes());
                }
            }
        }
        let (start, _, _) = self.text.push(&self.scratch);
        self.record[i] = start;
        self.known[i] = known | offered;
    }

    /// Appends a length to the record being written: seven bits a byte, the last byte's high bit
    /// clear.
    fn put_len(&mut self, mut n: u32) {
        while n >= 0x80 {
            self.scratch.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.scratch.push(n as u8);
    }

    /// The email, phone and name of customer `i`'s record.
    fn fields(&self, i: usize) -> [Field; 3] {
        let mut out = [Field::Unknown; 3];
        if self.known.get(i).map_or(true, |&m| m == 0) {
            return out;
        }
        let start = self.record[i];
        let record = self.text.tail(start).unwrap_or_default();
        let mut at = 0;
        for field in &mut out {
            let mut n = 0u32;
            let mut shift = 0;
            while let Some(&b) = record.get(at) {
                at += 1;
                n |= u32::from(b & 0x7F) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            *field = match n {
                UNKNOWN => Field::Unknown,
                SAME_AS_KEY => Field::SameAsKey,
                _ => {
                    let len = (n - BYTES) as usize;
                    at += len;
                    Field::Bytes(start.wrapping_add((at - len) as u32), start.wrapping_add(at as u32))
                }
            };
        }
        out
    }

    /// Gives back the spare room of the buffers once every row is read (as the interners do).
    pub fn freeze(&mut self) {
        self.text.shrink_to_fit();
        self.scratch = Vec::new();
        self.record.shrink_to_fit();
        self.known.shrink_to_fit();
    }

    /// Value `k` (email, phone, name) of customer `id`, whose key is `key`.
    pub(super) fn field<'a>(&'a self, id: u32, k: usize, key: Option<&'a str>) -> Option<&'a str> {
        match self.fields(id as usize)[k] {
            Field::Unknown => None,
            Field::SameAsKey => key,
            Field::Bytes(a, b) => std::str::from_utf8(self.text.slice(a, b)?).ok(),
        }
    }

    fn any(&self, k: usize) -> bool {
        self.known.iter().any(|m| m & (1 << k) != 0)
    }

    /// Whether any customer has a phone number or an email address at all.
    pub fn has_phone(&self) -> bool {
        self.any(1)
    }

    pub fn has_email(&self) -> bool {
        self.any(0)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Dataset;

    #[test]
    fn contacts_keep_the_first_value() {
        let mut data = Dataset::default();
        for key in ["k0", "k1", "k2", "a@x.com"] {
            data.customers.intern(key);
        }
        let c = &mut data.contacts;
        c.note(2, "k2", "", "138", "Ann");
        c.note(2, "k2", "a@x.com", "139", "");
        // Customer 3 is known by their email: it is not stored again, yet reads the same.
        c.note(3, "a@x.com", "a@x.com", "", "Bo");
        assert_eq!((data.email(2), data.phone(2), data.name(2)), (Some("a@x.com"), Some("138"), Some("Ann")));
        assert_eq!((data.email(3), data.phone(3), data.name(3)), (Some("a@x.com"), None, Some("Bo")));
        assert_eq!((data.email(0), data.phone(5)), (None, None));
        assert!(data.contacts.has_phone() && data.contacts.has_email());
        // A customer with nothing to note takes no room.
        data.contacts.note(1000, "", "", "", "");
        assert_eq!(data.contacts.known.len(), 4);
        assert_eq!((data.email(1000), data.phone(1000), data.name(1000)), (None, None, None));
    }

    /// A row that brings nothing new writes nothing; values of 127 bytes and more take lengths
    /// of two bytes.
    #[test]
    fn records_are_written_only_for_new_values() {
        let mut data = Dataset::default();
        data.customers.intern("k0");
        let long = "名".repeat(100);
        let c = &mut data.contacts;
        c.note(0, "k0", "", "", &long);
        let written = c.text.stored();
        assert_eq!(written, 3 + 1 + long.len(), "three lengths, the name's in two bytes");
        c.note(0, "k0", "", "", "another name");
        assert_eq!(c.text.stored(), written, "a name is already known");
        c.note(0, "k0", "", "139", "");
        assert_eq!((data.phone(0), data.name(0)), (Some("139"), Some(long.as_str())));
    }

    #[test]
    fn an_email_that_is_the_key_still_counts_as_an_email() {
        let mut data = Dataset::default();
        data.customers.intern("a@x.com");
        data.contacts.note(0, "a@x.com", "a@x.com", "", "");
        assert!(data.contacts.has_email() && !data.contacts.has_phone());
    }
}
