//! The campaign planner on a small shop built so that each rule has customers in and out (the
//! comments give the working), the ranking and overlap, the exports, and the whole plan on a real
//! Shopify export.

use huitou::analysis::analyze;
use huitou::campaigns::export::{audience_csv, customers_csv, encode, plan_markdown, CsvEncoding};
use huitou::campaigns::{Campaign, Plan};
use huitou::ingest::{import_files, ImportOptions};
use huitou::model::Dataset;
use huitou::report::Report;
use huitou::settings::{Settings, TierThresholds};

/// As of 2024-06-30 with the default lifecycle (90/180/270/360 days).
const SHOP: &str = "customer,email,phone,name,order,date,amount,product
new1,new1@example.com,13800000001,Ann,1,2024-06-10 20:00,90,tea
new2,new2@example.com,13800000002,Bo,2,2023-10-01 20:00,40,tea
quiet,quiet@example.com,13800000003,Cy,3,2023-12-01 20:00,50,cup
quiet,quiet@example.com,13800000003,Cy,4,2024-02-01 20:00,50,cup
sleepy,sleepy@example.com,,Di,5,2023-06-01 20:00,30,tea
sleepy,sleepy@example.com,,Di,6,2023-07-01 20:00,30,tea
sleepy,sleepy@example.com,,Di,7,2023-10-15 20:00,30,tea
gone,gone@example.com,,Ed,8,2022-01-01 20:00,20,cup
gone,gone@example.com,,Ed,9,2022-02-01 20:00,20,cup
regular,regular@example.com,13800000006,Flo,10,2024-03-02 09:00,25,cat food
regular,regular@example.com,13800000006,Flo,11,2024-04-01 09:00,25,cat food
regular,regular@example.com,13800000006,Flo,12,2024-05-01 09:00,25,cat food
regular,regular@example.com,13800000006,Flo,13,2024-05-31 09:00,25,cat food
fresh,fresh@example.com,13800000007,Gus,14,2024-06-25 21:00,60,tea
big,big@example.com,13800000008,Hal,15,2024-05-01 20:00,300,teapot
big,big@example.com,13800000008,Hal,16,2024-06-01 20:00,300,teapot
evil,evil@example.com,+8613800000009,\"=HYPERLINK(\"\"http://x\"\")\",17,2024-01-15 20:00,45,cup
";

fn settings() -> Settings {
    Settings {
        as_of: Some("2024-06-30".into()),
        tiers: Some(TierThresholds {
            key_spend: 500.0,
            important_spend: 200.0,
            important_orders: 3,
            potential_order: 80.0,
        }),
        levels: Some([100.0, 1000.0, 5000.0]),
        ..Default::default()
    }
}

fn run(settings: &Settings) -> (Dataset, Report) {
    let (data, import) = import_files(&[("shop.csv", SHOP.as_bytes())], ImportOptions::default()).unwrap();
    assert!(import.skipped.is_empty(), "{:?}", import.skipped_examples);
    let report = analyze(&data, &import, settings).unwrap();
    (data, report)
}

fn plan(r: &Report) -> &Plan {
    r.plan.as_ref().expect("a plan")
}

fn campaign<'a>(r: &'a Report, id: &str) -> &'a Campaign {
    plan(r).campaigns.iter().find(|c| c.id == id).unwrap()
}

/// The audience's customer keys, sorted, with their suggested dates.
fn members(data: &Dataset, r: &Report, id: &str) -> Vec<(String, String)> {
    let table = r.table.rows(data);
    let c = campaign(r, id);
    let mut v: Vec<(String, String)> = c
        .audience
        .iter()
        .zip(&c.schedule)
        .map(|(&row, day)| (table[row as usize].key.to_string(), day.to_string()))
        .collect();
    v.sort();
    v
}

