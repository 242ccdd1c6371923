//! DNS-rebinding defence: a request must be addressed to a name the desk is
//! known by. A page on another name that its owner points at the desk's
//! address would otherwise pass the same-origin check (its origin matches
//! its own Host) and could guess passwords or claim a fresh install.
//! Like Django's `ALLOWED_HOSTS`, the port is not compared: the name is what
//! an attacker controls, and proxies disagree on whether they keep the port.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap},
    middleware::Next,
    response::Response,
};

use app::{
    auth::{ClientAddress, FirstRunAllowed},
    error::AppError,
};

use crate::config::Sessions;

/// Names answered without being configured: the server itself.
const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Load balancers probe by address; the probes show and change nothing.
const EXEMPT_PATHS: [&str; 2] = ["/healthz", "/readyz"];

/// Headers a proxy adds: a request carrying one did not come from a
/// browser on the server itself, whatever its socket peer.
const FORWARDING_HEADERS: [&str; 3] = ["forwarded", "x-forwarded-for", "x-real-ip"];

#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    /// The `public_url` host and `allowed_hosts`: names an operator chose.
    configured: Vec<String>,
    /// The listen address and the localhost names.
    fallback: Vec<String>,
}

/// How far a request's name can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Known {
    Fallback,
    Configured,
}

impl AllowedHosts {
    pub fn new(sessions: &Sessions, listen: SocketAddr) -> Self {
        let mut configured = sessions.allowed_hosts.clone();
        if let Some(host) = sessions
            .public_origin
            .as_deref()
            .and_then(|origin| origin.split_once("://"))
            .and_then(|(_, authority)| host_of_authority(authority))
        {
            configured.push(host);
        }
        let mut fallback: Vec<String> = LOCAL_NAMES.iter().map(|n| (*n).to_owned()).collect();
        if !listen.ip().is_unspecified() {
            fallback.push(ip_name(listen.ip()));
        }
        Self {
            configured,
            fallback,
        }
    }

    /// True when no name was configured, so only the fallback names work.
    pub fn only_local(&self) -> bool {
        self.configured.is_empty()
    }

    fn known(&self, host: &str) -> Option<Known> {
        if self.configured.iter().any(|h| h == host) {
            Some(Known::Configured)
        } else if self.fallback.iter().any(|h| h == host) {
            Some(Known::Fallback)
        } else {
            None
        }
    }

    /// The least trusted of the names the request was addressed to (its
    /// Host header and, in absolute form, its target), or `None` when one
    /// of them is unknown or neither was given.
    fn check(&self, request: &Request) -> Option<Known> {
        let header = match request.headers().get(header::HOST) {
            Some(value) => Some(value.to_str().ok().and_then(host_of_authority)?),
            None => None,
        };
        let target = match request.uri().authority() {
            Some(authority) => Some(host_of_authority(authority.as_str())?),
            None => None,
        };
        let mut least: Option<Known> = None;
        for host in [header, target].into_iter().flatten() {
            let known = self.known(&host)?;
            least = Some(least.map_or(known, |l| l.min(known)));
        }
        least
    }
}

pub async fn allowed_hosts(
    State(hosts): State<AllowedHosts>,
    mut request: Request,
    next: Next,
) -> Response {
    if EXEMPT_PATHS.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let Some(known) = hosts.check(&request) else {
        tracing::info!(
            host = ?request.headers().get(header::HOST),
            path = %request.uri().path(),
            "request to an unknown host name refused"
        );
        return super::refuse(AppError::BadRequest(
            "This server does not answer to the name this request was sent to. If it is \
                 the service desk's address, its administrator can add the name to \
                 allowed_hosts (FRONTLINE_ALLOWED_HOSTS) or set public_url."
                .to_owned(),
        ));
    };
    let client = request
        .extensions()
        .get::<ClientAddress>()
        .map(|ClientAddress(ip)| *ip);
    let first_run = known == Known::Configured || from_the_server(client, request.headers());
    request.extensions_mut().insert(FirstRunAllowed(first_run));
    next.run(request).await
}

/// A browser on the server itself: a loopback client, not relayed by a proxy.
fn from_the_server(client: Option<IpAddr>, headers: &HeaderMap) -> bool {
    client.is_some_and(|ip| ip.is_loopback())
        && !FORWARDING_HEADERS.iter().any(|h| headers.contains_key(*h))
}

/// A configured host name, or the host part of a Host header once the port
/// is removed: lower case, without a trailing dot, IPv6 in brackets.
/// `None` for anything that is not a plain name or address.
pub fn host_name(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return inner.parse::<Ipv6Addr>().ok().map(|ip| format!("[{ip}]"));
    }
    if let Ok(ip) = text.parse::<Ipv6Addr>() {
        return Some(format!("[{ip}]"));
    }
    let name = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_');
    plain.then_some(name)
}

/// `Desk.example.org:8080` → `desk.example.org`; `[::1]:3000` → `[::1]`.
fn host_of_authority(authority: &str) -> Option<String> {
    let authority = authority.trim();
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        let (host, rest) = authority.split_at(end);
        match rest {
            "" => (host, ""),
            _ => (host, rest.strip_prefix(':')?),
        }
    } else {
        authority.rsplit_once(':').unwrap_or((authority, ""))
    };
    if !port.bytes().all(|b| b.is_ascii_digit()) || host.contains('@') {
        return None;
    }
    host_name(host)
}

fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn names_are_compared_without_port_or_case() {
        assert_eq!(
            host_of_authority("Desk.Example.org:8080").as_deref(),
            Some("desk.example.org")
        );
        assert_eq!(
            host_of_authority("desk.example.org.").as_deref(),
            Some("desk.example.org")
        );
        assert_eq!(host_of_authority("[::1]:3000").as_deref(), Some("[::1]"));
        assert_eq!(
            host_of_authority("[0:0::1]").as_deref(),
            Some("[::1]"),
            "IPv6 in any spelling"
        );
        assert_eq!(
            host_of_authority("127.0.0.1:3000").as_deref(),
            Some("127.0.0.1")
        );
        for bad in [
            "", ":3000", "desk:x", "a@desk", "[::1", "[::1]x", "de sk", "::1",
        ] {
            assert_eq!(host_of_authority(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn configured_names_rank_above_the_fallback_names() {
        let sessions = Sessions {
            public_origin: Some("https://desk.example.org".to_owned()),
            allowed_hosts: vec!["helpdesk".to_owned()],
            ..Sessions::default()
        };
        let hosts = AllowedHosts::new(&sessions, "10.0.0.5:3000".parse().expect("address"));
        assert_eq!(hosts.known("desk.example.org"), Some(Known::Configured));
        assert_eq!(hosts.known("helpdesk"), Some(Known::Configured));
        assert_eq!(hosts.known("10.0.0.5"), Some(Known::Fallback));
        assert_eq!(hosts.known("localhost"), Some(Known::Fallback));
        assert_eq!(hosts.known("evil.example"), None);
        assert!(!hosts.only_local());

        let open = AllowedHosts::new(&Sessions::default(), "0.0.0.0:80".parse().expect("address"));
        assert!(open.only_local());
        assert_eq!(open.known("0.0.0.0"), None);
    }

    #[test]
    fn only_an_unrelayed_loopback_client_is_the_server_itself() {
        let loopback = Some("127.0.0.1".parse().expect("address"));
        let mut headers = HeaderMap::new();
        assert!(from_the_server(loopback, &headers));
        assert!(!from_the_server(
            Some("192.0.2.1".parse().expect("address")),
            &headers
        ));
        assert!(!from_the_server(None, &headers));
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert!(!from_the_server(loopback, &headers));
    }
}
