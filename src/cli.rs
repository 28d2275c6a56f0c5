//! Argument handling and output of the `huitou` binary.

use huitou::analysis::analyze;
use huitou::campaigns::export::{self, CsvEncoding};
use huitou::ingest::columns::Role;
use huitou::ingest::pipeline::Stopped;
use huitou::ingest::{ImportOptions, Importer};
use huitou::model::Dataset;
use huitou::report::Report;
use huitou::settings::Settings;
use std::fs::File;
use std::io::Write;
use std::ops::Range;

const USAGE: &str = "usage: huitou sample [--customers N] [--seed N] > demo-shop.csv
       huitou generate taobao|shopify|minimal --mb N [--gbk] [--seed N] > bench.csv
       huitou campaigns --out DIR [--lang zh|en] [--gbk] [--exclusive] [analyze options] FILE…
       huitou analyze [--as-of YYYY-MM-DD] [--json] [--key customer_id|email|phone|name] [--map ROLE=COLUMN]… FILE…
  Reads order exports (CSV/TSV, UTF-8, GBK or UTF-16; .gz accepted) and prints the returning-customer report.
  Roles for --map: customer_id email phone name order_id order_time paid_time amount refund status after_sale
  cancelled_at product sku quantity unit_price line_amount region currency (an empty COLUMN unmaps the role).";

struct Args {
    command: Command,
    files: Vec<String>,
    json: bool,
    settings: Settings,
    options: ImportOptions,
    out: Option<String>,
    zh: bool,
    gbk: bool,
}

#[derive(PartialEq)]
enum Command {
    Analyze,
    Campaigns,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let command = match it.next().map(String::as_str) {
        Some("analyze") => Command::Analyze,
        Some("campaigns") => Command::Campaigns,
        Some("-h" | "--help" | "help") | None => return Err(USAGE.to_string()),
        Some(other) => return Err(format!("usage: unknown command \"{other}\"\n{USAGE}")),
    };
    let mut a = Args {
        command,
        files: Vec::new(),
        json: false,
        settings: Settings::default(),
        options: ImportOptions::default(),
        out: None,
        zh: true,
        gbk: false,
    };
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("usage: {name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--json" => a.json = true,
            "--out" => a.out = Some(value("--out")?),
            "--gbk" => a.gbk = true,
            "--exclusive" => a.settings.campaigns.exclusive = true,
            "--lang" => a.zh = value("--lang")? != "en",
            "--as-of" => a.settings.as_of = Some(value("--as-of")?),
            "--key" => {
                let v = value("--key")?;
                let role = Role::from_name(&v).filter(|r| Role::CUSTOMER_KEYS.contains(r));
                a.options.customer_key =
                    Some(role.ok_or_else(|| {
                        format!("usage: --key must be customer_id, email, phone or name, not \"{v}\"")
                    })?);
            }
            "--map" => {
                let v = value("--map")?;
                let (role, column) =
                    v.split_once('=').ok_or_else(|| format!("usage: --map takes ROLE=COLUMN, not \"{v}\""))?;
                let role =
                    Role::from_name(role).ok_or_else(|| format!("usage: unknown role \"{role}\" in --map\n{USAGE}"))?;
                a.options.overrides.push((role, column.to_string()));
            }
            s if s.starts_with("--") => return Err(format!("usage: unknown option {s}\n{USAGE}")),
            file => a.files.push(file.to_string()),
        }
    }
    if a.files.is_empty() {
        return Err(format!("usage: no file given\n{USAGE}"));
    }
    if a.command == Command::Campaigns && a.out.is_none() {
        return Err(format!("usage: campaigns needs --out DIR\n{USAGE}"));
    }
    Ok(a)
}

/// A file the core cannot import, with how to name the column it could not find here.
fn import_error(e: huitou::Error) -> String {
    match e.missing_column() {
        Some((role, _)) => format!("{e} Name it with --map {role}=COLUMN."),
        None => e.to_string(),
    }
}

pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("sample") => return sample(&args[1..], out),
        Some("generate") => return generate(&args[1..], out),
        _ => {}
    }
    let a = parse_args(args)?;
    let mut imp = Importer::new(a.options.clone());
    for path in &a.files {
        let name = std::path::Path::new(path).file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
        let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
        let size = file.metadata().map(|m| m.len()).ok().filter(|_| !path.ends_with(".gz"));
        imp.start_file(&name);
        if let Some(size) = size {
            imp.file_size(size);
        }
        // Read, gunzipped and split into records on a thread of their own (`Importer::push_all`).
        let pushed = if path.ends_with(".gz") {
            imp.push_all(flate2::read::MultiGzDecoder::new(file))
        } else {
            imp.push_all(file)
        };
        pushed.map_err(|e| match e {
            Stopped::Reading(e) => format!("{path}: {e}"),
            Stopped::Using(e) => import_error(e),
        })?;
        imp.end_file().map_err(import_error)?;
    }
    let (data, import) = imp.finish().map_err(import_error)?;
    // Only `--json` prints the customers as text; the other outputs read the table's columns.
    let settings = Settings { include_customers: a.json && a.command != Command::Campaigns, ..a.settings.clone() };
    let report = analyze(&data, &import, &settings).map_err(|e| e.to_string())?;
    if a.command == Command::Campaigns {
        return write_campaigns(&a, &report, &data, out);
    }
    let written = if a.json {
        // Buffered: the JSON is one line, which standard output would write a kilobyte at a time.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
        serde_json::to_writer(&mut buffered, &report.json(&data))
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(buffered).and_then(|_| buffered.flush()))
    } else {
        write_text(&report, out)
    };
    written.or_else(output_error)
}

/// What a failed write to standard output says. A reader that stopped reading (`huitou analyze
/// big.csv | head`) is no failure: the output ends there, quietly, as other tools' does.
fn output_error(e: std::io::Error) -> Result<(), String> {
    match e.kind() {
        std::io::ErrorKind::BrokenPipe => Ok(()),
        _ => Err(e.to_string()),
    }
}

fn write_text(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &r.summary;
    let i = &r.import;
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    writeln!(out, "Huitou report (as of {})", opt(&s.as_of))?;
    writeln!(out)?;
    match s.customer_key {
        Some(k) => writeln!(out, "  Customers           {:>12}   (identified by {k})", s.customers)?,
        None => writeln!(out, "  Customers                      -   (no buyer column)")?,
    }
    writeln!(out, "  Valid orders        {:>12}", s.orders)?;
    if s.customer_key.is_some() {
        writeln!(out, "  Repeat customers    {:>12}", s.repeat_customers)?;
        if let Some(rate) = s.repeat_rate {
            writeln!(out, "  Repeat rate         {:>11.1}%", rate * 100.0)?;
        }
    }
    let cur = s.currency.clone().unwrap_or_default();
    writeln!(out, "  Gross revenue       {:>12} {cur}", s.gross_revenue.to_string())?;
    writeln!(out, "  Refunds             {:>12} {cur}", s.refunds.to_string())?;
    writeln!(out, "  Net revenue         {:>12} {cur}", s.net_revenue.to_string())?;
    writeln!(out, "  Orders from         {} to {}", opt(&s.first_order), opt(&s.last_order))?;
    write_sections(r, out)?;
    writeln!(out)?;
    writeln!(out, "Import")?;
    for f in &i.files {
        writeln!(
            out,
            "  {}: {} ({}), {}, delimiter {}, header on line {}; {} rows read, {} used",
            f.name, f.format_label, f.format, f.encoding, f.delimiter, f.header_line, f.rows_read, f.rows_used
        )?;
        let mapping: Vec<String> = f.mapping.iter().map(|(r, c)| format!("{r}={c}")).collect();
        writeln!(out, "    columns: {}", mapping.join(", "))?;
    }
    writeln!(
        out,
        "  Orders: {} distinct, {} valid, {} without a customer",
        i.orders, i.valid_orders, i.orders_without_customer
    )?;
    let statuses: Vec<String> = i.orders_by_status.iter().map(|(k, v)| format!("{k} {v}")).collect();
    writeln!(out, "  By status: {}", statuses.join(", "))?;
    if !i.skipped.is_empty() {
        writeln!(out, "  Skipped rows:")?;
        for (reason, n) in &i.skipped {
            writeln!(out, "    {:<20} {n}", reason.key())?;
        }
        for e in i.skipped_examples.iter().take(10) {
            writeln!(out, "      e.g. {}", e.message)?;
        }
    }
    for n in &i.notes {
        writeln!(out, "  Note: {}", n.message)?;
    }
    Ok(())
}

