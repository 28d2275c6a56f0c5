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
