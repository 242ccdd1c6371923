//! The browser side of `/api/events`: one `EventSource`, opened again with
//! growing pauses when the browser gives up on it. An `EventSource` retries
//! a dropped connection by itself, but not an answer other than 200 (401,
//! 429, 503): without this the page would stop moving for good.

use std::{cell::RefCell, rc::Rc};

use gloo_timers::callback::Timeout;
use leptos::{__reexports::send_wrapper::SendWrapper, prelude::*};
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{EventSource, MessageEvent};

use domain::models::LiveEvent;

use super::LiveStopped;

/// The first pause before opening a refused stream again; it doubles up to
/// the last, so a server that is down is not hammered by every open tab.
const FIRST_PAUSE_MS: u32 = 2_000;
const LAST_PAUSE_MS: u32 = 30_000;

type Listener = Closure<dyn Fn(MessageEvent)>;
type Notify = Closure<dyn Fn()>;

struct Stream {
    after: Option<i64>,
    on_event: Box<dyn Fn(LiveEvent)>,
    on_open: Box<dyn Fn()>,
    stopped: LiveStopped,
    now: RefCell<Now>,
}

#[derive(Default)]
struct Now {
    source: Option<(EventSource, Listener, Notify, Notify)>,
    retry: Option<Timeout>,
    pause_ms: u32,
    /// The last event received: where a stream opened again resumes.
    last_id: Option<i64>,
    ended: bool,
}

/// Follows the stream until the calling owner is cleaned up (the page is left).
pub(super) fn open(
    after: Option<i64>,
    stopped: LiveStopped,
    on_event: impl Fn(LiveEvent) + 'static,
    on_open: impl Fn() + 'static,
) {
    let stream = Rc::new(Stream {
        after,
        on_event: Box::new(on_event),
        on_open: Box::new(on_open),
        stopped,
        now: RefCell::new(Now {
            pause_ms: FIRST_PAUSE_MS,
            ..Now::default()
        }),
    });
    connect(&stream);
    let held = SendWrapper::new(stream);
    on_cleanup(move || end(&held.take()));
}

fn connect(stream: &Rc<Stream>) {
    let url = {
        let now = stream.now.borrow();
        match now.last_id.or(stream.after) {
            Some(id) => format!("/api/events?after={id}"),
            None => "/api/events".to_owned(),
        }
    };
    let Ok(source) = EventSource::new(&url) else {
        retry_later(stream);
        return;
    };
    let on_change = {
        let stream = stream.clone();
        Listener::new(move |message: MessageEvent| {
            if let Ok(id) = message.last_event_id().parse::<i64>() {
                stream.now.borrow_mut().last_id = Some(id);
            }
            let Some(data) = message.data().as_string() else {
                return;
            };
            // From bytes, as server functions' answers are read: one decoder
            // per type in the WASM (functions/wire.rs).
            if let Ok(event) = serde_json::from_slice::<LiveEvent>(data.as_bytes()) {
                (stream.on_event)(event);
            }
        })
    };
    let on_open = {
        let stream = stream.clone();
        Notify::new(move || {
            stream.now.borrow_mut().pause_ms = FIRST_PAUSE_MS;
            say_stopped(&stream, false);
            (stream.on_open)();
        })
    };
    let on_error = {
        let stream = stream.clone();
        Notify::new(move || {
            say_stopped(&stream, true);
            let closed = stream
                .now
                .borrow()
                .source
                .as_ref()
                .is_some_and(|(source, ..)| source.ready_state() == EventSource::CLOSED);
            // While connecting, the browser is retrying by itself.
            if closed {
                retry_later(&stream);
            }
        })
    };
    let _ = source.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    stream.now.borrow_mut().source = Some((source, on_change, on_open, on_error));
}

fn retry_later(stream: &Rc<Stream>) {
    let mut now = stream.now.borrow_mut();
    if now.ended {
        return;
    }
    if let Some((source, ..)) = &now.source {
        source.close();
    }
    let pause = now.pause_ms;
    now.pause_ms = (pause * 2).min(LAST_PAUSE_MS);
    let again = stream.clone();
    now.retry = Some(Timeout::new(pause, move || {
        // The closed source's listeners are dropped here, outside their
        // own callbacks (the error listener is what scheduled this).
        let old = again.now.borrow_mut().source.take();
        drop(old);
        connect(&again);
    }));
}

fn end(stream: &Rc<Stream>) {
    let mut now = stream.now.borrow_mut();
    now.ended = true;
    if let Some(retry) = now.retry.take() {
        retry.cancel();
    }
    if let Some((source, ..)) = now.source.take() {
        source.close();
    }
    drop(now);
    say_stopped(stream, false);
}

fn say_stopped(stream: &Stream, stopped: bool) {
    let LiveStopped(signal) = stream.stopped;
    if signal.get_untracked() != stopped {
        signal.set(stopped);
    }
}
