//! The rules: who is in each campaign, when to contact them, and what it is worth.
//!
//! Value at stake is always "audience × a response rate this shop has shown × an order value",
//! or money the audience already spends; each campaign's `value_method` says which.

use super::templates;
use super::{Campaign, Inputs, Text};
use crate::analysis::lifecycle::STAGES;
use crate::analysis::rfm::SEGMENTS;
use crate::calendar::{Day, SECS_PER_DAY};
use crate::model::NONE;
use crate::money::Money;

const WEEKDAYS_ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
const WEEKDAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// What all rules share: the shop's response rates and order value.
struct Basis {
    aov: Money,
    /// Share of new customers with a second order within 90 days (or the repeat rate).
    second_rate: f64,
    /// Of all returns, the share that came after more than `silent_after` quiet days.
    late_return_rate: f64,
    /// Of all returns, the share that came after more than a year.
    lost_return_rate: f64,
    median_to_second: Option<f64>,
    when: Text,
}

fn basis(i: &Inputs) -> Basis {
    let rep = i.repeat;
    let second_rate = rep.windows.iter().find(|w| w.days == 90).and_then(|w| w.rate).or(rep.repeat_rate).unwrap_or(0.0);
    let (mut gaps, mut late, mut lost) = (0u64, 0u64, 0u64);
    let quiet = i.settings.lifecycle_days[0] as i64;
    let gone = i.settings.lifecycle_days[3] as i64;
    for c in 0..i.facts.len() {
        for gap in i.facts.gaps_of(c) {
            gaps += 1;
            late += (gap > quiet) as u64;
            lost += (gap > gone) as u64;
        }
    }
    let share = |a: u64| if gaps == 0 { 0.0 } else { a as f64 / gaps as f64 };
    let when = match (i.timing.best_weekday, i.timing.best_hour) {
        (Some(w), Some(h)) => Text::new(
            format!("本店顾客最常在{}、{}点左右下单。", WEEKDAYS_ZH[w as usize], h),
            format!("Your customers order most on {} around {}:00.", WEEKDAYS_EN[w as usize], h),
        ),
        (Some(w), None) => Text::new(
            format!("本店顾客最常在{}下单。", WEEKDAYS_ZH[w as usize]),
            format!("Your customers order most on {}.", WEEKDAYS_EN[w as usize]),
        ),
        _ => Text::new("", ""),
    };
    Basis {
        aov: i.summary.average_order_value.unwrap_or(Money::ZERO),
        second_rate,
        late_return_rate: share(late),
        lost_return_rate: share(lost),
        median_to_second: rep.days_to_second.median,
        when,
    }
}

/// The method of estimates based on the shop's 90-day repeat rate, with an optional remark.
fn second_rate_method(remark: Option<(&str, &str)>) -> Text {
    let (zh, en) =
        ("人数 × 本店 90 天复购率 × 客单价", "audience × the shop's 90-day repeat rate × average order value");
    match remark {
        None => Text::new(zh, en),
        Some((rz, re)) => Text::new(format!("{zh}（{rz}）"), format!("{en} ({re})")),
    }
}

/// `audience × rate × order value`, rounded to the cent (it is an estimate).
fn expected(n: usize, rate: f64, aov: Money) -> Money {
    cents(n as f64 * rate * aov.0 as f64)
}

fn cents(units: f64) -> Money {
    Money((units / 100.0).round() as i64 * 100)
}

struct Draft<'a> {
    id: &'static str,
    audience: Vec<u32>,
    schedule: Vec<Day>,
    why: Text,
    rule: Text,
    value: Money,
    method: Text,
    timing: Text,
    channels: Vec<&'static str>,
    offer: &'static str,
    missing: Option<Text>,
    inputs: &'a Inputs<'a>,
}

impl Draft<'_> {
    fn build(mut self) -> Campaign {
        let (name, goal, template) = templates::texts(self.id);
        // Kept with the report: without the room pushing left (up to half of each list).
        self.audience.shrink_to_fit();
        self.schedule.shrink_to_fit();
        let revenue = self.audience.iter().map(|&r| self.inputs.facts.spend.net(r as usize)).sum();
        Campaign {
            id: self.id,
            name,
            goal,
            why: self.why,
            rule: self.rule,
            customers: self.audience.len() as u64,
            schedule: self.schedule,
            audience: self.audience,
            audience_revenue: revenue,
            value_at_stake: self.value,
            value_method: self.method,
            timing: self.timing,
            channels: self.channels,
            offer: self.offer,
            template,
            missing: self.missing,
            exclusive_customers: 0,
        }
    }
}

