//! Benchmark files of any size, generated deterministically and streamed: a Taobao-style order
//! report (UTF-8 or GBK), a Shopify-style line-item export and a minimal `customer,date,amount`
//! list. The same format, size and seed always give the same bytes.
//!
//! The shop behind them behaves like a real one: new customers arrive every day (more of them as
//! the shop grows), about a third come back at their own rhythm (two weeks to four months), some
//! orders are closed unpaid or refunded. Orders are written in time order, as exports are, from a
//! queue of each active customer's next order, so memory grows with customers, not with the file.

use crate::calendar::{format_date, ymd_secs, SECS_PER_DAY};
use crate::sample::{hour_of_day, surname, Rng};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The layouts the generator writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `订单编号,买家会员名,…` one row per order, like Taobao's 订单报表.
    Taobao,
    /// `Name,Email,Financial Status,…` one row per line item, order fields on the first line only.
    Shopify,
    /// `customer,date,amount`.
    Minimal,
}

impl Layout {
    pub fn from_name(name: &str) -> Option<Layout> {
        match name {
            "taobao" => Some(Layout::Taobao),
            "shopify" => Some(Layout::Shopify),
            "minimal" => Some(Layout::Minimal),
            _ => None,
        }
    }

    /// Typical bytes per order, to size the shop so the file ends near the period's end.
    fn bytes_per_order(self) -> u64 {
        match self {
            Layout::Taobao => 215,
            Layout::Shopify => 330,
            Layout::Minimal => 36,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub layout: Layout,
    /// Write GBK instead of UTF-8 (the Taobao layout's usual encoding).
    pub gbk: bool,
    /// Stop after the order that passes this many bytes.
    pub bytes: u64,
    pub seed: u64,
}

const PRODUCTS: [(&str, &str, i64); 12] = [
    ("原味坚果礼盒 500g", "Nut gift box 500g", 89),
    ("每日坚果 30袋装", "Daily nuts 30 packs", 129),
    ("手工牛肉干 250g", "Beef jerky 250g", 68),
    ("西湖龙井 明前 100g", "Longjing green tea 100g", 258),
    ("云南普洱 熟茶饼 357g", "Pu-erh tea cake 357g", 168),
    ("桂花乌龙 袋泡茶 20包", "Osmanthus oolong 20 bags", 39),
    ("芒果干 200g", "Dried mango 200g", 25),
    ("黑糖话梅 150g", "Brown sugar plums 150g", 19),
    ("海苔脆片 12包", "Seaweed crisps 12 packs", 32),
    ("冻干草莓 100g", "Freeze-dried strawberries", 45),
    ("茶具套装 旅行款", "Travel tea set", 199),
    ("猫粮 鸡肉味 2kg", "Cat food chicken 2kg", 99),
];

const PROVINCES: [&str; 8] = ["广东省", "浙江省", "江苏省", "上海", "北京", "山东省", "四川省", "湖北省"];
const STATES: [&str; 8] = ["California", "Texas", "New York", "Florida", "Ohio", "Oregon", "Georgia", "Illinois"];

/// Length of the trading period; the shop's size sets how many customers arrive in it.
const DAYS: i64 = 730;

/// Writes the file described by `spec` to `out`; returns the bytes written.
pub fn write(spec: Spec, out: &mut dyn Write) -> io::Result<u64> {
    let mut w = Writer { out, gbk: spec.gbk, written: 0, line: String::with_capacity(512) };
    let mut rng = Rng::new(spec.seed);
    let start = ymd_secs(2024, 1, 1, 0).unwrap_or(0);
    // 1.6 orders per customer on average: arrivals per day from the target size.
    let orders = (spec.bytes / spec.layout.bytes_per_order()).max(1);
    let per_day = orders as f64 / 1.6 / DAYS as f64;
    w.header(spec.layout)?;
    // (next order time, customer, order number): every active customer's next order.
    let mut queue: BinaryHeap<Reverse<(i64, u32, u32)>> = BinaryHeap::new();
    let mut rhythm: Vec<f32> = Vec::new();
    let mut order_no = 0u64;
    let mut day = 0i64;
    while w.written < spec.bytes {
        // Arrivals of the day (a growing shop: twice as many at the end as at the start).
        let growth = 0.67 + 0.67 * (day.min(DAYS) as f64 / DAYS as f64);
        let arrivals = (per_day * growth + rng.unit()).floor() as u32;
        for _ in 0..arrivals {
            let c = rhythm.len() as u32;
            let loyal = rng.unit() < 0.34;
            rhythm.push(if loyal { 14.0 + rng.unit() as f32 * 110.0 } else { 0.0 });
            queue.push(Reverse((start + day * SECS_PER_DAY + hour_of_day(&mut rng), c, 0)));
        }
        let day_end = start + (day + 1) * SECS_PER_DAY;
        while let Some(&Reverse((t, c, n))) = queue.peek() {
            if t >= day_end || w.written >= spec.bytes {
                break;
            }
            queue.pop();
            order_no += 1;
            w.order(spec.layout, &mut rng, order_no, t, c)?;
            let cycle = rhythm[c as usize] as f64;
            let again = if n == 0 { cycle > 0.0 } else { rng.unit() < 0.78 };
            if again && n < 60 {
                let gap = (cycle * (0.6 + rng.unit() * 0.8) * SECS_PER_DAY as f64) as i64;
                let next = t + gap;
                queue.push(Reverse((next - next.rem_euclid(SECS_PER_DAY) + hour_of_day(&mut rng), c, n + 1)));
            }
        }
        day += 1;
    }
    w.out.flush()?;
    Ok(w.written)
}

struct Writer<'a> {
    out: &'a mut dyn Write,
    gbk: bool,
    written: u64,
    line: String,
}

impl Writer<'_> {
    fn emit(&mut self) -> io::Result<()> {
        if self.gbk {
            let (bytes, _, _) = encoding_rs::GBK.encode(&self.line);
            self.out.write_all(&bytes)?;
            self.written += bytes.len() as u64;
        } else {
            self.out.write_all(self.line.as_bytes())?;
            self.written += self.line.len() as u64;
        }
        self.line.clear();
        Ok(())
    }

