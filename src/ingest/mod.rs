//! Bytes to orders: the streaming importer.
//!
//! ```text
//! chunks ─► sniff (first 256 KB: encoding, delimiter, header row) ─► records (csv-core)
//!        ─► cells of the mapped columns only ─► orders (builder) ─► Dataset + ImportReport
//! ```
//! Chunks may be of any size and split anything (a character, a quoted field, a line); the whole
//! file is never held, only the sniffing window and the row being parsed. Natively, a file read
//! from a reader has its records found on a thread of their own (`pipeline`).

pub mod builder;
pub mod cells;
pub mod columns;
pub mod dates;
pub mod dialect;
pub mod encoding;
#[cfg(not(target_arch = "wasm32"))]
pub mod pipeline;
pub mod presets;
pub mod records;
pub mod report;
mod specials;

use crate::error::{Error, ErrorKind};
use crate::model::Dataset;
use crate::text_codec::Transcoder;
pub use builder::Preview;
use builder::{Builder, FileCtx};
use columns::{Mapping, MappingError, Role};
use encoding::Encoding;
use records::{Record, RecordReader, Records, TooLong, Upcoming};
use report::{FileReport, ImportReport};

/// Bytes examined before the dialect is decided (more if no header is found in them).
const SNIFF_BYTES: usize = 256 * 1024;
/// Give up looking for a header after this much of the file.
const MAX_SNIFF_BYTES: usize = 8 << 20;
/// Rows reserved for at most, however large a file says it is: beyond this the tables grow as
/// needed, so a line-item file (fewer orders than rows) never reserves more than the 4 GB a page's
/// wasm may have.
const MAX_RESERVED_ROWS: u64 = 8_000_000;

/// What the user chose about reading their files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// `role = column` choices that beat detection; an empty column unmaps the role.
    pub overrides: Vec<(Role, String)>,
    /// The column kind to identify customers by; `None` picks the best present.
    pub customer_key: Option<Role>,
}

/// Reads one or more files, pushed in chunks, into one [`Dataset`].
///
/// ```
/// use huitou::ingest::{Importer, ImportOptions};
/// let mut imp = Importer::new(ImportOptions::default());
/// imp.start_file("orders.csv");
/// imp.push(b"customer,date,amount\nann,2024-01-05,10\nann,2024-02-0").unwrap();
/// imp.push(b"1,12.5\nbob,2024-01-09,7\n").unwrap();
/// imp.end_file().unwrap();
/// let (data, report) = imp.finish().unwrap();
/// assert_eq!(report.valid_orders, 3);
/// assert_eq!(data.customers.len(), 2);
///
/// // A spreadsheet is not an export: one clear sentence, naming the file.
/// let mut imp = Importer::new(ImportOptions::default());
/// imp.start_file("orders.xlsx");
/// imp.push(b"PK\x03\x04....").unwrap();
/// let err = imp.end_file().unwrap_err();
/// assert!(err.to_string().starts_with("orders.xlsx: this is an Excel workbook"));
/// ```
pub struct Importer {
    options: ImportOptions,
    builder: Builder,
    files: Vec<FileReport>,
    current: Option<FileState>,
    key_role: Option<Option<Role>>,
    bytes_read: u64,
}

struct FileState {
    name: String,
    /// The file's size in bytes, when the caller knows it.
    size: Option<u64>,
    phase: Phase,
}

enum Phase {
    /// Collecting the start of the file; the dialect is tried again when `head` reaches `next`.
    Sniffing {
        head: Vec<u8>,
        next: usize,
    },
    Reading(Box<Reading>),
}

/// Bytes of a GBK or UTF-16 chunk transcoded at a time: the UTF-8 of a whole 4 MB chunk took up
/// to 6 MB, which the page's memory kept (the 1 GB GBK benchmark file peaked 11 MB higher than
/// when its cells were decoded one by one).
const TRANSCODED_PIECE: usize = 1 << 20;

struct Reading {
    records: RecordReader,
    transcoder: Option<Transcoder>,
    /// Reused UTF-8 buffer for transcoded pieces of chunks ([`TRANSCODED_PIECE`]).
    scratch: Vec<u8>,
    options: ImportOptions,
    sink: Sink,
}

