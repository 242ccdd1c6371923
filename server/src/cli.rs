//! The command line: serve the desk (no subcommand), or one of the
//! administrative commands. Settings come from the file and environment
//! (see `config`), listed after the help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::users::NewUser;

const SETTINGS: &str = "\
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
  FRONTLINE_MAX_STREAMS_PER_ADDRESS  live streams per client address (default 100)";

/// Frontline, the IT service desk. Without a command, serves the desk.
#[derive(Debug, Parser)]
#[command(name = "frontline", version, after_help = SETTINGS)]
pub struct Cli {
    /// Read settings from FILE (default: frontline.toml if present)
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill an empty database with demo people, categories and tickets with their histories
    DemoData {
        /// How many tickets
        #[arg(long, default_value_t = 300, value_parser = positive)]
        size: u64,
        /// The same seed gives the same tickets
        #[arg(long, default_value_t = 1, value_parser = whole)]
        seed: u64,
    },
    /// Accounts from the command line
    #[command(subcommand)]
    User(UserCommand),
    /// The troubleshooting guides
    #[command(subcommand)]
    Guides(GuidesCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; without --password-stdin a password is generated and printed once
    Add(AddUser),
    /// Give an account a new password (signs it out everywhere); for a locked-out admin
    SetPassword {
        /// The account's sign-in address
        #[arg(long)]
        email: String,
        /// Read the password from the first line of standard input
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddUser {
    /// Their name as the desk shows it
    #[arg(long)]
    pub name: String,
    /// The address they sign in with
    #[arg(long)]
    pub email: String,
    /// reporter, agent or admin
    #[arg(long, default_value = "reporter")]
    pub role: String,
    /// L1, L2 or L3: an agent's support tier
    #[arg(long)]
    pub tier: Option<String>,
    /// An agent who may see suspected data breaches
    #[arg(long)]
    pub security_team: bool,
    /// Read the password from the first line of standard input
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum GuidesCommand {
    /// Print the troubleshooting guides (JSON)
    Export,
    /// Check FILE and make it the guides in use
    Import { file: PathBuf },
}

impl UserCommand {
    /// What the account commands need, in the form they take it.
    pub fn into_new_user(self) -> NewUser {
        match self {
            UserCommand::Add(add) => NewUser {
                name: Some(add.name),
                email: Some(add.email),
                role: Some(add.role),
                tier: add.tier,
                security_team: add.security_team,
                password_stdin: add.password_stdin,
                reset: false,
            },
            UserCommand::SetPassword {
                email,
                password_stdin,
            } => NewUser {
                email: Some(email),
                password_stdin,
                reset: true,
                ..Default::default()
            },
        }
    }
}

/// A whole number, written with `_` between digit groups if liked.
fn whole(value: &str) -> Result<u64, String> {
    value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number"))
}

fn positive(value: &str) -> Result<u64, String> {
    match whole(value)? {
        0 => Err("it must be at least 1".to_owned()),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("frontline").chain(args.iter().copied()))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_serves_and_config_goes_anywhere() {
        let cli = parse(&[]).expect("serve");
        assert!(cli.command.is_none() && cli.config.is_none());
        let cli = parse(&["demo-data", "--config", "desk.toml", "--size", "1_000"]).expect("demo");
        assert_eq!(cli.config, Some(PathBuf::from("desk.toml")));
        assert!(matches!(
            cli.command,
            Some(Command::DemoData {
                size: 1000,
                seed: 1
            })
        ));
    }

    #[test]
    fn mistakes_are_named() {
        let zero = parse(&["demo-data", "--size", "0"]).expect_err("zero tickets");
        assert!(zero.to_string().contains("it must be at least 1"), "{zero}");
        let missing = parse(&["user", "add", "--name", "Ada"]).expect_err("no email");
        assert!(missing.to_string().contains("--email <EMAIL>"), "{missing}");
        let unknown = parse(&["--colour"]).expect_err("unknown flag");
        assert!(unknown.to_string().contains("--colour"), "{unknown}");
    }

    #[test]
    fn account_commands_become_what_users_take() {
        let Some(Command::User(add)) = parse(&[
            "user",
            "add",
            "--name",
            "Lou",
            "--email",
            "lou@example.org",
            "--role",
            "agent",
            "--tier",
            "L2",
            "--security-team",
        ])
        .expect("add")
        .command
        else {
            panic!("a user command");
        };
        let user = add.into_new_user();
        assert_eq!(user.role.as_deref(), Some("agent"));
        assert_eq!(user.tier.as_deref(), Some("L2"));
        assert!(user.security_team && !user.reset && !user.password_stdin);
        let Some(Command::User(reset)) = parse(&[
            "user",
            "set-password",
            "--email",
            "a@b.org",
            "--password-stdin",
        ])
        .expect("reset")
        .command
        else {
            panic!("a user command");
        };
        let user = reset.into_new_user();
        assert!(user.reset && user.password_stdin);
        assert_eq!(user.email.as_deref(), Some("a@b.org"));
    }
}
