//! Rows to orders: grouping line items, taking order-level money once, merging files, and
//! turning statuses, refunds and credit notes into the dataset's definitions (DESIGN.md).

mod ahead;
mod draft;
mod file_ctx;
mod ids_in_order;
mod order_index;
mod preview;
mod row;
mod settle;

pub(crate) use file_ctx::FileCtx;
pub use preview::Preview;

use draft::{Draft, Flags, Named, Spill};

use super::cells;
use super::columns::Role;
use super::dates::{self, ParsedTime};
use super::encoding::{decode_cell, decode_cell_into};
use super::records::Record;
use super::report::{Shown, SkipExample, SkipReason, EXAMPLES_PER_REASON};
use crate::chunked::Chunked;
use crate::model::{Dataset, LineList, NONE};
use crate::money::Money;
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
    /// The drafts' products and regions, from the first draft that names one.
    named: Named,
    /// The drafts' values too large for their two bytes.
    spill: Spill,
    /// The first draft of each file: files are read one after another, so a file's drafts are a
    /// run and a draft's file is found from its index.
    file_start: Vec<u32>,
    /// Credit-note and returned-line money (positive), by draft: rare, so kept apart from drafts.
    returns: Vec<(u32, Money)>,
    /// Each draft's first non-empty refund cell, if positive (`Flags::HAS_REFUND`), in draft
    /// order: most orders have none, so 8 bytes a draft are kept only for those that do.
    refunds: Vec<(u32, Money)>,
    /// Order ids seen, and the draft of each.
    order_ids: order_index::OrderIndex,
    data: Dataset,
    /// Product lines, but for an order's first sale line while it is the only one: that line is
    /// the draft's product and items (`Flags::FIRST_LINE_UNLISTED`), and an order report (one
    /// row an order, Taobao's 订单报表) lists no line at all.
    lines: LineList,
    pending: Vec<PendingLine>,
    examples: Vec<SkipExample>,
    unknown_statuses: BTreeMap<String, u64>,
    key_scratch: String,
    /// The last order date read, for the next row's, which is most often the same day.
    last_day: crate::ingest::dates::LastDay,
    /// The current row's decoded cells, end to end (a UTF-8 file's row with cells that are not
    /// UTF-8), reused from row to row.
    row_text: String,
    currencies: Vec<String>,
    /// Per file: how its orders' money and status are settled.
    rules: Vec<FileRules>,
    preview: preview::Tally,
    /// What the reads ahead of the rows gave ([`Builder::look_ahead`]), kept so that they are not
    /// optimised away.
    read_ahead: u32,
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

    /// Makes room for `rows` more rows of this file: at most an order id each.
    pub fn reserve(&mut self, ctx: &FileCtx, rows: usize) {
        if rows == 0 || ctx.mapping.is_line_supplement() {
            return;
        }
        if ctx.mapping.get(Role::OrderId).is_some() {
            self.order_ids.reserve(rows);
        }
    }

    /// The rules of the file a draft came from: the last file that started at or before it.
    fn rules_of(&self, draft: usize) -> FileRules {
        let file = self.file_start.partition_point(|&s| s as usize <= draft).saturating_sub(1);
        self.rules[file]
    }

    fn skip(&mut self, ctx: &mut FileCtx, reason: SkipReason, line: u64, role: Option<Role>, value: Option<&str>) {
        self.skip_showing(ctx, reason, line, role, value.map_or(Shown::Nothing, Shown::Cell));
    }

    /// Counts a skipped row, and keeps the first few of each reason as examples.
    fn skip_showing(&mut self, ctx: &mut FileCtx, reason: SkipReason, line: u64, role: Option<Role>, shown: Shown) {
        let n = ctx.report.skipped.entry(reason).or_insert(0);
        *n += 1;
        if *n as usize <= EXAMPLES_PER_REASON {
            let column = role.and_then(|r| ctx.mapping.column_name(r)).map(String::from);
            self.examples.push(SkipExample::new(reason, &ctx.name, line, column, shown));
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
                    return self.skip(ctx, SkipReason::Footer, line, None, first_text(rec).as_deref());
                }
                let shown = Shown::Width { fields: rec.len(), header: ctx.width };
                return self.skip_showing(ctx, SkipReason::WrongFieldCount, line, None, shown);
            }
        }
        if is_footer(rec) && ctx.width > 2 {
            return self.skip(ctx, SkipReason::Footer, line, None, first_text(rec).as_deref());
        }

        // Records are UTF-8 (GBK and UTF-16 files arrive transcoded), validated once as a whole,
        // and their cells borrowed. Only the mapped roles' cells are read; the others stay empty.
        let mut cells = Cells { v: [""; Role::COUNT] };
        let mut text = std::mem::take(&mut self.row_text);
        match rec.utf8() {
            Some(u) => {
                for &(i, c) in &ctx.mapped {
                    cells.v[i] = cells::clean(u.field(c).unwrap_or(""));
                }
            }
            None => foreign_cells(ctx, rec, &mut text, &mut cells),
        }
        self.use_row(ctx, &cells, line);
        self.row_text = text;
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
                        let shown = Shown::DayOrder(order);
                        self.skip_showing(ctx, SkipReason::InvalidDate, a.line, Some(Role::OrderTime), shown);
                    }
                }
            }
        }
    }
}

