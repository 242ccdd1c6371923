use std::{path::PathBuf, process::ExitCode};

use server::{config::Config, telemetry};

const USAGE: &str = "\
Frontline, the IT service desk.

Usage: frontline [--config FILE]                 serve the desk
       frontline demo-data [--size N] [--seed N] [--config FILE]
                                                 fill an empty database with demo
                                                 people, categories and N tickets
                                                 (default 300) with their histories
       frontline user add --name NAME --email EMAIL [--role reporter|agent|admin]
                          [--tier L1|L2|L3] [--security-team] [--password-stdin]
                                                 add an account; without --password-stdin
                                                 a password is generated and printed once
       frontline user set-password --email EMAIL [--password-stdin]
                                                 give an account a new password (signs it
                                                 out everywhere); for a locked-out admin
       frontline guides export                   print the troubleshooting guides (JSON)
       frontline guides import FILE              check FILE and make it the guides in use

Options:
  --config FILE   read settings from FILE (default: frontline.toml if present)
  -h, --help      show this help
  -V, --version   show the version

Settings (environment variables override the file):
  FRONTLINE_LISTEN        listen address (listen), default 127.0.0.1:3000
  FRONTLINE_DATA_DIR      data directory (data_dir), default ./data
  FRONTLINE_DATABASE_URL  sqlite://… or postgres://… (database_url),
                          default sqlite://<data_dir>/frontline.db
  FRONTLINE_SITE_ROOT     compiled site files (site_root)
  FRONTLINE_LOG           log filter (log), default info,sqlx=warn
  FRONTLINE_LOG_FORMAT    text or json (log_format)
  FRONTLINE_PUBLIC_URL    the address people use, e.g. https://desk.example.org
                          (public_url): the only origin allowed to send changes,
                          and https turns on Secure cookies
  FRONTLINE_SESSION_IDLE_MINUTES  sign out after this long idle (default 480)
  FRONTLINE_SESSION_MAX_HOURS     sign out this long after sign-in (default 168)
  FRONTLINE_TRUSTED_PROXIES       reverse proxies whose X-Forwarded-For is believed
                                  (trusted_proxies), e.g. 127.0.0.1
  FRONTLINE_AUTO_CLOSE_HOURS      a resolved ticket nobody answers closes after this
                                  long (auto_close_hours), default 72
  FRONTLINE_SLA_WATCH_SECONDS     how often SLA warnings and breaches are recorded and
                                  tier leads alerted (sla_watch_seconds), default 60
  FRONTLINE_ALLOWED_HOSTS         names the desk answers to besides public_url's, the
                                  listen address and localhost (allowed_hosts)
  FRONTLINE_HEADER_TIMEOUT_SECONDS   time to send a request head (default 10)
  FRONTLINE_REQUEST_TIMEOUT_SECONDS  time to answer a request (default 30)
  FRONTLINE_MAX_STREAMS_PER_SESSION  live streams per signed-in browser (default 10)
  FRONTLINE_MAX_STREAMS_PER_ADDRESS  live streams per client address (default 100)
";

