//! A GB18030 encoder built by inverting a GB18030 decoder.
//!
//! The browser build carries no encoding tables (see [`super`]): the browser's `TextDecoder`
//! reads GB18030, but no browser API writes it, and sellers on older Excel need their customer
//! lists in GBK. Decoding every two-byte and every BMP four-byte code once and inverting the
//! result gives the encoder of the WHATWG Encoding Standard, which encoding_rs implements:
//! ASCII as itself; a character of the two-byte index as its first pointer there; any other BMP
//! character as its four-byte code; the supplementary planes by arithmetic; 18 private-use
//! characters by the standard's own table; U+E5E5, which the standard does not encode, as an HTML
//! numeric character reference (as encoding_rs writes it).

/// Two-byte codes: lead bytes 0x81–0xFE, 190 trail bytes each (0x40–0xFE without 0x7F).
const TWO_BYTE_POINTERS: u32 = 126 * 190;
/// Four-byte codes that decode to BMP characters (pointers 0 ..= 39,419).
const BMP_FOUR_BYTE_POINTERS: u32 = 39_420;
/// The four-byte pointer of U+10000; the supplementary planes follow in order.
const SUPPLEMENTARY_POINTER: u32 = 189_000;
/// The four-byte pointer of U+FFFD.
const REPLACEMENT_POINTER: u32 = 39_417;
/// The one character the standard's index holds but its encoder refuses.
const NOT_ENCODED: char = '\u{E5E5}';
/// Private-use characters that GB18030-2005 gave these codes, which now decode to standard
/// characters: the standard's encoder still writes them as the old codes (its table of 18 rows),
/// so text typed before 2022 keeps its bytes. A decoder cannot reveal these.
const PUA_2005: [(u16, [u8; 2]); 18] = [
    (0xE78D, [0xA6, 0xD9]),
    (0xE78E, [0xA6, 0xDA]),
    (0xE78F, [0xA6, 0xDB]),
    (0xE790, [0xA6, 0xDC]),
    (0xE791, [0xA6, 0xDD]),
    (0xE792, [0xA6, 0xDE]),
    (0xE793, [0xA6, 0xDF]),
    (0xE794, [0xA6, 0xEC]),
    (0xE795, [0xA6, 0xED]),
    (0xE796, [0xA6, 0xF3]),
    (0xE81E, [0xFE, 0x59]),
    (0xE826, [0xFE, 0x61]),
    (0xE82B, [0xFE, 0x66]),
    (0xE82C, [0xFE, 0x67]),
    (0xE832, [0xFE, 0x6D]),
    (0xE843, [0xFE, 0x7E]),
    (0xE854, [0xFE, 0x90]),
    (0xE864, [0xFE, 0xA0]),
];

fn two_byte(pointer: u32) -> [u8; 2] {
    let trail = pointer % 190;
    [(pointer / 190 + 0x81) as u8, (trail + if trail < 0x3F { 0x40 } else { 0x41 }) as u8]
}

fn four_byte(pointer: u32) -> [u8; 4] {
    [
        (pointer / 12_600 + 0x81) as u8,
        (pointer / 1_260 % 10 + 0x30) as u8,
        (pointer / 10 % 126 + 0x81) as u8,
        (pointer % 10 + 0x30) as u8,
    ]
}

pub struct Gb18030Encoder {
    /// Per BMP code point, its bytes packed big-endian: above 0xFFFF a four-byte code, else a
    /// two-byte code (lead bytes are ≥ 0x81, so never below 0x8100); 0 when not encodable.
    bmp: Vec<u32>,
}

impl Gb18030Encoder {
    /// Builds the tables with two calls to `decode`, which must decode GB18030 bytes the WHATWG
    /// way (malformed or unmapped codes become U+FFFD).
    pub fn from_decoder(decode: impl Fn(&[u8]) -> String) -> Gb18030Encoder {
        let mut bmp = vec![0u32; 0x1_0000];
        let two = (0..TWO_BYTE_POINTERS).map(|p| {
            let b = two_byte(p);
            (u16::from_be_bytes(b) as u32, b.to_vec())
        });
        Self::invert(&decode, two, &mut bmp);
        let four = (0..BMP_FOUR_BYTE_POINTERS).map(|p| {
            let b = four_byte(p);
            (u32::from_be_bytes(b), b.to_vec())
        });
        Self::invert(&decode, four, &mut bmp);
        for (c, bytes) in PUA_2005 {
            bmp[c as usize] = u16::from_be_bytes(bytes) as u32;
        }
        // U+FFFD is also what the decoder writes for codes it cannot read, so it is skipped
        // above; its own code is 0x84 0x31 0xA4 0x37.
        bmp[0xFFFD] = u32::from_be_bytes(four_byte(REPLACEMENT_POINTER));
        Gb18030Encoder { bmp }
    }

    /// Decodes every code at once, one per line: a code that is not one character (a malformed
    /// code can decode to U+FFFD and a reread ASCII byte) cannot shift the codes after it. The
    /// first code seen for a character wins, as the standard's "index pointer" says.
    fn invert(decode: &impl Fn(&[u8]) -> String, codes: impl Iterator<Item = (u32, Vec<u8>)>, bmp: &mut [u32]) {
        let mut bytes = Vec::new();
        let mut packed = Vec::new();
        for (code, b) in codes {
            bytes.extend_from_slice(&b);
            bytes.push(b'\n');
            packed.push(code);
        }
        for (code, line) in packed.into_iter().zip(decode(&bytes).split('\n')) {
            let mut chars = line.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else { continue };
            if c.is_ascii() || c == char::REPLACEMENT_CHARACTER || c == NOT_ENCODED {
                continue;
            }
            if let Some(slot) = bmp.get_mut(c as usize).filter(|s| **s == 0) {
                *slot = code;
            }
        }
    }

    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let code = c as u32;
            if c.is_ascii() {
                out.push(code as u8);
            } else if code > 0xFFFF {
                out.extend_from_slice(&four_byte(SUPPLEMENTARY_POINTER + code - 0x1_0000));
            } else {
                match self.bmp[code as usize] {
                    0 => out.extend_from_slice(format!("&#{code};").as_bytes()),
                    packed if packed > 0xFFFF => out.extend_from_slice(&packed.to_be_bytes()),
                    packed => out.extend_from_slice(&(packed as u16).to_be_bytes()),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding_rs_decode(bytes: &[u8]) -> String {
        encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
    }

    /// Every BMP character and a sample of the others encode exactly as encoding_rs encodes them.
    #[test]
    fn matches_encoding_rs_on_every_bmp_character() {
        let enc = Gb18030Encoder::from_decoder(encoding_rs_decode);
        let mut text = String::new();
        for code in (0..0x1_0000).chain((0x1_0000..0x11_0000).step_by(997)).chain([0x1F600, 0x10FFFF]) {
            let Some(c) = char::from_u32(code) else { continue };
            text.clear();
            text.push(c);
            assert_eq!(enc.encode(&text), encoding_rs::GB18030.encode(&text).0.as_ref(), "U+{code:04X}");
        }
    }

    #[test]
    fn encodes_text_as_sellers_write_it() {
        let enc = Gb18030Encoder::from_decoder(encoding_rs_decode);
        let text = "客户,交易成功 € 😀 \u{E5E5}\r\n";
        assert_eq!(enc.encode(text), encoding_rs::GB18030.encode(text).0.as_ref());
        assert_eq!(encoding_rs_decode(&enc.encode("张三 😀")), "张三 😀");
    }
}
