//! What the benchmark binaries share: the server as a child process and a
//! small HTTP client.

pub mod child;
pub mod http;

use std::{future::Future, process::ExitCode};

/// A benchmark binary's `main`: reads its options with `parse` (printing
/// `usage` for `--help` or a mistake), runs `run` on a multi-threaded
/// runtime, and exits 0 when it reports success, 1 when it ran but the
/// result failed its check, 2 when it could not run.
pub fn main<O, F>(
    name: &str,
    usage: &str,
    parse: impl FnOnce(std::iter::Skip<std::env::Args>) -> Result<Option<O>, String>,
    run: impl FnOnce(O) -> F,
) -> ExitCode
where
    F: Future<Output = Result<bool, String>>,
{
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{usage}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{name}: {message}\n\n{usage}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("{name}: cannot start the async runtime: {err}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(options)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("{name}: {message}");
            ExitCode::from(2)
        }
    }
}