#[tokio::main]
async fn main() -> ExitCode {
    let large_blocks_returned = server::memory::return_large_blocks();
    let mut config_path: Option<PathBuf> = None;
    let mut demo: Option<DemoArgs> = None;
    let mut user: Option<server::users::NewUser> = None;
    let mut guides: Option<GuidesCommand> = None;
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("guides") {
        args.next();
        guides = Some(match (args.next().as_deref(), args.next()) {
            (Some("export"), None) => GuidesCommand::Export,
            (Some("import"), Some(file)) => GuidesCommand::Import(PathBuf::from(file)),
            _ => {
                return usage_error(
                    "the guides command takes: guides export, or guides import FILE",
                )
            }
        });
    } else if args.peek().map(String::as_str) == Some("demo-data") {
        args.next();
        demo = Some(DemoArgs::default());
    } else if args.peek().map(String::as_str) == Some("user") {
        args.next();
        let reset = match args.next().as_deref() {
            Some("add") => false,
            Some("set-password") => true,
            _ => return usage_error("the user command takes: user add … or user set-password …"),
        };
        user = Some(server::users::NewUser {
            reset,
            ..Default::default()
        });
    }
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            "-V" | "--version" => {
                println!("frontline {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            "--config" => match args.next() {
                Some(path) => config_path = Some(PathBuf::from(path)),
                None => return usage_error("--config needs a file path"),
            },
            flag @ ("--size" | "--seed") if demo.is_some() => {
                let value: Option<u64> = args.next().and_then(|n| n.replace('_', "").parse().ok());
                match (flag, value, demo.as_mut()) {
                    ("--size", Some(n), Some(demo)) if n > 0 => demo.size = n,
                    ("--seed", Some(n), Some(demo)) => demo.seed = n,
                    _ => return usage_error(&format!("{flag} needs a positive number")),
                }
            }
            flag @ ("--name" | "--email" | "--role" | "--tier") if user.is_some() => {
                let (Some(value), Some(user)) = (args.next(), user.as_mut()) else {
                    return usage_error(&format!("{flag} needs a value"));
                };
                let slot = match flag {
                    "--name" => &mut user.name,
                    "--email" => &mut user.email,
                    "--role" => &mut user.role,
                    _ => &mut user.tier,
                };
                *slot = Some(value);
            }
            "--security-team" if user.is_some() => {
                if let Some(user) = user.as_mut() {
                    user.security_team = true;
                }
            }
            "--password-stdin" if user.is_some() => {
                if let Some(user) = user.as_mut() {
                    user.password_stdin = true;
                }
            }
            other => return usage_error(&format!("unknown argument {other:?}")),
        }
    }

    let config = match Config::load(config_path.as_deref(), |key| std::env::var(key).ok()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("frontline: {err}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&config.log_filter, config.log_format);
    if !large_blocks_returned {
        tracing::warn!(
            "cannot set the allocator's mmap threshold; freed memory may stay with the process"
        );
    }

    if let Some(demo) = demo {
        return demo_data(&config, demo).await;
    }
    if let Some(user) = user {
        return add_user(&config, user).await;
    }
    if let Some(command) = guides {
        return run_guides(&config, command).await;
    }

    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

enum GuidesCommand {
    Export,
    Import(PathBuf),
}

async fn run_guides(config: &Config, command: GuidesCommand) -> ExitCode {
    let done = match command {
        GuidesCommand::Export => server::guides::export(config).await.map(|document| {
            println!("{document}");
        }),
        GuidesCommand::Import(path) => server::guides::import(config, &path)
            .await
            .map(|version| println!("Imported {} as guide version {version}.", path.display())),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

struct DemoArgs {
    size: u64,
    seed: u64,
}

impl Default for DemoArgs {
    fn default() -> Self {
        Self { size: 300, seed: 1 }
    }
}

async fn demo_data(config: &Config, demo: DemoArgs) -> ExitCode {
    match server::demo::fill_database(config, demo.size, demo.seed).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn add_user(config: &Config, user: server::users::NewUser) -> ExitCode {
    let reset = user.reset;
    let done = if reset {
        server::users::set_password(config, user).await
    } else {
        server::users::add(config, user).await
    };
    match done {
        Ok((person, generated)) => {
            if reset {
                println!(
                    "New password set for {} <{}>; their other sessions have ended.",
                    person.name, person.email
                );
            } else {
                println!(
                    "Added {} <{}> as {}.",
                    person.name,
                    person.email,
                    person.role.code()
                );
            }
            if let Some(password) = generated {
                println!("Password (shown once; they can change it under Account): {password}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("frontline: {err}");
            ExitCode::FAILURE
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("frontline: {message}\n\n{USAGE}");
    ExitCode::from(2)
}