    fn header(&mut self, layout: Layout) -> io::Result<()> {
        self.line.push_str(match layout {
            Layout::Taobao => "订单编号,买家会员名,买家应付货款,买家应付邮费,总金额,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝总数量,退款金额\r\n",
            Layout::Shopify => "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Shipping Province Name,Cancelled at,Refunded Amount\n",
            Layout::Minimal => "customer,date,amount\n",
        });
        self.emit()
    }

    fn order(&mut self, layout: Layout, rng: &mut Rng, no: u64, t: i64, c: u32) -> io::Result<()> {
        let roll = rng.unit();
        let l = &mut self.line;
        match layout {
            Layout::Taobao => {
                let (title, _, price) = PRODUCTS[pick_product(rng, c)];
                let qty = 1 + (rng.unit() < 0.25) as i64 + (rng.unit() < 0.08) as i64;
                let goods = price * qty;
                let postage = if goods >= 99 { 0 } else { 8 };
                let total = goods + postage;
                let (status, paid_after, refund) = match roll {
                    r if r < 0.05 => ("交易关闭", None, 0),
                    r if r < 0.08 => ("交易关闭", Some(40), total),
                    r if r < 0.11 => ("交易成功", Some(25), total / 4),
                    _ => ("交易成功", Some(12), 0),
                };
                let paid = if paid_after.is_some() { total - refund } else { 0 };
                let id = 3_100_000_000_000_000_000u64 + no;
                let _ = write!(l, "{id},buyer_{c:07},{goods}.00,{postage}.00,{total}.00,{paid}.00,{status},");
                let _ = write!(
                    l,
                    "{}*,{} ***,138****{:04},",
                    surname(c),
                    PROVINCES[c as usize % PROVINCES.len()],
                    c % 10_000
                );
                date_time(l, t);
                l.push(',');
                if let Some(s) = paid_after {
                    date_time(l, t + s);
                }
                let _ = write!(l, ",{title},{qty},{refund}.00\r\n");
            }
            Layout::Shopify => {
                let lines = 1 + (rng.unit() < 0.3) as usize + (rng.unit() < 0.1) as usize;
                let items: Vec<(usize, i64)> =
                    (0..lines).map(|_| (pick_product(rng, c), 1 + (rng.unit() < 0.2) as i64)).collect();
                let subtotal: i64 = items.iter().map(|&(p, q)| PRODUCTS[p].2 * q).sum();
                let shipping = if subtotal >= 100 { 0 } else { 6 };
                let total = subtotal + shipping;
                let (status, cancelled, refunded) = match roll {
                    r if r < 0.03 => ("voided", true, 0),
                    r if r < 0.06 => ("refunded", false, total),
                    r if r < 0.09 => ("partially_refunded", false, total / 4),
                    _ => ("paid", false, 0),
                };
                for (i, &(p, q)) in items.iter().enumerate() {
                    let _ = write!(l, "#{},", 1000 + no);
                    if i == 0 {
                        let _ = write!(l, "customer{c:07}@example.com,{status},");
                        if !cancelled {
                            date_time(l, t + 60);
                            l.push_str(" -0500");
                        }
                        let _ = write!(l, ",fulfilled,USD,{subtotal}.00,{shipping}.00,0.00,{total}.00,,");
                        date_time(l, t);
                        l.push_str(" -0500");
                    } else {
                        l.push_str(",,,,,,,,,,");
                    }
                    let (_, name, price) = PRODUCTS[p];
                    let _ = write!(l, ",{q},{name},{price}.00,");
                    if i == 0 {
                        let _ = write!(l, "Person{c},{},", STATES[c as usize % STATES.len()]);
                        if cancelled {
                            date_time(l, t + 3600);
                            l.push_str(" -0500");
                        }
                        let _ = writeln!(l, ",{refunded}.00");
                    } else {
                        l.push_str(",,,\n");
                    }
                }
            }
            Layout::Minimal => {
                let amount = PRODUCTS[pick_product(rng, c)].2 * (1 + (roll < 0.2) as i64);
                let _ = writeln!(l, "c{c},{},{amount}.{:02}", format_date(t), rng.below(100));
            }
        }
        self.emit()
    }
}

