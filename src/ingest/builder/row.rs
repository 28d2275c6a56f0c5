//! What one data row does to its order: its numbers read, its order found or made, what it says
//! about that order (customer, status, product, region) noted on the order's draft.

use super::draft::{Draft, Flags};
use super::file_ctx::FileCtx;
use super::{AmbiguousDate, Builder, Cells, MAX_UNKNOWN_STATUSES, NO_DRAFT};
use crate::ingest::cells::{self, AfterSale};
use crate::ingest::columns::Role;
use crate::ingest::dates::{self, ParsedTime};
use crate::ingest::report::SkipReason;
use crate::model::{Line, Status, NONE, NO_CUSTOMER};
use crate::money::{parse_money, Money};

/// A row's readable numbers (`None`: the cell is empty).
struct Numbers {
    quantity: Option<Money>,
    amount: Option<Money>,
    line_amount: Option<Money>,
    unit_price: Option<Money>,
    refund: Option<Money>,
}

/// What a row sells or gives back.
struct Sale {
    /// The quantity, 1 when the file has none.
    qty: Money,
    /// The row's value as a sale line (quantity × price, or its line amount).
    line_money: Money,
    /// What a credit note or a negative line gives back (positive).
    returned: Money,
    is_sale_line: bool,
}

/// What a row says about its order, read only while the order does not know it yet.
struct RowFacts {
    customer: u32,
    status: Option<Status>,
    product: u32,
    region: u32,
    after_sale: Option<AfterSale>,
    paid: bool,
}

impl Builder {
    /// Reads one data row's cleaned cells into its order: its numbers, then its order (found or
    /// made), then what the row says about that order.
    ///
    /// Not inlined into [`Builder::row`]: when it was, Node's wasm read the 100 MB Shopify-style
    /// file 7 % slower (a median 300 ms against 280 over ten alternating rounds).
    #[inline(never)]
    pub(super) fn use_row(&mut self, ctx: &mut FileCtx, cells: &Cells, line: u64) {
        // Numbers first: a row with an unreadable number changes nothing.
        let Some(n) = self.numbers(ctx, cells, line) else {
            return;
        };
        if ctx.mapping.is_line_supplement() {
            return self.pending_line(ctx, cells, n.quantity, n.unit_price.or(n.line_amount).or(n.amount), line);
        }
        let order_id = cells.get(Role::OrderId);
        let credit_note = !order_id.is_empty()
            && ctx.preset().credit_prefix.is_some_and(|p| order_id.as_bytes()[0].eq_ignore_ascii_case(&p));
        let Some(sale) = self.sale(ctx, cells, line, &n, credit_note) else {
            return;
        };
        let Some(idx) = self.draft_of(ctx, cells, line, order_id, credit_note) else {
            return;
        };

        // From here the row is used.
        ctx.report.rows_used += 1;
        if let Some(role) = ctx.key_role.filter(|r| !cells.get(*r).is_empty()) {
            ctx.report.keyed_rows += 1;
            // A byte loop: `str::contains` is a `memchr` call, which on a short key costs more
            // in wasm than the bytes it reads.
            ctx.report.masked_keys += cells.get(role).bytes().any(|b| b == b'*') as u64;
        }
        let facts = self.order_facts(ctx, cells, idx);
        self.fill_draft(ctx, cells, idx, &n, &sale, &facts);
    }

    /// The row's numbers, or `None` once the row is skipped for one it cannot read.
    fn numbers(&mut self, ctx: &mut FileCtx, cells: &Cells, line: u64) -> Option<Numbers> {
        let quantity = match parse_money(cells.get(Role::Quantity), ctx.mark) {
            Ok(q) => q,
            Err(_) => {
                let text = Some(cells.get(Role::Quantity));
                self.skip(ctx, SkipReason::InvalidQuantity, line, Some(Role::Quantity), text);
                return None;
            }
        };
        let mut money = [None; 4];
        for (slot, role) in [Role::Amount, Role::LineAmount, Role::UnitPrice, Role::Refund].into_iter().enumerate() {
            match parse_money(cells.get(role), ctx.mark) {
                Ok(m) => money[slot] = m,
                Err(_) => {
                    self.skip(ctx, SkipReason::InvalidAmount, line, Some(role), Some(cells.get(role)));
                    return None;
                }
            }
        }
        let [amount, line_amount, unit_price, refund] = money;
        Some(Numbers { quantity, amount, line_amount, unit_price, refund })
    }

