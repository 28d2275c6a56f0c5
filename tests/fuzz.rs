//! Property fuzzing of the importer: arbitrary bytes and mutated real exports, pushed in arbitrary
//! chunkings, must give a report or one error — never a panic or a hang — and the same result
//! however they are chunked. Runs for `HUITOU_FUZZ_SECONDS` (default 3; `make test` gives it 20).

use huitou::analysis::analyze;
use huitou::ingest::{ImportOptions, Importer};
use huitou::sample::Rng;
use huitou::settings::Settings;
use std::time::{Duration, Instant};

const SEEDS: &[&[u8]] = &[
    include_bytes!("fixtures/taobao_orders.gbk.csv"),
    include_bytes!("fixtures/shopify.csv"),
    include_bytes!("fixtures/ebay.csv"),
    include_bytes!("fixtures/amazon.txt"),
    include_bytes!("fixtures/invoice_lines.csv"),
    include_bytes!("fixtures/douyin.csv"),
    include_bytes!("fixtures/generic_semicolon.csv"),
    include_bytes!("fixtures/generic_unicode_text.txt"),
    include_bytes!("fixtures/squarespace.csv"),
];

/// Bytes that matter to the parser, the sniffer and the cell readers.
const INTERESTING: &[u8] = b",;\t\"\r\n'=-$.0123456789/: ()\xEF\xBB\xBF\xFF\xFE\x00\x81\xE4\xB8\xAD";

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..1 + rng.below(8) {
        if v.is_empty() {
            v.push(*rng.pick(INTERESTING));
            continue;
        }
        let at = rng.below(v.len() as u64) as usize;
        match rng.below(6) {
            0 => v[at] = *rng.pick(INTERESTING),
            1 => v.insert(at, *rng.pick(INTERESTING)),
            2 => {
                v.remove(at);
            }
            3 => v.truncate(at),
            4 => {
                let end = (at + 1 + rng.below(64) as usize).min(v.len());
                let slice = v[at..end].to_vec();
                let to = rng.below(v.len() as u64) as usize;
                v.splice(to..to, slice);
            }
            _ => v[at] = rng.next_u64() as u8,
        }
    }
    v
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let n = rng.below(2048) as usize;
    (0..n).map(|_| if rng.below(3) == 0 { *rng.pick(INTERESTING) } else { rng.next_u64() as u8 }).collect()
}

/// The import's outcome as text: the whole report, or the error message.
fn outcome(bytes: &[u8], chunks: &[usize]) -> String {
    let mut imp = Importer::new(ImportOptions::default());
    imp.start_file("fuzz.csv");
    let mut rest = bytes;
    let mut i = 0;
    while !rest.is_empty() {
        let n = chunks[i % chunks.len()].clamp(1, rest.len());
        if let Err(e) = imp.push(&rest[..n]) {
            return format!("error: {e}");
        }
        rest = &rest[n..];
        i += 1;
    }
    if let Err(e) = imp.end_file() {
        return format!("error: {e}");
    }
    match imp.finish() {
        Ok((data, report)) => {
            assert!(report.is_balanced(), "rows lost: {report:?}");
            match analyze(&data, &report, &Settings::default()) {
                Ok(r) => serde_json::to_string(&r).expect("report serialises"),
                Err(e) => format!("analysis error: {e}"),
            }
        }
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn fuzz_importer_bytes_and_chunkings() {
    let seconds = std::env::var("HUITOU_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut rng = Rng::new(std::env::var("HUITOU_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7));
    let mut cases = 0u64;
    while Instant::now() < deadline {
        let input = if rng.below(4) == 0 {
            random_bytes(&mut rng)
        } else {
            let seed = rng_pick(&mut rng);
            mutate(&mut rng, seed)
        };
        let whole = outcome(&input, &[input.len().max(1)]);
        let chunks: Vec<usize> = (0..1 + rng.below(4)).map(|_| 1 + rng.below(300) as usize).collect();
        let chunked = outcome(&input, &chunks);
        assert_eq!(
            chunked,
            whole,
            "chunking {chunks:?} changed the result for input {:?}",
            String::from_utf8_lossy(&input)
        );
        cases += 1;
    }
    eprintln!("fuzz: {cases} inputs, each whole and chunked");
    assert!(cases > 0);
}

fn rng_pick(rng: &mut Rng) -> &'static [u8] {
    SEEDS[rng.below(SEEDS.len() as u64) as usize]
}

/// The browser build's GB18030 decoder (tables taken from a reference decoder) reads mutated GBK
/// exports and random bytes exactly as encoding_rs does: cell by cell, and as a stream cut at
/// random places.
#[test]
fn fuzz_gb18030_table_decoder() {
    use huitou::text_codec::gb18030::{Gb18030Decoder, Gb18030Stream};
    let reference = |b: &[u8]| encoding_rs::GB18030.decode_without_bom_handling(b).0.into_owned();
    let decoder = Gb18030Decoder::from_decoder(reference);
    let seconds = std::env::var("HUITOU_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut rng = Rng::new(11);
    let mut cases = 0u64;
    while Instant::now() < deadline {
        let input = if rng.below(2) == 0 { random_bytes(&mut rng) } else { mutate(&mut rng, SEEDS[0]) };
        let want = reference(&input);
        let mut got = String::new();
        decoder.decode_into(&input, &mut got);
        assert_eq!(got, want, "input {input:02X?}");
        let mut stream = Gb18030Stream::default();
        let mut streamed = Vec::new();
        let mut rest = input.as_slice();
        while !rest.is_empty() {
            let (piece, tail) = rest.split_at((1 + rng.below(9) as usize).min(rest.len()));
            stream.push(&decoder, piece, &mut streamed, false);
            rest = tail;
        }
        stream.push(&decoder, &[], &mut streamed, true);
        assert_eq!(String::from_utf8(streamed).as_deref(), Ok(want.as_str()), "streamed {input:02X?}");
        cases += 1;
    }
    eprintln!("fuzz: {cases} inputs through the GB18030 table decoder");
    assert!(cases > 0);
}
