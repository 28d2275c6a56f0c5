//! The browser binding: the only module that names `wasm_bindgen` or `js_sys`.
//!
//! A [`Session`] is held by the Web Worker: it imports files pushed in chunks, keeps the dataset,
//! and answers report requests for new settings without re-reading anything. Every fallible export
//! returns `Result<_, js_sys::Error>` through [`to_js`], or [`seller_error`] for what the seller's
//! files or settings caused, which the page shows in the seller's language.

use crate::analysis::customer_query::{self, CustomerQuery};
use crate::analysis::table::CustomerRow;
use crate::analysis::{analyze_checked, check_settings};
use crate::campaigns::export::{self, CsvEncoding};
use crate::ingest::columns::Role;
use crate::ingest::report::ImportReport;
use crate::ingest::{ImportOptions, Importer};
use crate::model::Dataset;
use crate::report::Report;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

/// Import options as the page sends them: `{ map: { role: column }, key: "email" }`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct JsOptions {
    map: BTreeMap<String, String>,
    key: Option<String>,
}

fn to_js(e: impl std::fmt::Display) -> js_sys::Error {
    js_sys::Error::new(&e.to_string())
}

/// The core's error with its English message, and as properties its Chinese one (`zh`) and, when
/// no column was recognised for a role, the role (`missing`) and the file's columns (`columns`),
/// for the seller to pick one.
fn seller_error(e: crate::Error) -> js_sys::Error {
    let error = to_js(&e);
    // Setting a property on a fresh `Error` object cannot fail; were it to, English remains.
    let set = |name: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(name), value);
    };
    set("zh", &JsValue::from_str(&e.zh()));
    if let Some((role, columns)) = e.missing_column() {
        set("missing", &JsValue::from_str(role.name()));
        set("columns", &columns.iter().map(|c| JsValue::from_str(c)).collect::<js_sys::Array>());
    }
    error
}

fn to_value<T: Serialize>(v: &T) -> Result<JsValue, js_sys::Error> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(to_js)
}

thread_local! {
    /// The message of a panic, kept for the page: the wasm aborts right after it (`panic = "abort"`),
    /// and the trap the worker sees says only "unreachable", as does running out of memory.
    static PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs once when the page's `init()` loads the module.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        // A list asked to grow past the 2 GiB that a 32-bit `isize` allows (in 4 GiB of wasm
        // memory, the million-customer files do that) is running out of memory too, and the seller
        // is told so in words rather than shown a panic.
        if info.payload().downcast_ref::<&str>() != Some(&"capacity overflow") {
            PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
        }
    }));
}

/// What the last panic said, if the wasm stopped because of one (else it ran out of memory).
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    PANIC.with(|p| p.borrow().clone())
}

#[wasm_bindgen]
pub struct Session {
    importer: Option<Importer>,
    data: Option<(Dataset, ImportReport)>,
    /// The last report, with its customers table (as columns) and lists, for the views and downloads.
    last: Option<Report>,
    /// The customers table's current view: the query and the row indices it selects, in order.
    view: Option<(CustomerQuery, Vec<u32>)>,
}

