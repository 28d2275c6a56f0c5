//! A demo shop, generated deterministically: the page's "try with sample data" and a source of
//! realistic test and benchmark files. The same seed always gives the same bytes.
//!
//! It writes a Taobao-style order report (one row per order) of a snack and tea shop: customers
//! arrive over the period, a share of them come back at their own rhythm, some orders are closed
//! unpaid, some refunded in part or in full, and every order has a product and a province.

use crate::calendar::{format_date, ymd_secs, SECS_PER_DAY};
use crate::money::Money;
use std::fmt::Write;

/// Small, fast, deterministic PRNG (xorshift64*); not for anything secret.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const PRODUCTS: [(&str, i64); 12] = [
    ("原味坚果礼盒 500g", 8900),
    ("每日坚果 30袋装", 12900),
    ("手工牛肉干 250g", 6800),
    ("西湖龙井 明前 100g", 25800),
    ("云南普洱 熟茶饼 357g", 16800),
    ("桂花乌龙 袋泡茶 20包", 3990),
    ("芒果干 200g", 2590),
    ("黑糖话梅 150g", 1990),
    ("海苔脆片 12包", 3290),
    ("冻干草莓 100g", 4590),
    ("茶具套装 旅行款", 19900),
    ("猫粮 鸡肉味 2kg", 9900),
];

const PROVINCES: [&str; 14] = [
    "广东省",
    "浙江省",
    "江苏省",
    "上海",
    "北京",
    "山东省",
    "四川省",
    "湖北省",
    "福建省",
    "河南省",
    "湖南省",
    "安徽省",
    "陕西省",
    "辽宁省",
];

/// Options of the generated shop.
#[derive(Debug, Clone, Copy)]
pub struct SampleShop {
    pub seed: u64,
    pub customers: u32,
    /// First day of trading (`YYYY, M, D`) and length in days.
    pub start: (i32, u32, u32),
    pub days: u32,
}

impl Default for SampleShop {
    fn default() -> Self {
        SampleShop { seed: 20_240_601, customers: 4_000, start: (2024, 6, 1), days: 540 }
    }
}

struct Order {
    time: i64,
    customer: u32,
    product: usize,
    qty: u32,
    province: usize,
}

impl SampleShop {
    /// The shop's orders as a UTF-8 Taobao-style order report (`订单编号,买家会员名,…`).
    pub fn taobao_csv(&self) -> String {
        let mut rng = Rng::new(self.seed);
        let start = ymd_secs(self.start.0, self.start.1, self.start.2, 0).unwrap_or(0);
        let end = start + self.days as i64 * SECS_PER_DAY;
        let mut orders = Vec::new();
        for c in 0..self.customers {
            // Arrivals spread over the period, more of them later (a growing shop).
            let arrive = start + ((rng.unit().sqrt()) * (self.days as f64 * 0.97) * SECS_PER_DAY as f64) as i64;
            let province = rng.below(PROVINCES.len() as u64) as usize;
            let favourite = rng.below(PRODUCTS.len() as u64) as usize;
            // About a third come back; their rhythm is 2 weeks to 4 months.
            let loyal = rng.unit() < 0.34;
            let cycle_days = 14.0 + rng.unit() * 110.0;
            let mut t = arrive + hour_of_day(&mut rng);
            let mut n = 0;
            while t < end && n < 40 {
                let product = if rng.unit() < 0.6 { favourite } else { rng.below(PRODUCTS.len() as u64) as usize };
                let qty = 1 + (rng.unit() < 0.25) as u32 + (rng.unit() < 0.08) as u32;
                orders.push(Order { time: t, customer: c, product, qty, province });
                n += 1;
                let keep_going = if n == 1 { loyal } else { rng.unit() < 0.78 };
                if !keep_going {
                    break;
                }
                let gap = cycle_days * (0.6 + rng.unit() * 0.8);
                t += (gap * SECS_PER_DAY as f64) as i64;
                t = t - t.rem_euclid(SECS_PER_DAY) + hour_of_day(&mut rng);
            }
        }
        orders.sort_by_key(|o| (o.time, o.customer));

        let mut out = String::with_capacity(orders.len() * 160);
        out.push_str("订单编号,买家会员名,买家应付货款,买家应付邮费,总金额,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝总数量,退款金额\r\n");
        for (i, o) in orders.iter().enumerate() {
            let (title, price) = PRODUCTS[o.product];
            let goods = Money(price * 100 * o.qty as i64);
            let postage = if goods.0 >= 990_000 { Money::ZERO } else { Money::units(8) };
            let total = goods + postage;
            let roll = rng.unit();
            let (status, paid_after, refund) = if roll < 0.05 {
                ("交易关闭", None, Money::ZERO) // closed unpaid
            } else if roll < 0.08 {
                ("交易关闭", Some(40), total) // full refund
            } else if roll < 0.11 {
                ("交易成功", Some(25), Money(total.0 / 4 / 100 * 100))
            } else if o.time > end - 6 * SECS_PER_DAY {
                ("卖家已发货，等待买家确认", Some(15), Money::ZERO)
            } else {
                ("交易成功", Some(12), Money::ZERO)
            };
            let paid = total - refund;
            let id = 3_000_000_000_000_000_000u64 + (o.time as u64 % 100_000_000) * 1000 + i as u64;
            let created = format_date_time(o.time);
            let paid_at = paid_after.map(|s| format_date_time(o.time + s)).unwrap_or_default();
            let paid = if paid_after.is_none() { Money::ZERO } else { paid };
            let _ = write!(
                out,
                "{id},buyer_{:05},{},{},{},{},{status},{}*,{} ***,138****{:04},{created},{paid_at},{title},{},{}\r\n",
                o.customer,
                goods,
                postage,
                total,
                paid,
                surname(o.customer),
                PROVINCES[o.province],
                o.customer % 10_000,
                o.qty,
                refund,
            );
        }
        out
    }
}

