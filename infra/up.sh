#!/usr/bin/env bash
# The whole local stack on embedded defaults: the dev Kafka broker, ClickHouse, `unitization serve --roles all`
# with the shipped two-datacenter config (dcA, dcB as local namespaces under ./data), and every demo workload in
# infra/demo.d/. Prints the URLs; Ctrl-C (or SIGTERM) stops everything it started.
#   PORT=8080 (service), UNITIZATION_DATA=./data (data folder; wiped with --fresh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$repo_root"

port="${PORT:-8080}"
data="${UNITIZATION_DATA:-$repo_root/data}"
config="$repo_root/infra/config/unitization.json"
run_dir="$repo_root/.run/up"
if [ "${1:-}" = "--fresh" ]; then rm -rf "$data"; fi
mkdir -p "$data" "$run_dir"

pids=()
# track_pid PID: stopped (SIGTERM, then waited for) when the stack stops; demo.d scripts use it too.
track_pid() { pids+=("$1"); }
stopping=0
stop_all() {
  [ "$stopping" -eq 1 ] && return; stopping=1
  log "stopping"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$repo_root/infra/devbroker.sh" stop "$data" || true
  "$repo_root/infra/clickhouse/clickhouse.sh" stop "$data/clickhouse" || true
  log "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

ensure_packages clickhouse-server clickhouse-client

log "building"
"$repo_root/unitization" --help >/dev/null

"$repo_root/infra/devbroker.sh" start "$data" --config "$config"
# under the data folder: the analytics role reads its port from Analytics:ClickHousePortFile there
"$repo_root/infra/clickhouse/clickhouse.sh" start "$data/clickhouse"
clickhouse_url="http://127.0.0.1:$(cat "$data/clickhouse/http.port")"
export UNITIZATION_Analytics__ClickHouseUrl="$clickhouse_url"

base="http://127.0.0.1:$port"
"$repo_root/unitization" serve --roles all --config "$config" --data "$data" --urls "$base" --sample-hms --sample-hms-interval 00:00:05 \
  > >(sed -u 's/^/[serve] /') 2>&1 &
serve_pid=$!
track_pid $serve_pid
serve_up() { kill -0 "$serve_pid" 2>/dev/null || die "unitization serve exited (its output above says why)"; curl -fsS "$base/healthz"; }
wait_for "unitization serve" 120 serve_up

export UNITIZATION_BASE_URL="$base" UNITIZATION_DATA_DIR="$data" UNITIZATION_CONFIG="$config"
for demo in "$repo_root"/infra/demo.d/*.sh; do
  [ -e "$demo" ] || continue
  log "demo: $(basename "$demo")"
  # shellcheck source=/dev/null
  source "$demo"
done

cat <<URLS

  Unitization is up (data in $data)
    health            $base/healthz
    placement         $base/api/v1/placement
    replication rules $base/api/v1/replication/rules
    resolve           $base/api/v1/resolve?path=/warehouse/sales/orders&clientIp=10.2.0.7
    WebHDFS gateway   $base/webhdfs/v1/warehouse?op=LISTSTATUS
    throttle state    $base/api/v1/throttle/state
    dashboard         $base/analytics
    Kafka (dev broker) $(cat "$data/kafka.bootstrap")
    ClickHouse        $clickhouse_url
  Ctrl-C stops everything.

URLS
wait "${pids[0]}"
