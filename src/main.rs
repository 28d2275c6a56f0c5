//! `huitou`: the analysis engine on the command line, for tests, benchmarks and big files.

mod cli;

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fix_mmap_threshold();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args, &mut std::io::stdout().lock()) {
        Ok(()) => {}
        Err(message) => {
            eprintln!("huitou: {message}");
            std::process::exit(if message.starts_with("usage") { 2 } else { 1 });
        }
    }
}

/// glibc's malloc raises its mmap threshold to the size of each large block that is freed, so
/// later blocks of a few MB (the import's chunks) come from the heap, where those freed in the
/// middle stay resident. Fixed at glibc's default (128 KiB), every large block is mapped alone
/// and given back when freed: the 1 GB GBK benchmark file peaked at 607 MB resident, 489 with it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_mmap_threshold() {
    // SAFETY: `mallopt` sets one of malloc's tunables; it is called before anything else runs,
    // on the only thread. A failure (0) leaves glibc's default behaviour, which is also correct.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
