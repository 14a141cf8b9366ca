#!/usr/bin/env bash
# virsh over qemu+tcp:// against the assembled daemon with auth_tcp = "sasl" (libvirt's default): a sasldb
# made with saslpasswd2, libvirt.conf found through SASL_CONF_PATH, credentials from an auth.conf. Good
# credentials connect (DIGEST-MD5 with its security layer), bad ones and a user outside
# sasl_allowed_username_list are refused with libvirtd's error. Only loopback. Usage: sasl-virsh.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs SASL saslpasswd2 virsh || exit 0
dist=$(readlink -f "$1")
work=$(mktemp -d /tmp/jvirtd-sasl.XXXXXX)
root=$work/root
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then kill -KILL "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "SASL FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "SASL PASS: $*"; }

printf 'mech_list: digest-md5 scram-sha-256\nsasldb_path: %s\n' "$work/passwd.db" > "$work/libvirt.conf"
printf 'secret1' | saslpasswd2 -p -c -a libvirt -f "$work/passwd.db" alice || fail "saslpasswd2 alice"
printf 'secret2' | saslpasswd2 -p -c -a libvirt -f "$work/passwd.db" bob || fail "saslpasswd2 bob"
auth_file() { # auth_file NAME USER PASSWORD
  printf '[credentials-c]\nauthname=%s\npassword=%s\n[auth-libvirt-127.0.0.1]\ncredentials=c\n[auth-libvirt-localhost]\ncredentials=c\n' \
    "$2" "$3" > "$work/$1"
}
auth_file good alice secret1
auth_file bad alice wrong
auth_file other bob secret2

port=$((20000 + RANDOM % 20000))
printf 'listen_tls = 0\nlisten_tcp = 1\nlisten_addr = "127.0.0.1"\ntcp_port = "%s"\nsasl_allowed_username_list = ["alice", "carol*"]\n' \
  "$port" > "$work/jvirtd.conf"
printf 'auth_unix_ro = "sasl"\nauth_unix_rw = "polkit"\n' >> "$work/jvirtd.conf"
SASL_CONF_PATH=$work "$dist/bin/jvirtd" -d --listen -f "$work/jvirtd.conf" --root "$root" \
  || fail "the daemon did not start with auth_tcp = sasl"

uri="qemu+tcp://127.0.0.1:$port/system"
out=$(LIBVIRT_AUTH_FILE=$work/good timeout 30 virsh -c "$uri" version 2>&1) || fail "virsh over SASL: $out"
grep -q '^Running hypervisor: QEMU ' <<<"$out" || fail "virsh version over SASL printed: $out"
pass "virsh connects over qemu+tcp:// with good SASL credentials"
# libvirt-python through openAuth with a credential callback; a domain whose XML is 200 KB crosses the
# layer both ways in many SASL records
cat > "$work/big.py" <<'PY'
import libvirt, sys
def credentials(creds, data):
    for cred in creds:
        if cred[0] == libvirt.VIR_CRED_AUTHNAME:
            cred[4] = "alice"
        elif cred[0] == libvirt.VIR_CRED_PASSPHRASE:
            cred[4] = "secret1"
    return 0
conn = libvirt.openAuth(sys.argv[1], [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], credentials, None], 0)
text = "sasl " * 40000
dom = conn.defineXML("<domain type='qemu'><name>sasl-big</name><description>" + text + "</description>"
                     "<memory unit='MiB'>128</memory><os><type arch='x86_64'>hvm</type></os></domain>")
back = conn.lookupByName("sasl-big").XMLDesc(0)
dom.undefine()
print(text.strip() in back, len(back) > 200000, conn.isSecure())
PY
out=$(/usr/bin/python3 "$work/big.py" "$uri" 2>&1) || fail "libvirt-python openAuth: $out"
[ "$out" = "True True 1" ] || fail "200 KB through the SASL layer, or isSecure, went wrong: $out"
pass "libvirt-python openAuth defines and reads back a 200 KB domain through the SASL security layer; isSecure is 1"
for case in bad other; do
  if out=$(LIBVIRT_AUTH_FILE=$work/$case timeout 30 virsh -c "$uri" version 2>&1); then
    fail "$case credentials were accepted"
  fi
  grep -q 'error: authentication failed: authentication failed' <<<"$out" || fail "$case refusal printed: $out"
  pass "$case credentials are refused as libvirtd refuses them"
done

# the unix sockets of the same daemon: SASL without a layer on the read-only one, polkit on the other
ro="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock-ro"
out=$(LIBVIRT_AUTH_FILE=$work/good timeout 30 virsh -c "$ro" hostname 2>&1) || fail "virsh on the SASL unix socket: $out"
pass "virsh authenticates with SASL on the read-only unix socket"
if out=$(LIBVIRT_AUTH_FILE=$work/bad timeout 30 virsh -c "$ro" hostname 2>&1); then
  fail "bad credentials were accepted on the unix socket"
fi
pass "bad credentials are refused on the unix socket"
# root needs no polkit check: this reads the client's SO_PEERCRED inside the OSGi daemon (bin/jvirtd's
# --add-exports), no polkitd involved (PolkitAuthTest asks the real one)
if [ "$(id -u)" = 0 ]; then
  out=$(timeout 30 virsh -c "qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock" hostname 2>&1) \
    || fail "root on the polkit socket: $out"
  pass "root connects to the auth_unix_rw = polkit socket without asking polkit"
fi
kill -TERM "$(cat "$root/run/jvirtd.pid")"
echo "SASL OK"
