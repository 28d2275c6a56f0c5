//! Unusable or damaged input: one clear message naming the file (and line and column where there
//! is one), or a report in which every damaged row is counted with its reason.

use huitou::analysis::{analyze, analyze_checked, check_settings};
use huitou::error::ErrorKind;
use huitou::ingest::columns::Role;
use huitou::ingest::report::{ImportReport, SkipReason};
use huitou::ingest::{import_files, ImportOptions, Importer};
use huitou::settings::Settings;

fn import(bytes: &[u8]) -> Result<ImportReport, huitou::Error> {
    import_files(&[("orders.csv", bytes)], ImportOptions::default()).map(|(_, r)| r)
}

fn error(bytes: &[u8]) -> huitou::Error {
    import(bytes).expect_err("this input must be refused")
}

#[test]
fn empty_and_blank_files() {
    assert_eq!(error(b"").kind, ErrorKind::Empty);
    assert_eq!(error(b"\r\n \n").kind, ErrorKind::Empty);
    assert_eq!(error(b"").to_string(), "orders.csv: the file is empty.");
}

#[test]
fn header_only() {
    let e = error("订单编号,买家会员名,订单状态,买家实际支付金额,订单创建时间\r\n".as_bytes());
    assert_eq!(e.kind, ErrorKind::HeaderOnly);
    assert_eq!(e.to_string(), "orders.csv: the file has a header row but no orders.");
}

