//! GB18030 (and so GBK) read and written from tables taken out of another decoder.
//!
//! The browser build carries no encoding tables (see [`super`]). The browser's `TextDecoder`
//! reads GB18030, but one call out of wasm per cell is slow and Chromium's decoder reads about
//! 100 MB/s, while no browser API writes GB18030 at all, and sellers on older Excel need their
//! customer lists in GBK. So every two-byte and every BMP four-byte code is decoded once, with
//! one call, and the result kept as tables (127 KB of memory, none of download, and 128 KB more
//! of the two-byte codes' UTF-8 for reading; the encoder adds 256 KB, built on the first GBK
//! download):
//!
//! - [`Gb18030Decoder`] follows the decoder of the WHATWG Encoding Standard, which encoding_rs
//!   and the browsers implement, including which bytes a malformed sequence consumes;
//! - [`Gb18030Encoder`] inverts the tables into the standard's encoder: ASCII as itself; a
//!   character of the two-byte index as its first pointer there; any other BMP character as its
//!   four-byte code; the supplementary planes by arithmetic; 18 private-use characters by the
//!   standard's own table; U+E5E5, which the standard does not encode, as an HTML numeric
//!   character reference (as encoding_rs writes it).

/// Two-byte codes: lead bytes 0x81–0xFE, 190 trail bytes each (0x40–0xFE without 0x7F).
const TWO_BYTE_POINTERS: u32 = 126 * 190;
/// Four-byte codes that decode to BMP characters (pointers 0 ..= 39,419).
const BMP_FOUR_BYTE_POINTERS: u32 = 39_420;
/// The four-byte pointer of U+10000; the supplementary planes follow in order.
const SUPPLEMENTARY_POINTER: u32 = 189_000;
/// The four-byte pointer of U+FFFD.
const REPLACEMENT_POINTER: u32 = 39_417;
/// The last four-byte pointer, U+10FFFF.
const LAST_POINTER: u32 = 1_237_575;
/// The one character the standard's index holds but its encoder refuses.
const NOT_ENCODED: char = '\u{E5E5}';
/// Private-use characters that GB18030-2005 gave these codes, which now decode to standard
/// characters: the standard's encoder still writes them as the old codes (its table of 18 rows),
/// so text typed before 2022 keeps its bytes. A decoder's tables cannot reveal these.
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

/// Entries of the table of two-byte codes by their bytes: a lead byte with its high bit set
/// (0x80–0xFF, of which 0x81–0xFE lead codes), then any byte.
const PAIRS: usize = 128 * 256;

/// Where the two bytes `lead` (0x80–0xFF) and `trail` are in the table of two-byte codes.
fn pair_index(lead: u8, trail: u8) -> usize {
    usize::from(lead & 0x7F) << 8 | usize::from(trail)
}

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

/// The code points of every two-byte and every BMP four-byte code (0: none).
pub struct Gb18030Decoder {
    two: Vec<u16>,
    /// The UTF-8 of each two-byte code, little-endian in the low three bytes, its length in the
    /// top one (0: none): the decoder's usual character, written with one store. Found by the
    /// code's bytes ([`pair_index`]), not its pointer: without the trail byte's test and the
    /// pointer's arithmetic, transcoding the 100 MB GBK benchmark file took 36 ms instead of 42 in
    /// Node's wasm (profiles of four imports each), its reads 298 ms instead of 303.5 (medians of 8).
    two_utf8: Box<[u32; PAIRS]>,
    four: Vec<u16>,
}

