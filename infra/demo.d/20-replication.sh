# Replication demo (sourced by infra/up.sh after `serve --sample-hms` is up): the sample HMS in the service writes
# sales.orders (/warehouse/sales/orders, an INSERT every few seconds) in dcA; the pump publishes its notification
# events to Kafka, the worker copies the table to dcB (the rule pinned in Replication:PinnedRules) and records the
# commit. Waits up to 60 s for that commit record, then shows it and the replica's files.
# Needs: UNITIZATION_BASE_URL, UNITIZATION_CONFIG, UNITIZATION_DATA_DIR; UNITIZATION_RULES_URL where the rules are served
# by other processes than the replicator's (a fleet's DataManagers; default UNITIZATION_BASE_URL).
# shellcheck shell=bash
replication_demo() {
  local base="$UNITIZATION_BASE_URL" table="/warehouse/sales/orders"
  local versions="$base/api/v1/replication/versions?datacenter=dcB&prefix=/warehouse"
  log "replication: the plan's rules (Replication:PinnedRules adds sales.orders -> dcB) $(api_curl reader -fsS "${UNITIZATION_RULES_URL:-$base}/api/v1/replication/rules" | tr -d '\n' | cut -c1-200)"
  log "replication: waiting up to 60s for a replica in dcB ($versions)"
  local deadline=$((SECONDS + 60)) answer=""
  while [ $SECONDS -lt $deadline ]; do
    answer="$(api_curl reader -fsS "$versions" || true)"
    case "$answer" in *'"path":'*) break ;; esac
    sleep 1
  done
  case "$answer" in
    *'"path":'*)
      log "replication: commit records in dcB: $answer"
      log "replication: ./unitization fs ls --namespace dcB $table"
      "$repo_root/unitization" fs ls --namespace dcB --config "$UNITIZATION_CONFIG" --data "$UNITIZATION_DATA_DIR" "$table" >&2 \
        || log "replication: (fs ls failed; see above)"
      ;;
    *)
      log "replication: no replica in dcB after 60s; status: $(api_curl reader -fsS "$base/api/v1/replication/status" | tr -d '\n' | cut -c1-400)"
      ;;
  esac
  log "replication: replicas and their lifecycle (active/expiring/retired): $(api_curl reader -fsS "$base/api/v1/replicas?datacenter=dcB" | tr -d '\n' | cut -c1-300)"
  log "replication: status $base/api/v1/replication/status, versions $versions, replicas $base/api/v1/replicas"
}
replication_demo
