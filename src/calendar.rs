//! The calendar: wall-clock timestamps, day numbers and `YYYY-MM-DD`, in integer arithmetic
//! (exact for any year, and no calendar library in the wasm). The importer makes timestamps from
//! date cells; the analysis counts days, months and cohorts with them.

/// Seconds since 1970-01-01T00:00 on the shop's wall clock.
pub type Timestamp = i64;

pub const SECS_PER_DAY: i64 = 86_400;

/// Wall-clock timestamp from a calendar date and seconds into the day; `None` for a date the
/// calendar does not have (February 30th).
pub fn ymd_secs(year: i32, month: u32, day: u32, secs: u32) -> Option<Timestamp> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year as i64, month) {
        return None;
    }
    Some(days_from_civil(year as i64, month, day) * SECS_PER_DAY + secs as i64)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`):
/// integer arithmetic, exact for any year, no calendar library in the wasm.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar day of a timestamp, counted from 1970-01-01.
pub fn day_number(ts: Timestamp) -> i64 {
    ts.div_euclid(SECS_PER_DAY)
}

/// Year, month (1–12) and day of a day number (the inverse of `days_from_civil`).
pub fn civil_from_days(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

/// Year and month (1–12) of a day number: cohorts call this for every order.
pub fn year_month_of_day(day: i64) -> (i64, u32) {
    let (y, m, _) = civil_from_days(day);
    (y, m)
}

/// A calendar day (days since 1970-01-01) that reads and serialises as `YYYY-MM-DD`: kept as a
/// number in per-customer lists, where a string per customer would cost an allocation each, and
/// in 32 bits (the campaigns' schedules of two million customers: 8 MB instead of 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

impl Day {
    /// The day `days` since 1970-01-01, held to what 32 bits hold (5.8 million years either way).
    pub fn of(days: i64) -> Day {
        Day(days.clamp(i32::MIN.into(), i32::MAX.into()) as i32)
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_day(i64::from(self.0), f)
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `YYYY-MM-DD` of a timestamp.
pub fn format_date(ts: Timestamp) -> String {
    let mut text = String::with_capacity(10);
    // Writing to a `String` cannot fail.
    let _ = write_day(day_number(ts), &mut text);
    text
}

/// `YYYY-MM-DD` of a day number, written where it goes: the exports write one or two a customer.
pub fn write_day(day: i64, out: &mut impl std::fmt::Write) -> std::fmt::Result {
    let (y, m, d) = civil_from_days(day);
    match u32::try_from(y) {
        Ok(y) if y <= 9999 => {
            // Digit by digit, without `core::fmt`'s machinery (slow in wasm).
            let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
            [
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                '-',
                digit(m / 10),
                digit(m),
                '-',
                digit(d / 10),
                digit(d),
            ]
            .into_iter()
            .try_for_each(|c| out.write_char(c))
        }
        _ => write!(out, "{y:04}-{m:02}-{d:02}"),
    }
}

/// Day number of a `YYYY-MM-DD` text (the CLI's `--as-of`, the page's date input).
pub fn parse_iso_day(text: &str) -> Option<i64> {
    let t = text.trim().as_bytes();
    if t.len() != 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| std::str::from_utf8(&t[r]).ok()?.parse::<u32>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    ymd_secs(y as i32, m, d, 0).map(day_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_reads_and_serialises_as_its_date() {
        assert_eq!(Day(19723).to_string(), "2024-01-01");
        assert_eq!(serde_json::to_string(&[Day(0), Day(19723)]).unwrap(), r#"["1970-01-01","2024-01-01"]"#);
    }

    #[test]
    fn a_day_number_is_held_to_32_bits() {
        assert_eq!(Day::of(19723), Day(19723));
        assert_eq!(Day::of(-1), Day(-1));
        assert_eq!(Day::of(i64::MAX), Day(i32::MAX));
        assert_eq!(Day::of(i64::MIN), Day(i32::MIN));
        assert_eq!(Day::of(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn civil_dates_round_trip_day_by_day() {
        // Walk the calendar one day at a time from 1899-12-31 to 2101-01-01, counting by hand.
        let (mut y, mut m, mut d) = (1899i64, 12u32, 31u32);
        for day in days_from_civil(1899, 12, 31)..=days_from_civil(2101, 1, 1) {
            assert_eq!(civil_from_days(day), (y, m, d), "day {day}");
            assert_eq!(days_from_civil(y, m, d), day);
            d += 1;
            if d > days_in_month(y, m) {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(ymd_secs(2024, 2, 29, 0).map(day_number), Some(19_782));
        assert_eq!(ymd_secs(2023, 2, 29, 0), None);
        assert_eq!(ymd_secs(1900, 2, 29, 0), None);
        assert_eq!(parse_iso_day("2024-13-01"), None);
        assert_eq!(parse_iso_day(" 2024-02-29 "), Some(19_782));
    }

    #[test]
    fn day_numbers_round_trip() {
        let t = ymd_secs(2011, 12, 9, 12 * 3600).unwrap();
        assert_eq!(format_date(t), "2011-12-09");
        assert_eq!(parse_iso_day("2011-12-09"), Some(day_number(t)));
        assert_eq!(day_number(ymd_secs(1970, 1, 1, 0).unwrap()), 0);
        assert_eq!(day_number(ymd_secs(1969, 12, 31, 3600).unwrap()), -1);
        assert_eq!([Day(19_782), Day(0), Day(-1)].map(|d| d.to_string()), ["2024-02-29", "1970-01-01", "1969-12-31"]);
        // Written digit by digit for years 0 to 9999, as `core::fmt` writes them, and by it past those.
        for day in (-800_000..3_000_000).step_by(997).chain([-719_528, -719_529, 2_932_896, 2_932_897]) {
            let (y, m, d) = civil_from_days(day.into());
            assert_eq!(Day(day).to_string(), format!("{y:04}-{m:02}-{d:02}"), "{day}");
        }
    }
}
