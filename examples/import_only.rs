//! Import throughput alone, for profiling the importer: `cargo run --release --example
//! import_only -- FILE [REPEATS]`.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: import_only FILE [REPEATS]");
        std::process::exit(2);
    };
    let repeats: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    // The floor: csv-core splitting records, nothing else.
    let t = Instant::now();
    let mut records = 0u64;
    let mut reader = huitou::ingest::records::RecordReader::new(b',');
    let mut count = |_: &huitou::ingest::records::Record| records += 1;
    for chunk in bytes.chunks(4 << 20) {
        reader.feed(chunk, &mut count).expect("records");
    }
    reader.finish(&mut count).expect("records");
    let secs = t.elapsed().as_secs_f64();
    println!("records only: {:.1} ms, {:.0} MB/s, {records} records", secs * 1e3, bytes.len() as f64 / 1e6 / secs);
    for _ in 0..repeats {
        let t = Instant::now();
        let (data, _) = huitou::ingest::import_files(&[("file", &bytes)], Default::default()).expect("imports");
        let secs = t.elapsed().as_secs_f64();
        println!("{:.1} ms, {:.0} MB/s, {} orders", secs * 1e3, bytes.len() as f64 / 1e6 / secs, data.orders.len());
    }
}
