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
mod small;
mod sparse;
pub use column::Column;
pub use contacts::Contacts;
pub use interner::{BytesInterner, Interner};
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
/// Statuses, items, products and regions are [`Column`]s: files without them (a
/// `customer,date,amount` list) store none. Refunds, which few orders have, are a
/// [`SparseColumn`].
#[derive(Debug, Clone)]
pub struct Orders {
    pub customer: Vec<u32>,
    /// Seconds since 1970 in 32 bits, which hold every time the importer accepts (1970–2100):
    /// 4 bytes an order less than a [`Timestamp`]. [`Orders::time`] gives the timestamp.
    pub time: Vec<u32>,
    /// Gross amount: what the buyer paid before refunds.
    pub gross: Vec<Money>,
    pub refund: SparseColumn<Money>,
    /// Kept for the record: the report counts orders by status as they settle, and the analyses
    /// read only `valid`. A file without a status column has every order completed.
    pub status: Column<Status>,
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
            gross: Vec::new(),
            refund: SparseColumn::new(Money::ZERO),
            status: Column::new(Status::Completed),
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
        self.gross.reserve_exact(n);
        self.status.reserve(n);
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

/// One product line of an order. Packed to 4-byte alignment: 20 bytes, not 24 with the padding
/// an 8-byte field would bring (a 1 GB Shopify-style export lists 6.7 million lines, 27 MB).
/// Its fields are read by value (`{ line.amount }`): a packed field cannot be borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(4))]
pub struct Line {
    pub order: u32,
    pub product: u32,
    pub quantity: u32,
    pub amount: Money,
}

/// The orders' product lines.
///
/// An order report names one product per order (Taobao's 订单报表, a generic order list): each
/// line is then its order's product, items and gross, which [`Orders`] already holds, and the
/// list is not kept (20 bytes an order, 117 MB for a 1 GB Taobao report).
#[derive(Debug, Default, Clone)]
pub struct Lines {
    listed: Vec<Line>,
    /// The lines are [`Orders::implied_lines`], one per order naming a product.
    implied: bool,
}

impl Lines {
    /// Keeps `listed`, unless it is exactly the orders' implied lines.
    pub fn new(listed: Vec<Line>, orders: &Orders) -> Lines {
        let implied = !listed.is_empty() && listed.iter().copied().eq(orders.implied_lines());
        if implied {
            Lines { listed: Vec::new(), implied }
        } else {
            // Collected in place, the lines keep the room reserved from the file's size.
            let mut listed = listed;
            listed.shrink_to_fit();
            Lines { listed, implied }
        }
    }

    /// The orders' implied lines, one for each order naming a product.
    pub fn implied(orders: &Orders) -> Lines {
        Lines { listed: Vec::new(), implied: orders.implied_lines().next().is_some() }
    }

    pub fn is_empty(&self) -> bool {
        !self.implied && self.listed.is_empty()
    }
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
        if self.lines.implied {
            self.orders.implied_lines()
        } else {
            LinesIter::Listed(self.lines.listed.iter())
        }
    }
}

/// [`Dataset::lines`]: a plain loop over either kind, which the sections run through twice each
/// (a chain of iterator adapters made the report a tenth slower in the wasm).
pub enum LinesIter<'a> {
    Listed(std::slice::Iter<'a, Line>),
    Implied { orders: &'a Orders, product: SmallValues<'a>, items: SmallValues<'a>, at: usize },
}

impl Iterator for LinesIter<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        match self {
            LinesIter::Listed(lines) => lines.next().copied(),
            LinesIter::Implied { orders, product, items, at } => {
                // Through views of the columns taken once, not read from the columns per order.
                while *at < orders.len() {
                    let i = *at;
                    *at += 1;
                    let product = product.get(i);
                    if product != NONE {
                        return Some(Line {
                            order: i as u32,
                            product,
                            quantity: items.get(i),
                            amount: orders.gross[i],
                        });
                    }
                }
                None
            }
        }
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
    /// An order report's lines are implied by its orders; a second line in one order, or a
    /// line whose money is its own, keeps the list. Either way the lines read the same.
    #[test]
    fn lines_are_kept_only_when_the_orders_do_not_imply_them() {
        let report = "order,customer,date,amount,product,quantity\n1,ann,2024-01-01,50,tea,2\n2,bob,2024-01-02,20,,1\n3,ann,2024-01-05,30,cup,1\n";
        let two_lines =
            "order,customer,date,amount,product,quantity\n1,ann,2024-01-01,50,tea,2\n1,ann,2024-01-01,50,cup,1\n";
        let own_money = "order,customer,date,total,product,quantity,line total\n1,ann,2024-01-01,50,tea,2,45\n";
        // Order 1's first line is listed when its second (without a product) comes, with the
        // items of the first alone; order 2's when the file ends.
        let interleaved = "order,customer,date,amount,product,quantity\n1,ann,2024-01-01,50,tea,2\n2,bob,2024-01-02,20,cup,1\n1,ann,2024-01-01,50,,3\n";
        for (shop, implied, lines) in [
            // Ann's two orders come first, grouped: bob's, without a product, is order 2.
            (report, true, vec![(0, "tea", 2, 50), (1, "cup", 1, 30)]),
            (two_lines, false, vec![(0, "tea", 2, 0), (0, "cup", 1, 0)]),
            (own_money, false, vec![(0, "tea", 2, 45)]),
            (interleaved, false, vec![(0, "tea", 2, 50), (1, "cup", 1, 20)]),
        ] {
            let (data, _) = crate::ingest::import_files(&[("shop.csv", shop.as_bytes())], Default::default())
                .expect("the test shop imports");
            assert_eq!(data.lines.implied, implied, "{shop}");
            assert_eq!(data.lines.listed.is_empty(), implied, "{shop}");
            let got: Vec<(u32, &str, u32, i64)> = data
                .lines()
                .map(|l| {
                    (l.order, data.products.get(l.product).unwrap_or("?"), l.quantity, l.amount.0 / crate::money::SCALE)
                })
                .collect();
            assert_eq!(got, lines, "{shop}");
        }
    }
}
