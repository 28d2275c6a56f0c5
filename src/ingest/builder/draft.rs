//! An order while its rows arrive, and how it settles into status, gross and refund.

use super::FileRules;
use crate::model::Status;
use crate::money::Money;

/// An order while its rows are still arriving: the importer's largest item, one per order (every
/// 8 bytes here is 40 MB of a tab's memory with five million orders). So what few orders need is
/// kept beside the drafts, not in each: an ambiguous date and its rows (`FileCtx::ambiguous`),
/// refunds (`Builder::refunds`), returned money (`Builder::returns`), the file
/// (`Builder::file_start`); and the yes/no facts are bits.
#[derive(Debug, Clone)]
pub(super) struct Draft {
    /// The order's gross: its order-level amount (the first non-empty cell) once one is seen
    /// (`Flags::HAS_AMOUNT`); until then the line money summed (`Amount`/`LineAmount` per line,
    /// or quantity × price of sale lines).
    pub(super) amount: Money,
    pub(super) customer: u32,
    /// The order time ([`crate::calendar::Timestamp`] in 32 bits, which hold every plausible
    /// order time: 1970–2100); for a `A/B/YYYY` date not settled yet (`Flags::AMBIGUOUS`), 0.
    pub(super) time: u32,
    pub(super) items: u32,
    pub(super) first_product: u32,
    pub(super) region: u32,
    pub(super) status: Option<Status>,
    pub(super) flags: Flags,
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

    pub(super) fn has(self, flag: u16) -> bool {
        self.0 & flag != 0
    }

    /// Raises `flag` when `yes`; a flag is never lowered: each says whether any row so far said so.
    pub(super) fn raise_if(&mut self, flag: u16, yes: bool) {
        self.0 |= if yes { flag } else { 0 };
    }
}

impl Draft {
    /// The order's status, gross and refund by DESIGN.md's definitions, from what its rows said
    /// and its `refund` (`Builder::refunds`: positive, or zero if it has none).
    pub(super) fn settle(&self, refund: Money, rules: FileRules) -> (Status, Money, Money) {
        let mut gross = self.amount;
        if rules.net_of_refund {
            gross += refund;
        }
        let mut status = match self.status {
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
    /// One draft per order: with five million orders, every 8 bytes here is 40 MB of a tab's memory.
    #[test]
    fn a_draft_stays_small() {
        assert!(std::mem::size_of::<super::Draft>() <= 32, "{}", std::mem::size_of::<super::Draft>());
    }
}
