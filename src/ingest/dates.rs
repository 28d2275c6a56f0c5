//! Date and time cells, hand-parsed because they sit on the hot path of every row.
//!
//! Times are kept as the shop's wall-clock time (seconds since 1970-01-01 00:00 of that wall
//! clock): a written UTC offset is dropped, not applied, because what a seller means by "the day
//! of the order" is the day on their own calendar, and Shopify's offset changes with DST inside one
//! file. `A/B/YYYY` dates whose day/month order the cell alone cannot tell are returned unresolved
//! and settled from the whole column (see [`DayOrderVote`]).

use crate::calendar::{ymd_secs, Timestamp, SECS_PER_DAY};

/// A date cell as read, before the column's day/month order is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedTime {
    Exact(Timestamp),
    /// `first/second/year` where both could be a month.
    Ambiguous {
        first: u8,
        second: u8,
        year: i32,
        secs: u32,
        /// Written with dots (`10.12.2025`), which is day-first by convention.
        dotted: bool,
    },
}

/// Which number comes first in a column's `A/B/YYYY` dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOrder {
    MonthFirst,
    DayFirst,
}

/// Evidence gathered over a column: a first number above 12 proves day-first, a second above 12
/// proves month-first. With no proof either way the default is month-first (US exports: Etsy,
/// UCI's `12/1/2010 8:26`), unless the separator is `.` (German `10.12.2025`).
#[derive(Clone, Copy, Debug, Default)]
pub struct DayOrderVote {
    pub day_first: u32,
    pub month_first: u32,
    pub dotted: u32,
    pub slashed: u32,
}

impl DayOrderVote {
    pub fn observe(&mut self, t: ParsedTime) {
        let ParsedTime::Ambiguous { first, second, dotted, .. } = t else {
            return;
        };
        if dotted {
            self.dotted += 1;
        } else {
            self.slashed += 1;
        }
        if first > 12 && second <= 12 {
            self.day_first += 1;
        } else if second > 12 && first <= 12 {
            self.month_first += 1;
        }
    }

    pub fn decide(&self) -> DayOrder {
        if self.day_first > self.month_first {
            DayOrder::DayFirst
        } else if self.month_first > self.day_first {
            DayOrder::MonthFirst
        } else if self.dotted > self.slashed {
            DayOrder::DayFirst
        } else {
            DayOrder::MonthFirst
        }
    }
}

/// Why a date cell could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateError;

/// Resolves an ambiguous date with the column's order; `None` if impossible under that order
/// (e.g. `13/05/2024` read month-first).
pub fn resolve(t: ParsedTime, order: DayOrder) -> Option<Timestamp> {
    match t {
        ParsedTime::Exact(ts) => Some(ts),
        ParsedTime::Ambiguous { first, second, year, secs, .. } => {
            let (m, d) = match order {
                DayOrder::MonthFirst => (first, second),
                DayOrder::DayFirst => (second, first),
            };
            ymd_secs(year, m as u32, d as u32, secs)
        }
    }
}

/// A byte cursor over one cell.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
    /// Reads 1..=max ASCII digits; returns (value, count).
    fn digits(&mut self, max: usize) -> Option<(u64, usize)> {
        let start = self.i;
        let mut v: u64 = 0;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            v = v * 10 + (self.b[self.i] - b'0') as u64;
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 {
            None
        } else {
            Some((v, n))
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_str(&mut self, s: &str) -> bool {
        if self.b[self.i..].starts_with(s.as_bytes()) {
            self.i += s.len();
            true
        } else {
            false
        }
    }
    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ')) {
            self.i += 1;
        }
    }
    fn rest(&self) -> &'a [u8] {
        &self.b[self.i.min(self.b.len())..]
    }
}

/// Order dates outside 1970–2100 are typos or misread columns, and accepting them would let one
/// bad cell stretch every per-month table over centuries.
const FIRST_PLAUSIBLE: Timestamp = 0;
const END_PLAUSIBLE: Timestamp = 4_133_980_800; // 2101-01-01

fn plausible(ts: Timestamp) -> Option<Timestamp> {
    (FIRST_PLAUSIBLE..END_PLAUSIBLE).contains(&ts).then_some(ts)
}