pub fn all(i: &Inputs) -> Vec<Campaign> {
    let b = basis(i);
    vec![
        second_purchase(i, &b),
        wake_up(i, &b),
        vip_care(i, &b),
        cant_lose(i, &b),
        replenishment(i, &b),
        deal_seekers(i, &b),
        new_arrivals(i, &b),
        upgrade(i, &b),
        post_order_care(i, &b),
        lost_last_try(i, &b),
    ]
}

fn draft<'a>(i: &'a Inputs<'a>, b: &Basis, id: &'static str) -> Draft<'a> {
    Draft {
        id,
        audience: Vec::new(),
        schedule: Vec::new(),
        why: Text::new("", ""),
        rule: Text::new("", ""),
        value: Money::ZERO,
        method: Text::new("", ""),
        timing: b.when.clone(),
        channels: Vec::new(),
        offer: "",
        missing: None,
        inputs: i,
    }
}

fn second_purchase(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let max = i.settings.campaigns.second_purchase_max_days as i64;
    let median = b.median_to_second.unwrap_or(30.0).round() as i64;
    let mut d = draft(i, b, "second_purchase");
    for c in 0..f.len() {
        if f.orders(c) == 1 && i.as_of - f.last_day(c) <= max {
            d.audience.push(c as u32);
            d.schedule.push(Day::of((f.first_day(c) + median).max(i.as_of + 1)));
        }
    }
    let n = d.audience.len();
    d.why = Text::new(
        format!("{n} 位顾客在最近 {max} 天里只买过一次；本店新客 90 天内再次购买的比例是 {}，通常在首单后 {median} 天。", pct(b.second_rate)),
        format!("{n} customers bought once in the last {max} days; {} of this shop's new customers order again within 90 days, typically {median} days after the first.", pct(b.second_rate)),
    );
    d.rule = Text::new(
        format!("只下过一单，且首单在 {max} 天内"),
        format!("exactly one order, placed within the last {max} days"),
    );
    d.value = expected(n, b.second_rate, b.aov);
    d.method = second_rate_method(None);
    d.timing = Text::new(
        format!("每位顾客在首单后第 {median} 天（本店第二单的中位天数）联系。{}", b.when.zh),
        format!(
            "Each customer on day {median} after their first order (the shop's median days to a second order). {}",
            b.when.en
        ),
    );
    d.channels = vec!["sms", "wangwang", "wechat", "email"];
    d.offer = "coupon";
    d.build()
}

fn wake_up(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let [active, _, sleeping, _] = i.settings.lifecycle_days;
    let mut d = draft(i, b, "wake_up");
    let mut aov_sum = Money::ZERO;
    for c in 0..f.len() {
        let r = i.as_of - f.last_day(c);
        if f.orders(c) >= 2 && r > active as i64 && r <= sleeping as i64 {
            d.audience.push(c as u32);
            d.schedule.push(Day::of(i.as_of + 1));
            aov_sum += Money(f.spend.gross(c).0 / f.orders(c) as i64);
        }
    }
    let n = d.audience.len();
    let their_aov = if n > 0 { Money(aov_sum.0 / n as i64) } else { b.aov };
    d.why = Text::new(
        format!("{n} 位顾客买过两次或以上，但已经 {}–{sleeping} 天没有下单。", active + 1),
        format!("{n} customers bought twice or more but have not ordered for {}–{sleeping} days.", active + 1),
    );
    d.rule = Text::new(
        format!("至少 2 单，最近一单在 {}–{sleeping} 天前（沉默期和睡眠期）", active + 1),
        format!("2+ orders, last one {}–{sleeping} days ago (silent and sleeping stages)", active + 1),
    );
    d.value = expected(n, b.late_return_rate, their_aov);
    d.method = Text::new(
        format!("人数 × 本店回头客在沉默 {active} 天以上后又回来的比例（{}）× 他们的平均客单价", pct(b.late_return_rate)),
        format!("audience × how often this shop's returning customers came back after more than {active} quiet days ({}) × their average order value", pct(b.late_return_rate)),
    );
    d.timing = Text::new(format!("本周。{}", b.when.zh), format!("This week. {}", b.when.en));
    d.channels = vec!["sms", "wangwang", "wechat"];
    d.offer = "coupon";
    d.build()
}

