//! The browser bundle under `/pkg`: the script, the WASM module and its
//! lazily loaded chunks, the stylesheet. The release build writes each file
//! with its content's hash in the name and beside it a brotli (quality 11)
//! and a gzip copy, so a phone is sent the smallest one as it is, and keeps
//! it for a year without asking again.

use std::path::{Path, PathBuf};

use axum::{
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::Response,
    Router,
};
use tower_http::services::ServeDir;

/// The file the release build writes beside the binary, naming the hashed
/// files; Leptos reads it from there when it writes the page's script tags.
pub const HASH_FILE: &str = "hash.txt";

/// Where the site's bundle lives under its root.
pub const PKG_DIR: &str = "pkg";

/// True when the binary runs from a build that hashed the bundle's names.
pub fn hashed_build() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(HASH_FILE)))
        .is_some_and(|file| file.is_file())
}

/// Serves `<site_root>/pkg`, precompressed copies first.
pub fn bundle(site_root: &Path) -> Router {
    let dir: PathBuf = site_root.join(PKG_DIR);
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
}

/// The site's files outside `/pkg` (the icon). Leptos's fallback handler
/// would serve them too, but it reads the response options of whatever
/// reactive owner the worker thread was last left with: when that is a page
/// still being rendered, the file's response takes the page's headers, and
/// the page goes out without its Content-Security-Policy nonce, so the
/// browser refuses the page's own scripts and it never becomes live (seen
/// a few times in a thousand page loads under parallel browser tests).
/// Anything else, whatever its method, goes to the page-not-found.
pub fn public(site_root: &Path) -> ServeDir {
    ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
}

/// True when the site's bundle has only content-named files, as a release
/// build writes them: then the binary needs the build's `hash.txt`.
pub fn looks_hashed(site_root: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(site_root.join(PKG_DIR)) else {
        return false;
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let plain = names.iter().any(|n| n == "frontline.js");
    !plain && names.iter().any(|n| is_hashed_name(&format!("/{n}")))
}

/// How long a browser may keep a file under `/pkg` without asking again.
async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = is_hashed_name(request.uri().path());
    let mut response = next.run(request).await;
    if response.status() != StatusCode::OK && response.status() != StatusCode::NOT_MODIFIED {
        // A missing chunk must not be remembered: the next build may have it.
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let value = if immutable {
        // The name changes whenever the content does.
        "public, max-age=31536000, immutable"
    } else {
        // Same name, new content after a rebuild: ask each time (a 304 is cheap).
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same address answers brotli, gzip or plain: caches on the way must
    // keep them apart.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// True for `name.<hash>.ext` as the release build writes it. wasm-bindgen's
/// snippets keep their names (the module imports them by name).
fn is_hashed_name(path: &str) -> bool {
    if path.contains("/snippets/") {
        return false;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.split('.');
    let (Some(_stem), Some(hash), Some(_ext)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    // A base64url MD5, as the build writes it: 22 characters.
    hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::{is_hashed_name, looks_hashed, PKG_DIR};

    #[test]
    fn a_release_bundle_is_known_by_its_names() {
        let site = tempfile::TempDir::new().expect("temp dir");
        let pkg = site.path().join(PKG_DIR);
        std::fs::create_dir_all(&pkg).expect("pkg dir");
        assert!(!looks_hashed(site.path()));
        std::fs::write(pkg.join("frontline.Xb8Ixv1lQx4wq5vo_KqYvA.wasm"), b"").expect("write");
        assert!(looks_hashed(site.path()));
        // A development build's own names: no hash file needed.
        std::fs::write(pkg.join("frontline.js"), b"").expect("write");
        assert!(!looks_hashed(site.path()));
    }

    #[test]
    fn hashed_names_are_the_builds_own() {
        assert!(is_hashed_name("/frontline.Xb8Ixv1lQx4wq5vo_KqYvA.wasm"));
        assert!(is_hashed_name("/__wasm_split.Xb8Ixv1lQx4wq5vo-KqYvA.js"));
        assert!(!is_hashed_name("/frontline.wasm"));
        assert!(!is_hashed_name("/frontline.css"));
        assert!(!is_hashed_name("/frontline.short.css"));
        assert!(!is_hashed_name(
            "/snippets/leptos-0123/inline0.Xb8Ixv1lQx4wq5vo_KqYvA.js"
        ));
    }
}
