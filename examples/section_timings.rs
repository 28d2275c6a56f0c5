//! Where the time goes: import throughput and the cost of each analysis section on one file.
//! A profiling aid, not the benchmark (`make bench` is): `cargo run --release --example
//! section_timings -- FILE` (try `huitou sample --customers 400000 > big.csv`).

use huitou::analysis::*;
use huitou::settings::{Baseline, Settings};
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: section_timings FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let t = Instant::now();
    let (data, import) = huitou::ingest::import_files(&[("file", &bytes)], Default::default()).expect("imports");
    let secs = t.elapsed().as_secs_f64();
    println!("import            {:>8.1} ms  ({:.0} MB/s)", secs * 1e3, bytes.len() as f64 / 1e6 / secs);
    let settings = Settings { include_customers: false, ..Default::default() };
    for run in 1..=3 {
        let t = Instant::now();
        let r = analyze(&data, &import, &settings).expect("analyses");
        println!(
            "analysis, run {run}  {:>8.1} ms  ({} orders, {} customers)",
            ms(t),
            r.summary.orders,
            r.summary.customers
        );
    }
    let t = Instant::now();
    let facts = customers::Facts::build(&data);
    println!("  facts           {:>8.1} ms", ms(t));
    let as_of = summary::last_valid_day(&data).unwrap_or(0);
    let t = Instant::now();
    let spend = facts.spend_ascending();
    println!("  spend sorted    {:>8.1} ms", ms(t));
    let t = Instant::now();
    let scored = rfm::score(&facts, spend.values(), as_of, &Default::default(), Baseline::Mean, true);
    println!("  rfm             {:>8.1} ms", ms(t));
    let t = Instant::now();
    let staged = lifecycle::stages(&facts, as_of, &[90, 180, 270, 360]);
    println!("  lifecycle       {:>8.1} ms", ms(t));
    let t = Instant::now();
    let rep = repeat::repeat(&facts, as_of);
    println!("  repeat          {:>8.1} ms", ms(t));
    let t = Instant::now();
    let coh = cohorts::cohorts(&facts);
    println!("  cohorts         {:>8.1} ms", ms(t));
    let t = Instant::now();
    let val = value::value(&facts, spend.values(), None, None);
    println!("  value           {:>8.1} ms", ms(t));
    let t = Instant::now();
    let tim = timing::timing(&data, &facts);
    println!("  timing          {:>8.1} ms", ms(t));
    let t = Instant::now();
    let prod = products::products(&data, &facts);
    println!("  products        {:>8.1} ms", ms(t));
    let t = Instant::now();
    let reg = regions::regions(&data, &facts);
    println!("  regions         {:>8.1} ms", ms(t));
    let t = Instant::now();
    let table = table::CustomerTable::new(facts, as_of, scored.1, staged.1, val.1);
    println!("  customers table {:>8.1} ms", ms(t));
    let t = Instant::now();
    let rows = table.rows(&data);
    println!("  (every row as text {:>6.1} ms: only `--json` does this)", ms(t));
    // Results are dropped only now, so no section's time includes freeing another's.
    drop((spend, scored.0, staged.0, rep, coh, val.0, tim, prod, reg, table, rows));
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}
