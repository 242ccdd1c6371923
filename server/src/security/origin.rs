//! CSRF defence: a request that changes something must come from our own
//! origin. Browsers send `Origin` on every cross-origin POST (and
//! `Sec-Fetch-Site` on all modern ones), so a forged form or fetch from
//! another site is recognised and refused before it runs, server functions
//! included. SameSite=Lax cookies are the second line.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::Response,
};

use app::error::AppError;

/// Which origins may send writes.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The configured public origin, e.g. `https://desk.example.org`. When
    /// unset, the request's own `Host` is the origin (any scheme).
    pub public: Option<String>,
}

pub async fn same_origin_writes(
    State(origins): State<Origins>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    match check(request.headers(), &origins) {
        Ok(()) => next.run(request).await,
        Err(reason) => {
            tracing::warn!(
                method = %request.method(),
                path = %request.uri().path(),
                reason,
                "cross-origin write refused"
            );
            super::refuse(AppError::Forbidden(
                "This request came from another site, so it was refused. Open Frontline \
                     directly and try again."
                    .to_owned(),
            ))
        }
    }
}

fn check(headers: &HeaderMap, origins: &Origins) -> Result<(), &'static str> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return Err("Sec-Fetch-Site is not same-origin");
        }
    }
    let claimed = match (
        text(header::ORIGIN.as_str()),
        text(header::REFERER.as_str()),
    ) {
        (Some("null"), _) => return Err("Origin is null"),
        (Some(origin), _) => origin.to_ascii_lowercase(),
        (None, Some(referer)) => origin_of(referer).ok_or("Referer is not a URL")?,
        (None, None) => return Err("neither Origin nor Referer was sent"),
    };
    let allowed = match &origins.public {
        Some(public) => claimed == *public,
        None => {
            let host = text(header::HOST.as_str()).ok_or("no Host header")?;
            claimed
                .split_once("://")
                .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
        }
    };
    if allowed {
        Ok(())
    } else {
        Err("Origin does not match")
    }
}

/// `https://desk.example.org/board?x` → `https://desk.example.org`.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}").to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_static(v));
        }
        map
    }

    #[test]
    fn same_host_passes_and_others_do_not() {
        let own = Origins::default();
        let host = ("host", "127.0.0.1:3000");
        assert!(check(&headers(&[host, ("origin", "http://127.0.0.1:3000")]), &own).is_ok());
        assert!(check(
            &headers(&[host, ("referer", "http://127.0.0.1:3000/board?tier=L1")]),
            &own
        )
        .is_ok());
        assert!(check(&headers(&[host, ("origin", "http://evil.example")]), &own).is_err());
        assert!(check(&headers(&[host, ("origin", "http://127.0.0.1:3001")]), &own).is_err());
        assert!(check(&headers(&[host, ("origin", "null")]), &own).is_err());
        assert!(check(&headers(&[host]), &own).is_err());
        assert!(check(
            &headers(&[
                host,
                ("origin", "http://127.0.0.1:3000"),
                ("sec-fetch-site", "cross-site")
            ]),
            &own
        )
        .is_err());
    }

    #[test]
    fn a_public_origin_is_the_only_one_accepted() {
        let public = Origins {
            public: Some("https://desk.example.org".to_owned()),
        };
        let host = ("host", "10.0.0.5:3000");
        assert!(check(
            &headers(&[host, ("origin", "https://desk.example.org")]),
            &public
        )
        .is_ok());
        assert!(check(
            &headers(&[host, ("origin", "http://desk.example.org")]),
            &public
        )
        .is_err());
        assert!(check(
            &headers(&[host, ("origin", "http://10.0.0.5:3000")]),
            &public
        )
        .is_err());
    }
}
