//! The campaign planner: from the analysis to a ranked plan of who to contact, when, how, and
//! with which words — the playbook of DOMAIN.md, grounded in this shop's own figures.
//!
//! Every campaign states the figure that triggered it, its audience rule, and an estimate of the
//! value at stake with the method spelled out; campaigns are ranked by that estimate. A campaign
//! whose data is missing stays in the plan with the reason instead of disappearing.

pub mod export;
mod playbook;
mod templates;

use crate::analysis::customers::Facts;
use crate::analysis::repeat::Repeat;
use crate::analysis::rfm::Scores;
use crate::analysis::summary::Summary;
use crate::analysis::timing::Timing;
use crate::analysis::value::{Assigned, Value};
use crate::calendar::Day;
use crate::model::Dataset;
use crate::money::Money;
use crate::settings::Settings;
use serde::Serialize;

/// Text in both languages of the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    /// Stable id (file names, the page, tests).
    pub id: &'static str,
    pub name: Text,
    pub goal: Text,
    /// Why it is suggested for this shop: the triggering figure.
    pub why: Text,
    /// The audience rule with its thresholds.
    pub rule: Text,
    pub customers: u64,
    /// Customers-table rows of the audience.
    pub audience: Vec<u32>,
    /// Suggested contact date per audience member (`YYYY-MM-DD` in JSON), parallel to `audience`.
    pub schedule: Vec<Day>,
    /// The audience's net spend so far.
    pub audience_revenue: Money,
    pub value_at_stake: Money,
    pub value_method: Text,
    pub timing: Text,
    pub channels: Vec<&'static str>,
    pub offer: &'static str,
    pub template: Text,
    /// Set when the files lack what the campaign needs; the audience is then empty.
    pub missing: Option<Text>,
    /// Audience left when each customer is kept only in their highest-ranked campaign.
    pub exclusive_customers: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Ranked by value at stake; campaigns with missing data last.
    pub campaigns: Vec<Campaign>,
    /// `overlap[i][j]`: customers in both campaign i and j (the diagonal is each audience).
    pub overlap: Vec<Vec<u64>>,
    /// Whether audiences were made exclusive by rank (settings).
    pub exclusive: bool,
    /// Contact data the export lacks (no phone: no SMS), for the seller to know.
    pub notes: Vec<Text>,
    pub best_weekday: Option<u8>,
    pub best_hour: Option<u8>,
}

/// What the planner reads from the analysis.
pub struct Inputs<'a> {
    pub data: &'a Dataset,
    pub facts: &'a Facts<'a>,
    pub as_of: i64,
    pub scores: &'a Scores,
    pub stage: &'a [u8],
    pub assigned: &'a Assigned,
    pub value: &'a Value,
    pub repeat: &'a Repeat,
    pub timing: &'a Timing,
    pub summary: &'a Summary,
    pub settings: &'a Settings,
}

pub fn plan(inputs: &Inputs) -> Plan {
    let mut campaigns = playbook::all(inputs);
    campaigns.sort_by(|a, b| {
        a.missing.is_some().cmp(&b.missing.is_some()).then(b.value_at_stake.cmp(&a.value_at_stake)).then(a.id.cmp(b.id))
    });
    let n = inputs.facts.len();
    // Overlap through a membership bitmap per campaign: O(campaigns² × customers / 64).
    let sets: Vec<Vec<u64>> = campaigns
        .iter()
        .map(|c| {
            let mut bits = vec![0u64; n.div_ceil(64)];
            for &r in &c.audience {
                bits[r as usize / 64] |= 1 << (r % 64);
            }
            bits
        })
        .collect();
    let overlap = sets
        .iter()
        .map(|a| sets.iter().map(|b| a.iter().zip(b).map(|(x, y)| (x & y).count_ones() as u64).sum()).collect())
        .collect();
    let mut taken = vec![false; n];
    for c in &mut campaigns {
        let mut kept = 0;
        for &r in &c.audience {
            if !taken[r as usize] {
                taken[r as usize] = true;
                kept += 1;
            }
        }
        c.exclusive_customers = kept;
    }
    let exclusive = inputs.settings.campaigns.exclusive;
    if exclusive {
        let mut taken = vec![false; n];
        for c in &mut campaigns {
            let keep: Vec<bool> = c
                .audience
                .iter()
                .map(|&r| {
                    let free = !taken[r as usize];
                    taken[r as usize] = true;
                    free
                })
                .collect();
            let mut k = keep.iter();
            c.audience.retain(|_| *k.next().unwrap_or(&false));
            let mut k = keep.iter();
            c.schedule.retain(|_| *k.next().unwrap_or(&false));
            c.customers = c.audience.len() as u64;
        }
    }
    let mut notes = Vec::new();
    if !inputs.data.contacts.has_phone() {
        notes.push(Text::new(
            "导出文件里没有手机号：短信和电话无法使用，请改用旺旺/站内信、微信或包裹卡片。",
            "The export has no phone numbers: SMS and calls are not possible; use in-platform messages (Wangwang), WeChat or a card in the parcel.",
        ));
    }
    if !inputs.data.contacts.has_email() && !inputs.data.contacts.has_phone() {
        notes.push(Text::new(
            "导出文件里也没有邮箱；名单中只有买家账号。",
            "There are no email addresses either; the lists carry buyer accounts only.",
        ));
    }
    Plan {
        campaigns,
        overlap,
        exclusive,
        notes,
        best_weekday: inputs.timing.best_weekday,
        best_hour: inputs.timing.best_hour,
    }
}
