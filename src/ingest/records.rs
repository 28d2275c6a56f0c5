//! Streaming records, with the line numbers that error messages need.
//!
//! Input arrives in chunks of any size; a record may span chunks. Most lines of an export have no
//! quote and no stray CR: between records, such a line is split where it lies, in one pass over
//! its bytes, and its fields borrowed from the chunk. Everything else (a quote, a CR alone, a
//! record cut by the end of a chunk, a line longer than the buffers) goes through `csv-core`,
//! which unescapes fields into one reused buffer; the two agree on every input (tested below
//! against csv-core alone). Reading a row allocates nothing once the buffers have grown to the
//! widest row.
//!
//! Lines split in place are handed over a few at a time ([`Records::ahead`], then each by
//! [`Records::record`]), so the reader of the rows can start fetching what they will need from
//! memory before it works on the first of them.

mod batch;

pub use batch::RecordBatch;

use super::specials::Specials;
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

/// A row longer than this is not an order export (or a quote is never closed).
pub const MAX_RECORD_BYTES: usize = 8 << 20;
/// More fields than this in one row means the delimiter or the file is wrong.
pub const MAX_FIELDS: usize = 16_384;

/// One parsed row, borrowed from the reader's buffers or from the input.
pub struct Record<'a> {
    buf: &'a [u8],
    ends: &'a [usize],
    /// Bytes between one field's end and the next one's start in `buf`: 0 for csv-core's
    /// unescaped fields, 1 (the delimiter) for a line split in place.
    gap: usize,
    /// Line (1-based) where the record starts.
    pub line: u64,
    /// `buf` as text, when the reader checked it with the lines around it ([`Upcoming`]).
    text: Option<&'a str>,
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
        let start = if i == 0 { 0 } else { self.ends[i - 1] + self.gap };
        self.buf.get(start..end)
    }

    /// The record's fields as text when the whole record is valid UTF-8 (validated once, or with
    /// its group of lines: fields split at ASCII delimiters, so each is then valid too), else
    /// `None`.
    pub fn utf8(&self) -> Option<Utf8Record<'a>> {
        let text = match self.text {
            Some(text) => text,
            None => std::str::from_utf8(self.buf).ok()?,
        };
        Some(Utf8Record { text, ends: self.ends, gap: self.gap })
    }

    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(move |i| self.field(i))
    }

    /// True for a row whose every field is empty (`,,,,`).
    pub fn is_blank(&self) -> bool {
        self.fields().all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
    }
}

/// A record known to be valid UTF-8.
pub struct Utf8Record<'a> {
    text: &'a str,
    ends: &'a [usize],
    gap: usize,
}

impl<'a> Utf8Record<'a> {
    pub fn field(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] + self.gap };
        self.text.get(start..end)
    }
}

/// What receives the records.
pub trait Records {
    /// Each record, in order.
    fn record(&mut self, rec: &Record);

    /// The records about to be handed to [`Records::record`], when there are several: up to
    /// [`AHEAD`] lines split in place. A table lookup a row makes (a customer key among millions)
    /// is a wait on memory; reading the places of the next few rows' lookups together lets those
    /// waits overlap instead of coming one per row.
    fn ahead(&mut self, _upcoming: &Upcoming) {}
}

impl<F: FnMut(&Record)> Records for F {
    fn record(&mut self, rec: &Record) {
        self(rec)
    }
}

/// Lines split in place handed over together, at most: enough waits on memory to overlap, few
/// enough that the lines are still in the cache when their turn comes.
pub const AHEAD: usize = 16;

/// Where a line split in place lies in the input, and its fields' ends in [`Upcoming::ends`].
#[derive(Clone, Copy, Default)]
struct LineSpan {
    start: usize,
    end: usize,
    ends: (usize, usize),
    line: u64,
}

/// Records split in place and not handed over yet ([`Records::ahead`]).
pub struct Upcoming<'a> {
    input: &'a [u8],
    spans: &'a [LineSpan],
    /// Every line's field ends, relative to its start, one line after another.
    ends: &'a [usize],
    /// The lines, from the first's start to the last's end, as text: checked once for all of them
    /// when the reader is told the file is UTF-8 ([`RecordReader::checking_utf8`]); `None` if not
    /// told, or if some line is not UTF-8 (each line is then checked alone).
    text: Option<&'a str>,
}

