//! Configuration from built-in defaults, an optional TOML file and
//! `FRONTLINE_*` environment variables, in that order of precedence.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use domain::change::Rules;
use serde::Deserialize;

mod rules;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:3000";
pub const DEFAULT_CONFIG_FILE: &str = "frontline.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Where the compiled browser bundle (`pkg/`) and public assets live.
    pub site_root: PathBuf,
    pub log_filter: String,
    pub log_format: LogFormat,
    /// Priority matrix, SLA targets and the calendar the SLA clock runs on.
    pub rules: Rules,
    pub sessions: Sessions,
    /// A resolved ticket whose reporter has not answered closes after this long.
    pub auto_close_hours: i64,
    /// How often the SLA watcher records warnings and breaches.
    pub sla_watch_seconds: i64,
    /// What one client may hold: time to send and to be answered, live streams.
    pub limits: Limits,
    /// The language of a page for someone who chose none and whose browser
    /// asks for none the desk speaks.
    pub default_language: words::Lang,
}

/// Three days: long enough for a reporter back from a weekend to answer.
pub const DEFAULT_AUTO_CLOSE_HOURS: i64 = 72;

/// A minute: a lead hears of a missed first response within a minute of it.
pub const DEFAULT_SLA_WATCH_SECONDS: i64 = 60;

/// Bounds that keep slow or greedy clients from tying up the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A connection that has not sent a whole request head within this long
    /// is closed; so is a kept-alive connection idle this long.
    pub header_timeout: Duration,
    /// A request whose answer has not begun within this long is answered
    /// 408 (its body was still arriving) or 503.
    pub request_timeout: Duration,
    /// Live event streams open at once for one signed-in browser.
    pub streams_per_session: usize,
    /// Live event streams open at once from one client address.
    pub streams_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            // Generous for a phone on a bad network, short for a slowloris.
            header_timeout: Duration::from_secs(10),
            // Everything the desk does takes well under a second.
            request_timeout: Duration::from_secs(30),
            // A person with several tabs open.
            streams_per_session: 10,
            // An office behind one NAT address.
            streams_per_address: 100,
        }
    }
}

/// Where the desk is reached and how long sign-ins last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sessions {
    /// `https://desk.example.org` when behind a proxy or on a real name:
    /// the only origin state-changing requests may come from, and (https)
    /// the switch for `Secure` cookies. Unset: the request's own Host.
    pub public_origin: Option<String>,
    /// Signed out after this long without a request.
    pub idle_minutes: i64,
    /// Signed out this long after signing in, however active.
    pub max_hours: i64,
    /// Reverse proxies whose `X-Forwarded-For` names the real client (for
    /// per-address sign-in throttling). Empty: the socket peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Host names (or addresses) requests may be sent to, besides the
    /// `public_url` host, the listen address and the localhost names.
    /// Lower case, without port; IPv6 addresses in brackets.
    pub allowed_hosts: Vec<String>,
}

impl Default for Sessions {
    fn default() -> Self {
        Self {
            public_origin: None,
            idle_minutes: 8 * 60,
            max_hours: 7 * 24,
            trusted_proxies: Vec::new(),
            allowed_hosts: Vec::new(),
        }
    }
}

