//! The import report: what was read, what was used, and every skipped row's reason.

use super::columns::Role;
use super::dates::DayOrder;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a row was not used. Keys are stable: tests, the page and translations use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The row's number of fields differs from the header's.
    WrongFieldCount,
    /// The last row of the file runs to the end inside an open quote.
    UnclosedQuote,
    /// Every field empty (`,,,,`).
    BlankRow,
    /// A summary/footer line after the data (eBay `N record(s) downloaded`).
    Footer,
    MissingOrderDate,
    InvalidDate,
    InvalidAmount,
    InvalidQuantity,
    /// Quantity or price ≤ 0 on a line that is not a credit: not a sale.
    NotASale,
    /// The order was already read from an earlier file (overlapping exports).
    DuplicateOrder,
    /// An order line (item report) whose order is in none of the files.
    NoMatchingOrder,
}

impl SkipReason {
    pub fn key(self) -> &'static str {
        match self {
            SkipReason::WrongFieldCount => "wrong_field_count",
            SkipReason::UnclosedQuote => "unclosed_quote",
            SkipReason::BlankRow => "blank_row",
            SkipReason::Footer => "footer",
            SkipReason::MissingOrderDate => "missing_order_date",
            SkipReason::InvalidDate => "invalid_date",
            SkipReason::InvalidAmount => "invalid_amount",
            SkipReason::InvalidQuantity => "invalid_quantity",
            SkipReason::NotASale => "not_a_sale",
            SkipReason::DuplicateOrder => "duplicate_order",
            SkipReason::NoMatchingOrder => "no_matching_order",
        }
    }

    /// One sentence for people, in English (the page translates by key).
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::WrongFieldCount => "the row has a different number of columns than the header",
            SkipReason::UnclosedQuote => "a quote opened in this row is never closed",
            SkipReason::BlankRow => "the row is empty",
            SkipReason::Footer => "a summary or footer line, not an order",
            SkipReason::MissingOrderDate => "the order has no date",
            SkipReason::InvalidDate => "the date cannot be read",
            SkipReason::InvalidAmount => "the amount cannot be read",
            SkipReason::InvalidQuantity => "the quantity cannot be read",
            SkipReason::NotASale => "quantity or price is zero or negative, so the line is not a sale",
            SkipReason::DuplicateOrder => "the order was already read from an earlier file",
            SkipReason::NoMatchingOrder => "no file has the order this line belongs to",
        }
    }

    /// The same sentence in Chinese.
    pub fn describe_zh(self) -> &'static str {
        match self {
            SkipReason::WrongFieldCount => "这一行的列数与表头不同",
            SkipReason::UnclosedQuote => "这一行里的引号没有闭合",
            SkipReason::BlankRow => "空行",
            SkipReason::Footer => "汇总或页脚行，不是订单",
            SkipReason::MissingOrderDate => "订单没有日期",
            SkipReason::InvalidDate => "日期无法识别",
            SkipReason::InvalidAmount => "金额无法识别",
            SkipReason::InvalidQuantity => "数量无法识别",
            SkipReason::NotASale => "数量或价格为零或负数，这一行不算销售",
            SkipReason::DuplicateOrder => "这笔订单已在前面的文件中读过",
            SkipReason::NoMatchingOrder => "没有文件包含这一行所属的订单",
        }
    }
}

/// A skipped row kept as an example, so the seller can find it in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkipExample {
    pub reason: SkipReason,
    pub file: String,
    pub line: u64,
    /// The column whose cell caused it, when one did.
    pub column: Option<String>,
    /// The cell as it is in the file (cut at 200 characters), when one is shown.
    pub value: Option<String>,
    /// Where and why, in English.
    pub message: String,
    /// The same in Chinese.
    pub zh: String,
}

/// What a skipped row's example shows after its reason.
#[derive(Clone, Copy, Debug)]
pub enum Shown<'a> {
    Nothing,
    /// A cell (or the row's first text) as it is in the file.
    Cell(&'a str),
    /// A row of `fields` fields under a header of `header`.
    Width {
        fields: usize,
        header: usize,
    },
    /// A date impossible in the day order that the rest of its column uses.
    DayOrder(DayOrder),
}

