#!/usr/bin/env bash
# Runs every test: installs what is missing, starts the servers the integration tests need (ClickHouse, the dev
# Kafka broker), runs the solution's tests, stops what it started, and exits non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$repo_root"

run_dir="$repo_root/.run/test"
rm -rf "$run_dir"; mkdir -p "$run_dir"

ensure_packages clickhouse-server clickhouse-client chromium thrift-compiler

stop_all() {
  "$repo_root/infra/devbroker.sh" stop "$run_dir/broker" || true
  "$repo_root/infra/clickhouse/clickhouse.sh" stop "$run_dir/clickhouse" || true
}
trap stop_all EXIT

log "building"
dotnet build Unitization.sln -c Release -nologo -v q -clp:ErrorsOnly

"$repo_root/infra/clickhouse/clickhouse.sh" start "$run_dir/clickhouse"
export UNITIZATION_TEST_CLICKHOUSE="http://127.0.0.1:$(cat "$run_dir/clickhouse/http.port")"
"$repo_root/infra/devbroker.sh" start "$run_dir/broker" --config "$repo_root/infra/config/unitization.json"
export UNITIZATION_TEST_KAFKA="$(cat "$run_dir/broker/kafka.bootstrap")"
export UNITIZATION_TEST_BROKER_DIR="$run_dir/broker"
export UNITIZATION_CHROMIUM="${UNITIZATION_CHROMIUM:-/usr/bin/chromium}"

log "testing (ClickHouse $UNITIZATION_TEST_CLICKHOUSE, Kafka $UNITIZATION_TEST_KAFKA)"
status=0
dotnet test Unitization.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --results-directory "$run_dir/results" || status=$?
exit $status
