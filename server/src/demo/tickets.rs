//! Demo tickets: drawn from templates, each history made of the domain's
//! own decisions.

use domain::{
    change::{self, Acting, Change, Event, Found, Rules},
    incident::{IncidentTitle, NewIncident},
    kind::Kind,
    lifecycle::{Actor, Transition},
    person::{Contact, Person},
    priority::{Impact, Urgency},
    sla::StateChange,
    tier::Tier,
};

use storage::ImportedTicket;

use super::{directory::TEAMS, Directory};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// (category path, service, kind, title, description, resolution)
type Template = (
    &'static str,
    &'static str,
    Kind,
    &'static str,
    &'static str,
    &'static str,
);

const TEMPLATES: &[Template] = &[
    ("Network › VPN", "VPN", Kind::Incident, "VPN disconnects every few minutes",
     "The VPN client drops the connection roughly every ten minutes when working from home.",
     "Replaced the expired VPN client certificate and updated the client profile."),
    ("Network › VPN", "VPN", Kind::Incident, "Cannot connect to VPN: authentication failed",
     "The VPN client says authentication failed although the password works elsewhere.",
     "Account was locked in the RADIUS server after repeated attempts; unlocked it."),
    ("Network › Wi-Fi", "Office Wi-Fi", Kind::Incident, "Wi-Fi very slow on floor {n}",
     "Pages take a long time to load on the office Wi-Fi in the east wing.",
     "An access point had fallen back to 2.4 GHz; rebooted it and moved the channel."),
    ("Network › Wired", "Office network", Kind::Incident, "Network port in meeting room {n} is dead",
     "Laptops plugged into the wall port get no network.",
     "Patched the port to the switch again; it had been disconnected during cabling work."),
    ("Email › Outlook", "Email", Kind::Incident, "Outlook keeps asking for my password",
     "Outlook prompts for credentials every few minutes since this morning.",
     "Cleared the cached credentials and re-created the Outlook profile."),
    ("Email › Mobile mail", "Email", Kind::Incident, "Email is not syncing on my phone",
     "New messages no longer arrive in the mail app on my phone.",
     "Removed and re-added the account after the password change."),
    ("Email › Shared mailboxes", "Email", Kind::ServiceRequest, "Access to the {team} shared mailbox",
     "I joined the {team} team and need access to its shared mailbox.",
     "Added the user to the mailbox's access group."),
    ("Hardware › Laptop", "Laptop", Kind::Incident, "Laptop does not start after update",
     "The laptop shows a black screen after last night's update.",
     "Rolled back the graphics driver from the recovery environment."),
    ("Hardware › Laptop", "Laptop", Kind::ServiceRequest, "New laptop for a new starter in {team}",
     "A new colleague starts on Monday and needs a standard laptop.",
     "Prepared and handed over a standard laptop with the base image."),
    ("Hardware › Printer", "Printing", Kind::Incident, "Printer on floor {n} jams on every job",
     "The shared printer jams on every print job, even single pages.",
     "Replaced the worn pickup roller."),
    ("Hardware › Phone", "Desk phones", Kind::Incident, "Desk phone shows no dial tone",
     "The desk phone is on but there is no dial tone.",
     "Re-provisioned the phone on the call manager."),
    ("Hardware › Monitor", "Workstation", Kind::ServiceRequest, "Second monitor for my desk",
     "I would like a second monitor for spreadsheet work.",
     "Delivered and connected a second monitor."),
    ("Accounts › Password reset", "Directory", Kind::ServiceRequest, "Password reset for the ERP",
     "I forgot my ERP password and the self-service reset does not send the email.",
     "Reset the password and corrected the recovery email address."),
    ("Accounts › Access request", "File shares", Kind::ServiceRequest, "Access to the {team} project folder",
     "I need read and write access to the {team} project folder.",
     "Granted access through the folder's owner group after the manager approved."),
    ("Accounts › MFA", "Directory", Kind::Incident, "MFA codes are rejected",
     "The authenticator codes are always rejected at sign-in.",
     "The phone clock was wrong; enabled automatic time and re-registered the authenticator."),
    ("Software › Office", "Office suite", Kind::Incident, "Excel crashes when opening large files",
     "Excel closes without a message when opening the monthly report.",
     "Disabled a faulty add-in and repaired the Office installation."),
    ("Software › ERP", "ERP", Kind::Incident, "ERP invoice screen times out",
     "Posting invoices in the ERP fails with a timeout since this morning.",
     "A long-running report locked the invoice table; stopped it and rescheduled it for the night."),
    ("Software › Browser", "Intranet", Kind::Incident, "Intranet pages show a certificate warning",
     "The browser warns that the intranet's certificate is not trusted.",
     "Renewed the intranet certificate and deployed the new chain."),
    ("Software › Installation", "Workstation", Kind::ServiceRequest, "Install the statistics package",
     "Please install the statistics package for the {team} analysts.",
     "Installed the package from the software catalogue."),
    ("Security › Phishing", "Email", Kind::Incident, "Suspicious email asking to confirm my password",
     "I received an email that looks like our sign-in page asking to confirm my password. I did not click.",
     "Blocked the sender and the link, purged the message from all mailboxes."),
    ("Security › Lost device", "Laptop", Kind::SecurityIncident, "Laptop lost on the train",
     "My work laptop was left on the train this morning; it has customer files on it.",
     "Remote-wiped the device; disk encryption was confirmed active. No notification needed."),
    ("Security › Data breach", "CRM", Kind::SecurityIncident, "Customer list sent to the wrong recipient",
     "A spreadsheet with customer names and addresses was emailed to an external address by mistake.",
     "Recipient confirmed deletion in writing; risk assessed as low and recorded."),
];

