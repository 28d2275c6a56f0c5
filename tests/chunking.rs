//! The importer's result does not depend on how the bytes arrive: every fixture gives the same
//! report pushed whole or in chunks of 1, 7 and 4096 bytes (splitting characters, quoted fields,
//! CRLF pairs and the sniffing window).

use huitou::analysis::analyze;
use huitou::ingest::{ImportOptions, Importer};
use huitou::settings::Settings;

const FIXTURES: &[(&str, &[u8])] = &[
    ("taobao_orders.gbk.csv", include_bytes!("fixtures/taobao_orders.gbk.csv")),
    ("taobao_orders.utf8.csv", include_bytes!("fixtures/taobao_orders.utf8.csv")),
    ("jd.csv", include_bytes!("fixtures/jd.csv")),
    ("tmall_report_excel.csv", include_bytes!("fixtures/tmall_report_excel.csv")),
    ("pinduoduo.csv", include_bytes!("fixtures/pinduoduo.csv")),
    ("douyin.csv", include_bytes!("fixtures/douyin.csv")),
    ("shopify.csv", include_bytes!("fixtures/shopify.csv")),
    ("squarespace.csv", include_bytes!("fixtures/squarespace.csv")),
    ("woocommerce_analytics.csv", include_bytes!("fixtures/woocommerce_analytics.csv")),
    ("woocommerce_plugin.csv", include_bytes!("fixtures/woocommerce_plugin.csv")),
    ("etsy_orders.csv", include_bytes!("fixtures/etsy_orders.csv")),
    ("etsy_items.csv", include_bytes!("fixtures/etsy_items.csv")),
    ("ebay.csv", include_bytes!("fixtures/ebay.csv")),
    ("amazon.txt", include_bytes!("fixtures/amazon.txt")),
    ("invoice_lines.csv", include_bytes!("fixtures/invoice_lines.csv")),
    ("generic_semicolon.csv", include_bytes!("fixtures/generic_semicolon.csv")),
    ("generic_unicode_text.txt", include_bytes!("fixtures/generic_unicode_text.txt")),
];

fn report_json(name: &str, bytes: &[u8], chunk: usize) -> String {
    let mut imp = Importer::new(ImportOptions::default());
    imp.start_file(name);
    let size = if chunk == 0 { bytes.len().max(1) } else { chunk };
    for c in bytes.chunks(size) {
        imp.push(c).unwrap();
    }
    imp.end_file().unwrap();
    let (data, import) = imp.finish().unwrap();
    serde_json::to_string(&analyze(&data, &import, &Settings::default()).unwrap()).unwrap()
}

#[test]
fn every_fixture_in_every_chunking() {
    for (name, bytes) in FIXTURES {
        let whole = report_json(name, bytes, 0);
        for size in [1, 7, 4096] {
            assert_eq!(report_json(name, bytes, size), whole, "{name} in chunks of {size}");
        }
    }
}

/// Files longer than the sniffing window (256 KB), pushed whole as [`huitou::ingest::import_files`]
/// does, in the page's batches and in pieces that end inside it: only the window's bytes are kept
/// while sniffing, and the rest of a push is sniffed again or read on from where the window ends.
#[test]
fn files_past_the_sniffing_window_in_every_chunking() {
    use huitou::generate::{write, Layout, Spec};
    let mut files = Vec::new();
    for (name, layout, gbk) in
        [("t.csv", Layout::Taobao, true), ("s.csv", Layout::Shopify, false), ("m.csv", Layout::Minimal, false)]
    {
        let mut bytes = Vec::new();
        write(Spec { layout, gbk, bytes: 900_000, seed: 3 }, &mut bytes).unwrap();
        files.push((name, bytes));
    }
    // A title line longer than the window: no row in it can be the header, and the window doubles.
    let mut long = vec![b'x'; 300_000];
    long.extend_from_slice(b"\ncustomer,date,amount\n");
    long.extend_from_slice(b"bob,2024-01-03,12.50\nann,2024-02-01,8.00\n".repeat(5_000).as_slice());
    files.push(("long.csv", long));
    for (name, bytes) in &files {
        let whole = report_json(name, bytes, 0);
        let report: serde_json::Value = serde_json::from_str(&whole).unwrap();
        let customers = report["summary"]["customers"].as_u64().unwrap();
        assert!(if *name == "long.csv" { customers == 2 } else { customers > 1_000 }, "{name}: {customers}");
        for size in [4096, 300_000, 1 << 20] {
            // Not `assert_eq!`: the reports are megabytes.
            assert!(report_json(name, bytes, size) == whole, "{name} in chunks of {size}");
        }
    }
}
