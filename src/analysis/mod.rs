//! Pure functions of a dataset and settings.

pub mod summary;

use crate::error::{Error, ErrorKind};
use crate::ingest::dates;
use crate::ingest::report::ImportReport;
use crate::model::Dataset;
use crate::report::Report;
use crate::settings::Settings;

/// Analyses a dataset. Fails only on settings that contradict the data (an as-of date before the
/// last order would make recency negative).
pub fn analyze(data: &Dataset, import: &ImportReport, settings: &Settings) -> Result<Report, Error> {
    let last_day = summary::last_valid_day(data);
    let as_of = match settings.as_of.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => {
            let day = dates::parse_iso_day(text).ok_or_else(|| {
                Error::new(
                    "settings",
                    ErrorKind::Settings(format!("The as-of date \"{text}\" is not a date in the form YYYY-MM-DD.")),
                )
            })?;
            if let Some(last) = last_day.filter(|&l| day < l) {
                return Err(Error::new(
                    "settings",
                    ErrorKind::Settings(format!(
                        "The as-of date {text} is before the last order ({}); choose {} or later.",
                        day_text(last),
                        day_text(last)
                    )),
                ));
            }
            Some(day)
        }
        None => last_day,
    };
    Ok(Report { summary: summary::summarize(data, as_of), import: import.clone(), settings: settings.clone() })
}

fn day_text(day: i64) -> String {
    dates::format_date(day * dates::SECS_PER_DAY)
}
