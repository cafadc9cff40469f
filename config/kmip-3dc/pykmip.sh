#!/bin/sh
# DEVELOPMENT ONLY: three local PyKMIP 0.10 servers standing in for the KMIP HSMs of dc1, dc2, dc3.
#   config/kmip-3dc/pykmip.sh setup   # dev CA + per-DC server and client certificates, server configs
#   config/kmip-3dc/pykmip.sh start   # start the three servers (127.0.0.1:45601..45603)
#   config/kmip-3dc/pykmip.sh stop    # SIGTERM to each server's process group, then SIGKILL (PyKMIP does not exit promptly)
# Files go to <repo>/data/kmip-3dc/ (never commit them). Needs openssl and python3-pykmip.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT="$ROOT/data/kmip-3dc"
PKI="$OUT/pki"

port() { case "$1" in dc1) echo 45601;; dc2) echo 45602;; dc3) echo 45603;; esac; }

setup() {
  mkdir -p "$PKI"
  cd "$PKI"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -out ca.crt -days 30 -subj "/CN=Fleetvault kmip-3dc DEVELOPMENT CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
  for dc in dc1 dc2 dc3; do
    for role in server client; do
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dc-$role.key" 2>/dev/null
      if [ "$role" = server ]; then
        ext="extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost"; cn="kmip-$dc"
      else
        ext="extendedKeyUsage=clientAuth"; cn="fleetvault-node-$dc"
      fi
      openssl req -new -key "$dc-$role.key" -subj "/CN=$cn" -out "$dc-$role.csr"
      printf "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n$ext\n" > "$dc-$role.ext"
      openssl x509 -req -in "$dc-$role.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
        -extfile "$dc-$role.ext" -out "$dc-$role.crt" 2>/dev/null
      rm -f "$dc-$role.csr" "$dc-$role.ext"
    done
    mkdir -p "$OUT/pykmip-$dc/policies"
    cat > "$OUT/pykmip-$dc/server.conf" <<CONF
[server]
hostname=127.0.0.1
port=$(port $dc)
certificate_path=$PKI/$dc-server.crt
key_path=$PKI/$dc-server.key
ca_path=$PKI/ca.crt
auth_suite=TLS1.2
policy_path=$OUT/pykmip-$dc/policies
enable_tls_client_auth=True
database_path=$OUT/pykmip-$dc/pykmip.db
CONF
  done
  chmod 600 "$PKI"/*.key
  echo "PKI and server configs in $OUT"
}

start() {
  for dc in dc1 dc2 dc3; do
    d="$OUT/pykmip-$dc"
    [ -f "$d/server.conf" ] || { echo "run '$0 setup' first" >&2; exit 1; }
    # own process group: PyKMIP forks server processes that outlive the parent
    setsid /usr/bin/pykmip-server -f "$d/server.conf" -l "$d/server.log" > "$d/server.out" 2>&1 &
    echo $! > "$d/pid"
    echo "PyKMIP for $dc on 127.0.0.1:$(port $dc) (pid $(cat "$d/pid"))"
  done
}

stop() {
  for dc in dc1 dc2 dc3; do
    f="$OUT/pykmip-$dc/pid"
    [ -f "$f" ] || continue
    pgid=$(cat "$f")
    /bin/kill -s TERM -- "-$pgid" 2>/dev/null || true
    sleep 3
    /bin/kill -s KILL -- "-$pgid" 2>/dev/null || true
    rm -f "$f"
  done
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 setup|start|stop" >&2; exit 2 ;;
esac
