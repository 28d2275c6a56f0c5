//! The native import on two threads: one reads the file and splits it into records, the other
//! turns the records into orders.
//!
//! The rows' orders, customers and skips depend on every row before them, so that work stays on
//! one thread; reading the bytes, transcoding a GBK file and finding its records do not. On the
//! 1 GB Taobao-style file those were a fifth of the CLI's samples in `perf` (the kernel's copy
//! of the file's pages among them), all in the import, the part of the run that had one core.
//! The browser's wasm has no threads: the page's worker pushes its chunks through
//! [`Importer::push`], where the same work runs one chunk after the other.

use super::records::{RecordBatch, TooLong};
use super::{split, too_long, Feeding, FileState, Importer, Phase, Reading};
use crate::error::Error;
use std::io::Read;
use std::sync::mpsc::sync_channel;
use std::sync::Mutex;

/// Bytes read at a time.
const CHUNK: usize = 4 << 20;
/// Input bytes whose records go over together. A batch holds their text and their records'
/// places, which for the `customer,date,amount` file's 25-byte rows take more than twice the text, so the
/// batches are the memory the pipeline costs. The 100 MB such file peaked at 147 MB on one thread;
/// in batches of 4 MB (two), 1 MB, 512 KB and 256 KB (three) at 176, 158, 153 and 150 MB, and all
/// of them read the 1 GB Taobao-style file as fast as each other.
const BATCH_BYTES: usize = 256 << 10;
/// Batches going back and forth: one being filled, one being read, one to spare.
const BATCHES: usize = 3;

/// Why reading a file stopped before its end.
#[derive(Debug)]
pub enum Stopped {
    /// Its bytes could not be read.
    Reading(std::io::Error),
    /// They could not be used.
    Using(Error),
}

/// What the splitting thread sends: a batch, how many of the file's bytes it holds, and whether
/// it is the last, with the error that made it the last, if any.
struct Split {
    batch: RecordBatch,
    bytes: usize,
    end: Result<bool, TooLong>,
}

impl Importer {
    /// Pushes the rest of the current file from `reader`, its records found on a thread of
    /// their own while this one makes them into orders. The result is [`Importer::push`]'s for
    /// the same bytes, chunk by chunk; where no thread can be made, that is what runs.
    pub fn push_all(&mut self, mut reader: impl Read + Send) -> Result<(), Stopped> {
        self.push_all_on(std::thread::Builder::new(), (CHUNK, BATCH_BYTES), move |buf: &mut [u8]| {
            fill(&mut reader, buf)
        })
    }

