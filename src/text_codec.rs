//! The legacy encodings sellers' files come in, GB18030 (GBK) and UTF-16, read and written the
//! way the WHATWG Encoding Standard says: natively by encoding_rs; in the browser with the
//! browser's own `TextDecoder`, directly for UTF-16 and through tables taken from it once for
//! GB18030 ([`gb18030`]).
//!
//! Why two: encoding_rs cannot link one encoding alone, and its tables for every encoding were
//! about 100 KB of the 303 KB (brotli) the page downloaded, for decoders the browser already
//! ships. Both implement the same standard; tests hold the browser path's GB18030 code to
//! encoding_rs byte for byte.

pub mod gb18030;

/// Appends the text of GB18030 `bytes` (a whole cell) to `out`, malformed sequences as U+FFFD.
pub fn decode_gb18030_into(bytes: &[u8], out: &mut String) {
    platform::decode_gb18030_into(bytes, out)
}

/// GB18030 bytes of `text` (the encoding older Excel opens CSV files in, for Chinese sellers).
pub fn encode_gb18030(text: &str) -> Vec<u8> {
    platform::encode_gb18030(text)
}

/// Streaming UTF-16 or GB18030 → UTF-8, so the rest of the importer reads UTF-8 only.
pub struct Transcoder {
    inner: platform::StreamDecoder,
    /// The decoder was flushed (`last`) and may not be used again.
    finished: bool,
}

impl Transcoder {
    pub fn utf16(big_endian: bool) -> Transcoder {
        Transcoder { inner: platform::StreamDecoder::utf16(big_endian), finished: false }
    }

    /// GB18030 is read whole, not cell by cell: its multi-byte characters never hold a byte of
    /// ASCII's punctuation or line ends (their second and fourth bytes may be digits), so the
    /// UTF-8 has the same lines and fields. Decoding each non-ASCII cell of a row on its own,
    /// and checking each ASCII one as text, took about 40 % longer to read the 100 MB GBK
    /// benchmark file than the UTF-8 one in Node's wasm (700–750 against 490–510 ms).
    pub fn gb18030() -> Transcoder {
        Transcoder { inner: platform::StreamDecoder::gb18030(), finished: false }
    }

    /// Appends the UTF-8 of `input` to `out`; `last` on the final chunk flushes a dangling byte.
    /// An unpaired surrogate, a malformed sequence or a dangling byte becomes U+FFFD, as a text
    /// editor would show it.
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
        pub fn utf16(big_endian: bool) -> StreamDecoder {
            let encoding = if big_endian { UTF_16BE } else { UTF_16LE };
            StreamDecoder(encoding.new_decoder_without_bom_handling())
        }

        pub fn gb18030() -> StreamDecoder {
            StreamDecoder(GB18030.new_decoder_without_bom_handling())
        }

        pub fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>, last: bool) {
            loop {
                // Room for what UTF-16 and GB18030 text takes (at most half again as many bytes),
                // not for the worst case, which is three times the input: the buffer is zeroed
                // and so held. Output that does not fit comes back as `OutputFull`.
                let need = input.len() + input.len() / 2 + 16;
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
    use super::gb18030::{Gb18030Decoder, Gb18030Encoder, Gb18030Stream};
    use crate::wasm::BrowserDecoder;

    thread_local! {
        /// Taken from the browser on the first GBK cell or download (a few milliseconds), then kept.
        static DECODER: Gb18030Decoder = Gb18030Decoder::from_decoder(|bytes| {
            BrowserDecoder::new("gb18030").decode(bytes, false)
        });
        static ENCODER: Gb18030Encoder = DECODER.with(Gb18030Encoder::new);
    }

    pub fn decode_gb18030_into(bytes: &[u8], out: &mut String) {
        DECODER.with(|d| d.decode_into(bytes, out))
    }

    pub fn encode_gb18030(text: &str) -> Vec<u8> {
        ENCODER.with(|e| e.encode(text))
    }

    /// UTF-16 through the browser's decoder; GB18030 through the tables taken from it.
    pub enum StreamDecoder {
        Utf16(BrowserDecoder),
        Gb18030(Gb18030Stream),
    }

    impl StreamDecoder {
        pub fn utf16(big_endian: bool) -> StreamDecoder {
            StreamDecoder::Utf16(BrowserDecoder::new(if big_endian { "utf-16be" } else { "utf-16le" }))
        }

        pub fn gb18030() -> StreamDecoder {
            StreamDecoder::Gb18030(Gb18030Stream::default())
        }

        pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, last: bool) {
            match self {
                StreamDecoder::Utf16(d) => out.extend_from_slice(d.decode(input, !last).as_bytes()),
                StreamDecoder::Gb18030(s) => DECODER.with(|d| s.push(d, input, out, last)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcodes_utf16_in_any_chunks() {
        let text = "订单编号,金额\r\n1,2 😀\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, big_endian) in [(le, false), (be, true)] {
            for size in [1, 3, 7, bytes.len()] {
                let mut t = Transcoder::utf16(big_endian);
                let mut out = Vec::new();
                for c in bytes.chunks(size) {
                    t.push(c, &mut out, false);
                }
                t.push(&[], &mut out, true);
                assert_eq!(String::from_utf8(out).unwrap(), text, "chunk {size}");
            }
        }
    }

    #[test]
    fn transcodes_gb18030_in_any_chunks() {
        let text = "订单编号,金额\r\n1,\"张三, 𠀀\"\r\n";
        let bytes = encode_gb18030(text);
        for size in [1, 2, 3, 7, bytes.len()] {
            let mut t = Transcoder::gb18030();
            let mut out = Vec::new();
            for c in bytes.chunks(size) {
                t.push(c, &mut out, false);
            }
            t.push(&[], &mut out, true);
            assert_eq!(String::from_utf8(out).unwrap(), text, "chunk {size}");
        }
        // A lead byte cut off by the end of the file.
        let mut out = Vec::new();
        let mut t = Transcoder::gb18030();
        t.push(&[b'a', 0xD5], &mut out, false);
        t.push(&[], &mut out, true);
        assert_eq!(String::from_utf8(out).unwrap(), "a\u{FFFD}");
    }

    #[test]
    fn malformed_input_becomes_replacement_characters() {
        let mut out = Vec::new();
        let mut t = Transcoder::utf16(false);
        t.push(&[0x3D, 0xD8, b'a', 0], &mut out, false); // an unpaired high surrogate, then "a"
        t.push(&[0x41], &mut out, true); // a dangling byte at the end
        assert_eq!(String::from_utf8(out).unwrap(), "\u{FFFD}a\u{FFFD}");
        let mut cell = String::new();
        decode_gb18030_into(&[0xD5, 0xC5, 0x81], &mut cell); // 张 and a lead byte cut off
        assert_eq!(cell, "张\u{FFFD}");
        assert_eq!(encode_gb18030("张"), [0xD5, 0xC5]);
    }
}