fn vip_care(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let silent = i.settings.lifecycle_days[1] as i64;
    let mut d = draft(i, b, "vip_care");
    let mut last_year = Money::ZERO;
    for c in 0..f.len() {
        if i.assigned.tier[c] == 0 && i.as_of - f.last_day(c) <= silent {
            d.audience.push(c as u32);
            d.schedule.push(Day::of(i.as_of + 1));
            let range = f.range(c);
            for (&t, g) in f.order_time[range.clone()].iter().zip(f.order_gross.slice(range).iter()) {
                if i64::from(t).div_euclid(SECS_PER_DAY) > i.as_of - 365 {
                    last_year += g;
                }
            }
        }
    }
    let n = d.audience.len();
    let key = i.value.tier_thresholds.key_spend;
    d.why = Text::new(
        format!("{n} 位大客户（累计消费 ≥ {key}）最近 {silent} 天内仍在购买：他们最值得一对一维护。"),
        format!(
            "{n} key accounts (net spend ≥ {key}) bought within the last {silent} days: they deserve personal care."
        ),
    );
    d.rule = Text::new(
        format!("大客户，最近一单在 {silent} 天内"),
        format!("key account tier, last order within {silent} days"),
    );
    d.value = last_year;
    d.method = Text::new(
        "他们最近 365 天的消费额：失去他们就失去这些",
        "their spend in the last 365 days: what losing them would cost",
    );
    d.channels = vec!["phone", "wechat", "private_link"];
    d.offer = "personal_contact";
    d.build()
}

/// The number customers carry for `name` in `names` ([`SEGMENTS`], [`STAGES`]): compared per
/// customer instead of the name, which wasm compares byte by byte when the lengths agree.
fn number_of(names: &[&str], name: &str) -> u8 {
    names.iter().position(|&s| s == name).map_or(u8::MAX, |k| k as u8)
}

fn cant_lose(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let mut d = draft(i, b, "cant_lose");
    let mut yearly = 0.0;
    let (cant_lose, at_risk) = (number_of(&SEGMENTS, "cant_lose_them"), number_of(&SEGMENTS, "at_risk"));
    for c in 0..f.len() {
        let seg = i.scores.segment[c];
        if (seg == cant_lose || seg == at_risk) && i.scores.m[c] >= 4 {
            d.audience.push(c as u32);
            d.schedule.push(Day::of(i.as_of + 1));
            let years = ((f.last_day(c) - f.first_day(c)) as f64 / 365.0).max(1.0);
            yearly += f.spend.net(c).0 as f64 / years;
        }
    }
    let n = d.audience.len();
    d.why = Text::new(
        format!("{n} 位高消费顾客（M ≥ 4）正在流失（RFM：不能失去 / 有流失风险）。"),
        format!("{n} high spenders (M ≥ 4) are slipping away (RFM: can't lose them / at risk)."),
    );
    d.rule = Text::new(
        "RFM 分群为“不能失去”或“有流失风险”，且 M 分 ≥ 4",
        "RFM segment can't lose them or at risk, with M score ≥ 4",
    );
    d.value = cents(yearly);
    d.method = Text::new("他们过去每年的平均消费额", "what they used to spend per year");
    d.timing =
        Text::new(format!("尽快，本周内。{}", b.when.zh), format!("As soon as possible, this week. {}", b.when.en));
    d.channels = vec!["phone", "sms", "wangwang", "wechat"];
    d.offer = "personal_contact";
    d.build()
}

