//! The analysis sections on UCI Online Retail, against `tests/reference/online_retail.py`: an
//! independent computation in plain Python (csv + decimal, no shared code) that applies DESIGN.md's
//! definitions to the raw rows. The constants below are what that script printed.

use huitou::analysis::analyze;
use huitou::ingest::{import_files, ImportOptions};
use huitou::model::Dataset;
use huitou::report::Report;
use huitou::settings::Settings;
use std::io::Read;

fn online_retail() -> (Dataset, Report) {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/real/online_retail/online_retail_uci_by_day.csv.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("real file")).read_to_end(&mut bytes).unwrap();
    let (data, import) = import_files(&[("online_retail.csv", &bytes)], ImportOptions::default()).unwrap();
    let report = analyze(&data, &import, &Settings::default()).unwrap();
    (data, report)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a figure");
    assert!((a - b).abs() < 1e-8, "{a} != {b}");
}

#[test]
fn online_retail_sections_match_the_independent_computation() {
    let (data, r) = online_retail();
    assert_eq!(r.summary.customers, 4338);

    let rep = r.repeat.as_ref().unwrap();
    let windows: Vec<(i64, u64, u64)> =
        rep.windows.iter().map(|w| (w.days, w.eligible_customers, w.repeated)).collect();
    assert_eq!(windows, vec![(30, 4086, 922), (60, 3741, 1417), (90, 3370, 1607), (180, 2821, 1884), (365, 573, 502)]);
    close(rep.days_to_second.median, 50.0);
    close(rep.days_to_second.p25, 20.0);
    close(rep.days_to_second.p75, 112.0);
    assert_eq!(rep.days_between.count, 14194);
    close(rep.days_between.median, 22.0);
    close(rep.days_between.p90, 103.0);

    let v = r.value.as_ref().unwrap();
    let want = [(1, 0.298875042), (5, 0.483940186), (10, 0.598045610), (20, 0.735855698), (50, 0.918961280)];
    for ((p, got), (wp, w)) in v.top_shares.iter().zip(want) {
        assert_eq!(*p, wp);
        assert!((got.unwrap() - w).abs() < 1e-9, "top {p}%: {got:?}");
    }
    assert!((v.gini.unwrap() - 0.704844541).abs() < 1e-9);

    let stages: Vec<u64> = r.lifecycle.iter().map(|s| s.customers).collect();
    assert_eq!(stages, vec![2889, 591, 473, 296, 89]);

    let rfm = r.rfm.as_ref().unwrap();
    assert_eq!(rfm.r_counts, [869, 858, 863, 880, 868]);
    assert_eq!(rfm.f_counts, [1493, 835, 508, 802, 700]);
    assert_eq!(rfm.m_counts, [868, 867, 868, 867, 868]);
    let seg = |name: &str| rfm.segments.iter().find(|s| s.name == name).unwrap().customers;
    let want = [
        ("about_to_sleep", 144),
        ("at_risk", 351),
        ("cant_lose_them", 51),
        ("champions", 883),
        ("hibernating", 357),
        ("lost", 334),
        ("loyal", 668),
        ("need_attention", 717),
        ("new", 32),
        ("potential_loyalist", 585),
        ("promising", 216),
    ];
    for (name, n) in want {
        assert_eq!(seg(name), n, "{name}");
    }
    let cn = |name: &str| rfm.cn_classes.iter().find(|s| s.name == name).unwrap().customers;
    assert_eq!((cn("重要价值客户"), cn("一般挽留客户")), (710, 1316));

    // The table agrees with the sections it feeds.
    let table = r.table.rows(&data);
    assert_eq!(table.len(), 4338);
    assert_eq!(table.iter().filter(|c| c.segment == "champions").count(), 883);
    assert_eq!(table.iter().filter(|c| c.stage == "lost").count(), 89);
}
