//! Cell cleanup and the typing of statuses and customer keys.
//!
//! Exports wrap values to keep Excel from mangling them: a leading tab or apostrophe
//! (Douyin/Pinduoduo ids, Shopify phones, Taobao 商家编码), an `="…"` formula wrapper, and
//! placeholders for "nothing" (`-`, `--`, `null`). All of that is stripped before a value is typed.

use crate::model::Status;

/// Strips Excel guards and placeholders; returns the value to type (possibly empty).
#[inline]
pub fn clean(raw: &str) -> &str {
    // Most cells have nothing to strip or blank: when neither end byte can begin or end one of
    // the things stripped or blanked, the cell is kept as it is after two table lookups, where
    // it is called (every mapped cell of every row).
    match raw.as_bytes() {
        [] => raw,
        [first, .., last] | [first @ last] if !MAY_START[*first as usize] && !MAY_END[*last as usize] => raw,
        _ => clean_general(raw),
    }
}

/// First bytes of what [`clean`] strips (white space, no-break space `C2 A0`, `="…"`, `'`) or
/// blanks (the placeholders, the encrypted markers of [`is_encrypted`]).
static MAY_START: [bool; 256] = {
    let mut may = byte_set(b" \t\r\n\xC2='#$*");
    let mut i = 0;
    while i < PLACEHOLDERS.len() {
        may[PLACEHOLDERS[i].as_bytes()[0] as usize] = true;
        i += 1;
    }
    may
};

/// Last bytes of what [`clean`] strips (white space, no-break space) or blanks (`…密文`).
static MAY_END: [bool; 256] = byte_set(&[b' ', b'\t', b'\r', b'\n', 0xA0, ENCRYPTED_LAST]);

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

#[inline(never)]
fn clean_general(raw: &str) -> &str {
    let mut s = raw.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\u{a0}');
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        s = inner.trim();
    }
    if let Some(rest) = s.strip_prefix('\'') {
        s = rest.trim_start();
    }
    if is_placeholder(s) {
        ""
    } else {
        s
    }
}

/// What exports write for "nothing": all of at most 6 bytes, starting with `-`, `n`, `N` or `#`.
const PLACEHOLDERS: [&str; 15] =
    ["-", "--", "---", "null", "NULL", "Null", "None", "none", "N/A", "n/a", "NA", "#N/A", "#NULL!", "nan", "NaN"];

fn is_placeholder(s: &str) -> bool {
    // Checked on the cells `clean` does not keep at once: the length and first-byte tests keep
    // ordinary values (money, dates, names) from comparing bytes with every placeholder of their
    // length, which in wasm is a `memcmp` call each.
    (s.len() <= 6 && matches!(s.as_bytes().first(), Some(b'-' | b'n' | b'N' | b'#')) && PLACEHOLDERS.contains(&s))
        || is_encrypted(s)
}

/// The last byte of `密文` in UTF-8: cells ending otherwise need no comparison.
const ENCRYPTED_LAST: u8 = "密文".as_bytes()["密文".len() - 1];

/// Douyin and Pinduoduo replace buyer data with markers such as `##密文` / `$$密文` / `***`.
fn is_encrypted(s: &str) -> bool {
    match s.as_bytes().first() {
        // Shopify's order names start with `#` too: ASCII cannot hold the marker.
        Some(b'#' | b'$') => !s.is_ascii() && s.contains("密文"),
        Some(b'*') => s.bytes().all(|b| b == b'*'),
        Some(_) => s.as_bytes().last() == Some(&ENCRYPTED_LAST) && s.ends_with("密文"),
        None => false,
    }
}

/// Whether [`customer_key`] gives back a cleaned cell as it is, as it does for the usual keys
/// (ids and names without spaces, lower-case emails, phone numbers written as digits): then the
/// cell's own bytes can be looked up before its row is read ([`crate::ingest::records::Records::ahead`]).
pub fn key_as_is(kind: crate::ingest::columns::Role, cleaned: &str) -> bool {
    use crate::ingest::columns::Role;
    match kind {
        Role::Email => cleaned.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase() && !b.is_ascii_whitespace()),
        Role::Phone => cleaned.bytes().all(|b| b.is_ascii_digit()),
        // Printable ASCII (the usual account id) has no white space: one pass over its bytes
        // answers, where a search for white space reads it by characters.
        _ => cleaned.bytes().all(|b| b.is_ascii_graphic()) || !cleaned.contains(char::is_whitespace),
    }
}