impl Gb18030Decoder {
    /// Builds the tables with one call to `decode`, which must decode GB18030 bytes the WHATWG
    /// way (malformed or unmapped codes become U+FFFD).
    pub fn from_decoder(decode: impl FnOnce(&[u8]) -> String) -> Gb18030Decoder {
        // One code per line: a code that is not one character (an unmapped code can decode to
        // U+FFFD and a reread ASCII byte) cannot shift the codes after it.
        let mut bytes = Vec::with_capacity((TWO_BYTE_POINTERS * 3 + BMP_FOUR_BYTE_POINTERS * 5) as usize);
        for p in 0..TWO_BYTE_POINTERS {
            bytes.extend_from_slice(&two_byte(p));
            bytes.push(b'\n');
        }
        for p in 0..BMP_FOUR_BYTE_POINTERS {
            bytes.extend_from_slice(&four_byte(p));
            bytes.push(b'\n');
        }
        let text = decode(&bytes);
        let mut lines = text.split('\n').map(|line| {
            let mut chars = line.chars();
            match (chars.next(), chars.next()) {
                // U+FFFD is what an unmapped code decodes to; its own code needs no table.
                (Some(c), None) if c != char::REPLACEMENT_CHARACTER => u16::try_from(c as u32).unwrap_or(0),
                _ => 0,
            }
        });
        let two: Vec<u16> = lines.by_ref().take(TWO_BYTE_POINTERS as usize).collect();
        let four = lines.take(BMP_FOUR_BYTE_POINTERS as usize).collect();
        let mut two_utf8 = Box::new([0u32; PAIRS]);
        for (pointer, &c) in (0..TWO_BYTE_POINTERS).zip(&two) {
            if let Some(c) = char::from_u32(c as u32).filter(|_| c != 0) {
                let mut b = [0u8; 4];
                let len = c.encode_utf8(&mut b).len() as u32;
                let [lead, trail] = two_byte(pointer);
                two_utf8[pair_index(lead, trail)] = u32::from_le_bytes(b) & 0xFF_FFFF | len << 24;
            }
        }
        Gb18030Decoder { two, two_utf8, four }
    }

    /// Where the two-byte code `lead trail` is in the tables (`lead` is 0x81–0xFE), if `trail`
    /// can follow a lead byte.
    fn two_byte_pointer(&self, lead: u8, trail: u8) -> Option<usize> {
        let offset = if trail < 0x7F { 0x40 } else { 0x41 };
        matches!(trail, 0x40..=0x7E | 0x80..=0xFE).then(|| (lead as usize - 0x81) * 190 + (trail as usize - offset))
    }

    fn two_byte_char(&self, lead: u8, trail: u8) -> Option<char> {
        let pointer = self.two_byte_pointer(lead, trail)?;
        self.two.get(pointer).filter(|&&c| c != 0).and_then(|&c| char::from_u32(c as u32))
    }

    fn four_byte_char(&self, b: [u8; 4]) -> Option<char> {
        let pointer = (b[0] as u32 - 0x81) * 12_600
            + (b[1] as u32 - 0x30) * 1_260
            + (b[2] as u32 - 0x81) * 10
            + (b[3] as u32 - 0x30);
        if pointer < BMP_FOUR_BYTE_POINTERS {
            self.four.get(pointer as usize).filter(|&&c| c != 0).and_then(|&c| char::from_u32(c as u32))
        } else if (SUPPLEMENTARY_POINTER..=LAST_POINTER).contains(&pointer) {
            char::from_u32(0x1_0000 + pointer - SUPPLEMENTARY_POINTER)
        } else {
            None
        }
    }

    /// Appends the text of `bytes`, a complete input (a cell), to `out`: see
    /// [`Gb18030Decoder::decode_utf8`].
    pub fn decode_into(&self, bytes: &[u8], out: &mut String) {
        let mut text = Vec::with_capacity(bytes.len() + bytes.len() / 2);
        self.decode_utf8(bytes, &mut text, true);
        // The decoder writes UTF-8 only, so this borrows (the check is the price of no `unsafe`;
        // a cell is decoded alone only when a UTF-8 file has foreign bytes).
        out.push_str(&String::from_utf8_lossy(&text));
    }

    /// Appends the UTF-8 of `bytes` to `out`. A malformed sequence becomes one U+FFFD and
    /// reading goes on where the standard says: after a lead byte whose next byte is ASCII or
    /// cannot follow it (that byte is read again), after both bytes of an unmapped two-byte code,
    /// after all four of an unmapped four-byte code. A sequence cut by the end of `bytes` is left
    /// unread for the piece after it, unless `last` (then it is one U+FFFD). Returns how many
    /// bytes were read.
    pub fn decode_utf8(&self, bytes: &[u8], out: &mut Vec<u8>, last: bool) -> usize {
        let mut read = 0;
        loop {
            // Room for ASCII and two-byte codes, which is nearly everything: a two-byte code is
            // at most three bytes of UTF-8. Text that needs more stops for more room.
            let start = out.len();
            out.resize(start + (bytes.len() - read) * 3 / 2 + 16, 0);
            let step = self.decode_to(&bytes[read..], &mut out[start..], last);
            out.truncate(start + step.written);
            read += step.read;
            if !step.out_of_room {
                return read;
            }
        }
    }