/// Parses a date/time cell. `Ok(None)` means "did not happen" (empty, `0000-00-00…`).
pub fn parse_time(text: &str) -> Result<Option<ParsedTime>, DateError> {
    match fixed_layout(text.as_bytes()) {
        Some(ts) => Ok(Some(ParsedTime::Exact(ts))),
        None => parse_time_general(text),
    }
}

/// [`parse_time`] remembering the last day it read in a fixed layout. Exports list their orders
/// in time order, so a row's date is most often the row before's (the 100 MB
/// `customer,date,amount` file has thousands of orders a day): its midnight is then taken from
/// the last row, and only the time of day is read.
#[derive(Debug, Default)]
pub struct LastDay {
    /// The date as written (`YYYY-MM-DD` or `YYYY/MM/DD`), and its midnight.
    date: Option<([u8; 10], Timestamp)>,
}

impl LastDay {
    /// The same answer as [`parse_time`].
    #[inline]
    pub fn parse_time(&mut self, text: &str) -> Result<Option<ParsedTime>, DateError> {
        match self.fixed_layout(text.as_bytes()) {
            Some(ts) => Ok(Some(ParsedTime::Exact(ts))),
            None => parse_time_general(text),
        }
    }

    /// [`fixed_layout`], with the date's midnight from the last row when the date is the same.
    fn fixed_layout(&mut self, b: &[u8]) -> Option<Timestamp> {
        let (date, time) = fixed_parts(b)?;
        let secs = time.map_or(Some(0), secs_of)?;
        let midnight = match self.date {
            Some((last, midnight)) if last == *date => midnight,
            _ => {
                let midnight = midnight_of(date)?;
                self.date = Some((*date, midnight));
                midnight
            }
        };
        plausible(midnight + Timestamp::from(secs))
    }
}

/// `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DD`, or with `/`: the layouts of nearly every platform's
/// export, read at fixed places, and the first with Shopify's UTC offset after it (` -0500`,
/// dropped as the general rules drop it). Anything else, and any value out of range, is left to
/// the general rules (which read these layouts the same way: a test holds the two together), so
/// a row's one or two dates do not go through the cursor, whose steps cost more than the rest of
/// the cell's reading.
fn fixed_layout(b: &[u8]) -> Option<Timestamp> {
    let (date, time) = fixed_parts(b)?;
    let secs = time.map_or(Some(0), secs_of)?;
    plausible(midnight_of(date)? + Timestamp::from(secs))
}

/// A fixed layout's date and, if it has one, its time (`HH:MM:SS`), their separators checked.
fn fixed_parts(b: &[u8]) -> Option<(&[u8; 10], Option<&[u8]>)> {
    let b = match b.split_at_checked(19) {
        Some((time, [b' ', b'+' | b'-', offset @ ..])) if offset.len() == 4 => {
            offset.iter().all(u8::is_ascii_digit).then_some(time)?
        }
        _ => b,
    };
    let (date, time) = match b.len() {
        19 if b[10] == b' ' && b[13] == b':' && b[16] == b':' => (&b[..10], Some(&b[11..])),
        10 => (b, None),
        _ => return None,
    };
    let sep = date[4];
    if !matches!(sep, b'-' | b'/') || date[7] != sep {
        return None;
    }
    Some((date.try_into().ok()?, time))
}

/// The digits at `at..at + len`.
fn digits(b: &[u8], at: usize, len: usize) -> Option<u32> {
    b.get(at..at + len)?.iter().try_fold(0u32, |v, &c| c.is_ascii_digit().then(|| v * 10 + (c - b'0') as u32))
}

/// Seconds into the day of `HH:MM:SS` (a leap second read as :59).
fn secs_of(time: &[u8]) -> Option<u32> {
    let (h, m, s) = (digits(time, 0, 2)?, digits(time, 3, 2)?, digits(time, 6, 2)?);
    (h <= 23 && m <= 59 && s <= 60).then(|| h * 3600 + m * 60 + s.min(59))
}

/// The midnight of a `YYYY-MM-DD` (or `/`) date, if the calendar has it.
fn midnight_of(date: &[u8; 10]) -> Option<Timestamp> {
    ymd_secs(digits(date, 0, 4)? as i32, digits(date, 5, 2)?, digits(date, 8, 2)?, 0)
}

