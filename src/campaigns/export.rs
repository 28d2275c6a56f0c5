//! Lists sellers can open in Excel: campaign audiences, the customers table, and the plan as a
//! printable summary.
//!
//! CSV files are UTF-8 with a BOM (so Chinese Excel opens them correctly) or GBK on request.
//! A cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`: exported customer
//! data can come from strangers (names, notes), and a formula in a spreadsheet is an attack.

use super::Plan;
use crate::analysis::table::{CustomerRow, CustomerTable};
use crate::calendar::Day;
use crate::model::Dataset;
use crate::report::Report;
use serde::Deserialize;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CsvEncoding {
    /// UTF-8 with a byte-order mark.
    #[default]
    Utf8,
    Gbk,
}

/// A cell made safe for spreadsheets and quoted for CSV.
pub fn cell(value: &str, out: &mut String) {
    let guarded = matches!(value.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let needs_quotes = guarded && value.contains([',', '"', '\n', '\r']) || value.contains([',', '"', '\n', '\r']);
    if needs_quotes {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if needs_quotes {
        out.push('"');
    }
}

fn row(cells: &[&str], out: &mut String) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        cell(c, out);
    }
    out.push_str("\r\n");
}

/// Encodes finished CSV text.
pub fn encode(text: &str, enc: CsvEncoding) -> Vec<u8> {
    match enc {
        CsvEncoding::Utf8 => {
            let mut v = Vec::with_capacity(text.len() + 3);
            v.extend_from_slice(b"\xEF\xBB\xBF");
            v.extend_from_slice(text.as_bytes());
            v
        }
        CsvEncoding::Gbk => crate::text_codec::encode_gb18030(text),
    }
}

/// Segment and stage names as Chinese sellers know them.
fn zh_name(id: &str) -> &str {
    match id {
        "champions" => "冠军客户",
        "loyal" => "忠诚客户",
        "potential_loyalist" => "潜在忠诚",
        "new" => "新客户",
        "promising" => "有潜力",
        "need_attention" => "需要关注",
        "about_to_sleep" => "即将沉睡",
        "at_risk" => "有流失风险",
        "cant_lose_them" => "不能失去",
        "hibernating" => "休眠",
        "lost" => "已流失",
        "active" => "活跃期",
        "silent" => "沉默期",
        "sleeping" => "睡眠期",
        "about_to_lose" => "流失预警",
        other => other,
    }
}

/// Why a customer is on a campaign's list, in the seller's words.
fn reason(id: &str, c: &CustomerRow, zh: bool) -> String {
    let days = c.recency_days;
    match (id, zh) {
        ("second_purchase", true) => format!("只买过一次，{days} 天前"),
        ("second_purchase", false) => format!("bought once, {days} days ago"),
        ("wake_up", true) => format!("买过 {} 次，已 {days} 天未下单", c.orders),
        ("wake_up", false) => format!("{} orders, none for {days} days", c.orders),
        ("replenishment", true) => format!("通常每 {} 天买一次", c.typical_interval_days.unwrap_or(0.0).round()),
        ("replenishment", false) => {
            format!("usually buys every {} days", c.typical_interval_days.unwrap_or(0.0).round())
        }
        (_, true) => format!("{}，{} 单，最近一单 {days} 天前", zh_name(c.segment), c.orders),
        (_, false) => format!("{}, {} orders, last {days} days ago", c.segment, c.orders),
    }
}

/// The audience of campaign `index` of the plan as CSV text (full contact details: the page masks
/// them on screen, the list is for sending).
pub fn audience_csv(report: &Report, plan: &Plan, data: &Dataset, index: usize, zh: bool) -> String {
    let mut out = String::new();
    let header: [&str; 11] = if zh {
        ["客户", "手机", "邮箱", "姓名", "RFM分群", "生命周期", "最近下单", "订单数", "净消费", "建议联系日", "原因"]
    } else {
        [
            "customer",
            "phone",
            "email",
            "name",
            "segment",
            "stage",
            "last_order",
            "orders",
            "net_spend",
            "suggested_date",
            "reason",
        ]
    };
    row(&header, &mut out);
    let Some(campaign) = plan.campaigns.get(index) else {
        return out;
    };
    let table = &report.table;
    for (k, &r) in campaign.audience.iter().enumerate() {
        if r as usize >= table.len() {
            continue;
        }
        let c = &table.row(r as usize, data);
        let contact = |f: fn(&Dataset, u32) -> Option<&str>| f(data, c.id).unwrap_or("");
        let (orders, net) = (c.orders.to_string(), c.net.to_string());
        let why = reason(campaign.id, c, zh);
        row(
            &[
                &c.key,
                contact(Dataset::phone),
                contact(Dataset::email),
                contact(Dataset::name),
                if zh { zh_name(c.segment) } else { c.segment },
                if zh { zh_name(c.stage) } else { c.stage },
                &c.last_order,
                &orders,
                &net,
                &campaign.schedule.get(k).map_or(String::new(), Day::to_string),
                &why,
            ],
            &mut out,
        );
    }
    out
}

