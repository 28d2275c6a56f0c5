//! The orders every analysis reads: columnar, with customers, products and regions interned.

use crate::ingest::columns::Role;
use crate::ingest::dates::Timestamp;
use crate::money::Money;
use rustc_hash::FxHashMap;
use serde::Serialize;

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

/// Strings seen many times, stored once and referred to by index.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    map: FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.map.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.map.insert(s.into(), id);
        id
    }

    pub fn get(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(|s| &**s)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    pub fn names(&self) -> &[Box<str>] {
        &self.names
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

/// Email, phone and name per customer id: the first non-empty value seen for each.
#[derive(Debug, Default, Clone)]
pub struct Contacts {
    email: Vec<Option<Box<str>>>,
    phone: Vec<Option<Box<str>>>,
    name: Vec<Option<Box<str>>>,
}

impl Contacts {
    /// Records what a row says about customer `id`, keeping values already known.
    pub fn note(&mut self, id: u32, email: &str, phone: &str, name: &str) {
        let i = id as usize;
        for (col, value) in [(&mut self.email, email), (&mut self.phone, phone), (&mut self.name, name)] {
            if col.len() <= i {
                col.resize(i + 1, None);
            }
            if col[i].is_none() && !value.is_empty() {
                col[i] = Some(value.into());
            }
        }
    }

    pub fn email(&self, id: u32) -> Option<&str> {
        self.email.get(id as usize).and_then(|v| v.as_deref())
    }

    pub fn phone(&self, id: u32) -> Option<&str> {
        self.phone.get(id as usize).and_then(|v| v.as_deref())
    }

    pub fn name(&self, id: u32) -> Option<&str> {
        self.name.get(id as usize).and_then(|v| v.as_deref())
    }

    /// Whether any customer has a phone number or an email address at all.
    pub fn has_phone(&self) -> bool {
        self.phone.iter().any(Option::is_some)
    }

    pub fn has_email(&self) -> bool {
        self.email.iter().any(Option::is_some)
    }
}