impl SkipExample {
    /// The example of a row of `file` skipped for `reason`, with its sentence in both languages.
    pub fn new(reason: SkipReason, file: &str, line: u64, column: Option<String>, shown: Shown) -> SkipExample {
        let (en, zh) = match shown {
            Shown::Nothing => (String::new(), String::new()),
            Shown::Cell(v) => {
                let v = truncate(v, 60);
                (format!(" (\"{v}\")"), format!("（“{v}”）"))
            }
            Shown::Width { fields, header } => {
                (format!(" ({fields} fields, header has {header})"), format!("（{fields} 列，表头有 {header} 列）"))
            }
            Shown::DayOrder(DayOrder::MonthFirst) => (
                " (impossible as month/day, which the rest of the column uses)".to_string(),
                "（这一列其余日期都是“月/日”，按月/日这个日期不存在）".to_string(),
            ),
            Shown::DayOrder(DayOrder::DayFirst) => (
                " (impossible as day/month, which the rest of the column uses)".to_string(),
                "（这一列其余日期都是“日/月”，按日/月这个日期不存在）".to_string(),
            ),
        };
        let (column_en, column_zh) = match &column {
            Some(c) => (format!(", column \"{c}\""), format!("，“{c}”列")),
            None => (String::new(), String::new()),
        };
        SkipExample {
            reason,
            file: file.to_string(),
            line,
            value: match shown {
                Shown::Cell(v) => Some(truncate(v, 200)),
                _ => None,
            },
            message: format!("{file}, line {line}{column_en}: {}{en}", reason.describe()),
            zh: format!("{file}，第 {line} 行{column_zh}：{}{zh}", reason.describe_zh()),
            column,
        }
    }
}

/// `s` cut after `max` characters, with an ellipsis if it was longer.
fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Something about the whole import the seller should know, in English and in Chinese.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub message: String,
    pub zh: String,
}

impl Note {
    pub fn new(code: &'static str, message: impl Into<String>, zh: impl Into<String>) -> Note {
        Note { code, message: message.into(), zh: zh.into() }
    }
}

/// Examples kept per reason and file.
pub const EXAMPLES_PER_REASON: usize = 5;

/// What happened to one file.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileReport {
    pub name: String,
    /// The preset's id, and its name in English and in Chinese.
    pub format: String,
    pub format_label: String,
    pub format_label_zh: String,
    pub encoding: String,
    pub delimiter: String,
    pub header_line: u64,
    pub columns: Vec<String>,
    pub mapping: BTreeMap<Role, String>,
    pub customer_key: Option<Role>,
    pub rows_read: u64,
    pub rows_used: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    /// How `A/B/YYYY` dates were read, when the file has them.
    pub day_order: Option<DayOrder>,
    pub decimal_comma: bool,
    /// Cells that were not valid UTF-8 in a UTF-8 file and were read as GB18030.
    pub cells_decoded_as_gb18030: u64,
    /// Order lines only (an item report joined to another file's orders).
    pub lines_only: bool,
    /// Rows with a customer key, and how many of those keys the platform masked (`138****1111`).
    pub keyed_rows: u64,
    pub masked_keys: u64,
}

/// The whole import, over all files (DESIGN.md's CLI contract names the first fields).
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    pub rows_read: u64,
    pub rows_used: u64,
    pub skipped: BTreeMap<SkipReason, u64>,
    pub skipped_examples: Vec<SkipExample>,
    /// Distinct orders (any status).
    pub orders: u64,
    pub valid_orders: u64,
    pub orders_without_customer: u64,
    pub orders_by_status: BTreeMap<&'static str, u64>,
    /// Status values that are not known, treated as completed sales, with their counts.
    pub unrecognized_statuses: BTreeMap<String, u64>,
    pub credit_notes: u64,
    pub credit_notes_without_customer: u64,
    pub first_order: Option<String>,
    pub last_order: Option<String>,
    pub currency: Option<String>,
    /// The first file's, or `mixed` when files differ.
    pub encoding: String,
    pub format: String,
    pub mapping: BTreeMap<Role, String>,
    pub customer_key: Option<Role>,
    /// Plain-language notes the seller must see (no buyer column, mixed keys…).
    pub notes: Vec<Note>,
    pub files: Vec<FileReport>,
}

impl ImportReport {
    /// Rows read = rows used + rows skipped, always.
    pub fn is_balanced(&self) -> bool {
        self.rows_read == self.rows_used + self.skipped.values().sum::<u64>()
    }
}