#[test]
fn spreadsheets_and_binaries_renamed_csv() {
    let xlsx = error(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00");
    assert!(xlsx.to_string().contains("Excel workbook (.xlsx)"), "{xlsx}");
    let xls = error(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00");
    assert!(xls.to_string().contains(".xls"), "{xls}");
    let noise: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let e = error(&noise);
    assert!(matches!(e.kind, ErrorKind::NotText(_) | ErrorKind::NoHeader), "{e}");
}

#[test]
fn no_table_at_all() {
    let e = error(b"Dear seller,\nhere are your orders.\n");
    assert_eq!(e.kind, ErrorKind::NoHeader);
}

#[test]
fn missing_amount_column_names_the_columns() {
    let e = error(b"customer,date,note\nann,2024-01-01,hi\n");
    assert!(matches!(e.kind, ErrorKind::NoAmountColumn { .. }));
    assert_eq!(e.to_string(), "orders.csv: no amount column recognised (columns: customer, date, note).");
}

#[test]
fn mapping_a_column_that_does_not_exist() {
    let opts = ImportOptions { overrides: vec![(Role::Amount, "Betrag".into())], ..Default::default() };
    let e = import_files(&[("orders.csv", b"customer,date,amount\nann,2024-01-01,1\n")], opts).unwrap_err();
    assert!(e.to_string().contains("no column \"Betrag\" to use as amount"), "{e}");
}

#[test]
fn a_hundred_megabyte_line_without_a_newline() {
    let mut imp = Importer::new(ImportOptions::default());
    imp.start_file("huge.csv");
    imp.push(b"customer,date,amount\nann,2024-01-01,").unwrap();
    let chunk = vec![b'9'; 1 << 20];
    let mut result = Ok(());
    for _ in 0..100 {
        result = imp.push(&chunk);
        if result.is_err() {
            break;
        }
    }
    let e = result.and_then(|_| imp.end_file()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::RowTooLong { line: 2, limit_mb: 8 });
    assert!(e.to_string().starts_with("huge.csv, line 2: a row longer than 8 MB"), "{e}");
}

#[test]
fn rows_with_problems_are_counted_with_line_and_column() {
    let file = "customer,date,amount\n\
                ann,2024-01-05,10\n\
                bob,2024-02-30,5\n\
                cat,2024-03-01,ten\n\
                dan,2024-03-02\n\
                ,,\n\
                eve,,4\n\
                fay,2024-03-03,7\n";
    let r = import(file.as_bytes()).unwrap();
    assert_eq!(r.rows_read, 7);
    assert_eq!(r.rows_used, 2);
    let want = [
        (SkipReason::InvalidDate, 3, Some("date")),
        (SkipReason::InvalidAmount, 4, Some("amount")),
        (SkipReason::WrongFieldCount, 5, None),
        (SkipReason::BlankRow, 6, None),
        (SkipReason::MissingOrderDate, 7, Some("date")),
    ];
    for (reason, line, column) in want {
        assert_eq!(r.skipped.get(&reason), Some(&1), "{reason:?}");
        let ex = r.skipped_examples.iter().find(|e| e.reason == reason).unwrap();
        assert_eq!((ex.line, ex.column.as_deref()), (line, column), "{reason:?}");
        assert!(ex.message.starts_with(&format!("orders.csv, line {line}")), "{}", ex.message);
        assert!(ex.zh.starts_with(&format!("orders.csv，第 {line} 行")), "{}", ex.zh);
    }
    let invalid = r.skipped_examples.iter().find(|e| e.reason == SkipReason::InvalidDate).unwrap();
    assert_eq!(invalid.value.as_deref(), Some("2024-02-30"));
    assert_eq!(invalid.zh, "orders.csv，第 3 行，“date”列：日期无法识别（“2024-02-30”）");
    let short = r.skipped_examples.iter().find(|e| e.reason == SkipReason::WrongFieldCount).unwrap();
    assert_eq!(
        short.message,
        "orders.csv, line 5: the row has a different number of columns than the header (2 fields, header has 3)"
    );
    assert_eq!(short.zh, "orders.csv，第 5 行：这一行的列数与表头不同（2 列，表头有 3 列）");
}

#[test]
fn unclosed_quote_at_the_end_is_reported_where_it_starts() {
    let r = import(
        b"customer,date,amount,note\nann,2024-01-05,10,ok\nbob,2024-01-06,5,\"never closed\nfay,2024-01-07,7,x\n",
    )
    .unwrap();
    assert_eq!(r.rows_used, 1);
    assert_eq!(r.skipped.get(&SkipReason::UnclosedQuote), Some(&1));
    assert_eq!(r.skipped_examples[0].line, 3);
}

#[test]
fn mixed_encodings_are_read_and_noted() {
    // A UTF-8 export with a GBK one pasted below it.
    let mut bytes = "customer,date,amount\n".as_bytes().to_vec();
    for day in 1..=9 {
        bytes.extend_from_slice(format!("张三,2024-01-0{day},10\n").as_bytes());
    }
    let (gbk, _, _) = encoding_rs::GB18030.encode("李四,2024-01-10,5\n");
    bytes.extend_from_slice(&gbk);
    let (data, r) = import_files(&[("orders.csv", &bytes)], ImportOptions::default()).unwrap();
    assert_eq!(r.encoding, "utf-8");
    assert_eq!(r.valid_orders, 10);
    assert_eq!(data.customers.get(1), Some("李四"));
    let note = r.notes.iter().find(|n| n.code == "mixed_encoding").expect("the mixed encodings are noted");
    assert!(note.message.starts_with("1 cells were not UTF-8"), "{}", note.message);
    assert!(note.zh.starts_with("有 1 个单元格不是 UTF-8"), "{}", note.zh);
}

#[test]
fn impossible_day_month_order_in_a_column() {
    // 13/05 proves day-first for the column; 05/13 is then impossible and skipped with its line.
    let r = import(b"customer,date,amount\nann,13/05/2024,1\nbob,14/05/2024,1\ncat,05/13/2024,1\n").unwrap();
    assert_eq!(r.valid_orders, 2);
    assert_eq!(r.skipped.get(&SkipReason::InvalidDate), Some(&1));
    let ex = &r.skipped_examples[0];
    assert_eq!(ex.line, 4);
    assert!(ex.message.ends_with("(impossible as day/month, which the rest of the column uses)"), "{}", ex.message);
    assert!(ex.zh.ends_with("（这一列其余日期都是“日/月”，按日/月这个日期不存在）"), "{}", ex.zh);
}

#[test]
fn as_of_before_the_last_order_is_a_clear_error() {
    let (data, import) =
        import_files(&[("orders.csv", b"customer,date,amount\nann,2024-01-05,10\n")], ImportOptions::default())
            .unwrap();
    let settings = Settings { as_of: Some("2024-01-01".into()), ..Default::default() };
    let e = analyze(&data, &import, &settings).unwrap_err();
    assert_eq!(
        e.to_string(),
        "The as-of date 2024-01-01 is before the last order (2024-01-05); choose 2024-01-05 or later."
    );
    let later = Settings { as_of: Some("2024-02-01".into()), ..Default::default() };
    assert_eq!(analyze(&data, &import, &later).unwrap().summary.as_of.as_deref(), Some("2024-02-01"));
}

/// The page's worker checks settings before freeing its last report: the check must refuse
/// exactly what the analysis refuses, with the same message.
#[test]
fn settings_are_checked_as_the_analysis_would_refuse_them() {
    let (data, import) = import_files(
        &[(
            "orders.csv",
            b"customer,date,amount
ann,2024-01-05,10
bob,2024-01-02,5
",
        )],
        ImportOptions::default(),
    )
    .unwrap();
    let as_of = |text: &str| Some(text.to_string());
    let cases = [
        Settings::default(),
        Settings { as_of: as_of("2024-01-05"), ..Default::default() },
        Settings { as_of: as_of("2024-01-04"), ..Default::default() },
        Settings { as_of: as_of("5 Jan 2024"), ..Default::default() },
        Settings { lifecycle_days: [90, 90, 270, 360], ..Default::default() },
        Settings { as_of: as_of("2023-12-31"), lifecycle_days: [360, 270, 180, 90], ..Default::default() },
    ];
    let mut refused = 0;
    for settings in &cases {
        let checked = check_settings(&data, settings).map_err(|e| e.to_string());
        let analysed = analyze(&data, &import, settings).map_err(|e| e.to_string());
        assert_eq!(checked.as_ref().err(), analysed.as_ref().err(), "{settings:?}");
        if let (Ok(checked), Ok(report)) = (checked, analysed) {
            let day = checked.as_of().map(|d| huitou::calendar::format_date(d * huitou::calendar::SECS_PER_DAY));
            assert_eq!(day, report.summary.as_of, "{settings:?}");
            let again = analyze_checked(&data, &import, checked);
            assert_eq!(serde_json::to_string(&again).ok(), serde_json::to_string(&report).ok(), "{settings:?}");
        } else {
            refused += 1;
        }
    }
    assert_eq!(refused, 4);
}