fn parse_time_general(text: &str) -> Result<Option<ParsedTime>, DateError> {
    match parse_any(text)? {
        Some(ParsedTime::Exact(ts)) => plausible(ts).map(|t| Some(ParsedTime::Exact(t))).ok_or(DateError),
        Some(ParsedTime::Ambiguous { year, .. }) if !(1970..=2100).contains(&year) => Err(DateError),
        other => Ok(other),
    }
}

fn parse_any(text: &str) -> Result<Option<ParsedTime>, DateError> {
    let t = text.trim();
    if t.is_empty() || t.starts_with("0000-00-00") || t.starts_with("0000/00/00") {
        return Ok(None);
    }
    let b = t.as_bytes();
    if b[0].is_ascii_alphabetic() {
        return month_name_first(t).map(Some);
    }
    let mut c = Cur { b, i: 0 };
    let (first, n1) = c.digits(14).ok_or(DateError)?;
    let sep = c.peek();
    match (n1, sep) {
        (4, Some(b'-' | b'/' | b'.')) => {
            let sep = b[4];
            c.i += 1;
            let (m, _) = c.digits(2).ok_or(DateError)?;
            if !c.eat(sep) {
                return Err(DateError);
            }
            let (d, _) = c.digits(2).ok_or(DateError)?;
            let secs = time_of_day(&mut c)?;
            exact(first as i32, m as u32, d as u32, secs)
        }
        (4, Some(0xE5)) => {
            // 2020年2月1日 [HH:MM[:SS]]
            c.eat_str("年");
            let (m, _) = c.digits(2).ok_or(DateError)?;
            if !c.eat_str("月") {
                return Err(DateError);
            }
            let (d, _) = c.digits(2).ok_or(DateError)?;
            if !c.eat_str("日") {
                return Err(DateError);
            }
            let secs = time_of_day(&mut c)?;
            exact(first as i32, m as u32, d as u32, secs)
        }
        (1 | 2, Some(b'/' | b'.' | b'-')) => {
            let sep_byte = b[c.i];
            c.i += 1;
            if c.peek().is_some_and(|x| x.is_ascii_alphabetic()) {
                // DD-Mon-YY (German eBay `10-Dez-25`, `01-Jan-2024`)
                let month = month_name(&mut c)?;
                if !c.eat(sep_byte) {
                    return Err(DateError);
                }
                let year = year_digits(&mut c)?;
                let secs = time_of_day(&mut c)?;
                return exact(year, month, first as u32, secs);
            }
            let (second, _) = c.digits(2).ok_or(DateError)?;
            if !c.eat(sep_byte) {
                return Err(DateError);
            }
            let year = year_digits(&mut c)?;
            let secs = time_of_day(&mut c)?;
            if first > 31 || second > 31 || first == 0 || second == 0 {
                return Err(DateError);
            }
            if first > 12 && second > 12 {
                return Err(DateError);
            }
            // Even when one number is above 12 the cell stays "ambiguous": the column vote
            // needs to see it, and `resolve` rejects it if the column decides otherwise.
            Ok(Some(ParsedTime::Ambiguous {
                first: first as u8,
                second: second as u8,
                year,
                secs,
                dotted: sep_byte == b'.',
            }))
        }
        (8, None | Some(b' ' | b'T')) => {
            // YYYYMMDD
            let y = first / 10_000;
            let m = (first / 100) % 100;
            let d = first % 100;
            let secs = time_of_day(&mut c)?;
            exact(y as i32, m as u32, d as u32, secs)
        }
        // Unix seconds (some app exports).
        (10, None) => Ok(Some(ParsedTime::Exact(first as i64 + UNIX_TZ_ADJUST))),
        (13, None) => Ok(Some(ParsedTime::Exact(first as i64 / 1000 + UNIX_TZ_ADJUST))),
        (1..=6, None | Some(b'.')) => excel_serial(t).map(Some),
        _ => Err(DateError),
    }
}

/// Unix timestamps are UTC; kept as they are (no shop zone is known).
const UNIX_TZ_ADJUST: i64 = 0;

fn exact(y: i32, m: u32, d: u32, secs: u32) -> Result<Option<ParsedTime>, DateError> {
    ymd_secs(y, m, d, secs).map(|ts| Some(ParsedTime::Exact(ts))).ok_or(DateError)
}

fn year_digits(c: &mut Cur) -> Result<i32, DateError> {
    let (y, n) = c.digits(4).ok_or(DateError)?;
    match n {
        2 => Ok(if y < 70 { 2000 + y as i32 } else { 1900 + y as i32 }),
        4 => Ok(y as i32),
        _ => Err(DateError),
    }
}

