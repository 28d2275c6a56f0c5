//! The legacy encodings sellers' files come in, GB18030 (GBK) and UTF-16, decoded and encoded by
//! a well-kept implementation of the WHATWG Encoding Standard: encoding_rs natively, and in the
//! browser the browser's own `TextDecoder`.
//!
//! Why two: encoding_rs cannot link one encoding alone, and its tables for every encoding were
//! about 100 KB of the 303 KB (brotli) the page downloaded, for decoders the browser already
//! ships. Both follow the same standard, so they read a file the same way.
//!
//! Where the browser is used, GB18030 files are transcoded a chunk at a time ([`Transcoder`]):
//! one call out of wasm per chunk instead of one per cell. Natively a GBK file keeps its raw
//! bytes, split into cells without decoding, and only the cells kept are decoded.

pub mod gb18030_encoder;

/// Encodings read through a [`Transcoder`] or [`decode_gb18030_into`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    Gb18030,
    Utf16le,
    Utf16be,
}

/// Whether whole GB18030 files are transcoded to UTF-8 before they are split into records.
pub const TRANSCODES_GB18030: bool = cfg!(target_arch = "wasm32");

/// Appends the text of GB18030 `bytes` to `out`, malformed sequences as U+FFFD.
pub fn decode_gb18030_into(bytes: &[u8], out: &mut String) {
    platform::decode_gb18030_into(bytes, out)
}

/// GB18030 bytes of `text` (the encoding older Excel opens CSV files in, for Chinese sellers).
pub fn encode_gb18030(text: &str) -> Vec<u8> {
    platform::encode_gb18030(text)
}

/// A streaming decoder to UTF-8, so the rest of the importer only sees bytes it can split.
pub struct Transcoder {
    inner: platform::StreamDecoder,
    /// The decoder was flushed (`last`) and may not be used again.
    finished: bool,
}

impl Transcoder {
    pub fn new(from: Legacy) -> Transcoder {
        Transcoder { inner: platform::StreamDecoder::new(from), finished: false }
    }

    /// Appends the UTF-8 of `input` to `out`; `last` on the final chunk flushes a dangling byte.
    /// Malformed input (an unpaired surrogate, a broken GBK code) becomes U+FFFD, as a text editor
    /// would show it.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, last: bool) {
        if self.finished {
            return;
        }
        self.finished = last;
        self.inner.push(input, out, last);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use super::Legacy;
    use encoding_rs::{Decoder, DecoderResult, GB18030, UTF_16BE, UTF_16LE};

    pub fn decode_gb18030_into(bytes: &[u8], out: &mut String) {
        let mut decoder = GB18030.new_decoder_without_bom_handling();
        out.reserve(decoder.max_utf8_buffer_length(bytes.len()).unwrap_or(bytes.len() * 3));
        let _ = decoder.decode_to_string(bytes, out, true);
    }

    pub fn encode_gb18030(text: &str) -> Vec<u8> {
        GB18030.encode(text).0.into_owned()
    }

    pub struct StreamDecoder(Decoder);

    impl StreamDecoder {
        pub fn new(from: Legacy) -> StreamDecoder {
            let encoding = match from {
                Legacy::Gb18030 => GB18030,
                Legacy::Utf16le => UTF_16LE,
                Legacy::Utf16be => UTF_16BE,
            };
            StreamDecoder(encoding.new_decoder_without_bom_handling())
        }

        pub fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>, last: bool) {
            loop {
                let need =
                    self.0.max_utf8_buffer_length_without_replacement(input.len()).unwrap_or(input.len() * 3 + 16);
                let start = out.len();
                out.resize(start + need.max(16), 0);
                let (result, read, written) = self.0.decode_to_utf8_without_replacement(input, &mut out[start..], last);
                out.truncate(start + written);
                input = &input[read..];
                match result {
                    DecoderResult::InputEmpty => return,
                    DecoderResult::OutputFull => continue,
                    DecoderResult::Malformed(_, _) => out.extend_from_slice("\u{FFFD}".as_bytes()),
                }
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod platform {
    use super::gb18030_encoder::Gb18030Encoder;
    use super::Legacy;
    use crate::wasm::BrowserDecoder;

    fn label(from: Legacy) -> &'static str {
        match from {
            Legacy::Gb18030 => "gb18030",
            Legacy::Utf16le => "utf-16le",
            Legacy::Utf16be => "utf-16be",
        }
    }

    pub fn decode_gb18030_into(bytes: &[u8], out: &mut String) {
        out.push_str(&BrowserDecoder::new(label(Legacy::Gb18030)).decode(bytes, false));
    }

    pub fn encode_gb18030(text: &str) -> Vec<u8> {
        thread_local! {
            /// Built on the first GBK download (a few milliseconds), then kept.
            static ENCODER: Gb18030Encoder = Gb18030Encoder::from_decoder(|bytes| {
                BrowserDecoder::new(label(Legacy::Gb18030)).decode(bytes, false)
            });
        }
        ENCODER.with(|e| e.encode(text))
    }

    pub struct StreamDecoder(BrowserDecoder);

    impl StreamDecoder {
        pub fn new(from: Legacy) -> StreamDecoder {
            StreamDecoder(BrowserDecoder::new(label(from)))
        }

        pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, last: bool) {
            out.extend_from_slice(self.0.decode(input, !last).as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcodes_utf16_in_any_chunks() {
        let text = "订单编号,金额\r\n1,2\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        for size in [1, 3, 7, le.len()] {
            let mut t = Transcoder::new(Legacy::Utf16le);
            let mut out = Vec::new();
            for c in le.chunks(size) {
                t.push(c, &mut out, false);
            }
            t.push(&[], &mut out, true);
            assert_eq!(String::from_utf8(out).unwrap(), text, "chunk {size}");
        }
    }

    #[test]
    fn transcodes_gb18030_split_inside_characters() {
        let text = "买家会员名,收货地址\r\n张三,浙江省 杭州市 😀\r\n";
        let gbk = encode_gb18030(text);
        for size in [1, 2, 3, 5, gbk.len()] {
            let mut t = Transcoder::new(Legacy::Gb18030);
            let mut out = Vec::new();
            for c in gbk.chunks(size) {
                t.push(c, &mut out, false);
            }
            t.push(&[], &mut out, true);
            assert_eq!(String::from_utf8(out).unwrap(), text, "chunk {size}");
        }
    }

    #[test]
    fn malformed_input_becomes_replacement_characters() {
        let mut out = Vec::new();
        let mut t = Transcoder::new(Legacy::Utf16le);
        t.push(&[0x3D, 0xD8, b'a', 0], &mut out, false); // an unpaired high surrogate, then "a"
        t.push(&[0x41], &mut out, true); // a dangling byte at the end
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FFFD}a\u{FFFD}");
        let mut cell = String::new();
        decode_gb18030_into(&[0xD5, 0xC5, 0x81], &mut cell); // 张 and a lead byte cut off
        assert_eq!(cell, "张\u{FFFD}");
    }
}
