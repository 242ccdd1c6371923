//! The server under test as a child process: started on its own data
//! directory (and, if asked, its own PostgreSQL database), watched for
//! memory, and stopped whatever happens.

use std::{
    fs,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use sqlx::{Connection, Executor, PgConnection};
use tokio::{sync::watch, time::sleep};

use crate::http::request_from;

/// How the child server is started: its binary, data directory and address.
pub struct ServerEnvironment<'a> {
    pub binary: &'a Path,
    pub dir: &'a Path,
    pub listen: &'a str,
    pub database_url: Option<&'a str>,
}

impl ServerEnvironment<'_> {
    pub fn command(&self) -> Command {
        let mut command = Command::new(self.binary);
        // Only our settings: a FRONTLINE_* variable or a frontline.toml from
        // the caller's shell must not change what is measured.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("FRONTLINE_") {
                command.env_remove(key);
            }
        }
        let site = fs::canonicalize("target/site").unwrap_or_else(|_| self.dir.join("site"));
        command
            .current_dir(self.dir)
            .env("FRONTLINE_LISTEN", self.listen)
            .env("FRONTLINE_DATA_DIR", self.dir)
            .env("FRONTLINE_SITE_ROOT", site)
            // Every board connects from this machine over a handful of
            // sessions: lift the stream caps that guard a real desk.
            .env("FRONTLINE_MAX_STREAMS_PER_SESSION", "1000000")
            .env("FRONTLINE_MAX_STREAMS_PER_ADDRESS", "1000000")
            .stdin(Stdio::null());
        if let Some(url) = self.database_url {
            command.env("FRONTLINE_DATABASE_URL", url);
        }
        command
    }

    pub async fn fill_with_demo_data(&self, size: u64) -> Result<(), String> {
        let mut command = self.command();
        command.args(["demo-data", "--size", &size.to_string()]);
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .map_err(|e| format!("demo-data did not finish: {e}"))?
            .map_err(|e| format!("cannot run demo-data: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "demo-data failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    pub fn start(&self) -> Result<RunningServer, String> {
        let log_path = self.dir.join("server.log");
        let log = fs::File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let log_err = log
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log_path.display()))?;
        let child = self
            .command()
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.binary.display()))?;
        Ok(RunningServer {
            pid: child.id(),
            child,
            log_path,
        })
    }
}

/// The child process; stopped when dropped, so no error path leaves it behind.
pub struct RunningServer {
    pub pid: u32,
    pub child: Child,
    pub log_path: PathBuf,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct MemorySample {
    pub rss_kb: u64,
    pub hwm_kb: u64,
}

impl RunningServer {
    pub async fn wait_until_ready(&self, host: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(reply) = request_from(None, host, "GET", "/readyz", &[], b"").await {
                if reply.status == 200 {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the server did not become ready within 60 s; see {}",
                    self.log_path.display()
                ));
            }
            if !Path::new(&format!("/proc/{}", self.pid)).exists() {
                let log = fs::read_to_string(&self.log_path).unwrap_or_default();
                return Err(format!("the server exited while starting:\n{log}"));
            }
            sleep(Duration::from_millis(100)).await;
        }
    }

    /// Resident memory now and its high-water mark, from /proc.
    pub fn memory(&self) -> Option<MemorySample> {
        memory_of(self.pid)
    }
}

pub fn memory_of(pid: u32) -> Option<MemorySample> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse::<u64>().ok())
    };
    Some(MemorySample {
        rss_kb: field("VmRSS:")?,
        hwm_kb: field("VmHWM:")?,
    })
}

/// Keeps the highest resident memory of `pid` in `peak`, read `every` so
/// often, until `stop` changes.
pub async fn sample_memory(
    pid: u32,
    every: Duration,
    peak: Arc<AtomicU64>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if let Some(sample) = memory_of(pid) {
            peak.fetch_max(sample.rss_kb, Ordering::Relaxed);
        }
        tokio::select! {
            _ = stop.changed() => return,
            () = sleep(every) => {}
        }
    }
}

/// User plus system CPU time of a process (`self` or a pid), in seconds.
pub fn cpu_seconds(process: &str) -> Option<f64> {
    let stat = fs::read_to_string(format!("/proc/{process}/stat")).ok()?;
    // The command name may contain spaces; the fields after it do not.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some((utime + stime) as f64 / 100.0)
}

pub fn warn_about_open_files(boards: usize) {
    let limit = fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("Max open files"))
                .and_then(|line| line.split_whitespace().nth(3))
                .and_then(|soft| soft.parse::<usize>().ok())
        });
    if let Some(limit) = limit {
        // The server inherits this limit and holds one socket per board too.
        if limit < boards + 256 {
            eprintln!(
                "loadgen: the open-file limit is {limit}, too low for {boards} boards; \
                 run `ulimit -n {}` first",
                (boards * 2 + 512).next_power_of_two()
            );
        }
    }
}