/// Makes tickets one at a time, oldest first, ending at `now_ms`.
pub struct Generator<'a> {
    rng: fastrand::Rng,
    directory: &'a Directory,
    rules: Rules,
    now_ms: i64,
    total: u64,
    /// How far back the oldest ticket goes.
    span_ms: i64,
}

impl<'a> Generator<'a> {
    /// `total` tickets spread over a period that grows with their number
    /// (about 1,400 a day, the load of a large organisation, at least 30 days).
    pub fn new(directory: &'a Directory, rules: Rules, now_ms: i64, total: u64, seed: u64) -> Self {
        let days = (total / 1_400).max(30) as i64;
        Self {
            rng: fastrand::Rng::with_seed(seed),
            directory,
            rules,
            now_ms,
            total,
            span_ms: days * DAY,
        }
    }

    /// Ticket number `index` of `total`. About the newest 1 % stay open, in
    /// every state from new to pending; older ones were resolved and closed
    /// or cancelled.
    pub fn ticket(&mut self, index: u64) -> ImportedTicket {
        let remaining = self.total - index;
        let open = remaining * 100 <= self.total.max(100);
        let age = self.span_ms * remaining as i64 / self.total.max(1) as i64;
        let mut at = self.now_ms - age - self.rng.i64(0..HOUR);
        if open {
            // Open tickets are recent: within the last few hours to days.
            at = self.now_ms - self.rng.i64(5 * MINUTE..3 * DAY);
        }

        let template = TEMPLATES[self.rng.usize(..TEMPLATES.len())];
        let (path, service, kind, title, description, resolution) = template;
        let team = TEAMS[self.rng.usize(..TEAMS.len())];
        let floor = self.rng.u8(1..9).to_string();
        let fill = |text: &str| text.replace("{team}", team).replace("{n}", &floor);
        let reporter = &self.directory.reporters[self.rng.usize(..self.directory.reporters.len())];
        let (impact, urgency) = self.impact_and_urgency();
        let category = self
            .directory
            .categories
            .iter()
            .find(|c| c.path == path)
            .cloned();
        let new = NewIncident {
            kind,
            title: IncidentTitle::parse(&fill(title)).unwrap_or_else(|_| {
                IncidentTitle::parse("Problem reported").expect("a fixed valid title")
            }),
            description: fill(description),
            symptoms: String::new(),
            reporter: Contact {
                name: reporter.name.clone(),
                email: Some(reporter.email.clone()),
                phone: None,
            },
            reporter_id: Some(reporter.id),
            service: Some(service.to_owned()),
            category_id: category.as_ref().map(|c| c.id),
            impact,
            urgency,
            diagnosis: Vec::new(),
            started: None,
        };
        let by_reporter = Acting {
            person_id: Some(reporter.id),
            name: reporter.name.clone(),
            actor: Actor::Reporter,
        };
        let decision = change::report(&new, category, at, &self.rules);
        let mut ticket = History {
            incident: decision.incident,
            events: vec![(by_reporter.clone(), decision.event, at)],
            history: vec![StateChange {
                at_ms: at,
                state: domain::lifecycle::State::New,
            }],
            rules: &self.rules,
        };

        let stop = if open { self.rng.u8(0..5) } else { u8::MAX };
        let tier = ticket.incident.tier;
        let security = kind == Kind::SecurityIncident;
        let pick = |rng: &mut fastrand::Rng, tier: Tier| -> Option<Person> {
            let pool = self.directory.agents_at(tier, security);
            (!pool.is_empty()).then(|| pool[rng.usize(..pool.len())].clone())
        };
        let Some(mut agent) = pick(&mut self.rng, tier) else {
            return ticket.finish();
        };
        let now = self.now_ms;
        // Each step a few minutes to hours after the last, never in the future.
        let step = |rng: &mut fastrand::Rng, at: &mut i64, max_minutes: i64| {
            *at = (*at + rng.i64(1..max_minutes.max(2)) * MINUTE).min(now);
            *at
        };
        if stop == 0 {
            return ticket.finish();
        }
        if !open && self.rng.u8(..100) < 5 {
            let reason = "Duplicate of an earlier ticket.";
            let t = step(&mut self.rng, &mut at, 90);
            ticket.apply(
                Change::Move(Transition::Cancel {
                    reason: reason.to_owned(),
                }),
                &acting(&agent),
                t,
                None,
            );
            return ticket.finish();
        }
        let t = step(&mut self.rng, &mut at, 120);
        ticket.apply(
            Change::Assign {
                assignee_id: agent.id,
            },
            &acting(&agent),
            t,
            Some(&agent),
        );
        if stop == 1 {
            return ticket.finish();
        }
        // One in six L1 tickets needs the next tier.
        if ticket.incident.tier == Tier::L1 && self.rng.u8(..6) == 0 {
            let t = step(&mut self.rng, &mut at, 60);
            ticket.apply(
                Change::ChangeTier {
                    to: Tier::L2,
                    reason: "Needs technical support.".to_owned(),
                },
                &acting(&agent),
                t,
                None,
            );
            if let Some(l2) = pick(&mut self.rng, Tier::L2) {
                agent = l2;
                let t = step(&mut self.rng, &mut at, 60);
                ticket.apply(
                    Change::Assign {
                        assignee_id: agent.id,
                    },
                    &acting(&agent),
                    t,
                    Some(&agent),
                );
            }
        }
        let t = step(&mut self.rng, &mut at, 90);
        ticket.apply(
            Change::Move(Transition::StartWork),
            &acting(&agent),
            t,
            None,
        );
        if stop == 2 {
            return ticket.finish();
        }
        if self.rng.u8(..3) == 0 || stop == 3 {
            let t = step(&mut self.rng, &mut at, 60);
            ticket.apply(
                Change::Comment {
                    text: "Could you tell me when this started and send a screenshot?".to_owned(),
                    internal: false,
                },
                &acting(&agent),
                t,
                None,
            );
            let t = step(&mut self.rng, &mut at, 5);
            ticket.apply(
                Change::Move(Transition::AwaitReporter),
                &acting(&agent),
                t,
                None,
            );
            if stop == 3 {
                return ticket.finish();
            }
            let t = step(&mut self.rng, &mut at, 600);
            ticket.apply(
                Change::Comment {
                    text: "It started on Monday; screenshot attached.".to_owned(),
                    internal: false,
                },
                &by_reporter,
                t,
                None,
            );
            ticket.apply(Change::Move(Transition::Resume), &by_reporter, t, None);
        }
        if stop == 4 {
            let t = step(&mut self.rng, &mut at, 60);
            ticket.apply(
                Change::Comment {
                    text: "Checked the logs; waiting for the vendor.".to_owned(),
                    internal: true,
                },
                &acting(&agent),
                t,
                None,
            );
            return ticket.finish();
        }
        let t = step(&mut self.rng, &mut at, 8 * 60);
        ticket.apply(
            Change::Move(Transition::Resolve {
                note: resolution.to_owned(),
                code: Some(domain::resolution::ResolutionCode::Solved),
            }),
            &acting(&agent),
            t,
            None,
        );
        // Most reporters confirm; the rest close automatically after the grace period.
        if self.rng.u8(..4) == 0 {
            let grace_over = (t + 3 * DAY).min(now);
            ticket.apply(
                Change::Move(Transition::Close),
                &Acting::system(),
                grace_over,
                None,
            );
        } else {
            let t = step(&mut self.rng, &mut at, 24 * 60);
            ticket.apply(Change::Move(Transition::Close), &by_reporter, t, None);
        }
        ticket.finish()
    }

