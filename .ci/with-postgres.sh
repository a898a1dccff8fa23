#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server on 127.0.0.1.
# Installs Debian's postgresql package if it is missing, starts a private
# cluster on a free loopback port, exports DATABASE_URL, runs "$@", then stops
# and removes the cluster whatever the command's outcome.
set -euo pipefail

find_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PG_BIN="$(find_pg_bin || true)"
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "==> Installing PostgreSQL (Debian package postgresql)"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q postgresql >/dev/null
    PG_BIN="$(find_pg_bin)"
fi

DATA_DIR="$(mktemp -d /tmp/clinic-pg.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

# initdb refuses to run as root; use the postgres system user in that case.
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$DATA_DIR"
    AS_PG=(runuser -u postgres --)
fi

cleanup() {
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DATA_DIR"
}
trap cleanup EXIT

echo "==> Starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA_DIR/data" -U postgres -A trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -l "$DATA_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null

# The database DATABASE_URL names: a test run creates its own test_clinic
# beside it, but a command that uses it directly (bench.scale) needs it there.
"${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres clinic
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/clinic"
"$@"
