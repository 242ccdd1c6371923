//! What the benchmark binaries share: the server as a child process and a
//! small HTTP client.

pub mod child;
pub mod http;

use std::{future::Future, process::ExitCode};

/// A benchmark binary's `main`: reads its options (clap prints the help for
/// `--help` and stops on a mistake), runs `run` on a multi-threaded
/// runtime, and exits 0 when it reports success, 1 when it ran but the
/// result failed its check, 2 when it could not run.
pub fn main<O: clap::Parser, F>(name: &str, run: impl FnOnce(O) -> F) -> ExitCode
where
    F: Future<Output = Result<bool, String>>,
{
    let options = O::parse();
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
