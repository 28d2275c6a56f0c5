//! One small fixture per platform preset: mapping, statuses, money and dates, checked against
//! figures worked out by hand from the fixture rows (each test says how).

use huitou::analysis::analyze;
use huitou::analysis::summary::Summary;
use huitou::ingest::columns::Role;
use huitou::ingest::dates::DayOrder;
use huitou::ingest::report::{ImportReport, SkipReason};
use huitou::ingest::{import_files, ImportOptions};
use huitou::model::Dataset;
use huitou::money::Money;

fn import(files: &[(&str, &[u8])]) -> (Dataset, ImportReport, Summary) {
    let (data, report) = import_files(files, ImportOptions::default()).expect("fixture imports");
    assert!(report.is_balanced(), "rows read = used + skipped: {report:?}");
    let summary = analyze(&data, &report, &Default::default()).expect("analysis").summary;
    (data, report, summary)
}

fn money(s: &str) -> Money {
    huitou::money::parse_money(s, Default::default()).unwrap().unwrap()
}

fn mapped(report: &ImportReport, role: Role) -> Option<&str> {
    report.mapping.get(&role).map(String::as_str)
}

const TAOBAO_GBK: &[u8] = include_bytes!("fixtures/taobao_orders.gbk.csv");
const TAOBAO_UTF8: &[u8] = include_bytes!("fixtures/taobao_orders.utf8.csv");

#[test]
fn taobao_order_report_gbk() {
    let (_, r, s) = import(&[("taobao_orders.gbk.csv", TAOBAO_GBK)]);
    assert_eq!(r.format, "taobao_orders");
    assert_eq!(r.encoding, "gb18030");
    assert_eq!(mapped(&r, Role::CustomerId), Some("买家会员名"));
    assert_eq!(mapped(&r, Role::PaidTime), Some("订单付款时间"), "trailing space in the header");
    // Statuses: 2 交易成功 without refund, 1 shipped, 1 paid (full-width comma), 1 closed unpaid,
    // 1 closed after a full refund, 1 unpaid, 1 交易成功 with a 20.00 refund.
    let st = &r.orders_by_status;
    assert_eq!(
        (
            st["completed"],
            st["shipped"],
            st["paid"],
            st["closed"],
            st["refunded"],
            st["unpaid"],
            st["partially_refunded"]
        ),
        (2, 1, 1, 1, 1, 1, 1)
    );
    // Valid: alice ×2, bob ×1, carol ×2 (orders 1, 2, 8, 5, 7).
    assert_eq!((s.customers, s.orders, s.repeat_customers), (3, 5, 2));
    // Gross = paid + refund: 118 + 59 + 66 + (68 + 20) + 45.50.
    assert_eq!(s.gross_revenue, money("376.50"));
    assert_eq!(s.refunds, money("20"));
    assert_eq!(s.net_revenue, money("356.50"));
    assert_eq!((s.first_order.as_deref(), s.last_order.as_deref()), (Some("2024-01-05"), Some("2024-03-15")));
}

#[test]
fn gbk_file_matches_its_utf8_twin() {
    let (_, gbk, s_gbk) = import(&[("orders.csv", TAOBAO_GBK)]);
    let (_, utf8, s_utf8) = import(&[("orders.csv", TAOBAO_UTF8)]);
    assert_eq!(s_gbk, s_utf8);
    assert_eq!(gbk.orders_by_status, utf8.orders_by_status);
    assert_eq!(gbk.mapping, utf8.mapping);
}

#[test]
fn taobao_item_report_joins_its_orders() {
    let items: &[u8] = include_bytes!("fixtures/taobao_items.gbk.csv");
    let (data, r, s) = import(&[("orders.csv", TAOBAO_GBK), ("items.csv", items)]);
    assert_eq!(r.files[1].format, "taobao_items");
    assert!(r.files[1].lines_only);
    // Three lines belong to orders 1 and 2; the fourth names an order no file has.
    assert_eq!(r.skipped.get(&SkipReason::NoMatchingOrder), Some(&1));
    let item_products: Vec<&str> =
        data.lines().filter_map(|l| data.products.get(l.product)).filter(|p| !p.contains('，')).collect();
    assert!(item_products.contains(&"坚果礼盒"), "{item_products:?}");
    // The item report adds products, not orders or money.
    assert_eq!((s.orders, s.gross_revenue), (5, money("376.50")));
    // Alone, an item report cannot be analysed: it has no dates.
    let err = import_files(&[("items.csv", items)], ImportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("order report"), "{err}");
}

#[test]
fn tmall_report_resaved_through_excel() {
    // The Tianchi report as other copies hold it: saved through Excel (`2020/2/21 0:00`, the
    // header's trailing spaces gone). Order 1 is unpaid, 3 refunded in full, 4 in part.
    let (_, r, s) = import(&[("tmall_order_report.csv", include_bytes!("fixtures/tmall_report_excel.csv"))]);
    assert_eq!(r.format, "tmall_report");
    assert_eq!(r.customer_key, None);
    let st = &r.orders_by_status;
    assert_eq!((st["unpaid"], st["paid"], st["refunded"], st["partially_refunded"]), (1, 1, 1, 1));
    // Gross = paid + refund: 21 + (44 + 20); refunds 20.
    assert_eq!((s.orders, s.gross_revenue, s.refunds), (2, money("85"), money("20")));
    assert_eq!((s.first_order.as_deref(), s.last_order.as_deref()), (Some("2020-02-19"), Some("2020-02-20")));
}