/// `huitou sample`: writes the demo shop's order report to stdout.
fn sample(args: &[String], out: &mut dyn Write) -> Result<(), String> {
    let mut shop = huitou::sample::SampleShop::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().and_then(|v| v.parse::<u64>().ok());
        match (arg.as_str(), value) {
            ("--customers", Some(n)) => shop.customers = n.min(u32::MAX as u64) as u32,
            ("--seed", Some(n)) => shop.seed = n,
            _ => return Err(format!("usage: unknown or incomplete option {arg}\n{USAGE}")),
        }
    }
    out.write_all(shop.taobao_csv().as_bytes()).or_else(output_error)
}

/// `huitou generate`: writes a benchmark file of about `--mb` megabytes (10^6 bytes) to stdout.
fn generate(args: &[String], out: &mut dyn Write) -> Result<(), String> {
    use huitou::generate::{write, Layout, Spec};
    let usage = |what: &str| format!("usage: {what}\n{USAGE}");
    let layout = args.first().and_then(|l| Layout::from_name(l)).ok_or_else(|| usage("generate needs a layout"))?;
    let mut spec = Spec { layout, gbk: false, bytes: 0, seed: 1 };
    let mut it = args[1..].iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--gbk" => spec.gbk = true,
            "--mb" | "--seed" => {
                let n = it
                    .next()
                    .and_then(|v| v.parse::<u64>().ok())
                    .ok_or_else(|| usage(&format!("{arg} needs a number")))?;
                if arg == "--mb" {
                    spec.bytes = n.saturating_mul(1_000_000);
                } else {
                    spec.seed = n;
                }
            }
            _ => return Err(usage(&format!("unknown option {arg}"))),
        }
    }
    if spec.bytes == 0 {
        return Err(usage("generate needs --mb N"));
    }
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
    write(spec, &mut buffered).map(|_| ()).or_else(output_error)
}

fn pct(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| format!("{:.1}%", x * 100.0))
}

