//! Exact money: fixed-point integers in ten-thousandths of the file's currency unit.
//!
//! Totals over half a million orders must not drift, so amounts are never floats inside the core.
//! Four decimal places hold every price we have seen (UCI unit prices have three) and leave room
//! for `quantity × price` products, rounded half away from zero to the fourth place.

use serde::{Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

/// Number of fixed-point units in one currency unit.
pub const SCALE: i64 = 10_000;
const SCALE_DIGITS: u32 = 4;

/// An exact amount of money in ten-thousandths of the currency unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// Whole currency units, for tests and fixtures.
    pub const fn units(n: i64) -> Money {
        Money(n * SCALE)
    }

    /// The amount in whole cents, if it is whole cents and fits in 32 bits: ±21 million units,
    /// which holds almost every order of a two-decimal currency in four bytes, not eight.
    #[inline]
    pub fn cents(self) -> Option<i32> {
        const PER_CENT: i64 = SCALE / 100;
        let cents = self.0 / PER_CENT;
        i32::try_from(cents).ok().filter(|_| cents * PER_CENT == self.0)
    }

    /// [`Money::cents`] back.
    #[inline]
    pub fn from_cents(cents: i32) -> Money {
        Money(i64::from(cents) * (SCALE / 100))
    }

    /// The amount as a float, only for presentation (JSON numbers, charts).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / SCALE as f64
    }

    /// `quantity × unit price`, both fixed-point, rounded half away from zero.
    ///
    /// In 64 bits when both fit in 32 (prices below 214,748.3648, as many items), as on every
    /// line seen: a line-item export multiplies on every row, and in wasm 128-bit arithmetic is
    /// calls, its division a long one (4 % of Node's read of the 100 MB Shopify-style file).
    #[inline]
    pub fn times(self, quantity: Money) -> Money {
        match (i32::try_from(self.0), i32::try_from(quantity.0)) {
            (Ok(a), Ok(b)) => {
                // At most 2^62 in size: the half added or taken away cannot overflow.
                let product = i64::from(a) * i64::from(b);
                let half = SCALE / 2;
                Money(if product >= 0 { product + half } else { product - half } / SCALE)
            }
            _ => self.times_wide(quantity),
        }
    }

    /// [`Money::times`] for any amounts, in 128 bits; clamped to the range of `Money`.
    #[cold]
    #[inline(never)]
    fn times_wide(self, quantity: Money) -> Money {
        let product = self.0 as i128 * quantity.0 as i128;
        let half = SCALE as i128 / 2;
        let rounded = if product >= 0 { (product + half) / SCALE as i128 } else { (product - half) / SCALE as i128 };
        Money(rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn abs(self) -> Money {
        Money(self.0.saturating_abs())
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 = self.0.saturating_add(rhs.0);
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 = self.0.saturating_sub(rhs.0);
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

/// Exact decimal text, trailing zeros trimmed: `1234.5`, `-0.0035`, `12`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

impl Money {
    /// Writes the [`Display`](fmt::Display) text to `out`, without `core::fmt`'s machinery: the
    /// exports write four amounts a customer.
    pub fn write(self, out: &mut impl fmt::Write) -> fmt::Result {
        if self.0 < 0 {
            out.write_char('-')?;
        }
        let abs = self.0.unsigned_abs();
        out.write_str(itoa::Buffer::new().format(abs / SCALE as u64))?;
        let frac = abs % SCALE as u64;
        if frac == 0 {
            return Ok(());
        }
        // The fraction's digits with its leading zeros, without its trailing ones.
        let mut digits = [b'0'; SCALE_DIGITS as usize];
        let mut rest = frac;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let mut len = digits.len();
        while digits[len - 1] == b'0' {
            len -= 1;
        }
        out.write_char('.')?;
        digits[..len].iter().try_for_each(|&d| out.write_char(char::from(d)))
    }
}

/// Serialised as a JSON number in currency units. The value printed is the exact decimal
/// (`65074.74`), because `f64`'s shortest round-trip form of a four-decimal value is that decimal.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.to_f64())
    }
}

/// How a column writes its decimal point; decided from the file, not per cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DecimalMark {
    /// `1,234.56` — the default everywhere but continental-European exports.
    #[default]
    Point,
    /// `1.234,56` — eBay/Etsy exports from European sites, files delimited with `;`.
    Comma,
}

/// Why a money cell could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoneyError;

