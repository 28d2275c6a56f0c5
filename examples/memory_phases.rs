//! Where the memory goes: bytes allocated (live and peak) after reading, after settling, and in
//! each analysis section, counted by a wrapping allocator, and the time each took. A profiling
//! aid for the page's wasm memory, which never shrinks, so its size is the highest peak of any
//! phase: `cargo run --release --example memory_phases -- FILE`.

use huitou::analysis::{self, cohorts, customers, lifecycle, products, regions, repeat, rfm, summary, timing, value};
use huitou::settings::{Baseline, Settings};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        if size > layout.size() {
            grew(size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - size, Relaxed);
        }
        System.realloc(ptr, layout, size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`, printing what it left allocated and the most it had allocated at once beyond that.
fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Relaxed);
    PEAK.store(before, Relaxed);
    let t = std::time::Instant::now();
    let out = f();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let mb = |n: usize| n as f64 / 1048576.0;
    let (live, peak) = (LIVE.load(Relaxed), PEAK.load(Relaxed));
    println!(
        "{name:<12} {:>+8.1} MB kept, peak {:>7.1} MB above the start, {ms:>7.1} ms",
        mb(live) - mb(before),
        mb(peak - before)
    );
    out
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memory_phases FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut importer = phase("start", || huitou::ingest::Importer::new(Default::default()));
    phase("read", || {
        importer.start_file(&path);
        importer.file_size(bytes.len() as u64);
        for chunk in bytes.chunks(4 << 20) {
            importer.push(chunk).expect("reads");
        }
        importer.end_file().expect("reads");
    });
    let (data, import) = phase("settle", || importer.finish().expect("settles"));
    let settings = Settings { include_customers: false, ..Default::default() };
    drop(phase("report", || analysis::analyze(&data, &import, &settings).expect("analyses")));

    // The sections in `analyze`'s order, each result kept as `analyze` keeps it, so each line's
    // peak is what that section adds on top of everything before it.
    let facts = phase("  facts", || customers::Facts::build(&data));
    let as_of = summary::last_valid_day(&data).unwrap_or(0);
    let timing = phase("  timing", || timing::timing(&data, &facts));
    let products = phase("  products", || products::products(&data, &facts));
    let cohorts = phase("  cohorts", || cohorts::cohorts(&facts));
    let spend = phase("  spend sorted", || facts.spend_ascending());
    let (rfm, scores) =
        phase("  rfm", || rfm::score(&facts, spend.values(), as_of, &Default::default(), Baseline::Mean, true));
    let (lifecycle, stage) = phase("  lifecycle", || lifecycle::stages(&facts, as_of, &[90, 180, 270, 360]));
    let (value, assigned) = phase("  value", || value::value(&facts, spend.values(), None, None));
    drop(spend);
    let repeat = phase("  repeat", || repeat::repeat(&facts, as_of));
    let summary = phase("  summary", || summary::summarize(&data, Some(as_of), Some(&facts)));
    let plan = phase("  plan", || {
        huitou::campaigns::plan(&huitou::campaigns::Inputs {
            data: &data,
            facts: &facts,
            as_of,
            scores: &scores,
            stage: &stage,
            assigned: &assigned,
            value: &value,
            repeat: &repeat,
            timing: &timing,
            summary: &summary,
            settings: &settings,
        })
    });
    let regions = phase("  regions", || regions::regions(&data, &facts));
    let (customers, orders) = (facts.len(), data.orders.len());
    let table = phase("  table", || analysis::table::CustomerTable::new(facts, as_of, scores, stage, assigned));
    drop((rfm, lifecycle, value, repeat, summary, plan, cohorts, products, regions, table));
    println!("{customers} customers, {orders} orders");
}
