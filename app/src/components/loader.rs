//! The scripts that make a page's islands live. Leptos's own loader waits
//! for the browser's first idle moment and then walks the whole page,
//! awaiting each element in turn and each lazy island's chunks one after
//! another; ours starts when the page is parsed and starts every island at
//! once (`island_loader.js`), and a page without islands needs no WASM.

use leptos::{config::LeptosOptions, prelude::*};

/// In `<head>`: preloads for the main module and its JS, and the loader.
/// Also puts the build's split manifest in the context, where a lazy
/// island's chunk preloads find it (`island_chunks`).
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // In islands mode only islands are hydrated: the rest of the page is
    // written without hydration markers (as Leptos's own component does).
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let build = build(&options);
    if let Some(manifest) = &build.manifest {
        provide_context(manifest.clone());
    }
    view! {
        <link rel="modulepreload" href=build.js.as_str()/>
        <link rel="preload" href=build.wasm.as_str() r#as="fetch"
            r#type="application/wasm" crossorigin=""/>
        <script type="module" nonce=leptos::nonce::use_nonce() inner_html=build.script.as_str()></script>
    }
}

/// What every page's head says of the build, worked out once per process.
struct Build {
    /// The main module's JS and WASM addresses.
    js: String,
    wasm: String,
    /// The loader, called with the package path and the two file names.
    script: String,
    /// Which chunks each lazy island needs; none when the build is not split.
    manifest: Option<leptos::WasmSplitManifest>,
}

fn build(options: &LeptosOptions) -> &'static Build {
    static BUILD: std::sync::OnceLock<Build> = std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let hashes = build_hashes(options);
        let hash = |file: &str| {
            hashes
                .iter()
                .find(|(name, _)| name == file)
                .map(|(_, hash)| hash.as_str())
        };
        let hashed = |name: &str, file: &str| match hash(file) {
            Some(hash) => format!("{name}.{hash}"),
            None => name.to_owned(),
        };
        let output = options.output_name.as_ref();
        let js = hashed(output, "js");
        let wasm = if options.hash_files {
            hashed(output, "wasm")
        } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            format!("{output}_bg")
        } else {
            output.to_owned()
        };
        let pkg = format!("/{}", options.site_pkg_dir);
        let script = format!(
            "{}({pkg:?}, {js:?}, {wasm:?});",
            include_str!("island_loader.js")
                .trim_end()
                .trim_end_matches(';'),
        );
        let manifest = split_manifest(
            options,
            &pkg,
            &hashed("__wasm_split_manifest", "manifest"),
            &hash("split").map_or_else(
                // The name the split build gives its loader when file names are not hashed.
                || "__wasm_split.______________________.js".to_owned(),
                |hash| format!("__wasm_split.{hash}.js"),
            ),
        );
        Build {
            js: format!("{pkg}/{js}.js"),
            wasm: format!("{pkg}/{wasm}.wasm"),
            script,
            manifest,
        }
    })
}

/// The hash file beside the server's binary (`file: hash` lines).
#[cfg(feature = "ssr")]
fn build_hashes(options: &LeptosOptions) -> Vec<(String, String)> {
    if !options.hash_files {
        return Vec::new();
    }
    let path = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())));
    let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
        tracing::error!("file hashing is on but the build's hash file cannot be read");
        return Vec::new();
    };
    parse_hashes(&text)
}

/// The split build's manifest in the site's package folder, if there is one.
#[cfg(feature = "ssr")]
fn split_manifest(
    options: &LeptosOptions,
    pkg: &str,
    manifest: &str,
    loader: &str,
) -> Option<leptos::WasmSplitManifest> {
    let path = std::path::Path::new(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join(format!("{manifest}.json"));
    let text = std::fs::read_to_string(path).ok()?;
    let chunks = match serde_json::from_str(&text) {
        Ok(chunks) => chunks,
        Err(err) => {
            tracing::error!("the build's split manifest cannot be read: {err}");
            return None;
        }
    };
    Some(leptos::WasmSplitManifest(
        leptos::reactive::owner::ArcStoredValue::new((pkg.to_owned(), chunks, loader.to_owned())),
    ))
}

// The page's head is written by the server only.
#[cfg(not(feature = "ssr"))]
fn build_hashes(_options: &LeptosOptions) -> Vec<(String, String)> {
    Vec::new()
}

#[cfg(not(feature = "ssr"))]
fn split_manifest(
    _options: &LeptosOptions,
    _pkg: &str,
    _manifest: &str,
    _loader: &str,
) -> Option<leptos::WasmSplitManifest> {
    None
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