    /// What the row sells or gives back: quantity × price lines (credits, non-sales, sales), or
    /// a line amount. `None` once a row that sells nothing is skipped.
    fn sale(&mut self, ctx: &mut FileCtx, cells: &Cells, line: u64, n: &Numbers, credit_note: bool) -> Option<Sale> {
        let qty = n.quantity.unwrap_or(Money::units(1));
        let mut sale = Sale { qty, line_money: Money::ZERO, returned: Money::ZERO, is_sale_line: false };
        if ctx.line_money {
            let price = n.unit_price.unwrap_or(Money::ZERO);
            if credit_note || qty.is_negative() {
                if !price.is_positive() || qty.0 == 0 {
                    let text = Some(cells.get(Role::Quantity));
                    self.skip(ctx, SkipReason::NotASale, line, Some(Role::Quantity), text);
                    return None;
                }
                sale.returned = price.times(qty.abs());
            } else if qty.0 == 0 || !price.is_positive() {
                let role = if qty.0 == 0 { Role::Quantity } else { Role::UnitPrice };
                self.skip(ctx, SkipReason::NotASale, line, Some(role), Some(cells.get(role)));
                return None;
            } else {
                sale.line_money = price.times(qty);
                sale.is_sale_line = true;
            }
        } else {
            let per_line = n.line_amount.or(if ctx.preset().amount_per_line { n.amount } else { None });
            if let Some(m) = per_line {
                sale.line_money = m;
            }
            sale.is_sale_line = true;
        }
        Some(sale)
    }

    /// The draft of the row's order: the one its id already has, or a new one. `None` once the
    /// row is skipped (an order an earlier file read, or no date).
    fn draft_of(
        &mut self,
        ctx: &mut FileCtx,
        cells: &Cells,
        line: u64,
        order_id: &str,
        credit_note: bool,
    ) -> Option<u32> {
        // One probe of the order-id table per row: a new id is interned at once with the draft
        // made below, which a row skipped before then gives back.
        let idx = self.drafts.len() as u32;
        let (key, existing) = match order_id {
            "" => (None, None),
            id => {
                let (key, draft) = self.order_ids.claim(id.as_bytes(), idx);
                (Some(key), (draft != NO_DRAFT).then_some(draft))
            }
        };
        let unclaim = |b: &mut Builder| {
            if let Some(k) = key {
                b.order_ids.set(k, NO_DRAFT);
            }
        };
        if let Some(i) = existing {
            if i < self.file_start[ctx.index as usize] {
                self.skip(ctx, SkipReason::DuplicateOrder, line, Some(Role::OrderId), Some(order_id));
                return None;
            }
            return Some(i);
        }
        let Some(parsed) = self.order_time(ctx, cells, line) else {
            unclaim(self);
            return None;
        };
        let (time, ambiguous) = match parsed {
            ParsedTime::Exact(ts) => match u32::try_from(ts) {
                Ok(t) => (t, false),
                // Unreachable: `dates::parse_time` only gives 1970–2100.
                Err(_) => {
                    let text = cells.get(Role::OrderTime);
                    self.skip(ctx, SkipReason::InvalidDate, line, Some(Role::OrderTime), Some(text));
                    unclaim(self);
                    return None;
                }
            },
            ParsedTime::Ambiguous { .. } => (0, true),
        };
        let mut flags = Flags(0);
        flags.raise_if(Flags::CREDIT_NOTE, credit_note);
        flags.raise_if(Flags::AMBIGUOUS, ambiguous);
        self.drafts.push(Draft::new(time, flags));
        if let ParsedTime::Ambiguous { .. } = parsed {
            ctx.ambiguous.push(AmbiguousDate { draft: idx, time: parsed, line, rows: 0 });
        }
        Some(idx)
    }

