#!/usr/bin/env bash
# ClickHouse for the local stack and the tests, with its config and data under a folder of the project's.
#   infra/clickhouse/clickhouse.sh start DIR   installs clickhouse-server/-client (Debian) if missing, renders
#                                              config.xml.in into DIR with free loopback ports, starts the server,
#                                              writes DIR/http.port and DIR/tcp.port, waits for /ping; a restart
#                                              in the same DIR keeps its ports while they are free
#   infra/clickhouse/clickhouse.sh stop DIR    stops the server started in DIR (DIR/clickhouse.pid)
# The server runs as the invoking user (root here), owning DIR; it listens on 127.0.0.1 only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
here="$repo_root/infra/clickhouse"

usage() { die "usage: $0 start|stop DIR"; }
[ $# -eq 2 ] || usage
cmd="$1"; dir="$2"
mkdir -p "$dir"; dir="$(cd "$dir" && pwd)"
pid_file="$dir/clickhouse.pid"

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid; pid="$(cat "$pid_file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start() {
  if pid="$(running_pid)"; then
    log "ClickHouse already running in $dir (pid $pid, http port $(cat "$dir/http.port"))"
    return 0
  fi
  ensure_packages clickhouse-server clickhouse-client
  local server; server="$(command -v clickhouse-server || echo /usr/sbin/clickhouse-server)"
  [ -x "$server" ] || die "clickhouse-server is not installed (apt-get install clickhouse-server)"
  mkdir -p "$dir"/{data,tmp,log,user_files,format_schemas}
  cp "$here/users.xml" "$dir/users.xml"
  local attempt http tcp inter
  for attempt in 1 2 3; do
    http="$(free_port)"; tcp="$(free_port)"; inter="$(free_port)"
    # a restart in the same folder keeps its ports while they are free, so clients configured with them reconnect
    if [ "$attempt" -eq 1 ] && [ -f "$dir/http.port" ] && [ -f "$dir/tcp.port" ]; then
      local old_http old_tcp; old_http="$(cat "$dir/http.port")"; old_tcp="$(cat "$dir/tcp.port")"
      if ! ss -Htln "sport = :$old_http" | grep -q . && ! ss -Htln "sport = :$old_tcp" | grep -q .; then
        http="$old_http"; tcp="$old_tcp"
      fi
    fi
    sed -e "s|@DIR@|$dir|g" -e "s|@HTTP_PORT@|$http|g" -e "s|@TCP_PORT@|$tcp|g" -e "s|@INTERSERVER_PORT@|$inter|g" \
      "$here/config.xml.in" > "$dir/config.xml"
    # its own session, so a Ctrl-C in the calling terminal does not reach it; stop sends SIGTERM
    setsid "$server" --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 < /dev/null &
    echo $! > "$pid_file"
    local deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ]; do
      if curl -fsS "http://127.0.0.1:$http/ping" >/dev/null 2>&1; then
        echo "$http" > "$dir/http.port"; echo "$tcp" > "$dir/tcp.port"
        log "ClickHouse up: http://127.0.0.1:$http (tcp $tcp), data in $dir/data"
        return 0
      fi
      running_pid >/dev/null || break
      sleep 0.2
    done
    if running_pid >/dev/null; then stop; die "ClickHouse did not answer /ping within 60s (see $dir/log)"; fi
    log "ClickHouse exited during start (attempt $attempt): $(tail -n 3 "$dir/log/clickhouse-server.err.log" "$dir/log/stdout.log" 2>/dev/null | tr '\n' ' ' | cut -c1-400)"
  done
  die "ClickHouse did not start; see $dir/log/"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then kill -KILL "$pid" 2>/dev/null || true; break; fi
    sleep 0.2
  done
  rm -f "$pid_file"
  log "ClickHouse stopped ($dir)"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
