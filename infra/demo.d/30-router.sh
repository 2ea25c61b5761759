# Router demo (sourced by infra/up.sh after the service is up): a client in dcB (127.0.2.10, see Router:ClientNetworks)
# reads a replicated table from dcB; after the primary changes, the lagging replica is skipped and the read is
# served from dcA, throttled, with the reason. Needs: UNITIZATION_BASE_URL; Replication's demo replicates
# /warehouse/sales/orders to dcB (the router waits for its commit record).
# shellcheck shell=bash
router_demo() {
  local base="$UNITIZATION_BASE_URL" table="/warehouse/sales/orders" dcb_ip="127.0.2.10"
  local resolve="$base/api/v1/resolve?path=$table&clientIp=$dcb_ip"
  # a dcB client: the real source address when the loopback alias works, else through the trusted local proxy header
  local as_dcb=(--interface "$dcb_ip")
  curl -fsS "${as_dcb[@]}" "$base/healthz" >/dev/null 2>&1 || as_dcb=(-H "X-Forwarded-For: $dcb_ip")

  log "router: mounts: $(api_curl reader -fsS "$base/api/v1/mounts" | tr -d '\n' | cut -c1-200)"
  # no mount covers "/": its listing shows the mount points as directories, as HDFS router-based federation does
  log "router: LISTSTATUS / -> $(api_curl reader -fsS "$base/webhdfs/v1/?op=LISTSTATUS" | grep -o '"pathSuffix":"[^"]*"' | tr '\n' ' ' || true)"
  log "router: waiting up to 60s for a replica of $table in dcB (written by the replication demo)"
  local deadline=$((SECONDS + 60)) answer=""
  while [ $SECONDS -lt $deadline ]; do
    answer="$(api_curl reader -fsS "$resolve" || true)"
    case "$answer" in *'"reason":"FreshReplica"'*) break ;; esac
    sleep 1
  done
  log "router: resolve $table for $dcb_ip -> $answer"
  case "$answer" in
    *'"reason":"FreshReplica"'*)
      log "router: LISTSTATUS from dcB -> served by $(api_curl reader -fsS -D - -o /dev/null "${as_dcb[@]}" "$base/webhdfs/v1$table?op=LISTSTATUS" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-unitization-datacenter"{print $2}')"
      # the primary moves on: a new file in dcA makes the replica of the table lag
      local row; row="$(mktemp)"; printf 'late row\n' > "$row"
      if ! api_curl operator -fsS -L -X PUT -T "$row" "$base/webhdfs/v1$table/part-late-$RANDOM?op=CREATE&overwrite=true" >/dev/null 2>&1; then
        # a router of a fleet follows the namespaces read-only (StandbyException): the sample HMS's next INSERT in dcA does it
        log "router: this router follows the edit logs read-only; waiting for the sample HMS's next write in dcA instead"
      fi
      rm -f "$row"
      local stale deadline2=$((SECONDS + 10))
      while [ $SECONDS -lt $deadline2 ]; do
        stale="$(api_curl reader -fsS "$resolve" || true)"
        case "$stale" in *'"reason":"StaleReplica"'*) break ;; esac
        sleep 0.2
      done
      log "router: after a write in dcA, resolve for $dcb_ip -> $stale"
      ;;
    *)
      log "router: no fresh replica of $table in dcB yet; reads from dcB go to the primary dcA, as the reason says"
      ;;
  esac
  log "router: try  UNITIZATION_TOKEN=$demo_token_reader ./unitization resolve $table/part-00000 --client-ip $dcb_ip --url $base"
}
router_demo