/// One window of the customers view, as the page's table shows it.
#[derive(Serialize)]
struct CustomersPage<'a> {
    /// Customers matching the query.
    total: usize,
    offset: usize,
    rows: Vec<CustomerRow<'a>>,
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Session, js_sys::Error> {
        let js: JsOptions = if options.is_undefined() || options.is_null() {
            JsOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(to_js)?
        };
        let mut opts = ImportOptions::default();
        for (role, column) in js.map {
            let r = Role::from_name(&role).ok_or_else(|| to_js(format!("unknown column role \"{role}\"")))?;
            opts.overrides.push((r, column));
        }
        opts.customer_key = match js.key.as_deref() {
            None | Some("") | Some("auto") => None,
            Some(k) => Some(
                Role::from_name(k)
                    .filter(|r| Role::CUSTOMER_KEYS.contains(r))
                    .ok_or_else(|| to_js(format!("unknown customer key \"{k}\"")))?,
            ),
        };
        Ok(Session { importer: Some(Importer::new(opts)), data: None, last: None, view: None })
    }

    #[wasm_bindgen(js_name = startFile)]
    pub fn start_file(&mut self, name: &str) -> Result<(), js_sys::Error> {
        self.importer()?.start_file(name);
        Ok(())
    }

    /// The current file's size in bytes (not for compressed files): room for its rows is reserved
    /// once instead of grown.
    #[wasm_bindgen(js_name = fileSize)]
    pub fn file_size(&mut self, bytes: f64) -> Result<(), js_sys::Error> {
        self.importer()?.file_size(bytes as u64);
        Ok(())
    }

    pub fn push(&mut self, chunk: &[u8]) -> Result<(), js_sys::Error> {
        self.importer()?.push(chunk).map_err(seller_error)
    }

    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self) -> Result<(), js_sys::Error> {
        self.importer()?.end_file().map_err(seller_error)
    }

    /// Data rows read so far (progress).
    #[wasm_bindgen(js_name = rowsRead)]
    pub fn rows_read(&self) -> f64 {
        self.importer.as_ref().map_or(0.0, |i| i.rows_read() as f64)
    }

    /// Valid orders, customers and repeat customers so far (`{orders, customers,
    /// repeat_customers}`), shown while a big file is read.
    pub fn preview(&mut self) -> Result<JsValue, js_sys::Error> {
        to_value(&self.importer()?.preview())
    }

    /// Ends the import; the session then answers `report` calls.
    pub fn finish(&mut self) -> Result<(), js_sys::Error> {
        let importer = self.importer.take().ok_or_else(|| to_js("the import is already finished"))?;
        self.data = Some(importer.finish().map_err(seller_error)?);
        Ok(())
    }

    /// The report for these settings (`{ as_of: "YYYY-MM-DD", … }`), as plain JS objects. The
    /// customers table and the per-customer lists stay here (they can be large): they feed the
    /// customers view and the downloads.
    pub fn report(&mut self, settings: JsValue) -> Result<JsValue, js_sys::Error> {
        let (data, import) = self.data.as_ref().ok_or_else(|| to_js("no file has been imported yet"))?;
        let mut settings: Settings = if settings.is_undefined() || settings.is_null() {
            Settings::default()
        } else {
            serde_wasm_bindgen::from_value(settings).map_err(to_js)?
        };
        // The table stays as columns in `report.table`; rows become text a page at a time.
        settings.include_customers = false;
        // Settings the data refuses leave the last report in place, as the page expects. Else the
        // last report goes before the next is made: kept meanwhile, it took a second report of
        // the 100 MB `customer,date,amount` file from 223 to 340 MiB of wasm memory.
        let checked = check_settings(data, &settings).map_err(seller_error)?;
        self.last = None;
        self.view = None;
        let mut report = analyze_checked(data, import, checked);
        let lists = report.take_lists();
        let value = to_value(&report);
        report.restore_lists(lists);
        self.last = Some(report);
        self.view = None;
        value
    }

    /// `limit` customers from `offset` of the customers matching `query` (`{ segment, stage,
    /// search, sort, descending, … }`). The order is computed once per query, so scrolling
    /// through half a million customers only slices it.
    #[wasm_bindgen(js_name = customersPage)]
    pub fn customers_page(&mut self, query: JsValue, offset: usize, limit: usize) -> Result<JsValue, js_sys::Error> {
        let query: CustomerQuery = serde_wasm_bindgen::from_value(query).map_err(to_js)?;
        let (report, data) = match (&self.last, &self.data) {
            (Some(r), Some((d, _))) => (r, d),
            _ => return Err(to_js("no report has been made yet")),
        };
        let table = &report.table;
        if self.view.as_ref().map(|(q, _)| q) != Some(&query) {
            // The last view's order goes first: kept while the next is made, it was one more list
            // as long as the customers.
            self.view = None;
            let order = customer_query::select(table, data, &query);
            self.view = Some((query, order));
        }
        let order = self.view.as_ref().map_or(&[][..], |(_, o)| o.as_slice());
        let rows = order.iter().skip(offset).take(limit).map(|&i| table.row(i as usize, data)).collect();
        to_value(&CustomersPage { total: order.len(), offset, rows })
    }

    /// Members `from..from + count` of the audience list of the plan's campaign `index`, as a
    /// part of its CSV file's bytes: see [`Session::customers_csv_part`].
    #[wasm_bindgen(js_name = audienceCsvPart)]
    pub fn audience_csv_part(
        &self,
        index: usize,
        zh: bool,
        gbk: bool,
        from: usize,
        count: usize,
    ) -> Result<Vec<u8>, js_sys::Error> {
        let (report, data) = self.last_report()?;
        let plan = report.plan.as_ref().ok_or_else(|| to_js("there is no campaign plan without customers"))?;
        Ok(export::audience_csv_part(report, plan, data, index, zh, encoding(gbk), from..from.saturating_add(count)))
    }

    /// Rows `from..from + count` of the whole customers table, or with `filtered` of the current
    /// view in its order, as a part of a CSV file's bytes: the first part has the header (and in
    /// UTF-8 the byte-order mark), a part past the last row is empty. The worker asks for one
    /// part after another and hands the page one `Blob`: made whole in the wasm memory, the
    /// 262 MB customers file of the 100 MB `customer,date,amount` export took that memory from
    /// 223 to 1,216 MiB (the text, its encoding, the copy out), and a 1 GB export's could not fit.
    #[wasm_bindgen(js_name = customersCsvPart)]
    pub fn customers_csv_part(
        &self,
        gbk: bool,
        filtered: bool,
        from: usize,
        count: usize,
    ) -> Result<Vec<u8>, js_sys::Error> {
        let (report, data) = self.last_report()?;
        let view = match (&self.view, filtered) {
            (Some((_, order)), true) => Some(order.as_slice()),
            _ => None,
        };
        Ok(export::customers_csv_part(&report.table, view, data, encoding(gbk), from..from.saturating_add(count)))
    }

    /// The plan as printable Markdown.
    #[wasm_bindgen(js_name = planMarkdown)]
    pub fn plan_markdown(&self, zh: bool) -> Result<String, js_sys::Error> {
        let (report, _) = self.last_report()?;
        let plan = report.plan.as_ref().ok_or_else(|| to_js("there is no campaign plan without customers"))?;
        Ok(export::plan_markdown(report, plan, zh))
    }

    fn last_report(&self) -> Result<(&Report, &Dataset), js_sys::Error> {
        match (&self.last, &self.data) {
            (Some(r), Some((d, _))) => Ok((r, d)),
            _ => Err(to_js("no report has been made yet")),
        }
    }

    fn importer(&mut self) -> Result<&mut Importer, js_sys::Error> {
        self.importer.as_mut().ok_or_else(|| to_js("the import is already finished"))
    }
}

