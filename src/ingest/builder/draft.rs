//! An order while its rows arrive, and how it settles into status, gross and refund.

use super::FileRules;
use crate::chunked::Chunked;
use crate::model::{Status, NONE, NO_CUSTOMER};
use crate::money::Money;
use rustc_hash::FxBuildHasher;
use std::collections::HashMap;

/// An order while its rows are still arriving: the importer's largest item, one per order (every
/// 4 bytes here is 16 MB of a tab's memory with four million orders). So what few orders need is
/// kept beside the drafts, not in each: an ambiguous date and its rows (`FileCtx::ambiguous`),
/// refunds (`Builder::refunds`), returned money (`Builder::returns`), the file
/// (`Builder::file_start`), products and regions ([`Named`], kept from the first order that names
/// one: a `customer,date,amount` file names none), item counts too large for two bytes and
/// amounts in anything but whole cents or beyond ±21 million ([`Spill`]); and the yes/no facts
/// and the status are bits. 16 bytes a draft.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    /// The order's gross ([`Draft::amount`]): its order-level amount (the first non-empty cell)
    /// once one is seen (`Flags::HAS_AMOUNT`); until then the line money summed
    /// (`Amount`/`LineAmount` per line, or quantity × price of sale lines).
    amount: Cents,
    pub(super) customer: u32,
    /// The order time ([`crate::calendar::Timestamp`] in 32 bits, which hold every plausible
    /// order time: 1970–2100); for a `A/B/YYYY` date not settled yet (`Flags::AMBIGUOUS`), 0.
    pub(super) time: u32,
    items: Small,
    pub(super) flags: Flags,
}

const _: () = assert!(std::mem::size_of::<Draft>() == 16);

/// Each draft's first product and region ([`NONE`] if none), in two bytes each, kept apart from
/// the drafts so that a file without products or regions keeps none: the 100 MB
/// `customer,date,amount` benchmark file has 3.9 million drafts. Drafts past the stored ones
/// name neither.
#[derive(Debug, Default)]
pub(super) struct Named {
    stored: Chunked<[Small; 2]>,
}

const NAMED_NONE: [Small; 2] = [Small(SMALL_NONE), Small(SMALL_NONE)];

impl Named {
    /// Interned product of the order's first line naming one, or [`NONE`].
    pub(super) fn first_product(&self, draft: u32, spill: &Spill) -> u32 {
        self.read(draft, Field::Product, spill)
    }

    /// Sets the draft's product to `v` if it has none yet: the first line naming one names it.
    pub(super) fn name_product(&mut self, draft: u32, spill: &mut Spill, v: u32) {
        self.name(draft, Field::Product, spill, v);
    }

    /// Sets the draft's region to `v` if it has none yet.
    pub(super) fn name_region(&mut self, draft: u32, spill: &mut Spill, v: u32) {
        self.name(draft, Field::Region, spill, v);
    }

    /// Interned region, or [`NONE`].
    pub(super) fn region(&self, draft: u32, spill: &Spill) -> u32 {
        self.read(draft, Field::Region, spill)
    }

    /// Whether no draft names a product or region.
    pub(super) fn is_empty(&self) -> bool {
        self.stored.is_empty()
    }

    #[inline]
    fn read(&self, draft: u32, field: Field, spill: &Spill) -> u32 {
        match self.stored.get(draft as usize) {
            Some(pair) => spill.read(pair[field as usize], draft, field),
            None => NONE,
        }
    }

    /// Sets the draft's `field` to `v` if it is [`NONE`]: one look at the draft's names, which
    /// each row of a line-item export makes (a spilled value is never `NONE`). Naming none
    /// stores nothing.
    #[inline]
    fn name(&mut self, draft: u32, field: Field, spill: &mut Spill, v: u32) {
        if v == NONE {
            return;
        }
        let at = draft as usize;
        while self.stored.len() <= at {
            self.stored.push(NAMED_NONE);
        }
        let small = &mut self.stored[at][field as usize];
        if small.0 == SMALL_NONE {
            spill.write(small, draft, field, v);
        }
    }
}

