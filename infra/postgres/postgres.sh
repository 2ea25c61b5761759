#!/usr/bin/env bash
# PostgreSQL (Debian's packages) for the tests and the fleet, with its data under a folder of the project's.
#   infra/postgres/postgres.sh start DIR   installs postgresql if missing, initdb DIR/data on first start (trust auth
#                                          on loopback, superuser postgres), starts it on 127.0.0.1 on a free port
#                                          (kept across restarts while free), creates database `unitization`, writes
#                                          DIR/port and DIR/connection-string (an Npgsql connection string)
#   infra/postgres/postgres.sh stop DIR    stops the server started in DIR (pg_ctl stop -m fast)
# initdb and postgres refuse to run as root: as root the server runs as the `postgres` user, owning DIR (or, when that
# user cannot reach DIR, e.g. under /root, a folder of its own under /var/lib/postgresql named after DIR).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

usage() { die "usage: $0 start|stop DIR"; }
[ $# -eq 2 ] || usage
cmd="$1"; dir="$2"
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
home="$dir"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
  home="/var/lib/postgresql/unitization-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
fi
data="$home/data"

# as_owner CMD...: runs CMD as the server's user (postgres when we are root)
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

running() {
  local bin; bin="$(pg_bin)" || return 1
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
  ensure_packages postgresql
  local bin; bin="$(pg_bin)" || die "PostgreSQL's binaries are not under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
  mkdir -p "$home"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres "$home"
  fi
  if running; then
    log "PostgreSQL already running in $dir (port $(cat "$dir/port"))"
    return 0
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale >"$home/initdb.log" 2>&1 \
      || die "initdb failed: $(tail -n 5 "$home/initdb.log" | tr '\n' ' ')"
  fi
  local port attempt
  for attempt in 1 2 3; do
    port="$(free_port)"
    if [ "$attempt" -eq 1 ] && [ -f "$dir/port" ] && ! ss -Htln "sport = :$(cat "$dir/port")" | grep -q .; then
      port="$(cat "$dir/port")"
    fi
    # the socket lives beside the data (not /var/run/postgresql); max_connections covers two of every role and the tests
    if as_owner "$bin/pg_ctl" -D "$data" -l "$home/postgres.log" -w -t 60 \
        -o "-k $home -c listen_addresses=127.0.0.1 -p $port -c max_connections=300" start >/dev/null 2>&1; then
      echo "$port" > "$dir/port"
      break
    fi
    log "PostgreSQL did not start on port $port (attempt $attempt): $(tail -n 3 "$home/postgres.log" | tr '\n' ' ' | cut -c1-300)"
    port=""
  done
  [ -n "$port" ] || die "PostgreSQL did not start; see $home/postgres.log"
  if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'unitization'" | grep -q 1; then
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres unitization
  fi
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=unitization" > "$dir/connection-string"
  log "PostgreSQL up: 127.0.0.1:$port database unitization, data in $data"
}

stop() {
  local bin; bin="$(pg_bin)" || return 0
  running || return 0
  as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
  log "PostgreSQL stopped ($dir)"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
