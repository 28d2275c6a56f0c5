//! What the seller can change without re-reading the file. Every field has a default, so a page
//! or a CLI call only names what it changes.

use serde::{Deserialize, Serialize};

/// Analysis settings. The core never reads the clock: "today" is whatever `as_of` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The analysis date (`YYYY-MM-DD`); by default the date of the last valid order.
    pub as_of: Option<String>,
    /// Upper bounds in days since the last order of the stages active, silent, sleeping and
    /// about to be lost; beyond the last one a customer is lost.
    pub lifecycle_days: [u32; 4],
    pub rfm: RfmScoring,
    /// What "high" means in the Chinese 8-class scheme.
    pub cn_baseline: Baseline,
    /// Importance tiers; `None` derives them from the shop's own distribution (reported).
    pub tiers: Option<TierThresholds>,
    /// Net spend needed for 高级会员, VIP会员 and 至尊VIP会员; `None` derives them (reported).
    pub levels: Option<[f64; 3]>,
    /// Whether the report carries the customers, per customer: the whole customers table and
    /// each RFM segment's members. The page asks for them in pages, from the table's columns.
    pub include_customers: bool,
    pub campaigns: CampaignSettings,
}

/// Editable thresholds of the campaign playbook.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignSettings {
    /// Second-purchase nudge: one-time buyers whose only order is at most this many days old.
    pub second_purchase_max_days: u32,
    /// Replenishment: remind customers whose next order is due within this many days.
    pub replenish_window_days: u32,
    /// Replenishment: how regular intervals must be (standard deviation ÷ mean of the gaps).
    pub replenish_max_variation: f64,
    /// Upgrade nudge: customers whose missing spend is at most this share of the next level.
    pub upgrade_gap_share: f64,
    /// Post-order care: customers whose last order is at most this many days old.
    pub care_days: u32,
    /// Each customer in one campaign only (the highest-ranked one they qualify for).
    pub exclusive: bool,
}

impl Default for CampaignSettings {
    fn default() -> Self {
        CampaignSettings {
            second_purchase_max_days: 180,
            replenish_window_days: 14,
            replenish_max_variation: 0.5,
            upgrade_gap_share: 0.2,
            care_days: 15,
            exclusive: false,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            as_of: None,
            lifecycle_days: [90, 180, 270, 360],
            rfm: RfmScoring::default(),
            cn_baseline: Baseline::Mean,
            tiers: None,
            levels: None,
            include_customers: true,
            campaigns: CampaignSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RfmScoring {
    /// Tie-safe quintiles of the shop's own customers.
    #[default]
    Quantiles,
    /// Thresholds for scores 2, 3, 4, 5: recency as the most days still earning the score
    /// (descending), orders and net spend as the least needed (ascending).
    Fixed { recency_days: [f64; 4], orders: [f64; 4], net_spend: [f64; 4] },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Baseline {
    Mean,
    Median,
}

/// 大客户 / 重要客户 / 潜力客户 / 普通客户 rules, checked in that order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierThresholds {
    /// Net spend from which a customer is a key account (大客户).
    pub key_spend: f64,
    /// Net spend, or number of orders, from which a customer is important (重要客户).
    pub important_spend: f64,
    pub important_orders: u32,
    /// A single order at least this large shows buying power (潜力客户).
    pub potential_order: f64,
}
