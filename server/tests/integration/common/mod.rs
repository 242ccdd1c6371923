use std::{net::SocketAddr, path::Path};

use server::{config::LogFormat, Config, StartError};
use storage::{self, Store};
use tempfile::TempDir;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub mod client;
// The storage suite's helpers (databases, staff, both-backends runner), shared as one file.
#[path = "../../../storage/tests/suite/common.rs"]
mod store;
mod visitor;

pub use store::*;

pub use visitor::{session_cookie, Visitor, TEST_PASSWORD};

pub use client::{form_encode, nested_form, send, send_as, send_chunked, HttpResponse};

/// The real app on a free port, with its own database.
pub struct TestApp {
    /// `127.0.0.1:port`
    pub host: String,
    pub store: Store,
    pub database_url: String,
    _dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), StartError>>>,
    postgres_db: Option<String>,
}

impl TestApp {
    pub async fn sqlite() -> Self {
        Self::sqlite_with(server::config::Sessions::default()).await
    }

    /// On SQLite, with these session settings.
    pub async fn sqlite_with(sessions: server::config::Sessions) -> Self {
        let dir = TempDir::new().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("frontline.db").display());
        Self::start_with(dir, url, None, |config| config.sessions = sessions).await
    }

    /// `None` only when PostgreSQL tests were skipped on purpose.
    pub async fn postgres() -> Option<Self> {
        Self::on_with(Db::Postgres, |_| {}).await
    }

    pub async fn on(db: Db) -> Option<Self> {
        Self::on_with(db, |_| {}).await
    }

    /// On `db`, with the test configuration changed by `tweak`.
    pub async fn on_with(db: Db, tweak: impl FnOnce(&mut Config)) -> Option<Self> {
        let (dir, url, postgres_db) = fresh_database(db).await?;
        Some(Self::start_with(dir, url, postgres_db, tweak).await)
    }

    /// Another server on this app's database, as a second instance behind a
    /// load balancer would be. Sessions live in the database, so a visitor's
    /// cookie works on both. Stopping it leaves the database to the first.
    pub async fn second_instance(&self) -> Self {
        let dir = TempDir::new().expect("temp dir");
        Self::start(dir, self.database_url.clone(), None).await
    }

    async fn start(dir: TempDir, database_url: String, postgres_db: Option<String>) -> Self {
        Self::start_with(dir, database_url, postgres_db, |_| {}).await
    }

    async fn start_with(
        dir: TempDir,
        database_url: String,
        postgres_db: Option<String>,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        let mut config = test_config(dir.path(), &database_url);
        tweak(&mut config);
        let store = storage::connect(&database_url)
            .await
            .expect("open the test database");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a free port");
        let addr: SocketAddr = listener.local_addr().expect("local address");
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn({
            let store = store.clone();
            async move {
                server::serve(listener, store, &config, async {
                    let _ = rx.await;
                })
                .await
            }
        });
        Self {
            host: addr.to_string(),
            store,
            database_url,
            _dir: dir,
            shutdown: Some(tx),
            task: Some(task),
            postgres_db,
        }
    }

    pub async fn get(&self, path: &str) -> HttpResponse {
        self.anonymous().get(path).await
    }

    /// The directory the app serves its site (and `/pkg`) from.
    pub fn site_root(&self) -> std::path::PathBuf {
        self._dir.path().join("site")
    }

    /// Calls a server function as an anonymous visitor, from our own origin.
    pub async fn call(&self, function: &str, form: &[(&str, &str)]) -> HttpResponse {
        self.anonymous().call(function, form).await
    }

    /// Stops the server gracefully and removes its PostgreSQL database, if any.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task")
                .expect("server stopped cleanly");
        }
        if let (Some(name), Some(admin)) = (self.postgres_db.take(), postgres_admin_url()) {
            drop_postgres_database(&admin, &name).await;
        }
    }
}

/// A url-encoded POST from the page's own origin, optionally with a session cookie.
pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
    host: &str,
    path: &str,
    form: &[(K, V)],
    cookie: Option<&str>,
) -> std::io::Result<HttpResponse> {
    let origin = format!("http://{host}");
    let mut headers = vec![
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Origin", origin.as_str()),
    ];
    if let Some(cookie) = cookie {
        headers.push(("Cookie", cookie));
    }
    send(host, "POST", path, &headers, form_encode(form).as_bytes()).await
}

pub fn test_config(dir: &Path, database_url: &str) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("socket address"),
        data_dir: dir.to_path_buf(),
        database_url: database_url.to_owned(),
        site_root: dir.join("site"),
        log_filter: "warn".to_owned(),
        log_format: LogFormat::Text,
        rules: Default::default(),
        sessions: Default::default(),
        auto_close_hours: server::config::DEFAULT_AUTO_CLOSE_HOURS,
        // Tests run the watcher themselves, at the moment they choose.
        sla_watch_seconds: 3_600,
        limits: Default::default(),
        default_language: words::Lang::En,
    }
}

/// Answers (by index) that lead from a guide's start to the first step
/// `wanted` accepts, trying answers in order.
pub fn walk_to(
    guide: &domain::guide::Guide,
    wanted: fn(&domain::guide::Node) -> bool,
) -> Option<Vec<usize>> {
    use domain::guide::Node;
    fn search(
        guide: &domain::guide::Guide,
        id: &str,
        wanted: fn(&Node) -> bool,
        path: &mut Vec<usize>,
    ) -> bool {
        let Some(node) = guide.nodes.get(id) else {
            return false;
        };
        if wanted(node) {
            return true;
        }
        if let Node::Question { answers, .. } = node {
            for (i, answer) in answers.iter().enumerate() {
                path.push(i);
                if search(guide, &answer.next, wanted, path) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = Vec::new();
    search(guide, &guide.start, wanted, &mut path).then_some(path)
}
