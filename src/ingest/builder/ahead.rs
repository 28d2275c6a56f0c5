//! Reading ahead of the rows: the customer table's places for the next few rows' buyers, fetched
//! together.
//!
//! Past some 50,000 customers, the customer table outgrows a core's own cache, and with millions
//! it is tens of megabytes: a row's lookup in it waits on memory, one wait per row (a third of
//! the native import of the 100 MB `customer,date,amount` file, two million customers). Reading
//! the places of the next [`AHEAD`](crate::ingest::records::AHEAD) rows one after another, with
//! nothing depending on each read, lets the processor wait for them all at once; the rows' own
//! lookups then find them in the cache. Wasm has no prefetch instruction, so the places are read,
//! plainly.

use super::{Builder, FileCtx};
use crate::ingest::cells;
use crate::ingest::records::{Upcoming, AHEAD};

impl Builder {
    /// Fetches the customer table's places for the buyers of `upcoming`. Only a guess at what
    /// the rows will look up (a cell whose key is not the cell as written is left out), so it
    /// changes nothing but what is in the cache.
    pub(crate) fn look_ahead(&mut self, ctx: &FileCtx, upcoming: &Upcoming) {
        let Some((role, column)) = ctx.key_role.and_then(|role| Some((role, ctx.mapping.get(role)?))) else {
            return;
        };
        if !self.data.customers.worth_prefetching() {
            return;
        }
        let mut keys: [&[u8]; AHEAD] = [&[]; AHEAD];
        let mut n = 0;
        for rec in upcoming.iter().take(AHEAD) {
            // The cell as text from the lines' group check, not checked again on its own.
            let Some(text) = rec.utf8().and_then(|r| r.field(column)) else { continue };
            let text = cells::clean(text);
            if !text.is_empty() && cells::key_as_is(role, text) {
                keys[n] = text.as_bytes();
                n += 1;
            }
        }
        self.read_ahead ^= self.data.customers.prefetch(&keys[..n]);
    }
}
