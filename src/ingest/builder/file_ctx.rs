//! What reading one file needs besides the orders: its mapping, its report, and the votes and
//! dates that are settled when it ends.

use super::AmbiguousDate;
use crate::ingest::columns::{Mapping, Preset, Role};
use crate::ingest::dates::DayOrderVote;
use crate::ingest::encoding::Encoding;
use crate::ingest::report::FileReport;
use crate::money::DecimalMark;

/// Per-file reading state.
pub(crate) struct FileCtx {
    pub index: u16,
    pub name: String,
    pub mapping: Mapping,
    pub key_role: Option<Role>,
    pub mark: DecimalMark,
    pub width: usize,
    pub report: FileReport,
    pub(super) vote: DayOrderVote,
    pub(super) ambiguous: Vec<AmbiguousDate>,
    /// Money comes from quantity × unit price (no amount column).
    pub(super) line_money: bool,
    /// The mapped roles (their index in [`Role::ALL`]) and their columns: what a row reads.
    pub(super) mapped: Vec<(usize, usize)>,
}

impl FileCtx {
    pub fn new(
        index: u16,
        name: &str,
        enc: Encoding,
        mapping: Mapping,
        key_choice: Option<Role>,
        delimiter: u8,
    ) -> FileCtx {
        let key_role = mapping.customer_key(key_choice);
        let line_money = mapping.get(Role::Amount).is_none() && mapping.get(Role::LineAmount).is_none();
        let width = mapping.headers.len();
        let report = FileReport {
            name: name.to_string(),
            format: mapping.preset.id.to_string(),
            format_label: mapping.preset.label.to_string(),
            format_label_zh: mapping.preset.label_zh.to_string(),
            encoding: enc.name().to_string(),
            delimiter: match delimiter {
                b'\t' => "tab".to_string(),
                d => (d as char).to_string(),
            },
            columns: mapping.headers.clone(),
            mapping: mapping.pairs().into_iter().collect(),
            customer_key: key_role,
            decimal_comma: delimiter == b';',
            lines_only: mapping.is_line_supplement(),
            ..FileReport::default()
        };
        let mapped = Role::ALL.iter().enumerate().filter_map(|(i, &r)| Some((i, mapping.get(r)?))).collect();
        FileCtx {
            mapped,
            index,
            name: name.to_string(),
            mark: if delimiter == b';' { DecimalMark::Comma } else { DecimalMark::Point },
            mapping,
            key_role,
            width,
            report,
            vote: DayOrderVote::default(),
            ambiguous: Vec::new(),
            line_money,
        }
    }

    pub(super) fn preset(&self) -> &'static Preset {
        self.mapping.preset
    }
}