    /// [`Importer::push_all`] with the splitting thread made by `thread`, `read` filling chunks of
    /// `chunk` bytes, and batches of the records of `batch` bytes.
    fn push_all_on<R: FnMut(&mut [u8]) -> std::io::Result<usize> + Send>(
        &mut self,
        thread: std::thread::Builder,
        (chunk, batch_bytes): (usize, usize),
        mut read: R,
    ) -> Result<(), Stopped> {
        let mut buf = vec![0u8; chunk];
        // Until the file's dialect and columns are known, its chunks go the usual way.
        if !self.push_read(&mut read, &mut buf, true)? {
            return Ok(());
        }
        let Some(FileState { phase: Phase::Reading(reading), .. }) = self.current.as_mut() else {
            return Ok(());
        };
        let Reading { records, transcoder, scratch, options, sink } = &mut **reading;
        let (builder, bytes_read) = (&mut self.builder, &mut self.bytes_read);
        // Taken by the splitting thread, or back by this one if the thread was not made.
        let splitter = Mutex::new(Some((read, buf, records, transcoder, scratch)));
        let take = || splitter.lock().ok().and_then(|mut s| s.take());
        let unthreaded = std::thread::scope(|scope| {
            let (full_tx, full_rx) = sync_channel::<std::io::Result<Split>>(1);
            let (empty_tx, empty_rx) = sync_channel::<RecordBatch>(BATCHES);
            for _ in 0..BATCHES {
                // The channel has room for all: these sends cannot fail.
                let _ = empty_tx.send(RecordBatch::default());
            }
            let take = &take;
            let made = thread.spawn_scoped(scope, move || {
                let Some((mut read, mut buf, records, transcoder, scratch)) = take() else { return };
                // Ends after the last batch, an error, or when the other side stops listening.
                loop {
                    let n = match read(&mut buf) {
                        Ok(n) => n,
                        Err(e) => {
                            let _ = full_tx.send(Err(e));
                            return;
                        }
                    };
                    // The file's end sends one more batch, empty, the last.
                    let mut pieces = buf[..n].chunks(batch_bytes).peekable();
                    loop {
                        let Ok(mut batch) = empty_rx.recv() else { return };
                        batch.clear();
                        let piece = pieces.next().unwrap_or_default();
                        let end =
                            split(records, transcoder.as_mut(), scratch, piece, false, &mut batch).map(|()| n == 0);
                        let last = end != Ok(false);
                        if full_tx.send(Ok(Split { batch, bytes: piece.len(), end })).is_err() || last {
                            return;
                        }
                        if pieces.peek().is_none() {
                            break;
                        }
                    }
                }
            });
            if made.is_err() {
                return Ok(take().map(|(read, buf, ..)| (read, buf)));
            }
            // The splitter sends before it ends, so the channel cannot close before the last batch.
            while let Ok(got) = full_rx.recv() {
                let Split { batch, bytes, end } = got.map_err(Stopped::Reading)?;
                *bytes_read += bytes as u64;
                batch.deliver(&mut Feeding { sink, builder, options });
                if let Some(e) = sink.error.take() {
                    return Err(Stopped::Using(e));
                }
                if end.map_err(|e| Stopped::Using(too_long(&sink.name, e)))? {
                    break;
                }
                let _ = empty_tx.send(batch);
            }
            Ok(None)
        })?;
        match unthreaded {
            Some((mut read, mut buf)) => self.push_read(&mut read, &mut buf, false).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Pushes what `read` gives, a chunk at a time, to the file's end, or with `until_reading`
    /// until its dialect is known. Returns whether the file may have more.
    fn push_read(
        &mut self,
        read: &mut impl FnMut(&mut [u8]) -> std::io::Result<usize>,
        buf: &mut [u8],
        until_reading: bool,
    ) -> Result<bool, Stopped> {
        loop {
            if until_reading && matches!(&self.current, Some(FileState { phase: Phase::Reading(_), .. })) {
                return Ok(true);
            }
            let n = read(buf).map_err(Stopped::Reading)?;
            if n == 0 {
                return Ok(false);
            }
            self.push(&buf[..n]).map_err(Stopped::Using)?;
        }
    }
}

/// Reads until `buf` is full or the input ends: the importer is handed whole chunks, not the
/// short reads a decompressor makes. Returns how many bytes were read (0 only at the end).
fn fill(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::generate::{write, Layout, Spec};
    use crate::ingest::ImportOptions;
    use crate::settings::Settings;

    /// The whole outcome of an import: its report, or its error.
    fn outcome(imp: Result<Importer, String>) -> String {
        let report = imp.and_then(|imp| imp.finish().map_err(|e| e.to_string())).and_then(|(data, import)| {
            assert!(import.is_balanced(), "rows lost: {import:?}");
            analyze(&data, &import, &Settings::default()).map_err(|e| e.to_string())
        });
        match report {
            Ok(r) => serde_json::to_string(&r).unwrap_or_default(),
            Err(e) => format!("error: {e}"),
        }
    }

    /// `bytes` pushed whole, as the page's worker pushes them (in its own sizes).
    fn pushed(name: &str, bytes: &[u8]) -> String {
        let mut imp = Importer::new(ImportOptions::default());
        imp.start_file(name);
        let done = imp.push(bytes).and_then(|()| imp.end_file()).map(|()| imp);
        outcome(done.map_err(|e| e.to_string()))
    }

    /// `bytes` read from `reader` through the pipeline: chunks of `chunk` bytes, batches of `batch`.
    fn piped(
        name: &str,
        reader: impl Read + Send,
        thread: std::thread::Builder,
        (chunk, batch): (usize, usize),
    ) -> String {
        let mut reader = reader;
        let mut imp = Importer::new(ImportOptions::default());
        imp.start_file(name);
        let done = match imp.push_all_on(thread, (chunk, batch), |buf: &mut [u8]| fill(&mut reader, buf)) {
            Ok(()) => imp.end_file().map(|()| imp).map_err(|e| e.to_string()),
            Err(Stopped::Using(e)) => Err(e.to_string()),
            Err(Stopped::Reading(e)) => Err(format!("reading: {e}")),
        };
        outcome(done)
    }

    /// Lines of every kind the importer treats apart: quoted fields with delimiters, quotes and
    /// line breaks in them, CRLF, a CR alone, GBK bytes in a UTF-8 file, blank and short rows,
    /// a footer, a bad amount, a bad date. Past the sniffing window, so the pipeline reads them.
    fn rough_file(seed: u64) -> Vec<u8> {
        let lines: [&[u8]; 12] = [
            b"ann,2024-01-05,10\n",
            b"\"bob, jr\",2024-01-06,\"1,200.50\"\n",
            b"\"c\"\"d\",2024-02-01,3\r\n",
            b"\"multi\nline\",2024-03-01,4\n",
            b"\xd5\xc5\xc8\xfd,2024-03-02,5\n",
            "张三,2024-03-03,6\n".as_bytes(),
            b"\n",
            b",,\n",
            b"short,2024-01-01\n",
            b"Total,,\n",
            b"eve,2024-01-07,abc\n",
            b"fay,not a date,7\r",
        ];
        let mut rng = crate::sample::Rng::new(seed);
        let mut file = b"customer,date,amount\n".to_vec();
        while file.len() < 400_000 {
            let line: &&[u8] = rng.pick(&lines);
            file.extend_from_slice(line);
        }
        file
    }

    fn generated(layout: Layout, gbk: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        write(Spec { layout, gbk, bytes: 900_000, seed: 4 }, &mut bytes).unwrap_or_default();
        bytes
    }

    #[test]
    fn the_pipeline_gives_what_pushing_gives() {
        let files = [
            ("t.csv", generated(Layout::Taobao, true)),
            ("s.csv", generated(Layout::Shopify, false)),
            ("m.csv", generated(Layout::Minimal, false)),
            ("r1.csv", rough_file(1)),
            // A quote never closed, from the last row to the end.
            ("r2.csv", [rough_file(2), b"gus,2024-04-01,\"8".to_vec()].concat()),
        ];
        for (name, bytes) in &files {
            let whole = pushed(name, bytes);
            assert!(!whole.starts_with("error"), "{name}: {whole}");
            for sizes in [(300_000, 4096), (65_536, 777), (1 << 20, 1 << 20)] {
                let piped = piped(name, &bytes[..], std::thread::Builder::new(), sizes);
                // Not `assert_eq!`: the reports are large.
                assert!(piped == whole, "{name} in {sizes:?}");
            }
        }
    }

    /// Past the sniffing window, bytes of any kind (quotes left open, stray CRs, cut and foreign
    /// characters, NULs, a BOM) in chunks and batches of any size: the same outcome as pushing.
    #[test]
    fn random_tails_give_what_pushing_gives() {
        const INTERESTING: &[u8] = b",;\t\"\r\n'=-$.0123456789/: ()\xEF\xBB\xBF\xFF\xFE\x00\x81\xE4\xB8\xAD";
        let mut rng = crate::sample::Rng::new(9);
        let head = rough_file(6);
        let mut errors = 0;
        for round in 0..40 {
            let mut bytes = head.clone();
            for _ in 0..rng.below(3000) {
                bytes.push(if rng.below(2) == 0 { *rng.pick(INTERESTING) } else { rng.next_u64() as u8 });
            }
            let sizes = (1 + rng.below(5000) as usize, 1 + rng.below(3000) as usize);
            let whole = pushed("f.csv", &bytes);
            errors += whole.starts_with("error") as usize;
            assert!(
                piped("f.csv", &bytes[..], std::thread::Builder::new(), sizes) == whole,
                "round {round}, {sizes:?}"
            );
        }
        assert!(errors < 40, "every round failed");
    }

    /// A thread that cannot be made (a stack larger than any memory): the file is read here.
    #[test]
    fn without_a_thread_the_file_is_read_here() {
        let bytes = rough_file(3);
        let unmakeable = std::thread::Builder::new().stack_size(1 << 50);
        assert_eq!(piped("r.csv", &bytes[..], unmakeable, (300_000, 4096)), pushed("r.csv", &bytes));
    }

    /// A reader that fails after `ok` bytes.
    struct Failing<'a> {
        bytes: &'a [u8],
        ok: usize,
    }

    impl Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.ok == 0 {
                return Err(std::io::Error::other("disk went away"));
            }
            let n = buf.len().min(self.ok).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            (self.bytes, self.ok) = (&self.bytes[n..], self.ok - n);
            Ok(n)
        }
    }

    #[test]
    fn errors_on_either_side_end_the_file() {
        let bytes = rough_file(4);
        let failing = Failing { bytes: &bytes, ok: 350_000 };
        let read = piped("r.csv", failing, std::thread::Builder::new(), (300_000, 4096));
        assert_eq!(read, "error: reading: disk went away");
        // A row longer than any export's, after the sniffing window.
        let mut long = generated(Layout::Minimal, false);
        long.extend_from_slice(b"ann,2024-01-01,");
        long.resize(long.len() + crate::ingest::records::MAX_RECORD_BYTES + 10, b'9');
        let whole = pushed("l.csv", &long);
        assert!(whole.starts_with("error: l.csv, line ") && whole.contains("longer than 8 MB"), "{whole}");
        assert_eq!(piped("l.csv", &long[..], std::thread::Builder::new(), (1 << 20, 1 << 18)), whole);
    }
}