    /// [`Gb18030Decoder::decode_utf8`] into the slice `out`, as far as it has room. It writes
    /// through an index that stays in a register: pushed to a `Vec`, each byte might have been
    /// the `Vec`'s own length, which was stored and loaded again around every write. Six imports
    /// of the 100 MB GBK benchmark file in Node spent 451 ms transcoding this way, 538 pushing
    /// (zeroing the room first takes about 2 ms of each).
    fn decode_to(&self, bytes: &[u8], out: &mut [u8], last: bool) -> Decoded {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let (mut i, mut o) = (0, 0);
        // Each turn writes at most eight bytes: an ASCII word, or a character.
        while out.len() - o >= 8 {
            // ASCII eight bytes at a time: a word is copied whole, and what followed the run in
            // it is written over by what comes next.
            if let Some(word) = bytes.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
                out[o..o + 8].copy_from_slice(&word);
                let high = u64::from_le_bytes(word) & HIGH;
                let ascii = if high == 0 { 8 } else { high.trailing_zeros() as usize / 8 };
                i += ascii;
                o += ascii;
                if ascii == 8 {
                    continue;
                }
            } else {
                match bytes.get(i) {
                    None => return Decoded { read: i, written: o, out_of_room: false },
                    Some(&b) if b.is_ascii() => {
                        out[o] = b;
                        i += 1;
                        o += 1;
                        continue;
                    }
                    Some(_) => {}
                }
            }
            // Two-byte codes in a row, the text of a Chinese cell, without the general case.
            while let (Some(room), Some(&[lead @ 0x80..=0xFF, trail])) = (out.get_mut(o..o + 4), bytes.get(i..i + 2)) {
                let packed = self.two_utf8[pair_index(lead, trail)];
                if packed == 0 {
                    break;
                }
                // All four bytes are written; the fourth (the length) is written over next.
                room.copy_from_slice(&packed.to_le_bytes());
                o += (packed >> 24) as usize;
                i += 2;
            }
            // ASCII again, or a byte that is not a two-byte code's lead (or is one of an
            // unmapped code), read the standard's way.
            let Some(rest) = bytes.get(i..).filter(|r| r.first().is_some_and(|b| !b.is_ascii())) else {
                continue;
            };
            if out.len() - o < 4 {
                break;
            }
            let (c, used) = match self.step(rest) {
                Step::Char(c, used) => (c, used),
                Step::Malformed(used) => (char::REPLACEMENT_CHARACTER, used),
                Step::Cut if last => (char::REPLACEMENT_CHARACTER, rest.len()),
                Step::Cut => return Decoded { read: i, written: o, out_of_room: false },
            };
            o += put_utf8(&mut out[o..], c);
            i += used;
        }
        Decoded { read: i, written: o, out_of_room: i < bytes.len() }
    }

    /// The character at the start of `bytes`, which starts with a non-ASCII byte.
    #[inline]
    fn step(&self, bytes: &[u8]) -> Step {
        let Some((&lead, after)) = bytes.split_first() else { return Step::Cut };
        match (lead, after.get(..3.min(after.len())).unwrap_or_default()) {
            (0x80, _) => Step::Char('\u{20AC}', 1),
            (0xFF, _) => Step::Malformed(1),
            (_, []) => Step::Cut,
            (_, [b1 @ 0x30..=0x39, rest @ ..]) => match rest {
                [] | [0x81..=0xFE] => Step::Cut,
                [b2 @ 0x81..=0xFE, b3 @ 0x30..=0x39] => match self.four_byte_char([lead, *b1, *b2, *b3]) {
                    Some(c) => Step::Char(c, 4),
                    None => Step::Malformed(4),
                },
                _ => Step::Malformed(1),
            },
            (_, [b1, ..]) => match self.two_byte_char(lead, *b1) {
                Some(c) => Step::Char(c, 2),
                None => Step::Malformed(if b1.is_ascii() { 1 } else { 2 }),
            },
        }
    }
}

