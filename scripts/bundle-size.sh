#!/usr/bin/env bash
# Prints the release browser bundle file by file: raw, and as served (the
# build's own brotli copy). Which files a page loads first is measured in
# the browser: end2end/bench/first-load.mjs and the bundle-budget test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

pkg="$CARGO_TARGET_DIR/site/pkg"
ls "$pkg"/*.wasm >/dev/null 2>&1 || die "no bundle in $pkg: run scripts/test.sh or scripts/run.sh first"
total_raw=0
total_br=0
printf '%-58s %10s %10s\n' "file under /pkg" "raw B" "brotli B"
while IFS= read -r file; do
    raw=$(stat -c %s "$file")
    br=$raw
    [ -f "$file.br" ] && br=$(stat -c %s "$file.br")
    total_raw=$((total_raw + raw))
    total_br=$((total_br + br))
    printf '%-58s %10s %10s\n' "${file#"$pkg"/}" "$raw" "$br"
done < <(find "$pkg" -type f ! -name '*.br' ! -name '*.gz' | sort)
printf '%-58s %10s %10s\n' "all files" "$total_raw" "$total_br"
