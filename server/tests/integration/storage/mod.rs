//! The storage suite: every test runs on an SQLite file and on PostgreSQL.

mod attempts;
mod conflicts;
mod demo;
mod events;
mod lifecycle;
mod migrations;
mod portal;
mod records;
mod search;
mod sla;

use app::{
    domain::{
        change::Acting,
        incident::{IncidentTitle, Kind, NewIncident},
        lifecycle::Actor,
        person::{Contact, Person, Role},
        priority::{Impact, Urgency},
        tier::Tier,
    },
    storage::{NewPerson, Store},
};

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
