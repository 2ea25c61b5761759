# infra/up.sh --hdfs: dcB as a `Kind: hdfs` namespace. No HDFS runs here, so two processes stand in for its NameNode:
# a second `unitization serve --roles router` over its own directory answers WebHDFS (every path mounted on the
# directory's /hdfs), and `unitization hdfs journalnode` writes that directory's edit log as a NameNode's edit log
# segments (layout -67) and serves them as a JournalNode's HTTP server does (/getJournal). The service then reaches dcB
# through WebHdfsNamespace and follows its versions through the journal, as it would a real cluster.
# Needs (from up.sh): repo_root, track_pid, log, die, wait_for.
# shellcheck shell=bash

# start_hdfs_dcb DIR GATEWAY_PORT JOURNALNODE_PORT: starts both and exports the configuration that makes dcB hdfs
start_hdfs_dcb() {
  local dir="$1" gateway="http://127.0.0.1:$2" journalnode="http://127.0.0.1:$3"
  mkdir -p "$dir"
  # the stand-in takes API tokens from its own state store: one for the service that writes into dcB
  "$repo_root/unitization" tokens revoke --name dcb-writer --config "$repo_root/infra/config/hdfs-gateway.json" --data "$dir" >/dev/null 2>&1 || true
  hdfs_token="$("$repo_root/unitization" tokens create --name dcb-writer --role service --config "$repo_root/infra/config/hdfs-gateway.json" --data "$dir" 2>/dev/null)" \
    || die "cannot create the token of dcB's WebHDFS stand-in"
  UNITIZATION_NamespaceAccess=write "$repo_root/unitization" serve --roles router --config "$repo_root/infra/config/hdfs-gateway.json" --data "$dir" --urls "$gateway" \
    > >(sed -u 's/^/[dcB namenode] /') 2>&1 &
  local gateway_pid=$!
  track_pid $gateway_pid
  gateway_up() { kill -0 "$gateway_pid" 2>/dev/null || die "dcB's WebHDFS stand-in exited (its output above says why)"; curl -fsS "$gateway/healthz"; }
  wait_for "dcB's WebHDFS stand-in" 120 gateway_up
  # the namespace's /hdfs is HDFS's root (the gateway mounts / there); made before the JournalNode starts following
  curl -fsS -X PUT -H "Authorization: Bearer $hdfs_token" "$gateway/webhdfs/v1/?op=MKDIRS&user.name=unitization" >/dev/null

  "$repo_root/unitization" hdfs journalnode --namespace-root "$dir/namespace" --subtree /hdfs --journal-dir "$dir/journal" \
    --journal-id dcB --port "$3" --segment-ops 20 > >(sed -u 's/^/[dcB journalnode] /') 2>&1 &
  local journal_pid=$!
  track_pid $journal_pid
  journal_up() { kill -0 "$journal_pid" 2>/dev/null || die "the JournalNode double exited (its output above says why)"; curl -fsS "$journalnode/getEditLogManifest?jid=dcB&sinceTxId=1"; }
  wait_for "the JournalNode double" 60 journal_up

  # Datacenters:1 (dcB) of infra/config/unitization.json becomes Kind hdfs for the service, the demos and the CLI
  export UNITIZATION_Datacenters__1__Kind=hdfs \
    UNITIZATION_Datacenters__1__NameNodes__0="$gateway" \
    UNITIZATION_Datacenters__1__Auth__Method=simple \
    UNITIZATION_Datacenters__1__Auth__User=unitization \
    UNITIZATION_Datacenters__1__Auth__GatewayBearerToken="$hdfs_token" \
    UNITIZATION_Datacenters__1__Journal__JournalNodes__0="$journalnode" \
    UNITIZATION_Datacenters__1__Journal__JournalId=dcB \
    UNITIZATION_Datacenters__1__Journal__PollInterval=00:00:00.200
  HDFS_GATEWAY="$gateway" HDFS_JOURNALNODE="$journalnode" HDFS_DIR="$dir"
  hdfs_urls="
    dcB WebHDFS (NameNode stand-in) $gateway/webhdfs/v1/warehouse?op=LISTSTATUS&user.name=unitization
    dcB JournalNode double $journalnode/getEditLogManifest?jid=dcB&sinceTxId=1"
}

# hdfs_demo: what dcB's NameNode logged, as Hadoop's tools would show it
hdfs_demo() {
  log "hdfs: dcB's edit log segments (JournalNode manifest): $(curl -fsS "$HDFS_JOURNALNODE/getEditLogManifest?jid=dcB&sinceTxId=1" | cut -c1-300)"
  local segment
  segment="$(ls "$HDFS_DIR/journal/dcB/current"/edits_* 2>/dev/null | head -1 || true)"
  if [ -n "$segment" ]; then
    log "hdfs: ./unitization hdfs edits decode $segment --format json (first ops; the XML is what hdfs oev -p xml prints)"
    "$repo_root/unitization" hdfs edits decode "$segment" --format json | head -6 | cut -c1-200 >&2 || true
  fi
  log "hdfs: dcB's replica over WebHDFS: $(curl -fsS -H "Authorization: Bearer $hdfs_token" "$HDFS_GATEWAY/webhdfs/v1/warehouse/sales/orders?op=LISTSTATUS&user.name=unitization" | grep -o '"pathSuffix":"[^"]*"' | head -5 | tr '\n' ' ' || true)"
}
