//! What a person typed into the server's HTML before the page went live. A
//! live form starts from it: hydration sets each `prop:value` and
//! `prop:checked` from the island's signals, and a signal that started empty
//! would wipe the text the person had already typed.

/// The text in the field with this id as the browser holds it now; empty
/// on the server, which has seen nothing typed.
pub fn typed_text(id: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(field) = leptos::prelude::document().get_element_by_id(id) {
            if let Some(input) = field.dyn_ref::<web_sys::HtmlInputElement>() {
                return input.value();
            }
            if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                return area.value();
            }
        }
    }
    let _ = id;
    String::new()
}

/// The value of the ticked radio button of this name, if the person ticked
/// one before the page went live (or the server's default is still ticked).
pub fn typed_choice(name: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let selector = format!("input[type=radio][name=\"{name}\"]:checked");
        leptos::prelude::document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|input| input.value())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        None
    }
}