impl Sessions {
    pub fn secure_cookies(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is not valid: {message}")]
    ParseFile { path: PathBuf, message: String },
    #[error("{key} = {value:?} is not a valid listen address; use host:port, for example {DEFAULT_LISTEN}")]
    Listen { key: &'static str, value: String },
    #[error("{key} = {value:?} is not supported; use \"text\" or \"json\"")]
    LogFormat { key: &'static str, value: String },
    #[error("{key} must not be empty")]
    Empty { key: &'static str },
    #[error("{key} = {value:?} is not a site address; use scheme://host[:port] with no path, for example https://desk.example.org")]
    PublicUrl { key: &'static str, value: String },
    #[error(
        "{key} = {value:?} is not a list of IP addresses; use for example \"127.0.0.1, 10.0.0.2\""
    )]
    Proxies { key: &'static str, value: String },
    #[error("{key} = {value:?} is not a list of host names; use names or addresses without scheme or port, for example \"desk.example.org, 10.0.0.5\"")]
    Hosts { key: &'static str, value: String },
    #[error("{key} = {value:?} is not a language Frontline speaks; use \"en\" or \"fr\"")]
    Language { key: &'static str, value: String },
    #[error("{key} = {value:?} is not a whole number of at least 1")]
    Minutes { key: &'static str, value: String },
    /// A rules section (`[business_hours]`, `[sla_targets]`, `[priority_matrix]`)
    /// and what is wrong with it.
    #[error("[{section}] {message}")]
    Rules {
        section: &'static str,
        message: String,
    },
}

/// The keys a configuration file may hold; unknown keys are refused so a typo
/// is not silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    site_root: Option<PathBuf>,
    log: Option<String>,
    log_format: Option<String>,
    /// Absent: the SLA clock runs around the clock.
    business_hours: Option<rules::BusinessHoursFile>,
    /// Absent: the defaults in DESIGN.md.
    sla_targets: Option<rules::SlaTargetsFile>,
    priority_matrix: Option<rules::MatrixFile>,
    public_url: Option<String>,
    session_idle_minutes: Option<i64>,
    session_max_hours: Option<i64>,
    trusted_proxies: Option<Vec<String>>,
    auto_close_hours: Option<i64>,
    sla_watch_seconds: Option<i64>,
    allowed_hosts: Option<Vec<String>>,
    header_timeout_seconds: Option<i64>,
    request_timeout_seconds: Option<i64>,
    max_streams_per_session: Option<i64>,
    max_streams_per_address: Option<i64>,
    default_language: Option<String>,
}

impl Config {
    /// Reads the configuration. `config_path` is the `--config` argument; without it
    /// `FRONTLINE_CONFIG`, then `frontline.toml` in the working directory if present.
    pub fn load(
        config_path: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let explicit = config_path
            .map(Path::to_path_buf)
            .or_else(|| env("FRONTLINE_CONFIG").map(PathBuf::from));
        let file = match explicit {
            Some(path) => read_file(&path)?,
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => {
                read_file(Path::new(DEFAULT_CONFIG_FILE))?
            }
            None => FileConfig::default(),
        };
        Self::resolve(file, env)
    }

    fn resolve(
        file: FileConfig,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let (listen_key, listen) = pick("FRONTLINE_LISTEN", "listen", &env, file.listen)
            .unwrap_or(("default", DEFAULT_LISTEN.to_owned()));
        let listen = listen
            .trim()
            .parse::<SocketAddr>()
            .map_err(|_| ConfigError::Listen {
                key: listen_key,
                value: listen,
            })?;

        let data_dir = env("FRONTLINE_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        if data_dir.as_os_str().is_empty() {
            return Err(ConfigError::Empty { key: "data_dir" });
        }

        let database_url = match pick(
            "FRONTLINE_DATABASE_URL",
            "database_url",
            &env,
            file.database_url,
        ) {
            Some((key, url)) if url.trim().is_empty() => return Err(ConfigError::Empty { key }),
            Some((_, url)) => url.trim().to_owned(),
            None => format!("sqlite://{}", data_dir.join("frontline.db").display()),
        };

        let site_root = env("FRONTLINE_SITE_ROOT")
            .or_else(|| env("LEPTOS_SITE_ROOT"))
            .map(PathBuf::from)
            .or(file.site_root)
            .unwrap_or_else(default_site_root);

        let log_filter = env("FRONTLINE_LOG")
            .or(file.log)
            .unwrap_or_else(|| "info,sqlx=warn".to_owned());

        let (format_key, format) =
            pick("FRONTLINE_LOG_FORMAT", "log_format", &env, file.log_format)
                .unwrap_or(("default", "text".to_owned()));
        let log_format = match format.trim().to_ascii_lowercase().as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => {
                return Err(ConfigError::LogFormat {
                    key: format_key,
                    value: format,
                })
            }
        };

        let rules = rules::resolve(file.business_hours, file.sla_targets, file.priority_matrix)?;

        let public_origin = match pick("FRONTLINE_PUBLIC_URL", "public_url", &env, file.public_url)
        {
            None => None,
            Some((key, value)) => {
                Some(origin_of(&value).ok_or(ConfigError::PublicUrl { key, value })?)
            }
        };
        let defaults = Sessions::default();
        let number = |env_key: &'static str,
                      file_key: &'static str,
                      from_file: Option<i64>,
                      default: i64| {
            match pick(env_key, file_key, &env, from_file.map(|n| n.to_string())) {
                None => Ok(default),
                Some((key, value)) => value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or(ConfigError::Minutes { key, value }),
            }
        };
        let trusted_proxies = match pick(
            "FRONTLINE_TRUSTED_PROXIES",
            "trusted_proxies",
            &env,
            file.trusted_proxies.map(|list| list.join(",")),
        ) {
            None => Vec::new(),
            Some((key, value)) => value
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| a.parse::<std::net::IpAddr>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| ConfigError::Proxies { key, value })?,
        };
        let allowed_hosts = match pick(
            "FRONTLINE_ALLOWED_HOSTS",
            "allowed_hosts",
            &env,
            file.allowed_hosts.map(|list| list.join(",")),
        ) {
            None => Vec::new(),
            Some((key, value)) => value
                .split(',')
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(crate::security::host_name)
                .collect::<Option<Vec<_>>>()
                .ok_or(ConfigError::Hosts { key, value })?,
        };
        let sessions = Sessions {
            trusted_proxies,
            allowed_hosts,
            public_origin,
            idle_minutes: number(
                "FRONTLINE_SESSION_IDLE_MINUTES",
                "session_idle_minutes",
                file.session_idle_minutes,
                defaults.idle_minutes,
            )?,
            max_hours: number(
                "FRONTLINE_SESSION_MAX_HOURS",
                "session_max_hours",
                file.session_max_hours,
                defaults.max_hours,
            )?,
        };

        let auto_close_hours = number(
            "FRONTLINE_AUTO_CLOSE_HOURS",
            "auto_close_hours",
            file.auto_close_hours,
            DEFAULT_AUTO_CLOSE_HOURS,
        )?;
        let sla_watch_seconds = number(
            "FRONTLINE_SLA_WATCH_SECONDS",
            "sla_watch_seconds",
            file.sla_watch_seconds,
            DEFAULT_SLA_WATCH_SECONDS,
        )?;

        let default_limits = Limits::default();
        let seconds = |n: i64| Duration::from_secs(n.unsigned_abs());
        let count = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
        let limits = Limits {
            header_timeout: seconds(number(
                "FRONTLINE_HEADER_TIMEOUT_SECONDS",
                "header_timeout_seconds",
                file.header_timeout_seconds,
                default_limits.header_timeout.as_secs() as i64,
            )?),
            request_timeout: seconds(number(
                "FRONTLINE_REQUEST_TIMEOUT_SECONDS",
                "request_timeout_seconds",
                file.request_timeout_seconds,
                default_limits.request_timeout.as_secs() as i64,
            )?),
            streams_per_session: count(number(
                "FRONTLINE_MAX_STREAMS_PER_SESSION",
                "max_streams_per_session",
                file.max_streams_per_session,
                default_limits.streams_per_session as i64,
            )?),
            streams_per_address: count(number(
                "FRONTLINE_MAX_STREAMS_PER_ADDRESS",
                "max_streams_per_address",
                file.max_streams_per_address,
                default_limits.streams_per_address as i64,
            )?),
        };

        let default_language = match pick(
            "FRONTLINE_DEFAULT_LANGUAGE",
            "default_language",
            &env,
            file.default_language,
        ) {
            None => words::Lang::default(),
            Some((key, value)) => {
                words::Lang::from_code(&value).ok_or(ConfigError::Language { key, value })?
            }
        };

        Ok(Self {
            listen,
            data_dir,
            database_url,
            site_root,
            log_filter,
            log_format,
            rules,
            sessions,
            auto_close_hours,
            sla_watch_seconds,
            limits,
            default_language,
        })
    }

    /// The database URL with any password hidden, for logs and error messages.
    pub fn database_url_redacted(&self) -> String {
        storage::redact_url(&self.database_url)
    }
}

/// `https://Desk.example.org/` → `https://desk.example.org`; `None` for
/// anything that is not a bare http(s) origin.
fn origin_of(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, host) = url.split_once("://")?;
    let plain_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    ((scheme == "http" || scheme == "https") && plain_host).then_some(url)
}

/// The environment wins over the file; says which one the value came from.
fn pick(
    env_key: &'static str,
    file_key: &'static str,
    env: &impl Fn(&str) -> Option<String>,
    from_file: Option<String>,
) -> Option<(&'static str, String)> {
    env(env_key)
        .map(|v| (env_key, v))
        .or_else(|| from_file.map(|v| (file_key, v)))
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|err| {
        let line = err
            .span()
            .and_then(|span| text.get(..span.start))
            .map(|before| before.matches('\n').count() + 1);
        ConfigError::ParseFile {
            path: path.to_path_buf(),
            message: match line {
                Some(line) => format!("line {line}: {}", err.message()),
                None => err.message().to_owned(),
            },
        }
    })
}

/// Next to the binary when installed as `target/<profile>/frontline` (so it
/// runs from any directory), else `target/site` under the working directory.
fn default_site_root() -> PathBuf {
    let beside_binary = std::env::current_exe().ok().and_then(|exe| {
        exe.parent()
            .and_then(Path::parent)
            .map(|dir| dir.join("site"))
    });
    match beside_binary {
        Some(dir) if dir.join("pkg").is_dir() => dir,
        _ => PathBuf::from("target/site"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use domain::{
        calendar::{parse_date, Calendar},
        priority::{Impact, Priority, Urgency},
    };

    use super::*;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |key| map.get(key).cloned()
    }

    #[test]
    fn defaults_put_sqlite_under_the_data_dir() {
        let config =
            Config::resolve(FileConfig::default(), env_of(&[])).expect("defaults are valid");
        assert_eq!(config.listen.to_string(), DEFAULT_LISTEN);
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.database_url, "sqlite://data/frontline.db");
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn environment_overrides_the_file() {
        let file: FileConfig = toml::from_str(
            "listen = \"0.0.0.0:8080\"\ndata_dir = \"/var/lib/frontline\"\nlog_format = \"json\"\n",
        )
        .expect("valid toml");
        let config = Config::resolve(file, env_of(&[("FRONTLINE_LISTEN", "127.0.0.1:9000")]))
            .expect("valid config");
        assert_eq!(config.listen.to_string(), "127.0.0.1:9000");
        assert_eq!(
            config.database_url,
            "sqlite:///var/lib/frontline/frontline.db"
        );
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn the_default_language_is_english_unless_set() {
        let config = Config::resolve(FileConfig::default(), env_of(&[])).expect("defaults");
        assert_eq!(config.default_language, words::Lang::En);
        let file: FileConfig = toml::from_str("default_language = \"fr\"\n").expect("toml");
        let config = Config::resolve(file, env_of(&[])).expect("valid");
        assert_eq!(config.default_language, words::Lang::Fr);
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_DEFAULT_LANGUAGE", "de")]),
        )
        .expect_err("not spoken");
        assert_eq!(
            err.to_string(),
            "FRONTLINE_DEFAULT_LANGUAGE = \"de\" is not a language Frontline speaks; use \"en\" or \"fr\""
        );
    }

    #[test]
    fn bad_listen_address_names_its_source() {
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_LISTEN", "localhost")]),
        )
        .expect_err("not a socket address");
        assert_eq!(
            err.to_string(),
            "FRONTLINE_LISTEN = \"localhost\" is not a valid listen address; use host:port, for example 127.0.0.1:3000"
        );
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let parsed: Result<FileConfig, _> = toml::from_str("lisen = \"127.0.0.1:3000\"");
        assert!(parsed.is_err());
    }

    #[test]
    fn file_errors_name_the_line() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let path = dir.path().join("frontline.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:3000\"\ndata_dir = 7\n").expect("write");
        let err = Config::load(Some(&path), |_| None).expect_err("data_dir is not a path");
        assert!(
            err.to_string()
                .ends_with("is not valid: line 2: invalid type: integer `7`, expected path string"),
            "{err}"
        );
    }

    #[test]
    fn unknown_log_format_is_refused() {
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_LOG_FORMAT", "xml")]),
        )
        .expect_err("xml is not a format");
        assert!(err.to_string().contains("\"xml\" is not supported"));
    }

