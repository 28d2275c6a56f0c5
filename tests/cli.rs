//! The `huitou` command line: DESIGN.md's JSON contract, readable text, and one clear sentence
//! with a non-zero exit for unusable input.

use std::process::Command;

fn huitou(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_huitou")).args(args).output().expect("runs")
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_contract() {
    let out = huitou(&["analyze", "--json", &fixture("taobao_orders.gbk.csv")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["summary"];
    assert_eq!(s["customers"], 3);
    assert_eq!(s["orders"], 5);
    assert_eq!(s["repeat_customers"], 2);
    assert!((s["repeat_rate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(s["gross_revenue"], 376.5);
    assert_eq!(s["refunds"], 20.0);
    assert_eq!(s["net_revenue"], 356.5);
    assert_eq!(s["first_order"], "2024-01-05");
    assert_eq!(s["last_order"], "2024-03-15");
    assert_eq!(s["as_of"], "2024-03-15");
    let i = &v["import"];
    assert_eq!(i["rows_read"], 8);
    assert!(i["skipped"].as_object().unwrap().is_empty());
    assert_eq!(i["orders_without_customer"], 0);
    assert_eq!(i["format"], "taobao_orders");
    assert_eq!(i["encoding"], "gb18030");
    assert_eq!(i["mapping"]["customer_id"], "买家会员名");
}

/// `--json` ends with the customers table, a row per customer as the exporter writes it; a file
/// without a buyer column has none.
#[test]
fn json_customers() {
    let out = huitou(&["analyze", "--json", &fixture("taobao_orders.gbk.csv")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).trim_end().ends_with(r#""level":"普通会员"}]}"#));
    let rows = v["customers"].as_array().expect("a list");
    let keys: Vec<&str> = rows.iter().filter_map(|r| r["key"].as_str()).collect();
    assert_eq!(keys, ["tb_alice", "tb_bob", "tb_carol"]);
    let carol = &rows[2];
    let got = |k: &str| carol[k].clone();
    assert_eq!(
        (got("first_order"), got("last_order"), got("orders")),
        ("2024-03-01".into(), "2024-03-15".into(), 2.into())
    );
    assert_eq!((got("gross"), got("refunds"), got("net")), (133.5.into(), 20.0.into(), 113.5.into()));
    assert_eq!(
        (got("days_to_second"), got("first_product"), got("region")),
        (14.into(), "西湖龙井".into(), "上海".into())
    );
    assert_eq!(rows[1]["days_to_second"], serde_json::Value::Null);

    let dir = std::env::temp_dir().join(format!("huitou-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let anonymous = dir.join("anonymous.csv");
    std::fs::write(&anonymous, "order,date,amount\n1,2024-01-01,5\n2,2024-01-02,6\n").unwrap();
    let out = huitou(&["analyze", "--json", anonymous.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["orders"], 2);
    assert!(v.get("customers").is_none());
}

#[test]
fn as_of_and_map_options() {
    let f = fixture("generic_semicolon.csv");
    let out =
        huitou(&["analyze", "--json", "--as-of", "2024-06-30", "--map", "customer_id=", "--map", "name=customer", &f]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["as_of"], "2024-06-30");
    assert_eq!(v["summary"]["customer_key"], "name");
    assert_eq!(v["import"]["mapping"]["name"], "customer");
}

#[test]
fn text_output_is_readable() {
    let out = huitou(&["analyze", &fixture("shopify.csv")]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Repeat customers"), "{text}");
    assert!(text.contains("shopify.csv: Shopify orders export"), "{text}");
}

#[test]
fn unusable_input_exits_non_zero_with_one_sentence() {
    let dir = std::env::temp_dir().join(format!("huitou-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xlsx = dir.join("orders.xlsx");
    std::fs::write(&xlsx, b"PK\x03\x04rest of a workbook").unwrap();
    let out = huitou(&["analyze", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("huitou: orders.xlsx: this is an Excel workbook"), "{err}");

    let out = huitou(&["analyze", "--as-of", "1999-01-01", &fixture("jd.csv")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("before the last order"));

    let no_amount = dir.join("orders.csv");
    std::fs::write(&no_amount, "customer,date,note\nann,2024-01-01,hi\n").unwrap();
    let out = huitou(&["analyze", no_amount.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.trim_end(),
        "huitou: orders.csv: no amount column recognised (columns: customer, date, note). Name it with --map amount=COLUMN."
    );

    let out = huitou(&["analyze"]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn campaigns_write_the_plan_and_lists() {
    let dir = std::env::temp_dir().join(format!("huitou-campaigns-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = huitou(&["campaigns", "--out", dir.to_str().unwrap(), "--gbk", &fixture("taobao_orders.gbk.csv")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = std::fs::read_to_string(dir.join("plan.md")).unwrap();
    assert!(plan.starts_with("# 回头客运营计划"), "{plan}");
    let table = std::fs::read(dir.join("customers.csv")).unwrap();
    let text = encoding_rs::GBK.decode_without_bom_handling(&table).0.into_owned();
    assert!(text.starts_with("customer,phone,email,name"), "{text}");
    assert!(text.contains("tb_alice"));
    let lists = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".csv"))
        .count();
    assert!(lists >= 2, "the table and at least one campaign list");
    let out = huitou(&["campaigns", &fixture("taobao_orders.gbk.csv")]);
    assert_eq!(out.status.code(), Some(2), "--out is required");
    let _ = std::fs::remove_dir_all(dir);
}

/// A gzipped export is read on a thread of its own (`read_ahead`): the same report as the file
/// unzipped, and a file cut short is an error naming it.
#[test]
fn gzipped_files_read_ahead_like_plain_ones() {
    use std::io::Read;
    let gz =
        format!("{}/../shared/data/real/online_retail/online_retail_uci_by_day.csv.gz", env!("CARGO_MANIFEST_DIR"));
    let packed = std::fs::read(&gz).expect("the real UCI file");
    let mut text = Vec::new();
    flate2::read::MultiGzDecoder::new(&packed[..]).read_to_end(&mut text).expect("gunzips");
    let dir = std::env::temp_dir().join(format!("huitou-cli-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("uci.csv");
    std::fs::write(&plain, &text).unwrap();
    let cut = dir.join("cut.csv.gz");
    std::fs::write(&cut, &packed[..packed.len() / 2]).unwrap();

    let summary = |path: &str| {
        let out = huitou(&["analyze", "--json", path]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["summary"].clone()
    };
    let from_gz = summary(&gz);
    assert_eq!(from_gz["customers"], 4338);
    assert_eq!(from_gz, summary(plain.to_str().unwrap()));

    let out = huitou(&["analyze", cut.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with(&format!("huitou: {}: ", cut.display())), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// A reader that stops reading (`huitou analyze --json big.csv | head`) ends the output quietly:
/// no message, and a zero exit, as other tools' output does.
#[test]
fn output_cut_short_by_its_reader_is_no_error() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = std::env::temp_dir().join(format!("huitou-cli-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shop.csv");
    let generated = huitou(&["generate", "taobao", "--mb", "2"]);
    std::fs::write(&file, &generated.stdout).unwrap();
    let file = file.to_str().unwrap();
    for args in [&["generate", "taobao", "--mb", "5"][..], &["analyze", "--json", file], &["sample"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_huitou"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        let mut head = [0; 64];
        child.stdout.take().expect("a pipe").read_exact(&mut head).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success() && out.stderr.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_ne!(head, [0; 64]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
