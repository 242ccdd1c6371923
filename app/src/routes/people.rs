use leptos::prelude::*;

use domain::{
    account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS},
    escalation::check_lead,
    person::{Person, Role},
    tier::Tier,
};

use domain::models::{DirectoryEntry, TierLead};

use crate::{
    components::{error_notice, island_chunks, refreshed, signed_in},
    error::AppError,
    functions::{
        auth::{people, AddAccount},
        leads::{tier_leads, SetTierLead},
        wire::{load, Loaded},
    },
};

/// The directory is downloaded only by those who open it.
/// Admins add people who can sign in, and see who is in the directory.
#[component]
pub fn PeopleRoute() -> impl IntoView {
    let page = PeopleData::new();
    signed_in("People", move |person| {
        view! { <People person page/> }.into_any()
    })
    .into_any()
}

/// What the page loads (the server answers administrators only), made once
/// per page outside `signed_in`'s render.
#[derive(Clone, Copy)]
struct PeopleData {
    directory: Loaded<Result<Vec<DirectoryEntry>, AppError>>,
    leads: Loaded<Result<Vec<TierLead>, AppError>>,
}

impl PeopleData {
    fn new() -> Self {
        Self {
            directory: load(|| (), |_| people()),
            leads: load(|| (), |_| tier_leads()),
        }
    }
}

pub fn describe_role(role: Role, lang: words::Lang) -> String {
    use words::account;
    match role {
        Role::Reporter => account::reporter(lang).to_owned(),
        Role::Admin => account::administrator(lang).to_owned(),
        Role::Agent {
            tier,
            security_team,
        } => account::agent_role(lang, tier.code(), security_team),
    }
}

#[component]
fn People(person: Person, page: PeopleData) -> impl IntoView {
    if person.role != Role::Admin {
        return view! {
            <section class="panel narrow">
                <h1>"Not available"</h1>
                <p class="notice error" role="alert">"Only an administrator can manage people."</p>
            </section>
        }
        .into_any();
    }
    let PeopleData { directory, leads } = page;
    view! {
        <h1>"People"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (directory, leads) = (directory.await, leads.await);
                view! {
                    {island_chunks("directory")}
                    <Directory directory leads/>
                }
            })}
        </Transition>
    }
    .into_any()
}

