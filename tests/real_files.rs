//! The real exports in `shared/data/real/` (files nobody on this project wrote), against the
//! reference figures computed independently with pandas (see that folder's README.md).

use huitou::analysis::analyze;
use huitou::ingest::columns::Role;
use huitou::ingest::report::ImportReport;
use huitou::ingest::{ImportOptions, Importer};
use huitou::report::Report;
use huitou::settings::Settings;
use std::io::Read;
use std::path::PathBuf;

fn real(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real").join(path);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).expect("gunzip");
        out
    } else {
        bytes
    }
}

/// Imports `bytes` pushed in chunks of `chunk` bytes (0 = whole).
pub fn report_in_chunks(name: &str, bytes: &[u8], chunk: usize) -> Report {
    let mut imp = Importer::new(ImportOptions::default());
    imp.start_file(name);
    if chunk == 0 {
        imp.push(bytes).unwrap();
    } else {
        for c in bytes.chunks(chunk) {
            imp.push(c).unwrap();
        }
    }
    imp.end_file().unwrap();
    let (data, import) = imp.finish().unwrap();
    analyze(&data, &import, &Settings::default()).unwrap()
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-6, "{actual} != {expected}");
}

fn balanced(r: &ImportReport) {
    let skipped: u64 = r.skipped.values().sum();
    assert_eq!(r.rows_read, r.rows_used + skipped, "every row used or skipped with a reason");
}

#[test]
fn online_retail_reference_figures() {
    let bytes = real("online_retail/online_retail_uci_by_day.csv.gz");
    let r = report_in_chunks("online_retail.csv", &bytes, 1 << 20);
    let s = &r.summary;
    assert_eq!(r.import.format, "invoice_lines");
    assert_eq!(r.import.rows_read, 541_909);
    balanced(&r.import);
    assert_eq!(s.customers, 4_338);
    assert_eq!(s.orders, 18_532);
    assert_eq!(s.repeat_customers, 2_845);
    assert_close(s.repeat_rate.unwrap(), 0.655832);
    assert_eq!(s.gross_revenue.to_string(), "8911407.904");
    assert_eq!((s.first_order.as_deref(), s.last_order.as_deref()), (Some("2010-12-01"), Some("2011-12-09")));
    assert!(r.import.credit_notes > 0);
}

#[test]
fn shopify_reference_figures() {
    let bytes = real("samples/shopify/orders_export_1.pseudonymized.csv");
    let r = report_in_chunks("orders_export_1.csv", &bytes, 0);
    let s = &r.summary;
    assert_eq!(r.import.format, "shopify");
    assert_eq!(r.import.customer_key, Some(Role::Email));
    assert_eq!(r.import.rows_read, 811);
    assert_eq!(r.import.orders, 409);
    assert_eq!(r.import.orders_without_customer, 19);
    balanced(&r.import);
    assert_eq!((s.customers, s.orders, s.repeat_customers), (268, 341, 34));
    assert_close(s.repeat_rate.unwrap(), 0.126866);
    assert_eq!(s.gross_revenue.to_string(), "65074.74");
    assert_eq!(s.refunds.to_string(), "4702.85");
    assert_eq!(s.net_revenue.to_string(), "60371.89");
}

#[test]
fn tmall_report_imports_without_customers() {
    let bytes = real("tmall/tmall_order_report.csv");
    let r = report_in_chunks("tmall_order_report.csv", &bytes, 0);
    let i = &r.import;
    assert_eq!(i.format, "tmall_report");
    assert_eq!(i.customer_key, None);
    assert!(i.notes.iter().any(|n| n.code == "no_customer_key"));
    balanced(i);
    // formats.md: 28,010 orders; 3,923 unpaid; 5,132 fully and 514 partially refunded.
    assert_eq!(i.orders, 28_010);
    assert_eq!(i.orders_by_status["unpaid"], 3_923);
    assert_eq!(i.orders_by_status["refunded"], 5_132);
    assert_eq!(i.orders_by_status["partially_refunded"], 514);
    assert_eq!(r.summary.orders, 28_010 - 3_923 - 5_132);
    assert_eq!(r.summary.repeat_rate, None);
    assert_eq!(
        (r.summary.first_order.as_deref(), r.summary.last_order.as_deref()),
        (Some("2020-02-01"), Some("2020-02-29"))
    );
}

#[test]
fn same_report_however_the_file_is_chunked() {
    let shopify = real("samples/shopify/orders_export_1.pseudonymized.csv");
    let tmall = real("tmall/tmall_order_report.csv");
    for (name, bytes, sizes) in [
        ("shopify.csv", &shopify, &[1usize, 7, 4096][..]),
        // One-byte chunks of 1.9 MB are slow in debug builds; 2 and 3 bytes still split every character.
        ("tmall.csv", &tmall, &[3, 7, 4096][..]),
    ] {
        let whole = serde_json::to_string(&report_in_chunks(name, bytes, 0)).unwrap();
        for &size in sizes {
            let chunked = serde_json::to_string(&report_in_chunks(name, bytes, size)).unwrap();
            assert_eq!(chunked, whole, "{name} in chunks of {size}");
        }
    }
}

#[test]
fn overlapping_exports_count_each_order_once() {
    let bytes = real("samples/shopify/orders_export_1.pseudonymized.csv");
    let mut imp = Importer::new(ImportOptions::default());
    for name in ["january.csv", "january-again.csv"] {
        imp.start_file(name);
        imp.push(&bytes).unwrap();
        imp.end_file().unwrap();
    }
    let (data, import) = imp.finish().unwrap();
    let r = analyze(&data, &import, &Settings::default()).unwrap();
    assert_eq!((r.summary.customers, r.summary.orders), (268, 341));
    assert_eq!(r.summary.net_revenue.to_string(), "60371.89");
    assert_eq!(import.files[1].rows_used, 0);
    balanced(&import);
}
