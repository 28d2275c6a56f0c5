//! Which encoding a file is in, and reading it as UTF-8.
//!
//! Record structure is found on the bytes of UTF-8 text, which never puts `,` `;` `"` tab CR or
//! LF inside a multi-byte character. GB18030 (GBK) and UTF-16 files are transcoded to UTF-8 in a
//! streaming pass before parsing ([`transcoder`]); a UTF-8 file's cell that is not UTF-8 is
//! decoded on its own ([`decode_cell`]).

use crate::text_codec::{decode_gb18030_into, Transcoder};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16le,
    Utf16be,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16le => "utf-16le",
            Encoding::Utf16be => "utf-16be",
        }
    }

    /// Length of the byte-order mark this encoding was detected by.
    pub fn bom_len(self) -> usize {
        match self {
            Encoding::Utf8Bom => 3,
            Encoding::Utf16le | Encoding::Utf16be => 2,
            _ => 0,
        }
    }
}

/// What the first bytes say about a file that is not text at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotText {
    /// `PK\x03\x04`: an .xlsx (or any zip) renamed or chosen by mistake.
    Zip,
    /// The OLE2 signature of Excel 97–2003 `.xls`.
    LegacyExcel,
    Pdf,
    Gzip,
    /// NUL bytes or other control bytes that no text export contains.
    Binary,
}

/// Detects the encoding from the start of a file (`at_eof` when `head` is the whole file).
pub fn detect(head: &[u8], at_eof: bool) -> Result<Encoding, NotText> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Encoding::Utf8Bom);
    }
    if head.starts_with(b"\xFF\xFE") {
        return Ok(Encoding::Utf16le);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Ok(Encoding::Utf16be);
    }
    if head.starts_with(b"PK\x03\x04") {
        return Err(NotText::Zip);
    }
    if head.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(NotText::LegacyExcel);
    }
    if head.starts_with(b"%PDF") {
        return Err(NotText::Pdf);
    }
    if head.starts_with(b"\x1F\x8B") {
        return Err(NotText::Gzip);
    }
    // UTF-16 without a BOM: text in which every other byte is NUL.
    let sample = &head[..head.len().min(4096)];
    let nul_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let nul_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    if half >= 8 && nul_odd * 10 >= half * 8 && nul_even * 10 <= half {
        return Ok(Encoding::Utf16le);
    }
    if half >= 8 && nul_even * 10 >= half * 8 && nul_odd * 10 <= half {
        return Ok(Encoding::Utf16be);
    }
    let control = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    if control > 0 && control * 100 >= sample.len().max(1) {
        return Err(NotText::Binary);
    }
    // GBK text almost never forms valid multi-byte UTF-8 by accident, so a window with more valid
    // UTF-8 characters than invalid spots is UTF-8 with a few foreign cells (decoded per cell).
    let (valid, invalid) = utf8_evidence(head, at_eof);
    if invalid == 0 || valid > invalid {
        Ok(Encoding::Utf8)
    } else {
        Ok(Encoding::Gb18030)
    }
}

/// Counts valid multi-byte UTF-8 characters and invalid sequences in `bytes`. An incomplete
/// character cut by the end of a window that is not the whole file is not counted as invalid.
fn utf8_evidence(mut bytes: &[u8], at_eof: bool) -> (usize, usize) {
    let (mut valid, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                valid += s.chars().filter(|c| !c.is_ascii()).count();
                return (valid, invalid);
            }
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                // Safe: `valid_up_to` marks a valid prefix.
                valid += std::str::from_utf8(good).map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        bytes = &bytes[e.valid_up_to() + n..];
                    }
                    None => {
                        invalid += at_eof as usize;
                        return (valid, invalid);
                    }
                }
            }
        }
    }
}

/// Decodes one cell of UTF-8 text (a file in another encoding is transcoded before it is split).
/// A cell that is not UTF-8 is decoded as GB18030 (files concatenated from exports in two
/// encodings), which the returned flag says, for the caller to count.
pub fn decode_cell(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), false),
        Err(_) => {
            let mut text = String::new();
            decode_gb18030_into(bytes, &mut text);
            (Cow::Owned(text), true)
        }
    }
}

/// [`decode_cell`] appending to `out` instead of allocating; returns the same flag.
pub fn decode_cell_into(bytes: &[u8], out: &mut String) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            out.push_str(s);
            false
        }
        Err(_) => {
            decode_gb18030_into(bytes, out);
            true
        }
    }
}

/// The transcoder a file in `enc` is read through, if its bytes cannot be split as they are.
pub fn transcoder(enc: Encoding) -> Option<Transcoder> {
    match enc {
        Encoding::Utf16le => Some(Transcoder::utf16(false)),
        Encoding::Utf16be => Some(Transcoder::utf16(true)),
        Encoding::Gb18030 => Some(Transcoder::gb18030()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_into_a_buffer_matches_decoding_alone() {
        let gbk = encoding_rs::GBK.encode("张三,浙江省 杭州市").0.into_owned();
        let cells: [&[u8]; 4] = [b"plain ascii", "小王".as_bytes(), &gbk, b""];
        let mut out = String::from("kept|");
        let mut want = out.clone();
        for bytes in cells {
            let (text, flag) = decode_cell(bytes);
            want.push_str(&text);
            assert_eq!(decode_cell_into(bytes, &mut out), flag);
        }
        assert_eq!(out, want);
        assert!(out.contains("张三,浙江省 杭州市"));
    }

    #[test]
    fn detects_boms_and_gbk() {
        assert_eq!(detect(b"\xEF\xBB\xBFa,b\n", true), Ok(Encoding::Utf8Bom));
        assert_eq!(detect(b"\xFF\xFEa\0", true), Ok(Encoding::Utf16le));
        assert_eq!(detect(b"\xFE\xFF\0a", true), Ok(Encoding::Utf16be));
        assert_eq!(detect("订单编号,金额\n".as_bytes(), true), Ok(Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GB18030.encode("订单编号,金额\n");
        assert_eq!(detect(&gbk, true), Ok(Encoding::Gb18030));
        assert_eq!(detect(b"a,b\n1,2\n", true), Ok(Encoding::Utf8));
    }

    #[test]
    fn truncated_utf8_at_window_end_is_utf8() {
        let text = "订单编号".as_bytes();
        assert_eq!(detect(&text[..4], false), Ok(Encoding::Utf8));
    }

    #[test]
    fn rejects_non_text() {
        assert_eq!(detect(b"PK\x03\x04\x14\0\0\0", true), Err(NotText::Zip));
        assert_eq!(detect(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", true), Err(NotText::LegacyExcel));
        let mut bin = vec![0u8; 512];
        bin[1] = 7;
        bin[100] = 0x9c;
        assert_eq!(detect(&bin, true), Err(NotText::Binary));
    }

    #[test]
    fn utf16_without_bom() {
        let le: Vec<u8> = "order_id,amount\n1,2\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(detect(&le, true), Ok(Encoding::Utf16le));
    }

    #[test]
    fn decodes_cells() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("交易成功");
        assert_eq!(decode_cell(&gbk), (Cow::Owned("交易成功".into()), true));
        assert_eq!(decode_cell(b"abc"), (Cow::Borrowed("abc"), false));
    }
}
