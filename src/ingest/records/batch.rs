//! Records kept to be handed over later: the native import finds a file's records on one thread
//! and makes them into orders on another (`ingest::pipeline`).

use super::{LineSpan, Record, Records, Upcoming, AHEAD};

/// Records copied out of the reader's buffers, to be handed over later on another thread
/// ([`RecordBatch::deliver`]). Every record is kept as a line split in place would be, its fields
/// a byte apart, so that runs of them go over as [`Upcoming`] lines.
#[derive(Default)]
pub struct RecordBatch {
    /// The records that are UTF-8, end to end, fields a byte apart.
    text: String,
    /// The records that are not.
    raw: Vec<u8>,
    /// Each record's place in `text` or `raw`, and its fields' ends in `ends`.
    spans: Vec<LineSpan>,
    ends: Vec<usize>,
    /// Per record: [`RecordBatch::RAW`], [`RecordBatch::AT_EOF`].
    flags: Vec<u8>,
}

impl RecordBatch {
    /// The record is in `raw`.
    const RAW: u8 = 1;
    /// [`Record::at_eof`].
    const AT_EOF: u8 = 2;

    pub fn clear(&mut self) {
        self.text.clear();
        self.raw.clear();
        self.spans.clear();
        self.ends.clear();
        self.flags.clear();
    }

    /// Hands the records to `sink` as the reader would have, with their text if they are UTF-8:
    /// runs of UTF-8 records as [`Upcoming`] groups of up to [`AHEAD`] ([`Records::ahead`]
    /// first), the others one by one.
    pub fn deliver(&self, sink: &mut dyn Records) {
        let n = self.spans.len();
        let mut i = 0;
        while i < n {
            if self.flags[i] != 0 {
                let s = self.spans[i];
                let raw = self.flags[i] & Self::RAW != 0;
                let buf = if raw { &self.raw[s.start..s.end] } else { &self.text.as_bytes()[s.start..s.end] };
                let rec = Record {
                    buf,
                    ends: &self.ends[s.ends.0..s.ends.1],
                    gap: 1,
                    line: s.line,
                    text: if raw { None } else { self.text.get(s.start..s.end) },
                    at_eof: self.flags[i] & Self::AT_EOF != 0,
                };
                sink.record(&rec);
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n && j - i < AHEAD && self.flags[j] == 0 {
                j += 1;
            }
            let spans = &self.spans[i..j];
            let upcoming = Upcoming {
                input: self.text.as_bytes(),
                spans,
                ends: &self.ends,
                text: self.text.get(spans[0].start..spans[spans.len() - 1].end),
            };
            upcoming.deliver(sink);
            i = j;
        }
    }
}

impl Records for RecordBatch {
    fn record(&mut self, rec: &Record) {
        let utf8 = rec.utf8();
        let (raw, first_end) = (utf8.is_none(), self.ends.len());
        let len = |b: &RecordBatch| if raw { b.raw.len() } else { b.text.len() };
        let start = len(self);
        if rec.gap == 1 {
            // A line split in place: its bytes as they are.
            match &utf8 {
                Some(u) => self.text.push_str(u.text),
                None => self.raw.extend_from_slice(rec.buf),
            }
            self.ends.extend_from_slice(rec.ends);
        } else {
            // csv-core's unescaped fields end to end: a byte is put between them, as between
            // the fields of a line split in place.
            for i in 0..rec.len() {
                match &utf8 {
                    Some(u) => {
                        self.text.push_str(if i > 0 { "," } else { "" });
                        self.text.push_str(u.field(i).unwrap_or_default());
                    }
                    None => {
                        self.raw.extend_from_slice(if i > 0 { b"," } else { b"" });
                        self.raw.extend_from_slice(rec.field(i).unwrap_or_default());
                    }
                }
                self.ends.push(len(self) - start);
            }
        }
        self.spans.push(LineSpan { start, end: len(self), ends: (first_end, self.ends.len()), line: rec.line });
        self.flags.push(if raw { Self::RAW } else { 0 } | if rec.at_eof { Self::AT_EOF } else { 0 });
    }
}

#[cfg(test)]
mod tests {
    use super::super::RecordReader;
    use super::*;

    /// What a reader hands over through a batch is what it hands over directly: the same
    /// records, lines, fields and text, and for the text of a run, the records about to come.
    #[test]
    fn a_batch_hands_over_what_the_reader_does() {
        /// A record's line, fields, fields as text, and whether it ended the file in a quote.
        type Got = (u64, Vec<Vec<u8>>, Option<Vec<String>>, bool);
        #[derive(Default)]
        struct Seen {
            records: Vec<Got>,
            /// The records each `ahead` announced, and how many had been seen then.
            announced: Vec<(usize, Vec<u64>)>,
        }
        impl Records for Seen {
            fn record(&mut self, rec: &Record) {
                let text = rec.utf8().map(|u| (0..rec.len()).map(|i| u.field(i).unwrap_or("!").to_string()).collect());
                self.records.push((rec.line, rec.fields().map(<[u8]>::to_vec).collect(), text, rec.at_eof));
            }
            fn ahead(&mut self, upcoming: &Upcoming) {
                self.announced.push((self.records.len(), upcoming.iter().map(|r| r.line).collect()));
            }
        }
        let pieces: [&[u8]; 12] = [
            b"ab",
            b"1234567",
            b",",
            b",",
            b"\n",
            b"\r\n",
            b" ",
            "张".as_bytes(),
            b"\"q,\"\"\n\"",
            b"\xff",
            b"\xe5\xbc",
            b"\"",
        ];
        let mut rng = crate::sample::Rng::new(5);
        let (mut records, mut quoted, mut foreign) = (0, 0, 0);
        for _ in 0..2_000 {
            let len = rng.below(600) as usize;
            let data: Vec<u8> = (0..len).flat_map(|_| rng.pick(&pieces).iter().copied()).collect();
            let chunk = 1 + rng.below(400) as usize;
            let (mut direct, mut batched) = (Seen::default(), Seen::default());
            let (mut r, mut b) = (RecordReader::new(b',').checking_utf8(), RecordReader::new(b',').checking_utf8());
            let mut batch = RecordBatch::default();
            for c in data.chunks(chunk) {
                r.feed(c, &mut direct).unwrap();
                batch.clear();
                b.feed(c, &mut batch).unwrap();
                batch.deliver(&mut batched);
            }
            r.finish(&mut direct).unwrap();
            batch.clear();
            b.finish(&mut batch).unwrap();
            batch.deliver(&mut batched);
            assert_eq!(batched.records, direct.records, "{:?} in chunks of {chunk}", String::from_utf8_lossy(&data));
            for (seen, lines) in &batched.announced {
                let next: Vec<u64> = batched.records[*seen..][..lines.len()].iter().map(|r| r.0).collect();
                assert_eq!(&next, lines);
            }
            records += direct.records.len();
            quoted +=
                direct.records.iter().filter(|r| r.1.iter().any(|f| f.contains(&b'"') || f.contains(&b'\n'))).count();
            foreign += direct.records.iter().filter(|r| r.2.is_none()).count();
        }
        assert!(
            records > 10_000 && quoted > 500 && foreign > 500,
            "{records} records, {quoted} quoted, {foreign} foreign"
        );
    }
}
