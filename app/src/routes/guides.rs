//! Administrators manage the troubleshooting guides: export the document
//! in use, import an edited one (validated, every problem listed), and see
//! which fixes solved problems without a ticket.

use leptos::prelude::*;

use domain::person::Role;

use domain::models::DeflectionCount;

use crate::{
    components::{
        error_notice, island_chunks, refreshed, refusal_in_address, signed_in, this_visit,
        use_hydrated,
    },
    error::AppError,
    functions::{
        portal::{deflections, export_guides, ImportGuides},
        wire::{load, Loaded},
    },
};

/// The guides editor; its import form is an island downloaded only by
/// those who open it.
/// What the page loads (the server answers administrators only), made once
/// per page outside `signed_in`'s render.
#[derive(Clone, Copy)]
struct GuidesData {
    current: Loaded<Result<String, AppError>>,
    counts: Loaded<Result<Vec<DeflectionCount>, AppError>>,
}

#[component]
pub fn GuidesRoute() -> impl IntoView {
    let current = load(|| (), |_| export_guides());
    let counts = load(|| (), |_| deflections());
    let page = GuidesData { current, counts };
    signed_in("Troubleshooting guides", move |person| {
        if person.role == Role::Admin {
            view! { <Guides page/> }.into_any()
        } else {
            view! {
                <section class="panel narrow">
                    <h1>"Troubleshooting guides"</h1>
                    <p class="notice error" role="alert">"Only an administrator can manage the guides."</p>
                </section>
            }
            .into_any()
        }
    })
    .into_any()
}

#[component]
fn Guides(page: GuidesData) -> impl IntoView {
    let GuidesData { current, counts } = page;
    let refused = refusal_in_address::<ImportGuides>();
    view! {
        <section class="panel" aria-labelledby="guides-heading">
            <h1 id="guides-heading">"Troubleshooting guides"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || {
                    let refused = refused.clone();
                    Suspend::new(async move {
                        let current = current.await;
                        view! {
                            {island_chunks("guide_import")}
                            <GuideImport current refused/>
                        }
                    })
                }}
            </Transition>
            <h2>"Solved without a ticket"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match counts.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="muted">"No one has marked a fix as working yet."</p> }.into_any(),
                        Ok(rows) => view! {
                            <table class="tickets">
                                <thead><tr><th scope="col">"Guide"</th><th scope="col">"Fix"</th><th scope="col">"Times it worked"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr><td>{r.guide_id}</td><td>{r.fix_title}</td><td>{r.count}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(err) => error_notice(err),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Importing a document, and the one in use, which loads again after an
/// accepted import.
#[island(lazy)]
fn GuideImport(current: Result<String, AppError>, refused: Option<AppError>) -> impl IntoView {
    let import = ServerAction::<ImportGuides>::new();
    let current = refreshed(
        current,
        move || import.version().get() as u64,
        export_guides,
    );
    let hydrated = use_hydrated();
    let imported = this_visit(import, refused);
    let document = RwSignal::new(String::new());
    let pending = import.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        import.dispatch(ImportGuides {
            document: document.get_untracked(),
        });
    };
    view! {
        <form class="stack" on:submit=submit>
            <label for="guides-document">"Import a guide document (JSON, format 1)"</label>
            <textarea id="guides-document" rows="10" class="code" required
                on:input=move |ev| document.set(event_target_value(&ev))
                prop:value=move || document.get()></textarea>
            <button type="submit" disabled=move || !hydrated.get() || pending.get()>"Import"</button>
        </form>
        <div class="outcome" aria-live="polite">
            {move || imported().map(|result| match result {
                Ok(version) => view! { <p class="notice ok" role="status">{format!("Imported as version {version}; reporters see it now.")}</p> }.into_any(),
                Err(err) => view! { <pre class="notice error problems" role="alert">{err.to_string()}</pre> }.into_any(),
            })}
        </div>
        <h2>"In use"</h2>
        {move || match current.get() {
            Ok(text) => view! {
                <label for="guides-current">"The current document, to copy and edit"</label>
                <textarea id="guides-current" rows="10" class="code" readonly>{text}</textarea>
            }.into_any(),
            Err(err) => error_notice(err),
        }}
    }
}
