//! The browser bundle under /pkg: the build's brotli and gzip copies are sent
//! as they are, hashed names are kept by browsers for a year, and nothing
//! else is (pages and answers stay `no-store`).

use crate::common::{send, TestApp};

/// A name as the release build writes it: stem, 22-character hash, extension.
const WASM: &str = "frontline.Xb8Ixv1lQx4wq5vo_KqYvA.wasm";

fn write(app: &TestApp, name: &str, contents: &[u8]) {
    let pkg = app.site_root().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(pkg.join(name), contents).expect("write a bundle file");
}

#[tokio::test]
async fn the_bundle_is_sent_precompressed_and_kept_for_a_year() {
    let app = TestApp::sqlite().await;
    write(&app, WASM, b"\0asm raw module");
    write(&app, &format!("{WASM}.br"), b"brotli copy");
    write(&app, &format!("{WASM}.gz"), b"gzip copy");
    let path = format!("/pkg/{WASM}");

    for (accepts, encoding, body) in [
        ("br, gzip", Some("br"), &b"brotli copy"[..]),
        ("gzip", Some("gzip"), &b"gzip copy"[..]),
        ("identity", None, &b"\0asm raw module"[..]),
    ] {
        let response = send(
            &app.host,
            "GET",
            &path,
            &[("Accept-Encoding", accepts)],
            b"",
        )
        .await
        .expect("GET the module");
        assert_eq!(response.status(), 200, "{accepts}");
        assert_eq!(response.header("content-encoding"), encoding, "{accepts}");
        // The build's own file, not compressed again on the way out.
        assert_eq!(response.bytes(), body, "{accepts}");
        assert_eq!(
            response.header("content-type"),
            Some("application/wasm"),
            "{accepts}"
        );
        assert_eq!(
            response.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{accepts}"
        );
        assert!(
            response
                .header("vary")
                .is_some_and(|v| v.to_ascii_lowercase().contains("accept-encoding")),
            "{accepts}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn unhashed_and_missing_files_are_never_kept() {
    let app = TestApp::sqlite().await;
    write(&app, "frontline.css", b"body{}");

    // A development build's names do not change with their content.
    let css = app.get("/pkg/frontline.css").await;
    assert_eq!(css.status(), 200);
    assert_eq!(css.header("cache-control"), Some("no-cache"));

    // A chunk of another build: missing now, perhaps present after the next deploy.
    let missing = app.get(&format!("/pkg/{WASM}")).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.header("cache-control"), Some("no-store"));

    // No way out of the bundle's directory.
    let escape = app.get("/pkg/../../frontline.db").await;
    assert!(matches!(escape.status(), 400 | 404), "{}", escape.status());

    // Pages still may not be stored anywhere.
    let page = app.get("/").await;
    assert_eq!(page.header("cache-control"), Some("no-store"));
    app.stop().await;
}

/// The icon beside the bundle is served with a policy of its own while
/// pages are being written, and every page keeps its own policy, whose
/// nonce is the one on the page's scripts. A file served by the framework's
/// fallback once took the policy of a page rendered at the same moment,
/// and that page's scripts were refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_keeps_its_own_script_policy_while_files_are_served() {
    let app = TestApp::sqlite().await;
    std::fs::create_dir_all(app.site_root()).expect("site root");
    std::fs::write(app.site_root().join("favicon.svg"), b"<svg/>").expect("write the icon");
    let mut requests = Vec::new();
    for _ in 0..150 {
        for path in ["/sign-in", "/favicon.svg", "/favicon.svg"] {
            let host = app.host.clone();
            requests.push(tokio::spawn(async move {
                let response = send(&host, "GET", path, &[], b"").await.expect("GET");
                (path, response)
            }));
        }
    }
    for request in requests {
        let (path, response) = request.await.expect("request task");
        assert_eq!(response.status(), 200, "{path}");
        let policy = response
            .header("content-security-policy")
            .unwrap_or_default()
            .to_owned();
        if path == "/favicon.svg" {
            assert_eq!(response.header("content-type"), Some("image/svg+xml"));
            assert_eq!(policy, "default-src 'none'; frame-ancestors 'none'");
        } else {
            let nonce = policy
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or_else(|| panic!("a page without its script nonce: {policy}"));
            assert!(
                response.text().contains(&format!("nonce=\"{nonce}\"")),
                "{policy}"
            );
        }
    }
    app.stop().await;
}
