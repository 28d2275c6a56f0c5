//! When customers buy: weekday × hour for all orders and for returning customers' orders (orders
//! and revenue per month, new and returning, are in the cohorts section).

use super::customers::Facts;
use crate::calendar::SECS_PER_DAY;
use crate::model::Dataset;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// `[weekday][hour]` order counts, Monday = 0.
    pub weekday_hour: Vec<[u64; 24]>,
    /// The same for orders that are not a customer's first.
    pub returning_weekday_hour: Vec<[u64; 24]>,
    /// Busiest weekday (Monday = 0) and hour over all valid orders.
    pub best_weekday: Option<u8>,
    pub best_hour: Option<u8>,
    /// Whether the times carry hours (date-only exports put every order at midnight).
    pub has_time_of_day: bool,
}

fn weekday(day: i64) -> usize {
    // 1970-01-01 was a Thursday (Monday = 0 → Thursday = 3).
    (day + 3).rem_euclid(7) as usize
}

pub fn timing(data: &Dataset, facts: &Facts) -> Timing {
    let o = &data.orders;
    let mut all = vec![[0u64; 24]; 7];
    let mut returning = vec![[0u64; 24]; 7];
    let mut any_time = false;
    // The orders' times as stored, seconds since 1970 in 32 bits: whole days and seconds into the
    // day in unsigned 32-bit arithmetic, once each (a pass over every order, twice).
    let day_second = |t: u32| (t / SECS_PER_DAY as u32, t % SECS_PER_DAY as u32);
    let cell = |t: u32| {
        let (day, second) = day_second(t);
        (weekday(i64::from(day)), (second / 3600) as usize)
    };
    for (&t, _) in o.time.iter().zip(&o.valid).filter(|(_, &valid)| valid) {
        let (w, h) = cell(t);
        all[w][h] += 1;
        any_time |= day_second(t).1 != 0;
    }
    for c in 0..facts.len() {
        for &t in &facts.order_time[facts.range(c)][1..] {
            let (w, h) = cell(t);
            returning[w][h] += 1;
        }
    }
    let total: u64 = all.iter().flatten().sum();
    let best_weekday =
        (total > 0).then(|| (0..7).max_by_key(|&w| (all[w].iter().sum::<u64>(), 7 - w)).unwrap_or(0) as u8);
    let best_hour = (total > 0 && any_time)
        .then(|| (0..24).max_by_key(|&h| ((0..7).map(|w| all[w][h]).sum::<u64>(), 24 - h)).unwrap_or(0) as u8);
    Timing { weekday_hour: all, returning_weekday_hour: returning, best_weekday, best_hour, has_time_of_day: any_time }
}

#[cfg(test)]
mod tests {
    use super::weekday;
    use crate::calendar::{day_number, ymd_secs};

    #[test]
    fn weekdays() {
        // 2024-03-18 was a Monday.
        assert_eq!(weekday(day_number(ymd_secs(2024, 3, 18, 0).unwrap())), 0);
        assert_eq!(weekday(day_number(ymd_secs(2024, 3, 24, 0).unwrap())), 6);
    }
}