fn keys(data: &Dataset, r: &Report, id: &str) -> Vec<String> {
    members(data, r, id).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn each_rule_picks_the_right_customers_and_dates() {
    let (data, r) = run(&settings());
    // One order within 180 days: new1 (20 days), fresh (5), big? no (2 orders), evil (167). The shop's
    // median days to a second order is 31 (quiet 62, sleepy 30, gone 31, regular 30, big 31), so
    // new1 is due 2024-07-11, fresh 2024-07-26, evil's date has passed → tomorrow.
    assert_eq!(
        members(&data, &r, "second_purchase"),
        vec![
            ("evil".into(), "2024-07-01".into()),
            ("fresh".into(), "2024-07-26".into()),
            ("new1".into(), "2024-07-11".into())
        ]
    );
    // Two or more orders, last one 91–270 days ago: quiet (150), sleepy (259). gone is at 880.
    assert_eq!(keys(&data, &r, "wake_up"), vec!["quiet", "sleepy"]);
    assert!(campaign(&r, "wake_up").why.en.starts_with("2 customers bought twice or more"));
    // Every 30 days, last on 05-31 → due 06-30 → remind on the day after as-of (due − 3 has passed).
    assert_eq!(members(&data, &r, "replenishment"), vec![("regular".into(), "2024-07-01".into())]);
    // Key account (≥ 500): big, last order 29 days ago.
    assert_eq!(keys(&data, &r, "vip_care"), vec!["big"]);
    // Last order within 15 days: fresh (06-25: next step day 15 → 07-10); new1 is 20 days old.
    assert_eq!(members(&data, &r, "post_order_care"), vec![("fresh".into(), "2024-07-10".into())]);
    // Lost stage (> 360 days): gone.
    assert_eq!(keys(&data, &r, "lost_last_try"), vec!["gone"]);
    // Within 20% of a level: new1 and sleepy have 90 of the 100 that 高级会员 needs.
    assert_eq!(keys(&data, &r, "upgrade"), vec!["new1", "sleepy"]);
    // No discount column: the campaign stays, explains, and has nobody.
    let deals = campaign(&r, "deal_seekers");
    assert!(deals.missing.is_some() && deals.audience.is_empty());
    // Can't lose / at risk are RFM-driven: whoever is in has M ≥ 4 and one of those segments.
    let table = r.table.rows(&data);
    for &row in &campaign(&r, "cant_lose").audience {
        let c = &table[row as usize];
        assert!(c.m >= 4 && (c.segment == "cant_lose_them" || c.segment == "at_risk"), "{c:?}");
    }
}

/// The campaigns picked by segment and by stage take exactly the customers the table shows in
/// them, in a shop big enough to have some (the small shop above has no high spender slipping away).
#[test]
fn segment_and_stage_campaigns_take_whom_the_table_shows() {
    let csv = huitou::sample::SampleShop { customers: 2_000, ..Default::default() }.taobao_csv();
    let (data, import) = import_files(&[("demo.csv", csv.as_bytes())], ImportOptions::default()).unwrap();
    let r = analyze(&data, &import, &Settings::default()).unwrap();
    let table = r.table.rows(&data);
    let rows = |keep: &dyn Fn(&huitou::analysis::table::CustomerRow) -> bool| -> Vec<u32> {
        (0..table.len() as u32).filter(|&row| keep(&table[row as usize])).collect()
    };
    let audience = |id: &str| {
        let mut v = campaign(&r, id).audience.clone();
        v.sort_unstable();
        v
    };
    let slipping = rows(&|c| c.m >= 4 && (c.segment == "cant_lose_them" || c.segment == "at_risk"));
    let lost = rows(&|c| c.stage == "lost");
    assert!(!slipping.is_empty() && !lost.is_empty(), "{} slipping, {} lost", slipping.len(), lost.len());
    assert_eq!(audience("cant_lose"), slipping);
    assert_eq!(audience("lost_last_try"), lost);
}

#[test]
fn ranking_overlap_and_each_customer_once() {
    let (_, r) = run(&settings());
    let p = plan(&r);
    assert_eq!(p.campaigns.len(), 10);
    assert_eq!(p.campaigns.last().unwrap().id, "deal_seekers", "missing data goes last");
    let ranked: Vec<_> = p.campaigns.iter().filter(|c| c.missing.is_none()).map(|c| c.value_at_stake).collect();
    assert!(ranked.windows(2).all(|w| w[0] >= w[1]), "{ranked:?}");
    // The overlap matrix is symmetric with the audiences on its diagonal.
    for (i, row) in p.overlap.iter().enumerate() {
        assert_eq!(row[i], p.campaigns[i].customers);
        for (j, &n) in row.iter().enumerate() {
            assert_eq!(n, p.overlap[j][i]);
        }
    }
    // new1 is in second_purchase and upgrade; fresh in second_purchase and post_order_care.
    let idx = |id: &str| p.campaigns.iter().position(|c| c.id == id).unwrap();
    assert_eq!(p.overlap[idx("second_purchase")][idx("upgrade")], 1);
    assert_eq!(p.overlap[idx("second_purchase")][idx("post_order_care")], 1);
    // Each customer once: the exclusive counts add up to the distinct customers in any campaign.
    let mut all: Vec<u32> = p.campaigns.iter().flat_map(|c| c.audience.clone()).collect();
    all.sort();
    all.dedup();
    assert_eq!(p.campaigns.iter().map(|c| c.exclusive_customers).sum::<u64>(), all.len() as u64);

    let mut s = settings();
    s.campaigns.exclusive = true;
    let (_, r2) = run(&s);
    let p2 = plan(&r2);
    assert!(p2.exclusive);
    let mut seen: Vec<u32> = p2.campaigns.iter().flat_map(|c| c.audience.clone()).collect();
    let total = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), total, "nobody twice");
    for c in &p2.campaigns {
        assert_eq!(c.schedule.len(), c.audience.len());
    }
}

