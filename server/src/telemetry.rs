//! Structured logs through `tracing`, as text for people or JSON for collectors.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|err| {
        eprintln!("frontline: ignoring the log filter {filter:?} ({err}); using \"info\"");
        EnvFilter::new("info")
    });
    // Colours only for a person at a terminal, never in files or collectors.
    let ansi = format == LogFormat::Text && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(true)
        .with_ansi(ansi);
    // A second initialisation (tests start several servers) is not an error worth stopping for.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
