//! How loaded data reaches the browser: one JSON decoder per type.
//!
//! A server function's answer is decoded from bytes (`serde_json::from_slice`);
//! Leptos's default resource codec decodes the data a server-rendered page
//! carries from a `&str` (`from_str`). The two readers are different types, so
//! every record the browser loads had its decoder compiled into the WASM
//! twice. Resources made here decode from bytes as well.

use leptos::{
    prelude::Resource,
    server::codee::{Decoder, Encoder},
};
use serde::{de::DeserializeOwned, Serialize};

/// JSON, read with the same decoder as server functions' answers.
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// Data a page loads from a server function; see the module's comment.
pub type Loaded<T> = Resource<T, Json>;

/// `Resource::new` with this module's codec: loads `fetcher(source())` on the
/// server, carries it in the page, and reloads it in the browser when
/// `source` changes.
#[track_caller]
pub fn load<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
