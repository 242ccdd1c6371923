#!/usr/bin/env bash
# Makes everything Frontline's build and tests need on a Debian 12 machine whose
# only network is the package registries. Safe to run again: what is present
# at the right version is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CARGO_LEPTOS_VERSION=0.3.11
APT_UPDATED=0

apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "missing $*: install them with your package manager (this script knows apt only)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ "$APT_UPDATED" -eq 0 ]; then
        note "apt-get update"
        $sudo apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    note "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null \
        || die "could not install $* with apt-get"
}

have_packages() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
}

say "Rust toolchain"
export PATH="$CARGO_BIN:$PATH"
if command -v rustc >/dev/null 2>&1 && [ "$(command -v rustc)" != /usr/bin/rustc ] \
    && can_build_wasm "$(command -v rustc)"; then
    note "using $(rustc --version) from rustup (it has the wasm32 target)"
else
    debian_rust=(rustc-web cargo-web rust-web-src lld-22 rustfmt-web rust-web-clippy)
    have_packages "${debian_rust[@]}" || apt_install "${debian_rust[@]}"
    sysroot="$(/usr/bin/rustc --print sysroot)"
    if can_build_wasm /usr/bin/rustc; then
        note "using $(/usr/bin/rustc --version) from Debian, wasm32 standard library present"
    else
        note "building the wasm32 standard library for $(/usr/bin/rustc --version) (about a minute)"
        work="$(mktemp -d)"
        printf '[package]\nname = "wasm_std_build"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "lib.rs"\n' > "$work/Cargo.toml"
        echo 'pub fn f() -> u8 { 1 }' > "$work/lib.rs"
        (cd "$work" && RUSTC_BOOTSTRAP=1 RUSTUP_TOOLCHAIN=/usr CARGO_TARGET_DIR="$work/target" /usr/bin/cargo build -q --release \
            --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort,panic_unwind,proc_macro) \
            || die "building the wasm32 standard library failed (is rust-web-src installed?)"
        dest="$sysroot/lib/rustlib/wasm32-unknown-unknown/lib"
        mkdir -p "$dest"
        find "$work/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' ! -name 'libwasm_std_build*' \
            -exec cp {} "$dest/" \;
        rm -rf "$work"
        can_build_wasm /usr/bin/rustc || die "the wasm32 standard library was built but rustc still cannot use it"
        note "installed into $dest"
    fi
fi
select_toolchain

say "cargo-leptos $CARGO_LEPTOS_VERSION"
if [ "$(cargo-leptos --version 2>/dev/null | awk '{print $2}')" = "$CARGO_LEPTOS_VERSION" ]; then
    note "present"
else
    # Unoptimised: it only orchestrates (the compilers and wasm-opt do the work), and an
    # optimised build of its large dependency tree takes 17+ minutes here instead of 7.
    note "building it with no_downloads (a once-per-machine cost of about 7 minutes)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_INCREMENTAL=false \
        cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads \
        --target-dir "$CARGO_TARGET_DIR/tool-builds" \
        || die "could not install cargo-leptos $CARGO_LEPTOS_VERSION"
fi

WASM_BINDGEN_VERSION="$(locked_version wasm-bindgen)"
[ -n "$WASM_BINDGEN_VERSION" ] || die "Cargo.lock does not pin wasm-bindgen"
say "wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WASM_BINDGEN_VERSION" ]; then
    note "present"
else
    # --locked can name a dependency version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --target-dir "$CARGO_TARGET_DIR/tool-builds" \
        || cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --target-dir "$CARGO_TARGET_DIR/tool-builds" \
        || die "could not install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
fi
rm -rf "$CARGO_TARGET_DIR/tool-builds"

say "Node.js"
if ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
fi
node_major="$(node --version | sed 's/^v//; s/\..*//')"
[ "$node_major" -ge 18 ] || die "Node.js 18 or newer is needed for the browser tests (found $(node --version))"
note "node $(node --version), npm $(npm --version)"

# npm ci only when the lock file changed since the last install.
npm_ci() {
    local dir="$1" stamp hash
    stamp="$dir/node_modules/.frontline-lock-hash"
    hash="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
        note "$(basename "$dir"): packages present"
        return
    fi
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) \
        || die "npm ci failed in $dir"
    echo "$hash" > "$stamp"
}

say "wasm-opt (npm binaryen; Debian 12's binaryen 108 produces a WASM that fails in the browser)"
npm_ci "$ROOT/scripts/toolchain"
note "$(wasm-opt --version)"

say "Chromium and the browser-test packages"
if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
fi
note "$(/usr/bin/chromium --version 2>/dev/null | head -n1)"
npm_ci "$ROOT/end2end"
command -v brotli >/dev/null 2>&1 || apt_install brotli

say "Ready ($FRONTLINE_TOOLCHAIN Rust toolchain: $(rustc --version))"