#[test]
fn thresholds_are_editable() {
    let mut s = settings();
    s.campaigns.second_purchase_max_days = 10;
    s.campaigns.care_days = 3;
    let (data, r) = run(&s);
    assert_eq!(keys(&data, &r, "second_purchase"), vec!["fresh"]);
    assert!(keys(&data, &r, "post_order_care").is_empty(), "fresh ordered 5 days ago");
}

#[test]
fn lists_held_apart_come_back_unchanged() {
    let (_, mut r) = run(&settings());
    let before = serde_json::to_value(&r).unwrap();
    let lists = r.take_lists();
    let bare = serde_json::to_value(&r).unwrap();
    assert!(plan(&r).campaigns.iter().all(|c| c.audience.is_empty() && c.schedule.is_empty()));
    assert!(bare["rfm"]["segments"].as_array().unwrap().iter().all(|s| s["customers_list"] == serde_json::json!([])));
    assert_eq!(bare["summary"], before["summary"]);
    r.restore_lists(lists);
    assert_eq!(serde_json::to_value(&r).unwrap(), before);
    assert!(plan(&r).campaigns.iter().any(|c| !c.audience.is_empty()));
}

#[test]
fn audience_lists_for_excel() {
    let (data, r) = run(&settings());
    let p = plan(&r);
    let i = p.campaigns.iter().position(|c| c.id == "second_purchase").unwrap();
    let text = audience_csv(&r, p, &data, i, false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "customer,phone,email,name,segment,stage,last_order,orders,net_spend,suggested_date,reason");
    assert_eq!(lines.len(), 4);
    // Full contact details in the export; the formula in evil's name and the + of the phone are defused.
    let evil = lines.iter().find(|l| l.starts_with("evil,")).unwrap();
    assert!(evil.contains(",'+8613800000009,evil@example.com,\"'=HYPERLINK(\"\"http://x\"\")\","), "{evil}");
    let new1 = lines.iter().find(|l| l.starts_with("new1,")).unwrap();
    assert!(new1.contains("13800000001,new1@example.com,Ann,"), "{new1}");
    let bytes = encode(&text, CsvEncoding::Utf8);
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let zh = audience_csv(&r, p, &data, i, true);
    let gbk = encode(&zh, CsvEncoding::Gbk);
    assert_eq!(encoding_rs::GBK.decode_without_bom_handling(&gbk).0, zh);
    assert!(zh.starts_with("客户,手机,邮箱,姓名"));
    let table = customers_csv(&r, &data);
    assert_eq!(table.lines().count(), 1 + r.summary.customers as usize);
    let md = plan_markdown(&r, p, true);
    assert!(md.starts_with("# 回头客运营计划 (2024-06-30)"));
    assert!(md.contains("缺少数据"));
}

#[test]
fn whole_plan_on_the_real_shopify_export() {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/real/samples/shopify/orders_export_1.pseudonymized.csv");
    let bytes = std::fs::read(path).unwrap();
    let (data, import) = import_files(&[("orders_export_1.csv", &bytes)], ImportOptions::default()).unwrap();
    let r = analyze(&data, &import, &Settings::default()).unwrap();
    let p = plan(&r);
    assert_eq!(p.campaigns.len(), 10);
    // 268 customers of whom 34 came back: the second-purchase audience is the recent one-time buyers.
    let second = campaign(&r, "second_purchase");
    let table = r.table.rows(&data);
    let expected = table.iter().filter(|c| c.orders == 1 && c.recency_days <= 180).count() as u64;
    assert_eq!(second.customers, expected);
    assert!(second.customers > 0 && second.value_at_stake.is_positive());
    for (i, c) in p.campaigns.iter().enumerate() {
        assert_eq!(c.schedule.len(), c.audience.len(), "{}", c.id);
        assert!(c.schedule.iter().all(|d| d.to_string().as_str() > "2022-01-11"), "{}: dates after as-of", c.id);
        let csv = audience_csv(&r, p, &data, i, false);
        assert_eq!(csv.lines().count() as u64, 1 + c.customers, "{}", c.id);
        assert!(!c.name.zh.is_empty() && !c.name.en.is_empty() && !c.template.zh.is_empty());
    }
}
