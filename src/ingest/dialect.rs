//! Finding the delimiter and the header row from the first part of a file.
//!
//! Exports put title lines above the header (Shopee, eBay's blank first line), an Excel `sep=;`
//! line, or nothing. The header is the row, among the first few dozen, whose cells name the most
//! known columns; the delimiter is the one under which such a row exists. Files whose header names
//! nothing we know fall back to the delimiter that splits the rows most consistently.

use super::columns::{known_column_count, normalize_header};
use super::encoding::decode_cell;
use super::records::{Record, RecordReader};

const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
/// Rows examined for the header.
const HEADER_SEARCH_ROWS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: u8,
    /// Bytes to skip before parsing (an Excel `sep=X` line).
    pub skip: usize,
    /// Index of the header among the records parsed after `skip` (0 = the first record).
    pub header_index: usize,
    pub headers: Vec<String>,
}

/// The file has no row that could be a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoHeader;

/// Sniffs the dialect from `head` (text after any BOM). `complete` when `head` is the whole file.
pub fn sniff(head: &[u8], complete: bool) -> Result<Dialect, NoHeader> {
    let (forced, skip) = sep_line(head);
    let body = &head[skip..];
    let candidates: &[u8] = match forced {
        Some(ref d) => std::slice::from_ref(d),
        None => &CANDIDATES,
    };

    let mut best: Option<(usize, usize, usize, u8)> = None; // (score, fields, -row→row, delim)
    let mut fallback: Option<(usize, usize, u8, usize)> = None; // (consistency, fields, delim, row)
    for &d in candidates {
        let rows = first_rows(body, d, complete);
        for (i, row) in rows.iter().enumerate() {
            let score = known_column_count(row);
            if score == 0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((s, f, _, _)) => score > s || (score == s && row.len() > f && d != b'|'),
            };
            if better {
                best = Some((score, row.len(), i, d));
            }
        }
        // Consistency: how many rows share the most common field count (> 1 field).
        if let Some((count, fields, first_row)) = modal_width(&rows) {
            let better = match fallback {
                None => true,
                Some((c, f, _, _)) => count > c || (count == c && fields > f),
            };
            if better {
                fallback = Some((count, fields, d, first_row));
            }
        }
    }
    // A single matched name is weak evidence; prefer it only when no consistent table exists.
    let (delimiter, header_index) = match (best, fallback) {
        (Some((score, _, row, d)), _) if score >= 2 => (d, row),
        (Some((_, _, row, d)), None) => (d, row),
        (Some((_, _, row, d)), Some((_, _, fd, _))) if fd == d => (d, row),
        (_, Some((_, _, d, row))) => (d, row),
        (None, None) => return Err(NoHeader),
    };
    let headers = first_rows(body, delimiter, complete).into_iter().nth(header_index).ok_or(NoHeader)?;
    if headers.iter().filter(|h| !h.trim().is_empty()).count() < 2 {
        return Err(NoHeader);
    }
    Ok(Dialect { delimiter, skip, header_index, headers })
}

/// An Excel `sep=;` first line forces the delimiter.
fn sep_line(head: &[u8]) -> (Option<u8>, usize) {
    let line_end = memchr::memchr(b'\n', head).map_or(head.len(), |i| i + 1);
    let line = &head[..line_end];
    let trimmed: &[u8] = trim_ascii(line);
    let lower = trimmed.to_ascii_lowercase();
    let lower = lower.strip_prefix(b"\"").unwrap_or(&lower);
    if lower.starts_with(b"sep=") && lower.len() >= 5 {
        return (Some(lower[4]), line_end);
    }
    (None, 0)
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &b[start..end]
}

/// The first rows of `body` under delimiter `d`, decoded (cells as written, not normalised).
/// An incomplete last row is dropped unless `complete`.
fn first_rows(body: &[u8], d: u8, complete: bool) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut reader = RecordReader::new(d);
    let mut push = |rec: &Record| {
        if rows.len() < HEADER_SEARCH_ROWS {
            rows.push(rec.fields().map(|f| decode_cell(f).0.into_owned()).collect::<Vec<String>>());
        }
    };
    // Too long a row inside the window is left to the main reader to report.
    if reader.feed(body, &mut push).is_ok() && complete {
        let _ = reader.finish(&mut push);
    }
    rows
}

/// (rows sharing the modal width, that width, first row with it) over rows with more than one field.
fn modal_width(rows: &[Vec<String>]) -> Option<(usize, usize, usize)> {
    let mut counts: Vec<(usize, usize, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.len() < 2 {
            continue;
        }
        match counts.iter_mut().find(|c| c.1 == r.len()) {
            Some(c) => c.0 += 1,
            None => counts.push((1, r.len(), i)),
        }
    }
    // A table needs a header and at least one row of the same width.
    counts.into_iter().filter(|c| c.0 >= 2).max_by_key(|c| (c.0, c.1))
}

/// Normalised header names, for mapping.
pub fn normalized(headers: &[String]) -> Vec<String> {
    headers.iter().map(|h| normalize_header(h)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_str(s: &str) -> Dialect {
        sniff(s.as_bytes(), true).unwrap()
    }

    #[test]
    fn comma_tab_semicolon() {
        assert_eq!(sniff_str("customer,date,amount\na,2024-01-01,1\n").delimiter, b',');
        assert_eq!(sniff_str("amazon-order-id\tpurchase-date\torder-status\n1\t2\t3\n").delimiter, b'\t');
        let d = sniff_str("Order Number;Buyer Username;Sale Date;Total Price\n1;b;10-Dez-25;116,99 €\n");
        assert_eq!(d.delimiter, b';');
        assert_eq!(d.headers[1], "Buyer Username");
    }

    #[test]
    fn sep_line_and_preamble() {
        let d = sniff_str("sep=;\ncustomer;date;amount\nx;2024-01-01;1,5\n");
        assert_eq!((d.delimiter, d.header_index), (b';', 0));
        assert_eq!(d.skip, 6);
        let d = sniff_str("My shop orders report\nExported 2024-01-02\n\nOrder ID,Order Status,Username (Buyer),Order Creation Date,Grand Total\n1,Completed,u,2024-01-01 10:00,9\n");
        assert_eq!(d.header_index, 2);
        assert_eq!(d.headers[0], "Order ID");
    }

    #[test]
    fn header_names_in_any_case_outscore_a_data_row_holding_a_status_word() {
        let d = sniff_str(
            "Name,Email,Financial Status,Total,Created at\n#1,a@example.com,refunded,9.00,2024-01-01\n#2,b@example.com,paid,5.00,2024-01-02\n",
        );
        assert_eq!(d.header_index, 0);
        assert_eq!(d.headers[2], "Financial Status");
    }

    #[test]
    fn unknown_header_falls_back_to_consistent_split() {
        let d = sniff_str("a;b;c\n1;2;3\n4;5;6\n");
        assert_eq!((d.delimiter, d.header_index), (b';', 0));
    }

    #[test]
    fn nothing_tabular() {
        assert_eq!(sniff(b"hello\nworld\n", true).unwrap_err(), NoHeader);
        assert_eq!(sniff(b"", true).unwrap_err(), NoHeader);
    }
}
