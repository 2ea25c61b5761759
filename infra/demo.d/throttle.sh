# Throttle demo (sourced by infra/up.sh): an SRE-style cap on a demo tenant, so the state API and the dashboard
# show the link budgets (dcA<->dcB, 100 MB/s each way) with one cap in force.
api_curl operator -fsS -X PUT "$UNITIZATION_BASE_URL/api/v1/throttle/caps/demo-backfill" \
  -H 'content-type: application/json' \
  -d '{"bytesPerSecond":5000000,"setBy":"infra/demo.d/throttle.sh","reason":"demo: cap a backfill at 5 MB/s"}' >/dev/null
log "throttle: state $UNITIZATION_BASE_URL/api/v1/throttle/state, caps $UNITIZATION_BASE_URL/api/v1/throttle/caps"