    /// What the row says about its order. Order-level facts are read from the first row that
    /// has them; later rows of the order skip the work.
    fn order_facts(&mut self, ctx: &FileCtx, cells: &Cells, idx: u32) -> RowFacts {
        let (need_customer, need_status, need_paid) = {
            let d = &self.drafts[idx as usize];
            (d.customer == NO_CUSTOMER, d.flags.status().is_none(), !d.flags.has(Flags::PAID_SEEN))
        };
        let customer = match ctx.key_role {
            Some(role) if !cells.get(role).is_empty() && need_customer => {
                let key = cells::customer_key(role, cells.get(role), &mut self.key_scratch);
                if key.is_empty() {
                    NO_CUSTOMER
                } else {
                    let id = self.data.customers.intern(key);
                    self.data.contacts.note(
                        id,
                        key,
                        cells.get(Role::Email),
                        cells.get(Role::Phone),
                        cells.get(Role::Name),
                    );
                    id
                }
            }
            _ => NO_CUSTOMER,
        };
        let status_text = cells.get(Role::Status);
        let status = if need_status && !status_text.is_empty() {
            let s = cells::parse_status(status_text);
            if s.is_none()
                && (self.unknown_statuses.len() < MAX_UNKNOWN_STATUSES
                    || self.unknown_statuses.contains_key(status_text))
            {
                *self.unknown_statuses.entry(status_text.to_string()).or_insert(0) += 1;
            }
            Some(s.unwrap_or(Status::Unrecognized))
        } else {
            None
        };
        let product = match cells.get(Role::Product) {
            "" => NONE,
            p => self.data.products.intern(p),
        };
        // The first row naming a region names the order's.
        let region = match region_of(cells.get(Role::Region)) {
            r if r.is_empty() || self.named.region(idx, &self.spill) != NONE => NONE,
            r => self.data.regions.intern(r),
        };
        let currency = cells.get(Role::Currency);
        if !currency.is_empty() && self.currencies.len() < 8 && !self.currencies.iter().any(|c| c == currency) {
            self.currencies.push(currency.to_string());
        }
        let after_sale = if ctx.mapping.get(Role::AfterSale).is_some() {
            Some(cells::parse_after_sale(cells.get(Role::AfterSale)))
        } else {
            None
        };
        // A paid time only decides the status of files without a status column.
        let paid = need_paid
            && self.rules[ctx.index as usize].paid_decides
            && !cells.get(Role::PaidTime).is_empty()
            && dates::parse_time(cells.get(Role::PaidTime)).is_ok_and(|t| t.is_some());
        RowFacts { customer, status, product, region, after_sale, paid }
    }