/// Parses a money cell: currency symbols and codes (`¥ ￥ $ € £ 元 USD RMB`…), thousands separators,
/// spaces, a sign or accounting parentheses for negatives, and `mark` as the decimal separator.
/// A lone comma followed by one or two digits is read as a decimal comma even in point files
/// (`116,99 €`), because no thousands group has fewer than three digits.
/// Returns `Ok(None)` for an empty cell.
#[inline]
pub fn parse_money(text: &str, mark: DecimalMark) -> Result<Option<Money>, MoneyError> {
    // Columns a file does not have are read as empty cells, several on every row: answered
    // where the call is, without a call (the `customer,date,amount` file made four a row).
    if text.is_empty() {
        return Ok(None);
    }
    parse_filled_money(text, mark)
}

/// [`parse_money`] of a cell that is not empty.
#[inline(never)]
fn parse_filled_money(text: &str, mark: DecimalMark) -> Result<Option<Money>, MoneyError> {
    match plain_decimal(text.as_bytes(), mark) {
        Some(m) => Ok(Some(m)),
        None => parse_money_general(text, mark),
    }
}

/// The shape nearly every amount and quantity cell has, `2`, `-5` or `118.00` (in a point file),
/// read without the general rules, which give it the same value: a few money cells on every row
/// made them a sixth of an import's instructions.
fn plain_decimal(bytes: &[u8], mark: DecimalMark) -> Option<Money> {
    let (negative, digits) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    // 14 characters keep the integer part below 10^14, so its units stay below 10^18.
    if digits.len() > 14 {
        return None;
    }
    let (mut units, mut seen_digit, mut frac_digits) = (0i64, false, None::<u32>);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                if let Some(n) = frac_digits.as_mut() {
                    if *n == SCALE_DIGITS {
                        return None; // rounding: the general rules
                    }
                    *n += 1;
                }
                units = units * 10 + (b - b'0') as i64;
                seen_digit = true;
            }
            b'.' if frac_digits.is_none() && mark == DecimalMark::Point => frac_digits = Some(0),
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    // 10^(SCALE_DIGITS - fraction digits), looked up: `pow` is a loop in the row's way.
    const SHIFT: [i64; SCALE_DIGITS as usize + 1] = [10_000, 1_000, 100, 10, 1];
    const _: () = assert!(SHIFT[0] == SCALE, "SHIFT holds the powers of ten below SCALE");
    let units = units * SHIFT[frac_digits.unwrap_or(0) as usize];
    Some(Money(if negative { -units } else { units }))
}