/// What the bytes at a non-ASCII byte are.
enum Step {
    /// A character, and how many bytes it took.
    Char(char, usize),
    /// A malformed sequence (one U+FFFD), and how many bytes to go on after.
    Malformed(usize),
    /// A sequence the end of the input cuts: the next bytes decide.
    Cut,
}

/// How far [`Gb18030Decoder::decode_to`] read and wrote.
struct Decoded {
    read: usize,
    written: usize,
    /// It stopped for want of room, not at the end of the input or a cut sequence.
    out_of_room: bool,
}

/// Writes the UTF-8 of `c` at the start of `out`, which has room for four bytes, and returns
/// its length. Each write has a length known where it is written: a copy of a length known only
/// when it runs is a call out of compiled wasm (`memory.copy`), which cost more than the bytes.
#[inline]
fn put_utf8(out: &mut [u8], c: char) -> usize {
    let c = c as u32;
    let tail = |shift: u32| (0x80 | (c >> shift) & 0x3F) as u8;
    match (c, out) {
        (0..=0x7F, [a, ..]) => {
            *a = c as u8;
            1
        }
        (0x80..=0x7FF, [a, b, ..]) => {
            [*a, *b] = [(0xC0 | c >> 6) as u8, tail(0)];
            2
        }
        (0x800..=0xFFFF, [a, b, d, ..]) => {
            [*a, *b, *d] = [(0xE0 | c >> 12) as u8, tail(6), tail(0)];
            3
        }
        (_, [a, b, d, e, ..]) => {
            [*a, *b, *d, *e] = [(0xF0 | c >> 18) as u8, tail(12), tail(6), tail(0)];
            4
        }
        _ => 0,
    }
}

/// GB18030 read in pieces of any size ([`Gb18030Decoder::decode_utf8`]), as one input.
#[derive(Default)]
pub struct Gb18030Stream {
    /// The start of a sequence the last piece cut (at most three bytes).
    pending: Vec<u8>,
}

impl Gb18030Stream {
    /// Appends the UTF-8 of the next piece to `out`; `last` ends the input.
    pub fn push(&mut self, d: &Gb18030Decoder, input: &[u8], out: &mut Vec<u8>, last: bool) {
        let mut rest = input;
        // A cut sequence takes this piece's bytes one at a time until it is read.
        while !self.pending.is_empty() {
            let Some((&b, tail)) = rest.split_first() else { break };
            self.pending.push(b);
            rest = tail;
            let used = d.decode_utf8(&self.pending, out, false);
            self.pending.drain(..used);
        }
        if !self.pending.is_empty() {
            if last {
                d.decode_utf8(&self.pending, out, true);
                self.pending.clear();
            }
            return;
        }
        let used = d.decode_utf8(rest, out, last);
        self.pending.extend_from_slice(&rest[used..]);
    }
}

/// Writes GB18030.
pub struct Gb18030Encoder {
    /// Per BMP code point, its bytes packed big-endian: above 0xFFFF a four-byte code, else a
    /// two-byte code (lead bytes are ≥ 0x81, so never below 0x8100); 0 when not encodable.
    bmp: Vec<u32>,
}