impl<'a> Upcoming<'a> {
    fn new(input: &'a [u8], spans: &'a [LineSpan], ends: &'a [usize], check_utf8: bool) -> Upcoming<'a> {
        let text = match (check_utf8, spans.first(), spans.last()) {
            (true, Some(first), Some(last)) => {
                input.get(first.start..last.end).and_then(|b| simdutf8::basic::from_utf8(b).ok())
            }
            _ => None,
        };
        Upcoming { input, spans, ends, text }
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Record<'a>> + '_ {
        let base = self.spans.first().map_or(0, |s| s.start);
        self.spans.iter().map(move |s| Record {
            buf: &self.input[s.start..s.end],
            ends: &self.ends[s.ends.0..s.ends.1],
            gap: 1,
            line: s.line,
            at_eof: false,
            // Lines end at a LF or CR, so each is whole characters of the checked text.
            text: self.text.and_then(|t| t.get(s.start - base..s.end - base)),
        })
    }

    /// Hands the lines over, [`Records::ahead`] first.
    fn deliver(&self, sink: &mut dyn Records) {
        if self.len() > 1 {
            sink.ahead(self);
        }
        for rec in self.iter() {
            sink.record(&rec);
        }
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
    delimiter: u8,
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The field ends of lines split in place and waiting to be handed over.
    span_ends: Vec<usize>,
    out_len: usize,
    end_len: usize,
    last_byte: u8,
    /// csv-core is between records (nothing of the next one read), so a line may be split here.
    between_records: bool,
    /// Every record through csv-core: the reference the tests hold the split lines to.
    csv_core_only: bool,
    /// Lines split in place are checked as UTF-8 a group at a time ([`RecordReader::checking_utf8`]).
    check_utf8: bool,
    done: bool,
}

impl RecordReader {
    pub fn new(delimiter: u8) -> RecordReader {
        RecordReader {
            rdr: ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            out: vec![0; 64 * 1024],
            ends: vec![0; 256],
            span_ends: Vec::new(),
            out_len: 0,
            end_len: 0,
            last_byte: 0,
            between_records: true,
            csv_core_only: false,
            check_utf8: false,
            done: false,
        }
    }

    /// A reader for a UTF-8 file: lines split in place come with their text
    /// ([`Record::utf8`]), checked sixteen lines at a time with `simdutf8`. Checking each line
    /// alone with `str::from_utf8` was about an eighth of the wasm import of the 100 MB
    /// Taobao-style file (an import that skipped the check read it 12–15 % faster in Node), and
    /// `simdutf8` line by line gained nothing measurable: a call has its set-up and its last,
    /// partial 64-byte block, and a line is 170 bytes. `node --cpu-prof` over three imports of
    /// that file: the check took 262 ms line by line, 197 ms sixteen lines at a time with
    /// `str::from_utf8`, 65 ms with `simdutf8` in the SIMD build (`www/wasm.js` picks it where the
    /// browser has wasm SIMD). A group with a line that is not UTF-8 is checked line by line.
    pub fn checking_utf8(mut self) -> RecordReader {
        self.check_utf8 = true;
        self
    }

    /// Parses `input`, handing `sink` every record completed by it.
    pub fn feed(&mut self, input: &[u8], sink: &mut dyn Records) -> Result<(), TooLong> {
        self.run(input, false, sink)
    }

    /// Signals the end of input: the last record (without a final newline) is delivered.
    pub fn finish(&mut self, sink: &mut dyn Records) -> Result<(), TooLong> {
        self.run(&[], true, sink)
    }

    fn run(&mut self, mut input: &[u8], eof: bool, sink: &mut dyn Records) -> Result<(), TooLong> {
        if self.done {
            return Ok(());
        }
        loop {
            if self.between_records && !self.csv_core_only {
                input = self.split_plain_lines(input, sink);
            } else if self.last_byte == b'\r' && input.first() == Some(&b'\n') && self.out_len + self.end_len == 0 {
                // csv-core ended its last record at the CR of a CRLF and discards the LF next,
                // after which it is between records.
                let (_, nin, _, _) = self.rdr.read_record(&input[..1], &mut self.out, &mut self.ends);
                input = &input[nin..];
                self.last_byte = b'\n';
                self.between_records = nin == 1;
                continue;
            }
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
                        self.between_records = self.last_byte == b'\n' && self.out_len + self.end_len == 0;
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
                        gap: 0,
                        line,
                        // A field running to the end of the data over several lines, with no
                        // closing quote as the last byte: the quote was never closed.
                        at_eof: eof && self.last_byte != b'"' && memchr::memchr(b'\n', buf).is_some(),
                        text: None,
                    };
                    sink.record(&rec);
                    self.out_len = 0;
                    self.end_len = 0;
                    self.between_records = self.last_byte == b'\n';
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return Ok(());
                }
            }
        }
    }

