//! A lazy island's code arrives in WASM chunks that its loader fetches only
//! once the main module is running: on a slow line that is a second and a
//! third round trip before the island is live. The server knows which
//! island it is rendering, so it lists the island's chunks in the page and
//! the page's loader (`island_loader.js`) preloads them alongside the main
//! module, once the page is painted: as `<link rel=preload>` tags in the
//! head, the twenty-odd requests held up the first paint of a page opened
//! again from the cache by 0.1 s on a slowed phone CPU.

use leptos::prelude::*;

/// The chunks of `island`, named as its loader is in the build's split
/// manifest (`live_desk` for `LiveDesk`), for the page's loader to preload
/// (`data-chunks`: WASM files, then the split loader's script). Nothing when
/// the build is not split.
pub fn island_chunks(island: &'static str) -> impl IntoView {
    let links = chunk_links(island);
    (!links.is_empty()).then(|| view! { <div hidden data-chunks=links.join(" ")></div> })
}

/// Each chunk's address, the split loader's script last.
#[cfg(feature = "ssr")]
fn chunk_links(island: &str) -> Vec<String> {
    let Some(manifest) = use_context::<leptos::WasmSplitManifest>() else {
        return Vec::new();
    };
    manifest.0.with_value(|(root, chunks, loader_script)| {
        let mut links: Vec<String> = chunks
            .iter()
            .filter(|(name, _)| is_loader_of(name, island))
            .flat_map(|(_, files)| files.iter())
            .map(|file| format!("{root}/{file}.wasm"))
            .collect();
        if !links.is_empty() {
            links.push(format!("{root}/{loader_script}"));
        }
        links
    })
}

#[cfg(not(feature = "ssr"))]
fn chunk_links(_island: &str) -> Vec<String> {
    Vec::new()
}

/// `live_desk_loader_9966599904031462197` is `live_desk`'s loader.
#[cfg(any(feature = "ssr", test))]
fn is_loader_of(name: &str, island: &str) -> bool {
    name.strip_prefix(island)
        .and_then(|rest| rest.strip_prefix("_loader_"))
        .is_some_and(|hash| !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::is_loader_of;

    #[test]
    fn a_loader_is_found_by_its_island_name_alone() {
        assert!(is_loader_of(
            "live_desk_loader_9966599904031462197",
            "live_desk"
        ));
        assert!(!is_loader_of("live_desk_loader_", "live_desk"));
        assert!(!is_loader_of("desk_ticket_loader_1", "ticket"));
        assert!(!is_loader_of(
            "reporter_ticket_loader_1x",
            "reporter_ticket"
        ));
        assert!(!is_loader_of("my_tickets_extra_loader_1", "my_tickets"));
    }
}
