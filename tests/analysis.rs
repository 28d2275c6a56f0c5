//! Each report section on tiny shops whose figures are worked out by hand (the comments show
//! the working), including the edge cases: one customer, only one-time buyers, everything on one
//! day, ties everywhere, and refunds that bring a customer's net to zero.

use huitou::analysis::analyze;
use huitou::ingest::{import_files, ImportOptions};
use huitou::model::Dataset;
use huitou::report::Report;
use huitou::settings::{RfmScoring, Settings, TierThresholds};

fn report_with(csv: &str, settings: &Settings) -> Report {
    report_and_data(csv, settings).1
}

/// The report and its dataset, for its customers table's rows.
fn report_and_data(csv: &str, settings: &Settings) -> (Dataset, Report) {
    let (data, import) = import_files(&[("shop.csv", csv.as_bytes())], ImportOptions::default()).unwrap();
    assert!(import.skipped.is_empty(), "{:?}", import.skipped_examples);
    let report = analyze(&data, &import, settings).unwrap();
    (data, report)
}

fn report(csv: &str) -> Report {
    report_with(csv, &Settings::default())
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a figure");
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

/// A, B start in January; C and D in March; as-of 2024-03-31.
const FOUR: &str = "customer,order,date,amount,product
A,1,2024-01-01 09:00,10,tea
A,2,2024-01-20 21:00,20,tea
B,3,2024-01-01 10:00,30,cup
B,4,2024-03-15 21:30,40,tea
C,5,2024-03-01 12:00,50,cup
D,6,2024-03-20 21:10,60,tea
D,7,2024-03-25 08:00,70,cup
";

#[test]
fn repeat_windows_are_right_censored() {
    let r = report_with(FOUR, &Settings { as_of: Some("2024-03-31".into()), ..Default::default() });
    let rep = r.repeat.unwrap();
    let w: Vec<(i64, u64, u64)> = rep.windows.iter().map(|w| (w.days, w.eligible_customers, w.repeated)).collect();
    // 30 days: first order on or before 03-01 → A, B, C; only A came back within 30 (19 days).
    // 60: on or before 01-31 → A, B; A. 90: A, B; both (19 and 74 days). 180, 365: nobody eligible.
    assert_eq!(w, vec![(30, 3, 1), (60, 2, 1), (90, 2, 2), (180, 0, 0), (365, 0, 0)]);
    assert_eq!(rep.windows[3].rate, None);
    // Days to second order: A 19, B 74, D 5 → median 19; within 30 days: 2 of 3.
    close(rep.days_to_second.median, 19.0);
    assert_eq!(rep.second_within[0], (30, Some(2.0 / 3.0)));
    // Orders per customer: one with 1 (C), three with 2.
    let counts: Vec<u64> = rep.orders_per_customer.iter().map(|b| b.count).collect();
    assert_eq!(counts, vec![1, 3, 0, 0, 0, 0, 0]);
    // Summary: 7 orders by 4 customers, so 3 returning orders; their revenue 20 + 40 + 70 of 280.
    close(r.summary.returning_order_share, 3.0 / 7.0);
    close(r.summary.returning_revenue_share, 130.0 / 280.0);
    close(r.summary.repeat_rate, 0.75);
}

#[test]
fn cohorts_and_monthly_mix() {
    let c = report(FOUR).cohorts.unwrap();
    let rows: Vec<(&str, u64, Vec<f64>)> =
        c.cohorts.iter().map(|k| (k.month.as_str(), k.customers, k.retention.clone())).collect();
    // January: A, B; in February nobody, in March B. March: C, D (D's second order is in March).
    assert_eq!(rows, vec![("2024-01", 2, vec![1.0, 0.0, 0.5]), ("2024-03", 2, vec![1.0])]);
    assert_eq!(c.cohorts[0].revenue.iter().map(|m| m.to_f64()).collect::<Vec<_>>(), vec![60.0, 0.0, 40.0]);
    let mar = &c.months[2];
    assert_eq!((mar.new_customers, mar.returning_customers, mar.new_orders, mar.returning_orders), (2, 1, 2, 2));
    let jan = &c.months[0];
    assert_eq!((jan.new_customers, jan.returning_customers, jan.returning_orders), (2, 0, 1));
    assert_eq!(c.months[1].new_orders + c.months[1].returning_orders, 0);
}

/// A customer's several orders in one month count once among that month's returning customers
/// and once among their cohort's active ones; orders after the first in the first month are
/// returning orders but not a returning customer.
#[test]
fn several_orders_in_a_month_count_their_customer_once() {
    let c = report(
        "customer,order,date,amount
A,1,2024-01-05,10
A,2,2024-01-20,15
A,3,2024-02-03,20
A,4,2024-02-17,30
A,5,2024-02-28,40
",
    )
    .cohorts
    .unwrap();
    let mix = |k: usize| {
        let m = &c.months[k];
        (m.new_customers, m.returning_customers, m.new_orders, m.returning_orders, m.returning_revenue.to_f64())
    };
    assert_eq!(mix(0), (1, 0, 1, 1, 15.0));
    assert_eq!(mix(1), (0, 1, 0, 3, 90.0));
    assert_eq!(c.cohorts[0].retention, vec![1.0, 1.0]);
    assert_eq!(c.cohorts[0].revenue.iter().map(|m| m.to_f64()).collect::<Vec<_>>(), vec![25.0, 90.0]);
}

#[test]
fn timing_products_and_table() {
    let (data, r) = report_and_data(FOUR, &Settings::default());
    let table = r.table.rows(&data);
    // 2024-01-01 was a Monday; four of seven orders are placed at 21:xx.
    assert_eq!(r.timing.best_hour, Some(21));
    assert_eq!(r.timing.weekday_hour[0][9], 1);
    let p = r.products.unwrap();
    assert_eq!(p.top_by_revenue[0].product, "cup"); // cup 30 + 50 + 70 = 150 > tea 130
    assert_eq!((p.top_by_buyers[0].product.as_str(), p.top_by_buyers[0].buyers), ("tea", 3));
    // Customers whose first product is tea: A (came back) and D (came back).
    let tea = p.first_product_repeat.iter().find(|f| f.product == "tea").unwrap();
    assert_eq!((tea.customers, tea.repeat_customers), (2, 2));
    // Next-order pairs: A tea→tea, B cup→tea, D tea→cup.
    assert_eq!(p.bought_next.len(), 3);
    let d = table.iter().find(|c| c.key == "D").unwrap();
    assert_eq!((d.orders, d.days_to_second, d.recency_days, d.top_product), (2, Some(5), 0, Some("tea")));
    assert_eq!(d.typical_interval_days, Some(5.0));
}

/// Orders of several lines: each order's products count once (a product listed twice in an order
/// too), pairs are counted within an order and from one order to the customer's next.
#[test]
fn products_of_orders_of_several_lines() {
    let r = report(
        "order,customer,date,amount,product
1,ann,2024-01-01,10,tea
1,ann,2024-01-01,10,cup
1,ann,2024-01-01,10,tea
2,ann,2024-02-01,7,pot
3,bob,2024-01-05,10,tea
3,bob,2024-01-05,10,cup
3,bob,2024-01-05,10,pot
4,cat,2024-01-09,4,pot
",
    );
    let p = r.products.unwrap();
    let pairs = |list: &[huitou::analysis::products::Pair]| {
        list.iter().map(|x| (x.a.clone(), x.b.clone(), x.count)).collect::<Vec<_>>()
    };
    let pair = |a: &str, b: &str, n: u64| (a.to_string(), b.to_string(), n);
    assert_eq!(pairs(&p.bought_together), vec![pair("tea", "cup", 2), pair("tea", "pot", 1), pair("cup", "pot", 1)]);
    assert_eq!(pairs(&p.bought_next), vec![pair("tea", "pot", 1), pair("cup", "pot", 1)]);
    let stat = |name: &str| p.top_by_buyers.iter().find(|s| s.product == name).map(|s| (s.orders, s.buyers));
    assert_eq!((stat("tea"), stat("cup"), stat("pot")), (Some((2, 2)), Some((2, 2)), Some((3, 3))));
}

/// The products of each order and customer are read as runs of the lines: an order without a
/// product breaks the chain of next orders, a cancelled order's lines count nowhere, a customer
/// without products has no top product, and no pair crosses from one customer to the next.
#[test]
fn products_read_order_by_order_and_customer_by_customer() {
    let (data, r) = report_and_data(
        "order,customer,date,amount,product,status
1,ann,2024-01-01,10,tea,paid
2,ann,2024-01-02,10,,paid
3,ann,2024-01-03,10,cup,paid
5,bob,2024-01-05,10,cup,cancelled
6,bob,2024-01-06,10,pot,paid
7,cat,2024-01-07,10,,paid
8,dan,2024-01-08,10,pot,paid
8,dan,2024-01-08,10,tea,paid
9,dan,2024-01-09,10,tea,paid
",
        &Settings::default(),
    );
    let table = r.table.rows(&data);
    let p = r.products.unwrap();
    let pairs = |list: &[huitou::analysis::products::Pair]| {
        list.iter().map(|x| (x.a.clone(), x.b.clone(), x.count)).collect::<Vec<_>>()
    };
    let pair = |a: &str, b: &str, n: u64| (a.to_string(), b.to_string(), n);
    assert_eq!(pairs(&p.bought_next), vec![pair("tea", "tea", 1), pair("pot", "tea", 1)]);
    assert_eq!(pairs(&p.bought_together), vec![pair("tea", "pot", 1)]);
    let stat = |name: &str| p.top_by_buyers.iter().find(|s| s.product == name).map(|s| (s.orders, s.buyers));
    assert_eq!((stat("tea"), stat("cup"), stat("pot")), (Some((3, 2)), Some((1, 1)), Some((2, 2))));
    let top = |key: &str| table.iter().find(|c| c.key == key).and_then(|c| c.top_product);
    let tops = ["ann", "bob", "cat", "dan"].map(top);
    assert_eq!(tops, [Some("tea"), Some("pot"), None, Some("tea")]);
}

#[test]
fn one_customer() {
    let (data, r) = report_and_data("customer,date,amount\nann,2024-05-01,99\n", &Settings::default());
    let table = r.table.rows(&data);
    assert_eq!((r.summary.customers, r.summary.repeat_customers), (1, 0));
    close(r.summary.repeat_rate, 0.0);
    let row = &table[0];
    // Alone, ann is in the middle on recency and spend (3) and bought once (F = 1): FM = 2 → 32.
    assert_eq!((row.r, row.f, row.m, row.segment), (3, 1, 3, "need_attention"));
    assert_eq!(row.stage, "active");
    let v = r.value.unwrap();
    assert_eq!(v.top_shares[0], (1, Some(1.0)));
    close(v.gini, 0.0);
    assert!(r.repeat.unwrap().windows.iter().all(|w| w.eligible_customers == 0 && w.rate.is_none()));
}

#[test]
fn only_one_time_buyers() {
    let r = report("customer,date,amount\na,2024-01-01,10\nb,2024-02-01,20\nc,2024-03-01,30\n");
    assert_eq!(r.summary.repeat_customers, 0);
    close(r.summary.one_time_share, 1.0);
    let rep = r.repeat.unwrap();
    assert_eq!((rep.days_to_second.count, rep.days_to_second.median), (0, None));
    assert_eq!(rep.days_between.count, 0);
    assert_eq!(r.rfm.unwrap().f_counts, [3, 0, 0, 0, 0]);
}

#[test]
fn everything_on_one_day_with_ties_everywhere() {
    let csv =
        "customer,order,date,amount\na,1,2024-06-01,10\na,2,2024-06-01,10\nb,3,2024-06-01,10\nb,4,2024-06-01,10\n";
    let r = report(csv);
    assert_eq!((r.summary.customers, r.summary.repeat_customers), (2, 2));
    let rep = r.repeat.unwrap();
    close(rep.days_to_second.median, 0.0);
    assert_eq!(rep.second_within[0], (30, Some(1.0)));
    // Equal values share a score: both customers alike, so both get the middle score.
    let rfm = r.rfm.unwrap();
    assert_eq!((rfm.r_counts, rfm.f_counts, rfm.m_counts), ([0, 0, 2, 0, 0], [0, 0, 2, 0, 0], [0, 0, 2, 0, 0]));
    let v = r.value.unwrap();
    close(v.gini, 0.0);
    assert_eq!(v.top_shares[3], (20, Some(0.5)), "top 20% of 2 customers is 1 customer");
}

#[test]
fn refunds_that_bring_net_to_zero() {
    // ann buys 10 × 5.00 and returns all of it on a credit note; bob buys 100.
    let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
1001,A,Mug,10,2024-01-05 10:00:00,5.00,ann,UK
C1002,A,Mug,-10,2024-01-09 10:00:00,5.00,ann,UK
1003,B,Lamp,1,2024-01-10 10:00:00,100.00,bob,UK
";
    let (data, r) = report_and_data(csv, &Settings::default());
    let table = r.table.rows(&data);
    assert_eq!(r.summary.customers, 2, "a refunded customer is still a customer");
    assert_eq!(
        (r.summary.gross_revenue.to_f64(), r.summary.refunds.to_f64(), r.summary.net_revenue.to_f64()),
        (150.0, 50.0, 100.0)
    );
    let ann = table.iter().find(|c| c.key == "ann").unwrap();
    assert_eq!((ann.gross.to_f64(), ann.refunds.to_f64(), ann.net.to_f64()), (50.0, 50.0, 0.0));
    let v = r.value.unwrap();
    assert_eq!(v.top_shares[4], (50, Some(1.0)), "bob holds all net revenue");
    close(v.gini, 0.5);
}

/// As of 2024-03-31 with stages ending at 7, 30, 60 and 90 days: D (last order 6 days before) is
/// active, B (16) and C (30) silent, A (71) about to be lost; A, B and D have come back.
#[test]
fn lifecycle_stages_count_customers_returning_ones_and_revenue() {
    let settings = Settings { as_of: Some("2024-03-31".into()), lifecycle_days: [7, 30, 60, 90], ..Default::default() };
    let r = report_with(FOUR, &settings);
    let stages: Vec<(u64, u64, f64)> =
        r.lifecycle.iter().map(|s| (s.customers, s.returning_customers, s.net_revenue.to_f64())).collect();
    assert_eq!(stages, vec![(1, 1, 130.0), (2, 1, 120.0), (0, 0, 0.0), (1, 1, 30.0), (0, 0, 0.0)]);
}

#[test]
fn editable_settings() {
    let fixed = Settings {
        as_of: Some("2024-03-31".into()),
        lifecycle_days: [7, 30, 60, 90],
        rfm: RfmScoring::Fixed {
            recency_days: [60.0, 30.0, 14.0, 7.0],
            orders: [2.0, 3.0, 4.0, 5.0],
            net_spend: [25.0, 50.0, 100.0, 200.0],
        },
        tiers: Some(TierThresholds {
            key_spend: 120.0,
            important_spend: 60.0,
            important_orders: 2,
            potential_order: 45.0,
        }),
        levels: Some([50.0, 100.0, 1000.0]),
        ..Default::default()
    };
    let (data, r) = report_and_data(FOUR, &fixed);
    let table = r.table.rows(&data);
    let get = |k: &str| table.iter().find(|c| c.key == k).unwrap();
    // D: last order 6 days before as-of → R 5; 2 orders → F 2; net 130 → M 4; level: 130 passes
    // 50 and 100 → VIP会员.
    let d = get("D");
    assert_eq!((d.r, d.f, d.m), (5, 2, 4));
    assert_eq!((d.stage, d.tier, d.level), ("active", "key", "VIP会员"));
    // C: 30 days → silent (8–30); 1 order of 50 → potential (≥ 45) but not important.
    let c = get("C");
    assert_eq!((c.recency_days, c.stage, c.tier, c.level), (30, "silent", "potential", "高级会员"));
    // A: 71 days → about to lose (61–90).
    assert_eq!(get("A").stage, "about_to_lose");
    let v = r.value.unwrap();
    assert!(!v.tiers_derived && !v.levels_derived);
    // 普通会员 A (30) is 20 short of the next level.
    assert_eq!(v.levels[0].closest_to_next, vec![(0, 20.0)]);

    let bad = Settings { lifecycle_days: [90, 80, 270, 360], ..Default::default() };
    let (data, import) = import_files(&[("shop.csv", FOUR.as_bytes())], ImportOptions::default()).unwrap();
    assert!(analyze(&data, &import, &bad).unwrap_err().to_string().contains("must increase"));
}

#[test]
fn settings_change_recomputes_without_reimport() {
    let (data, import) = import_files(&[("shop.csv", FOUR.as_bytes())], ImportOptions::default()).unwrap();
    let a = analyze(&data, &import, &Settings::default()).unwrap();
    let b = analyze(&data, &import, &Settings { as_of: Some("2025-03-25".into()), ..Default::default() }).unwrap();
    assert_eq!(a.summary.as_of.as_deref(), Some("2024-03-25"));
    assert!(b.lifecycle[4].customers == 4, "a year later everyone is lost");
    assert_eq!(a.summary.customers, b.summary.customers);
}

#[test]
fn regions_by_customer() {
    // Provinces from addresses (first word); ann came back, bob did not, cat has no address.
    let csv = "customer,date,amount,收货地址
ann,2024-01-01,10,浙江省 杭州市 西湖区
ann,2024-02-01,20,浙江省 杭州市 西湖区
bob,2024-01-05,30,浙江省 宁波市
cat,2024-01-06,40,
dan,2024-01-07,50,广东省 深圳市
";
    let regions = report(csv).regions.unwrap();
    let rows: Vec<(&str, u64, u64, f64)> =
        regions.iter().map(|r| (r.region.as_str(), r.customers, r.repeat_customers, r.net_revenue.to_f64())).collect();
    assert_eq!(rows, vec![("浙江省", 2, 1, 60.0), ("广东省", 1, 0, 50.0)]);
    close(regions[0].repeat_rate, 0.5);
}
