//! The orders every analysis reads: columnar, with customers, products and regions interned.

use crate::calendar::Timestamp;
use crate::growth;
use crate::ingest::columns::Role;
use crate::money::Money;
use serde::Serialize;

mod column;
mod interner;
pub use column::Column;
pub use interner::{BytesInterner, Interner};

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
///
/// Refunds, items, products and regions are [`Column`]s: files without them (a
/// `customer,date,amount` list) store none.
#[derive(Debug, Clone)]
pub struct Orders {
    pub customer: Vec<u32>,
    /// Seconds since 1970 in 32 bits, which hold every time the importer accepts (1970–2100):
    /// 4 bytes an order less than a [`Timestamp`]. [`Orders::time`] gives the timestamp.
    pub time: Vec<u32>,
    /// Gross amount: what the buyer paid before refunds.
    pub gross: Vec<Money>,
    pub refund: Column<Money>,
    pub status: Vec<Status>,
    pub items: Column<u32>,
    /// Interned product of the order's first line, or [`NONE`].
    pub first_product: Column<u32>,
    pub region: Column<u32>,
    /// Whether the order counts as a purchase (DESIGN.md "valid order").
    pub valid: Vec<bool>,
}

impl Default for Orders {
    fn default() -> Orders {
        Orders {
            customer: Vec::new(),
            time: Vec::new(),
            gross: Vec::new(),
            refund: Column::new(Money::ZERO),
            status: Vec::new(),
            items: Column::new(1),
            first_product: Column::new(NONE),
            region: Column::new(NONE),
            valid: Vec::new(),
        }
    }
}

impl Orders {
    /// Room for `n` more orders in every column.
    pub fn reserve(&mut self, n: usize) {
        self.customer.reserve_exact(n);
        self.time.reserve_exact(n);
        self.gross.reserve_exact(n);
        self.refund.reserve(n);
        self.status.reserve_exact(n);
        self.items.reserve(n);
        self.first_product.reserve(n);
        self.region.reserve(n);
        self.valid.reserve_exact(n);
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Order `i`'s time.
    pub fn time(&self, i: usize) -> Timestamp {
        Timestamp::from(self.time[i])
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
            let more = i + 1 - self.spans.len();
            growth::reserve(&mut self.spans, more);
            self.spans.resize(i + 1, [(0, 0); 3]);
        }
        for (k, value) in [email, phone, name].into_iter().enumerate() {
            let (a, b) = self.spans[i][k];
            if a == b && !value.is_empty() {
                let start = self.text.len() as u32;
                if self.text.capacity() - self.text.len() < value.len() {
                    self.text.reserve_exact(growth::extra(self.text.len(), value.len()));
                }
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
