#!/usr/bin/env bash
# End-to-end test of the assembled distribution with the real virsh: every command of protocol.md §4,
# run on test:///default through jvirtd's sockets, must print what libvirtd 9.0 printed for it
# (../shared/protocol/captures/NN-*.out), after the capture's paths are replaced by this run's.
# The captures were made on qemu:///system; where the test driver rightly differs, the command is
# compared by shape only (see the mode of each check):
#   exact   the whole output, line by line
#   labels  the "Label:" of every line (dominfo, nodeinfo, version: host data, CPU time, QEMU taint)
#   root    the XML root element (capabilities, dumpxml: test driver XML instead of QEMU's)
#   line    one non-empty line (hostname)
#   table   a table whose column widths follow this run's longer paths (vol-list)
# and the test driver's known differences are taken out of the expectation:
#   - dominfo: no "Security model: none" / "Security DOI: 0" (libvirt's test driver has no security
#     driver, so virsh skips them) and no QEMU taint "Messages:" line
#   - event --all: QEMU's "Resumed Unpaused" as the vCPUs start and "Shutdown Finished after host
#     request" before "Stopped Destroyed" are QEMU driver events; the test driver sends neither
#   - shutdown: the test driver powers the guest off at once, so the guest is started again after it
# The daemon runs in its own network namespace, so net-start's bridge never touches the host.
# Usage: virsh-e2e.sh DIST_DIR CAPTURES_DIR
set -euo pipefail

dist=$(readlink -f "$1")
caps=$(readlink -f "$2")
[ -d "$caps" ] || { echo "E2E FAIL: no captures at $2" >&2; exit 1; }
command -v virsh >/dev/null || { echo "E2E FAIL: virsh is not installed" >&2; exit 1; }
work=$(mktemp -d /tmp/jvirtd-e2e.XXXXXX)
root=$work/root
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "E2E PASS: $*"; }
mismatch() { echo "E2E FAIL: $1"; echo "--- libvirtd"; echo "$2"; echo "--- jvirtd"; echo "$3"; failures=$((failures + 1)); }

shared=$(dirname "$caps")
sed "s/type='kvm'/type='test'/" "$shared/tiny-kvm-domain.xml" > "$work/tiny.xml"
sed -e "s#<name>peer-tiny</name>#<name>e2e-probe</name>#" -e '/<uuid>/d' "$work/tiny.xml" > "$work/probe.xml"
cp "$shared/isolated-network.xml" "$work/net.xml"
mkdir -p "$work/pool-dir"

# the capture's paths, as this run has them
normalize() {
  sed -e "s#research/peer/tiny-kvm-domain.xml#$work/tiny.xml#g" \
      -e "s#research/peer/isolated-network.xml#$work/net.xml#g" \
      -e "s#/tmp/peer/pool-dir#$work/pool-dir#g" -e "s#/tmp/peer/#$work/#g" \
      -e '/^Security model: none$/d' -e '/^Security DOI: *0$/d' -e '/^Messages: .*tainted/d'
}
# await SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s until it succeeds; fails the test after SECONDS
await() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "E2E FAIL: timed out after ${limit}s waiting for $what" >&2; exit 1; }
    sleep 0.1
  done
}
squeeze() { sed -e 's/^--*$/---/' -e 's/  */ /g'; }
labels() { sed -n 's/^\([^:]*\):.*/\1/p'; }
xmlroot() { grep -m1 -o '^<[a-z]*' || true; }

uri="test+unix:///default?socket=$root/run/libvirt/libvirt-sock"
ro_uri="test+unix:///default?socket=$root/run/libvirt/libvirt-sock-ro"
unshare --net "$dist/bin/jvirtd" -d --root "$root"
pid=$(cat "$root/run/jvirtd.pid")
await 30 "the daemon's socket" test -S "$root/run/libvirt/libvirt-sock"

check() { # check NN MODE ARGS... : runs virsh ARGS and compares with capture NN-*.out
  local nn=$1 mode=$2; shift 2
  local file; file=$(ls "$caps/$nn"-*.out)
  local expected actual
  expected=$(normalize < "$file")
  actual=$(virsh "$@" 2>&1 || true)
  case $mode in
    exact) [ "$expected" = "$actual" ] || { mismatch "$(basename "$file")" "$expected" "$actual"; return; } ;;
    labels) [ "$(labels <<<"$expected")" = "$(labels <<<"$actual")" ] \
              || { mismatch "$(basename "$file") labels" "$expected" "$actual"; return; } ;;
    root) [ "$(xmlroot <<<"$expected")" = "$(xmlroot <<<"$actual")" ] \
              || { mismatch "$(basename "$file") root element" "$expected" "$actual"; return; } ;;
    table) [ "$(squeeze <<<"$expected")" = "$(squeeze <<<"$actual")" ] \
              || { mismatch "$(basename "$file") table" "$expected" "$actual"; return; } ;;
    line) [ "$(wc -l <<<"$actual")" = 1 ] && [ -n "$actual" ] \
              || { mismatch "$(basename "$file") one line" "$expected" "$actual"; return; } ;;
  esac
  pass "$(basename "$file" .out) ($mode)"
}