/// The page in the browser: adding a person or choosing a lead loads the
/// lists again.
#[island(lazy)]
fn Directory(
    directory: Result<Vec<DirectoryEntry>, AppError>,
    leads: Result<Vec<TierLead>, AppError>,
) -> impl IntoView {
    let add = ServerAction::<AddAccount>::new();
    let set_lead = ServerAction::<SetTierLead>::new();
    let directory = refreshed(directory, move || add.version().get() as u64, people);
    let leads = refreshed(leads, move || set_lead.version().get() as u64, tier_leads);
    view! {
        <section class="panel narrow" aria-labelledby="add-person-heading">
            <h2 id="add-person-heading">"Add a person"</h2>
            <ActionForm action=add attr:class="stacked">
                <label for="person-name">"Name"</label>
                <input id="person-name" name="name" type="text" required autocomplete="off"/>
                <label for="person-email">"Email"</label>
                <input id="person-email" name="email" type="email" required autocomplete="off" inputmode="email"/>
                <label for="person-role">"Role"</label>
                <select id="person-role" name="role">
                    <option value="reporter">"Reporter"</option>
                    <option value="agent">"Agent"</option>
                    <option value="admin">"Administrator"</option>
                </select>
                <label for="person-tier">"Tier (agents only)"</label>
                <select id="person-tier" name="tier">
                    <option value="">"None"</option>
                    <option value="L1">"L1: service desk"</option>
                    <option value="L2">"L2: technical support"</option>
                    <option value="L3">"L3: specialists"</option>
                </select>
                <label class="check">
                    <input type="checkbox" name="security_team" value="true"/>
                    " In the security team (agents only)"
                </label>
                <label for="person-password">"First password"</label>
                <input id="person-password" name="password" type="password" required
                    minlength=PASSWORD_MIN_CHARS maxlength=PASSWORD_MAX_CHARS autocomplete="new-password"
                    aria-describedby="person-password-hint"/>
                <p id="person-password-hint" class="hint">"Give it to them privately; they can change it under their name."</p>
                <button type="submit" disabled=move || add.pending().get()>"Add person"</button>
            </ActionForm>
            <div aria-live="polite">
                {move || match add.value().get() {
                    Some(Ok(added)) => view! {
                        <p class="notice ok" role="status">"Added " {added.name} " (" {describe_role(added.role, crate::language::page_lang())} ")."</p>
                    }.into_any(),
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
        <TierLeads directory set=set_lead leads/>
        <section class="panel" aria-labelledby="directory-heading">
            <h2 id="directory-heading">"Directory"</h2>
            {move || match directory.get() {
                Ok(entries) => directory_list(entries).into_any(),
                Err(err) => error_notice(err),
            }}
        </section>
    }
}

fn directory_list(entries: Vec<DirectoryEntry>) -> impl IntoView {
    view! {
        <ul class="directory">
            {entries.into_iter().map(|entry| view! {
                <li>
                    <span class="who">{entry.person.name}</span>
                    <span class="email">{entry.person.email}</span>
                    <span class="meta">
                        {describe_role(entry.person.role, crate::language::page_lang())}
                        {(!entry.can_sign_in).then_some(" · cannot sign in")}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Who each tier's lead is: the person the SLA watcher alerts when a ticket
/// at that tier misses its first response. Only agents who may work every
/// ticket of the tier are offered (the server checks the same rule).
#[component]
fn TierLeads(
    directory: ReadSignal<Result<Vec<DirectoryEntry>, AppError>>,
    set: ServerAction<SetTierLead>,
    leads: ReadSignal<Result<Vec<TierLead>, AppError>>,
) -> impl IntoView {
    view! {
        <section class="panel narrow" aria-labelledby="leads-heading">
            <h2 id="leads-heading">"Tier leads"</h2>
            <p class="hint">"A tier's lead is alerted on the board when one of its tickets misses its first-response target."</p>
            {move || match (leads.get(), directory.get()) {
                (Ok(leads), Ok(people)) => {
                    let agents: Vec<Person> = people.into_iter().map(|e| e.person).collect();
                    leads.into_iter().map(|lead| lead_form(set, lead, &agents)).collect_view().into_any()
                }
                (Err(err), _) | (_, Err(err)) => error_notice(err),
            }}
            <div aria-live="polite">
                {move || match set.value().get() {
                    Some(Ok(_)) => view! { <p class="notice ok" role="status">"Tier leads saved."</p> }.into_any(),
                    Some(Err(err)) => view! { <p class="notice error" role="alert">{err.to_string()}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </div>
        </section>
    }
}

fn lead_form(set: ServerAction<SetTierLead>, lead: TierLead, agents: &[Person]) -> impl IntoView {
    let tier: Tier = lead.tier;
    let current = lead.lead.as_ref().map(|l| l.id);
    let id = format!("lead-{}", tier.code());
    let options: Vec<(i64, String)> = agents
        .iter()
        .filter(|p| check_lead(tier, p).is_ok())
        .map(|p| {
            (
                p.id,
                format!(
                    "{} ({})",
                    p.name,
                    describe_role(p.role, crate::language::page_lang())
                ),
            )
        })
        .collect();
    view! {
        <ActionForm action=set attr:class="inline lead-form">
            <input type="hidden" name="tier" value=tier.code()/>
            <label for=id.clone()>{format!("{tier} lead")}</label>
            <select id=id name="lead">
                <option value="" selected=current.is_none()>"No lead"</option>
                {options.into_iter().map(|(person, label)| view! {
                    <option value=person.to_string() selected=current == Some(person)>{label}</option>
                }).collect_view()}
            </select>
            <button type="submit" disabled=move || set.pending().get()>{format!("Save {tier} lead")}</button>
        </ActionForm>
    }
}