    #[test]
    fn business_hours_make_a_calendar_in_the_named_zone() {
        let file: FileConfig = toml::from_str(
            "[business_hours]\ntime_zone = \"Europe/Berlin\"\nopen = \"09:00\"\nclose = \"17:30\"\n\
             days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nholidays = [\"2026-12-25\"]\n",
        )
        .expect("valid toml");
        let config = Config::resolve(file, env_of(&[])).expect("valid config");
        let Calendar::Business(hours) = &config.rules.calendar else {
            panic!("expected business hours");
        };
        assert_eq!(hours.zone().name(), "Europe/Berlin");
        // Friday 2026-12-25 is a holiday: 09:00 Thursday + 9 h lands on Monday 09:30 (08:30 UTC).
        let thursday_9_utc = parse_date("2026-12-24").expect("date") * 86_400_000 + 8 * 3_600_000;
        let due = config
            .rules
            .calendar
            .add_working_ms(thursday_9_utc, 9 * 3_600_000);
        assert_eq!(
            due,
            parse_date("2026-12-28").expect("date") * 86_400_000 + 8 * 3_600_000 + 1_800_000
        );
        assert_eq!(
            Config::resolve(FileConfig::default(), env_of(&[]))
                .expect("defaults")
                .rules
                .calendar,
            Calendar::Always
        );
    }