    /// Splits the complete lines at the start of `input` that csv-core would read as plain
    /// fields: no quote, no CR but one before the LF, short enough for the buffers (so csv-core
    /// could not have failed on them). Returns the rest, from the first line it leaves to csv-core.
    ///
    /// One pass finds every delimiter, LF, CR and quote ([`Specials`]). Searching each line with
    /// `memchr` for its end, then for quotes, then field by field for delimiters was a seventh of
    /// the wasm import's time (`memchr` has no vector instructions there); one pass made the
    /// import of the 100 MB Taobao-style file 5–9 % faster in Node.
    fn split_plain_lines<'i>(&mut self, input: &'i [u8], sink: &mut dyn Records) -> &'i [u8] {
        // Lines waiting to be handed over, and their fields' ends, written by index (this loop
        // runs for every field of the file).
        let mut spans = [LineSpan::default(); AHEAD];
        let mut ends = std::mem::take(&mut self.span_ends);
        let (mut waiting, mut ends_used) = (0, 0);
        let (max_fields, max_line) = (self.ends.len(), self.out.len());
        let mut line_no = self.rdr.line();
        // The current line's start in `input`, its fields so far and whether a CR ends it.
        let (mut start, mut fields, mut cr) = (0, 0, false);
        for at in Specials::new(input, self.delimiter) {
            match input[at] {
                b'\n' => {
                    let end = at - cr as usize;
                    if end - start >= max_line {
                        break;
                    }
                    // csv-core skips empty lines.
                    if end > start {
                        if fields >= max_fields {
                            break; // more fields than its buffer holds: csv-core grows it
                        }
                        if ends_used == ends.len() {
                            ends.resize((2 * ends.len()).max(256), 0);
                        }
                        ends[ends_used] = end - start;
                        ends_used += 1;
                        spans[waiting] =
                            LineSpan { start, end, ends: (ends_used - fields - 1, ends_used), line: line_no };
                        waiting += 1;
                        if waiting == AHEAD {
                            Upcoming::new(input, &spans, &ends, self.check_utf8).deliver(sink);
                            (waiting, ends_used) = (0, 0);
                        }
                    }
                    line_no += 1;
                    (start, fields, cr) = (at + 1, 0, false);
                }
                b'\r' if input.get(at + 1) == Some(&b'\n') => cr = true,
                b if b == self.delimiter => {
                    if fields >= max_fields {
                        break; // as above
                    }
                    if ends_used == ends.len() {
                        ends.resize((2 * ends.len()).max(256), 0);
                    }
                    ends[ends_used] = at - start;
                    ends_used += 1;
                    fields += 1;
                }
                // A quote, or a CR not right before an LF.
                _ => break,
            }
        }
        Upcoming::new(input, &spans[..waiting], &ends, self.check_utf8).deliver(sink);
        self.span_ends = ends;
        self.rdr.set_line(line_no);
        if start > 0 {
            self.last_byte = b'\n';
        }
        let rest = &input[start..];
        self.between_records = rest.is_empty();
        rest
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

    /// A reader checking UTF-8 a group of lines at a time gives each record the text that
    /// checking it alone gives: none when its bytes are not UTF-8, even beside lines that are,
    /// and the same for records through csv-core.
    #[test]
    fn utf8_checked_in_groups_is_utf8_checked_alone() {
        let plain: [&[u8]; 9] =
            [b"ab", b"1234567", b",", b",", b"\n", b"\r\n", b" ", "张".as_bytes(), "文件".as_bytes()];
        // A stray byte, a cut character, a quote (the line then goes through csv-core).
        let rare: [&[u8]; 3] = [b"\xff", b"\xe5\xbc", b"\""];
        let mut rng = crate::sample::Rng::new(11);
        let (mut records, mut bad) = (0, 0);
        for _ in 0..3_000 {
            let len = rng.below(400) as usize;
            let data: Vec<u8> = (0..len)
                .flat_map(|_| if rng.below(70) == 0 { *rng.pick(&rare) } else { *rng.pick(&plain) }.iter().copied())
                .collect();
            let chunk = 1 + rng.below(300) as usize;
            let mut check = |rec: &Record| {
                records += 1;
                let alone = std::str::from_utf8(rec.buf).is_ok();
                bad += !alone as usize;
                let text = rec.utf8();
                assert_eq!(text.is_some(), alone, "line {}: {:?}", rec.line, String::from_utf8_lossy(rec.buf));
                if let Some(text) = text {
                    for c in 0..rec.len() {
                        assert_eq!(text.field(c).map(str::as_bytes), rec.field(c));
                    }
                }
            };
            let mut r = RecordReader::new(b',').checking_utf8();
            for c in data.chunks(chunk) {
                r.feed(c, &mut check).unwrap();
            }
            r.finish(&mut check).unwrap();
        }
        assert!(records > 10_000 && bad > 100, "{records} records, {bad} not UTF-8");
    }

    /// Lines split in place give what csv-core alone gives, on random text made of the bytes that
    /// matter (delimiter, quote, CR, LF, space, a multi-byte character) in random chunkings.
    #[test]
    fn split_lines_read_as_csv_core_reads_them() {
        let alphabet: [&[u8]; 9] = [b"a", b"bc", b",", b",", b"\"", b"\r", b"\n", b" ", "张".as_bytes()];
        // Mostly plain lines, long enough for whole words of eight bytes between the specials.
        let plain: [&[u8]; 12] =
            [b"a", b"bc", b"1234567", b"x", b",", b",", b"\n", b"\r\n", "张".as_bytes(), b" ", b"q", b"\""];
        let mut rng = crate::sample::Rng::new(3);
        for case in 0..20_000 {
            let (pieces, len, chunk) = match case % 2 {
                0 => (&alphabet[..], rng.below(40) as usize, 1 + rng.below(16) as usize),
                _ => (
                    &plain[..plain.len() - (rng.below(3) > 0) as usize],
                    rng.below(200) as usize,
                    1 + rng.below(80) as usize,
                ),
            };
            let data: Vec<u8> = (0..len).flat_map(|_| rng.pick(pieces).iter().copied()).collect();
            let read = |csv_core_only: bool| {
                let mut r = RecordReader::new(b',');
                r.csv_core_only = csv_core_only;
                let mut got = Vec::new();
                let mut push = |rec: &Record| {
                    got.push((
                        rec.line,
                        rec.at_eof,
                        rec.is_blank(),
                        rec.fields().map(<[u8]>::to_vec).collect::<Vec<_>>(),
                    ))
                };
                for c in data.chunks(chunk) {
                    r.feed(c, &mut push).unwrap();
                }
                r.finish(&mut push).unwrap();
                got
            };
            assert_eq!(read(false), read(true), "{:?} in chunks of {chunk}", String::from_utf8_lossy(&data));
        }
    }

    /// Records announced ahead are the next ones handed over, in order, at most [`AHEAD`] at a time.
    #[test]
    fn records_ahead_are_the_next_ones() {
        #[derive(Default)]
        struct Log {
            announced: Vec<Vec<u64>>,
            handed: Vec<u64>,
            /// (handed so far, lines announced) at each announcement.
            at: Vec<(usize, Vec<u64>)>,
        }
        impl Records for Log {
            fn record(&mut self, rec: &Record) {
                self.handed.push(rec.line);
            }
            fn ahead(&mut self, upcoming: &Upcoming) {
                let lines: Vec<u64> = upcoming.iter().map(|r| r.line).collect();
                self.at.push((self.handed.len(), lines.clone()));
                self.announced.push(lines);
            }
        }
        let mut data = String::from("h1,h2\n");
        for i in 0..100 {
            data.push_str(&if i % 37 == 5 { format!("\"q{i}\",x\n") } else { format!("a{i},b\n") });
        }
        let mut log = Log::default();
        let mut r = RecordReader::new(b',');
        for c in data.as_bytes().chunks(300) {
            r.feed(c, &mut log).unwrap();
        }
        r.finish(&mut log).unwrap();
        assert_eq!(log.handed, (1..=101).collect::<Vec<u64>>());
        assert!(log.announced.len() > 3, "{:?}", log.announced);
        for (before, lines) in &log.at {
            assert!(lines.len() > 1 && lines.len() <= AHEAD, "{lines:?}");
            assert_eq!(&log.handed[*before..*before + lines.len()], &lines[..]);
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
        // The same with a newline after it: a plain line is split in place only if it is short.
        let mut r = RecordReader::new(b',');
        let mut line = big;
        line.push(b'\n');
        let err = r.feed(b"h\n", &mut sink).and_then(|_| r.feed(&line, &mut sink));
        assert_eq!(err, Err(TooLong { line: 2, fields: false }));
    }
}