fn encoding(gbk: bool) -> CsvEncoding {
    if gbk {
        CsvEncoding::Gbk
    } else {
        CsvEncoding::Utf8
    }
}

/// Runs a small made-up shop through the importer and the analysis so that the browser optimises
/// their code before the seller's file arrives (see [`crate::sample::rehearse`]); every other
/// round (`round` odd) its file is in GB18030.
#[wasm_bindgen]
pub fn rehearse(round: u32) -> f64 {
    crate::sample::rehearse(3_000, round % 2 == 1).map_or(0.0, |r| r.valid_orders as f64)
}

/// Newlines in `chunk`: the benchmark's "speed of light", the least any parser must do with the
/// same bytes in the same worker (copy them into wasm memory and look at each one).
#[wasm_bindgen(js_name = countLines)]
pub fn count_lines(chunk: &[u8]) -> u32 {
    memchr::memchr_iter(b'\n', chunk).count() as u32
}

#[wasm_bindgen]
extern "C" {
    /// The browser's WHATWG `TextDecoder`, through which the core reads GB18030 and UTF-16 here
    /// (see [`crate::text_codec`]). Every browser knows the labels the core asks for.
    #[wasm_bindgen(js_name = TextDecoder)]
    type JsTextDecoder;

    #[wasm_bindgen(constructor, js_class = "TextDecoder")]
    fn new(label: &str, options: &JsValue) -> JsTextDecoder;

    #[wasm_bindgen(method, js_class = "TextDecoder")]
    fn decode(this: &JsTextDecoder, input: &[u8], options: &JsValue) -> String;
}

/// A `TextDecoder` for one encoding, keeping the state of a character cut between chunks.
pub(crate) struct BrowserDecoder {
    decoder: JsTextDecoder,
    /// `{ stream: true }`, for every chunk but the last.
    streaming: JsValue,
}

impl BrowserDecoder {
    /// A decoder that replaces malformed input with U+FFFD and leaves a byte-order mark in the
    /// text (the importer has already removed the file's own).
    pub(crate) fn new(label: &str) -> BrowserDecoder {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"ignoreBOM".into(), &JsValue::TRUE);
        let streaming = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&streaming, &"stream".into(), &JsValue::TRUE);
        BrowserDecoder { decoder: JsTextDecoder::new(label, &options), streaming: streaming.into() }
    }

    /// The text of `input`; with `stream`, bytes of a character cut at its end are kept for the
    /// next call.
    pub(crate) fn decode(&self, input: &[u8], stream: bool) -> String {
        if stream {
            self.decoder.decode(input, &self.streaming)
        } else {
            self.decoder.decode(input, &JsValue::UNDEFINED)
        }
    }
}