/// Optional time after a date: ` HH:MM[:SS[.fff]][ AM|PM][ zone]` or `THH:MM…`.
/// Zones (`Z`, `+08:00`, `-0500`, `UTC`, `GMT+8`) are accepted and dropped (see module doc).
fn time_of_day(c: &mut Cur) -> Result<u32, DateError> {
    if c.done() {
        return Ok(0);
    }
    if !(c.eat(b'T') || c.eat(b' ')) {
        return Err(DateError);
    }
    c.skip_spaces();
    if c.done() {
        return Ok(0);
    }
    let (h, _) = c.digits(2).ok_or(DateError)?;
    let h = h as u32;
    if !c.eat(b':') {
        return Err(DateError);
    }
    let (mi, _) = c.digits(2).ok_or(DateError)?;
    let (mi, mut s) = (mi as u32, 0u32);
    if c.eat(b':') {
        s = c.digits(2).ok_or(DateError)?.0 as u32;
        if c.eat(b'.') || c.eat(b',') {
            c.digits(9).ok_or(DateError)?;
        }
    }
    let mut h = h;
    c.skip_spaces();
    let rest = c.rest();
    if rest.len() >= 2 && (rest[..2].eq_ignore_ascii_case(b"AM") || rest[..2].eq_ignore_ascii_case(b"PM")) {
        let pm = rest[0].eq_ignore_ascii_case(&b'P');
        if h == 0 || h > 12 {
            return Err(DateError);
        }
        h = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
        c.i += 2;
        c.skip_spaces();
    }
    zone(c)?;
    if h > 23 || mi > 59 || s > 60 {
        return Err(DateError);
    }
    Ok(h * 3600 + mi * 60 + s.min(59))
}

fn zone(c: &mut Cur) -> Result<(), DateError> {
    if c.done() {
        return Ok(());
    }
    if c.eat(b'Z') {
        return if c.done() { Ok(()) } else { Err(DateError) };
    }
    let _ = c.eat_str("UTC") || c.eat_str("GMT");
    if c.done() {
        return Ok(());
    }
    if !(c.eat(b'+') || c.eat(b'-')) {
        return Err(DateError);
    }
    let (_, n) = c.digits(4).ok_or(DateError)?;
    if n == 2 && c.eat(b':') {
        c.digits(2).ok_or(DateError)?;
    }
    if c.done() {
        Ok(())
    } else {
        Err(DateError)
    }
}