    #[test]
    fn bad_business_hours_say_what_is_wrong() {
        let cases = [
            ("time_zone = \"Europe/Atlantis\"\nopen = \"09:00\"\nclose = \"17:00\"\ndays = [\"mon\"]",
             "[business_hours] \"Europe/Atlantis\" is not a time zone this server knows (use a name such as Europe/Berlin)."),
            ("time_zone = \"UTC\"\nopen = \"9am\"\nclose = \"17:00\"\ndays = [\"mon\"]",
             "[business_hours] open = \"9am\" is not a time like \"09:00\""),
            ("time_zone = \"UTC\"\nopen = \"09:00\"\nclose = \"17:00\"\ndays = [\"someday\"]",
             "[business_hours] days: \"someday\" is not a day of the week (mon … sun)"),
            ("time_zone = \"UTC\"\nopen = \"18:00\"\nclose = \"17:00\"\ndays = [\"mon\"]",
             "[business_hours] Opening time must be before closing time, within one day."),
            ("time_zone = \"UTC\"\nopen = \"09:00\"\nclose = \"17:00\"\ndays = [\"mon\"]\nholidays = [\"2026-02-30\"]",
             "[business_hours] \"2026-02-30\" is not a date in the form YYYY-MM-DD."),
        ];
        for (body, message) in cases {
            let file: FileConfig =
                toml::from_str(&format!("[business_hours]\n{body}\n")).expect("valid toml");
            let err = Config::resolve(file, env_of(&[])).expect_err(body);
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn sla_targets_and_the_matrix_can_be_changed() {
        let file: FileConfig = toml::from_str(
            "[sla_targets]\nP1 = \"10m / 2h\"\nP3 = \"1h30m / 1d\"\n\
             [priority_matrix]\nhigh = [\"P1\", \"P1\", \"P2\"]\nmedium = [\"P2\", \"P3\", \"P4\"]\nlow = [\"P3\", \"P4\", \"P5\"]\n",
        )
        .expect("valid toml");
        let rules = Config::resolve(file, env_of(&[]))
            .expect("valid config")
            .rules;
        let p1 = rules.policy.target(Priority::P1);
        assert_eq!(
            (p1.first_response_minutes, p1.resolution_minutes),
            (10, 120)
        );
        let p3 = rules.policy.target(Priority::P3);
        assert_eq!(
            (p3.first_response_minutes, p3.resolution_minutes),
            (90, 24 * 60)
        );
        // Unnamed priorities keep their defaults.
        assert_eq!(
            rules.policy.target(Priority::P5).resolution_minutes,
            72 * 60
        );
        assert_eq!(
            rules.matrix.priority(Impact::High, Urgency::Medium),
            Priority::P1
        );
    }

    #[test]
    fn bad_targets_and_matrices_say_what_is_wrong() {
        let cases = [
            ("[sla_targets]\nP1 = \"soon\"", "[sla_targets] P1 = \"soon\": write the first response and the resolution target like \"15m / 4h\""),
            ("[sla_targets]\nP6 = \"1h / 2h\"", "[sla_targets] P6 is not a priority (P1 … P5)"),
            ("[sla_targets]\nP2 = \"1h / 30m\"", "[sla_targets] P2 high: the first response must be due no later than the resolution."),
            ("[sla_targets]\nP4 = \"2h / 20h\"", "[sla_targets] P3 medium must not have a longer resolution target than P4 low."),
            ("[priority_matrix]\nhigh = [\"P1\", \"P2\"]\nmedium = [\"P2\", \"P3\", \"P4\"]\nlow = [\"P3\", \"P4\", \"P5\"]",
             "[priority_matrix] high needs three priorities, for high, medium and low urgency"),
            ("[priority_matrix]\nhigh = [\"P3\", \"P2\", \"P3\"]\nmedium = [\"P2\", \"P3\", \"P4\"]\nlow = [\"P3\", \"P4\", \"P5\"]",
             "[priority_matrix] raising urgency from medium to high would lower the priority from P2 high to P3 medium; a more serious or more urgent incident can never get a lower priority"),
        ];
        for (text, message) in cases {
            let file: FileConfig = toml::from_str(text).expect("valid toml");
            let err = Config::resolve(file, env_of(&[])).expect_err(text);
            assert_eq!(err.to_string(), message);
        }
    }

    #[test]
    fn public_url_sets_the_origin_and_secure_cookies() {
        let config = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_PUBLIC_URL", "https://Desk.example.org/")]),
        )
        .expect("valid");
        assert_eq!(
            config.sessions.public_origin.as_deref(),
            Some("https://desk.example.org")
        );
        assert!(config.sessions.secure_cookies());
        assert!(!Sessions::default().secure_cookies());
        for bad in [
            "desk.example.org",
            "https://desk.example.org/app",
            "ftp://x.org",
        ] {
            let err = Config::resolve(
                FileConfig::default(),
                env_of(&[("FRONTLINE_PUBLIC_URL", bad)]),
            )
            .expect_err("refused");
            assert!(err.to_string().contains("FRONTLINE_PUBLIC_URL"), "{err}");
        }
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_SESSION_IDLE_MINUTES", "0")]),
        )
        .expect_err("refused");
        assert!(err.to_string().contains("FRONTLINE_SESSION_IDLE_MINUTES"));
    }