#[test]
fn jd_line_items_take_order_money_once() {
    let (data, r, s) = import(&[("jd.csv", include_bytes!("fixtures/jd.csv"))]);
    assert_eq!(r.format, "jd");
    assert_eq!(mapped(&r, Role::CustomerId), Some("下单帐号"));
    // Order 1 has two lines repeating 应付金额 179.70; order 2 is 已取消; order 3 is 35.00.
    assert_eq!((r.orders, r.valid_orders), (3, 2));
    assert_eq!(r.orders_by_status["cancelled"], 1);
    assert_eq!((s.customers, s.repeat_customers), (1, 1));
    assert_eq!(s.gross_revenue, money("214.70"));
    assert_eq!(data.lines().count(), 4, "every line keeps its product");
}

#[test]
fn pinduoduo_tabs_placeholders_and_masked_buyers() {
    let (_, r, s) = import(&[("orders_export.csv", include_bytes!("fixtures/pinduoduo.csv"))]);
    assert_eq!(r.format, "pinduoduo");
    assert_eq!(r.encoding, "utf-8-bom");
    // No buyer id: the masked phone is the best key left, and the report says it is approximate.
    assert_eq!(r.customer_key, Some(Role::Phone));
    let note = r.notes.iter().find(|n| n.code == "masked_customer_keys").expect("the masked buyers are noted");
    assert!(note.zh.contains("隐去了买家信息"), "{}", note.zh);
    // Valid: orders 1, 2 (138****1111) and 5 (137****3333); 3 is refunded after sale, 4 cancelled.
    assert_eq!((s.orders, s.customers, s.repeat_customers), (3, 2, 1));
    assert_eq!(r.orders_by_status["refunded"], 1);
    assert_eq!(r.orders_by_status["cancelled"], 1);
    assert_eq!(s.gross_revenue, money("39.30"));
}

#[test]
fn douyin_encrypted_buyers_import_without_customers() {
    let (_, r, s) = import(&[("douyin.csv", include_bytes!("fixtures/douyin.csv"))]);
    assert_eq!(r.format, "douyin");
    assert_eq!(r.customer_key, None);
    assert!(r.notes.iter().any(|n| n.code == "no_customer_key"));
    // Main orders 1 (28.90) and 2 (sub-orders 39.90 + 20.00) are valid; 5 is closed.
    assert_eq!((r.orders, s.orders), (3, 2));
    assert_eq!(s.gross_revenue, money("88.80"));
    assert_eq!(s.repeat_rate, None);
}

#[test]
fn shopify_line_items_case_and_cancelled() {
    let (_, r, s) = import(&[("orders_export.csv", include_bytes!("fixtures/shopify.csv"))]);
    assert_eq!(r.format, "shopify");
    assert_eq!(r.customer_key, Some(Role::Email));
    // #1003 and #1002 are Pat in two casings; #1001 is paid but cancelled; #1000 has no email.
    assert_eq!((s.customers, s.orders, s.repeat_customers), (1, 2, 1));
    assert_eq!(r.orders_without_customer, 1);
    assert_eq!(r.orders_by_status["cancelled"], 1);
    assert_eq!(s.gross_revenue, money("150"));
    assert_eq!(s.refunds, money("20"));
    assert_eq!(s.first_order.as_deref(), Some("2021-12-01"), "offsets are dropped, not applied");
}

#[test]
fn squarespace_resolves_month_first_dates() {
    let (_, r, s) = import(&[("orders.csv", include_bytes!("fixtures/squarespace.csv"))]);
    assert_eq!(r.format, "squarespace");
    assert_eq!(r.files[0].day_order, Some(DayOrder::MonthFirst), "7/25/2018 proves month-first");
    assert_eq!((s.customers, s.orders, s.repeat_customers), (1, 2, 1));
    assert_eq!((s.gross_revenue, s.refunds, s.net_revenue), (money("75"), money("10"), money("65")));
    assert_eq!((s.first_order.as_deref(), s.last_order.as_deref()), (Some("2018-07-25"), Some("2018-08-03")));
}

#[test]
fn woocommerce_analytics_names_and_thousands() {
    let (_, r, s) = import(&[("orders.csv", include_bytes!("fixtures/woocommerce_analytics.csv"))]);
    assert_eq!(r.format, "woocommerce_analytics");
    assert_eq!(r.customer_key, Some(Role::Name));
    // "Ann  Smith" (two spaces) is Ann Smith; order 1054 is refunded.
    assert_eq!((s.customers, s.orders, s.repeat_customers), (2, 3, 1));
    assert_eq!(s.gross_revenue, money("1065.50"));
}