const MONTHS: [(&str, u32); 30] = [
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German eBay (`10-Dez-25`), French and Spanish sites
    ("mär", 3),
    ("mrz", 3),
    ("mai", 5),
    ("okt", 10),
    ("dez", 12),
    ("janv", 1),
    ("févr", 2),
    ("avr", 4),
    ("juil", 7),
    ("déc", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("dic", 12),
    ("fév", 2),
    ("mars", 3),
    ("juin", 6),
    ("sept", 9),
];

/// A month name at the cursor: the letters up to a non-letter, matched on their first 3–4.
fn month_name(c: &mut Cur) -> Result<u32, DateError> {
    let start = c.i;
    while c.peek().is_some_and(|x| x.is_ascii_alphabetic() || x >= 0x80) {
        c.i += 1;
    }
    let word = std::str::from_utf8(&c.b[start..c.i]).map_err(|_| DateError)?;
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches('.');
    // Longest known prefix wins (`janv` before `jan`).
    MONTHS
        .iter()
        .filter(|(name, _)| lower.starts_with(name))
        .max_by_key(|(name, _)| name.len())
        .map(|&(_, m)| m)
        .ok_or(DateError)
}

/// `Jul-25-26` (eBay), `Mar 14, 2024`, `March 14 2024 10:00`.
fn month_name_first(t: &str) -> Result<ParsedTime, DateError> {
    let mut c = Cur { b: t.as_bytes(), i: 0 };
    let month = month_name(&mut c)?;
    if !(c.eat(b'-') || c.eat(b' ') || c.eat(b'/')) {
        return Err(DateError);
    }
    let (day, _) = c.digits(2).ok_or(DateError)?;
    let day = day as u32;
    c.eat(b',');
    if !(c.eat(b'-') || c.eat(b' ') || c.eat(b'/')) {
        return Err(DateError);
    }
    c.skip_spaces();
    let year = year_digits(&mut c)?;
    let secs = time_of_day(&mut c)?;
    exact(year, month, day, secs)?.ok_or(DateError)
}

/// Excel serial day numbers (`45384.3478`) left behind when a seller saved the export through
/// Excel. Day 0 is 1899-12-30 (Excel's 1900 leap-year bug makes that the right epoch after
/// February 1900). Only 1982…2064 (serials 30000–60000) are accepted, so an amount or a
/// quantity put in a date column is not mistaken for a date.
fn excel_serial(t: &str) -> Result<ParsedTime, DateError> {
    let v: f64 = t.parse().map_err(|_| DateError)?;
    if !(30_000.0..60_000.0).contains(&v) {
        return Err(DateError);
    }
    let days = v.floor() as i64;
    let secs = ((v - v.floor()) * SECS_PER_DAY as f64).round() as i64;
    const EXCEL_EPOCH_FROM_UNIX: i64 = -25_569;
    Ok(ParsedTime::Exact((days + EXCEL_EPOCH_FROM_UNIX) * SECS_PER_DAY + secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::civil_from_days;

    #[test]
    fn fixed_layouts_read_as_the_general_rules_read_them() {
        // Cells near the fixed layouts: every position drawn from digits, separators and a few
        // other bytes, from valid dates with one to three bytes changed, and of other lengths.
        let mut rng = crate::sample::Rng::new(7);
        let alphabet = b"0123456789-/: T.x+";
        let (mut fast, mut checked, mut same_day) = (0, 0, 0);
        // Read in turn by one `LastDay`, which must agree with `parse_time` whatever came before.
        let mut last_day = LastDay::default();
        let mut previous = String::new();
        for i in 0..300_000u64 {
            let ts = rng.below(END_PLAUSIBLE as u64 + 400 * SECS_PER_DAY as u64) as i64 - 200 * SECS_PER_DAY;
            let (y, m, d) = civil_from_days(ts.div_euclid(SECS_PER_DAY));
            let s = ts.rem_euclid(SECS_PER_DAY);
            let sep = if rng.below(2) == 0 { '-' } else { '/' };
            let mut cell = format!("{y:04}{sep}{m:02}{sep}{d:02} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
            let mut bytes = match i % 4 {
                0 if rng.below(2) == 0 => cell.into_bytes(),
                0 => format!("{cell} {}{:04}", *rng.pick(&['+', '-']), rng.below(10_000)).into_bytes(),
                1 => {
                    cell.truncate(10);
                    cell.into_bytes()
                }
                2 => (0..rng.below(21)).map(|_| *rng.pick(alphabet)).collect(),
                _ => (0..[10, 19][rng.below(2) as usize]).map(|_| *rng.pick(alphabet)).collect(),
            };
            if i % 4 < 2 {
                for _ in 0..rng.below(4) {
                    let at = rng.below(bytes.len() as u64) as usize;
                    bytes[at] = *rng.pick(alphabet);
                }
            }
            let mut text = String::from_utf8(bytes).expect("ASCII");
            // A third of the cells begin with the cell before's first ten bytes, as the rows of
            // one day do.
            if rng.below(3) == 0 && previous.len() >= 10 && text.len() >= 10 {
                text.replace_range(..10, &previous[..10]);
                same_day += 1;
            }
            let general = parse_time_general(&text);
            assert_eq!(last_day.parse_time(&text), general, "{text:?} after {previous:?}");
            if let Some(t) = fixed_layout(text.as_bytes()) {
                fast += 1;
                assert_eq!(Ok(Some(ParsedTime::Exact(t))), general, "{text:?}");
            }
            assert_eq!(parse_time(&text), general, "{text:?}");
            checked += 1;
            previous = text;
        }
        assert!(same_day > checked / 4, "{same_day} of {checked}");
        // Most valid cells take the fixed way; the test is not only comparing the general rules
        // with themselves.
        assert!(fast > checked / 8, "{fast} of {checked}");
    }

    fn ts(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> ParsedTime {
        ParsedTime::Exact(ymd_secs(y, m, d, h * 3600 + mi * 60 + s).unwrap())
    }

    fn p(s: &str) -> ParsedTime {
        parse_time(s).unwrap().unwrap()
    }

    #[test]
    fn year_first_forms() {
        assert_eq!(p("2010-12-01 08:26:00"), ts(2010, 12, 1, 8, 26, 0));
        assert_eq!(p("2022-01-11 04:32:31 -0500"), ts(2022, 1, 11, 4, 32, 31));
        assert_eq!(p("2025-09-20T09:15:00+00:00"), ts(2025, 9, 20, 9, 15, 0));
        assert_eq!(p("2017-06-17T08:04:21Z"), ts(2017, 6, 17, 8, 4, 21));
        assert_eq!(p("2024-03-14T10:00:00.123Z"), ts(2024, 3, 14, 10, 0, 0));
        assert_eq!(p("2020/2/21 0:00"), ts(2020, 2, 21, 0, 0, 0));
        assert_eq!(p("2020-02-21"), ts(2020, 2, 21, 0, 0, 0));
        assert_eq!(p("2020年2月1日 13:05"), ts(2020, 2, 1, 13, 5, 0));
        assert_eq!(p("20240314"), ts(2024, 3, 14, 0, 0, 0));
        assert_eq!(p("2024-03-14 10:00:00 UTC"), ts(2024, 3, 14, 10, 0, 0));
    }

    #[test]
    fn month_names() {
        assert_eq!(p("Jul-25-26"), ts(2026, 7, 25, 0, 0, 0));
        assert_eq!(p("10-Dez-25"), ts(2025, 12, 10, 0, 0, 0));
        assert_eq!(p("Mar 14, 2024"), ts(2024, 3, 14, 0, 0, 0));
        assert_eq!(p("01-Jan-2024 09:30"), ts(2024, 1, 1, 9, 30, 0));
    }

    #[test]
    fn ambiguous_slashes_resolve_by_column() {
        let t = p("03/04/24");
        assert_eq!(t, ParsedTime::Ambiguous { first: 3, second: 4, year: 2024, secs: 0, dotted: false });
        assert_eq!(resolve(t, DayOrder::MonthFirst), ymd_secs(2024, 3, 4, 0));
        assert_eq!(resolve(t, DayOrder::DayFirst), ymd_secs(2024, 4, 3, 0));
        let late = p("12/1/2010 8:26");
        assert_eq!(resolve(late, DayOrder::MonthFirst), ymd_secs(2010, 12, 1, 8 * 3600 + 26 * 60));
        assert_eq!(resolve(p("13/05/2024"), DayOrder::MonthFirst), None);

        let mut vote = DayOrderVote::default();
        vote.observe(p("3/4/2024"));
        assert_eq!(vote.decide(), DayOrder::MonthFirst);
        vote.observe(p("25/4/2024"));
        assert_eq!(vote.decide(), DayOrder::DayFirst);
        let mut dots = DayOrderVote::default();
        dots.observe(p("03.04.2024"));
        assert_eq!(dots.decide(), DayOrder::DayFirst);
    }

    #[test]
    fn am_pm() {
        assert_eq!(resolve(p("3/14/2024 1:05 PM"), DayOrder::MonthFirst), ymd_secs(2024, 3, 14, 13 * 3600 + 5 * 60));
        assert_eq!(resolve(p("3/14/2024 12:05 am"), DayOrder::MonthFirst), ymd_secs(2024, 3, 14, 5 * 60));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(p("45384"), ts(2024, 4, 2, 0, 0, 0));
        assert_eq!(p("45384.5"), ts(2024, 4, 2, 12, 0, 0));
        assert!(parse_time("12.5").is_err());
    }

    #[test]
    fn implausible_years_are_errors() {
        for bad in ["1899-12-31", "2101-01-01", "0001-01-01 00:00", "9999/12/31", "01/02/1960", "9999999999"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert_eq!(p("1700000000"), ParsedTime::Exact(1_700_000_000));
    }

    #[test]
    fn not_happened() {
        assert_eq!(parse_time("").unwrap(), None);
        assert_eq!(parse_time("0000-00-00 00:00:00").unwrap(), None);
    }

    #[test]
    fn impossible_dates_are_errors() {
        for bad in [
            "2020-02-30",
            "2020-13-01",
            "2020-01-01 25:00",
            "hello",
            "32/13/2020",
            "2020-01-01x",
            "Foo-12-24",
            "1/2",
            "2020-01-01 10:00 +",
            "99999999999999999",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