    #[test]
    fn the_auto_close_grace_period_is_three_days_unless_set() {
        let config = Config::resolve(FileConfig::default(), env_of(&[])).expect("defaults");
        assert_eq!(config.auto_close_hours, 72);
        assert_eq!(config.sla_watch_seconds, 60);
        let config = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_AUTO_CLOSE_HOURS", "24")]),
        )
        .expect("valid");
        assert_eq!(config.auto_close_hours, 24);
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_AUTO_CLOSE_HOURS", "soon")]),
        )
        .expect_err("refused");
        assert_eq!(
            err.to_string(),
            "FRONTLINE_AUTO_CLOSE_HOURS = \"soon\" is not a whole number of at least 1"
        );
    }

    #[test]
    fn trusted_proxies_are_addresses() {
        let file: FileConfig =
            toml::from_str("trusted_proxies = [\"127.0.0.1\", \"::1\"]\n").expect("valid toml");
        let config = Config::resolve(file, env_of(&[])).expect("valid");
        assert_eq!(config.sessions.trusted_proxies.len(), 2);
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_TRUSTED_PROXIES", "10.0.0.2, proxy.local")]),
        )
        .expect_err("refused");
        assert!(
            err.to_string().contains("FRONTLINE_TRUSTED_PROXIES"),
            "{err}"
        );
    }

    #[test]
    fn allowed_hosts_are_bare_names_in_lower_case() {
        let file: FileConfig =
            toml::from_str("allowed_hosts = [\"Desk.Example.org\", \"10.0.0.5\", \"::1\"]\n")
                .expect("valid toml");
        let config = Config::resolve(file, env_of(&[])).expect("valid");
        assert_eq!(
            config.sessions.allowed_hosts,
            ["desk.example.org", "10.0.0.5", "[::1]"]
        );
        for bad in [
            "https://desk.example.org",
            "desk.example.org:8080",
            "desk/x",
        ] {
            let err = Config::resolve(
                FileConfig::default(),
                env_of(&[("FRONTLINE_ALLOWED_HOSTS", bad)]),
            )
            .expect_err(bad);
            assert!(err.to_string().contains("FRONTLINE_ALLOWED_HOSTS"), "{err}");
        }
    }

    #[test]
    fn limits_have_defaults_and_settings() {
        let config = Config::resolve(FileConfig::default(), env_of(&[])).expect("defaults");
        assert_eq!(config.limits, Limits::default());
        let file: FileConfig = toml::from_str(
            "header_timeout_seconds = 5\nrequest_timeout_seconds = 60\n\
             max_streams_per_session = 3\nmax_streams_per_address = 30\n",
        )
        .expect("valid toml");
        let config = Config::resolve(file, env_of(&[("FRONTLINE_MAX_STREAMS_PER_ADDRESS", "40")]))
            .expect("valid");
        assert_eq!(
            config.limits,
            Limits {
                header_timeout: Duration::from_secs(5),
                request_timeout: Duration::from_secs(60),
                streams_per_session: 3,
                streams_per_address: 40,
            }
        );
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_HEADER_TIMEOUT_SECONDS", "0")]),
        )
        .expect_err("refused");
        assert!(err.to_string().contains("FRONTLINE_HEADER_TIMEOUT_SECONDS"));
    }

    #[test]
    fn empty_database_url_is_refused() {
        let err = Config::resolve(
            FileConfig::default(),
            env_of(&[("FRONTLINE_DATABASE_URL", " ")]),
        )
        .expect_err("empty url");
        assert_eq!(err.to_string(), "FRONTLINE_DATABASE_URL must not be empty");
    }
}