c=(-c "$uri")
check 01 labels "${c[@]}" version
check 02 line "${c[@]}" hostname
check 03 labels "${c[@]}" nodeinfo
check 04 root "${c[@]}" capabilities
check 05 exact "${c[@]}" list --all
check 06 exact "${c[@]}" define "$work/tiny.xml"
check 07 exact "${c[@]}" list --all
check 08 exact "${c[@]}" dominfo peer-tiny
check 09 exact "${c[@]}" domstate peer-tiny
check 10 root "${c[@]}" dumpxml peer-tiny
check 11 exact "${c[@]}" start peer-tiny
check 12 labels "${c[@]}" dominfo peer-tiny
check 13 exact "${c[@]}" domstate peer-tiny
check 14 exact "${c[@]}" suspend peer-tiny
check 15 exact "${c[@]}" resume peer-tiny
check 16 exact "${c[@]}" shutdown peer-tiny
virsh "${c[@]}" -q start peer-tiny >/dev/null
check 17 exact "${c[@]}" save peer-tiny "$work/peer-tiny.save"
check 18 exact "${c[@]}" restore "$work/peer-tiny.save"
check 19 exact "${c[@]}" managedsave peer-tiny
check 20 exact "${c[@]}" start peer-tiny
check 21 exact "${c[@]}" autostart peer-tiny
check 22 exact "${c[@]}" autostart --disable peer-tiny
check 23 exact "${c[@]}" destroy peer-tiny
check 24 exact "${c[@]}" undefine peer-tiny
check 25 exact "${c[@]}" dominfo 6f1d3c0a-8e52-4b7d-9a13-0c2e4f5a6b70
check 26 exact "${c[@]}" net-list --all
check 27 exact "${c[@]}" net-define "$work/net.xml"
check 28 exact "${c[@]}" net-start peer-isolated
check 29 root "${c[@]}" net-dumpxml peer-isolated
check 30 exact "${c[@]}" net-dhcp-leases peer-isolated
check 31 exact "${c[@]}" net-destroy peer-isolated
check 32 exact "${c[@]}" net-undefine peer-isolated
check 33 exact "${c[@]}" pool-list --all
check 34 exact "${c[@]}" pool-define-as peer-pool dir --target "$work/pool-dir"
check 35 exact "${c[@]}" pool-start peer-pool
check 36 exact "${c[@]}" vol-create-as peer-pool vol1.img 1M --format raw
check 37 table "${c[@]}" vol-list peer-pool
head -c 10000 /dev/zero | tr '\0' 'A' > "$work/upload.bin"
check 38 exact "${c[@]}" vol-upload vol1.img "$work/upload.bin" --pool peer-pool
check 39 exact "${c[@]}" vol-download vol1.img "$work/download.bin" --pool peer-pool --length 10000
cmp -s "$work/upload.bin" "$work/download.bin" && pass "stream round trip" \
  || mismatch "stream round trip" "$(wc -c < "$work/upload.bin") bytes" "$(wc -c < "$work/download.bin" 2>&1)"
check 40 exact "${c[@]}" vol-delete vol1.img --pool peer-pool
check 41 exact "${c[@]}" pool-destroy peer-pool
check 42 exact "${c[@]}" pool-undefine peer-pool
check 43 exact -r -c "$uri" list --all
check 44 exact -r -c "$ro_uri" define "$work/tiny.xml"

# event --all while another client starts, suspends, resumes and destroys the guest. The watcher is
# listening once it prints the events of a probe domain defined and undefined meanwhile; those are
# taken out of its output and its count before the comparison.
virsh "${c[@]}" -q define "$work/tiny.xml" >/dev/null
virsh "${c[@]}" event --all --loop --timeout 6 > "$work/events.out" 2>&1 &
watcher=$!
probe_seen() {
  virsh "${c[@]}" -q define "$work/probe.xml" >/dev/null && virsh "${c[@]}" -q undefine e2e-probe >/dev/null
  grep -q "for domain 'e2e-probe'" "$work/events.out"
}
await 5 "virsh event --all to print a probe domain's events" probe_seen
for op in start suspend resume destroy; do virsh "${c[@]}" -q "$op" peer-tiny >/dev/null; done
wait $watcher || true
expected=$(sed -e '1{/Resumed Unpaused$/d}' -e '/Shutdown Finished after host request$/d' \
  -e 's/^events received: 6$/events received: 4/' "$caps/45-event-all.out")
probes=$(grep -c "for domain 'e2e-probe'" "$work/events.out" || true)
received=$(sed -n 's/^events received: \([0-9]*\)$/\1/p' "$work/events.out")
actual=$(grep -v "for domain 'e2e-probe'" "$work/events.out" \
  | sed "s/^events received: $received\$/events received: $((${received:-0} - probes))/")
[ "$expected" = "$actual" ] && pass "45-event-all (exact, without the QEMU-only events)" \
  || mismatch "45-event-all.out" "$expected" "$actual"
virsh "${c[@]}" -q undefine peer-tiny >/dev/null

kill -TERM "$pid"
for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
pid=
if [ "$failures" -gt 0 ]; then echo "E2E FAILED: $failures mismatches"; exit 1; fi
echo "E2E OK"
