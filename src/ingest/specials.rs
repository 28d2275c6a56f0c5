//! Finding the bytes that structure a line of CSV (the delimiter, LF, CR and the quote), which
//! every byte of a file is tested for.
//!
//! They are found a block at a time, as a mask with a bit for each special byte, then given out
//! in order. The wasm SIMD build (which the page picks where the browser has wasm SIMD) takes 64
//! bytes, four compares of 16 with each of the four special bytes; in Node's wasm that halved the
//! splitter's time and read the 100 MB Taobao- and Shopify-style files 4–9 % faster. Other builds
//! take eight bytes in a 64-bit word. (x86-64 has the same compares, but Rust calls them only in
//! `unsafe` code, which the core has none of.)

/// The places of the special bytes in `bytes`, in order.
pub(super) struct Specials<'a> {
    bytes: &'a [u8],
    /// The next block's start.
    next: usize,
    /// The start of the block `mask` was taken from, and for each of its bytes that is special
    /// and not yet given out, the bit [`special_bits`] sets.
    base: usize,
    mask: u64,
    delimiter: u8,
}

impl<'a> Specials<'a> {
    pub(super) fn new(bytes: &'a [u8], delimiter: u8) -> Specials<'a> {
        Specials { bytes, next: 0, base: 0, mask: 0, delimiter }
    }
}

impl Iterator for Specials<'_> {
    type Item = usize;

    // Called for every field of the file: kept in the loop that splits lines.
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            let rest = self.bytes.get(self.next..).filter(|r| !r.is_empty())?;
            self.base = self.next;
            self.mask = match rest.first_chunk::<BLOCK>() {
                Some(block) => {
                    self.next += BLOCK;
                    special_bits(block, self.delimiter)
                }
                None => {
                    // The last few bytes, padded with zeros that are not looked at.
                    let mut block = [0; BLOCK];
                    block[..rest.len()].copy_from_slice(rest);
                    self.next += rest.len();
                    special_bits(&block, self.delimiter) & ((1u64 << (rest.len() * BITS_PER_BYTE)) - 1)
                }
            };
        }
        let at = self.base + self.mask.trailing_zeros() as usize / BITS_PER_BYTE;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// The wasm SIMD build looks at 64 bytes together, a bit each in the mask.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const BLOCK: usize = 64;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
const BITS_PER_BYTE: usize = 1;

/// Bit `i` set when `block[i]` is `delimiter`, LF, CR or `"`.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn special_bits(block: &[u8; BLOCK], delimiter: u8) -> u64 {
    use std::arch::wasm32::{u8x16, u8x16_bitmask, u8x16_eq, u8x16_splat, v128_or};
    let [d, lf, cr, quote] = [delimiter, b'\n', b'\r', b'"'].map(|b| u8x16_splat(b));
    block.chunks_exact(16).enumerate().fold(0, |bits, (k, lane)| {
        let &[b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15] = lane else {
            return bits; // every lane has 16 bytes
        };
        let v = u8x16(b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15);
        let hit = v128_or(v128_or(u8x16_eq(v, d), u8x16_eq(v, lf)), v128_or(u8x16_eq(v, cr), u8x16_eq(v, quote)));
        bits | (u8x16_bitmask(hit) as u64) << (16 * k)
    })
}

/// Other builds look at a 64-bit word of 8 bytes, a byte's high bit in the mask for each.
/// (Gathering eight words' high bits into one 64-bit mask made the plain wasm build's import
/// 2–3 % slower.)
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const BLOCK: usize = 8;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const BITS_PER_BYTE: usize = 8;

/// The high bit of byte `i` of the mask set when `block[i]` is `delimiter`, LF, CR or `"`.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn special_bits(block: &[u8; BLOCK], delimiter: u8) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` that is not 0. Exact, unlike the shorter
    // `(x - 0x01…) & !x`: `(x & 0x7F) + 0x7F` never carries into the next byte.
    let nonzero_bytes = |x: u64| ((x & !HIGH).wrapping_add(!HIGH) | x) & HIGH;
    let word = u64::from_le_bytes(*block);
    let plain =
        [delimiter, b'\n', b'\r', b'"'].iter().fold(HIGH, |plain, &b| plain & nonzero_bytes(word ^ (LOW * b as u64)));
    !plain & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_every_delimiter_lf_cr_and_quote_in_order() {
        let mut rng = crate::sample::Rng::new(8);
        for _ in 0..5_000 {
            let delimiter = *rng.pick(&[b',', b'\t', b';', 0]);
            // Past two blocks of either size, with every length of a last, partial one; bytes next
            // to the special ones too, where a carry or a borrow between bytes would show.
            let alphabet =
                [b'a', 0, 1, b',', b'-', b'\t', b';', b'\n', b'\x0B', b'\r', b'"', b'#', 0x7F, 0x80, 0xE5, 0xFF];
            let data: Vec<u8> = (0..rng.below(150)).map(|_| *rng.pick(&alphabet)).collect();
            let want: Vec<usize> =
                (0..data.len()).filter(|&i| [delimiter, b'\n', b'\r', b'"'].contains(&data[i])).collect();
            assert_eq!(Specials::new(&data, delimiter).collect::<Vec<_>>(), want, "{data:?} {delimiter}");
        }
    }
}
