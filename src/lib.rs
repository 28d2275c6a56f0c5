//! Huitou (回头): returning-customer analysis of shop order exports.
//!
//! The core is pure Rust and knows nothing of the browser: [`ingest`] turns export files into a
//! [`model::Dataset`], [`analysis`] turns a dataset and [`settings::Settings`] into a
//! [`report::Report`]. `wasm` (wasm32 only) and the `huitou` CLI are thin shells around it.

pub mod analysis;
mod both;
pub mod calendar;
pub mod campaigns;
mod chunked;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod generate;
mod growth;
pub mod ingest;
pub mod model;
pub mod money;
pub mod report;
pub mod sample;
pub mod settings;
pub mod text_codec;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, ErrorKind, SettingsProblem};