/// Receives records: preamble rows, then the header (which makes the mapping), then data rows.
struct Sink {
    name: String,
    index: u16,
    /// The file's encoding, as reported.
    enc: Encoding,
    delimiter: u8,
    header_index: usize,
    /// Rows the file is expected to hold (0: unknown).
    rows_hint: usize,
    seen: usize,
    ctx: Option<FileCtx>,
    error: Option<Error>,
}

impl Importer {
    pub fn new(options: ImportOptions) -> Importer {
        Importer { options, builder: Builder::new(), files: Vec::new(), current: None, key_role: None, bytes_read: 0 }
    }

    /// Begins a file; its name is used in every message about it.
    pub fn start_file(&mut self, name: &str) {
        self.current = Some(FileState {
            name: name.to_string(),
            size: None,
            phase: Phase::Sniffing { head: Vec::new(), next: SNIFF_BYTES },
        });
    }

    /// The current file's size in bytes, if known before its chunks arrive: room for its rows is
    /// then reserved once, from the row length seen while sniffing, instead of growing (and
    /// copying) the per-order tables several times over.
    pub fn file_size(&mut self, bytes: u64) {
        if let Some(state) = self.current.as_mut() {
            state.size = Some(bytes);
        }
    }

    /// Bytes pushed so far, over all files.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// Data rows read so far, over all files (for progress display).
    pub fn rows_read(&self) -> u64 {
        let done: u64 = self.files.iter().map(|f| f.rows_read).sum();
        let current = match &self.current {
            Some(FileState { phase: Phase::Reading(r), .. }) => r.sink.ctx.as_ref().map_or(0, |c| c.report.rows_read),
            _ => 0,
        };
        done + current
    }

    /// Valid orders, customers and repeat customers among the orders read so far: figures to show
    /// while a big file is read. Cheap to call after every chunk (each order is counted once).
    pub fn preview(&mut self) -> Preview {
        self.builder.preview()
    }

    /// Pushes the next chunk of the current file, of any size.
    ///
    /// Only what the sniffing window needs of it is copied: a whole file pushed at once
    /// ([`import_files`]) was copied whole before it was read, which took the 1 GB Taobao-style
    /// file's import from 2.7-3.1 s (pushed 4 MB at a time) to 6.1-6.4 s, most of it the kernel
    /// clearing the copy's pages.
    pub fn push(&mut self, mut chunk: &[u8]) -> Result<(), Error> {
        self.bytes_read += chunk.len() as u64;
        let file_index = self.files.len() as u16;
        loop {
            let Some(state) = self.current.as_mut() else {
                return Err(Error::new("(no file)", ErrorKind::Usage("push() before start_file()")));
            };
            match &mut state.phase {
                Phase::Sniffing { head, next } => {
                    let (wanted, rest) = chunk.split_at(next.saturating_sub(head.len()).min(chunk.len()));
                    head.extend_from_slice(wanted);
                    chunk = rest;
                    if head.len() < *next {
                        return Ok(());
                    }
                    let (head, window) = (std::mem::take(head), *next);
                    // Reading from here on, or sniffing again over a larger window.
                    self.begin_reading(file_index, head, window, false)?;
                    if chunk.is_empty() {
                        return Ok(());
                    }
                }
                Phase::Reading(r) => return r.feed(chunk, &mut self.builder, false),
            }
        }
    }

    /// Ends the current file: flushes its last row and settles what needed the whole file.
    pub fn end_file(&mut self) -> Result<(), Error> {
        let file_index = self.files.len() as u16;
        let Some(state) = self.current.as_mut() else {
            return Ok(());
        };
        if let Phase::Sniffing { head, next } = &mut state.phase {
            let (head, window) = (std::mem::take(head), *next);
            if head.iter().all(|b| b.is_ascii_whitespace()) {
                return Err(Error::new(&state.name, ErrorKind::Empty));
            }
            self.begin_reading(file_index, head, window, true)?;
        }
        let Some(FileState { phase: Phase::Reading(mut r), name, .. }) = self.current.take() else {
            return Ok(());
        };
        r.feed(&[], &mut self.builder, true)?;
        let Some(mut ctx) = r.sink.ctx.take() else {
            return Err(Error::new(&name, ErrorKind::NoHeader));
        };
        if ctx.report.rows_read == 0 {
            return Err(Error::new(&name, ErrorKind::HeaderOnly));
        }
        self.builder.end_file(&mut ctx);
        if !ctx.report.lines_only && self.key_role.is_none() {
            self.key_role = Some(ctx.key_role);
        }
        self.files.push(ctx.report);
        Ok(())
    }

