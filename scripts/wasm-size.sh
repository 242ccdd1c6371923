#!/usr/bin/env bash
# Prints the size of the release browser bundle: raw, gzip -9 and brotli -q 11.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wasm="$CARGO_TARGET_DIR/site/pkg/frontline.wasm"
[ -f "$wasm" ] || die "no $wasm: run 'cargo leptos build --release' first"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
br=$(brotli -q 11 -c "$wasm" | wc -c)
js=$(stat -c %s "$CARGO_TARGET_DIR/site/pkg/frontline.js")
css=$(stat -c %s "$CARGO_TARGET_DIR/site/pkg/frontline.css")
printf 'frontline.wasm: %s B raw, %s B gzip, %s B brotli (frontline.js %s B, frontline.css %s B)\n' "$raw" "$gz" "$br" "$js" "$css"
