//! The one error type for input that cannot be used at all. Row-level problems are not errors:
//! they are counted as skipped rows in the import report.
//!
//! Every message exists in English ([`fmt::Display`], the command line's) and in Chinese
//! ([`Error::zh`], for the page in Chinese), written side by side here so that neither falls
//! behind.

use crate::ingest::columns::Role;
use crate::ingest::encoding::NotText;
use std::fmt;

/// A file that cannot be imported, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: String,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Empty,
    /// A header but not one data row.
    HeaderOnly,
    /// Not a text export: what it looks like instead.
    NotText(NotText),
    /// No row that could be a header.
    NoHeader,
    /// A `--map` override names a column the file does not have.
    UnknownColumn {
        role: Role,
        column: String,
        available: Vec<String>,
    },
    NoDateColumn {
        available: Vec<String>,
    },
    NoAmountColumn {
        available: Vec<String>,
    },
    /// A row longer than the limit, which usually means a quote that is never closed.
    RowTooLong {
        line: u64,
        limit_mb: usize,
    },
    TooManyFields {
        line: u64,
    },
    /// Several files and one of them adds lines to orders that no file has.
    NoOrders,
    /// Settings the analysis cannot honour (e.g. an as-of date before the last order).
    Settings(SettingsProblem),
    /// The importer's calls made out of order by the program using it (not the seller's doing).
    Usage(&'static str),
}

/// A setting the analysis cannot honour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsProblem {
    /// The lifecycle stages' limits do not increase.
    StagesNotIncreasing,
    /// The as-of date as given, which is not a `YYYY-MM-DD` date.
    AsOfNotADate(String),
    /// The as-of date as given, and the last valid order's date.
    AsOfBeforeLastOrder { as_of: String, last: String },
}

impl Error {
    pub fn new(file: &str, kind: ErrorKind) -> Error {
        Error { file: file.to_string(), kind }
    }
}

/// The first dozen column names, and how many more there are.
fn list(cols: &[String], zh: bool) -> String {
    let shown: Vec<&str> = cols.iter().take(12).map(|s| s.as_str()).collect();
    let more = cols.len().saturating_sub(12);
    match (zh, more) {
        (_, 0) => shown.join(if zh { "、" } else { ", " }),
        (true, n) => format!("{} 等 {} 列", shown.join("、"), n + 12),
        (false, n) => format!("{} and {n} more", shown.join(", ")),
    }
}

fn not_text(what: NotText, zh: bool) -> &'static str {
    match (what, zh) {
        (NotText::Zip, false) => "an Excel workbook (.xlsx) or another zip archive",
        (NotText::Zip, true) => "一个 Excel 工作簿（.xlsx）或其他 zip 压缩包",
        (NotText::LegacyExcel, false) => "an Excel 97–2003 workbook (.xls)",
        (NotText::LegacyExcel, true) => "一个 Excel 97–2003 工作簿（.xls）",
        (NotText::Pdf, false) => "a PDF document",
        (NotText::Pdf, true) => "一份 PDF 文档",
        (NotText::Gzip, false) => "a gzip-compressed file",
        (NotText::Gzip, true) => "一个 gzip 压缩文件",
        (NotText::Binary, false) => "a binary file",
        (NotText::Binary, true) => "一个二进制文件",
    }
}

impl Error {
    /// The role no column was recognised for, and the file's columns, one of which the seller can
    /// name for it (each interface says how: `--map`, or a choice on the page).
    pub fn missing_column(&self) -> Option<(Role, &[String])> {
        match &self.kind {
            ErrorKind::NoDateColumn { available } => Some((Role::OrderTime, available)),
            ErrorKind::NoAmountColumn { available } => Some((Role::Amount, available)),
            _ => None,
        }
    }

