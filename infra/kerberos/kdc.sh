#!/usr/bin/env bash
# A private MIT Kerberos realm under DIR, on loopback, for the tests and `infra/up.sh --kerberos`:
#   infra/kerberos/kdc.sh start DIR [PRINCIPAL...]   realm UNITIZATION.TEST, KDC on 127.0.0.1:<free port>,
#       the service principal HTTP/localhost (keytab DIR/http.keytab), and each PRINCIPAL (default: alice bob
#       unitization-service) with a keytab DIR/<name>.keytab; writes DIR/kdc.env (source it: KRB5_CONFIG, KRB5_KTNAME, ...)
#   infra/kerberos/kdc.sh stop DIR
# Touches nothing outside DIR (no /etc/krb5.conf): clients find the realm through KRB5_CONFIG, the KDC through
# KRB5_KDC_PROFILE. Installs krb5-kdc, krb5-admin-server and krb5-user when missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

verb="${1:-}"; dir="${2:-}"
[ -n "$verb" ] && [ -n "$dir" ] || die "usage: infra/kerberos/kdc.sh start|stop DIR [PRINCIPAL...]"
shift 2
realm="UNITIZATION.TEST"

case "$verb" in
  stop)
    if [ -f "$dir/krb5kdc.pid" ]; then
      pid="$(cat "$dir/krb5kdc.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/krb5kdc.pid"
    fi
    exit 0
    ;;
  start) ;;
  *) die "usage: infra/kerberos/kdc.sh start|stop DIR [PRINCIPAL...]" ;;
esac

ensure_packages krb5-kdc krb5-admin-server krb5-user
principals=("$@")
[ ${#principals[@]} -gt 0 ] || principals=(alice bob unitization-service)

"$0" stop "$dir"
rm -rf "$dir"; mkdir -p "$dir/rcache"
dir="$(cd "$dir" && pwd)"
# a free TCP port on loopback (the KDC listens on it, TCP only)
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"

cat > "$dir/krb5.conf" <<CONF
[libdefaults]
  default_realm = $realm
  dns_lookup_realm = false
  dns_lookup_kdc = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
  default_ccache_name = FILE:$dir/ccache
[realms]
  $realm = {
    kdc = 127.0.0.1:$port
    admin_server = 127.0.0.1:$port
  }
[domain_realm]
  localhost = $realm
  127.0.0.1 = $realm
CONF
cat > "$dir/kdc.conf" <<CONF
[kdcdefaults]
  kdc_listen = 127.0.0.1:$port
  kdc_tcp_listen = 127.0.0.1:$port
[realms]
  $realm = {
    database_name = $dir/principal
    key_stash_file = $dir/stash
    acl_file = $dir/kadm5.acl
    max_life = 10h
    max_renewable_life = 7d
  }
[logging]
  kdc = FILE:$dir/krb5kdc.log
CONF
: > "$dir/kadm5.acl"
export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf" KRB5RCACHEDIR="$dir/rcache"

kdb5_util create -s -r "$realm" -P "$(head -c 24 /dev/urandom | base64)" >/dev/null 2>&1 || die "kdb5_util create failed"
kadmin.local -r "$realm" -q "addprinc -randkey HTTP/localhost@$realm" >/dev/null 2>&1
kadmin.local -r "$realm" -q "ktadd -k $dir/http.keytab HTTP/localhost@$realm" >/dev/null 2>&1
for p in "${principals[@]}"; do
  kadmin.local -r "$realm" -q "addprinc -randkey $p@$realm" >/dev/null 2>&1
  kadmin.local -r "$realm" -q "ktadd -k $dir/$p.keytab $p@$realm" >/dev/null 2>&1
done
[ -s "$dir/http.keytab" ] || die "no keytab written under $dir"

krb5kdc -n -r "$realm" -P "$dir/krb5kdc.pid" > "$dir/krb5kdc.out" 2>&1 &
echo $! > "$dir/krb5kdc.pid"
kdc_up() { kill -0 "$(cat "$dir/krb5kdc.pid")" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
wait_for "krb5kdc on 127.0.0.1:$port" 20 kdc_up

cat > "$dir/kdc.env" <<ENV
export KRB5_CONFIG="$dir/krb5.conf"
export KRB5_KTNAME="FILE:$dir/http.keytab"
export KRB5RCACHEDIR="$dir/rcache"
export KRB5CCNAME="FILE:$dir/ccache"
export UNITIZATION_TEST_KERBEROS="$dir"
ENV
log "Kerberos realm $realm on 127.0.0.1:$port (principals: ${principals[*]}; keytabs and kdc.env in $dir)"