/// The main analysis sections as short tables.
fn write_sections(r: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    if let Some(rep) = &r.repeat {
        writeln!(out)?;
        writeln!(out, "Repeat purchase")?;
        for w in &rep.windows {
            writeln!(
                out,
                "  {:>3}-day repeat rate   {:>7}   ({} of {} customers who could)",
                w.days,
                pct(w.rate),
                w.repeated,
                w.eligible_customers
            )?;
        }
        let d = &rep.days_to_second;
        let f = |v: Option<f64>| v.map_or("-".into(), |x| format!("{x:.0}"));
        writeln!(
            out,
            "  Days to 2nd order      median {}, quartiles {}–{} ({} customers)",
            f(d.median),
            f(d.p25),
            f(d.p75),
            d.count
        )?;
        writeln!(
            out,
            "  Days between orders    median {}, 90% within {}",
            f(rep.days_between.median),
            f(rep.days_between.p90)
        )?;
    }
    if let Some(rfm) = &r.rfm {
        writeln!(out)?;
        writeln!(out, "RFM segments                customers   share  revenue share")?;
        for s in rfm.segments.iter().filter(|s| s.customers > 0) {
            writeln!(out, "  {:<24} {:>10} {:>7} {:>14}", s.name, s.customers, pct(s.share), pct(s.revenue_share))?;
        }
        writeln!(out, "RFM 8 classes (vs {:?})", rfm.cn_baseline)?;
        for s in rfm.cn_classes.iter().filter(|s| s.customers > 0) {
            writeln!(out, "  {:<18} {:>10} {:>7} {:>14}", s.name, s.customers, pct(s.share), pct(s.revenue_share))?;
        }
    }
    if !r.lifecycle.is_empty() {
        writeln!(out)?;
        writeln!(out, "Lifecycle (days since last order)  customers  returning")?;
        for s in &r.lifecycle {
            let range = match s.to_days {
                Some(t) => format!("{}–{}", s.from_days, t),
                None => format!("{}+", s.from_days),
            };
            writeln!(out, "  {:<16} {:>10} {:>10} {:>10}", s.name, range, s.customers, s.returning_customers)?;
        }
    }
    if let Some(v) = &r.value {
        writeln!(out)?;
        let top20 = v.top_shares.iter().find(|(p, _)| *p == 20).and_then(|(_, s)| *s);
        writeln!(
            out,
            "Value: the top 20% of customers bring {} of net revenue (Gini {})",
            pct(top20),
            v.gini.map_or("-".into(), |g| format!("{g:.2}"))
        )?;
        let tiers: Vec<String> = v.tiers.iter().map(|t| format!("{} {}", t.name, t.customers)).collect();
        writeln!(out, "  Tiers: {}", tiers.join(", "))?;
        let levels: Vec<String> = v.levels.iter().map(|t| format!("{} {}", t.name, t.customers)).collect();
        writeln!(out, "  Levels: {} (from {:?})", levels.join(", "), v.level_thresholds)?;
    }
    Ok(())
}

/// `huitou campaigns`: the plan, the customers table and one list per campaign, written to `--out`.
fn write_campaigns(a: &Args, report: &Report, data: &Dataset, out: &mut dyn Write) -> Result<(), String> {
    let dir = std::path::Path::new(a.out.as_deref().unwrap_or("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let enc = if a.gbk { CsvEncoding::Gbk } else { CsvEncoding::Utf8 };
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    };
    // CSV files are written a part at a time, never whole in memory: the customers file of a 1 GB
    // export is about 2.6 GB of text.
    let write_parts = |name: &str, part: &dyn Fn(Range<usize>) -> Vec<u8>| {
        let path = dir.join(name);
        let failed = |e: std::io::Error| format!("{}: {e}", path.display());
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(failed)?);
        for from in (0..).step_by(export::PART_LINES) {
            let bytes = part(from..from + export::PART_LINES);
            if bytes.is_empty() {
                break;
            }
            file.write_all(&bytes).map_err(failed)?;
        }
        file.flush().map_err(failed)
    };
    let Some(plan) = &report.plan else {
        return Err("these files have no customer column, so there are no customers to plan campaigns for".into());
    };
    write("plan.md", export::plan_markdown(report, plan, a.zh).as_bytes())?;
    write_parts("customers.csv", &|lines| export::customers_csv_part(&report.table, None, data, enc, lines))?;
    writeln!(out, "Plan: {}", dir.join("plan.md").display()).map_err(|e| e.to_string())?;
    for (i, c) in plan.campaigns.iter().enumerate() {
        if c.missing.is_some() {
            writeln!(out, "  {:>2}. {:<18} (missing data)", i + 1, c.id).map_err(|e| e.to_string())?;
            continue;
        }
        let name = format!("{:02}-{}.csv", i + 1, c.id);
        write_parts(&name, &|members| export::audience_csv_part(report, plan, data, i, a.zh, enc, members))?;
        writeln!(
            out,
            "  {:>2}. {:<18} {:>8} customers  value {:>12}  {name}",
            i + 1,
            c.id,
            c.customers,
            c.value_at_stake.to_string()
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}