    /// Adds the row to its order's draft, and its product line to the lines.
    fn fill_draft(&mut self, ctx: &mut FileCtx, cells: &Cells, idx: u32, n: &Numbers, sale: &Sale, f: &RowFacts) {
        let items = n.quantity.map_or(1, |q| (q.0 / crate::money::SCALE).clamp(0, u32::MAX as i64) as u32);
        let d = &mut self.drafts[idx as usize];
        if d.flags.has(Flags::AMBIGUOUS) {
            // Usually the newest order (its rows come together); else found by a binary search, as
            // drafts are made in index order and so the file's ambiguous dates are sorted by draft.
            let found = match ctx.ambiguous.last_mut() {
                Some(a) if a.draft == idx => Some(a),
                _ => match ctx.ambiguous.binary_search_by_key(&idx, |a| a.draft) {
                    Ok(i) => ctx.ambiguous.get_mut(i),
                    Err(_) => None,
                },
            };
            if let Some(a) = found {
                a.rows += 1;
            }
        }
        if d.customer == NO_CUSTOMER {
            d.customer = f.customer;
        }
        if let (None, Some(s)) = (d.flags.status(), f.status) {
            d.flags.set_status(s);
        }
        d.flags.raise_if(Flags::CANCELLED, !cells.get(Role::CancelledAt).is_empty());
        d.flags.raise_if(Flags::PAID_SEEN, f.paid);
        if let Some(a) = f.after_sale {
            let refunded = a == AfterSale::Refunded;
            d.flags.raise_if(Flags::AFTER_SALE_REFUNDED, refunded);
            d.flags.raise_if(Flags::AFTER_SALE_KEPT, !refunded);
        }
        let has_amount = d.flags.has(Flags::HAS_AMOUNT);
        if let Some(a) = n.amount.filter(|_| !ctx.preset().amount_per_line && !has_amount) {
            d.set_amount(idx, &mut self.spill, a);
            d.flags.raise_if(Flags::HAS_AMOUNT, true);
        } else if !has_amount && sale.line_money != Money::ZERO {
            let sum = d.amount(idx, &self.spill) + sale.line_money;
            d.set_amount(idx, &mut self.spill, sum);
        }
        if let Some(r) = n.refund.filter(|_| !d.flags.has(Flags::HAS_REFUND)) {
            d.flags.raise_if(Flags::HAS_REFUND, true);
            if r.is_positive() {
                // In draft order: a refund comes on an order's first row but for a rare file.
                let at = self.refunds.partition_point(|&(draft, _)| draft < idx);
                self.refunds.insert(at, (idx, r));
            }
        }
        if sale.returned != Money::ZERO {
            self.returns.push((idx, sale.returned));
        }
        if sale.is_sale_line {
            let first = !d.flags.has(Flags::SALE_LINE);
            if d.flags.has(Flags::FIRST_LINE_UNLISTED) && !d.flags.has(Flags::FIRST_LINE_LISTED) {
                // A second sale line: the first is listed after all, from what the draft holds.
                let (product, quantity) = (self.named.first_product(idx, &self.spill), d.items(idx, &self.spill));
                let line = Line { order: idx, product, quantity, amount: Money::ZERO };
                self.lines.push(line);
                d.flags.raise_if(Flags::FIRST_LINE_LISTED, true);
            }
            d.flags.raise_if(Flags::SALE_LINE, true);
            let all_items = d.items(idx, &self.spill).saturating_add(items);
            d.set_items(idx, &mut self.spill, all_items);
            if f.product != NONE {
                self.named.name_product(idx, &mut self.spill, f.product);
                let amount = if ctx.line_money {
                    sale.line_money
                } else {
                    n.unit_price.map_or(sale.line_money, |p| p.times(sale.qty))
                };
                if first && amount == Money::ZERO {
                    d.flags.raise_if(Flags::FIRST_LINE_UNLISTED, true);
                } else {
                    let line = Line { order: idx, product: f.product, quantity: items, amount };
                    self.lines.push(line);
                }
            }
        }
        self.named.name_region(idx, &mut self.spill, f.region);
    }

    /// The time of a new order: order time, else paid time. Skips the row when there is none.
    fn order_time(&mut self, ctx: &mut FileCtx, cells: &Cells, line: u64) -> Option<ParsedTime> {
        for role in [Role::OrderTime, Role::PaidTime] {
            let text = cells.get(role);
            if text.is_empty() {
                continue;
            }
            match self.last_day.parse_time(text) {
                Ok(Some(t)) => {
                    if role == Role::OrderTime {
                        ctx.vote.observe(t);
                    }
                    return Some(t);
                }
                Ok(None) => continue,
                Err(_) => {
                    self.skip(ctx, SkipReason::InvalidDate, line, Some(role), Some(text));
                    return None;
                }
            }
        }
        self.skip(ctx, SkipReason::MissingOrderDate, line, Some(Role::OrderTime), None);
        None
    }
}

/// A province from an address: `浙江省 杭州市 西湖区 ***` → `浙江省`. English names keep their spaces.
fn region_of(value: &str) -> &str {
    if value.is_ascii() {
        value
    } else {
        value.split_whitespace().next().unwrap_or("")
    }
}