    /// The message in Chinese.
    pub fn zh(&self) -> String {
        let file = &self.file;
        match &self.kind {
            ErrorKind::Empty => format!("{file}：文件是空的。"),
            ErrorKind::HeaderOnly => format!("{file}：文件只有表头，没有订单。"),
            ErrorKind::NotText(what) => format!(
                "{file}：这是{}，不是 CSV 或文本格式的导出；请用 Excel 或 WPS 打开，另存为 CSV。",
                not_text(*what, true)
            ),
            ErrorKind::NoHeader => format!("{file}：开头几行里找不到表头；这是 CSV 格式的订单导出吗？"),
            ErrorKind::UnknownColumn { role, column, available } => {
                format!("{file}：没有名为“{column}”的列可用作 {role}；文件的列有：{}。", list(available, true))
            }
            ErrorKind::NoDateColumn { available } => {
                format!("{file}：没有认出订单日期列（文件的列有：{}）。", list(available, true))
            }
            ErrorKind::NoAmountColumn { available } => {
                format!("{file}：没有认出金额列（文件的列有：{}）。", list(available, true))
            }
            ErrorKind::RowTooLong { line, limit_mb } => {
                format!("{file}，第 {line} 行：从这里开始的一行超过 {limit_mb} MB；这一行里的引号（\"）可能没有闭合。")
            }
            ErrorKind::TooManyFields { line } => {
                format!("{file}，第 {line} 行：这一行超过 16384 列，看起来不是订单导出。")
            }
            ErrorKind::NoOrders => {
                format!("{file}：这些商品明细没有日期；请把它们所属的订单报表一起加入（例如宝贝报表配上订单报表）。")
            }
            ErrorKind::Settings(SettingsProblem::StagesNotIncreasing) => {
                "生命周期各阶段的天数必须依次增大（例如 90、180、270、360 天）。".to_string()
            }
            ErrorKind::Settings(SettingsProblem::AsOfNotADate(text)) => {
                format!("分析日期“{text}”不是 YYYY-MM-DD 格式的日期。")
            }
            ErrorKind::Settings(SettingsProblem::AsOfBeforeLastOrder { as_of, last }) => {
                format!("分析日期 {as_of} 早于最后一笔订单（{last}）；请选 {last} 或之后的日期。")
            }
            ErrorKind::Usage(what) => what.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = &self.file;
        match &self.kind {
            ErrorKind::Empty => write!(f, "{file}: the file is empty."),
            ErrorKind::HeaderOnly => write!(f, "{file}: the file has a header row but no orders."),
            ErrorKind::NotText(what) => write!(
                f,
                "{file}: this is {}, not a CSV or text export; open it in Excel or WPS and save it as CSV.",
                not_text(*what, false)
            ),
            ErrorKind::NoHeader => write!(
                f,
                "{file}: no header row found in the first lines; is this an order export in CSV format?"
            ),
            ErrorKind::UnknownColumn { role, column, available } => write!(
                f,
                "{file}: there is no column \"{column}\" to use as {role}; the columns are: {}.",
                list(available, false)
            ),
            ErrorKind::NoDateColumn { available } => write!(
                f,
                "{file}: no order date column recognised (columns: {}).",
                list(available, false)
            ),
            ErrorKind::NoAmountColumn { available } => write!(
                f,
                "{file}: no amount column recognised (columns: {}).",
                list(available, false)
            ),
            ErrorKind::RowTooLong { line, limit_mb } => write!(
                f,
                "{file}, line {line}: a row longer than {limit_mb} MB starts here; a quote (\") opened on this line is probably never closed."
            ),
            ErrorKind::TooManyFields { line } => write!(
                f,
                "{file}, line {line}: a row with more than 16384 columns; this does not look like an order export."
            ),
            ErrorKind::NoOrders => write!(
                f,
                "{file}: these order lines have no dates; add the order report they belong to (e.g. Taobao's 订单报表 for a 宝贝报表)."
            ),
            ErrorKind::Settings(SettingsProblem::StagesNotIncreasing) => {
                write!(f, "The lifecycle stage limits must increase (e.g. 90, 180, 270, 360 days).")
            }
            ErrorKind::Settings(SettingsProblem::AsOfNotADate(text)) => {
                write!(f, "The as-of date \"{text}\" is not a date in the form YYYY-MM-DD.")
            }
            ErrorKind::Settings(SettingsProblem::AsOfBeforeLastOrder { as_of, last }) => {
                write!(f, "The as-of date {as_of} is before the last order ({last}); choose {last} or later.")
            }
            ErrorKind::Usage(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("列{i}")).collect()
    }

    /// One error of every kind.
    fn every_kind() -> Vec<Error> {
        let kinds = [
            ErrorKind::Empty,
            ErrorKind::HeaderOnly,
            ErrorKind::NotText(NotText::LegacyExcel),
            ErrorKind::NoHeader,
            ErrorKind::UnknownColumn { role: Role::Email, column: "邮箱".into(), available: columns(3) },
            ErrorKind::NoDateColumn { available: columns(15) },
            ErrorKind::NoAmountColumn { available: columns(2) },
            ErrorKind::RowTooLong { line: 1234, limit_mb: 16 },
            ErrorKind::TooManyFields { line: 77 },
            ErrorKind::NoOrders,
            ErrorKind::Settings(SettingsProblem::StagesNotIncreasing),
            ErrorKind::Settings(SettingsProblem::AsOfNotADate("2024-13-01".into())),
            ErrorKind::Settings(SettingsProblem::AsOfBeforeLastOrder {
                as_of: "2024-01-01".into(),
                last: "2024-06-30".into(),
            }),
        ];
        kinds.into_iter().map(|k| Error::new("订单.csv", k)).collect()
    }

    /// Every message a seller can meet reads in Chinese too, naming what the English one names:
    /// the file, the line, the columns, the dates.
    #[test]
    fn every_kind_has_a_chinese_message_with_the_same_particulars() {
        for e in every_kind() {
            let (en, zh) = (e.to_string(), e.zh());
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
            assert_ne!(en, zh);
            let file_named = !matches!(e.kind, ErrorKind::Settings(_));
            assert_eq!(en.contains("订单.csv"), file_named, "{en}");
            assert_eq!(zh.contains("订单.csv"), file_named, "{zh}");
            match &e.kind {
                ErrorKind::RowTooLong { line, .. } | ErrorKind::TooManyFields { line } => {
                    assert!(
                        en.contains(&format!("line {line}")) && zh.contains(&format!("第 {line} 行")),
                        "{en} / {zh}"
                    )
                }
                ErrorKind::Settings(SettingsProblem::AsOfBeforeLastOrder { as_of, last }) => {
                    assert!(zh.contains(as_of.as_str()) && zh.contains(last.as_str()), "{zh}")
                }
                ErrorKind::Settings(SettingsProblem::AsOfNotADate(text)) => assert!(zh.contains(text.as_str()), "{zh}"),
                _ => {}
            }
        }
    }

    /// A dozen columns are listed, then how many there are in all (Chinese) or how many more.
    #[test]
    fn long_column_lists_are_cut_after_a_dozen() {
        assert_eq!(list(&columns(2), false), "列1, 列2");
        assert_eq!(list(&columns(2), true), "列1、列2");
        let en = list(&columns(15), false);
        assert!(en.ends_with("列11, 列12 and 3 more") && !en.contains("列13"), "{en}");
        let zh = list(&columns(15), true);
        assert!(zh.ends_with("列11、列12 等 15 列") && !zh.contains("列13"), "{zh}");
    }
}
