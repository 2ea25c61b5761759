# Analytics demo workload (sourced by infra/up.sh once the service answers): an hour of cross-datacenter traffic
# history for a dozen jobs (half of them jobs of the demo lineage, which DataManager prices) plus replicator copies with their lag, then a fresh batch every 5 s in the background, all
# posted to POST /api/v1/traffic/records (which publishes them to the traffic topic, as the router and replicator do),
# so the dashboard at /analytics shows them within seconds. The loop ends when the service stops answering.
# shellcheck shell=bash

analytics_url="${UNITIZATION_BASE_URL:-http://127.0.0.1:${PORT:-8080}}"
analytics_url="${analytics_url%/}"

# analytics_demo_batch EPOCH SEED: a JSON array of traffic records at time EPOCH (ids unique per EPOCH and SEED)
analytics_demo_batch() {
  local epoch="$1" seed="$2" when
  when="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
  awk -v t="$when" -v e="$epoch" -v seed="$seed" 'BEGIN {
    srand(e + seed);
    split("airflow/dag_00000.task_000000 airflow/dag_00001.task_000009 airflow/dag_00002.task_000021 airflow/dag_00003.task_000027 airflow/dag_00004.task_000034 airflow/dag_00005.task_000040 search.index_build etl.user_dim finance.ledger_close ops.log_compaction ml.training_sample bi.adhoc_queries", jobs, " ");
    weight[1]=9; weight[2]=7; weight[3]=6; weight[4]=5; weight[5]=4; weight[6]=3.5; weight[7]=3; weight[8]=2.5; weight[9]=2; weight[10]=1.5; weight[11]=1; weight[12]=0.5;
    printf "[";
    n = 0;
    for (j = 1; j <= 12; j++) {
      for (k = 0; k < 3; k++) {
        src = (j % 3 == 0) ? "dcA" : "dcB"; dst = (j % 3 == 0) ? "dcB" : "dcA";
        if (k == 2) { src = dst; }  # local reads: what a re-placement would start sending across
        op = (j % 4 == 0) ? "write" : "read";
        if (op == "write") { tmp = src; src = dst; dst = tmp; }
        bytes = int(weight[j] * (20 + rand() * 10) * 1048576);
        printf "%s{\"id\":\"demo-%s-%s-%d-%d\",\"job\":\"%s\",\"sourceDatacenter\":\"%s\",\"destinationDatacenter\":\"%s\",\"bytes\":%d,\"operation\":\"%s\",\"component\":\"%s\",\"time\":\"%s\"}", (n++ ? "," : ""), e, seed, j, k, jobs[j], src, dst, bytes, op, (k == 1 ? "client" : "router"), t;
      }
    }
    for (c = 0; c < 4; c++) {
      lag = 2 + rand() * 20 + (c == 3 ? rand() * 60 : 0);
      printf ",{\"id\":\"demo-copy-%s-%s-%d\",\"job\":\"replicate.warehouse\",\"sourceDatacenter\":\"dcA\",\"destinationDatacenter\":\"dcB\",\"bytes\":%d,\"operation\":\"copy\",\"component\":\"replicator\",\"time\":\"%s\",\"replicationLagSeconds\":%.1f}", e, seed, c, int((5 + rand() * 20) * 1048576), t, lag;
    }
    printf "]";
  }'
}

analytics_demo_post() {
  api_curl service -fsS -m 10 -X POST -H 'Content-Type: application/json' --data-binary @- "$analytics_url/api/v1/traffic/records" >/dev/null
}

analytics_demo_history() {
  local now i
  now="$(date -u +%s)"
  for i in $(seq 60 -1 1); do
    analytics_demo_batch $((now - i * 60)) 0 | analytics_demo_post || return 1
  done
}

if analytics_demo_history; then
  log "analytics demo: an hour of traffic posted; dashboard at $analytics_url/analytics"
  (
    failures=0
    while [ "$failures" -lt 3 ]; do
      sleep 5
      if analytics_demo_batch "$(date -u +%s)" "$RANDOM" | analytics_demo_post; then failures=0; else failures=$((failures + 1)); fi
    done
  ) &
  if declare -F track_pid >/dev/null; then track_pid $!; fi
else
  log "analytics demo: $analytics_url/api/v1/traffic/records did not take the demo traffic (is the analytics role up?)"
fi