/// Customer key normalisation per key kind, so that the same buyer gets the same key.
/// Email: case-insensitive. Phone: digits only (a leading country code is kept as digits).
/// Account ids and names: inner whitespace collapsed. Returns `value` itself when it is its own
/// key, as the usual buyer account or name is, else the key as written into `out`.
#[inline]
pub fn customer_key<'a>(kind: crate::ingest::columns::Role, value: &'a str, out: &'a mut String) -> &'a str {
    use crate::ingest::columns::Role;
    // The usual buyer account or name (one per row) is printable ASCII: nothing to trim or
    // collapse, which one pass over its bytes shows, where trimming and searching for white
    // space read it by characters (cachegrind: 1.3 % of the 10 MB Taobao-style file's import).
    // Emails have a path of their own below, which the same pass made slower.
    if matches!(kind, Role::CustomerId | Role::Name) && value.bytes().all(|b| b.is_ascii_graphic()) {
        return value;
    }
    any_customer_key(kind, value, out)
}

/// [`customer_key`] of any cell: `value` or a part of it when that is the key, else `out`.
#[inline(never)]
fn any_customer_key<'a>(kind: crate::ingest::columns::Role, value: &'a str, out: &'a mut String) -> &'a str {
    use crate::ingest::columns::Role;
    out.clear();
    // Other ASCII emails, ids and names without inner spaces are their own keys, once trimmed
    // (and lower-cased).
    let trimmed = value.trim();
    match kind {
        Role::Email if trimmed.is_ascii() => {
            if !trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
                return trimmed;
            }
            out.push_str(trimmed);
            out.make_ascii_lowercase();
            return out;
        }
        Role::Email | Role::Phone => {}
        _ if !trimmed.contains(char::is_whitespace) => return trimmed,
        _ => {}
    }
    match kind {
        Role::Email => {
            for c in trimmed.chars() {
                out.extend(c.to_lowercase());
            }
        }
        Role::Phone => out.extend(value.chars().filter(|c| c.is_ascii_digit())),
        _ => {
            let mut space = false;
            for c in trimmed.chars() {
                if c.is_whitespace() {
                    space = true;
                    continue;
                }
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    out
}

/// Reads a status cell in any of the platforms' words. `None` when the words are not known: the
/// importer then treats the order as completed and lists the value in the import report.
pub fn parse_status(value: &str) -> Option<Status> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if !v.is_ascii() {
        return chinese_status(v);
    }
    // Lower-case with `-` and spaces as `_`, in a stack buffer: this runs for every row.
    let mut buf = [0u8; 24];
    if v.len() > buf.len() {
        return None;
    }
    for (d, b) in buf.iter_mut().zip(v.bytes()) {
        *d = match b {
            b'-' | b' ' => b'_',
            b => b.to_ascii_lowercase(),
        };
    }
    let s = match &buf[..v.len()] {
        b"paid" | b"authorized" | b"processing" | b"partially_paid" | b"payment_received" | b"unshipped" => {
            Status::Paid
        }
        b"shipped" | b"shipping" | b"fulfilled" | b"in_transit" | b"dispatched" | b"sent" => Status::Shipped,
        b"completed" | b"complete" | b"delivered" | b"success" | b"succeeded" | b"finished" | b"done" => {
            Status::Completed
        }
        b"partially_refunded" | b"partial_refund" | b"partly_refunded" => Status::PartiallyRefunded,
        b"refunded" | b"fully_refunded" | b"returned" => Status::Refunded,
        b"pending" | b"pending_payment" | b"unpaid" | b"awaiting_payment" | b"on_hold" | b"not_paid" | b"waiting" => {
            Status::Unpaid
        }
        b"cancelled" | b"canceled" | b"cancel" => Status::Cancelled,
        b"closed" => Status::Closed,
        b"voided" | b"void" | b"failed" | b"declined" | b"expired" => Status::Voided,
        _ => return None,
    };
    Some(s)
}

fn chinese_status(v: &str) -> Option<Status> {
    // The exact words of Taobao/Tmall/JD/PDD/Douyin first: most rows say one of these.
    let exact = match v {
        "交易成功" | "已完成" | "完成" | "已签收" => Some(Status::Completed),
        "交易关闭" | "已关闭" => Some(Status::Closed),
        "等待买家付款" | "待付款" => Some(Status::Unpaid),
        "买家已付款，等待卖家发货" | "待发货" | "已付款" => Some(Status::Paid),
        "卖家已发货，等待买家确认" | "已发货" | "已发货，待签收" | "等待确认收货" => {
            Some(Status::Shipped)
        }
        "已取消" => Some(Status::Cancelled),
        "退款成功" => Some(Status::Refunded),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    let has = |w: &str| v.contains(w);
    let s = if has("部分退款") {
        Status::PartiallyRefunded
    } else if has("退款成功") || has("已退款") || has("全额退款") || has("退货退款") {
        Status::Refunded
    } else if has("关闭") {
        Status::Closed
    } else if has("取消") || has("锁定") || has("作废") {
        Status::Cancelled
    } else if has("等待买家付款") || has("待付款") || has("未付款") || has("待支付") || has("未支付")
    {
        Status::Unpaid
    } else if has("交易成功") || has("已完成") || has("完成") || has("已签收") || has("已收货") {
        Status::Completed
    } else if has("已发货") || has("待签收") || has("确认收货") || has("待收货") || has("运输中") {
        Status::Shipped
    } else if has("已付款") || has("待发货") || has("已支付") || has("出库") || has("未发货") || has("已成团")
    {
        Status::Paid
    } else {
        return None;
    };
    Some(s)
}

/// What an after-sale (售后) cell says about the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterSale {
    None,
    Refunded,
    /// A request in progress or rejected: the sale stands.
    Other,
}

pub fn parse_after_sale(value: &str) -> AfterSale {
    let v = value.trim();
    if v.is_empty() || v.contains("无售后") || v == "无" || v.eq_ignore_ascii_case("none") {
        AfterSale::None
    } else if v.contains("退款成功")
        || v.contains("已退款")
        || v.contains("退货退款成功")
        || v.eq_ignore_ascii_case("refunded")
    {
        AfterSale::Refunded
    } else {
        AfterSale::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::columns::Role;

    #[test]
    fn clean_takes_the_short_way_only_where_it_agrees() {
        // Cells assembled from pieces that strip, guard or look like placeholders, and plain text.
        let pieces = [
            " ", "\t", "\r", "\n", "\u{a0}", "=\"", "\"", "'", "-", "--", "null", "N/A", "#N/A", "##密文", "***", "$$",
            "a", "12.5", "浙江", "订单", "\u{3000}", "x", "0", "é", "=", "NaN", "密文",
        ];
        let mut rng = crate::sample::Rng::new(11);
        for _ in 0..200_000 {
            let cell: String = (0..rng.below(5)).map(|_| *rng.pick(&pieces)).collect();
            assert_eq!(clean(&cell), clean_general(&cell), "{cell:?}");
        }
    }

    #[test]
    fn every_placeholder_passes_the_quick_tests() {
        for p in PLACEHOLDERS {
            assert_eq!(clean(p), "", "{p}");
            assert_eq!(clean(&format!(" {p}\t")), "", "{p}");
        }
        assert_eq!(clean("0.00"), "0.00");
        assert_eq!(clean("nano"), "nano");
        assert_eq!(clean("绿茶密文"), "");
        assert_eq!(clean("密文本"), "密文本");
    }

    #[test]
    fn cleans_excel_guards() {
        assert_eq!(clean("\t6917926768823643751"), "6917926768823643751");
        assert_eq!(clean("'+46 70 123"), "+46 70 123");
        assert_eq!(clean("'4902888206672\r"), "4902888206672");
        assert_eq!(clean("=\"00123\""), "00123");
        assert_eq!(clean(" -- "), "");
        assert_eq!(clean("#NULL!"), "");
        assert_eq!(clean("##密文"), "");
        assert_eq!(clean("***"), "");
        assert_eq!(clean("17850.0"), "17850.0");
        assert_eq!(clean("-3.00"), "-3.00");
    }

    #[test]
    fn statuses() {
        let cases = [
            ("交易成功", Status::Completed),
            ("交易关闭", Status::Closed),
            ("等待买家付款", Status::Unpaid),
            ("买家已付款，等待卖家发货", Status::Paid),
            ("卖家已发货，等待买家确认", Status::Shipped),
            ("已发货，待签收", Status::Shipped),
            ("已签收", Status::Completed),
            ("已取消", Status::Cancelled),
            ("退款成功", Status::Refunded),
            ("(删除)锁定", Status::Cancelled),
            ("paid", Status::Paid),
            ("PAID", Status::Paid),
            ("refunded", Status::Refunded),
            ("partially_refunded", Status::PartiallyRefunded),
            ("voided", Status::Voided),
            ("pending", Status::Unpaid),
            ("Completed", Status::Completed),
            ("cancelled", Status::Cancelled),
            ("on-hold", Status::Unpaid),
            ("Shipped", Status::Shipped),
        ];
        for (text, want) in cases {
            assert_eq!(parse_status(text), Some(want), "{text}");
        }
        assert_eq!(parse_status("weird"), None);
        assert_eq!(parse_status(""), None);
    }

    /// A cell read as its own key is one that normalising leaves unchanged.
    #[test]
    fn keys_as_is_are_their_own_keys() {
        let cells = [
            "c1517",
            "buyer_0000028",
            "小王88",
            "tb buyer",
            "customer0001@example.com",
            "Customer0001@example.com",
            "a b@x.com",
            "élise@example.com",
            "13800001111",
            "+86 138-0000-1111",
            "138 0000",
            "张\u{3000}三",
            "",
        ];
        let mut key = String::new();
        let mut as_is = 0;
        for role in [Role::CustomerId, Role::Email, Role::Phone, Role::Name] {
            for cell in cells {
                let got = customer_key(role, cell, &mut key);
                if key_as_is(role, cell) {
                    as_is += 1;
                    assert_eq!(got, cell, "{role:?} {cell:?}");
                }
            }
        }
        assert!(as_is > 12, "{as_is}");
    }

    #[test]
    fn printable_ascii_keys_are_what_any_key_gives() {
        let mut rng = crate::sample::Rng::new(11);
        let alphabet = [
            "a", "Z", "0", "@", ".", "-", " ", "\t", "\u{b}", "\u{c}", "\u{1}", "\u{7f}", "é", "张", "\u{3000}",
            "\u{a0}",
        ];
        let (mut fast, mut any) = (String::new(), String::new());
        for _ in 0..5_000 {
            let value: String = (0..rng.below(8)).map(|_| *rng.pick(&alphabet)).collect();
            for role in [Role::CustomerId, Role::Email, Role::Phone, Role::Name] {
                assert_eq!(
                    customer_key(role, &value, &mut fast),
                    any_customer_key(role, &value, &mut any),
                    "{role:?} {value:?}"
                );
            }
        }
    }

    #[test]
    fn customer_keys() {
        let mut k = String::new();
        let cases = [
            (Role::Email, " Customer0001@Example.com ", "customer0001@example.com"),
            (Role::Phone, "+86 138-0000-1111", "8613800001111"),
            (Role::CustomerId, " tb  buyer ", "tb buyer"),
            // The fast paths and the general ones agree.
            (Role::Email, "\tÉlise.Ö@Example.COM", "élise.ö@example.com"),
            (Role::Name, " 张\u{3000}三 ", "张 三"),
            (Role::CustomerId, " 小王88 ", "小王88"),
            (Role::CustomerId, "tb_buyer-88", "tb_buyer-88"),
        ];
        for (role, cell, key) in cases {
            assert_eq!(customer_key(role, cell, &mut k), key, "{role:?} {cell:?}");
        }
    }

    #[test]
    fn after_sale() {
        assert_eq!(parse_after_sale("退款成功"), AfterSale::Refunded);
        assert_eq!(parse_after_sale("无售后"), AfterSale::None);
        assert_eq!(parse_after_sale("售后处理中"), AfterSale::Other);
    }
}
