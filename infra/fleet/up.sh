#!/usr/bin/env bash
# `infra/up.sh --fleet`: the local stack as a fleet. PostgreSQL (Debian's packages, under the data folder, on
# loopback; infra/postgres/postgres.sh) holds the state, the dev Kafka broker and ClickHouse run as in infra/up.sh, and
# every role runs as two `unitization serve` processes on ports of their own over the same data folder:
#   throttle PORT+1, +2   datamanager +3, +4   router +5, +6   replicator +7, +8   analytics +9, +10
# The sample HMS runs as a process of its own (unitization-sample-hms, PORT+11) and is dcA's only writer, as Hive writes
# a primary NameNode: every role follows dcA's edit log read-only (Datacenters:0:Access follow), so killing any
# process of a role never stops the HMS. Routers follow every namespace; the first replicator to start writes dcB, the
# second is a standby writer that takes over when the first dies; DataManagers answer readiness from the routers
# (DataManager:RouterUrls) and replicators read rules from either DataManager (Replication:RulesUrl). Then the demo workloads of infra/demo.d/ run against the processes of their roles, and
# every URL is printed. Ctrl-C (or SIGTERM) stops everything it started.
#   PORT=8080, UNITIZATION_DATA=./data-fleet (wiped with --fresh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
cd "$repo_root"

port="${PORT:-8080}"
data="${UNITIZATION_DATA:-$repo_root/data-fleet}"
config="$repo_root/infra/config/unitization.json"
if [ "${1:-}" = "--fresh" ]; then rm -rf "$data"; fi
mkdir -p "$data"