/// A draft's amount in four bytes: whole cents, which every amount of a two-decimal currency
/// is, up to ±21 million units (a [`Money`] is eight bytes, in ten-thousandths). Anything else
/// is [`SPILLED_CENTS`], its amount kept in the [`Spill`]. Four bytes a draft is 25 MB of the
/// 1 GB GBK benchmark file's 6.4 million drafts, which are all alive while settling, the
/// page's highest point.
#[derive(Debug, Clone, Copy)]
struct Cents(i32);

const SPILLED_CENTS: i32 = i32::MIN;

impl Cents {
    /// `m` in cents, if it is whole cents and fits (but for the spilled mark).
    #[inline]
    fn of(m: Money) -> Option<Cents> {
        m.cents().filter(|&n| n != SPILLED_CENTS).map(Cents)
    }
}

/// A draft's product, region or item count in two bytes: itself while below [`SPILLED`],
/// `u32::MAX` ([`NONE`]) as `0xFFFF`, and anything else kept in the [`Spill`].
#[derive(Debug, Clone, Copy)]
struct Small(u16);

const SPILLED: u16 = 0xFFFE;
const SMALL_NONE: u16 = 0xFFFF;

/// Which of a draft's [`Small`] fields a spilled value is.
#[derive(Debug, Clone, Copy)]
enum Field {
    Product = 0,
    Region = 1,
    Items = 2,
}

/// The drafts' values too large for two bytes, by draft and field: a shop with more than 65,534
/// products or regions, an order of more items; and amounts that are not whole cents. Rare, so
/// kept apart.
#[derive(Debug, Default)]
pub(super) struct Spill {
    /// Products, regions and item counts, by [`Spill::key`].
    small: HashMap<u64, u32, FxBuildHasher>,
    /// Amounts, by draft.
    amounts: HashMap<u32, Money, FxBuildHasher>,
}

impl Spill {
    fn key(draft: u32, field: Field) -> u64 {
        u64::from(draft) << 2 | field as u64
    }

    #[inline]
    fn read(&self, small: Small, draft: u32, field: Field) -> u32 {
        match small.0 {
            SMALL_NONE => NONE,
            SPILLED => self.small.get(&Spill::key(draft, field)).copied().unwrap_or(NONE),
            n => u32::from(n),
        }
    }

    #[inline]
    fn write(&mut self, small: &mut Small, draft: u32, field: Field, v: u32) {
        let n = if v == NONE { Some(SMALL_NONE) } else { u16::try_from(v).ok().filter(|&n| n < SPILLED) };
        match n {
            Some(n) if small.0 != SPILLED => small.0 = n,
            _ => self.write_rare(small, draft, field, v),
        }
    }

    /// [`Spill::write`] of a value that is, or replaces, a spilled one.
    #[cold]
    fn write_rare(&mut self, small: &mut Small, draft: u32, field: Field, v: u32) {
        if small.0 == SPILLED {
            self.small.remove(&Spill::key(draft, field));
        }
        small.0 = match u16::try_from(v) {
            Ok(n) if n < SPILLED => n,
            _ if v == NONE => SMALL_NONE,
            _ => {
                self.small.insert(Spill::key(draft, field), v);
                SPILLED
            }
        };
    }
}

impl Draft {
    /// A new order's draft: no customer, product, region, item or money yet.
    pub(super) fn new(time: u32, flags: Flags) -> Draft {
        Draft { amount: Cents(0), customer: NO_CUSTOMER, time, items: Small(0), flags }
    }

    /// The order's amount so far (see [`Draft`]).
    #[inline]
    pub(super) fn amount(&self, draft: u32, spill: &Spill) -> Money {
        match self.amount.0 {
            SPILLED_CENTS => spill.amounts.get(&draft).copied().unwrap_or(Money::ZERO),
            n => Money::from_cents(n),
        }
    }

    #[inline]
    pub(super) fn set_amount(&mut self, draft: u32, spill: &mut Spill, m: Money) {
        match Cents::of(m) {
            Some(c) if self.amount.0 != SPILLED_CENTS => self.amount = c,
            _ => self.set_amount_rare(draft, spill, m),
        }
    }

