#!/usr/bin/env bash
# The assembled daemon with access_drivers = [ "polkit" ]: every call's permissions (org.libvirt.api.*) asked of
# the real polkitd on a private system bus (see polkit-bus.sh), with libvirt's object attributes as the details.
# The rules let a group member do everything on domains named ok-*, only getattr and read on ro-*, nothing on
# others. Checked through virsh and libvirt-python as the member: list filtering (virsh list --all, the legacy
# lists and counts), libvirt's "access denied: 'QEMU' denied access" for start, undefine, dumpxml --security-info
# and define of a forbidden name (which then is not defined), a forbidden domain looked up as not there for virsh,
# its events not delivered; root sees and does everything. libvirtd 9.0 configured the same way answers the same
# (README "Access control"). Root only (users, mounts).
# Usage: polkit-acl-virsh.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"
. "$(dirname "$0")/polkit-bus.sh"

need_programs POLKIT-ACL virsh dbus-daemon dbus-send unshare runuser useradd qemu-system-x86_64 || exit 0
prerequisite POLKIT-ACL "root (users and mounts)" test "$(id -u)" = 0 || exit 0
prerequisite POLKIT-ACL "polkitd (/usr/lib/polkit-1/polkitd)" test -x /usr/lib/polkit-1/polkitd || exit 0
prerequisite POLKIT-ACL "python3-libvirt" /usr/bin/python3 -c 'import libvirt' || exit 0
dist=$(readlink -f "$1")
work=$(mktemp -d /tmp/jvirtd-polkit-acl.XXXXXX)
chmod 755 "$work"
root=$work/root
group=jvag$$ member=jvam$$
bus_pid="" polkitd_pid=""
cleanup() {
  if [ -s "$root/run/jvirtd.pid" ]; then
    virsh -c "$uri" destroy ok-a >/dev/null 2>&1 || true
    kill -TERM "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true
  fi
  [ -z "$polkitd_pid" ] || kill "$polkitd_pid" 2>/dev/null || true
  [ -z "$bus_pid" ] || kill "$bus_pid" 2>/dev/null || true
  userdel "$member" 2>/dev/null || true
  groupdel "$group" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "POLKIT-ACL FAIL: $*" >&2; tail -n 20 "$root/var/log/jvirtd/jvirtd.log" >&2 2>/dev/null || true; exit 1; }
pass() { echo "POLKIT-ACL PASS: $*"; }

groupadd "$group"
useradd -M -N -G "$group" "$member"
mkdir -p "$work/rules.d" "$work/actions"
cp "$dist/share/polkit-1/actions/"*.policy "$work/actions/"
cat > "$work/rules.d/50-libvirt-acl.rules" <<RULES
polkit.addRule(function(action, subject) {
    if (!subject.isInGroup("$group") || action.id.indexOf("org.libvirt.api.") != 0) {
        return polkit.Result.NOT_HANDLED;
    }
    if (action.id.indexOf("org.libvirt.api.domain.") != 0) {
        return polkit.Result.YES;
    }
    if (action.lookup("connect_driver") != "QEMU") {
        return polkit.Result.NO;
    }
    var name = action.lookup("domain_name") || "";
    if (name.indexOf("ok-") == 0) {
        return polkit.Result.YES;
    }
    if (name.indexOf("ro-") == 0 && (action.id == "org.libvirt.api.domain.getattr"
                                     || action.id == "org.libvirt.api.domain.read")) {
        return polkit.Result.YES;
    }
    return polkit.Result.NO;
});
RULES
start_private_polkit

printf 'access_drivers = [ "polkit" ]\nunix_sock_rw_perms = "0777"\n' > "$work/jvirtd.conf"
"$dist/bin/jvirtd" -d -f "$work/jvirtd.conf" --root "$root" || fail "the daemon did not start with access_drivers = polkit"
chmod 755 "$root" "$root/run" "$root/run/libvirt" 2>/dev/null || true
uri="qemu+unix:///system?socket=$root/run/libvirt/libvirt-sock"
as() { local user=$1; shift; runuser -u "$user" -- env HOME=/tmp LC_ALL=C "$@"; }
domain_xml() {
  echo "<domain type='qemu'><name>$1</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os><devices><memballoon model='none'/></devices></domain>"
}
for name in ok-a ro-b hid-c; do
  domain_xml "$name" > "$work/$name.xml"
  virsh -q -c "$uri" define "$work/$name.xml" >/dev/null || fail "root could not define $name"
done

out=$(as "$member" timeout 60 virsh -c "$uri" list --all --name 2>&1) || fail "list --all: $out"
[ "$(sort <<<"$out" | grep -v '^$' | tr '\n' ' ')" = "ok-a ro-b " ] || fail "list --all showed: $out"
pass "virsh list --all shows the member only the domains it may getattr (ok-a ro-b, not hid-c)"
out=$(timeout 60 virsh -c "$uri" list --all --name 2>&1)
[ "$(sort <<<"$out" | grep -v '^$' | tr '\n' ' ')" = "hid-c ok-a ro-b " ] || fail "root's list --all: $out"
pass "root sees every domain"