/// The whole customers table as CSV text.
pub fn customers_csv(report: &Report, data: &Dataset) -> String {
    customer_rows_csv(&report.table, 0..report.table.len() as u32, data)
}

/// Some rows of the customers table (a filtered view on the page), in the given order, as CSV text.
pub fn customer_rows_csv(table: &CustomerTable, rows: impl IntoIterator<Item = u32>, data: &Dataset) -> String {
    let mut out = String::new();
    row(
        &[
            "customer",
            "phone",
            "email",
            "name",
            "first_order",
            "last_order",
            "orders",
            "gross",
            "refunds",
            "net",
            "average_order_value",
            "items",
            "recency_days",
            "days_to_second",
            "typical_interval_days",
            "first_product",
            "top_product",
            "region",
            "r",
            "f",
            "m",
            "segment",
            "cn_class",
            "stage",
            "tier",
            "level",
        ],
        &mut out,
    );
    for c in rows.into_iter().filter(|&c| (c as usize) < table.len()) {
        let c = &table.row(c as usize, data);
        let get = |f: fn(&Dataset, u32) -> Option<&str>| f(data, c.id).unwrap_or("");
        let opt = |v: Option<String>| v.unwrap_or_default();
        let nums = [
            c.orders.to_string(),
            c.gross.to_string(),
            c.refunds.to_string(),
            c.net.to_string(),
            c.average_order_value.to_string(),
            c.items.to_string(),
            c.recency_days.to_string(),
            opt(c.days_to_second.map(|d| d.to_string())),
            opt(c.typical_interval_days.map(|d| d.to_string())),
            c.r.to_string(),
            c.f.to_string(),
            c.m.to_string(),
        ];
        row(
            &[
                &c.key,
                get(Dataset::phone),
                get(Dataset::email),
                get(Dataset::name),
                &c.first_order,
                &c.last_order,
                &nums[0],
                &nums[1],
                &nums[2],
                &nums[3],
                &nums[4],
                &nums[5],
                &nums[6],
                &nums[7],
                &nums[8],
                c.first_product.as_deref().unwrap_or(""),
                c.top_product.as_deref().unwrap_or(""),
                c.region.as_deref().unwrap_or(""),
                &nums[9],
                &nums[10],
                &nums[11],
                c.segment,
                c.cn_class,
                c.stage,
                c.tier,
                c.level,
            ],
            &mut out,
        );
    }
    out
}

/// The plan as a printable Markdown summary.
pub fn plan_markdown(report: &Report, plan: &Plan, zh: bool) -> String {
    let pick = |t: &super::Text| if zh { t.zh.clone() } else { t.en.clone() };
    let mut out = String::new();
    let s = &report.summary;
    let title = if zh { "回头客运营计划" } else { "Returning-customer plan" };
    let _ = writeln!(out, "# {title} ({})\n", s.as_of.as_deref().unwrap_or("-"));
    for n in &plan.notes {
        let _ = writeln!(out, "> {}\n", pick(n));
    }
    for (rank, c) in plan.campaigns.iter().enumerate() {
        let _ = writeln!(out, "## {}. {}\n", rank + 1, pick(&c.name));
        let _ = writeln!(out, "{}\n", pick(&c.goal));
        if let Some(m) = &c.missing {
            let _ = writeln!(out, "**{}** {}\n", if zh { "缺少数据：" } else { "Missing data:" }, pick(m));
            continue;
        }
        let (who, worth, when, how, say) = if zh {
            ("对象", "价值估计", "时间", "渠道", "话术")
        } else {
            ("Who", "Value at stake", "When", "How", "Message")
        };
        let _ = writeln!(out, "- {}\n- **{who}:** {} ({})", pick(&c.why), c.customers, pick(&c.rule));
        let _ = writeln!(out, "- **{worth}:** {} ({})", c.value_at_stake, pick(&c.value_method));
        let _ = writeln!(out, "- **{when}:** {}", pick(&c.timing));
        let _ = writeln!(out, "- **{how}:** {} · {}", c.channels.join(", "), c.offer);
        let _ = writeln!(out, "- **{say}:** {}\n", pick(&c.template));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(v: &str) -> String {
        let mut s = String::new();
        cell(v, &mut s);
        s
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(one("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(one("+1 555"), "'+1 555");
        assert_eq!(one("-2"), "'-2");
        assert_eq!(one("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(one("\tx"), "'\tx");
        assert_eq!(one("\rx"), "\"'\rx\"");
        assert_eq!(one("张三"), "张三");
        assert_eq!(one("a,b"), "\"a,b\"");
    }

    #[test]
    fn encodings() {
        assert_eq!(&encode("客户\r\n", CsvEncoding::Utf8)[..3], b"\xEF\xBB\xBF");
        let gbk = encode("客户\r\n", CsvEncoding::Gbk);
        assert_eq!(encoding_rs::GB18030.decode_without_bom_handling(&gbk).0, "客户\r\n");
        assert_ne!(&gbk[..3], b"\xEF\xBB\xBF");
    }
}
