//! Rows to orders: grouping line items, taking order-level money once, merging files, and
//! turning statuses, refunds and credit notes into the dataset's definitions (DESIGN.md).

mod draft;
mod file_ctx;
mod order_index;
mod preview;
mod settle;

pub(crate) use file_ctx::FileCtx;
pub use preview::Preview;

use draft::{Draft, Flags};

use super::cells::{self, AfterSale};
use super::columns::Role;
use super::dates::{self, DayOrder, ParsedTime};
use super::encoding::{decode_cell, decode_cell_into, Encoding};
use super::records::Record;
use super::report::{SkipExample, SkipReason, EXAMPLES_PER_REASON};
use crate::chunked::Chunked;
use crate::growth;
use crate::model::{Dataset, Line, Status, NONE, NO_CUSTOMER};
use crate::money::{parse_money, Money};
use std::collections::BTreeMap;

/// The draft of an order id whose rows have all been skipped so far.
const NO_DRAFT: u32 = u32::MAX;

/// Distinct unrecognised status values remembered for the report.
const MAX_UNKNOWN_STATUSES: usize = 50;

/// An order whose date is `A/B/YYYY` with both numbers ≤ 12: settled when the file ends, by the
/// day/month order the rest of the column shows.
struct AmbiguousDate {
    draft: u32,
    time: ParsedTime,
    line: u64,
    /// Rows used for the order, all skipped if its date proves impossible.
    rows: u32,
}

/// An order line from a file without dates, joined to its order at the end.
struct PendingLine {
    order_id: Box<[u8]>,
    product: u32,
    quantity: u32,
    amount: Money,
    file: u16,
    line: u64,
}

/// Accumulates orders over all files.
#[derive(Default)]
pub(crate) struct Builder {
    /// One per order, in a chunked list: their number is not known until the file is read.
    drafts: Chunked<Draft>,
    /// The first draft of each file: files are read one after another, so a file's drafts are a
    /// run and a draft's file is found from its index.
    file_start: Vec<u32>,
    /// Credit-note and returned-line money (positive), by draft: rare, so kept apart from drafts.
    returns: Vec<(u32, Money)>,
    /// Order ids seen, and the draft of each.
    order_ids: order_index::OrderIndex,
    data: Dataset,
    /// Product lines, but for an order's first sale line while it is the only one: that line is
    /// the draft's product and items (`Flags::FIRST_LINE_UNLISTED`), and an order report (one
    /// row an order, Taobao's 订单报表) lists no line at all.
    lines: Vec<Line>,
    /// The rows expected of the file being read: room the lines get when they first run out.
    line_room: usize,
    pending: Vec<PendingLine>,
    examples: Vec<SkipExample>,
    unknown_statuses: BTreeMap<String, u64>,
    key_scratch: String,
    /// The current row's decoded cells, end to end (GBK files), reused from row to row.
    row_text: String,
    currencies: Vec<String>,
    /// Per file: how its orders' money and status are settled.
    rules: Vec<FileRules>,
    preview: preview::Tally,
}

/// What a file's preset and mapping say about settling its orders.
#[derive(Clone, Copy)]
struct FileRules {
    /// The amount is already net of refunds (Taobao/Tmall), so gross = amount + refund.
    net_of_refund: bool,
    /// No status column but a paid-time column: an empty paid time means unpaid.
    paid_decides: bool,
    /// The file has a buyer column, so an order without a buyer is not a valid order.
    keyed: bool,
}

/// A row's mapped cells, decoded and cleaned.
struct Cells<'a> {
    v: [&'a str; Role::COUNT],
}