    /// All files read: the dataset and the import report.
    pub fn finish(mut self) -> Result<(Dataset, ImportReport), Error> {
        if self.current.is_some() {
            self.end_file()?;
        }
        if !self.files.is_empty() && self.files.iter().all(|f| f.lines_only) {
            return Err(Error::new(&self.files[0].name, ErrorKind::NoOrders));
        }
        let key = self.key_role.flatten();
        Ok(self.builder.finish(self.files, key))
    }

    /// Decides encoding and dialect from the first `window` bytes of `head`, then parses all of
    /// `head`. Deciding on a fixed window, not on whatever has arrived, keeps the result the same
    /// however the file is chunked.
    fn begin_reading(&mut self, index: u16, head: Vec<u8>, window: usize, complete: bool) -> Result<(), Error> {
        let Some(state) = self.current.as_mut() else {
            return Ok(());
        };
        let name = state.name.clone();
        let probe_complete = complete && head.len() <= window;
        let probe = &head[..head.len().min(window)];
        let enc = encoding::detect(probe, probe_complete).map_err(|e| Error::new(&name, ErrorKind::NotText(e)))?;
        let body = &head[enc.bom_len().min(head.len())..];
        let mut transcoder = encoding::transcoder(enc);
        let mut text_buf = Vec::new();
        // A file that is transcoded has as much of its head transcoded here as the window takes,
        // a piece at a time; the rest goes through `Reading::feed` like the chunks after it.
        // (Transcoding a 4 MB head whole took 12 MB of the CLI's memory.)
        let (text, rest): (&[u8], &[u8]) = match transcoder.as_mut() {
            Some(t) => {
                let mut at = 0;
                while text_buf.len() < window && at < body.len() {
                    let end = (at + TRANSCODED_PIECE).min(body.len());
                    t.push(&body[at..end], &mut text_buf, complete && end == body.len());
                    at = end;
                }
                (&text_buf, &body[at..])
            }
            None => (body, &[]),
        };
        let probe_text = &text[..text.len().min(window)];
        // Rows estimated from the first window's lines per byte, and a thirty-second more: lists
        // reserved for the estimate never move, while one that falls short must be copied to a
        // larger place, holding both copies for a moment (see `crate::growth`).
        let rows_hint = state.size.map_or(0, |size| {
            let lines = memchr::memchr_iter(b'\n', probe).count() as u64;
            let estimate = size.saturating_mul(lines) / probe.len().max(1) as u64;
            (estimate + estimate / 32).min(MAX_RESERVED_ROWS) as usize
        });
        let d = match dialect::sniff(probe_text, probe_complete) {
            Ok(d) => d,
            Err(_) if !complete && window < MAX_SNIFF_BYTES => {
                // No header yet: look again when twice as much of the file is here.
                state.phase = Phase::Sniffing { head, next: window * 2 };
                return Ok(());
            }
            Err(_) => return Err(Error::new(&name, ErrorKind::NoHeader)),
        };
        let mut reading = Box::new(Reading {
            // What it reads is UTF-8: the file's own bytes, or what the transcoder made of them.
            records: RecordReader::new(d.delimiter).checking_utf8(),
            transcoder,
            scratch: Vec::new(),
            options: self.options.clone(),
            sink: Sink {
                name: name.clone(),
                index,
                enc,
                delimiter: d.delimiter,
                header_index: d.header_index,
                rows_hint,
                seen: 0,
                ctx: None,
                error: None,
            },
        });
        reading.parse(&text[d.skip..], &mut self.builder, false)?;
        reading.feed(rest, &mut self.builder, false)?;
        state.phase = Phase::Reading(reading);
        Ok(())
    }
}

impl Reading {
    /// Reads the next chunk of the file's bytes (transcoded first if the file is not UTF-8).
    fn feed(&mut self, chunk: &[u8], builder: &mut Builder, last: bool) -> Result<(), Error> {
        self.read(chunk, builder, last, true)
    }

    /// Reads text that is already UTF-8: the head of the file, which sniffing transcoded.
    fn parse(&mut self, text: &[u8], builder: &mut Builder, last: bool) -> Result<(), Error> {
        self.read(text, builder, last, false)
    }

