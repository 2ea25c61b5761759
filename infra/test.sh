#!/usr/bin/env bash
# Runs every test: installs what is missing, starts the servers the integration tests need (ClickHouse, the dev
# Kafka broker, a Kerberos KDC, PostgreSQL), runs each test assembly in turn under a header, prints one total line over all of them
# ("N passed, N failed, N skipped"), stops what it started, and exits non-zero on any failure.
# A test that hangs for 5 minutes is ended (--blame-hang-timeout) and its assembly counts as failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$repo_root"

run_dir="$repo_root/.run/test"
rm -rf "$run_dir"; mkdir -p "$run_dir"
results="$run_dir/results"

ensure_packages clickhouse-server clickhouse-client chromium thrift-compiler krb5-kdc krb5-admin-server krb5-user postgresql

stop_all() {
  "$repo_root/infra/devbroker.sh" stop "$run_dir/broker" || true
  "$repo_root/infra/clickhouse/clickhouse.sh" stop "$run_dir/clickhouse" || true
  "$repo_root/infra/kerberos/kdc.sh" stop "$run_dir/kdc" || true
  "$repo_root/infra/postgres/postgres.sh" stop "$run_dir/postgres" || true
}
trap stop_all EXIT

log "building Unitization.sln (Release)"
dotnet build Unitization.sln -c Release -nologo -v q -clp:ErrorsOnly

log "starting ClickHouse, the dev Kafka broker and PostgreSQL for the integration tests"
"$repo_root/infra/clickhouse/clickhouse.sh" start "$run_dir/clickhouse"
export UNITIZATION_TEST_CLICKHOUSE="http://127.0.0.1:$(cat "$run_dir/clickhouse/http.port")"
"$repo_root/infra/devbroker.sh" start "$run_dir/broker" --config "$repo_root/infra/config/unitization.json"
export UNITIZATION_TEST_KAFKA="$(cat "$run_dir/broker/kafka.bootstrap")"
export UNITIZATION_TEST_BROKER_DIR="$run_dir/broker"
export UNITIZATION_CHROMIUM="${UNITIZATION_CHROMIUM:-/usr/bin/chromium}"
# a private Kerberos realm for the SPNEGO tests: KRB5_CONFIG, KRB5_KTNAME, KRB5CCNAME, UNITIZATION_TEST_KERBEROS
"$repo_root/infra/kerberos/kdc.sh" start "$run_dir/kdc"
# shellcheck source=/dev/null
source "$run_dir/kdc/kdc.env"
# the state-store suites run against both providers; each test makes a schema of its own in this database
"$repo_root/infra/postgres/postgres.sh" start "$run_dir/postgres"
export UNITIZATION_TEST_POSTGRES="$(cat "$run_dir/postgres/connection-string")"
log "ClickHouse $UNITIZATION_TEST_CLICKHOUSE, Kafka $UNITIZATION_TEST_KAFKA, PostgreSQL $UNITIZATION_TEST_POSTGRES, Chromium $UNITIZATION_CHROMIUM"

# the fast assemblies first, the integration tests (real servers, a browser) last
mapfile -t projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.Tests.csproj' | sort; echo tests/Unitization.IntegrationTests/Unitization.IntegrationTests.csproj)

# failed_tests TRX: one line per failed test of a .trx report: its name, then its message's first lines joined by " | "
failed_tests() {
  perl -0777 -ne '
    my %ent = (lt => "<", gt => ">", amp => "&", quot => "\"", apos => "\x27");
    while (/<UnitTestResult ([^>]*outcome="(?:Failed|Error|Timeout|Aborted)"[^>]*)>((?:(?!<\/UnitTestResult>).)*)/sg) {
      my ($attributes, $body) = ($1, $2);
      my ($test) = $attributes =~ /testName="([^"]*)"/;
      my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
      $message = defined $message ? $message : "";
      $message =~ s/&(lt|gt|amp|quot|apos);/$ent{$1}/g;
      my @lines = grep { /\S/ } split /\n/, $message;
      my $why = join(" | ", @lines[0 .. ($#lines < 2 ? $#lines : 2)]);
      $why = substr($why, 0, 400) . "..." if length($why) > 400;
      print "$test", ($why ne "" ? ": $why" : ""), "\n";
    }' "$1"
}

total_passed=0 total_failed=0 total_skipped=0 status=0
summary=() failures=()
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  printf '\n\033[1;34m===== %s =====\033[0m\n' "$name" >&2
  started=$SECONDS
  code=0
  dotnet test "$project" -c Release --no-build -nologo \
    --blame-hang-timeout 5m --blame-hang-dump-type none \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" || code=$?
  trx="$results/$name.trx"
  passed=0 failed=0 skipped=0
  if [ -f "$trx" ]; then
    # one <UnitTestResult ... outcome="..."> per test; NotExecuted is a skip
    passed=$(grep -o '<UnitTestResult [^>]*outcome="Passed"' "$trx" | wc -l || true)
    failed=$(grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"' "$trx" | wc -l || true)
    skipped=$(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l || true)
  fi
  if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # the run failed without a failed test in its report (a crash, a hang ended by the blame collector)
    failed=1
  fi
  [ "$code" -ne 0 ] && status=1
  total_passed=$((total_passed + passed)); total_failed=$((total_failed + failed)); total_skipped=$((total_skipped + skipped))
  summary+=("$(printf '%-40s %5d passed %3d failed %3d skipped  %4ds' "$name" "$passed" "$failed" "$skipped" $((SECONDS - started)))")
  if [ -f "$trx" ] && [ "$failed" -gt 0 ]; then
    # the failed tests by name, each with the first lines of its message, so the end of the log says why
    while IFS= read -r test; do failures+=("$name: $test"); done < <(failed_tests "$trx")
  fi
done

printf '\n' >&2
printf '%s\n' "${summary[@]}" >&2
[ "${#failures[@]}" -gt 0 ] && printf 'failed: %s\n' "${failures[@]}" >&2
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
exit $status
