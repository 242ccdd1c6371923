//! A call with the reporter: when (in the desk's time zone), how long,
//! and by phone or video link.

use leptos::prelude::*;

use super::{
    form::{agent_form, choice, text_line},
    Sender, CALL,
};
use domain::models::AgentChoices;
use domain::{
    call::{parse_local, CallChannel, MAX_MINUTES, MIN_MINUTES},
    change::Change,
    incident::Incident,
};

pub(super) fn call_form(incident: &Incident, choices: &AgentChoices, sender: &Sender) -> AnyView {
    let drafts = sender.drafts;
    let reporter_phone = incident.reporter.phone.clone().unwrap_or_default();
    let number = {
        let reporter_phone = reporter_phone.clone();
        move || {
            drafts
                .call_number
                .get()
                .unwrap_or_else(|| reporter_phone.clone())
        }
    };
    let zone = choices.zone.clone();
    let zone_name = zone.name().to_owned();
    let to = sender.clone();
    let send = move || {
        let at_ms = match parse_local(&drafts.call_when.get_untracked(), &zone) {
            Ok(at) => at,
            Err(err) => {
                drafts.sent_from.set(Some(CALL));
                drafts.local_error.set(Some((CALL, err.to_string())));
                return;
            }
        };
        let channel = if drafts.call_video.get_untracked() {
            CallChannel::Video {
                link: drafts.call_link.get_untracked(),
            }
        } else {
            CallChannel::Phone {
                number: drafts
                    .call_number
                    .get_untracked()
                    .unwrap_or_else(|| reporter_phone.clone()),
            }
        };
        to.send(
            CALL,
            Change::ScheduleCall {
                at_ms,
                minutes: drafts.call_minutes.get_untracked().parse().unwrap_or(0),
                channel,
                note: drafts.call_note.get_untracked(),
            },
        );
    };
    let lengths = [15, 30, 45, 60, 90, 120]
        .into_iter()
        .filter(|m| (MIN_MINUTES..=MAX_MINUTES).contains(m))
        .map(|m| (m.to_string(), format!("{m} minutes")))
        .collect();
    let fields = view! {
        <label for="call-when">{format!("Date and time ({zone_name})")}</label>
        <input id="call-when" type="datetime-local" required aria-describedby="call-error"
            on:input=move |ev| drafts.call_when.set(event_target_value(&ev))
            prop:value=move || drafts.call_when.get()/>
        {choice((CALL, "call-minutes", false), "Length", drafts.call_minutes, lengths,
            move || drafts.call_minutes.get())}
        <fieldset class="scale">
            <legend>"How"</legend>
            <label class="option">
                <input type="radio" name="call-via" value="phone"
                    prop:checked=move || !drafts.call_video.get()
                    on:change=move |_| drafts.call_video.set(false)/>
                "Phone"
            </label>
            <label class="option">
                <input type="radio" name="call-via" value="video"
                    prop:checked=move || drafts.call_video.get()
                    on:change=move |_| drafts.call_video.set(true)/>
                "Video link"
            </label>
        </fieldset>
        <Show
            when=move || drafts.call_video.get()
            fallback=move || view! {
                <label for="call-number">"Phone number"</label>
                <input id="call-number" type="tel" required maxlength="40" aria-describedby="call-error"
                    on:input=move |ev| drafts.call_number.set(Some(event_target_value(&ev)))
                    prop:value=number.clone()/>
            }
        >
            <label for="call-link">"Video link (https://…)"</label>
            <input id="call-link" type="url" required maxlength="300" placeholder="https://"
                aria-describedby="call-error"
                on:input=move |ev| drafts.call_link.set(event_target_value(&ev))
                prop:value=move || drafts.call_link.get()/>
        </Show>
        {text_line(CALL, "call-note", "Note for the reporter (optional)", drafts.call_note,
            (500, false))}
    };
    let legend = "Schedule a call with the reporter";
    agent_form(CALL, legend, "Schedule the call", sender, fields, send)
}
