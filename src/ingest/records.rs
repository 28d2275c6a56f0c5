//! Streaming records over `csv-core`, with the line numbers that error messages need.
//!
//! Input arrives in chunks of any size; a record may span chunks. Fields are unescaped into one
//! reused buffer, so reading a row allocates nothing once the buffers have grown to the widest row.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A row longer than this is not an order export (or a quote is never closed).
pub const MAX_RECORD_BYTES: usize = 8 << 20;
/// More fields than this in one row means the delimiter or the file is wrong.
pub const MAX_FIELDS: usize = 16_384;

/// One parsed row, borrowed from the reader's buffers.
pub struct Record<'a> {
    buf: &'a [u8],
    ends: &'a [usize],
    /// Line (1-based) where the record starts.
    pub line: u64,
    /// Whether the record ended at the end of the file while a quoted field was still open
    /// (a newline inside a field and no newline after it).
    pub at_eof: bool,
}

impl<'a> Record<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn field(&self, i: usize) -> Option<&'a [u8]> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.buf.get(start..end)
    }

    /// The record's fields as text when the whole record is valid UTF-8 (validated once: fields
    /// split at ASCII delimiters, so each is then valid too), else `None`.
    pub fn utf8(&self) -> Option<Utf8Record<'a>> {
        let text = std::str::from_utf8(self.buf).ok()?;
        Some(Utf8Record { text, ends: self.ends })
    }

    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(move |i| self.field(i))
    }

    /// True for a row whose every field is empty (`,,,,`).
    pub fn is_blank(&self) -> bool {
        self.buf.iter().all(|b| b.is_ascii_whitespace())
    }
}

/// A record known to be valid UTF-8.
pub struct Utf8Record<'a> {
    text: &'a str,
    ends: &'a [usize],
}

impl<'a> Utf8Record<'a> {
    pub fn field(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }
}

/// The record was too long: `line` is where it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    pub line: u64,
    pub fields: bool,
}

pub struct RecordReader {
    rdr: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    out_len: usize,
    end_len: usize,
    last_byte: u8,
    done: bool,
}

impl RecordReader {
    pub fn new(delimiter: u8) -> RecordReader {
        RecordReader {
            rdr: ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 64 * 1024],
            ends: vec![0; 256],
            out_len: 0,
            end_len: 0,
            last_byte: 0,
            done: false,
        }
    }

    /// Parses `input`, calling `on_record` for every record completed by it.
    pub fn feed(&mut self, input: &[u8], on_record: &mut dyn FnMut(&Record)) -> Result<(), TooLong> {
        self.run(input, false, on_record)
    }

    /// Signals the end of input: the last record (without a final newline) is delivered.
    pub fn finish(&mut self, on_record: &mut dyn FnMut(&Record)) -> Result<(), TooLong> {
        self.run(&[], true, on_record)
    }

    fn run(&mut self, mut input: &[u8], eof: bool, on_record: &mut dyn FnMut(&Record)) -> Result<(), TooLong> {
        if self.done {
            return Ok(());
        }
        loop {
            // csv-core reads an empty input as the end of the data: only send one when it is.
            if input.is_empty() && !eof {
                return Ok(());
            }
            let (res, nin, nout, nend) =
                self.rdr.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.end_len..]);
            if nin > 0 {
                self.last_byte = input[nin - 1];
            }
            input = &input[nin..];
            self.out_len += nout;
            self.end_len += nend;
            match res {
                ReadRecordResult::InputEmpty => {
                    if !eof {
                        return Ok(());
                    }
                }
                ReadRecordResult::OutputFull => {
                    if self.out.len() >= MAX_RECORD_BYTES {
                        return Err(TooLong { line: self.start_line(eof), fields: false });
                    }
                    let n = (self.out.len() * 2).min(MAX_RECORD_BYTES);
                    self.out.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    if self.ends.len() >= MAX_FIELDS {
                        return Err(TooLong { line: self.start_line(eof), fields: true });
                    }
                    let n = (self.ends.len() * 2).min(MAX_FIELDS);
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    let line = self.start_line(eof);
                    let buf = &self.out[..self.out_len];
                    let rec = Record {
                        buf,
                        ends: &self.ends[..self.end_len],
                        line,
                        // A field running to the end of the data over several lines, with no
                        // closing quote as the last byte: the quote was never closed.
                        at_eof: eof && self.last_byte != b'"' && memchr::memchr(b'\n', buf).is_some(),
                    };
                    on_record(&rec);
                    self.out_len = 0;
                    self.end_len = 0;
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return Ok(());
                }
            }
        }
    }

    /// The start line of the record being read: its end line minus the newlines inside its fields.
    /// (csv-core counts the `\n` bytes it consumes, from line 1.)
    fn start_line(&self, eof: bool) -> u64 {
        let ended_by_lf = !eof && self.last_byte == b'\n';
        let end_line = self.rdr.line() - ended_by_lf as u64;
        let inner = memchr::memchr_iter(b'\n', &self.out[..self.out_len]).count() as u64;
        end_line.saturating_sub(inner).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(data: &[u8], chunk: usize) -> Vec<(u64, Vec<String>)> {
        let mut r = RecordReader::new(b',');
        let mut got = Vec::new();
        let mut push = |rec: &Record| {
            got.push((rec.line, rec.fields().map(|f| String::from_utf8_lossy(f).into_owned()).collect()))
        };
        for c in data.chunks(chunk.max(1)) {
            r.feed(c, &mut push).unwrap();
        }
        r.finish(&mut push).unwrap();
        got
    }

    #[test]
    fn lines_and_quotes_across_chunks() {
        let data = b"a,b\r\n\r\n1,\"x\r\ny\"\r\n2,\"q\"\"t\"\r\n3,z";
        let want = vec![
            (1, vec!["a".to_string(), "b".to_string()]),
            (3, vec!["1".into(), "x\r\ny".into()]),
            (5, vec!["2".into(), "q\"t".into()]),
            (6, vec!["3".into(), "z".into()]),
        ];
        for chunk in [1, 2, 3, 5, 7, 100] {
            assert_eq!(collect(data, chunk), want, "chunk {chunk}");
        }
    }

    #[test]
    fn lf_only_lines() {
        let got = collect(b"h\n1\n\n2\n", 1);
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), vec![1, 2, 4]);
    }

    #[test]
    fn too_long_record_is_an_error() {
        let mut r = RecordReader::new(b',');
        let big = vec![b'x'; MAX_RECORD_BYTES + 10];
        let mut sink = |_: &Record| {};
        let err = r.feed(b"h\n", &mut sink).and_then(|_| r.feed(&big, &mut sink)).and_then(|_| r.finish(&mut sink));
        assert_eq!(err, Err(TooLong { line: 2, fields: false }));
    }
}
