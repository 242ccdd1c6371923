//! The report's typed text, kept in this tab's session storage so that a
//! reload, Back or a slip of the thumb does not lose it. Session storage is
//! this tab's alone and ends with it; the text is dropped once the report
//! is accepted.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::typed_text;

pub(super) const KEY: &str = "frontline-report-draft";

/// The fields of [`Saved`], as the form names them (`report[title]`…).
#[cfg(any(feature = "ssr", test))]
pub(super) const FIELDS: [&str; 7] = [
    "title",
    "description",
    "symptoms",
    "started_day",
    "started_time",
    "service",
    "phone",
];

#[derive(Clone, Copy)]
pub(super) struct Draft {
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub symptoms: RwSignal<String>,
    pub started_day: RwSignal<String>,
    pub started_time: RwSignal<String>,
    pub service: RwSignal<String>,
    pub phone: RwSignal<String>,
}

#[derive(Default, Serialize, Deserialize)]
struct Saved {
    title: String,
    description: String,
    symptoms: String,
    started_day: String,
    started_time: String,
    service: String,
    phone: String,
}

impl Draft {
    /// Starts from what is in the fields now: text typed before the page
    /// went live is the person's latest word.
    pub fn new() -> Self {
        let field = |name: &str| RwSignal::new(typed_text(&format!("report-{name}")));
        Self {
            title: field("title"),
            description: field("description"),
            symptoms: field("symptoms"),
            started_day: field("started_day"),
            started_time: field("started_time"),
            service: field("service"),
            phone: field("phone"),
        }
    }

    /// Restores the saved text once the page is live, into the fields
    /// nothing was typed in yet, then saves every change.
    pub fn keep(self) {
        // Effects run in the browser only: the server renders an empty form.
        Effect::new(move |restored: Option<()>| {
            if restored.is_none() {
                if let Some(saved) = load() {
                    let fill = |field: RwSignal<String>, saved: String| {
                        if field.with_untracked(String::is_empty) {
                            field.set(saved);
                        }
                    };
                    fill(self.title, saved.title);
                    fill(self.description, saved.description);
                    fill(self.symptoms, saved.symptoms);
                    fill(self.started_day, saved.started_day);
                    fill(self.started_time, saved.started_time);
                    fill(self.service, saved.service);
                    fill(self.phone, saved.phone);
                }
                // Text typed before the page went live is kept from now on.
                let now = untrack(|| self.saved());
                if now.has_text() {
                    store(Some(&now));
                }
            }
        });
        Effect::new(move |first: Option<()>| {
            let saved = self.saved();
            // The first run sees the form before the restore lands.
            if first.is_some() {
                store(Some(&saved));
            }
        });
    }

    fn saved(&self) -> Saved {
        Saved {
            title: self.title.get(),
            description: self.description.get(),
            symptoms: self.symptoms.get(),
            started_day: self.started_day.get(),
            started_time: self.started_time.get(),
            service: self.service.get(),
            phone: self.phone.get(),
        }
    }

    /// Drops the saved text: the report was accepted.
    pub fn forget() {
        store(None);
    }
}

impl Saved {
    fn has_text(&self) -> bool {
        [
            &self.title,
            &self.description,
            &self.symptoms,
            &self.started_day,
            &self.started_time,
            &self.service,
            &self.phone,
        ]
        .iter()
        .any(|field| !field.is_empty())
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn load() -> Option<Saved> {
    let text = storage()?.get_item(KEY).ok().flatten()?;
    serde_json::from_slice(text.as_bytes()).ok()
}

fn store(saved: Option<&Saved>) {
    let Some(storage) = storage() else { return };
    let _ = match saved.and_then(|s| serde_json::to_string(s).ok()) {
        Some(text) => storage.set_item(KEY, &text),
        None => storage.remove_item(KEY),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The script that keeps a refused plain-form report writes the draft
    /// with these names; the live form reads it back as `Saved`.
    #[test]
    fn the_kept_fields_are_the_draft_s_fields() {
        let saved = serde_json::to_value(Saved::default()).expect("serializable");
        let mut names: Vec<&str> = saved
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        let mut fields = FIELDS.to_vec();
        fields.sort_unstable();
        assert_eq!(names, fields);
    }
}
