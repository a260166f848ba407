#!/usr/bin/env bash
# A private PostgreSQL server on loopback for cluster journals and their tests, installed and started by the project.
#   scripts/postgres.sh start            install Debian's server if missing, start it (idempotent), print its address
#   scripts/postgres.sh create-db NAME   create database NAME (if missing); prints a connection string for it
#   scripts/postgres.sh password-file    print the path of the file holding the superuser's password
#   scripts/postgres.sh stop
# SHAPING_PG_DIR (default /tmp/shaping-pg) holds the data; SHAPING_PG_PORT (default 55433) is the port.
# Authentication is scram-sha-256 with a password generated at the first start and kept, mode 0600, in
# $SHAPING_PG_DIR/shaping-password (the server ignores the file). Connection strings carry it: keep them private.
# A data directory made by an older version of this script (trust authentication) gets a password on start.
set -euo pipefail
dir=${SHAPING_PG_DIR:-/tmp/shaping-pg}
port=${SHAPING_PG_PORT:-55433}
password_file="$dir/shaping-password"

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

new_password() { python3 -c 'import secrets; print(secrets.token_urlsafe(24))'; }

# Writes the password file, readable by its owner only (never briefly by others).
write_password() { (umask 077; printf '%s\n' "$1" > "$password_file"); }

password() {
  [ -f "$password_file" ] || { echo "postgres.sh: $password_file not found: run 'scripts/postgres.sh start' first" >&2; exit 1; }
  head -1 "$password_file"
}

psql_super() { PGPASSWORD=$(password) "$(bin)/psql" -h 127.0.0.1 -p "$port" -U postgres "$@"; }

# Only scram-authenticated connections, over loopback TCP and the socket in the data directory.
write_hba() {
  as_owner tee "$dir/pg_hba.conf" >/dev/null <<'HBA'
local all all                scram-sha-256
host  all all 127.0.0.1/32   scram-sha-256
host  all all ::1/128        scram-sha-256
HBA
}

case "${1:-}" in
  start)
    b=$(bin)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      chmod 700 "$dir"
      pw=$(new_password)
      # initdb reads the password from a file the server's user can read; it is removed at once.
      secret=$(mktemp); chmod 600 "$secret"; printf '%s\n' "$pw" > "$secret"
      [ "$(id -u)" = 0 ] && chown postgres "$secret"
      as_owner "$b/initdb" -D "$dir" -U postgres --auth-local=scram-sha-256 --auth-host=scram-sha-256 --pwfile="$secret" >/dev/null
      rm -f "$secret"
      write_password "$pw"
    fi
    if ! as_owner "$b/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$b/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c password_encryption=scram-sha-256" start >/dev/null
    fi
    if [ ! -f "$password_file" ]; then
      # Made with trust authentication by an older version of this script: give the superuser a password, then
      # accept only scram from now on.
      pw=$(new_password)
      "$b/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "ALTER ROLE postgres PASSWORD '$pw'" >/dev/null
      write_password "$pw"
      write_hba
      as_owner "$b/pg_ctl" -D "$dir" reload >/dev/null
      echo "postgres.sh: $dir used trust authentication; it now requires the password in $password_file" >&2
    fi
    echo "127.0.0.1:$port"
    ;;
  create-db)
    name=${2:?database name}
    [[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || { echo "postgres.sh: database name '$name': use letters, digits and _ only" >&2; exit 2; }
    psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
      || psql_super -qc "CREATE DATABASE \"$name\"" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(password);Database=$name"
    ;;
  password-file)
    password >/dev/null
    echo "$password_file"
    ;;
  stop)
    b=$(bin)
    as_owner "$b/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start | create-db NAME | password-file | stop" >&2; exit 2 ;;
esac