pids=()
track_pid() { pids+=("$1"); }
stopping=0
stop_all() {
  [ "$stopping" -eq 1 ] && return; stopping=1
  trap '' INT TERM # a second Ctrl-C while stopping would leave processes running
  log "stopping the fleet"
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "$repo_root/infra/devbroker.sh" stop "$data" || true
  "$repo_root/infra/clickhouse/clickhouse.sh" stop "$data/clickhouse" || true
  [ -x "$repo_root/infra/postgres/postgres.sh" ] && { "$repo_root/infra/postgres/postgres.sh" stop "$data/postgres" || true; }
  log "stopped"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

ensure_packages clickhouse-server clickhouse-client postgresql

log "building"
"$repo_root/unitization" --help >/dev/null
hms_out="$repo_root/artifacts/bin/unitization-sample-hms"
dotnet build "$repo_root/infra/Unitization.SampleHms/Unitization.SampleHms.csproj" -c Release -o "$hms_out" -nologo -v q -clp:ErrorsOnly >/dev/null \
  || die "building the sample HMS failed (dotnet build infra/Unitization.SampleHms)"

# PostgreSQL holds the state (SQLite's file, shared on this one machine, where the PostgreSQL script is not present)
postgres="$repo_root/infra/postgres/postgres.sh"
if [ -x "$postgres" ]; then
  "$postgres" start "$data/postgres"
  export UNITIZATION_StateStore__Provider=postgresql
  UNITIZATION_StateStore__ConnectionString="$(cat "$data/postgres/connection-string")"
  export UNITIZATION_StateStore__ConnectionString
  state="PostgreSQL 127.0.0.1:$(cat "$data/postgres/port") (database unitization)"
else
  log "no infra/postgres/postgres.sh in this checkout: the fleet shares SQLite's state file instead"
  state="SQLite $data/state.db"
fi
"$repo_root/infra/devbroker.sh" start "$data" --config "$config"
"$repo_root/infra/clickhouse/clickhouse.sh" start "$data/clickhouse"
clickhouse_url="http://127.0.0.1:$(cat "$data/clickhouse/http.port")"

url() { echo "http://127.0.0.1:$((port + $1))"; }
throttle=("$(url 1)" "$(url 2)"); datamanager=("$(url 3)" "$(url 4)"); router=("$(url 5)" "$(url 6)")
replicator=("$(url 7)" "$(url 8)"); analytics=("$(url 9)" "$(url 10)")

# what every process shares besides the state: ClickHouse, one throttle service for every link budget
export UNITIZATION_Analytics__ClickHouseUrl="$clickhouse_url"
export UNITIZATION_Throttle__ServiceUrl__0="${throttle[0]}" UNITIZATION_Throttle__ServiceUrl__1="${throttle[1]}"
export UNITIZATION_Replication__RulesUrl__0="${datamanager[0]}" UNITIZATION_Replication__RulesUrl__1="${datamanager[1]}"
export UNITIZATION_DataManager__RouterUrls__0="${router[0]}" UNITIZATION_DataManager__RouterUrls__1="${router[1]}"
# dcA is written by the sample HMS process alone; the fleet follows it (the replicators write dcB)
export UNITIZATION_Datacenters__0__Access=follow
# demo API tokens in PostgreSQL (every process accepts them), kept under .run/fleet/tokens/; the roles call each other
# with the service token; a browser reads the dashboard
tokens_dir="$repo_root/.run/fleet/tokens"
create_demo_tokens "$tokens_dir" "$config" "$data"
export UNITIZATION_Security__Client__Token="$demo_token_service"
export UNITIZATION_Security__AllowAnonymousRead__0="/analytics/**" UNITIZATION_Security__AllowAnonymousRead__1="/dashboard" \
  UNITIZATION_Security__AllowAnonymousRead__2="/api/v1/traffic/**"

# start NAME ROLES URL [serve options...]: one `unitization serve` process, its output prefixed with NAME
start() {
  local name="$1" roles="$2" base="$3"; shift 3
  "$repo_root/unitization" serve --roles "$roles" --config "$config" --data "$data" --urls "$base" "$@" \
    > >(sed -u "s/^/[$name] /") 2>&1 &
  track_pid $!
  names+=("$name")
}
names=()

start throttle-1 throttle "${throttle[0]}"
start throttle-2 throttle "${throttle[1]}"
start datamanager-1 datamanager "${datamanager[0]}"
start datamanager-2 datamanager "${datamanager[1]}"
start router-1 router "${router[0]}"
start router-2 router "${router[1]}"
# the sample HMS (an INSERT into sales.orders in dcA every 5 s; its address in DATA/sample-hms.uri, where the pumps look)
rm -f "$data/sample-hms.uri"
dotnet "$hms_out/unitization-sample-hms.dll" --config "$config" --data "$data" --port $((port + 11)) --interval 00:00:05 --inserts \
  > >(sed -u "s/^/[hms] /") 2>&1 &
track_pid $!
names+=("hms")
wait_for "the sample HMS" 60 test -s "$data/sample-hms.uri"
start replicator-1 replicator "${replicator[0]}"
start replicator-2 replicator "${replicator[1]}"
start analytics-1 analytics "${analytics[0]}"
start analytics-2 analytics "${analytics[1]}"

all=("${throttle[@]}" "${datamanager[@]}" "${router[@]}" "${replicator[@]}" "${analytics[@]}")
for base in "${all[@]}"; do
  up() { for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || die "a fleet process exited (its output above says why)"; done; curl -fsS "$base/healthz"; }
  wait_for "unitization serve at $base" 180 up
done

export UNITIZATION_DATA_DIR="$data" UNITIZATION_CONFIG="$config"
# each demo against a process of its role
demo() {
  local script="$1" base="$2"
  [ -e "$script" ] || return 0
  log "demo: $(basename "$script") against $base"
  # shellcheck source=/dev/null
  UNITIZATION_BASE_URL="$base" source "$script"
}
demo "$repo_root/infra/demo.d/10-datamanager.sh" "${datamanager[0]}"
# the replication rules are the DataManagers' (the replicators read them from there)
UNITIZATION_RULES_URL="${datamanager[0]}" demo "$repo_root/infra/demo.d/20-replication.sh" "${replicator[0]}"
demo "$repo_root/infra/demo.d/30-router.sh" "${router[1]}"
demo "$repo_root/infra/demo.d/40-analytics.sh" "${analytics[0]}"
demo "$repo_root/infra/demo.d/throttle.sh" "${throttle[0]}"
log "fleet: readiness from a DataManager without the router role: $(api_curl scheduler -fsS "${datamanager[1]}/api/v1/placement/jobs/airflow/dag_00000.task_000000" | grep -o '"readiness":"[^"]*"' || true)"
log "fleet: replicators: $(for base in "${replicator[@]}"; do curl -fsS "$base/healthz" | grep -o '"description":"[^"]*"' | head -1; done | tr '\n' ' ')"

cat <<URLS

  Unitization fleet is up (data in $data; state in $state)
    throttle          ${throttle[0]}/api/v1/throttle/state   ${throttle[1]}/api/v1/throttle/state
    datamanager       ${datamanager[0]}/api/v1/placement   ${datamanager[1]}/api/v1/placement
    router            ${router[0]}/api/v1/resolve?path=/warehouse/sales/orders&clientIp=10.2.0.7   ${router[1]}/api/v1/router/status
    WebHDFS gateway   ${router[0]}/webhdfs/v1/warehouse?op=LISTSTATUS   ${router[1]}/webhdfs/v1/warehouse?op=LISTSTATUS
    replicator        ${replicator[0]}/api/v1/replication/status   ${replicator[1]}/healthz (standby writer)
    migrations        ${replicator[0]}/api/v1/migrations   ${replicator[1]}/api/v1/migrations
    analytics         ${analytics[0]}/analytics   ${analytics[1]}/analytics
    health            $(for base in "${all[@]}"; do printf '%s/healthz ' "$base"; done)
    Kafka (dev broker) $(cat "$data/kafka.bootstrap")
    ClickHouse        $clickhouse_url
    state store       $state
    processes         $(for i in "${!names[@]}"; do printf '%s=%s ' "${names[i]}" "${pids[i]}"; done)
  API tokens per role are in $tokens_dir (curl -H "Authorization: Bearer \$(cat $tokens_dir/reader)" ...).
  Kill one process of a role (kill -9 PID) and its twin carries on. Ctrl-C stops everything.

URLS
wait "${pids[0]}"
