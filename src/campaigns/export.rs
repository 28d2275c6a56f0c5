//! Lists sellers can open in Excel: campaign audiences, the customers table, and the plan as a
//! printable summary.
//!
//! CSV files are UTF-8 with a BOM (so Chinese Excel opens them correctly) or GBK on request.
//! A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`: exported customer
//! data can come from strangers (names, notes), and a formula in a spreadsheet is an attack.

use super::Plan;
use crate::analysis::table::{CustomerRow, CustomerTable};
use crate::calendar::{self, Day};
use crate::model::Dataset;
use crate::money::Money;
use crate::report::Report;
use serde::Deserialize;
use std::fmt::Write;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark.
    #[default]
    Utf8,
    Gbk,
}

/// A cell made safe for spreadsheets and quoted for CSV.
pub fn cell(value: &str, out: &mut String) {
    let guarded = matches!(value.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    let needs_quotes = value.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if needs_quotes {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    if needs_quotes {
        // Copied in runs, each `"` doubled.
        let mut rest = value;
        while let Some(at) = rest.find('"') {
            out.push_str(&rest[..=at]);
            out.push('"');
            rest = &rest[at + 1..];
        }
        out.push_str(rest);
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn row(cells: &[&str], out: &mut String) {
    let mut line = Line::new(out);
    for c in cells {
        line.text(c);
    }
    line.end();
}

/// 0000-01-01, the first day written without a minus sign.
const FIRST_DAY_OF_YEAR_0: Day = Day(-719_528);

/// A CSV line as it is written: cells made safe with [`cell`] and separated, and numbers and
/// dates written without `core::fmt`'s machinery, slow in wasm, for a download writes a dozen a
/// customer.
struct Line<'o> {
    out: &'o mut String,
    cells: usize,
}

impl<'o> Line<'o> {
    fn new(out: &'o mut String) -> Line<'o> {
        Line { out, cells: 0 }
    }

    fn next(&mut self) -> &mut String {
        if self.cells > 0 {
            self.out.push(',');
        }
        self.cells += 1;
        self.out
    }

    fn text(&mut self, value: &str) {
        cell(value, self.next());
    }

    /// A number needs no quotes, only [`cell`]'s guard before a minus sign.
    fn int(&mut self, n: impl Into<i64>) {
        let n = n.into();
        let out = self.next();
        if n < 0 {
            out.push('\'');
        }
        out.push_str(itoa::Buffer::new().format(n));
    }

    fn money(&mut self, m: Money) {
        let out = self.next();
        if m < Money::ZERO {
            out.push('\'');
        }
        // Writing to a `String` cannot fail.
        let _ = m.write(out);
    }

    /// `YYYY-MM-DD`: no quotes, and no guard from year 0 on.
    fn day(&mut self, day: Day) {
        if day < FIRST_DAY_OF_YEAR_0 {
            return self.text(&day.to_string());
        }
        // Writing to a `String` cannot fail.
        let _ = calendar::write_day(day.0.into(), self.next());
    }

    fn end(self) {
        self.out.push_str("\r\n");
    }
}

/// Lines of a CSV file made at a time by the page's worker and the CLI ([`customers_csv_part`],
/// [`audience_csv_part`]): a few MB of text.
pub const PART_LINES: usize = 10_000;

/// Encodes finished CSV text.
pub fn encode(text: &str, enc: CsvEncoding) -> Vec<u8> {
    let mut whole = String::with_capacity(text.len() + 3);
    start(&mut whole, enc);
    whole.push_str(text);
    encoded(whole, enc)
}

/// What a file starts with: in UTF-8, the byte-order mark Chinese Excel needs to read it as such.
fn start(text: &mut String, enc: CsvEncoding) {
    if enc == CsvEncoding::Utf8 {
        text.push('\u{feff}');
    }
}

/// CSV text in its encoding. Parts encoded in turn are end to end the whole text encoded:
/// GB18030 encodes each character on its own.
fn encoded(text: String, enc: CsvEncoding) -> Vec<u8> {
    match enc {
        CsvEncoding::Utf8 => text.into_bytes(),
        CsvEncoding::Gbk => crate::text_codec::encode_gb18030(&text),
    }
}

/// Segment and stage names as Chinese sellers know them.
fn zh_name(id: &str) -> &str {
    match id {
        "champions" => "冠军客户",
        "loyal" => "忠诚客户",
        "potential_loyalist" => "潜在忠诚",
        "new" => "新客户",
        "promising" => "有潜力",
        "need_attention" => "需要关注",
        "about_to_sleep" => "即将沉睡",
        "at_risk" => "有流失风险",
        "cant_lose_them" => "不能失去",
        "hibernating" => "休眠",
        "lost" => "已流失",
        "active" => "活跃期",
        "silent" => "沉默期",
        "sleeping" => "睡眠期",
        "about_to_lose" => "流失预警",
        other => other,
    }
}

/// Why a customer is on a campaign's list, in the seller's words.
fn reason(id: &str, c: &CustomerRow, zh: bool) -> String {
    let days = c.recency_days;
    match (id, zh) {
        ("second_purchase", true) => format!("只买过一次，{days} 天前"),
        ("second_purchase", false) => format!("bought once, {days} days ago"),
        ("wake_up", true) => format!("买过 {} 次，已 {days} 天未下单", c.orders),
        ("wake_up", false) => format!("{} orders, none for {days} days", c.orders),
        ("replenishment", true) => format!("通常每 {} 天买一次", c.typical_interval_days.unwrap_or(0.0).round()),
        ("replenishment", false) => {
            format!("usually buys every {} days", c.typical_interval_days.unwrap_or(0.0).round())
        }
        (_, true) => format!("{}，{} 单，最近一单 {days} 天前", zh_name(c.segment), c.orders),
        (_, false) => format!("{}, {} orders, last {days} days ago", c.segment, c.orders),
    }
}

/// The audience of campaign `index` of the plan as CSV text (full contact details: the page masks
/// them on screen, the list is for sending).
pub fn audience_csv(report: &Report, plan: &Plan, data: &Dataset, index: usize, zh: bool) -> String {
    let mut out = String::new();
    audience_header(zh, &mut out);
    audience_rows(report, plan, data, index, zh, 0..usize::MAX, &mut out);
    out
}

/// Members `members` (by their place in the audience) of campaign `index`'s audience list, as a
/// part of its file: see [`customers_csv_part`].
pub fn audience_csv_part(
    report: &Report,
    plan: &Plan,
    data: &Dataset,
    index: usize,
    zh: bool,
    enc: CsvEncoding,
    members: Range<usize>,
) -> Vec<u8> {
    let first = members.start == 0;
    csv_part(
        enc,
        first,
        |out| audience_header(zh, out),
        |out| audience_rows(report, plan, data, index, zh, members, out),
    )
}

/// A part of a CSV file: the header when it is the `first`, then its lines, encoded.
fn csv_part(
    enc: CsvEncoding,
    first: bool,
    header: impl FnOnce(&mut String),
    lines: impl FnOnce(&mut String),
) -> Vec<u8> {
    let mut text = String::new();
    if first {
        start(&mut text, enc);
        header(&mut text);
    }
    lines(&mut text);
    encoded(text, enc)
}

/// The header line of a campaign's audience list.
pub fn audience_header(zh: bool, out: &mut String) {
    let header: [&str; 11] = if zh {
        ["客户", "手机", "邮箱", "姓名", "RFM分群", "生命周期", "最近下单", "订单数", "净消费", "建议联系日", "原因"]
    } else {
        [
            "customer",
            "phone",
            "email",
            "name",
            "segment",
            "stage",
            "last_order",
            "orders",
            "net_spend",
            "suggested_date",
            "reason",
        ]
    };
    row(&header, out);
}

/// The lines of members `members` (by their place in the audience) of campaign `index`'s
/// audience, appended to `out`.
pub fn audience_rows(
    report: &Report,
    plan: &Plan,
    data: &Dataset,
    index: usize,
    zh: bool,
    members: Range<usize>,
    out: &mut String,
) {
    let Some(campaign) = plan.campaigns.get(index) else {
        return;
    };
    let table = &report.table;
    let end = members.end.min(campaign.audience.len());
    for k in members.start.min(end)..end {
        let r = campaign.audience[k];
        if r as usize >= table.len() {
            continue;
        }
        let c = &table.row(r as usize, data);
        let contact = |f: fn(&Dataset, u32) -> Option<&str>| f(data, c.id).unwrap_or("");
        let mut line = Line::new(out);
        line.text(c.key);
        line.text(contact(Dataset::phone));
        line.text(contact(Dataset::email));
        line.text(contact(Dataset::name));
        line.text(if zh { zh_name(c.segment) } else { c.segment });
        line.text(if zh { zh_name(c.stage) } else { c.stage });
        line.day(c.last_order);
        line.int(c.orders);
        line.money(c.net);
        match campaign.schedule.get(k) {
            Some(&day) => line.day(day),
            None => line.text(""),
        }
        line.text(&reason(campaign.id, c, zh));
        line.end();
    }
}

/// The whole customers table as CSV text.
pub fn customers_csv(report: &Report, data: &Dataset) -> String {
    customer_rows_csv(&report.table, 0..report.table.len() as u32, data)
}

/// Some rows of the customers table (a filtered view on the page), in the given order, as CSV text.
pub fn customer_rows_csv(table: &CustomerTable, rows: impl IntoIterator<Item = u32>, data: &Dataset) -> String {
    let mut out = String::new();
    customers_header(&mut out);
    customer_rows(table, rows, data, &mut out);
    out
}

/// Lines `lines` of the customers file (of the whole table, or of the rows `view` lists, in its
/// order), as a part of the file's bytes: the first part has the header, and a part past the last
/// row is empty. Parts made in turn are end to end the whole file ([`encode`]), made a few
/// MB at a time where the page's memory never shrinks.
pub fn customers_csv_part(
    table: &CustomerTable,
    view: Option<&[u32]>,
    data: &Dataset,
    enc: CsvEncoding,
    lines: Range<usize>,
) -> Vec<u8> {
    csv_part(enc, lines.start == 0, customers_header, |out| match view {
        Some(rows) => {
            let end = rows.len().min(lines.end);
            customer_rows(table, rows[lines.start.min(end)..end].iter().copied(), data, out);
        }
        None => {
            let end = table.len().min(lines.end);
            customer_rows(table, (lines.start.min(end)..end).map(|c| c as u32), data, out);
        }
    })
}

/// The header line of the customers table.
pub fn customers_header(out: &mut String) {
    row(
        &[
            "customer",
            "phone",
            "email",
            "name",
            "first_order",
            "last_order",
            "orders",
            "gross",
            "refunds",
            "net",
            "average_order_value",
            "items",
            "recency_days",
            "days_to_second",
            "typical_interval_days",
            "first_product",
            "top_product",
            "region",
            "r",
            "f",
            "m",
            "segment",
            "cn_class",
            "stage",
            "tier",
            "level",
        ],
        out,
    );
}

/// The lines of customers `rows` (rows of the table, in the given order), appended to `out`.
pub fn customer_rows(table: &CustomerTable, rows: impl IntoIterator<Item = u32>, data: &Dataset, out: &mut String) {
    for c in rows.into_iter().filter(|&c| (c as usize) < table.len()) {
        let c = &table.row(c as usize, data);
        let get = |f: fn(&Dataset, u32) -> Option<&str>| f(data, c.id).unwrap_or("");
        let mut line = Line::new(out);
        line.text(c.key);
        line.text(get(Dataset::phone));
        line.text(get(Dataset::email));
        line.text(get(Dataset::name));
        line.day(c.first_order);
        line.day(c.last_order);
        line.int(c.orders);
        line.money(c.gross);
        line.money(c.refunds);
        line.money(c.net);
        line.money(c.average_order_value);
        line.int(c.items);
        line.int(c.recency_days);
        match c.days_to_second {
            Some(days) => line.int(days),
            None => line.text(""),
        }
        line.text(&c.typical_interval_days.map(|d| d.to_string()).unwrap_or_default());
        line.text(c.first_product.unwrap_or(""));
        line.text(c.top_product.unwrap_or(""));
        line.text(c.region.unwrap_or(""));
        line.int(c.r);
        line.int(c.f);
        line.int(c.m);
        line.text(c.segment);
        line.text(c.cn_class);
        line.text(c.stage);
        line.text(c.tier);
        line.text(c.level);
        line.end();
    }
}

/// The plan as a printable Markdown summary.
pub fn plan_markdown(report: &Report, plan: &Plan, zh: bool) -> String {
    let pick = |t: &super::Text| if zh { t.zh.clone() } else { t.en.clone() };
    let mut out = String::new();
    let s = &report.summary;
    let title = if zh { "回头客运营计划" } else { "Returning-customer plan" };
    let _ = writeln!(out, "# {title} ({})\n", s.as_of.as_deref().unwrap_or("-"));
    for n in &plan.notes {
        let _ = writeln!(out, "> {}\n", pick(n));
    }
    for (rank, c) in plan.campaigns.iter().enumerate() {
        let _ = writeln!(out, "## {}. {}\n", rank + 1, pick(&c.name));
        let _ = writeln!(out, "{}\n", pick(&c.goal));
        if let Some(m) = &c.missing {
            let _ = writeln!(out, "**{}** {}\n", if zh { "缺少数据：" } else { "Missing data:" }, pick(m));
            continue;
        }
        let (who, worth, when, how, say) = if zh {
            ("对象", "价值估计", "时间", "渠道", "话术")
        } else {
            ("Who", "Value at stake", "When", "How", "Message")
        };
        let _ = writeln!(out, "- {}\n- **{who}:** {} ({})", pick(&c.why), c.customers, pick(&c.rule));
        let _ = writeln!(out, "- **{worth}:** {} ({})", c.value_at_stake, pick(&c.value_method));
        let _ = writeln!(out, "- **{when}:** {}", pick(&c.timing));
        let _ = writeln!(out, "- **{how}:** {} · {}", c.channels.join(", "), c.offer);
        let _ = writeln!(out, "- **{say}:** {}\n", pick(&c.template));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(v: &str) -> String {
        let mut s = String::new();
        cell(v, &mut s);
        s
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(one("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(one("+1 555"), "'+1 555");
        assert_eq!(one("-2"), "'-2");
        assert_eq!(one("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(one("\tx"), "'\tx");
        assert_eq!(one("\rx"), "\"'\rx\"");
        assert_eq!(one("张三"), "张三");
        assert_eq!(one("a,b"), "\"a,b\"");
        assert_eq!(one("\"茶\" 2\"\""), "\"\"\"茶\"\" 2\"\"\"\"\"");
        assert_eq!(one("line\nbreak"), "\"line\nbreak\"");
    }

    /// Numbers and days, written without `core::fmt`, are the cells their text makes: a minus
    /// sign guarded, nothing quoted.
    #[test]
    fn numbers_and_days_are_the_cells_of_their_text() {
        let mut out = String::new();
        let mut line = Line::new(&mut out);
        line.money(Money(-52_500));
        line.money(Money(12_345_600));
        line.int(-3_i64);
        line.int(7_u32);
        line.day(Day(19_782));
        line.day(Day(-800_000));
        line.text("a,b");
        line.end();
        let before_year_0 = Day(-800_000).to_string();
        let mut want = String::new();
        row(&["-5.25", "1234.56", "-3", "7", "2024-02-29", &before_year_0, "a,b"], &mut want);
        assert_eq!(out, want);
        assert!(out.starts_with("'-5.25,1234.56,'-3,7,2024-02-29,'-"), "{out}");
    }

    /// Parts made in turn, of any size, are end to end the file made whole: in both encodings, for
    /// the customers table, a view of it and a campaign's audience, with nothing past the end.
    #[test]
    fn parts_end_to_end_are_the_whole_file() {
        let shop = crate::sample::SampleShop { customers: 300, ..Default::default() };
        let files = [("shop.csv", shop.taobao_csv().into_bytes())];
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, &b[..])).collect();
        let (data, import) = crate::ingest::import_files(&files, Default::default()).expect("the shop imports");
        let report = crate::analysis::analyze(&data, &import, &Default::default()).expect("the shop analyses");
        let plan = report.plan.as_ref().expect("the shop has a plan");
        let (index, campaign) =
            plan.campaigns.iter().enumerate().max_by_key(|(_, c)| c.audience.len()).expect("campaigns");
        let table = &report.table;
        let view: Vec<u32> = (0..table.len() as u32).rev().step_by(3).collect();
        assert!(campaign.audience.len() > 20 && table.len() > 200);
        for enc in [CsvEncoding::Utf8, CsvEncoding::Gbk] {
            let whole_customers = encode(&customers_csv(&report, &data), enc);
            let whole_view = encode(&customer_rows_csv(table, view.iter().copied(), &data), enc);
            let whole_audience = encode(&audience_csv(&report, plan, &data, index, true), enc);
            for size in [1, 7, 64, 5000] {
                // Parts past the last line are asked for too: they must be empty (the page's
                // worker stops at the first empty one).
                let in_parts = |part: &dyn Fn(Range<usize>) -> Vec<u8>, lines: usize| {
                    let mut file = Vec::new();
                    for from in (0..lines + 2 * size).step_by(size) {
                        file.extend(part(from..from + size));
                    }
                    file
                };
                let customers = in_parts(&|r| customers_csv_part(table, None, &data, enc, r), table.len());
                assert_eq!(customers, whole_customers, "{enc:?}, parts of {size}");
                let shown = in_parts(&|r| customers_csv_part(table, Some(&view), &data, enc, r), view.len());
                assert_eq!(shown, whole_view, "{enc:?}, parts of {size}");
                let lines = campaign.audience.len();
                let audience = in_parts(&|r| audience_csv_part(&report, plan, &data, index, true, enc, r), lines);
                assert_eq!(audience, whole_audience, "{enc:?}, parts of {size}");
            }
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(&encode("客户\r\n", CsvEncoding::Utf8)[..3], b"\xEF\xBB\xBF");
        let gbk = encode("客户\r\n", CsvEncoding::Gbk);
        assert_eq!(encoding_rs::GB18030.decode_without_bom_handling(&gbk).0, "客户\r\n");
        assert_ne!(&gbk[..3], b"\xEF\xBB\xBF");
    }
}
