//! The real binary: start-up failures say what is wrong, and Ctrl-C loses no
//! acknowledged write.

use std::{
    net::TcpListener as StdListener,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use domain::access::Scope;
use tempfile::TempDir;

use crate::common::{post_form, send, session_cookie, TEST_PASSWORD};

const BINARY: &str = env!("CARGO_BIN_EXE_frontline");

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(super) fn frontline(dir: &TempDir) -> Command {
    let mut command = Command::new(BINARY);
    command
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("FRONTLINE_DATA_DIR", dir.path().join("data"))
        .env("FRONTLINE_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs the binary to completion, failing the test if it hangs.
fn run_to_exit(mut command: Command) -> Output {
    let child = command.spawn().expect("start frontline");
    let deadline = Instant::now() + Duration::from_secs(30);
    let pid = child.id();
    let waiter = std::thread::spawn(move || child.wait_with_output());
    while !waiter.is_finished() {
        if Instant::now() > deadline {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(pid.to_string())
                .status();
            panic!("frontline did not exit within 30 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    waiter
        .join()
        .expect("waiter thread")
        .expect("frontline output")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_port_in_use_is_named_in_a_clear_error() {
    let dir = TempDir::new().expect("temp dir");
    let taken = StdListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("address");
    let mut command = frontline(&dir);
    command.env("FRONTLINE_LISTEN", addr.to_string());
    let output = run_to_exit(command);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!(
            "cannot listen on {addr}: the address is already in use"
        )),
        "{stderr}"
    );
}

#[test]
fn an_unreachable_database_is_named_in_a_clear_error() {
    let dir = TempDir::new().expect("temp dir");
    let mut command = frontline(&dir);
    command
        .env("FRONTLINE_LISTEN", format!("127.0.0.1:{}", free_port()))
        .env(
            "FRONTLINE_DATABASE_URL",
            format!(
                "postgres://desk:hunter2@127.0.0.1:{}/frontline",
                free_port()
            ),
        );
    let output = run_to_exit(command);
    assert!(!output.status.success());
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("cannot use the database postgres://desk:***@127.0.0.1:"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
}

#[test]
fn bad_settings_are_refused_before_anything_starts() {
    let dir = TempDir::new().expect("temp dir");
    let mut command = frontline(&dir);
    command.env("FRONTLINE_LISTEN", "everywhere");
    let output = run_to_exit(command);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output)
            .contains("FRONTLINE_LISTEN = \"everywhere\" is not a valid listen address"),
        "{}",
        stderr_of(&output)
    );

    std::fs::write(dir.path().join("frontline.toml"), "database_url = 42\n").expect("write config");
    let output = run_to_exit(frontline(&dir));
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains(
            "the configuration file frontline.toml is not valid: line 1: invalid type: integer `42`, expected a string"
        ),
        "{}",
        stderr_of(&output)
    );

    std::fs::remove_file(dir.path().join("frontline.toml")).expect("remove config");
    let mut command = frontline(&dir);
    command.env("FRONTLINE_DATABASE_URL", "mysql://root@localhost/desk");
    let output = run_to_exit(command);
    assert!(!output.status.success());
    assert!(
        stderr_of(&output).contains("must start with sqlite:// or postgres://"),
        "{}",
        stderr_of(&output)
    );
}

pub(super) struct Running {
    child: Child,
    pub(super) host: String,
}

impl Running {
    /// Sends a signal the way a terminal (INT) or a supervisor (TERM) would.
    fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([format!("-{name}"), pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{name} failed");
    }

    async fn wait(mut self) -> std::process::ExitStatus {
        tokio::task::spawn_blocking(move || self.child.wait())
            .await
            .expect("wait task")
            .expect("exit status")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Starts the binary with its log in `<dir>/frontline.log`, and waits for /readyz.
pub(super) async fn start_and_wait_ready(dir: &TempDir, extra_env: &[(&str, &str)]) -> Running {
    let port = free_port();
    let mut command = frontline(dir);
    let log = std::fs::File::create(dir.path().join("frontline.log")).expect("log file");
    command
        .env("FRONTLINE_LISTEN", format!("127.0.0.1:{port}"))
        .envs(extra_env.iter().copied())
        .stdout(log)
        .stderr(Stdio::null());
    let child = command.spawn().expect("start frontline");
    let running = Running {
        child,
        host: format!("127.0.0.1:{port}"),
    };
    for _ in 0..300 {
        if let Ok(response) = send(&running.host, "GET", "/readyz", &[], b"").await {
            if response.status() == 200 {
                return running;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("frontline did not become ready within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_finishes_writes_in_flight_and_exits_cleanly() {
    let dir = TempDir::new().expect("temp dir");
    // An account made with the command line, as an admin would on a new server.
    let mut add = frontline(&dir);
    add.args([
        "user",
        "add",
        "--name",
        "Dana Reyes",
        "--email",
        "dana@example.org",
        "--role",
        "agent",
        "--tier",
        "L1",
        "--password-stdin",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = add.spawn().expect("run frontline user add");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{TEST_PASSWORD}").expect("write the password");
    }
    let added = child.wait_with_output().expect("user add finishes");
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        String::from_utf8_lossy(&added.stdout)
            .contains("Added Dana Reyes <dana@example.org> as agent."),
        "{}",
        String::from_utf8_lossy(&added.stdout)
    );

    let running = start_and_wait_ready(&dir, &[]).await;
    assert!(
        dir.path().join("data").join("frontline.db").is_file(),
        "the data directory was created on first run"
    );
    let signed_in = post_form(
        &running.host,
        "/api/sign_in",
        &[("email", "dana@example.org"), ("password", TEST_PASSWORD)],
        None,
    )
    .await
    .expect("sign in");
    assert_eq!(signed_in.status(), 200, "{}", signed_in.text());
    let cookie = session_cookie(&signed_in).expect("a session cookie");

    // A burst of reports, with Ctrl-C (SIGINT) arriving as soon as the first is
    // acknowledged, while the others are still being handled.
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut writes = Vec::new();
    for n in 0..40 {
        let done = done_tx.clone();
        let host = running.host.clone();
        let cookie = cookie.clone();
        writes.push(tokio::spawn(async move {
            let title = format!("Outage report {n}");
            let response = post_form(
                &host,
                "/api/log_incident",
                &[
                    ("title", title.as_str()),
                    ("name", "Ada Lovelace"),
                    ("contact", "ada@example.org"),
                ],
                Some(&cookie),
            )
            .await;
            let acknowledged = match response {
                Ok(r) if r.status() == 200 => Some(r.json()),
                _ => None,
            };
            let _ = done.send(());
            acknowledged
        }));
    }
    done_rx.recv().await.expect("a first answer");
    running.signal("INT");

    let mut acknowledged = Vec::new();
    for write in writes {
        if let Some(body) = write.await.expect("request task") {
            acknowledged.push(body["reference"].as_str().expect("a reference").to_owned());
        }
    }
    assert!(
        !acknowledged.is_empty(),
        "no write was acknowledged before the stop"
    );

    assert!(running.wait().await.success(), "a clean shutdown exits 0");

    // Every write the server acknowledged is in the database after the stop.
    let url = format!(
        "sqlite://{}",
        dir.path().join("data").join("frontline.db").display()
    );
    let store = storage::connect(&url).await.expect("reopen the database");
    let stored: Vec<String> = store
        .recent_incidents(1_000, Scope::Everything)
        .await
        .expect("read back")
        .into_iter()
        .map(|i| i.reference)
        .collect();
    for reference in &acknowledged {
        assert!(
            stored.contains(reference),
            "{reference} was acknowledged but lost"
        );
    }
    store.close().await;
}

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    let dir = TempDir::new().expect("temp dir");
    let running = start_and_wait_ready(&dir, &[("FRONTLINE_LOG_FORMAT", "json")]).await;
    running.signal("TERM");
    assert!(
        running.wait().await.success(),
        "SIGTERM is a clean shutdown too"
    );

    let log = std::fs::read_to_string(dir.path().join("frontline.log")).expect("read log");
    let events: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let listening = events
        .iter()
        .find(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Frontline is listening on http://127.0.0.1:"))
        })
        .unwrap_or_else(|| panic!("no start-up event in {log}"));
    assert_eq!(listening["level"], "INFO");
    assert!(listening["database"]
        .as_str()
        .is_some_and(|d| d.starts_with("sqlite://")));
    assert!(!log.contains('\u{1b}'), "no terminal colours in a log file");
    assert!(events.iter().any(|e| e["message"] == "Frontline stopped"));
}

/// Runs `frontline user …` with `stdin` piped in; returns the output.
fn user_command(dir: &TempDir, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut command = frontline(dir);
    command.arg("user").args(args).stdin(Stdio::piped());
    let mut child = command.spawn().expect("run frontline user");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("frontline user finishes")
}

#[tokio::test]
async fn the_command_line_adds_accounts_and_resets_passwords() {
    let dir = TempDir::new().expect("temp dir");
    let added = user_command(
        &dir,
        &[
            "add",
            "--role",
            "admin",
            "--name",
            "Ada Admin",
            "--email",
            "ada@example.org",
        ],
        "",
    );
    assert!(added.status.success(), "{}", stderr_of(&added));
    let stdout = String::from_utf8_lossy(&added.stdout).into_owned();
    let generated = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once; they can change it under Account): "))
        .unwrap_or_else(|| panic!("no generated password in {stdout}"))
        .to_owned();
    assert_eq!(generated.chars().count(), 20);

    // Refusals say what is wrong and change nothing.
    let duplicate = user_command(
        &dir,
        &[
            "add",
            "--name",
            "Ada Again",
            "--email",
            "ADA@example.org",
            "--password-stdin",
        ],
        "another long password\n",
    );
    assert!(!duplicate.status.success());
    assert!(
        stderr_of(&duplicate)
            .contains("Someone with that email address is already in the directory."),
        "{}",
        stderr_of(&duplicate)
    );
    let no_tier = user_command(
        &dir,
        &[
            "add",
            "--role",
            "agent",
            "--name",
            "Lou",
            "--email",
            "lou@example.org",
        ],
        "",
    );
    assert!(
        stderr_of(&no_tier).contains("An agent needs a tier"),
        "{}",
        stderr_of(&no_tier)
    );
    let unknown = user_command(
        &dir,
        &[
            "set-password",
            "--email",
            "nobody@example.org",
            "--password-stdin",
        ],
        "a new long password\n",
    );
    assert!(!unknown.status.success());
    assert!(
        stderr_of(&unknown).contains("There is no account with the email nobody@example.org."),
        "{}",
        stderr_of(&unknown)
    );

    // A locked-out admin gets a new password.
    let reset = user_command(
        &dir,
        &[
            "set-password",
            "--email",
            "ada@example.org",
            "--password-stdin",
        ],
        "back in business again\n",
    );
    assert!(reset.status.success(), "{}", stderr_of(&reset));
    let url = format!(
        "sqlite://{}",
        dir.path().join("data").join("frontline.db").display()
    );
    let store = storage::connect(&url).await.expect("open the database");
    let hash = store
        .account_by_email("ada@example.org")
        .await
        .expect("lookup")
        .and_then(|a| a.password_hash)
        .expect("a password");
    assert!(app::auth::password::verify_blocking(
        "back in business again",
        &hash
    ));
    assert!(!app::auth::password::verify_blocking(&generated, &hash));
    store.close().await;
}

#[test]
fn the_command_line_exports_and_imports_guides() {
    let dir = TempDir::new().expect("temp dir");
    let mut export = frontline(&dir);
    export.args(["guides", "export"]);
    let exported = run_to_exit(export);
    assert!(exported.status.success(), "{}", stderr_of(&exported));
    let document = String::from_utf8_lossy(&exported.stdout).into_owned();
    let parsed = domain::guide::parse(&document).expect("the export is a valid document");
    assert!(parsed.guides.iter().any(|g| g.id == "security"));

    // An edited file becomes version 2.
    let file = dir.path().join("guides.json");
    std::fs::write(
        &file,
        document.replace("Network or VPN", "Internet, Wi-Fi or VPN"),
    )
    .expect("write");
    let mut import = frontline(&dir);
    import.args(["guides", "import"]).arg(&file);
    let imported = run_to_exit(import);
    assert!(imported.status.success(), "{}", stderr_of(&imported));
    assert!(String::from_utf8_lossy(&imported.stdout).contains("guide version 2"));

    // A broken one is refused with every problem named, and changes nothing.
    std::fs::write(
        &file,
        document.replace("\"start\": \"which\"", "\"start\": \"nowhere\""),
    )
    .expect("write");
    let mut import = frontline(&dir);
    import.args(["guides", "import"]).arg(&file);
    let refused = run_to_exit(import);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr_of(&refused).contains("starts at \"nowhere\", which is not one of its steps"),
        "{}",
        stderr_of(&refused)
    );
    let mut export = frontline(&dir);
    export.args(["guides", "export"]);
    let again = run_to_exit(export);
    assert!(String::from_utf8_lossy(&again.stdout).contains("Internet, Wi-Fi or VPN"));
}
