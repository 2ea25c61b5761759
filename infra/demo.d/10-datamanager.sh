# DataManager demo (sourced by infra/up.sh with UNITIZATION_BASE_URL set): posts the shipped lineage
# (infra/demo/lineage.jsonl, written by `unitization bench place --jobs 48 --reads 150 --days 2 --write-lineage ...`;
# its jobs read the Hive tables sales.orders, sales.customers, web.clicks, web.sessions, ml.features), computes a
# plan, and asks the scheduler API where one of its jobs runs.
# shellcheck shell=bash
dm_base="${UNITIZATION_BASE_URL:-http://127.0.0.1:8080}"
dm_lineage="$repo_root/infra/demo/lineage.jsonl"
# POST /api/v1/lineage takes one event or a JSON array: send the file as one array
{ printf '['; paste -sd, "$dm_lineage"; printf ']'; } \
  | api_curl scheduler -fsS -X POST -H 'Content-Type: application/json' --data-binary @- "$dm_base/api/v1/lineage" >/dev/null \
  || die "datamanager demo: POST /api/v1/lineage failed"
api_curl operator -fsS -X POST "$dm_base/api/v1/placement/refresh?wait=true" >/dev/null || die "datamanager demo: plan refresh failed"
dm_job="$(head -1 "$dm_lineage" | sed -E 's/.*"job":\{"namespace":"([^"]+)","name":"([^"]+)".*/\1\/\2/')"
log "datamanager: plan $(api_curl reader -fsS "$dm_base/api/v1/placement" | grep -o '"version":[0-9]*' | head -1); job $dm_job:"
api_curl reader -fsS "$dm_base/api/v1/placement/jobs/$dm_job" >&2; echo >&2
