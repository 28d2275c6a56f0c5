//! The headline figures (DESIGN.md "Definitions").

use super::customers::Facts;
use crate::calendar::{self, SECS_PER_DAY};
use crate::ingest::columns::Role;
use crate::model::{Dataset, NO_CUSTOMER};
use crate::money::Money;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Distinct customers among valid orders.
    pub customers: u64,
    /// Valid orders.
    pub orders: u64,
    /// Customers with two or more valid orders (回头客).
    pub repeat_customers: u64,
    /// Repeat customers ÷ customers; `null` without customers.
    pub repeat_rate: Option<f64>,
    pub gross_revenue: Money,
    /// Refunds on valid orders plus credit notes.
    pub refunds: Money,
    pub net_revenue: Money,
    /// Gross revenue ÷ valid orders (客单价).
    pub average_order_value: Option<Money>,
    pub orders_per_customer: Option<f64>,
    /// Share of customers with exactly one valid order.
    pub one_time_share: Option<f64>,
    /// Share of valid orders, and of gross revenue, that are not a customer's first order
    /// (老客户成交占比).
    pub returning_order_share: Option<f64>,
    pub returning_revenue_share: Option<f64>,
    pub first_order: Option<String>,
    pub last_order: Option<String>,
    pub as_of: Option<String>,
    /// Which column identifies customers (`null`: none, customer figures are not available).
    pub customer_key: Option<Role>,
    pub currency: Option<String>,
}

/// The day of the last valid order.
pub fn last_valid_day(data: &Dataset) -> Option<i64> {
    let o = &data.orders;
    // The latest time, then its day: one division, not one an order.
    let last = o.time.iter().zip(&o.valid).filter(|(_, &valid)| valid).map(|(&t, _)| t).max()?;
    Some(calendar::day_number(last.into()))
}

/// The headline figures; `facts` (when customers exist) adds the returning-customer shares.
pub fn summarize(data: &Dataset, as_of: Option<i64>, facts: Option<&Facts>) -> Summary {
    let o = &data.orders;
    // Valid orders per customer: the facts hold them as each customer's run of orders; without
    // facts they are counted here, at a random place per order (with millions of customers, a
    // cache miss each, which the facts' runs spare).
    let mut per_customer = if facts.is_none() { vec![0u32; data.customers.len()] } else { Vec::new() };
    let mut orders = 0u64;
    let mut gross = Money::ZERO;
    let mut refunds = Money::ZERO;
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    // Zipped columns, not indexed ones: no bounds check per order and column.
    let columns = o.valid.iter().zip(o.gross.values().iter()).zip(&o.time).zip(&o.customer);
    for (((_, g), &t), &c) in columns.filter(|(((&valid, _), _), _)| valid) {
        orders += 1;
        gross += g;
        first = first.min(i64::from(t));
        last = last.max(i64::from(t));
        if let Some(n) = per_customer.get_mut(c as usize) {
            *n += 1;
        }
    }
    refunds += o.refund.entries().filter(|&(i, _)| o.valid[i]).map(|(_, r)| r).sum::<Money>();
    for c in &data.credits {
        if c.customer != NO_CUSTOMER || data.customer_key.is_none() {
            refunds += c.amount;
        }
    }
    let (mut customers, mut repeat, mut one_time, mut customer_orders) = (0u64, 0u64, 0u64, 0u64);
    let mut tally = |n: u32| {
        customers += (n > 0) as u64;
        repeat += (n >= 2) as u64;
        one_time += (n == 1) as u64;
        customer_orders += u64::from(n);
    };
    match facts {
        Some(f) => f.order_counts().for_each(&mut tally),
        None => per_customer.iter().for_each(|&n| tally(n)),
    }
    let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
    // Returning business: everything but each customer's first valid order.
    let (mut keyed_orders, mut keyed_gross, mut first_gross) = (0u64, Money::ZERO, Money::ZERO);
    if let Some(f) = facts {
        for c in 0..f.len() {
            let range = f.range(c);
            keyed_orders += range.len() as u64;
            keyed_gross += f.spend.gross(c);
            first_gross += f.order_gross.get(range.start);
        }
    }
    let returning_gross = keyed_gross - first_gross;
    Summary {
        customers,
        orders,
        repeat_customers: repeat,
        repeat_rate: ratio(repeat, customers),
        gross_revenue: gross,
        refunds,
        net_revenue: gross - refunds,
        average_order_value: (orders > 0).then(|| Money(gross.0 / orders as i64)),
        orders_per_customer: if customers > 0 { ratio(customer_orders, customers) } else { None },
        one_time_share: ratio(one_time, customers),
        returning_order_share: ratio(keyed_orders - customers.min(keyed_orders), keyed_orders),
        returning_revenue_share: (keyed_gross.0 > 0).then(|| returning_gross.0 as f64 / keyed_gross.0 as f64),
        first_order: (orders > 0).then(|| calendar::format_date(first)),
        last_order: (orders > 0).then(|| calendar::format_date(last)),
        as_of: as_of.map(|d| calendar::format_date(d * SECS_PER_DAY)),
        customer_key: data.customer_key,
        currency: data.currency.clone(),
    }
}