fn replenishment(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let s = &i.settings.campaigns;
    let mut d = draft(i, b, "replenishment");
    let mut value = Money::ZERO;
    for c in 0..f.len() {
        if f.orders(c) < 3 {
            continue;
        }
        let gaps = || f.gaps_of(c).map(|g| g as f64);
        let n = f64::from(f.orders(c) - 1);
        let mean = gaps().sum::<f64>() / n;
        if mean < 1.0 {
            continue;
        }
        let sd = (gaps().map(|g| (g - mean).powi(2)).sum::<f64>() / n).sqrt();
        let interval = f.median_interval(c).map_or(mean, f64::from);
        let due = f.last_day(c) + interval.round() as i64;
        let window = s.replenish_window_days as i64;
        if sd / mean <= s.replenish_max_variation
            && due >= i.as_of - interval.round() as i64 / 2
            && due <= i.as_of + window
        {
            d.audience.push(c as u32);
            d.schedule.push(Day::of((due - 3).max(i.as_of + 1)));
            value += Money(f.spend.gross(c).0 / f.orders(c) as i64);
        }
    }
    let n = d.audience.len();
    d.why = Text::new(
        format!("{n} 位顾客有规律地回购（至少 3 单，间隔稳定），下一次补货在 {} 天内到期或刚过期。", s.replenish_window_days),
        format!("{n} customers re-order at a steady rhythm (3+ orders, regular gaps) and are due within {} days or just overdue.", s.replenish_window_days),
    );
    d.rule = Text::new(
        format!(
            "至少 3 单，间隔的变异系数 ≤ {}，按自己的间隔将在 {} 天内到期",
            s.replenish_max_variation, s.replenish_window_days
        ),
        format!(
            "3+ orders, gap variation (sd ÷ mean) ≤ {}, next order due within {} days by their own interval",
            s.replenish_max_variation, s.replenish_window_days
        ),
    );
    d.value = cents(value.0 as f64);
    d.method = Text::new("每人按时补货一次的客单价之和", "one on-time re-order each, at their own average order value");
    d.timing =
        Text::new("每位顾客在其预计补货日前 3 天提醒。", "Each customer 3 days before their own next order is due.");
    d.channels = vec!["sms", "wangwang", "wechat"];
    d.offer = "reminder";
    d.build()
}

fn deal_seekers(i: &Inputs, b: &Basis) -> Campaign {
    let mut d = draft(i, b, "deal_seekers");
    d.missing = Some(Text::new(
        "导出文件里没有优惠、优惠券或活动来源列，无法找出促销型顾客。导出时带上优惠/优惠券列即可启用。",
        "The export has no discount, coupon or promotion-source column, so deal seekers cannot be found. Export with the discount/coupon columns to enable this campaign.",
    ));
    d.rule = Text::new(
        "订单使用过优惠券、满减或来自聚划算/淘抢购等活动",
        "orders that used coupons, full-reduction offers or came through deal channels",
    );
    d.method = Text::new("—", "—");
    d.channels = vec!["sms", "wangwang", "wechat"];
    d.offer = "member_day";
    d.build()
}

fn new_arrivals(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let mut d = draft(i, b, "new_arrivals");
    d.channels = vec!["wangwang", "wechat", "email"];
    d.offer = "new_arrivals";
    if i.data.lines.is_empty() {
        d.missing = Some(Text::new(
            "导出文件里没有商品列，无法按购买偏好推荐新品。",
            "The export has no product column, so new arrivals cannot be matched to what customers buy.",
        ));
        d.method = Text::new("—", "—");
        return d.build();
    }
    // Customers whose favourite product is one of the shop's three most-bought products.
    let mut buyers = vec![0u64; i.data.products.len()];
    for p in f.top_product.iter() {
        if p != NONE {
            buyers[p as usize] += 1;
        }
    }
    let mut top: Vec<u32> = (0..buyers.len() as u32).filter(|&p| buyers[p as usize] > 0).collect();
    top.sort_by(|&a, &b| buyers[b as usize].cmp(&buyers[a as usize]).then(a.cmp(&b)));
    top.truncate(3);
    let silent = i.settings.lifecycle_days[1] as i64;
    for c in 0..f.len() {
        if top.contains(&f.top_product.get(c)) && i.as_of - f.last_day(c) <= silent {
            d.audience.push(c as u32);
            d.schedule.push(Day::of(i.as_of + 1));
        }
    }
    let n = d.audience.len();
    let names: Vec<&str> = top.iter().filter_map(|&p| i.data.products.get(p)).collect();
    d.why = Text::new(
        format!("{n} 位最近 {silent} 天内购买过的顾客最常买：{}。同类新品上架时先告诉他们。", names.join("、")),
        format!("{n} customers who bought within {silent} days mostly buy: {}. Tell them first when similar products arrive.", names.join(", ")),
    );
    d.rule = Text::new(
        format!("最常买的商品属于本店购买人数前三，且最近一单在 {silent} 天内"),
        format!("their most-bought product is one of the shop's three most-bought, last order within {silent} days"),
    );
    d.value = expected(n, b.second_rate, b.aov);
    d.method = second_rate_method(None);
    d.build()
}