    fn impact_and_urgency(&mut self) -> (Impact, Urgency) {
        // Most tickets touch one person (low or medium impact); few are urgent.
        let impact = match self.rng.u8(..100) {
            0..=4 => Impact::High,
            5..=44 => Impact::Medium,
            _ => Impact::Low,
        };
        let urgency = match self.rng.u8(..100) {
            0..=9 => Urgency::High,
            10..=59 => Urgency::Medium,
            _ => Urgency::Low,
        };
        (impact, urgency)
    }
}

fn acting(person: &Person) -> Acting {
    Acting {
        person_id: Some(person.id),
        name: person.name.clone(),
        actor: person.role.actor(),
    }
}

/// A ticket being built through the domain's decisions.
struct History<'r> {
    incident: domain::incident::Incident,
    events: Vec<(Acting, Event, i64)>,
    history: Vec<StateChange>,
    rules: &'r Rules,
}

impl History<'_> {
    /// Applies a change the way storage would; a refusal (which the script
    /// above should never cause) leaves the ticket as it was.
    fn apply(&mut self, change: Change, by: &Acting, at_ms: i64, assignee: Option<&Person>) {
        let found = Found {
            assignee: assignee.cloned(),
            ..Found::default()
        };
        if let Ok(decision) = change::decide(
            &self.incident,
            &change,
            by,
            &found,
            &self.history,
            at_ms,
            self.rules,
        ) {
            if let Some(state) = decision.event.entered_state() {
                self.history.push(StateChange { at_ms, state });
            }
            self.incident = decision.incident;
            self.events.push((by.clone(), decision.event, at_ms));
        }
    }

    fn finish(self) -> ImportedTicket {
        ImportedTicket {
            incident: self.incident,
            events: self.events,
        }
    }
}