    /// [`Draft::set_amount`] of an amount that is, or replaces, a spilled one.
    #[cold]
    fn set_amount_rare(&mut self, draft: u32, spill: &mut Spill, m: Money) {
        match Cents::of(m) {
            Some(c) => {
                spill.amounts.remove(&draft);
                self.amount = c;
            }
            None => {
                spill.amounts.insert(draft, m);
                self.amount = Cents(SPILLED_CENTS);
            }
        }
    }

    /// Items of the order's sale lines.
    pub(super) fn items(&self, draft: u32, spill: &Spill) -> u32 {
        spill.read(self.items, draft, Field::Items)
    }

    pub(super) fn set_items(&mut self, draft: u32, spill: &mut Spill, v: u32) {
        spill.write(&mut self.items, draft, Field::Items, v);
    }
}

/// What a draft's rows said, yes or no.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flags(pub(super) u16);

impl Flags {
    pub(super) const CANCELLED: u16 = 1;
    pub(super) const PAID_SEEN: u16 = 1 << 1;
    pub(super) const HAS_AMOUNT: u16 = 1 << 2;
    pub(super) const HAS_REFUND: u16 = 1 << 3;
    pub(super) const CREDIT_NOTE: u16 = 1 << 4;
    /// A row has a sale line (not a credit, not a zero line).
    pub(super) const SALE_LINE: u16 = 1 << 5;
    /// A row's after-sale cell says refunded.
    pub(super) const AFTER_SALE_REFUNDED: u16 = 1 << 6;
    /// A row's after-sale cell (empty or not) does not say refunded: the refund was partial.
    pub(super) const AFTER_SALE_KEPT: u16 = 1 << 7;
    /// The date is `A/B/YYYY` with both numbers ≤ 12, settled when the file ends.
    pub(super) const AMBIGUOUS: u16 = 1 << 8;
    /// The date stayed impossible once the file's day/month order was known: the order's rows
    /// are counted as skipped, and the order is left out.
    pub(super) const DROPPED: u16 = 1 << 9;
    /// The first sale line named a product and had no money of its own, and was not listed:
    /// while it is the order's only sale line, it is the draft's `first_product` and `items`.
    pub(super) const FIRST_LINE_UNLISTED: u16 = 1 << 10;
    /// A second sale line came, and the first was listed.
    pub(super) const FIRST_LINE_LISTED: u16 = 1 << 11;

    /// The status the rows gave, kept in the top four bits (0: none yet).
    pub(super) fn status(self) -> Option<Status> {
        let code = (self.0 >> STATUS_SHIFT) as usize;
        code.checked_sub(1).and_then(|i| Status::ALL.get(i).copied())
    }

    pub(super) fn set_status(&mut self, status: Status) {
        self.0 = self.0 & !(0xF << STATUS_SHIFT) | (status as u16 + 1) << STATUS_SHIFT;
    }

    pub(super) fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }

    /// Raises `flag` when `yes`; a flag is never lowered: each says whether any row so far said so.
    pub(super) fn raise_if(&mut self, flag: u16, yes: bool) {
        self.0 |= if yes { flag } else { 0 };
    }
}

/// Where [`Flags::status`] is kept: above the twelve flags.
const STATUS_SHIFT: u32 = 12;
const _: () = assert!(Flags::FIRST_LINE_LISTED < 1 << STATUS_SHIFT, "a flag in the status's bits");

