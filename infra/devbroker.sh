#!/usr/bin/env bash
# The dev Kafka broker (librdkafka's mock cluster, infra/Unitization.DevBroker) for the local stack and the tests.
#   infra/devbroker.sh start DIR --config FILE   build if needed, start in the background, wait until it answers a
#                                                Metadata request; writes DIR/kafka.bootstrap, DIR/control.url,
#                                                DIR/devbroker.pid, DIR/devbroker.log
#   infra/devbroker.sh stop DIR                  SIGTERM, wait for a clean exit (SIGKILL after 20 s)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

project="$repo_root/infra/Unitization.DevBroker"
dll="$project/bin/Release/net10.0/unitization-devbroker.dll"

usage() { die "usage: infra/devbroker.sh start DIR --config FILE | stop DIR"; }

alive() { [ -f "$1/devbroker.pid" ] && kill -0 "$(cat "$1/devbroker.pid")" 2>/dev/null; }

build_if_needed() {
  local stale=0
  if [ ! -f "$dll" ]; then
    stale=1
  elif [ -n "$(find "$project" "$repo_root/infra/Unitization.Kafka" "$repo_root/Directory.Packages.props" \
                 -newer "$dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]; then
    stale=1
  fi
  if [ "$stale" -eq 1 ]; then
    log "building the dev broker"
    dotnet build "$project" -c Release -nologo -v q -clp:"ErrorsOnly;NoSummary" >&2
  fi
}

start() {
  local dir="$1" config="$2"
  [ -f "$config" ] || die "configuration file '$config' does not exist"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  alive "$dir" && die "a dev broker is already running for $dir (pid $(cat "$dir/devbroker.pid")); stop it first"
  build_if_needed
  rm -f "$dir/kafka.bootstrap" "$dir/control.url"
  nohup dotnet "$dll" serve --config "$config" --dir "$dir" >"$dir/devbroker.log" 2>&1 </dev/null &
  echo $! >"$dir/devbroker.pid"

  local deadline=$((SECONDS + 60))
  until [ -s "$dir/kafka.bootstrap" ] && [ -s "$dir/control.url" ]; do
    if ! alive "$dir"; then
      cat "$dir/devbroker.log" >&2
      rm -f "$dir/devbroker.pid"
      die "the dev broker exited during start (log above: $dir/devbroker.log)"
    fi
    [ $SECONDS -ge $deadline ] && { stop "$dir"; die "the dev broker did not write $dir/kafka.bootstrap within 60s"; }
    sleep 0.2
  done
  # a real Metadata request against the mock brokers, made by the broker's control API
  wait_for "the dev broker's Metadata answer" 30 curl -fsS "$(cat "$dir/control.url")/healthz"
  log "dev Kafka broker at $(cat "$dir/kafka.bootstrap") (control API $(cat "$dir/control.url"), pid $(cat "$dir/devbroker.pid"))"
}

stop() {
  local dir="$1"
  [ -f "$dir/devbroker.pid" ] || return 0
  local pid; pid="$(cat "$dir/devbroker.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then
        log "the dev broker (pid $pid) did not stop within 20s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
  fi
  rm -f "$dir/devbroker.pid" "$dir/kafka.bootstrap" "$dir/control.url"
  log "dev Kafka broker stopped"
}

[ $# -ge 2 ] || usage
case "$1" in
  start)
    dir="$2"; shift 2
    config=""
    while [ $# -gt 0 ]; do
      case "$1" in
        --config) config="${2:?--config needs a file}"; shift 2 ;;
        *) usage ;;
      esac
    done
    [ -n "$config" ] || usage
    start "$dir" "$(cd "$(dirname "$config")" && pwd)/$(basename "$config")"
    ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
