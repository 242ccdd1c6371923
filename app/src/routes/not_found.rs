use leptos::prelude::*;
use leptos_meta::Title;
use words::portal as says;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    let lang = crate::language::page_lang();
    view! {
        <Title text=says::page_not_found(lang)/>
        <section class="panel">
            <h1>{says::page_not_found(lang)}</h1>
            <p>{says::nothing_here(lang)} " " <a href="/">{says::go_home(lang)}</a></p>
        </section>
    }
}
