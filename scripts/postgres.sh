#!/usr/bin/env bash
# A private PostgreSQL server on loopback for cluster journals and their tests, installed and started by the project.
#   scripts/postgres.sh start            install Debian's server if missing, start it (idempotent), print its address
#   scripts/postgres.sh create-db NAME   create database NAME (if missing); prints a connection string for it
#   scripts/postgres.sh stop
# SHAPING_PG_DIR (default /tmp/shaping-postgres) holds the data; SHAPING_PG_PORT (default 55432) is the port.
set -euo pipefail
dir=${SHAPING_PG_DIR:-/tmp/shaping-postgres}
port=${SHAPING_PG_PORT:-55432}

bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ]; then
    [ "$(id -u)" = 0 ] || { echo "postgres.sh: PostgreSQL is not installed and installing it needs root" >&2; exit 1; }
    echo "postgres.sh: installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$found"
}

# The server refuses to run as root: as root, run it as the package's postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    b=$(bin)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_owner "$b/initdb" -D "$dir" -A trust -U postgres >/dev/null
    fi
    if ! as_owner "$b/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$b/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
    fi
    echo "127.0.0.1:$port"
    ;;
  create-db)
    name=${2:?database name}
    "$(bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
      || "$(bin)/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=$name"
    ;;
  stop)
    b=$(bin)
    as_owner "$b/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start | create-db NAME | stop" >&2; exit 2 ;;
esac