/// The cells of a record with foreign bytes (a file joined from exports in two encodings):
/// its non-ASCII cells are decoded into `text`, one buffer reused by every such row, so a row
/// allocates nothing; its ASCII cells are borrowed as they are.
fn foreign_cells<'r>(ctx: &mut FileCtx, rec: &Record<'r>, text: &'r mut String, cells: &mut Cells<'r>) {
    text.clear();
    // Where each decoded cell is in `text` (`None`: borrowed).
    let mut spans = [None; Role::COUNT];
    let mut gbk = 0;
    for &(i, c) in &ctx.mapped {
        match rec.field(c) {
            Some(bytes) if !bytes.is_ascii() => {
                let start = text.len();
                gbk += decode_cell_into(bytes, text) as u64;
                spans[i] = Some((start, text.len()));
            }
            _ => {}
        }
    }
    ctx.report.cells_decoded_as_gb18030 += gbk;
    for &(i, c) in &ctx.mapped {
        cells.v[i] = cells::clean(match spans[i] {
            Some((start, end)) => text.get(start..end).unwrap_or(""),
            None => rec.field(c).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or(""),
        });
    }
}

fn is_footer(rec: &Record) -> bool {
    !rec.is_empty()
        && rec.fields().skip(1).all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
        && !rec.field(0).unwrap_or_default().is_empty()
}

fn first_text(rec: &Record) -> Option<String> {
    rec.field(0).map(|f| decode_cell(f).0.into_owned())
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

    /// A row skipped for its date gives back the draft its order id claimed: the next order
    /// makes that draft, and the id's later row makes its own.
    #[test]
    fn an_order_whose_first_row_had_no_date_is_made_by_its_next_row() {
        let csv = "order,customer,date,amount\n\
                   1,ann,not a date,5\n\
                   2,bob,2024-01-02,6\n\
                   3,cat,,8\n\
                   1,ann,2024-01-03,7\n\
                   4,dan,2024-01-04,9\n\
                   3,cat,2024-01-05,10\n";
        let (data, r) = import_files(&[("o.csv", csv.as_bytes())], ImportOptions::default()).expect("imports");
        assert_eq!(r.skipped.get(&SkipReason::InvalidDate), Some(&1));
        assert_eq!(r.skipped.get(&SkipReason::MissingOrderDate), Some(&1));
        assert_eq!((r.rows_read, r.rows_used, r.orders), (6, 4, 4));
        let o = &data.orders;
        let mut bought: Vec<(&str, Money)> =
            (0..o.len()).map(|k| (data.customers.get(o.customer[k]).expect("a buyer"), o.gross.get(k))).collect();
        bought.sort_unstable();
        assert_eq!(bought, [("ann", 7), ("bob", 6), ("cat", 10), ("dan", 9)].map(|(c, m)| (c, Money::units(m))));
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
        assert_eq!(data.orders.gross.values().iter().collect::<Vec<_>>(), [5, 6, 7].map(Money::units));
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

    /// A shop with more products than a draft's two bytes hold, and an order of more items:
    /// every order keeps its own product, region and item count.
    #[test]
    fn products_and_items_past_two_bytes_are_kept() {
        let mut csv = String::from("order,customer,date,amount,product,quantity,region\n");
        for i in 0..70_000u32 {
            let items = if i == 69_999 { 100_000 } else { 1 + i % 3 };
            csv.push_str(&format!("{i},c{i},2024-01-01,1,p{i},{items},r{}\n", 69_999 - i));
        }
        let (data, r) = import_files(&[("big.csv", csv.as_bytes())], ImportOptions::default()).expect("imports");
        assert_eq!((r.orders, data.products.len(), data.regions.len()), (70_000, 70_000, 70_000));
        let o = &data.orders;
        for k in 0..o.len() {
            let i: u32 = data.customers.get(o.customer[k]).and_then(|c| c[1..].parse().ok()).expect("a buyer");
            assert_eq!(data.products.get(o.first_product.get(k)), Some(format!("p{i}").as_str()));
            assert_eq!(data.regions.get(o.region.get(k)), Some(format!("r{}", 69_999 - i).as_str()));
            assert_eq!(o.items.get(k), if i == 69_999 { 100_000 } else { 1 + i % 3 });
        }
    }
}