impl Gb18030Encoder {
    pub fn new(decoder: &Gb18030Decoder) -> Gb18030Encoder {
        let mut bmp = vec![0u32; 0x1_0000];
        let two = decoder.two.iter().enumerate().map(|(p, &c)| (c, u16::from_be_bytes(two_byte(p as u32)) as u32));
        let four = decoder.four.iter().enumerate().map(|(p, &c)| (c, u32::from_be_bytes(four_byte(p as u32))));
        // The first code of a character wins, as the standard's "index pointer" says.
        for (c, code) in two.chain(four) {
            if c != 0 && c as u32 != NOT_ENCODED as u32 && bmp[c as usize] == 0 {
                bmp[c as usize] = code;
            }
        }
        for (c, bytes) in PUA_2005 {
            bmp[c as usize] = u16::from_be_bytes(bytes) as u32;
        }
        bmp[0xFFFD] = u32::from_be_bytes(four_byte(REPLACEMENT_POINTER));
        Gb18030Encoder { bmp }
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

    fn reference(bytes: &[u8]) -> String {
        encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned()
    }

    fn decode(d: &Gb18030Decoder, bytes: &[u8]) -> String {
        let mut out = String::new();
        d.decode_into(bytes, &mut out);
        out
    }

    /// A stream cut anywhere, even inside a sequence, reads as encoding_rs reads it whole.
    #[test]
    fn reads_a_stream_cut_anywhere_as_one_input() {
        let d = Gb18030Decoder::from_decoder(reference);
        let mut rng = crate::sample::Rng::new(12);
        let alphabet =
            [b'a', b',', b'\n', 0x30, 0x31, 0x39, 0x40, 0x7F, 0x80, 0x81, 0x84, 0xA4, 0xB0, 0xC5, 0xD5, 0xFE, 0xFF];
        for _ in 0..3_000 {
            let bytes: Vec<u8> = (0..rng.below(60)).map(|_| *rng.pick(&alphabet)).collect();
            let whole = reference(&bytes);
            for size in [1, 2, 3, 5, 8, 64] {
                let mut stream = Gb18030Stream::default();
                let mut out = Vec::new();
                for piece in bytes.chunks(size) {
                    stream.push(&d, piece, &mut out, false);
                }
                stream.push(&d, &[], &mut out, true);
                assert_eq!(String::from_utf8(out).as_deref(), Ok(whole.as_str()), "{bytes:02X?} in pieces of {size}");
            }
        }
    }

    /// Text that takes three bytes of UTF-8 for each byte read (`€` is the one byte 0x80, a
    /// malformed byte one U+FFFD) outgrows the room first given to it, and is read on.
    #[test]
    fn text_longer_in_utf8_than_the_room_first_given_is_read_whole() {
        let d = Gb18030Decoder::from_decoder(reference);
        for bytes in [vec![0x80; 1_000], [0x80, 0xFF, b'a', 0xB0, 0xA1].repeat(300), vec![0xFF; 77]] {
            assert_eq!(decode(&d, &bytes), reference(&bytes), "{:02X?}", &bytes[..8]);
        }
    }

    /// Every two-byte and four-byte BMP code, and a sample of the others, read as encoding_rs
    /// reads them, alone and between ASCII.
    #[test]
    fn decodes_every_code_as_encoding_rs_does() {
        let d = Gb18030Decoder::from_decoder(reference);
        let codes = (0..TWO_BYTE_POINTERS)
            .map(|p| two_byte(p).to_vec())
            .chain((0..LAST_POINTER + 2_000).step_by(7).map(|p| four_byte(p).to_vec()));
        for code in codes {
            assert_eq!(decode(&d, &code), reference(&code), "{code:02X?}");
            let framed = [b"a".as_slice(), &code, b",b"].concat();
            assert_eq!(decode(&d, &framed), reference(&framed), "{code:02X?}");
        }
    }

    /// Malformed input: random bytes drawn mostly from the ones that start, continue or break
    /// sequences.
    #[test]
    fn decodes_malformed_input_as_encoding_rs_does() {
        let d = Gb18030Decoder::from_decoder(reference);
        let alphabet =
            [0x30, 0x35, 0x39, 0x40, 0x7E, 0x7F, 0x80, 0x81, 0x84, 0x90, 0xA1, 0xE3, 0xFE, 0xFF, b',', b'\n'];
        let mut rng = crate::sample::Rng::new(9);
        for _ in 0..50_000 {
            let len = rng.below(9) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| *rng.pick(&alphabet)).collect();
            assert_eq!(decode(&d, &bytes), reference(&bytes), "{bytes:02X?}");
        }
    }

    /// Every BMP character and a sample of the others encode exactly as encoding_rs encodes them.
    #[test]
    fn encodes_every_bmp_character_as_encoding_rs_does() {
        let enc = Gb18030Encoder::new(&Gb18030Decoder::from_decoder(reference));
        let mut text = String::new();
        for code in (0..0x1_0000).chain((0x1_0000..0x11_0000).step_by(997)).chain([0x1F600, 0x10FFFF]) {
            let Some(c) = char::from_u32(code) else { continue };
            text.clear();
            text.push(c);
            assert_eq!(enc.encode(&text), encoding_rs::GB18030.encode(&text).0.as_ref(), "U+{code:04X}");
        }
        let text = "客户,交易成功 € 😀 \u{E5E5}\r\n";
        assert_eq!(enc.encode(text), encoding_rs::GB18030.encode(text).0.as_ref());
    }
}