fn upgrade(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let share = i.settings.campaigns.upgrade_gap_share;
    let t = i.value.level_thresholds;
    let mut d = draft(i, b, "upgrade");
    for c in 0..f.len() {
        let level = i.assigned.level[c] as usize;
        if level < 3 {
            let gap = t[level] - f.spend.net(c).to_f64();
            if gap > 0.0 && gap <= share * t[level] {
                d.audience.push(c as u32);
                d.schedule.push(Day::of(i.as_of + 1));
            }
        }
    }
    let n = d.audience.len();
    d.why = Text::new(
        format!("{n} 位顾客离下一个会员等级只差不到 {:.0}% 的消费。", share * 100.0),
        format!("{n} customers are less than {:.0}% of spend away from the next membership level.", share * 100.0),
    );
    d.rule = Text::new(
        format!("距下一等级的差额 ≤ 该等级门槛的 {:.0}%（门槛 {:?}）", share * 100.0, t),
        format!("missing spend ≤ {:.0}% of the next level's threshold (thresholds {:?})", share * 100.0, t),
    );
    d.value = expected(n, b.second_rate, b.aov);
    d.method = second_rate_method(None);
    d.channels = vec!["sms", "wangwang", "wechat", "email"];
    d.offer = "member_upgrade";
    d.build()
}

/// Steps of the post-order care timeline: days after the order and what to say.
pub const CARE_STEPS: [(i64, &str); 4] =
    [(1, "shipped"), (3, "arrived_in_city"), (5, "delivered"), (15, "ten_days_after")];

fn post_order_care(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let days = i.settings.campaigns.care_days as i64;
    let mut d = draft(i, b, "post_order_care");
    for c in 0..f.len() {
        let age = i.as_of - f.last_day(c);
        if age <= days {
            // The next care step still ahead of today.
            let next = CARE_STEPS.iter().map(|&(k, _)| f.last_day(c) + k).find(|&day| day > i.as_of);
            if let Some(day) = next {
                d.audience.push(c as u32);
                d.schedule.push(Day::of(day));
            }
        }
    }
    let n = d.audience.len();
    d.why = Text::new(
        format!("{n} 位顾客在最近 {days} 天内下过单：发货、到达、签收和收货 10 天后各关怀一次，只关怀、不推销。"),
        format!("{n} customers ordered in the last {days} days: care on shipping, arrival, delivery and 10 days after — care only, no promotion."),
    );
    d.rule = Text::new(format!("最近一单在 {days} 天内"), format!("last order within {days} days"));
    d.value = expected(n, b.second_rate, b.aov);
    d.method = second_rate_method(Some(("关怀是第二单的第一步", "care is the first step to a second order")));
    d.timing = Text::new(
        "下单后第 1、3、5、15 天；名单中是每人的下一个关怀日。",
        "Days 1, 3, 5 and 15 after the order; the list gives each customer's next step.",
    );
    d.channels = vec!["sms", "wangwang", "parcel_card"];
    d.offer = "care_only";
    d.build()
}

fn lost_last_try(i: &Inputs, b: &Basis) -> Campaign {
    let f = i.facts;
    let gone = i.settings.lifecycle_days[3] as i64;
    let mut d = draft(i, b, "lost_last_try");
    let lost = number_of(&STAGES, "lost");
    for c in 0..f.len() {
        if i.stage[c] == lost {
            d.audience.push(c as u32);
            d.schedule.push(Day::of(i.as_of + 1));
        }
    }
    let n = d.audience.len();
    let expected_back = n as f64 * b.lost_return_rate;
    let advice = if expected_back < 1.0 {
        (
            "按本店以往，几乎没有人会回来：可以不发，省下短信费。",
            "By this shop's history almost nobody comes back: consider leaving them out to save sending costs.",
        )
    } else {
        ("只做一次低成本尝试。", "Make one low-cost try only.")
    };
    d.why = Text::new(
        format!("{n} 位顾客超过 {gone} 天没有下单；本店回头客中间隔一年以上才回来的占 {}。{}", pct(b.lost_return_rate), advice.0),
        format!("{n} customers have not ordered for over {gone} days; {} of this shop's returns came after more than a year. {}", pct(b.lost_return_rate), advice.1),
    );
    d.rule = Text::new(
        format!("最近一单在 {gone} 天以前（流失期）"),
        format!("last order more than {gone} days ago (lost stage)"),
    );
    d.value = expected(n, b.lost_return_rate, b.aov);
    d.method = Text::new(
        "人数 × 本店间隔一年以上才回来的比例 × 客单价",
        "audience × the share of this shop's returns that came after more than a year × average order value",
    );
    d.channels = vec!["sms", "email"];
    d.offer = "coupon";
    d.build()
}
