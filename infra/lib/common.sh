# Shared by infra/*.sh: paths, package installation, waiting.
# shellcheck shell=bash
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m[unitization]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[unitization]\033[0m %s\n' "$*" >&2; exit 1; }

_apt_updated=0
# ensure_packages PKG...: installs the Debian packages that are missing (one apt-get update first).
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ "$_apt_updated" -eq 0 ]; then
    log "apt-get update"
    $sudo apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  log "installing ${missing[*]}"
  # waits for another installer's lock (other scripts may install at the same time) instead of failing at once
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
}

# wait_for DESCRIPTION SECONDS COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && die "$what did not come up within ${seconds}s"
    sleep 0.2
  done
}

# create_demo_tokens DIR CONFIG DATA: demo API tokens, one per role (admin operator scheduler reader service), printed
# once by `unitization tokens create` into the state store CONFIG and DATA name, kept (0600) in DIR/ROLE and in
# demo_token_ROLE; api_curl ROLE CURL-ARGS... calls the API as that role.
create_demo_tokens() {
  local dir="$1" config="$2" data="$3" role token
  mkdir -p "$dir"; chmod 700 "$dir"
  for role in admin operator scheduler reader service; do
    "$repo_root/unitization" tokens revoke --name "demo-$role" --config "$config" --data "$data" >/dev/null 2>&1 || true
    token="$("$repo_root/unitization" tokens create --name "demo-$role" --role "$role" --config "$config" --data "$data" 2>/dev/null)" \
      || die "cannot create the demo token demo-$role"
    (umask 077; printf '%s\n' "$token" > "$dir/$role")
    declare -g "demo_token_$role=$token"
  done
}
api_curl() { local var="demo_token_$1"; shift; curl -H "Authorization: Bearer ${!var}" "$@"; }

# free_port: a loopback TCP port nobody listens on (a server that loses the race fails fast; its start retries).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Htln "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
}
