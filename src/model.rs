//! The orders every analysis reads: columnar, with customers, products and regions interned.

use crate::calendar::Timestamp;
use crate::ingest::columns::Role;
use crate::money::Money;
use serde::Serialize;

mod arena;
mod column;
mod contacts;
mod grouping;
mod interner;
mod lines;
mod money_column;
mod small;
mod sparse;
pub use contacts::Contacts;
pub use interner::{BytesInterner, Interner};
pub use lines::{Line, LineList, Lines, LinesIter};
pub use money_column::{MoneyColumn, MoneyIter, MoneyValues};
pub use small::{SmallColumn, SmallValues};
pub use sparse::SparseColumn;

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
    /// Every status, in declaration order: `ALL[s as usize] == s`.
    pub const ALL: [Status; 10] = [
        Status::Paid,
        Status::Shipped,
        Status::Completed,
        Status::PartiallyRefunded,
        Status::Unrecognized,
        Status::Unpaid,
        Status::Cancelled,
        Status::Closed,
        Status::Refunded,
        Status::Voided,
    ];

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

/// One entry per distinct order id.
///
/// The valid orders with a customer come first (`0..grouped`): customer by customer in id
/// order, each customer's oldest first ([`Orders::group_by_customer`]). The other orders follow,
/// in the order seen.
///
/// Items, products and regions are [`SmallColumn`]s: files without them (a
/// `customer,date,amount` list) store none. Refunds, which few orders have, are a
/// [`SparseColumn`]. Statuses are not kept: the report counts orders by status as they settle,
/// and the analyses read only `valid` (a column nobody read was a byte an order, 6 MB of the
/// 1 GB GBK benchmark file's peak).
#[derive(Debug, Clone)]
pub struct Orders {
    pub customer: Vec<u32>,
    /// Seconds since 1970 in 32 bits, which hold every time the importer accepts (1970–2100):
    /// 4 bytes an order less than a [`Timestamp`]. [`Orders::time`] gives the timestamp.
    pub time: Vec<u32>,
    /// Gross amount: what the buyer paid before refunds.
    pub gross: MoneyColumn,
    pub refund: SparseColumn<Money>,
    pub items: SmallColumn,
    /// Interned product of the order's first line, or [`NONE`].
    pub first_product: SmallColumn,
    pub region: SmallColumn,
    /// Whether the order counts as a purchase (DESIGN.md "valid order").
    pub valid: Vec<bool>,
    /// How many orders come first, grouped by customer: the valid ones with a customer.
    pub grouped: usize,
}

impl Default for Orders {
    fn default() -> Orders {
        Orders {
            customer: Vec::new(),
            time: Vec::new(),
            gross: MoneyColumn::default(),
            refund: SparseColumn::new(Money::ZERO),
            items: SmallColumn::new(1),
            first_product: SmallColumn::new(NONE),
            region: SmallColumn::new(NONE),
            valid: Vec::new(),
            grouped: 0,
        }
    }
}

impl Orders {
    /// Room for `n` more orders in every column.
    pub fn reserve(&mut self, n: usize) {
        self.customer.reserve_exact(n);
        self.time.reserve_exact(n);
        self.gross.reserve(n);
        self.items.reserve(n);
        self.first_product.reserve(n);
        self.region.reserve(n);
        self.valid.reserve_exact(n);
    }

    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// The line of each order naming a product, if it were the order's only one: its product,
    /// all its items and all its gross.
    pub fn implied_lines(&self) -> LinesIter<'_> {
        LinesIter::Implied { orders: self, product: self.first_product.values(), items: self.items.values(), at: 0 }
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

/// Everything imported from a seller's files.
#[derive(Debug, Default, Clone)]
pub struct Dataset {
    pub orders: Orders,
    pub credits: Vec<Credit>,
    /// Read through [`Dataset::lines`].
    pub lines: Lines,
    pub customers: Interner,
    pub products: Interner,
    pub regions: Interner,
    /// The column kind customers are identified by; `None` when the files have no usable buyer column.
    pub customer_key: Option<Role>,
    pub currency: Option<String>,
    /// How to reach each customer, as the files wrote it (for campaign lists).
    pub contacts: Contacts,
}

impl Dataset {
    /// Every product line, in order.
    pub fn lines(&self) -> LinesIter<'_> {
        self.lines.iter(&self.orders)
    }
}

impl Dataset {
    /// Customer `id`'s email, as the files wrote it.
    pub fn email(&self, id: u32) -> Option<&str> {
        self.contacts.field(id, 0, self.customers.get(id))
    }

    pub fn phone(&self, id: u32) -> Option<&str> {
        self.contacts.field(id, 1, self.customers.get(id))
    }

    pub fn name(&self, id: u32) -> Option<&str> {
        self.contacts.field(id, 2, self.customers.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    /// Settling counts orders by `status as usize` into a list read back through `ALL`.
    #[test]
    fn every_status_is_at_its_number_in_all() {
        for (k, s) in Status::ALL.into_iter().enumerate() {
            assert_eq!(s as usize, k, "{s:?}");
        }
        let mut names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Status::ALL.len());
    }
}