fn parse_money_general(text: &str, mark: DecimalMark) -> Result<Option<Money>, MoneyError> {
    let mut negative = false;
    let mut seen_digit = false;
    let mut int_part: i64 = 0;
    let mut frac: i64 = 0;
    let mut frac_digits: u32 = 0;
    let mut round_up = false;
    let mut in_frac = false;
    let mut open_paren = false;
    let mut closed_paren = false;
    let bytes = text.as_bytes();

    // Decide which separator is decimal for this cell.
    let last_point = text.rfind('.');
    let last_comma = text.rfind(',');
    let decimal = match (last_point, last_comma) {
        (Some(p), Some(c)) => {
            if p > c {
                b'.'
            } else {
                b','
            }
        }
        (Some(_), None) => match mark {
            DecimalMark::Point => b'.',
            // `1.234` in a comma file is a thousands group unless more than one point is
            // impossible; a single point with exactly three digits after it stays a group.
            DecimalMark::Comma => {
                if text.matches('.').count() == 1 && digits_after(text, '.') != 3 {
                    b'.'
                } else {
                    b'\0'
                }
            }
        },
        (None, Some(_)) => match mark {
            DecimalMark::Comma => b',',
            DecimalMark::Point => {
                if text.matches(',').count() == 1 && digits_after(text, ',') != 3 {
                    b','
                } else {
                    b'\0'
                }
            }
        },
        (None, None) => b'\0',
    };

    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                if closed_paren {
                    return Err(MoneyError);
                }
                seen_digit = true;
                let d = (b - b'0') as i64;
                if in_frac {
                    if frac_digits < SCALE_DIGITS {
                        frac = frac * 10 + d;
                        frac_digits += 1;
                    } else if frac_digits == SCALE_DIGITS {
                        round_up = d >= 5;
                        frac_digits += 1;
                    }
                } else {
                    int_part = int_part.checked_mul(10).and_then(|v| v.checked_add(d)).ok_or(MoneyError)?;
                }
            }
            _ if b == decimal => {
                if in_frac {
                    return Err(MoneyError);
                }
                in_frac = true;
            }
            b',' | b'.' | b'\'' | b'_' => {
                // Thousands separators only between digits of the integer part.
                if in_frac || !seen_digit {
                    return Err(MoneyError);
                }
            }
            b'-' => {
                if seen_digit || negative {
                    // `12.50-` (trailing minus, some accounting exports)
                    if seen_digit && i + 1 == bytes.len() && !negative {
                        negative = true;
                    } else {
                        return Err(MoneyError);
                    }
                } else {
                    negative = true;
                }
            }
            b'+' => {
                if seen_digit {
                    return Err(MoneyError);
                }
            }
            b'(' => {
                if seen_digit || open_paren {
                    return Err(MoneyError);
                }
                open_paren = true;
            }
            b')' => {
                if !open_paren || closed_paren {
                    return Err(MoneyError);
                }
                closed_paren = true;
            }
            b' ' | b'\t' | b'$' => {}
            _ if b.is_ascii_alphabetic() => {
                // Currency codes such as `USD`, `RMB`, `CNY`, `EUR`, `HK$`: letters only around the number.
                if seen_digit && !is_currency_suffix(&text[i..]) {
                    return Err(MoneyError);
                }
            }
            _ if b >= 0x80 => {
                // Non-ASCII: only currency signs and the no-break space (checked on the char below).
            }
            _ => return Err(MoneyError),
        }
    }
    if open_paren != closed_paren {
        return Err(MoneyError);
    }
    // Every non-ASCII char must be a known currency sign or space.
    if !text.is_ascii() && !text.chars().filter(|c| !c.is_ascii()).all(is_currency_char) {
        return Err(MoneyError);
    }
    if !seen_digit {
        return if text.trim().is_empty() { Ok(None) } else { Err(MoneyError) };
    }
    while frac_digits < SCALE_DIGITS {
        frac *= 10;
        frac_digits += 1;
    }
    let mut units = int_part.checked_mul(SCALE).and_then(|v| v.checked_add(frac)).ok_or(MoneyError)?;
    if round_up {
        units = units.checked_add(1).ok_or(MoneyError)?;
    }
    if negative || open_paren {
        units = -units;
    }
    Ok(Some(Money(units)))
}

fn digits_after(text: &str, sep: char) -> usize {
    match text.rfind(sep) {
        Some(i) => text[i + 1..].bytes().take_while(|b| b.is_ascii_digit()).count(),
        None => 0,
    }
}

fn is_currency_suffix(rest: &str) -> bool {
    rest.bytes().all(|b| b.is_ascii_alphabetic() || b == b' ' || b == b'$' || b == b'.')
}