pub fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// The options of every benchmark that starts its own server.
#[derive(Debug, clap::Args)]
pub struct ServerFlags {
    /// The server binary
    #[arg(long, value_name = "PATH", default_value = "target/release/frontline")]
    pub binary: PathBuf,
    /// A PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres; a
    /// fresh database is created on it and dropped afterwards (default: SQLite
    /// in the temporary data directory)
    #[arg(long, value_name = "URL", value_parser = postgres_url)]
    pub database_url: Option<String>,
    /// Port for the server (default: a free one)
    #[arg(long, value_name = "P")]
    pub port: Option<u16>,
}

fn postgres_url(value: &str) -> Result<String, String> {
    if value.starts_with("postgres://") || value.starts_with("postgresql://") {
        Ok(value.to_owned())
    } else {
        Err("it must be a postgres:// URL".to_owned())
    }
}

/// A whole number above zero, `_` allowed between digits (`5_000`).
pub fn positive<T: TryFrom<u64>>(value: &str) -> Result<T, String> {
    value
        .replace('_', "")
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{value:?} is not a positive whole number in range"))
}

/// What one run of a benchmark that starts its own server works in: the
/// server binary, a scratch folder, and a database of its own on
/// PostgreSQL when it was given a server (SQLite in the folder otherwise).
pub struct Workspace {
    pub binary: PathBuf,
    pub dir: PathBuf,
    pub database: Option<FreshDatabase>,
}

impl Workspace {
    pub async fn prepare(name: &str, flags: &ServerFlags) -> Result<Self, String> {
        let binary = fs::canonicalize(&flags.binary).map_err(|e| {
            format!(
                "cannot find the server binary {} ({e}); build it with \
                 `cargo build --release -p server --bin frontline` or pass --binary",
                flags.binary.display()
            )
        })?;
        let dir = std::env::temp_dir().join(format!("frontline-{name}-{}", std::process::id()));
        // A leftover from an earlier run with the same pid holds nothing of value.
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let database = match &flags.database_url {
            Some(admin_url) => match FreshDatabase::create(admin_url).await {
                Ok(database) => Some(database),
                Err(err) => {
                    let _ = fs::remove_dir_all(&dir);
                    return Err(err);
                }
            },
            None => None,
        };
        Ok(Self {
            binary,
            dir,
            database,
        })
    }

    /// The server's settings for listening on `host` in this workspace.
    pub fn server<'a>(&'a self, host: &'a str) -> ServerEnvironment<'a> {
        ServerEnvironment {
            binary: &self.binary,
            dir: &self.dir,
            listen: host,
            database_url: self.database.as_ref().map(|d| d.url.as_str()),
        }
    }

    /// Drops the database, and the folder unless `keep` (then says where it is).
    pub async fn clean_up(self, keep: bool) {
        if let Some(database) = self.database {
            if let Err(err) = database.drop_it().await {
                eprintln!("{err}");
            }
        }
        if keep {
            println!("kept {}", self.dir.display());
        } else {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// A database of its own on the given PostgreSQL server, dropped afterwards.
pub struct FreshDatabase {
    pub admin_url: String,
    pub name: String,
    pub url: String,
}

impl FreshDatabase {
    pub async fn create(admin_url: &str) -> Result<Self, String> {
        let name = format!("frontline_loadgen_{}", std::process::id());
        let mut admin = PgConnection::connect(admin_url)
            .await
            .map_err(|e| format!("cannot connect to {admin_url}: {e}"))?;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .map_err(|e| format!("cannot drop an old {name}: {e}"))?;
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .map_err(|e| format!("cannot create database {name}: {e}"))?;
        let _ = admin.close().await;
        // Same server and credentials, our database: replace the path.
        let (base, query) = match admin_url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (admin_url, String::new()),
        };
        let authority_end = base
            .strip_prefix("postgres://")
            .and_then(|rest| rest.find('/'))
            .map_or(base.len(), |i| i + "postgres://".len());
        let url = format!("{}/{name}{query}", &base[..authority_end]);
        Ok(Self {
            admin_url: admin_url.to_owned(),
            name,
            url,
        })
    }

    pub async fn drop_it(self) -> Result<(), String> {
        let mut admin = PgConnection::connect(&self.admin_url)
            .await
            .map_err(|e| format!("cannot connect to drop {}: {e}", self.name))?;
        admin
            .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .map_err(|e| format!("cannot drop database {}: {e}", self.name))?;
        let _ = admin.close().await;
        Ok(())
    }
}