impl<'a> Cells<'a> {
    fn get(&self, r: Role) -> &'a str {
        self.v[r.index()]
    }
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Registers a file before its rows; files are numbered in the order they start.
    pub fn start_file(&mut self, ctx: &FileCtx) {
        debug_assert_eq!(ctx.index as usize, self.rules.len());
        self.file_start.push(self.drafts.len() as u32);
        self.rules.push(FileRules {
            net_of_refund: ctx.preset().amount_net_of_refund,
            paid_decides: ctx.mapping.get(Role::PaidTime).is_some() && ctx.mapping.get(Role::Status).is_none(),
            keyed: ctx.key_role.is_some(),
        });
    }

    /// Makes room for `rows` more rows of this file: at most an order, an order id and a product
    /// line each.
    pub fn reserve(&mut self, ctx: &FileCtx, rows: usize) {
        if rows == 0 || ctx.mapping.is_line_supplement() {
            return;
        }
        if ctx.mapping.get(Role::OrderId).is_some() {
            self.order_ids.reserve(rows);
        }
        if ctx.mapping.get(Role::Product).is_some() {
            self.line_room = rows;
        }
    }

    /// The rules of the file a draft came from: the last file that started at or before it.
    fn rules_of(&self, draft: usize) -> FileRules {
        let file = self.file_start.partition_point(|&s| s as usize <= draft).saturating_sub(1);
        self.rules[file]
    }

    fn skip(&mut self, ctx: &mut FileCtx, reason: SkipReason, line: u64, role: Option<Role>, value: Option<&str>) {
        let n = ctx.report.skipped.entry(reason).or_insert(0);
        *n += 1;
        if *n as usize <= EXAMPLES_PER_REASON {
            let column = role.and_then(|r| ctx.mapping.column_name(r)).map(String::from);
            let mut message = format!("{}, line {line}", ctx.name);
            if let Some(c) = &column {
                message.push_str(&format!(", column \"{c}\""));
            }
            message.push_str(": ");
            message.push_str(reason.describe());
            if let Some(v) = value {
                message.push_str(&format!(" (\"{}\")", truncate(v, 60)));
            }
            self.examples.push(SkipExample {
                reason,
                file: ctx.name.clone(),
                line,
                column,
                value: value.map(|v| truncate(v, 200)),
                message,
            });
        }
    }

    /// Reads one data row.
    pub fn row(&mut self, ctx: &mut FileCtx, rec: &Record) {
        ctx.report.rows_read += 1;
        let line = rec.line;
        if rec.is_blank() {
            return self.skip(ctx, SkipReason::BlankRow, line, None, None);
        }
        if rec.at_eof {
            return self.skip(ctx, SkipReason::UnclosedQuote, line, None, None);
        }
        if rec.len() != ctx.width {
            let extra_empty = rec.len() > ctx.width
                && (ctx.width..rec.len())
                    .all(|i| rec.field(i).is_some_and(|f| f.iter().all(|b| b.is_ascii_whitespace())));
            if !extra_empty {
                if is_footer(rec) {
                    return self.skip(ctx, SkipReason::Footer, line, None, first_text(rec, ctx.enc).as_deref());
                }
                let msg = format!("{} fields, header has {}", rec.len(), ctx.width);
                return self.skip(ctx, SkipReason::WrongFieldCount, line, None, Some(&msg));
            }
        }
        if is_footer(rec) && ctx.width > 2 {
            return self.skip(ctx, SkipReason::Footer, line, None, first_text(rec, ctx.enc).as_deref());
        }

        // UTF-8 records are validated once as a whole and their cells borrowed; GBK cells (and
        // those of a UTF-8 record with foreign bytes) are decoded into one buffer reused by every
        // row, so a row allocates nothing. ASCII cells (amounts, dates, ids) read the same in
        // either encoding and are borrowed as they are.
        let utf8 = if ctx.enc == Encoding::Gb18030 { None } else { rec.utf8() };
        let mut text = std::mem::take(&mut self.row_text);
        text.clear();
        // Where each decoded cell is in `text` (`None`: borrowed).
        let mut spans = [None; Role::COUNT];
        if utf8.is_none() {
            let mut gbk = 0;
            for (span, role) in spans.iter_mut().zip(Role::ALL) {
                match ctx.mapping.get(role).and_then(|c| rec.field(c)) {
                    Some(bytes) if !bytes.is_ascii() => {
                        let start = text.len();
                        gbk += decode_cell_into(bytes, ctx.enc, &mut text) as u64;
                        *span = Some((start, text.len()));
                    }
                    _ => {}
                }
            }
            ctx.report.cells_decoded_as_gb18030 += gbk;
        }
        let cells = Cells {
            v: std::array::from_fn(|i| match ctx.mapping.get(Role::ALL[i]) {
                None => "",
                Some(c) => cells::clean(match (&utf8, spans[i]) {
                    (Some(u), _) => u.field(c).unwrap_or(""),
                    (None, Some((start, end))) => text.get(start..end).unwrap_or(""),
                    (None, None) => rec.field(c).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(""),
                }),
            }),
        };
        self.use_row(ctx, &cells, line);
        self.row_text = text;
    }

    /// Reads one data row's cleaned cells into its order.
    fn use_row(&mut self, ctx: &mut FileCtx, cells: &Cells, line: u64) {
        // Numbers first: a row with an unreadable number changes nothing.
        let quantity = match parse_money(cells.get(Role::Quantity), ctx.mark) {
            Ok(q) => q,
            Err(_) => {
                return self.skip(
                    ctx,
                    SkipReason::InvalidQuantity,
                    line,
                    Some(Role::Quantity),
                    Some(cells.get(Role::Quantity)),
                )
            }
        };
        let mut money = [None; 4];
        for (slot, role) in [Role::Amount, Role::LineAmount, Role::UnitPrice, Role::Refund].into_iter().enumerate() {
            match parse_money(cells.get(role), ctx.mark) {
                Ok(m) => money[slot] = m,
                Err(_) => return self.skip(ctx, SkipReason::InvalidAmount, line, Some(role), Some(cells.get(role))),
            }
        }
        let [amount, line_amount, unit_price, refund] = money;

        if ctx.mapping.is_line_supplement() {
            return self.pending_line(ctx, cells, quantity, unit_price.or(line_amount).or(amount), line);
        }

        let order_id = cells.get(Role::OrderId);
        let credit_note = !order_id.is_empty()
            && ctx.preset().credit_prefix.is_some_and(|p| order_id.as_bytes()[0].eq_ignore_ascii_case(&p));

        // Quantity × price lines: credits, non-sales and sales.
        let qty = quantity.unwrap_or(Money::units(1));
        let mut line_money = Money::ZERO;
        let mut returned = Money::ZERO;
        let mut is_sale_line = false;
        if ctx.line_money {
            let price = unit_price.unwrap_or(Money::ZERO);
            if credit_note || qty.is_negative() {
                if !price.is_positive() || qty.0 == 0 {
                    return self.skip(
                        ctx,
                        SkipReason::NotASale,
                        line,
                        Some(Role::Quantity),
                        Some(cells.get(Role::Quantity)),
                    );
                }
                returned = price.times(qty.abs());
            } else if qty.0 == 0 || !price.is_positive() {
                let role = if qty.0 == 0 { Role::Quantity } else { Role::UnitPrice };
                return self.skip(ctx, SkipReason::NotASale, line, Some(role), Some(cells.get(role)));
            } else {
                line_money = price.times(qty);
                is_sale_line = true;
            }
        } else {
            let per_line = line_amount.or(if ctx.preset().amount_per_line { amount } else { None });
            if let Some(m) = per_line {
                line_money = m;
            }
            is_sale_line = true;
        }

        // One probe of the order-id table per row: the id is interned at once, its draft made
        // below if the row is usable (`NO_DRAFT` until then).
        let (key, existing) = match order_id {
            "" => (None, None),
            id => {
                let (key, draft) = self.order_ids.lookup(id.as_bytes());
                (Some(key), (draft != NO_DRAFT).then_some(draft))
            }
        };
        let idx = match existing {
            Some(i) => {
                if i < self.file_start[ctx.index as usize] {
                    return self.skip(ctx, SkipReason::DuplicateOrder, line, Some(Role::OrderId), Some(order_id));
                }
                i
            }
            None => {
                let Some(parsed) = self.order_time(ctx, cells, line) else {
                    return;
                };
                let (time, ambiguous) = match parsed {
                    ParsedTime::Exact(ts) => match u32::try_from(ts) {
                        Ok(t) => (t, false),
                        // Unreachable: `dates::parse_time` only gives 1970–2100.
                        Err(_) => {
                            let text = cells.get(Role::OrderTime);
                            return self.skip(ctx, SkipReason::InvalidDate, line, Some(Role::OrderTime), Some(text));
                        }
                    },
                    ParsedTime::Ambiguous { .. } => (0, true),
                };
                let idx = self.drafts.len() as u32;
                let mut flags = Flags(0);
                flags.raise_if(Flags::CREDIT_NOTE, credit_note);
                flags.raise_if(Flags::AMBIGUOUS, ambiguous);
                self.drafts.push(Draft {
                    amount: Money::ZERO,
                    refund: Money::ZERO,
                    customer: NO_CUSTOMER,
                    time,
                    items: 0,
                    first_product: NONE,
                    region: NONE,
                    status: None,
                    flags,
                });
                if let ParsedTime::Ambiguous { .. } = parsed {
                    ctx.ambiguous.push(AmbiguousDate { draft: idx, time: parsed, line, rows: 0 });
                }
                if let Some(k) = key {
                    self.order_ids.set(k, idx);
                }
                idx
            }
        };

        // From here the row is used.
        ctx.report.rows_used += 1;
        if let Some(role) = ctx.key_role.filter(|r| !cells.get(*r).is_empty()) {
            ctx.report.keyed_rows += 1;
            ctx.report.masked_keys += cells.get(role).contains('*') as u64;
        }
        // Order-level facts are read from the first row that has them; later rows skip the work.
        let (need_customer, need_status, need_paid, need_region) = {
            let d = &self.drafts[idx as usize];
            (d.customer == NO_CUSTOMER, d.status.is_none(), !d.flags.has(Flags::PAID_SEEN), d.region == NONE)
        };
        let customer = match ctx.key_role {
            Some(role) if !cells.get(role).is_empty() && need_customer => {
                cells::customer_key(role, cells.get(role), &mut self.key_scratch);
                if self.key_scratch.is_empty() {
                    NO_CUSTOMER
                } else {
                    let id = self.data.customers.intern(&self.key_scratch);
                    let key = &self.key_scratch;
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
        let region = match region_of(cells.get(Role::Region)) {
            r if r.is_empty() || !need_region => NONE,
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
        let items = quantity.map_or(1, |q| (q.0 / crate::money::SCALE).clamp(0, u32::MAX as i64) as u32);

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
            d.customer = customer;
        }
        if d.status.is_none() {
            d.status = status;
        }
        d.flags.raise_if(Flags::CANCELLED, !cells.get(Role::CancelledAt).is_empty());
        d.flags.raise_if(Flags::PAID_SEEN, paid);
        if let Some(a) = after_sale {
            let refunded = a == AfterSale::Refunded;
            d.flags.raise_if(Flags::AFTER_SALE_REFUNDED, refunded);
            d.flags.raise_if(Flags::AFTER_SALE_KEPT, !refunded);
        }
        let has_amount = d.flags.has(Flags::HAS_AMOUNT);
        if let Some(a) = amount.filter(|_| !ctx.preset().amount_per_line && !has_amount) {
            d.amount = a;
            d.flags.raise_if(Flags::HAS_AMOUNT, true);
        } else if !has_amount {
            d.amount += line_money;
        }
        if let Some(r) = refund.filter(|_| !d.flags.has(Flags::HAS_REFUND)) {
            d.refund = r;
            d.flags.raise_if(Flags::HAS_REFUND, true);
        }
        if returned != Money::ZERO {
            self.returns.push((idx, returned));
        }
        if is_sale_line {
            let first = !d.flags.has(Flags::SALE_LINE);
            if d.flags.has(Flags::FIRST_LINE_UNLISTED) && !d.flags.has(Flags::FIRST_LINE_LISTED) {
                // A second sale line: the first is listed after all, from what the draft holds.
                let line = Line { order: idx, product: d.first_product, quantity: d.items, amount: Money::ZERO };
                list_line(&mut self.lines, &mut self.line_room, line);
                d.flags.raise_if(Flags::FIRST_LINE_LISTED, true);
            }
            d.flags.raise_if(Flags::SALE_LINE, true);
            d.items = d.items.saturating_add(items);
            if product != NONE {
                if d.first_product == NONE {
                    d.first_product = product;
                }
                let amount = if ctx.line_money { line_money } else { unit_price.map_or(line_money, |p| p.times(qty)) };
                if first && amount == Money::ZERO {
                    d.flags.raise_if(Flags::FIRST_LINE_UNLISTED, true);
                } else {
                    list_line(
                        &mut self.lines,
                        &mut self.line_room,
                        Line { order: idx, product, quantity: items, amount },
                    );
                }
            }
        }
        if d.region == NONE {
            d.region = region;
        }
    }

    /// The time of a new order: order time, else paid time. Skips the row when there is none.
    fn order_time(&mut self, ctx: &mut FileCtx, cells: &Cells, line: u64) -> Option<ParsedTime> {
        for role in [Role::OrderTime, Role::PaidTime] {
            let text = cells.get(role);
            if text.is_empty() {
                continue;
            }
            match dates::parse_time(text) {
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

    fn pending_line(
        &mut self,
        ctx: &mut FileCtx,
        cells: &Cells,
        quantity: Option<Money>,
        price: Option<Money>,
        line: u64,
    ) {
        let order_id = cells.get(Role::OrderId);
        if order_id.is_empty() {
            return self.skip(ctx, SkipReason::NoMatchingOrder, line, Some(Role::OrderId), None);
        }
        let qty = quantity.unwrap_or(Money::units(1));
        let product = match cells.get(Role::Product) {
            "" => NONE,
            p => self.data.products.intern(p),
        };
        ctx.report.rows_used += 1;
        self.pending.push(PendingLine {
            order_id: order_id.as_bytes().into(),
            product,
            quantity: (qty.0 / crate::money::SCALE).clamp(0, u32::MAX as i64) as u32,
            amount: price.map_or(Money::ZERO, |p| p.times(qty)),
            file: ctx.index,
            line,
        });
    }

    /// Settles what needed the whole file: the day/month order of its `A/B/YYYY` dates.
    pub fn end_file(&mut self, ctx: &mut FileCtx) {
        if ctx.report.keyed_rows == 0 && !ctx.report.lines_only {
            // A buyer column with nothing usable in it (Douyin's `##密文`) is no buyer column.
            ctx.key_role = None;
            ctx.report.customer_key = None;
        }
        if ctx.ambiguous.is_empty() {
            return;
        }
        let order = ctx.vote.decide();
        ctx.report.day_order = Some(order);
        for a in std::mem::take(&mut ctx.ambiguous) {
            let d = &mut self.drafts[a.draft as usize];
            match dates::resolve(a.time, order).and_then(|ts| u32::try_from(ts).ok()) {
                Some(ts) => d.time = ts,
                None => {
                    d.flags.raise_if(Flags::DROPPED, true);
                    ctx.report.rows_used -= a.rows as u64;
                    for _ in 0..a.rows {
                        self.skip(
                            ctx,
                            SkipReason::InvalidDate,
                            a.line,
                            Some(Role::OrderTime),
                            Some(day_order_hint(order)),
                        );
                    }
                }
            }
        }
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

fn is_footer(rec: &Record) -> bool {
    !rec.is_empty()
        && rec.fields().skip(1).all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
        && !rec.field(0).unwrap_or_default().is_empty()
}

fn first_text(rec: &Record, enc: Encoding) -> Option<String> {
    rec.field(0).map(|f| decode_cell(f, enc).0.into_owned())
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn day_order_hint(order: DayOrder) -> &'static str {
    match order {
        DayOrder::MonthFirst => "impossible as month/day, which the rest of the column uses",
        DayOrder::DayFirst => "impossible as day/month, which the rest of the column uses",
    }
}

/// Adds a listed product line. The first one of a file gets room for the file's rows: line-item
/// exports list nearly a line a row, order reports none.
fn list_line(lines: &mut Vec<Line>, room: &mut usize, line: Line) {
    if lines.len() == lines.capacity() && *room > 0 {
        lines.reserve_exact(std::mem::take(room));
    }
    growth::push(lines, line);
}

#[cfg(test)]
mod tests {
    use crate::ingest::report::SkipReason;
    use crate::ingest::{import_files, ImportOptions};
    use crate::money::Money;

    /// Rows of orders whose dates all wait for the column's day/month order: an order whose date
    /// proves impossible loses every one of its rows, interleaved with other orders or not.
    #[test]
    fn an_impossible_date_skips_every_row_of_its_order() {
        let csv = "order,customer,date,amount\n\
                   1,ann,13/05/2024,1\n\
                   2,bob,05/13/2024,1\n\
                   3,cat,01/02/2024,1\n\
                   2,bob,05/13/2024,1\n\
                   3,cat,01/02/2024,1\n\
                   2,bob,05/13/2024,1\n\
                   4,dan,14/05/2024,1\n";
        let (data, r) = import_files(&[("o.csv", csv.as_bytes())], ImportOptions::default()).expect("imports");
        assert_eq!(r.skipped.get(&SkipReason::InvalidDate), Some(&3));
        assert_eq!((r.rows_read, r.rows_used, r.orders), (7, 4, 3));
        assert_eq!(data.orders.time(1), crate::calendar::ymd_secs(2024, 2, 1, 0).expect("a date"));
    }

    /// A second file's rows of an order the first file had are skipped; its other orders are not.
    #[test]
    fn an_order_read_from_an_earlier_file_is_skipped() {
        let a = "order,customer,date,amount\n1,ann,2024-01-01,5\n2,bob,2024-01-02,6\n";
        let b = "order,customer,date,amount\n2,bob,2024-01-02,6\n3,cat,2024-01-03,7\n";
        let (data, r) = import_files(&[("a.csv", a.as_bytes()), ("b.csv", b.as_bytes())], ImportOptions::default())
            .expect("imports");
        assert_eq!(r.skipped.get(&SkipReason::DuplicateOrder), Some(&1));
        assert_eq!(r.files[1].skipped.get(&SkipReason::DuplicateOrder), Some(&1));
        assert_eq!(data.orders.gross, [5, 6, 7].map(Money::units));
    }

    /// Returned lines of several credit notes, interleaved, each summed into its own credit.
    #[test]
    fn returned_lines_are_summed_per_credit_note() {
        let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
                   1,A,Cup,2,2024-01-01 10:00,3.00,c1,UK\n\
                   C2,A,Cup,-1,2024-01-02 10:00,3.00,c1,UK\n\
                   C3,B,Bowl,-1,2024-01-02 11:00,4.00,c2,UK\n\
                   C2,B,Bowl,-2,2024-01-02 10:00,4.00,c1,UK\n\
                   4,B,Bowl,1,2024-01-03 10:00,4.00,c2,UK\n";
        let (data, r) = import_files(&[("i.csv", csv.as_bytes())], ImportOptions::default()).expect("imports");
        assert_eq!(r.format, "invoice_lines");
        assert_eq!(r.credit_notes, 2);
        let credits: Vec<(u32, Money)> = data.credits.iter().map(|c| (c.customer, c.amount)).collect();
        assert_eq!(credits, [(0, Money::units(11)), (1, Money::units(4))]);
    }
}