fn is_currency_char(c: char) -> bool {
    matches!(c, '¥' | '￥' | '€' | '£' | '元' | '₩' | '₹' | '₫' | '฿' | '₱' | '\u{a0}' | '\u{202f}' | '　')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-decimal shortcut gives what the general rules give, on random cells made of
    /// digits, signs, separators and spaces, in both kinds of file.
    #[test]
    fn the_shortcut_agrees_with_the_general_rules() {
        let alphabet = b"0123456789.-,. 9+(";
        let mut rng = crate::sample::Rng::new(5);
        let mut shortcuts = 0;
        for _ in 0..100_000 {
            let len = rng.below(20) as usize;
            let text: String = (0..len).map(|_| *rng.pick(alphabet) as char).collect();
            for mark in [DecimalMark::Point, DecimalMark::Comma] {
                if let Some(m) = plain_decimal(text.as_bytes(), mark) {
                    assert_eq!(Ok(Some(m)), parse_money_general(&text, mark), "{text:?} {mark:?}");
                    shortcuts += 1;
                }
            }
        }
        assert!(shortcuts > 1_000, "{shortcuts} cells took the shortcut");
        for text in ["0", "-5", "118.00", "5.", ".5", "-.5", "007", "12345678901234", "1.2345"] {
            let fast = plain_decimal(text.as_bytes(), DecimalMark::Point);
            assert!(fast.is_some(), "{text} takes the shortcut");
            assert_eq!(Ok(fast), parse_money_general(text, DecimalMark::Point), "{text}");
        }
    }

    fn p(s: &str) -> Option<Money> {
        parse_money(s, DecimalMark::Point).unwrap()
    }

    #[test]
    fn plain_and_symbols() {
        assert_eq!(p("178.8"), Some(Money(1_788_000)));
        assert_eq!(p("0.0"), Some(Money::ZERO));
        assert_eq!(p("$1,433.66"), Some(Money(14_336_600)));
        assert_eq!(p("¥ 59.90"), Some(Money(599_000)));
        assert_eq!(p("￥1,299"), Some(Money::units(1299)));
        assert_eq!(p("119.80元"), Some(Money(1_198_000)));
        assert_eq!(p("USD 12.5"), Some(Money(125_000)));
        assert_eq!(p("12.5 USD"), Some(Money(125_000)));
        assert_eq!(p(""), None);
        assert_eq!(p("  "), None);
    }

    #[test]
    fn negatives() {
        assert_eq!(p("-3.00"), Some(Money(-30_000)));
        assert_eq!(p("(45.10)"), Some(Money(-451_000)));
        assert_eq!(p("12.50-"), Some(Money(-125_000)));
        assert_eq!(p("$-1.5"), Some(Money(-15_000)));
    }

    #[test]
    fn decimal_comma() {
        assert_eq!(p("116,99 €"), Some(Money(1_169_900)));
        assert_eq!(p("1.234,56"), Some(Money(12_345_600)));
        let c = |s| parse_money(s, DecimalMark::Comma).unwrap();
        assert_eq!(c("1.234"), Some(Money::units(1234)));
        assert_eq!(c("1234,5"), Some(Money(12_345_000)));
        assert_eq!(c("1.5"), Some(Money(15_000)));
        // A single comma with three digits after it is a thousands group in point files.
        assert_eq!(p("1,234"), Some(Money::units(1234)));
    }

    #[test]
    fn rounding_past_four_places() {
        assert_eq!(p("0.00005"), Some(Money(1)));
        assert_eq!(p("0.00004"), Some(Money(0)));
        assert_eq!(p("-0.00005"), Some(Money(-1)));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["abc", "12abc34", "1.2.3", "--5", "(5", "5)", "1e5x", "#NULL", "12:30", "2020-01-01"] {
            assert!(parse_money(bad, DecimalMark::Point).is_err(), "{bad}");
        }
        assert!(parse_money("99999999999999999999", DecimalMark::Point).is_err());
    }

    #[test]
    fn times_and_display() {
        let price = p("2.55").unwrap();
        let qty = Money::units(6);
        assert_eq!(price.times(qty), p("15.3").unwrap());
        assert_eq!(p("0.125").unwrap().times(p("0.5").unwrap()), Money(625));
        // Rounded half away from zero, in 64 and in 128 bits alike.
        for (a, b) in [(5, 1_000), (-5, 1_000), (15, 1_000), (-15, 1_000), (4, 1_000), (-4, 1_000)] {
            let want = (a * b) as f64 / SCALE as f64;
            assert_eq!(Money(a).times(Money(b)).0 as f64, want.round(), "{a} × {b}");
            assert_eq!(Money(a).times_wide(Money(b)), Money(a).times(Money(b)));
        }
        let mut rng = crate::sample::Rng::new(11);
        for _ in 0..10_000 {
            let draw = |rng: &mut crate::sample::Rng| ((rng.unit() - 0.5) * 2.0 * f64::from(1u32 << 31)) as i64;
            let (a, b) = (Money(draw(&mut rng)), Money(draw(&mut rng)));
            assert_eq!(a.times(b), a.times_wide(b), "{a:?} × {b:?}");
        }
        // Past 32 bits, and past what `Money` holds (clamped).
        assert_eq!(Money::units(1_000_000).times(Money::units(3)), Money::units(3_000_000));
        assert_eq!(Money(i64::MAX).times(Money::units(2)), Money(i64::MAX));
        assert_eq!(Money(i64::MIN).times(Money::units(2)), Money(i64::MIN));
        assert_eq!(Money(12_345_600).to_string(), "1234.56");
        assert_eq!(Money(-35).to_string(), "-0.0035");
        assert_eq!(Money::units(7).to_string(), "7");
        let shown = [10_100, -123_450, 5_000, 1, -10_000_000, 9_990].map(|m| Money(m).to_string());
        assert_eq!(shown, ["1.01", "-12.345", "0.5", "0.0001", "-1000", "0.999"]);
        assert_eq!(Money(i64::MIN).to_string(), "-922337203685477.5808");
    }
}
