//! Two independent pieces of work at once where there are threads to run them on.

/// Runs `a` and `b` and returns both results: natively, `a` on a thread of its own while `b` runs
/// here (or after `b`, here, if no thread can be made: a process limited in threads still gets
/// its report); in the browser's wasm, which has no threads, one after the other. The native CLI
/// reads a file on one core and has another idle once the analysis starts: the sections that do
/// not depend on one another split across two.
pub fn both<A: Send, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        on(std::thread::Builder::new(), a, b)
    }
    #[cfg(target_arch = "wasm32")]
    {
        (a(), b())
    }
}

/// [`both`] with `a`'s thread made by `thread`.
#[cfg(not(target_arch = "wasm32"))]
fn on<A: Send, B>(thread: std::thread::Builder, a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B) -> (A, B) {
    // Taken by whichever runs it: the thread, or this one if the thread was not made.
    let job = std::sync::Mutex::new(Some(a));
    let take = || job.lock().ok().and_then(|mut job| job.take());
    std::thread::scope(|scope| {
        let there = thread.spawn_scoped(scope, || take().map(|a| a()));
        let b = b();
        // A panic in `a` is passed on as if `a` had run here.
        let done = there.ok().and_then(|there| there.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        match done.or_else(|| take().map(|a| a())) {
            Some(a) => (a, b),
            None => unreachable!("`a` is taken once, by the thread or here"),
        }
    })
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

    /// A thread that cannot be made (a stack larger than any memory) leaves `a` to run here.
    #[test]
    fn without_a_thread_both_run_here() {
        let unmakeable = std::thread::Builder::new().stack_size(1 << 50);
        assert!(std::thread::Builder::new().stack_size(1 << 50).spawn(|| ()).is_err(), "the thread was made");
        let here = std::thread::current().id();
        let (a, b) = super::on(unmakeable, || std::thread::current().id(), || 2);
        assert_eq!((a, b), (here, 2));
    }

    #[test]
    fn a_panic_in_either_is_the_callers() {
        let a = std::panic::catch_unwind(|| both(|| panic!("in a"), || 1));
        let b = std::panic::catch_unwind(|| both(|| 1, || panic!("in b")));
        assert!(a.is_err() && b.is_err());
    }
}
