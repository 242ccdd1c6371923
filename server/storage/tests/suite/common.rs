//! What the storage suite's stories share: a store on its own SQLite file
//! or PostgreSQL database, the staff a story needs, and a runner that runs
//! each test on both backends. The server's integration tests include this
//! file too, so both suites build their databases the same way.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use domain::{
    change::Acting,
    incident::{IncidentTitle, NewIncident},
    kind::Kind,
    lifecycle::Actor,
    person::{Contact, Person, Role},
    priority::{Impact, Urgency},
    tier::Tier,
};
use sqlx::{Connection, Executor, PgConnection};
use tempfile::TempDir;

use storage::{NewPerson, Store};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests may create databases on. The README's test
/// command sets it; running the tests without it fails unless
/// `FRONTLINE_SKIP_POSTGRES=1` says so on purpose.
pub fn postgres_admin_url() -> Option<String> {
    if std::env::var("FRONTLINE_SKIP_POSTGRES").as_deref() == Ok("1") {
        eprintln!("PostgreSQL tests skipped because FRONTLINE_SKIP_POSTGRES=1");
        return None;
    }
    match std::env::var("FRONTLINE_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) => panic!(
            "FRONTLINE_TEST_POSTGRES_URL is not set: point it at a PostgreSQL server \
             (e.g. postgres://postgres@127.0.0.1:5432/postgres), or set FRONTLINE_SKIP_POSTGRES=1 \
             to skip the PostgreSQL tests on purpose"
        ),
    }
}

/// A fresh, uniquely named database on the test server; returns its URL and name.
pub async fn create_postgres_database(admin_url: &str) -> (String, String) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "frontline_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = PgConnection::connect(admin_url)
        .await
        .expect("connect to the PostgreSQL test server");
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
        .expect("drop a leftover test database");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    let base = admin_url
        .rsplit_once('/')
        .map(|(server, _)| server)
        .expect("the admin URL names a database");
    (format!("{base}/{name}"), name)
}

pub async fn drop_postgres_database(admin_url: &str, name: &str) {
    if let Ok(mut admin) = PgConnection::connect(admin_url).await {
        let _ = admin
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}

/// An empty database of its own: a file in a new temporary folder, or a
/// new PostgreSQL database (and its name, to drop it afterwards). `None`
/// only when PostgreSQL tests were skipped on purpose.
pub async fn fresh_database(db: Db) -> Option<(TempDir, String, Option<String>)> {
    let dir = TempDir::new().expect("temp dir");
    match db {
        Db::Sqlite => {
            let url = format!("sqlite://{}", dir.path().join("frontline.db").display());
            Some((dir, url, None))
        }
        Db::Postgres => {
            let admin = postgres_admin_url()?;
            let (url, name) = create_postgres_database(&admin).await;
            Some((dir, url, Some(name)))
        }
    }
}

/// A store on its own database, for the storage suite.
pub struct TestStore {
    pub store: Store,
    pub url: String,
    _dir: TempDir,
    postgres_db: Option<String>,
}

impl TestStore {
    /// `None` only when PostgreSQL tests were skipped on purpose.
    pub async fn on(db: Db) -> Option<Self> {
        let (dir, url, postgres_db) = fresh_database(db).await?;
        let store = storage::connect(&url)
            .await
            .expect("open the test database");
        Some(Self {
            store,
            url,
            _dir: dir,
            postgres_db,
        })
    }

    /// Closes the store and removes its PostgreSQL database, if any.
    pub async fn finish(self) {
        self.store.close().await;
        if let (Some(name), Some(admin)) = (self.postgres_db, postgres_admin_url()) {
            drop_postgres_database(&admin, &name).await;
        }
    }
}

/// Runs an async test body once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($body:ident) => {
        mod $body {
            use $crate::common::Db;

            #[tokio::test]
            async fn sqlite() {
                super::$body(Db::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$body(Db::Postgres).await;
            }
        }
    };
}

pub const T0: i64 = 1_790_000_000_000;
pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;

/// The people a story needs.
pub struct Staff {
    pub l1: Person,
    pub l2: Person,
    pub l3: Person,
    pub responder: Person,
    pub reporter: Person,
}

pub async fn staff(store: &Store) -> Staff {
    let add = |name: &'static str, email: &'static str, role: Role| {
        let store = store.clone();
        async move {
            let contact = Contact::new(name, email, "").expect("valid contact");
            store
                .add_person(&NewPerson { contact, role }, T0)
                .await
                .expect("person added")
        }
    };
    let agent = |tier, security_team| Role::Agent {
        tier,
        security_team,
    };
    Staff {
        l1: add("Dana Reyes", "dana@example.org", agent(Tier::L1, false)).await,
        l2: add("Sam Okafor", "sam@example.org", agent(Tier::L2, false)).await,
        l3: add("Lee Park", "lee@example.org", agent(Tier::L3, false)).await,
        responder: add("Kim Novak", "kim@example.org", agent(Tier::L3, true)).await,
        reporter: add("Ada Lovelace", "ada@example.org", Role::Reporter).await,
    }
}

pub fn acting(person: &Person) -> Acting {
    Acting {
        person_id: Some(person.id),
        name: person.name.clone(),
        actor: person.role.actor(),
    }
}

pub fn as_reporter(person: &Person) -> Acting {
    Acting {
        actor: Actor::Reporter,
        ..acting(person)
    }
}

pub fn new_incident(title: &str, description: &str) -> NewIncident {
    NewIncident {
        kind: Kind::Incident,
        title: IncidentTitle::parse(title).expect("valid title"),
        description: description.to_owned(),
        symptoms: String::new(),
        reporter: Contact::new("Ada Lovelace", "ada@example.org", "").expect("valid contact"),
        reporter_id: None,
        service: Some("VPN".to_owned()),
        category_id: None,
        impact: Impact::Medium,
        urgency: Urgency::Medium,
        diagnosis: Vec::new(),
        started: None,
    }
}
