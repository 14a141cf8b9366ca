#!/usr/bin/env bash
# virsh over qemu+tls:// against the assembled daemon started with --listen: certificates made here
# with openssl (CA, server for 127.0.0.1, clients); a client of the right CA connects, a client of
# another CA is refused. Only loopback. Usage: tls-virsh.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs TLS openssl virsh || exit 0
dist=$(readlink -f "$1")
work=$(mktemp -d /tmp/jvirtd-tls.XXXXXX)
root=$work/root
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "TLS FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "TLS PASS: $*"; }
ssl() { openssl "$@" >/dev/null 2>&1 || fail "openssl $1"; }

ca() { # ca DIR NAME
  mkdir -p "$1"
  ssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" -keyout "$1/ca.key" -out "$1/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}
sign() { # sign CA_DIR KEY CERT SUBJECT EXTENSIONS
  printf '%b' "$5" > "$3.ext"
  ssl req -new -key "$2" -subj "$4" -out "$3.csr"
  ssl x509 -req -in "$3.csr" -CA "$1/ca.pem" -CAkey "$1/ca.key" -CAcreateserial -days 2 -extfile "$3.ext" -out "$3"
}
client() { # client PKIDIR CA_DIR TRUSTED_CA_PEM: a virsh pkipath folder
  mkdir -p "$1"
  cp "$3" "$1/cacert.pem"
  ssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1/clientkey.pem"
  sign "$2" "$1/clientkey.pem" "$1/clientcert.pem" "/C=GB/O=jvirtd/CN=client" \
    "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n"
}

ca "$work/ca" "jvirtd test CA"
ca "$work/other" "another CA"
mkdir -p "$root/etc/pki/CA" "$root/etc/pki/libvirt/private"
cp "$work/ca/ca.pem" "$root/etc/pki/CA/cacert.pem"
ssl genrsa -traditional -out "$root/etc/pki/libvirt/private/serverkey.pem" 2048
sign "$work/ca" "$root/etc/pki/libvirt/private/serverkey.pem" "$root/etc/pki/libvirt/servercert.pem" "/CN=127.0.0.1" \
  "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n"
client "$work/good" "$work/ca" "$work/ca/ca.pem"
# The refused client trusts both CAs, so virsh's own checks pass and the refusal is the daemon's.
cat "$work/ca/ca.pem" "$work/other/ca.pem" > "$work/both.pem"
client "$work/bad" "$work/other" "$work/both.pem"

port=$((20000 + RANDOM % 20000))
printf 'listen_tls = 1\nlisten_tcp = 0\nlisten_addr = "127.0.0.1"\ntls_port = "%s"\n' "$port" > "$work/jvirtd.conf"
"$dist/bin/jvirtd" -d --listen -f "$work/jvirtd.conf" --root "$root" || fail "the daemon did not start with --listen"

uri="qemu+tls://127.0.0.1:$port/system?pkipath=$work/good"
out=$(timeout 30 virsh -c "$uri" version 2>&1) || fail "virsh over TLS: $out"
grep -q '^Running hypervisor: QEMU ' <<<"$out" || fail "virsh version over TLS printed: $out"
pass "virsh connects over qemu+tls:// with a certificate of the daemon's CA"
out=$(timeout 30 virsh -c "$uri" list --all 2>&1) || fail "virsh list over TLS: $out"
pass "virsh list works over TLS"
if out=$(timeout 30 virsh -c "qemu+tls://127.0.0.1:$port/system?pkipath=$work/bad" uri 2>&1); then
  fail "a client certificate of another CA was accepted"
fi
pass "a client certificate of another CA is refused ($(tr '\n' ' ' <<<"$out" | cut -c1-120))"
kill -TERM "$(cat "$root/run/jvirtd.pid")"

# auth_tls = "sasl": SASL inside TLS (the TLS key size is SASL's external SSF, so SCRAM needs no layer)
if command -v saslpasswd2 >/dev/null; then
  root2=$work/root2
  mkdir -p "$root2/etc"
  cp -r "$root/etc/pki" "$root2/etc/"
  printf 'mech_list: scram-sha-256\nsasldb_path: %s\n' "$work/passwd.db" > "$work/libvirt.conf"
  printf 'secret1' | saslpasswd2 -p -c -a libvirt -f "$work/passwd.db" alice || fail "saslpasswd2"
  printf '[credentials-c]\nauthname=alice\npassword=%s\n[auth-libvirt-127.0.0.1]\ncredentials=c\n' secret1 > "$work/good.auth"
  printf '[credentials-c]\nauthname=alice\npassword=%s\n[auth-libvirt-127.0.0.1]\ncredentials=c\n' wrong > "$work/bad.auth"
  port2=$((port + 1))
  printf 'listen_tls = 1\nlisten_tcp = 0\nlisten_addr = "127.0.0.1"\ntls_port = "%s"\nauth_tls = "sasl"\n' "$port2" \
    > "$work/jvirtd-sasl.conf"
  root=$root2
  SASL_CONF_PATH=$work "$dist/bin/jvirtd" -d --listen -f "$work/jvirtd-sasl.conf" --root "$root2" \
    || fail "the daemon did not start with auth_tls = sasl"
  uri2="qemu+tls://127.0.0.1:$port2/system?pkipath=$work/good"
  out=$(LIBVIRT_AUTH_FILE=$work/good.auth timeout 30 virsh -c "$uri2" hostname 2>&1) || fail "SASL over TLS: $out"
  pass "virsh authenticates with SCRAM-SHA-256 inside TLS (auth_tls = sasl)"
  if out=$(LIBVIRT_AUTH_FILE=$work/bad.auth timeout 30 virsh -c "$uri2" hostname 2>&1); then
    fail "a wrong SASL password was accepted over TLS"
  fi
  grep -q 'authentication failed: authentication failed' <<<"$out" || fail "wrong password over TLS printed: $out"
  pass "a wrong SASL password is refused over TLS"
  kill -TERM "$(cat "$root2/run/jvirtd.pid")"
fi
echo "TLS OK"
