//! Two independent pieces of work at once where there are threads to run them on.

/// Runs `a` and `b` and returns both results: natively, `a` on a thread of its own while `b` runs
/// here; in the browser's wasm, which has no threads, one after the other. The native CLI reads
/// a file on one core and has another idle once the analysis starts: the sections that do not
/// depend on one another split across two.
pub fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::scope(|scope| {
            let a = scope.spawn(a);
            let b = b();
            // A panic in `a` is passed on as it would have been run here.
            let a = a.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (a, b)
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        (a(), b())
    }
}

#[cfg(test)]
mod tests {
    use super::both;

    #[test]
    fn both_results_come_back_in_their_places() {
        let words = ["a", "bb", "ccc"];
        let (lengths, joined) = both(|| words.iter().map(|w| w.len()).sum::<usize>(), || words.concat());
        assert_eq!(lengths, 6);
        assert_eq!(joined, "abbccc");
    }

    #[test]
    fn a_panic_in_either_is_the_callers() {
        let a = std::panic::catch_unwind(|| both(|| panic!("in a"), || 1));
        let b = std::panic::catch_unwind(|| both(|| 1, || panic!("in b")));
        assert!(a.is_err() && b.is_err());
    }
}
