#!/usr/bin/env bash
# README command 2: every test. Sets up what is missing, finds or starts
# PostgreSQL, builds the release site once, then runs the Rust unit and HTTP
# tests (SQLite and PostgreSQL) and the browser tests in Chromium.
#   FRONTLINE_TEST_POSTGRES_URL  use this PostgreSQL server for the tests
#   FRONTLINE_SKIP_POSTGRES=1    skip the PostgreSQL tests, on purpose
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/setup.sh"
select_toolchain
cd "$ROOT"

if [ "${FRONTLINE_SKIP_POSTGRES:-}" = "1" ]; then
    say "PostgreSQL tests skipped (FRONTLINE_SKIP_POSTGRES=1)"
else
    say "PostgreSQL for the tests"
    FRONTLINE_TEST_POSTGRES_URL="$("$ROOT/scripts/postgres.sh")"
    export FRONTLINE_TEST_POSTGRES_URL
    note "$FRONTLINE_TEST_POSTGRES_URL"
fi

say "Formatting"
cargo fmt --all -- --check

"$ROOT/scripts/shared-build.sh"

say "Building the release site (server + WASM)"
build_site
"$ROOT/scripts/bundle-size.sh"

say "Rust tests (unit, property, storage on both backends, HTTP; the benchmark is built, not run)"
# Same features and LEPTOS_OUTPUT_NAME as the release build, so its artefacts are reused.
LEPTOS_OUTPUT_NAME=frontline cargo test --release -p domain -p storage -p app -p server -p benches

say "Lints (clippy, warnings are errors)"
LEPTOS_OUTPUT_NAME=frontline cargo clippy --release -p domain -p storage -p app -p server -p benches --all-targets -- -D warnings

say "Browser tests (Chromium, desktop and 375 px touch)"
(cd end2end && npx playwright test)
say "Every test passed in $((SECONDS / 60)) min $((SECONDS % 60)) s"
