#!/usr/bin/env bash
# The whole local stack on embedded defaults: the dev Kafka broker, ClickHouse, `unitization serve --roles all`
# with the shipped two-datacenter config (dcA, dcB as local namespaces under ./data), and every demo workload in
# infra/demo.d/. Prints the URLs and how to call the API; Ctrl-C (or SIGTERM) stops everything it started.
# Every endpoint but /healthz needs a credential: it creates demo API tokens (admin, operator, scheduler, reader,
# service; in .run/up/tokens/), the demo scripts call the API with them, and the dashboard's reads are opened
# (Security:AllowAnonymousRead) so a browser can show it. --kerberos also starts a local MIT Kerberos realm
# (infra/kerberos/kdc.sh) and accepts SPNEGO: alice@UNITIZATION.TEST is an operator, bob@UNITIZATION.TEST a reader.
#   PORT=8080 (service), UNITIZATION_DATA=./data (data folder; wiped with --fresh)
#   --fleet: PostgreSQL and two processes of every role instead (infra/fleet/up.sh)
#   --hdfs:  dcB is a `Kind: hdfs` namespace reached over WebHDFS: a second `unitization serve --roles router` over its
#            own directory stands in for dcB's NameNode (infra/config/hdfs-gateway.json, port PORT+1), and
#            `unitization hdfs journalnode` serves that directory's edits as the NameNode's edit log segments (PORT+2)
set -euo pipefail
if [ "${1:-}" = "--fleet" ]; then shift; exec "$(dirname "${BASH_SOURCE[0]}")/fleet/up.sh" "$@"; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$repo_root"

port="${PORT:-8080}"
data="${UNITIZATION_DATA:-$repo_root/data}"
config="$repo_root/infra/config/unitization.json"
run_dir="$repo_root/.run/up"
kerberos=0
hdfs=0
for arg in "$@"; do
  case "$arg" in
    --fresh) rm -rf "$data" ;;
    --kerberos) kerberos=1 ;;
    --hdfs) hdfs=1 ;;
    *) die "unknown option $arg (use --fresh, --kerberos, --hdfs)" ;;
  esac
done
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
  [ "$kerberos" -eq 1 ] && { "$repo_root/infra/kerberos/kdc.sh" stop "$run_dir/kdc" || true; }
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

# demo API tokens, one per role, kept (0600) under .run/up/tokens/; the demo scripts call api_curl ROLE ...
tokens_dir="$run_dir/tokens"
create_demo_tokens "$tokens_dir" "$config" "$data"
# the roles call each other (throttle leases, rules, cap relays) as the service token; a browser reads the dashboard
export UNITIZATION_Security__Client__Token="$demo_token_service"
export UNITIZATION_Security__AllowAnonymousRead__0="/analytics/**" UNITIZATION_Security__AllowAnonymousRead__1="/dashboard" \
  UNITIZATION_Security__AllowAnonymousRead__2="/api/v1/traffic/**"

if [ "$kerberos" -eq 1 ]; then
  "$repo_root/infra/kerberos/kdc.sh" start "$run_dir/kdc" alice bob
  # shellcheck source=/dev/null
  source "$run_dir/kdc/kdc.env"
  export UNITIZATION_Security__Kerberos__Enabled=true UNITIZATION_Security__Kerberos__Keytab="$run_dir/kdc/http.keytab" \
    UNITIZATION_Security__Principals__0__Name="alice@UNITIZATION.TEST" UNITIZATION_Security__Principals__0__Roles__0=operator \
    UNITIZATION_Security__Principals__1__Name="bob@UNITIZATION.TEST" UNITIZATION_Security__Principals__1__Roles__0=reader
fi

if [ "$hdfs" -eq 1 ]; then
  # shellcheck source=lib/hdfs.sh
  source "$repo_root/infra/lib/hdfs.sh"
  start_hdfs_dcb "$data/hdfs-dcB" $((port + 1)) $((port + 2))
  # replacing an HDFS replica withdraws its record for Replication:ReplicaSwapGrace (5 s): with the table rewritten
  # every 5 s, dcB's copy would almost never be offered to a reader, so the demo writes it every 30 s instead
  hms_interval=00:00:30
fi

base="http://127.0.0.1:$port"
"$repo_root/unitization" serve --roles all --config "$config" --data "$data" --urls "$base" --sample-hms --sample-hms-interval "${hms_interval:-00:00:05}" \
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

[ "$hdfs" -eq 1 ] && hdfs_demo

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
    ClickHouse        $clickhouse_url${hdfs_urls:-}
  Ctrl-C stops everything.

  Every endpoint but /healthz needs a credential (the dashboard's reads are opened for the demo). Demo tokens, one
  per role (admin, operator, scheduler, reader, service), are in $tokens_dir:
    curl -H "Authorization: Bearer \$(cat $tokens_dir/reader)" $base/api/v1/mounts
    UNITIZATION_TOKEN=\$(cat $tokens_dir/reader) ./unitization resolve /warehouse/sales/orders --url $base
    ./unitization resolve /warehouse/sales/orders --url $base --token \$(cat $tokens_dir/reader)
    ./unitization tokens create --name NAME --role operator --config infra/config/unitization.json --data $data
URLS
if [ "$kerberos" -eq 1 ]; then
  cat <<KERBEROS
  Kerberos (realm UNITIZATION.TEST on loopback; alice is an operator, bob a reader):
    source $run_dir/kdc/kdc.env && kinit -kt $run_dir/kdc/alice.keytab alice
    curl --negotiate -u : http://localhost:$port/api/v1/mounts
    ./unitization resolve /warehouse/sales/orders --url http://localhost:$port      (no token: the ticket cache)
KERBEROS
fi
echo "  Ctrl-C stops everything."
echo
wait "${pids[0]}"
