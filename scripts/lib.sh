# Shared by the project's scripts: logging and toolchain selection.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

# Each step says when it started, so a slow run shows where its time went.
say()  { printf '\033[1m==> %s\033[0m  [%s]\n' "$*" "$(date +%T)"; }
note() { printf '    %s\n' "$*"; }
die()  { printf '\033[31mfrontline setup: %s\033[0m\n' "$*" >&2; exit 1; }

# True when this Rust toolchain can compile for the browser.
can_build_wasm() {
    local rustc="$1" probe
    probe="$(mktemp -d)"
    echo 'pub fn probe() -> u8 { 1 }' > "$probe/lib.rs"
    if "$rustc" --crate-type=lib --target wasm32-unknown-unknown --edition 2021 \
        "$probe/lib.rs" -o "$probe/probe.rlib" >/dev/null 2>&1; then
        rm -rf "$probe"; return 0
    fi
    rm -rf "$probe"; return 1
}

# The active rustup toolchain if it already has the wasm32 target (a developer's
# laptop); otherwise Debian's toolchain in /usr/bin, whose wasm32 standard
# library setup.sh builds from source.
select_toolchain() {
    export PATH="$CARGO_BIN:$PATH"
    if command -v rustc >/dev/null 2>&1 && [ "$(command -v rustc)" != /usr/bin/rustc ] \
        && can_build_wasm "$(command -v rustc)"; then
        FRONTLINE_TOOLCHAIN="rustup"
    else
        # Debian's rustc first; ~/.cargo/bin stays on PATH for cargo-leptos and wasm-bindgen.
        export PATH="/usr/bin:$PATH"
        export RUSTUP_TOOLCHAIN=/usr
        FRONTLINE_TOOLCHAIN="debian"
    fi
    export PATH="$ROOT/scripts/toolchain/node_modules/.bin:$PATH"
}

# The wasm-bindgen version the lock file pins; the CLI must match it exactly.
locked_version() {
    awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Settings for the browser's build only (the WASM is what a phone downloads):
# the standard library rebuilt with its `optimize_for_size` variants, panic
# messages without file and line, and derived `Debug` printing only type and
# variant names (`{:?}` of strings and numbers is unchanged, so sentences
# that quote a value still do). About 5 % fewer bytes as served
# (docs/performance.md). Both are unstable compiler options, so this needs
# the standard library's source (Debian's rust-web-src, or rustup's rust-src
# component); without it the bundle is built as it is, only larger.
smaller_wasm() {
    local library
    library="$(rustc --print sysroot)/lib/rustlib/src/rust/library"
    if [ ! -d "$library/std" ]; then
        note "no standard library source for $(rustc --version): the browser bundle is built without size options"
        return 0
    fi
    export RUSTC_BOOTSTRAP=1
    export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
    export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
    # RUSTFLAGS replaces `[build] rustflags` from .cargo/config.toml: repeat them.
    export RUSTFLAGS="--cfg erase_components -Zlocation-detail=none -Zfmt-debug=shallow"
}

# The one release build that running, testing and CI all use: the WASM split
# into chunks loaded when a desk page opens (`#[lazy]`, lazy routes), files
# named by their content's hash (`hash-files` in Cargo.toml), and brotli
# (quality 11) and gzip copies written beside each. Hashing makes cargo-leptos
# build the server only after the WASM; two runs, one per side, keep both
# cores busy as an unhashed build would.
build_site() {
    local flags=(build --release --split --precompress)
    cargo leptos "${flags[@]}" --server-only &
    local server=$!
    if ! (smaller_wasm && cargo leptos "${flags[@]}" --frontend-only); then
        wait "$server" || true
        return 1
    fi
    wait "$server"
}
