#!/usr/bin/env bash
# Smoke test of the assembled distribution: libvirtd's options, the virt shell on the test driver,
# state kept across daemon restarts, -d with the pid file, --timeout, SIGTERM, a second daemon refused.
# Usage: smoke.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

dist=$(readlink -f "$1")
jvirtd=$dist/bin/jvirtd
work=$(mktemp -d /tmp/jvirtd-smoke.XXXXXX)
started=()
cleanup() {
  for pid in "${started[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "SMOKE FAIL: $*" >&2; exit 1; }
pass() { echo "SMOKE PASS: $*"; }
expect() { # expect NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
shell() { # shell ROOT COMMANDS... : runs the commands on test:///default in a fresh daemon that stops at end of input
  local root=$1; shift
  printf '%s\n' "virt:connect test:///default" "$@" | timeout 120 "$jvirtd" --root "$root" 2>&1
}

out=$("$jvirtd" --version) || fail "--version exits non-zero"
expect "--version" "$out" '^jvirtd \(jvirtd\) [0-9]'
out=$("$jvirtd" --help) || fail "--help exits non-zero"
expect "--help lists libvirtd's options" "$out" '--timeout <secs>'
if "$jvirtd" --bogus >/dev/null 2>&1; then fail "an unknown option is accepted"; fi
pass "unknown option refused"

printf 'max_workers = 5\nlog_level =\n' > "$work/bad.conf"
set +e
out=$("$jvirtd" --root "$work/bad" -f "$work/bad.conf" </dev/null 2>&1); rc=$?
set -e
[ "$rc" = 7 ] || fail "a config syntax error must stop the daemon with status 7, got $rc"
expect "config syntax error names file and line" "$out" "Can't load config file: configuration file syntax error: $work/bad.conf:2: expecting a value"

root=$work/root1
cat > "$work/vm1.xml" <<'XML'
<domain type='test'>
  <name>vm1</name>
  <memory unit='MiB'>128</memory>
  <vcpu>2</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
XML
out=$(shell "$root" "virt:define $work/vm1.xml" "virt:list --all" "virt:start vm1" "virt:dominfo vm1" \
  "virt:dumpxml vm1" "virt:autostart vm1" "virt:start vm1")
expect "define from a file" "$out" "Domain 'vm1' defined from $work/vm1.xml"
expect "list --all shows it shut off" "$out" '^(jvirtd> )? -    vm1    shut off'
expect "start" "$out" "Domain 'vm1' started"
expect "dominfo while running" "$out" 'State: +running'
expect "dumpxml shows the live id" "$out" "<domain type='test' id='1'>"
expect "autostart" "$out" "Domain 'vm1' marked as autostarted"
expect "starting a running domain fails like virsh" "$out" 'error: Domain is already active'
grep -q "Exception" <<<"$out" && fail "a stack trace was printed"

# host commands read the host itself: compare with what the kernel says
memtotal=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
out=$(shell "$work/host" "virt:nodememstats" "virt:nodecpumap --pretty" "virt:node-memory-tune" \
  "virt:nodecpustats --cpu 99999" "virt:nodeinfo" "virt:freecell --cellno 99999")
expect "nodememstats: total is /proc/meminfo's MemTotal" "$out" "total  : +$memtotal KiB"
expect "nodecpumap --pretty: the online CPUs" "$out" "CPU map: +$(cat /sys/devices/system/cpu/online)\$"
expect "node-memory-tune: KSM's pages_to_scan" "$out" "shm_pages_to_scan $(cat /sys/kernel/mm/ksm/pages_to_scan)\$"
expect "nodecpustats of a CPU the host lacks" "$out" "error: Invalid cpuNum in virHostCPUGetStatsLinux"
expect "nodeinfo" "$out" "CPU\\(s\\): +[0-9]+"
expect "freecell of a cell the host lacks" "$out" "error: internal error: start cell 99999 out of range"

# a domain's description and metadata through the shell, as virsh desc and metadata show them
out=$(shell "$work/meta" "virt:define $work/vm1.xml" "virt:desc vm1" "virt:desc --new-desc 'for smoke' vm1" \
  "virt:desc vm1" "virt:metadata --key app --set '<info v=\"1\"/>' vm1 http://example.org/app" \
  "virt:metadata vm1 http://example.org/app" "virt:metadata --remove vm1 http://example.org/app" \
  "virt:metadata vm1 http://example.org/app")
expect "desc without a description" "$out" "No description for domain: vm1"
expect "desc --new-desc" "$out" "Domain description updated successfully"
expect "desc shows it" "$out" "for smoke"
expect "metadata --set" "$out" "Metadata modified"
expect "metadata shows the element without its namespace" "$out" '<info v="1"/>'
expect "metadata --remove, then it is gone" "$out" "error: metadata not found: Requested metadata element is not present"

# secrets through the shell: define, values, private refusal; a restart keeps the persistent one and its value
cat > "$work/secret.xml" <<'XML'
<secret ephemeral='no' private='no'>
  <uuid>c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23</uuid>
  <usage type='ceph'><name>client.admin secret</name></usage>
</secret>
XML
printf '<secret ephemeral="yes" private="yes"><uuid>11111111-2222-3333-4444-555555555555</uuid></secret>' > "$work/private.xml"
out=$(shell "$work/sec" "virt:secret-define $work/secret.xml" "virt:secret-define $work/private.xml" \
  "virt:secret-set-value --base64 c2VjcmV0 c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23" \
  "virt:secret-set-value --base64 c2VjcmV0 11111111-2222-3333-4444-555555555555" \
  "virt:secret-get-value 11111111-2222-3333-4444-555555555555" "virt:secret-list" \
  "virt:secret-dumpxml c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23")
expect "secret-define" "$out" "Secret c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23 created"
expect "secret-set-value" "$out" "Secret value set"
expect "a private secret's value is refused" "$out" "error: Invalid secret: secret is private"
expect "secret-list shows the usage" "$out" "c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23 +ceph client.admin secret"
expect "secret-dumpxml" "$out" "<secret ephemeral='no' private='no'>"
grep -rq "c2VjcmV0\|secret\b" "$work/sec/etc/jvirtd/secrets/"*.aes256cbc && fail "the value is on disk in clear"
out=$(shell "$work/sec" "virt:secret-get-value c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23" "virt:secret-list" \
  "virt:secret-undefine c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23" "virt:secret-list")
expect "after a restart the value is back" "$out" "^(jvirtd> )*c2VjcmV0$"
grep -q 11111111-2222 <<<"$out" && fail "an ephemeral secret outlived the daemon"
expect "secret-undefine" "$out" "Secret c8f7a2e4-1d3b-4a5e-9f60-7b8c9d0e1f23 deleted"
ls "$work/sec/etc/jvirtd/secrets/" | grep -q c8f7a2e4 && fail "undefine left files behind"
pass "secret files removed by undefine"

# network filters through the shell: libvirt's standard filters at the first start, define, dumpxml, the
# refusal of a filter in use is left to the namespace tests (bindings make ebtables rules); a restart keeps them
cat > "$work/web.xml" <<'XML'
<filter name='smoke-web' chain='ipv4'>
  <rule action='accept' direction='in'><ip protocol='tcp' dstportstart='80'/></rule>
</filter>
XML
out=$(shell "$work/nwf" "virt:nwfilter-list" "virt:nwfilter-define $work/web.xml" "virt:nwfilter-dumpxml smoke-web" \
  "virt:nwfilter-dumpxml nosuch" "virt:nwfilter-binding-list")
expect "nwfilter-list has the standard filters" "$out" "^(jvirtd> )* [0-9a-f-]{36} +clean-traffic$"
expect "nwfilter-define" "$out" "Network filter smoke-web defined from $work/web.xml"
expect "nwfilter-dumpxml writes libvirt's form" "$out" "<ip protocol='tcp' dstportstart='80'/>"
expect "nwfilter-dumpxml of an unknown filter" "$out" "error: Network filter not found: no nwfilter with matching name 'nosuch'"
expect "nwfilter-binding-list" "$out" "Port Dev +Filter"
out=$(shell "$work/nwf" "virt:nwfilter-undefine smoke-web" "virt:nwfilter-list")
expect "nwfilter-undefine after a restart" "$out" "Network filter smoke-web undefined"
grep -q smoke-web <<<"${out#*undefined}" && fail "an undefined filter is still listed"
pass "nwfilter-undefine forgets the filter"

# node devices and host interfaces through the shell, read from this host's sysfs
out=$(shell "$work/dev" "virt:nodedev-list --tree" "virt:nodedev-list --cap system" "virt:nodedev-info computer" \
  "virt:nodedev-dumpxml net_lo_00_00_00_00_00_00" "virt:nodedev-dumpxml nosuch" "virt:iface-list --all" \
  "virt:iface-mac lo" "virt:iface-dumpxml nosuch" "virt:nodedev-reset net_lo_00_00_00_00_00_00" \
  "virt:nodedev-reattach net_lo_00_00_00_00_00_00")
expect "nodedev-list --tree starts at the computer" "$out" "^(jvirtd> )*computer$"
expect "nodedev-list --tree shows lo under it" "$out" "^  \\+- net_lo_00_00_00_00_00_00$"
expect "nodedev-info of the host" "$out" "Persistent: +yes"
expect "nodedev-dumpxml of lo" "$out" "<interface>lo</interface>"
expect "unknown node device" "$out" "error: Node device not found: no node device with matching name 'nosuch'"
expect "iface-list --all shows lo" "$out" "^ lo +inactive +00:00:00:00:00:00$"
expect "iface-mac" "$out" "^(jvirtd> )*00:00:00:00:00:00$"
expect "unknown interface" "$out" "error: Interface not found: couldn't find interface named 'nosuch'"
expect "nodedev-reset of a device that is not PCI" "$out" "error: Failed to reset device net_lo_00_00_00_00_00_00"
expect "nodedev-reattach of a device that is not PCI" "$out" \
  "error: invalid argument: device net_lo_00_00_00_00_00_00 is not a PCI device"

out=$(shell "$root" "virt:list --all" "virt:dominfo vm1")
expect "after a daemon restart the domain still runs" "$out" '^(jvirtd> )? 1    vm1    running'
expect "after a daemon restart autostart is kept" "$out" 'Autostart: +enable'
test -L "$root/etc/jvirtd/test/autostart/vm1.xml" || fail "autostart link missing"
pass "autostart link on disk"

out=$(shell "$root" "virt:destroy vm1" "virt:suspend vm1" "virt:dominfo nosuch" "virt:define $work/missing.xml")
expect "destroy" "$out" "Domain 'vm1' destroyed"
expect "suspend of a shut off domain is refused" "$out" 'error: Requested operation is not valid: domain is not running'
expect "unknown domain" "$out" "error: failed to get domain 'nosuch'"
expect "missing file" "$out" "error: Failed to open file '$work/missing.xml': No such file or directory"

out=$(shell "$root" "virt:list --all")
expect "autostart starts the domain when the daemon starts" "$out" ' 1    vm1    running'

# -d daemonizes, writes the pid file, --timeout ends an idle daemon and removes the pid file.
root2=$work/root2
# (10 s: the second daemon below must reach the pid file while the first still holds it, on a busy machine too)
"$jvirtd" -d --timeout 10 --root "$root2" || fail "-d did not start"
pidfile=$root2/run/jvirtd.pid
test -s "$pidfile" || fail "pid file not written"
pid=$(cat "$pidfile")
started+=("$pid")
kill -0 "$pid" || fail "daemon not running"
pass "-d writes the pid file ($pid)"
if timeout 60 "$jvirtd" --root "$root2" </dev/null >"$work/second.log" 2>&1; then fail "a second daemon started"; fi
expect "a second daemon on the same pid file refuses" "$(cat "$work/second.log")" 'Failed to acquire pid file'
for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "--timeout 10 did not stop the idle daemon within 30 s"
test -e "$pidfile" && fail "pid file left behind after --timeout"
pass "--timeout 10 stops the idle daemon and removes its pid file"

# SIGTERM stops cleanly.
"$jvirtd" -d --root "$root2" || fail "-d did not start the second time"
pid=$(cat "$pidfile")
started+=("$pid")
set +e
timeout 60 "$jvirtd" --root "$root2" -p "$work/other.pid" </dev/null >"$work/third.log" 2>&1; rc=$?
set -e
kill -0 "$pid" || fail "the first daemon stopped early"
[ "$rc" = 6 ] || fail "a second daemon on the same sockets must exit with status 6, got $rc"
expect "a second daemon on the same sockets refuses" "$(cat "$work/third.log")" \
  'Unable to initialize network sockets: another daemon is already listening on .*/libvirt-sock'
test -e "$work/other.pid" && fail "the refused daemon left its pid file"
kill -TERM "$pid"
for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "SIGTERM did not stop the daemon within 20 s"
test -e "$pidfile" && fail "pid file left behind after SIGTERM"
pass "SIGTERM stops the daemon and removes its pid file"

# jvirtd-guests through the real virsh: suspend at stop, bring back at start, shutdown mode, reboot.
if need_programs SMOKE virsh virt-admin; then
  root3=$work/root3
  "$jvirtd" -d --root "$root3" || fail "-d did not start for jvirtd-guests"
  started+=("$(cat "$root3/run/jvirtd.pid")")
  uri="test+unix:///default?socket=$root3/run/libvirt/libvirt-sock"
  for n in g1 g2; do
    sed "s/vm1/$n/" "$work/vm1.xml" > "$work/$n.xml"
    virsh -q -c "$uri" define "$work/$n.xml" >/dev/null && virsh -q -c "$uri" start "$n" >/dev/null || fail "virsh could not start $n"
  done
  sed "s/vm1/tr/" "$work/vm1.xml" > "$work/tr.xml"
  virsh -q -c "$uri" create "$work/tr.xml" >/dev/null || fail "virsh create failed"
  printf 'URIS="%s"\nON_SHUTDOWN=suspend\nON_BOOT=start\n' "$uri" > "$work/guests.conf"
  export JVIRTD_GUESTS_CONFIG=$work/guests.conf JVIRTD_GUESTS_STATE=$work/guests.state
  out=$("$dist/bin/jvirtd-guests" status)
  expect "jvirtd-guests status lists running guests" "$out" 'Running guests on URI .*: (g1|g2|tr), (g1|g2|tr), (g1|g2|tr)$'
  out=$("$dist/bin/jvirtd-guests" stop)
  expect "jvirtd-guests stop managed-saves persistent guests" "$out" 'Suspending g1: done'
  expect "jvirtd-guests stop shuts transient guests down" "$out" 'Shutdown of guest tr complete.'
  out=$(virsh -q -c "$uri" list --all --managed-save)
  expect "saved guests show as saved" "$out" 'g2 +saved'
  out=$("$dist/bin/jvirtd-guests" start)
  expect "jvirtd-guests start restores them" "$out" 'Resuming guest g2: done'
  out=$(virsh -q -c "$uri" domstate --reason g1)
  expect "a resumed guest runs from its image" "$out" 'running \(restored\)'
  out=$("$dist/bin/jvirtd-guests" reboot)
  expect "jvirtd-guests reboot" "$out" 'Rebooting g1: done'
  out=$("$dist/bin/jvirtd-guests" shutdown)
  expect "jvirtd-guests shutdown" "$out" 'Shutdown of guest g2 complete.'
  out=$(virsh -q -c "$uri" list)
  [ -z "$(echo "$out" | sed '/^$/d')" ] || fail "guests still running after jvirtd-guests shutdown: $out"
  pass "nothing runs after jvirtd-guests shutdown"
  kill -TERM "$(cat "$root3/run/jvirtd.pid")"

  # Every define is durable when it returns: SIGKILL right after the last one loses none of them, and
  # the files on disk follow on the next start (the journal is replayed before anything is read).
  root4=$work/root4
  "$jvirtd" -d --root "$root4" || fail "-d did not start for the kill test"
  pid=$(cat "$root4/run/jvirtd.pid")
  started+=("$pid")
  uri="test+unix:///default?socket=$root4/run/libvirt/libvirt-sock"
  cmds=""
  for i in $(seq 1 50); do
    sed "s/vm1/k$i/" "$work/vm1.xml" > "$work/k$i.xml"
    cmds+="define $work/k$i.xml; "
  done
  virsh -q -c "$uri" "${cmds}undefine k7" >/dev/null || fail "virsh could not define the k* domains"
  kill -KILL "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  on_disk=$(ls "$root4/etc/jvirtd/test" | grep -c '^k[0-9]*\.xml$' || true)
  "$jvirtd" -d --root "$root4" || fail "-d did not start after SIGKILL"
  started+=("$(cat "$root4/run/jvirtd.pid")")
  n=$(virsh -q -c "$uri" list --all --name | grep -c '^k[0-9]*$' || true)
  [ "$n" = 49 ] || fail "after SIGKILL $n of the 49 defined domains are left"
  pass "SIGKILL right after 50 defines and an undefine: all 49 domains are there after a restart"
  [ "$(ls "$root4/etc/jvirtd/test" | grep -c '^k[0-9]*\.xml$')" = 49 ] || fail "definition files missing after the replay"
  test -e "$root4/etc/jvirtd/test/k7.xml" && fail "the undefined domain's file came back"
  if [ "$on_disk" -lt 49 ]; then
    grep -q "replaying [0-9]* journaled changes" "$root4/var/log/jvirtd/jvirtd.log" || fail "no replay logged"
  fi
  pass "the journal's replay wrote the 49 definition files and no more ($on_disk were on disk at the kill)"
  kill -TERM "$(cat "$root4/run/jvirtd.pid")"

  # virt-admin daemon-timeout gives a running daemon libvirtd's --timeout: idle, it stops by itself.
  root5=$work/root5
  "$jvirtd" -d --root "$root5" || fail "-d did not start for daemon-timeout"
  pid=$(cat "$root5/run/jvirtd.pid")
  started+=("$pid")
  virt-admin -c "libvirtd:///system?socket=$root5/run/libvirt/libvirt-admin-sock" daemon-timeout --timeout 2 >/dev/null \
    || fail "virt-admin daemon-timeout failed"
  sleep 1
  kill -0 "$pid" 2>/dev/null || fail "the daemon stopped before its 2 s of idleness"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "virt-admin daemon-timeout 2 did not stop the idle daemon within 10 s"
  test -e "$root5/run/jvirtd.pid" && fail "pid file left behind after the idle stop"
  pass "virt-admin daemon-timeout --timeout 2 stops the idle daemon"
fi

echo "SMOKE OK"
