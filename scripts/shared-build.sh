#!/usr/bin/env bash
# Warns when the test build would switch on crate features the release
# binary does not use: cargo then compiles the server stack twice, once for
# `cargo leptos build --release` and once for `cargo test --release`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
select_toolchain
cd "$ROOT"

features() { cargo tree "$@" -f '{p} {f}' --prefix none 2>/dev/null | sed 's/ (\*)$//' | sort -u; }
release="$(features -p server -e normal,build)"
tests="$(features -p server -p app -p domain -p storage -p benches -e normal,build,dev)"
# Crates in both graphs whose feature lists differ.
drift="$(comm -13 <(echo "$release") <(echo "$tests") | while read -r name version rest; do
    echo "$release" | grep -q "^$name $version " && echo "$name $version: test build adds features (${rest:-none})"
done || true)"
if [ -n "$drift" ]; then
    echo "warning: the test build changes features of crates the release binary shares, so the server stack is built twice:"
    echo "$drift" | sed 's/^/    /'
    echo "    Enable the same features in server/Cargo.toml (see bitflags and getrandom there)."
else
    echo "release and test builds share one set of dependency features"
fi
