//! The scripts that make a page's islands live. Leptos's own loader waits
//! for the browser's first idle moment and then walks the whole page,
//! awaiting each element in turn and each lazy island's chunks one after
//! another; ours starts when the page is parsed and starts every island at
//! once (`island_loader.js`), and a page without islands needs no WASM.

use leptos::{config::LeptosOptions, prelude::*};

/// In `<head>`: preloads for the main module and its JS, and the loader.
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Leptos's component also reads the build's split manifest into the
    // context, where a lazy island's chunk preloads find it
    // (`island_chunks`); only its markup is replaced.
    let _ = HydrationScripts(
        HydrationScriptsProps::builder()
            .options(options.clone())
            .islands(true)
            .build(),
    );
    let (js, wasm) = file_names(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let nonce = leptos::nonce::use_nonce();
    let script = format!(
        "{}({pkg:?}, {js:?}, {wasm:?});",
        include_str!("island_loader.js")
            .trim_end()
            .trim_end_matches(';'),
    );
    view! {
        <link rel="modulepreload" href=format!("{pkg}/{js}.js")/>
        <link rel="preload" href=format!("{pkg}/{wasm}.wasm") r#as="fetch"
            r#type="application/wasm" crossorigin=""/>
        <script type="module" nonce=nonce inner_html=script></script>
    }
}

/// The main module's JS and WASM names, with the build's hashes when it
/// hashes file names (as Leptos names them).
fn file_names(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = js.clone();
    if !options.hash_files {
        if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            wasm.push_str("_bg");
        }
        return (js, wasm);
    }
    for (file, hash) in build_hashes(&options.hash_file) {
        match file.as_str() {
            "js" => js = format!("{js}.{hash}"),
            "wasm" => wasm = format!("{wasm}.{hash}"),
            _ => {}
        }
    }
    (js, wasm)
}

/// The hash file beside the server's binary (`file: hash` lines), read once.
#[cfg(feature = "ssr")]
fn build_hashes(hash_file: &str) -> Vec<(String, String)> {
    use std::sync::OnceLock;
    static HASHES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    HASHES
        .get_or_init(|| {
            let path = std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(hash_file)));
            let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
                tracing::error!("file hashing is on but the build's hash file cannot be read");
                return Vec::new();
            };
            parse_hashes(&text)
        })
        .clone()
}

#[cfg(not(feature = "ssr"))]
fn build_hashes(_hash_file: &str) -> Vec<(String, String)> {
    Vec::new()
}

#[cfg(any(feature = "ssr", test))]
fn parse_hashes(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.trim().split_once(':'))
        .map(|(file, hash)| (file.trim().to_owned(), hash.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_hashes;

    #[test]
    fn hash_lines_are_read_as_file_and_hash() {
        let hashes = parse_hashes("js: abc\nwasm:def\n\ncss: x\n");
        assert_eq!(
            hashes,
            vec![
                ("js".into(), "abc".into()),
                ("wasm".into(), "def".into()),
                ("css".into(), "x".into())
            ]
        );
    }
}
