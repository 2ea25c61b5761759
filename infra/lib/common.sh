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
