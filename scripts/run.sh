#!/usr/bin/env bash
# README command 1: set up if needed, build for release, and run the desk on
# an embedded SQLite file under ./data (override with FRONTLINE_* variables).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/setup.sh"
select_toolchain
cd "$ROOT"
say "Building Frontline (release)"
build_site
say "Starting Frontline on http://${FRONTLINE_LISTEN:-127.0.0.1:3000} (Ctrl-C stops it)"
exec "$CARGO_TARGET_DIR/release/frontline" "$@"
