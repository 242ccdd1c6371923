//! Which address a request came from. Directly connected, it is the socket
//! peer. Behind a reverse proxy every request comes from the proxy, so when
//! the peer is a trusted proxy the client is the last address in
//! `X-Forwarded-For` that is not itself a trusted proxy. Without this, one
//! attacker's failed sign-ins would lock everyone behind the proxy.

use std::net::{IpAddr, SocketAddr};

use app::auth::ClientAddress;
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};

#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Vec<IpAddr>);

pub async fn client_address(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let client = client_of(peer, &forwarded, &trusted.0);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

fn client_of(peer: IpAddr, forwarded: &str, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    // Right to left: each trusted hop vouches for the one before it.
    for hop in forwarded.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let proxy = [ip("10.0.0.2")];
        // Direct clients cannot claim another address.
        assert_eq!(
            client_of(ip("203.0.113.9"), "198.51.100.1", &proxy),
            ip("203.0.113.9")
        );
        // Through the proxy, the address it saw.
        assert_eq!(
            client_of(ip("10.0.0.2"), "198.51.100.1", &proxy),
            ip("198.51.100.1")
        );
        // A client's own forged entries sit left of what the proxy appended.
        assert_eq!(
            client_of(ip("10.0.0.2"), "1.2.3.4, 198.51.100.1", &proxy),
            ip("198.51.100.1")
        );
        // Two trusted hops.
        let two = [ip("10.0.0.2"), ip("10.0.0.3")];
        assert_eq!(
            client_of(ip("10.0.0.2"), "1.2.3.4, 198.51.100.1, 10.0.0.3", &two),
            ip("198.51.100.1")
        );
        // Garbage stops the walk at the last good hop.
        assert_eq!(
            client_of(ip("10.0.0.2"), "nonsense", &proxy),
            ip("10.0.0.2")
        );
        assert_eq!(client_of(ip("10.0.0.2"), "", &proxy), ip("10.0.0.2"));
    }
}
