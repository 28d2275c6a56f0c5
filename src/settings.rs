//! What the seller can change without re-reading the file.

use serde::{Deserialize, Serialize};

/// Analysis settings. The core never reads the clock: "today" is whatever `as_of` says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The analysis date (`YYYY-MM-DD`); by default the date of the last valid order.
    pub as_of: Option<String>,
}
