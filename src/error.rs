//! The one error type for input that cannot be used at all. Row-level problems are not errors:
//! they are counted as skipped rows in the import report.

use crate::ingest::columns::Role;
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
    NotText(&'static str),
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
    Settings(String),
}

impl Error {
    pub fn new(file: &str, kind: ErrorKind) -> Error {
        Error { file: file.to_string(), kind }
    }
}

fn list(cols: &[String]) -> String {
    let shown: Vec<&str> = cols.iter().take(12).map(|s| s.as_str()).collect();
    let more = if cols.len() > 12 { format!(" and {} more", cols.len() - 12) } else { String::new() };
    format!("{}{}", shown.join(", "), more)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = &self.file;
        match &self.kind {
            ErrorKind::Empty => write!(f, "{file}: the file is empty."),
            ErrorKind::HeaderOnly => write!(f, "{file}: the file has a header row but no orders."),
            ErrorKind::NotText(what) => write!(
                f,
                "{file}: this is {what}, not a CSV or text export; open it in Excel or WPS and save it as CSV."
            ),
            ErrorKind::NoHeader => write!(
                f,
                "{file}: no header row found in the first lines; is this an order export in CSV format?"
            ),
            ErrorKind::UnknownColumn { role, column, available } => write!(
                f,
                "{file}: there is no column \"{column}\" to use as {role}; the columns are: {}.",
                list(available)
            ),
            ErrorKind::NoDateColumn { available } => write!(
                f,
                "{file}: no order date column recognised (columns: {}); map one with --map order_time=COLUMN.",
                list(available)
            ),
            ErrorKind::NoAmountColumn { available } => write!(
                f,
                "{file}: no amount column recognised (columns: {}); map one with --map amount=COLUMN.",
                list(available)
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
            ErrorKind::Settings(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}