#[test]
fn woocommerce_plugin_export_by_email() {
    let (_, r, s) = import(&[("orders.csv", include_bytes!("fixtures/woocommerce_plugin.csv"))]);
    assert_eq!(r.format, "woocommerce");
    assert_eq!(r.customer_key, Some(Role::Email));
    assert_eq!((s.customers, s.orders, s.repeat_customers), (1, 2, 1));
    assert_eq!(s.gross_revenue, money("75"), "Order Total Amount repeated per line is taken once");
}

#[test]
fn etsy_orders_and_items() {
    let (_, r, s) = import(&[("EtsySoldOrders2024-3.csv", include_bytes!("fixtures/etsy_orders.csv"))]);
    assert_eq!(r.format, "etsy_orders");
    assert_eq!(r.files[0].day_order, Some(DayOrder::MonthFirst));
    assert_eq!((s.customers, s.orders, s.repeat_customers), (2, 3, 1));
    assert_eq!(s.gross_revenue, money("72.10"));
    assert_eq!(s.first_order.as_deref(), Some("2024-03-14"));

    let (_, r, s) = import(&[("EtsySoldOrderItems2024-3.csv", include_bytes!("fixtures/etsy_items.csv"))]);
    assert_eq!(r.format, "etsy_items");
    assert_eq!((s.customers, s.orders, s.repeat_customers), (1, 2, 1));
    assert_eq!(s.gross_revenue, money("50"), "item totals summed per order");
}

#[test]
fn ebay_blank_first_line_dollars_and_footers() {
    let (_, r, s) = import(&[("ebay.csv", include_bytes!("fixtures/ebay.csv"))]);
    assert_eq!(r.format, "ebay");
    assert_eq!(r.files[0].header_line, 2);
    assert_eq!(r.skipped.get(&SkipReason::Footer), Some(&2), "{:?}", r.skipped_examples);
    assert_eq!((s.customers, s.orders, s.repeat_customers), (2, 3, 1));
    assert_eq!(s.gross_revenue, money("1276.59"));
    assert_eq!((s.first_order.as_deref(), s.last_order.as_deref()), (Some("2025-07-21"), Some("2025-08-03")));
}

#[test]
fn amazon_tab_separated_without_buyers() {
    let (_, r, s) = import(&[("All Orders.txt", include_bytes!("fixtures/amazon.txt"))]);
    assert_eq!(r.format, "amazon");
    assert_eq!(r.files[0].delimiter, "tab");
    assert_eq!(r.customer_key, None);
    assert_eq!((r.orders, s.orders), (2, 1));
    assert_eq!(s.gross_revenue, money("35.98"), "item-price summed over the order's lines");
    assert_eq!(s.first_order.as_deref(), Some("2025-09-20"));
}

#[test]
fn invoice_lines_with_credit_notes() {
    let (_, r, s) = import(&[("invoices.csv", include_bytes!("fixtures/invoice_lines.csv"))]);
    assert_eq!(r.format, "invoice_lines");
    assert_eq!(r.files[0].day_order, Some(DayOrder::MonthFirst), "12/13/2010 proves month-first");
    // 536381 (quantity 0) and 536414 (price 0) are not sales; C536379 is a credit note.
    assert_eq!(r.skipped.get(&SkipReason::NotASale), Some(&2));
    assert_eq!(r.credit_notes, 1);
    assert_eq!((r.orders, r.orders_without_customer), (4, 1));
    // 17850.0: 536365 (6×2.55 + 6×3.39) and 536366 (6×1.85); 14527.0: 536380 (12×2.10).
    assert_eq!((s.customers, s.orders, s.repeat_customers), (2, 3, 1));
    assert_eq!(s.gross_revenue, money("71.94"));
    assert_eq!((s.refunds, s.net_revenue), (money("27.50"), money("44.44")));
}

#[test]
fn generic_semicolon_decimal_comma_day_first() {
    let (_, r, s) = import(&[("export.csv", include_bytes!("fixtures/generic_semicolon.csv"))]);
    assert_eq!(r.format, "generic");
    assert_eq!(r.files[0].delimiter, ";");
    assert_eq!(r.files[0].day_order, Some(DayOrder::DayFirst), "15.04.2024 proves day-first");
    assert_eq!((s.customers, s.orders, s.repeat_customers), (2, 3, 1));
    assert_eq!(s.gross_revenue, money("1344.40"));
    assert_eq!((s.first_order.as_deref(), s.last_order.as_deref()), (Some("2024-04-03"), Some("2024-05-01")));
}

#[test]
fn utf16_unicode_text_from_excel() {
    let (_, r, s) = import(&[("export.txt", include_bytes!("fixtures/generic_unicode_text.txt"))]);
    assert_eq!(r.encoding, "utf-16le");
    assert_eq!(r.files[0].delimiter, "tab");
    // The same three orders as the semicolon file, written another way.
    let (_, _, twin) = import(&[("export.csv", include_bytes!("fixtures/generic_semicolon.csv"))]);
    assert_eq!(s, twin);
}
