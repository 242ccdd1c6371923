#!/usr/bin/env bash
# How often a signed-in session's row is written: starts BINARY on a fresh
# database with demo data, signs one agent in, sends N (default 1000)
# `current_user` requests with the cookie, and prints the session-row writes
# PostgreSQL counted (pg_stat_user_tables) and the request latency.
# usage: benches/session-writes.sh target/release/frontline sqlite|postgres PORT
set -euo pipefail
BIN=$1; DB=$2; PORT=$3; N=${N:-1000}
DIR=$(mktemp -d)
if [ "$DB" = postgres ]; then
  NAME=fl_sessbench_$PORT
  psql -q postgres://postgres@127.0.0.1:5432/postgres -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" -c "CREATE DATABASE $NAME"
  export FRONTLINE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$NAME
fi
export FRONTLINE_DATA_DIR=$DIR FRONTLINE_LISTEN=127.0.0.1:$PORT FRONTLINE_LOG=warn
"$BIN" demo-data --size 100 >/dev/null
"$BIN" >"$DIR/server.log" 2>&1 & PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$PORT/readyz && break; sleep 0.1; done
URL=http://127.0.0.1:$PORT
curl -s -o /dev/null -c "$DIR/jar" -H "Origin: $URL" -d "email=l1.agent%40example.org&password=frontline-demo" $URL/api/sign_in
writes() {
  if [ "$DB" = postgres ]; then
    sleep 1.5
    psql -Atq "$FRONTLINE_DATABASE_URL" -c "SELECT pg_stat_force_next_flush()" >/dev/null
    psql -Atq "$FRONTLINE_DATABASE_URL" -c "SELECT n_tup_upd + n_tup_ins FROM pg_stat_user_tables WHERE relname = 'sessions'"
  else
    echo n/a
  fi
}
before=$(writes)
for _ in $(seq $N); do
  curl -s -o /dev/null -w "%{time_total}\n" -b "$DIR/jar" -H "Origin: $URL" -X POST $URL/api/current_user
done > "$DIR/times"
after=$(writes)
sort -n "$DIR/times" | awk -v n=$N -v db=$DB -v b="$before" -v a="$after" '{t[NR]=$1} END {
  printf "%s: %d current_user requests: session row writes %s; latency p50 %.2f ms, p90 %.2f ms, max %.2f ms\n",
    db, n, (b=="n/a"?"n/a":a-b), t[int(n*0.5)]*1000, t[int(n*0.9)]*1000, t[n]*1000 }'