if out=$(as "$member" timeout 60 virsh -c "$uri" start ro-b 2>&1); then fail "the member started ro-b"; fi
grep -qx "error: access denied: 'QEMU' denied access" <<<"$out" || fail "start ro-b printed: $out"
pass "start of a read-only domain: error: access denied: 'QEMU' denied access"
out=$(as "$member" timeout 60 virsh -c "$uri" dominfo ro-b 2>&1) || fail "dominfo ro-b: $out"
grep -q "^Name: *ro-b" <<<"$out" || fail "dominfo ro-b printed: $out"
pass "dominfo of a read-only domain works (getattr, read)"
if out=$(as "$member" timeout 60 virsh -c "$uri" dumpxml --security-info ro-b 2>&1); then
  fail "dumpxml --security-info ro-b worked"
fi
grep -qx "error: access denied: 'QEMU' denied access" <<<"$out" || fail "dumpxml --security-info printed: $out"
pass "dumpxml --security-info needs read_secure (a flag-dependent permission)"
if out=$(as "$member" timeout 60 virsh -c "$uri" undefine ro-b 2>&1); then fail "the member undefined ro-b"; fi
grep -qx "error: access denied: 'QEMU' denied access" <<<"$out" || fail "undefine ro-b printed: $out"
if out=$(as "$member" timeout 60 virsh -c "$uri" dominfo hid-c 2>&1); then fail "the member saw hid-c"; fi
grep -qx "error: failed to get domain 'hid-c'" <<<"$out" || fail "dominfo hid-c printed: $out"
pass "undefine of a read-only domain is denied; a hidden domain cannot be looked up"

out=$(as "$member" timeout 120 virsh -c "$uri" start ok-a 2>&1) || fail "start ok-a: $out"
out=$(as "$member" timeout 60 virsh -c "$uri" destroy ok-a 2>&1) || fail "destroy ok-a: $out"
pass "the member starts and destroys ok-a"

cat > "$work/client.py" <<'PY'
import sys, threading, time
import libvirt
libvirt.registerErrorHandler(lambda ctx, err: None, None)
uri, work = sys.argv[1], sys.argv[2]
libvirt.virEventRegisterDefaultImpl()
threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)], daemon=True).start()
conn = libvirt.open(uri)
seen = []
conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, lambda c, d, e, x, o: seen.append(d.name()), None)
print("defined", conn.numOfDefinedDomains(), sorted(conn.listDefinedDomains()))
for name, call in (("lookup hid-c", lambda: conn.lookupByName("hid-c")),
                   ("create ro-b", lambda: conn.lookupByName("ro-b").create()),
                   ("define hid-d", lambda: conn.defineXML(open(work + "/hid-c.xml").read().replace("hid-c", "hid-d")))):
    try:
        call()
        print(name, "allowed")
    except libvirt.libvirtError as e:
        print(name, e.get_error_code(), e.get_error_domain(), str(e))
print("ready", flush=True)
sys.stdin.readline()  # root defines and undefines hid-e and ok-e meanwhile
deadline = time.time() + 30
while "ok-e" not in seen and time.time() < deadline:
    time.sleep(0.2)
time.sleep(1)
print("events", sorted(set(seen)))
PY
coproc CLIENT { as "$member" /usr/bin/python3 "$work/client.py" "$uri" "$work"; }
answers=()
while read -r line <&"${CLIENT[0]}"; do
  [ "$line" = ready ] && break
  answers+=("$line")
done
for name in hid-e ok-e; do
  domain_xml "$name" > "$work/$name.xml"
  virsh -q -c "$uri" define "$work/$name.xml" >/dev/null && virsh -q -c "$uri" undefine "$name" >/dev/null
done
echo go >&"${CLIENT[1]}"
read -r events <&"${CLIENT[0]}" || true
printf '%s\n' "${answers[@]}"
echo "$events"
[ "${answers[0]}" = "defined 2 ['ok-a', 'ro-b']" ] || fail "legacy count and list: ${answers[0]}"
pass "the legacy calls filter too: numOfDefinedDomains 2, listDefinedDomains ok-a ro-b"
[ "${answers[1]}" = "lookup hid-c 88 55 access denied: 'QEMU' denied access" ] || fail "lookup: ${answers[1]}"
[ "${answers[2]}" = "create ro-b 88 55 access denied: 'QEMU' denied access" ] || fail "create: ${answers[2]}"
[ "${answers[3]}" = "define hid-d 88 55 access denied: 'QEMU' denied access" ] || fail "define: ${answers[3]}"
if virsh -q -c "$uri" domstate hid-d >/dev/null 2>&1; then fail "the denied define of hid-d defined it"; fi
pass "lookup, create and define are refused with VIR_ERR_ACCESS_DENIED (88) from the access manager (55); hid-d not defined"
[ "$events" = "events ['ok-e']" ] || fail "events delivered to the member: $events"
pass "lifecycle events of a hidden domain are not delivered (ok-e's are)"
for name in ok-a ro-b hid-c; do virsh -q -c "$uri" undefine "$name" >/dev/null; done
echo "POLKIT-ACL OK"
