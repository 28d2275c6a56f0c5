//! `huitou`: the analysis engine on the command line, for tests, benchmarks and big files.

mod cli;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args, &mut std::io::stdout().lock()) {
        Ok(()) => {}
        Err(message) => {
            eprintln!("huitou: {message}");
            std::process::exit(if message.starts_with("usage") { 2 } else { 1 });
        }
    }
}