/// A time of day (seconds) shaped like a shop's orders.
pub(crate) fn hour_of_day(rng: &mut Rng) -> i64 {
    // Evenings are busiest, a lunch bump, quiet nights.
    let weights = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 9, 8, 6, 6, 6, 7, 8, 10, 13, 14, 11, 5];
    let total: u64 = weights.iter().sum();
    let mut r = rng.below(total);
    let mut hour = 0;
    for (h, w) in weights.iter().enumerate() {
        if r < *w {
            hour = h;
            break;
        }
        r -= w;
    }
    hour as i64 * 3600 + rng.below(3600) as i64
}

/// A masked buyer name's surname, the same for a customer every time.
pub(crate) fn surname(c: u32) -> &'static str {
    const NAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"];
    NAMES[(c as usize * 7) % NAMES.len()]
}

fn format_date_time(ts: i64) -> String {
    let secs = ts.rem_euclid(SECS_PER_DAY);
    format!("{} {:02}:{:02}:{:02}", format_date(ts), secs / 3600, secs / 60 % 60, secs % 60)
}

/// Imports a small made-up shop in small chunks, analyses it and lists a page of its customers,
/// only to run the code; returns what the import reported (`None` if it or the analysis failed).
/// With `gbk`, the shop's file is in GB18030, as Taobao's and Tmall's exports often are.
///
/// Browsers run wasm through a quick baseline compiler first and optimise a function only after it
/// has run for a while, and a call already running keeps the slow code: each analysis section is
/// called once per report, so on a seller's first file all of them ran unoptimised (in V8, a 10 MB
/// export's report took 190 ms cold and 37 ms after this). The page's worker runs it while the
/// seller is still choosing a file. The GB18030 rounds also make the decoder's tables, which the
/// browser build takes from the browser once (see `text_codec`).
pub fn rehearse(customers: u32, gbk: bool) -> Option<crate::ingest::report::ImportReport> {
    use crate::analysis::customer_query::{select, CustomerQuery};
    let csv = SampleShop { customers, ..SampleShop::default() }.taobao_csv();
    let bytes = if gbk { crate::text_codec::encode_gb18030(&csv) } else { csv.into_bytes() };
    let mut imp = crate::ingest::Importer::new(Default::default());
    imp.start_file("rehearsal.csv");
    imp.file_size(bytes.len() as u64);
    let pushed = bytes.chunks(16 << 10).try_for_each(|c| imp.push(c));
    let (data, import) = pushed.and_then(|_| imp.end_file()).and_then(|_| imp.finish()).ok()?;
    let settings = crate::settings::Settings { include_customers: false, ..Default::default() };
    let report = crate::analysis::analyze(&data, &import, &settings).ok()?;
    let order = select(&report.table, &data, &CustomerQuery::default());
    let shown: Vec<_> = order.iter().take(100).map(|&c| report.table.row(c as usize, &data)).collect();
    std::hint::black_box(shown);
    Some(import)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{import_files, ImportOptions};

    #[test]
    fn a_rehearsal_imports_and_analyses_its_shop() {
        let shop = SampleShop { customers: 200, ..SampleShop::default() };
        let (_, report) =
            import_files(&[("demo.csv", shop.taobao_csv().as_bytes())], ImportOptions::default()).unwrap();
        assert!(report.valid_orders > 200);
        let utf8 = rehearse(200, false).unwrap();
        assert_eq!((utf8.valid_orders, utf8.encoding.as_str()), (report.valid_orders, "utf-8"));
        // The same shop in GB18030, read as such, to the same orders.
        let gbk = rehearse(200, true).unwrap();
        assert_eq!((gbk.valid_orders, gbk.encoding.as_str()), (report.valid_orders, "gb18030"));
    }

    #[test]
    fn deterministic_and_importable() {
        let shop = SampleShop { customers: 300, ..SampleShop::default() };
        let a = shop.taobao_csv();
        assert_eq!(a, shop.taobao_csv());
        let (data, report) = import_files(&[("demo.csv", a.as_bytes())], ImportOptions::default()).unwrap();
        assert_eq!(report.format, "taobao_orders");
        assert!(report.skipped.is_empty(), "{:?}", report.skipped_examples);
        assert_eq!(report.rows_read, data.orders.len() as u64);
        // Every kind of order a seller meets is there.
        for status in ["completed", "shipped", "closed", "refunded", "partially_refunded"] {
            assert!(report.orders_by_status.contains_key(status), "{status}: {:?}", report.orders_by_status);
        }
        let repeaters = {
            let mut n = vec![0; data.customers.len()];
            for i in 0..data.orders.len() {
                if data.orders.valid[i] {
                    n[data.orders.customer[i] as usize] += 1;
                }
            }
            n.iter().filter(|&&k| k >= 2).count()
        };
        assert!(repeaters > 30, "{repeaters} repeat customers");
    }
}
