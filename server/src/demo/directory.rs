//! The demo directory: agents at every tier (with a security team), an
//! admin, reporters, tier leads, and the category tree.

use domain::{
    incident::CategoryRef,
    person::{Contact, Person, Role},
    tier::Tier,
};

use storage::{NewPerson, StorageError, Store};

/// The demo category tree: top level, then children.
const CATEGORIES: &[(&str, &[&str])] = &[
    ("Network", &["VPN", "Wi-Fi", "Wired"]),
    ("Email", &["Outlook", "Mobile mail", "Shared mailboxes"]),
    ("Hardware", &["Laptop", "Printer", "Phone", "Monitor"]),
    ("Accounts", &["Password reset", "Access request", "MFA"]),
    ("Software", &["Office", "ERP", "Browser", "Installation"]),
    ("Security", &["Phishing", "Lost device", "Data breach"]),
];

pub(super) const TEAMS: &[&str] = &[
    "Finance",
    "Sales",
    "Marketing",
    "Legal",
    "Logistics",
    "HR",
    "Research",
];
const FIRST: &[&str] = &[
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Linus",
    "Radia",
    "Tim",
    "Hedy",
    "John",
    "Katherine",
    "Dennis",
    "Sophie",
    "Niklaus",
    "Anita",
    "Vint",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Torvalds",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "Backus",
    "Johnson",
    "Ritchie",
    "Wilson",
    "Wirth",
    "Borg",
    "Cerf",
];

/// The people and categories tickets are drawn from.
pub struct Directory {
    /// By tier (L1, L2, L3), then: everyone at that tier, its security team.
    agents: [[Vec<Person>; 2]; 3],
    pub(super) reporters: Vec<Person>,
    pub(super) categories: Vec<CategoryRef>,
}

impl Directory {
    /// Sorted once: the generator picks an agent for most of a million tickets.
    fn sort_agents(agents: &[Person]) -> [[Vec<Person>; 2]; 3] {
        Tier::ALL.map(|tier| {
            [false, true].map(|security| {
                agents
                    .iter()
                    .filter(|p| {
                        p.role.tier() == Some(tier) && (!security || p.role.in_security_team())
                    })
                    .cloned()
                    .collect()
            })
        })
    }

    pub(super) fn agents_at(&self, tier: Tier, security: bool) -> &[Person] {
        &self.agents[tier as usize][usize::from(security)]
    }
}

/// The password of every demo account (README lists them).
pub const DEMO_PASSWORD: &str = "frontline-demo";

/// One account of each role that can sign in, by index among the people
/// `seed_directory` adds (agents first: 8 at L1, 5 at L2, 4 at L3 of whom
/// the first two are in the security team; then the admin; then reporters).
pub const DEMO_ACCOUNTS: [(usize, &str); 7] = [
    (0, "l1.agent@example.org"),
    (8, "l2.agent@example.org"),
    (15, "l3.agent@example.org"),
    (13, "security@example.org"),
    (17, "admin@example.org"),
    (18, "reporter@example.org"),
    (19, "reporter2@example.org"),
];

/// Who leads each tier in the demo, by index as in [`DEMO_ACCOUNTS`].
pub const DEMO_LEADS: [(Tier, usize); 3] = [(Tier::L1, 0), (Tier::L2, 8), (Tier::L3, 13)];

/// Adds the demo people and category tree. `now_ms` stamps them.
pub async fn seed_directory(store: &Store, now_ms: i64) -> Result<Directory, StorageError> {
    let demo_hash = app::auth::password::hash(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| StorageError::Invalid(e.to_string()))?;
    let mut agents = Vec::new();
    let mut reporters = Vec::new();
    let staff = [(Tier::L1, 8), (Tier::L2, 5), (Tier::L3, 4)];
    let mut n = 0usize;
    let mut next_name = || {
        n += 1;
        let first = FIRST[n % FIRST.len()];
        let last = LAST[(n * 7 + n / FIRST.len()) % LAST.len()];
        let demo = DEMO_ACCOUNTS.iter().find(|(index, _)| *index == n - 1);
        (
            format!("{first} {last}"),
            match demo {
                Some((_, email)) => (*email).to_owned(),
                None => format!(
                    "{}.{}{n}@example.org",
                    first.to_lowercase(),
                    last.to_lowercase()
                ),
            },
            demo.map(|_| demo_hash.clone()),
        )
    };
    for (tier, count) in staff {
        for i in 0..count {
            let (name, email, password) = next_name();
            let role = Role::Agent {
                tier,
                // Two of the specialists handle security incidents.
                security_team: tier == Tier::L3 && i < 2,
            };
            agents.push(add(store, &name, &email, password.as_deref(), role, now_ms).await?);
        }
    }
    // Each tier's lead hears of missed first responses: the L1 and L2 demo
    // agents, and for L3 the security specialist (who may see every ticket).
    for (tier, index) in DEMO_LEADS {
        store
            .set_tier_lead(tier, Some(agents[index].id), now_ms)
            .await?;
    }
    let (name, email, password) = next_name();
    add(
        store,
        &name,
        &email,
        password.as_deref(),
        Role::Admin,
        now_ms,
    )
    .await?;
    for _ in 0..60 {
        let (name, email, password) = next_name();
        reporters.push(
            add(
                store,
                &name,
                &email,
                password.as_deref(),
                Role::Reporter,
                now_ms,
            )
            .await?,
        );
    }
    let mut categories = Vec::new();
    for (top, children) in CATEGORIES {
        let parent = store.add_category(None, top).await?;
        for child in *children {
            let c = store.add_category(Some(parent.id), child).await?;
            categories.push(CategoryRef {
                id: c.id,
                path: c.path,
            });
        }
    }
    Ok(Directory {
        agents: Directory::sort_agents(&agents),
        reporters,
        categories,
    })
}

async fn add(
    store: &Store,
    name: &str,
    email: &str,
    password_hash: Option<&str>,
    role: Role,
    now_ms: i64,
) -> Result<Person, StorageError> {
    let contact =
        Contact::new(name, email, "").map_err(|e| StorageError::Invalid(e.to_string()))?;
    let person = NewPerson { contact, role };
    match password_hash {
        Some(hash) => store.add_account(&person, hash, now_ms).await,
        None => store.add_person(&person, now_ms).await,
    }
}