impl Draft {
    /// The order's status, gross and refund by DESIGN.md's definitions, from what its rows said
    /// and its `refund` (`Builder::refunds`: positive, or zero if it has none).
    pub(super) fn settle(&self, draft: u32, spill: &Spill, refund: Money, rules: FileRules) -> (Status, Money, Money) {
        let mut gross = self.amount(draft, spill);
        if rules.net_of_refund {
            gross += refund;
        }
        let mut status = match self.flags.status() {
            Some(s) => s,
            None if rules.paid_decides => {
                if self.flags.has(Flags::PAID_SEEN) {
                    Status::Paid
                } else {
                    Status::Unpaid
                }
            }
            None => Status::Completed,
        };
        if self.flags.has(Flags::CANCELLED) {
            status = Status::Cancelled;
        }
        if status.is_sale() && self.flags.has(Flags::AFTER_SALE_REFUNDED) {
            status = if !self.flags.has(Flags::AFTER_SALE_KEPT) { Status::Refunded } else { Status::PartiallyRefunded };
        }
        if status == Status::Closed && refund.is_positive() && refund >= gross {
            status = Status::Refunded; // Taobao closes an order after refunding it in full
        }
        if status.is_sale() && refund.is_positive() {
            status = if gross.is_positive() && refund >= gross {
                Status::Refunded
            } else if status == Status::Unrecognized {
                status
            } else {
                Status::PartiallyRefunded
            };
        }
        (status, gross, refund)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each status survives beside every flag, and changing it leaves the flags alone.
    #[test]
    fn the_status_shares_the_flags_bits() {
        for (i, &s) in Status::ALL.iter().enumerate() {
            assert_eq!(s as usize, i);
            let mut f = Flags(0);
            assert_eq!(f.status(), None);
            f.raise_if(Flags::FIRST_LINE_LISTED | Flags::CANCELLED, true);
            f.set_status(Status::Voided);
            f.set_status(s);
            assert_eq!(f.status(), Some(s));
            assert!(f.has(Flags::FIRST_LINE_LISTED) && f.has(Flags::CANCELLED) && !f.has(Flags::DROPPED));
        }
    }

    /// Whole cents stay in the draft; other amounts, in the spill, read back the same, and an
    /// amount that becomes whole cents again leaves the spill.
    #[test]
    fn amounts_not_in_cents_spill_and_read_back() {
        let mut spill = Spill::default();
        let mut d = Draft::new(0, Flags(0));
        assert_eq!(d.amount(3, &spill), Money::ZERO);
        let max = i64::from(i32::MAX) * 100;
        let cases = [
            (Money(100), false),
            (Money(-100), false),
            (Money(1), true),
            (Money(123_450), true),
            (Money(max), false),
            (Money(max + 100), true),
            (Money(-max), false),
            (Money(-max - 100), true),
            (Money(i64::MAX), true),
            (Money(i64::MIN), true),
            (Money(1_999_900), false),
            (Money::ZERO, false),
        ];
        for (m, spilled) in cases {
            d.set_amount(3, &mut spill, m);
            assert_eq!(d.amount(3, &spill), m, "{m:?}");
            assert_eq!(spill.amounts.len(), spilled as usize, "{m:?}");
        }
    }

    /// Small values stay in the draft; large ones, in the spill, read back the same, and a
    /// value that shrinks again leaves the spill.
    #[test]
    fn large_values_spill_and_read_back() {
        let mut spill = Spill::default();
        let mut d = Draft::new(0, Flags(0));
        assert_eq!(d.items(7, &spill), 0);
        for v in [0, 1, 0xFFFD, 0xFFFE, 0xFFFF, 70_000, NONE - 1, NONE, 5] {
            let spilled = usize::from(v >= 0xFFFE && v != NONE);
            d.set_items(7, &mut spill, v);
            assert_eq!(d.items(7, &spill), v);
            assert_eq!(spill.small.len(), spilled, "{v}");
            // The first naming stays.
            let (mut names, mut named) = (Spill::default(), Named::default());
            named.name_product(7, &mut names, v);
            named.name_region(7, &mut names, 3);
            named.name_region(7, &mut names, 70_000);
            assert_eq!((named.first_product(7, &names), named.region(7, &names)), (v, 3));
            assert_eq!(names.small.len(), spilled, "{v}");
        }
    }

    /// Products and regions are stored from the first draft that names one: drafts before it,
    /// and drafts after the last stored, name none, and naming none stores nothing.
    #[test]
    fn names_are_stored_from_the_first_draft_that_names_one() {
        let mut spill = Spill::default();
        let mut named = Named::default();
        for draft in 0..100_000 {
            named.name_product(draft, &mut spill, NONE);
            named.name_region(draft, &mut spill, NONE);
        }
        assert_eq!(named.stored.len(), 0);
        named.name_region(70_000, &mut spill, 4);
        named.name_product(70_001, &mut spill, 9);
        assert_eq!(named.stored.len(), 70_002);
        let read = |d: u32| (named.first_product(d, &spill), named.region(d, &spill));
        assert_eq!(
            [read(0), read(69_999), read(70_000), read(70_001), read(70_002)],
            [(NONE, NONE), (NONE, NONE), (NONE, 4), (9, NONE), (NONE, NONE)]
        );
    }
}