/// Customers mostly buy their favourite product.
fn pick_product(rng: &mut Rng, c: u32) -> usize {
    if rng.unit() < 0.6 {
        (c as usize * 7 + 3) % PRODUCTS.len()
    } else {
        rng.below(PRODUCTS.len() as u64) as usize
    }
}

fn date_time(out: &mut String, ts: i64) {
    let secs = ts.rem_euclid(SECS_PER_DAY);
    let _ = write!(out, "{} {:02}:{:02}:{:02}", format_date(ts), secs / 3600, secs / 60 % 60, secs % 60);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{import_files, ImportOptions};

    fn generate(layout: Layout, gbk: bool, bytes: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let n = write(Spec { layout, gbk, bytes, seed: 7 }, &mut out).unwrap();
        assert_eq!(n, out.len() as u64);
        out
    }

    #[test]
    fn each_layout_is_deterministic_near_its_size_and_imports_cleanly() {
        for (layout, gbk, format) in [
            (Layout::Taobao, false, "taobao_orders"),
            (Layout::Taobao, true, "taobao_orders"),
            (Layout::Shopify, false, "shopify"),
            (Layout::Minimal, false, "generic"),
        ] {
            let a = generate(layout, gbk, 400_000);
            assert_eq!(a, generate(layout, gbk, 400_000), "{layout:?}");
            assert!(a.len() >= 400_000 && a.len() < 401_000, "{layout:?}: {} bytes", a.len());
            let (data, report) = import_files(&[("gen.csv", &a)], ImportOptions::default()).unwrap();
            assert_eq!(report.format, format, "{layout:?}");
            assert_eq!(report.encoding, if gbk { "gb18030" } else { "utf-8" }, "{layout:?}");
            assert!(report.skipped.is_empty(), "{layout:?}: {:?}", report.skipped_examples);
            // Returning customers and, where the layout has statuses, invalid orders.
            let mut per = vec![0u32; data.customers.len()];
            for i in 0..data.orders.len() {
                if data.orders.valid[i] {
                    per[data.orders.customer[i] as usize] += 1;
                }
            }
            let repeat = per.iter().filter(|&&n| n >= 2).count() as f64 / per.len() as f64;
            assert!((0.15..0.5).contains(&repeat), "{layout:?}: repeat rate {repeat}");
            if layout != Layout::Minimal {
                assert!(report.valid_orders < report.orders, "{layout:?}");
            }
        }
    }
}