    fn read(&mut self, bytes: &[u8], builder: &mut Builder, last: bool, transcode: bool) -> Result<(), Error> {
        let Reading { records, transcoder, scratch, options, sink } = self;
        let transcoder = transcoder.as_mut().filter(|_| transcode);
        let res = split(records, transcoder, scratch, bytes, last, &mut Feeding { sink, builder, options });
        if let Some(e) = self.sink.error.take() {
            return Err(e);
        }
        res.map_err(|e| too_long(&self.sink.name, e))
    }
}

/// The error of a record too long, or of too many fields, in file `name`.
fn too_long(name: &str, TooLong { line, fields }: TooLong) -> Error {
    let kind = if fields {
        ErrorKind::TooManyFields { line }
    } else {
        ErrorKind::RowTooLong { line, limit_mb: records::MAX_RECORD_BYTES >> 20 }
    };
    Error::new(name, kind)
}

/// Splits `chunk` (transcoded first, a piece at a time, if the file is not UTF-8) into records
/// for `sink`; with `last`, the file's last record too.
fn split(
    records: &mut RecordReader,
    transcoder: Option<&mut Transcoder>,
    scratch: &mut Vec<u8>,
    chunk: &[u8],
    last: bool,
    sink: &mut dyn Records,
) -> Result<(), TooLong> {
    let Some(transcoder) = transcoder else {
        records.feed(chunk, sink)?;
        return if last { records.finish(sink) } else { Ok(()) };
    };
    let mut pieces = chunk.chunks(TRANSCODED_PIECE).peekable();
    loop {
        let piece = pieces.next().unwrap_or_default();
        let last_piece = pieces.peek().is_none();
        scratch.clear();
        transcoder.push(piece, scratch, last && last_piece);
        records.feed(scratch, sink)?;
        if last_piece {
            return if last { records.finish(sink) } else { Ok(()) };
        }
    }
}

/// The sink and what it fills, as the record reader sees them.
struct Feeding<'a> {
    sink: &'a mut Sink,
    builder: &'a mut Builder,
    options: &'a ImportOptions,
}

impl Records for Feeding<'_> {
    fn record(&mut self, rec: &Record) {
        self.sink.record(rec, self.builder, self.options);
    }

    fn ahead(&mut self, upcoming: &Upcoming) {
        if let (Some(ctx), None) = (&self.sink.ctx, &self.sink.error) {
            self.builder.look_ahead(ctx, upcoming);
        }
    }
}

impl Sink {
    fn record(&mut self, rec: &Record, builder: &mut Builder, options: &ImportOptions) {
        if self.error.is_some() {
            return;
        }
        let n = self.seen;
        self.seen += 1;
        if let Some(ctx) = self.ctx.as_mut() {
            builder.row(ctx, rec);
            return;
        }
        if n < self.header_index {
            return; // title lines above the header
        }
        let headers: Vec<String> = rec.fields().map(|f| encoding::decode_cell(f).0.into_owned()).collect();
        match Mapping::detect(&headers, &options.overrides) {
            Ok(mapping) => {
                let mut ctx =
                    FileCtx::new(self.index, &self.name, self.enc, mapping, options.customer_key, self.delimiter);
                ctx.report.header_line = rec.line;
                builder.start_file(&ctx);
                builder.reserve(&ctx, self.rows_hint);
                self.ctx = Some(ctx);
            }
            Err(e) => {
                let available: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
                let kind = match e {
                    MappingError::UnknownColumn { role, column } => {
                        ErrorKind::UnknownColumn { role, column, available }
                    }
                    MappingError::NoDate => ErrorKind::NoDateColumn { available },
                    MappingError::NoAmount => ErrorKind::NoAmountColumn { available },
                };
                self.error = Some(Error::new(&self.name, kind));
            }
        }
    }
}

/// Imports whole files held in memory (tests, small inputs): `(name, bytes)` pairs.
pub fn import_files(files: &[(&str, &[u8])], options: ImportOptions) -> Result<(Dataset, ImportReport), Error> {
    let mut imp = Importer::new(options);
    for (name, bytes) in files {
        imp.start_file(name);
        imp.file_size(bytes.len() as u64);
        imp.push(bytes)?;
        imp.end_file()?;
    }
    imp.finish()
}
