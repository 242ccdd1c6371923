//! Someone using the app over HTTP: anonymous, or signed in with the
//! session cookie the server set.

use std::sync::OnceLock;

use domain::person::{Contact, Person, Role};
use storage::NewPerson;

use super::{
    client::{form_encode, send},
    post_form, HttpResponse, TestApp,
};

/// Every test account's password.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// Hashed once per test binary: argon2 is slow on purpose.
async fn test_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(hash) = HASH.get() {
        return hash.clone();
    }
    let hash = app::auth::password::hash(TEST_PASSWORD.to_owned())
        .await
        .expect("hash the test password");
    HASH.get_or_init(|| hash).clone()
}

/// `frontline_session=…` from a response's Set-Cookie, if it set one.
pub fn session_cookie(response: &HttpResponse) -> Option<String> {
    response
        .headers_named("set-cookie")
        .find(|v| v.starts_with("frontline_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

pub struct Visitor {
    pub host: String,
    pub cookie: Option<String>,
    pub person: Option<Person>,
}

impl Visitor {
    pub async fn get(&self, path: &str) -> HttpResponse {
        let mut headers = Vec::new();
        if let Some(cookie) = &self.cookie {
            headers.push(("Cookie", cookie.as_str()));
        }
        send(&self.host, "GET", path, &headers, b"")
            .await
            .expect("GET request")
    }

    /// Calls a server function the way the browser does: a url-encoded POST.
    pub async fn call(&self, function: &str, form: &[(&str, &str)]) -> HttpResponse {
        post_form(
            &self.host,
            &format!("/api/{function}"),
            form,
            self.cookie.as_deref(),
        )
        .await
        .expect("server function request")
    }

    /// Sends a page's plain HTML form to a server function, as a browser
    /// does before the page's script has run: it accepts a page back and
    /// names the page it was on (`from`, a path on the site).
    pub async fn submit(&self, function: &str, form: &[(&str, &str)], from: &str) -> HttpResponse {
        let referer = format!("http://{}{from}", self.host);
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "text/html,application/xhtml+xml"),
            ("Referer", referer.as_str()),
        ];
        self.post(function, &headers, form_encode(form).as_bytes())
            .await
    }

    /// Calls a server function with nested fields, as its plain HTML form
    /// (or the page's script) sends them.
    pub async fn call_nested(&self, function: &str, body: &serde_json::Value) -> HttpResponse {
        let pairs = super::nested_form(body);
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.call(function, &pairs).await
    }

    /// Calls a server function that takes JSON.
    pub async fn call_json(&self, function: &str, body: &serde_json::Value) -> HttpResponse {
        let headers = [("Content-Type", "application/json")];
        self.post(function, &headers, body.to_string().as_bytes())
            .await
    }

    /// A POST to a server function from the page's own origin, with the
    /// session cookie if there is one.
    async fn post(&self, function: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpResponse {
        let origin = format!("http://{}", self.host);
        let mut headers = headers.to_vec();
        headers.push(("Origin", origin.as_str()));
        if let Some(cookie) = &self.cookie {
            headers.push(("Cookie", cookie.as_str()));
        }
        send(
            &self.host,
            "POST",
            &format!("/api/{function}"),
            &headers,
            body,
        )
        .await
        .expect("server function request")
    }
}

impl TestApp {
    pub fn anonymous(&self) -> Visitor {
        Visitor {
            host: self.host.clone(),
            cookie: None,
            person: None,
        }
    }

    /// Adds someone who can sign in with [`TEST_PASSWORD`].
    pub async fn account(&self, role: Role, name: &str, email: &str) -> Person {
        let person = NewPerson {
            contact: Contact::new(name, email, "").expect("valid contact"),
            role,
        };
        self.store
            .add_account(&person, &test_hash().await, 1_000)
            .await
            .expect("add the account")
    }

    /// Signs in through the real sign-in function and keeps the cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> (HttpResponse, Visitor) {
        let response = self
            .anonymous()
            .call("sign_in", &[("email", email), ("password", password)])
            .await;
        let person = (response.status() == 200)
            .then(|| serde_json::from_value(response.json()).expect("the signed-in person"));
        let visitor = Visitor {
            host: self.host.clone(),
            cookie: session_cookie(&response),
            person,
        };
        (response, visitor)
    }

    /// A new account of `role`, signed in.
    pub async fn signed_in(&self, role: Role, name: &str, email: &str) -> Visitor {
        self.account(role, name, email).await;
        let (response, visitor) = self.sign_in(email, TEST_PASSWORD).await;
        assert_eq!(response.status(), 200, "{}", response.text());
        assert!(visitor.cookie.is_some(), "sign-in set a session cookie");
        visitor
    }
}
