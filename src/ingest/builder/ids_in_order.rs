//! Order numbers that come in order, kept in a list instead of a hash table.
//!
//! Many exports list their orders by number: Shopify's newest first (the real export in the
//! tests' data: `#1411`, `#1410` on six rows, `#1409`…), the real Tmall report oldest first
//! (`1` to `28010`), as do the benchmark's Taobao-style files. Then an order's rows come
//! together and no number comes back once passed, so the row's order is either the last one
//! seen or a new one, and the numbers can be appended to a list: 12 bytes an order written in
//! sequence, against a hash table's scattered slots, kept at most 7/8 full (the 100 MB
//! Taobao-style file's 586,820 orders took a table of a million slots, 13.6 MB). A number out
//! of order ends the list (see `OrderIndex::claim`).

use super::NO_DRAFT;
use crate::chunked::Chunked;

/// Order number keys in the order read, each with its draft.
#[derive(Default)]
pub(super) struct IdsInOrder {
    /// The key's two halves and the draft.
    entries: Chunked<[u32; 3]>,
    /// Whether the keys rise; `None` while there is one.
    rising: Option<bool>,
}

fn key_of(entry: &[u32; 3]) -> u64 {
    u64::from(entry[1]) << 32 | u64::from(entry[0])
}

impl IdsInOrder {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The draft `key` had (`NO_DRAFT` for a new key), `next` given to it if it had none; `None`
    /// if `key` is out of order, which leaves the list as it was.
    #[inline]
    pub fn claim(&mut self, key: u64, next: u32) -> Option<u32> {
        let entry = [key as u32, (key >> 32) as u32, next];
        let Some(last) = self.entries.last_mut() else {
            self.entries.push(entry);
            return Some(NO_DRAFT);
        };
        let last_key = key_of(last);
        if key == last_key {
            let had = last[2];
            if had == NO_DRAFT {
                last[2] = next;
            }
            return Some(had);
        }
        let rising = key > last_key;
        if self.rising.is_some_and(|r| r != rising) {
            return None;
        }
        self.rising = Some(rising);
        self.entries.push(entry);
        Some(NO_DRAFT)
    }

    /// Where `key` is, by a binary search in the direction the keys go.
    fn position(&self, key: u64) -> Option<usize> {
        let rising = self.rising.unwrap_or(true);
        // The first entry not before `key`.
        let (mut low, mut high) = (0, self.entries.len());
        while low < high {
            let mid = low + (high - low) / 2;
            let k = key_of(&self.entries[mid]);
            if (rising && k < key) || (!rising && k > key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        (low < self.entries.len() && key_of(&self.entries[low]) == key).then_some(low)
    }

    /// The draft of `key`, if the list holds it (`NO_DRAFT` if it has none).
    pub fn find(&self, key: u64) -> Option<u32> {
        self.position(key).map(|at| self.entries[at][2])
    }

    /// Sets the draft of `key`; false if the list does not hold it.
    pub fn set(&mut self, key: u64, draft: u32) -> bool {
        // Nearly always the last key, claimed by the same row.
        let at = match self.entries.last_mut() {
            Some(last) if key_of(last) == key => {
                last[2] = draft;
                return true;
            }
            _ => self.position(key),
        };
        if let Some(at) = at {
            self.entries[at][2] = draft;
        }
        at.is_some()
    }

    /// Every key and its draft, in the order read; the list is left empty.
    pub fn take(&mut self) -> impl Iterator<Item = (u64, u32)> {
        let entries = std::mem::take(&mut self.entries);
        self.rising = None;
        entries.into_items().map(|e| (key_of(&e), e[2]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_in_either_direction_are_kept_and_found() {
        for rising in [true, false] {
            let keys: Vec<u64> = (0..200u64).map(|k| 3_100_000_000_000_000_000 + 7 * k).collect();
            let keys: Vec<u64> = if rising { keys } else { keys.into_iter().rev().collect() };
            let mut list = IdsInOrder::default();
            for (d, &k) in keys.iter().enumerate() {
                assert_eq!(list.claim(k, d as u32), Some(NO_DRAFT), "{k}");
                // The order's next row finds its draft, and does not take `next`.
                assert_eq!(list.claim(k, 999), Some(d as u32), "{k}");
            }
            assert_eq!(list.len(), keys.len());
            for (d, &k) in keys.iter().enumerate() {
                assert_eq!(list.find(k), Some(d as u32), "{k}");
                assert_eq!(list.find(k + 1), None, "{k} + 1");
            }
            assert_eq!(list.find(0), None);
            assert_eq!(list.find(u64::MAX), None);
            // A key going back is refused, and changes nothing.
            assert_eq!(list.claim(keys[100], 5), None);
            assert_eq!(list.claim(keys[0], 5), None);
            assert_eq!(list.len(), keys.len());
            assert!(list.set(keys[10], 77));
            assert_eq!(list.find(keys[10]), Some(77));
            assert!(!list.set(keys[10] + 1, 77));
            let taken: Vec<(u64, u32)> = list.take().collect();
            assert_eq!(taken.len(), keys.len());
            assert_eq!(taken[10], (keys[10], 77));
            assert_eq!(taken[11], (keys[11], 11));
            assert_eq!(list.len(), 0);
        }
    }

    /// A key given back (`NO_DRAFT`) is claimed again by the order's next row.
    #[test]
    fn a_key_given_back_is_claimed_again() {
        let mut list = IdsInOrder::default();
        assert_eq!(list.claim(10, 0), Some(NO_DRAFT));
        assert!(list.set(10, NO_DRAFT));
        assert_eq!(list.find(10), Some(NO_DRAFT));
        assert_eq!(list.claim(10, 0), Some(NO_DRAFT));
        assert_eq!(list.claim(10, 1), Some(0));
        // One key so far: the direction is set by the second.
        assert_eq!(list.claim(9, 1), Some(NO_DRAFT));
        assert_eq!(list.claim(11, 2), None);
    }
}
