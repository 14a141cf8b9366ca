#!/usr/bin/env bash
# Checks the init integration of the distribution: syntax of every script and unit, and the SysV rc
# script run for real (start, stop managed-saves guests, start brings them back, guests_reboot,
# guests_shutdown, status). Usage: init-scripts.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

dist=$(readlink -f "$1")
work=$(mktemp -d /tmp/jvirtd-init.XXXXXX)
pidfile=$work/root/run/jvirtd.pid
cleanup() {
  if [ -s "$pidfile" ]; then kill -KILL "$(cat "$pidfile")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "INIT FAIL: $*" >&2; exit 1; }
pass() { echo "INIT PASS: $*"; }

for script in "$dist"/bin/jvirtd "$dist"/bin/jvirtd-guests "$dist"/bin/jvirtd-shell "$dist"/bin/jvirtd-conformance; do
  bash -n "$script" || fail "syntax of $script"
done
for script in "$dist"/init/sysv/jvirtd "$dist"/init/openrc/init.d/*; do
  sh -n "$script" || fail "syntax of $script"
done
for conf in "$dist"/init/openrc/conf.d/* "$dist"/etc/default/jvirtd-guests; do
  sh -n "$conf" || fail "syntax of $conf"
done
pass "shell syntax of every script and conf.d file"

if need_programs INIT systemd-analyze; then
  units=$work/units
  mkdir -p "$units"
  for unit in "$dist"/init/systemd/*.service; do
    sed "s#/opt/jvirtd#$dist#g" "$unit" > "$units/$(basename "$unit")"
  done
  out=$(cd "$units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./jvirtd.service ./jvirtd-guests.service 2>&1 \
        | grep -v -e 'is not executable' -e 'Failed to prepare filename' -e 'Unit .* not found' || true)
  [ -z "$out" ] || fail "systemd-analyze verify: $out"
  grep -q '^After=.*jvirtd.service' "$dist/init/systemd/jvirtd-guests.service" || fail "guests unit not ordered after jvirtd.service"
  grep -q '^KillMode=process' "$dist/init/systemd/jvirtd.service" || fail "jvirtd.service would kill guests on stop"
  pass "systemd units verify"
fi
if need_programs INIT man; then
  if man -l --warnings "$dist/man/jvirtd.8" 2>&1 >/dev/null | grep -q .; then fail "jvirtd.8 has warnings"; fi
  pass "man page renders without warnings"
fi

need_programs INIT virsh || exit 0
rc=$dist/init/sysv/jvirtd
export JVIRTD_HOME=$dist JVIRTD_PIDFILE=$pidfile JVIRTD_OPTS="--root $work/root"
uri="test+unix:///default?socket=$work/root/run/libvirt/libvirt-sock"
printf 'URIS="%s"\nON_BOOT=start\n' "$uri" > "$work/guests.conf"
export JVIRTD_GUESTS_CONFIG=$work/guests.conf JVIRTD_GUESTS_STATE=$work/guests.state

"$rc" start >/dev/null || fail "rc start"
"$rc" status | grep -q 'jvirtd is running' || fail "rc status after start"
cat > "$work/g.xml" <<'XML'
<domain type='test'><name>rcvm</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>
XML
virsh -q -c "$uri" define "$work/g.xml" >/dev/null && virsh -q -c "$uri" start rcvm >/dev/null || fail "virsh start"
out=$("$rc" stop)
grep -q 'Suspending rcvm: done' <<<"$out" || fail "rc stop did not managed-save the guest: $out"
if "$rc" status >/dev/null; then fail "rc status says running after stop"; fi
[ -e "$pidfile" ] && fail "pid file left after rc stop"
pass "rc stop managed-saves the guests and stops the daemon"

out=$("$rc" start)
grep -q 'Resuming guest rcvm: done' <<<"$out" || fail "rc start did not bring the guest back: $out"
virsh -q -c "$uri" domstate --reason rcvm | grep -q 'running (restored)' || fail "guest not restored"
pass "rc start brings the saved guests back"
"$rc" guests_reboot | grep -q 'Rebooting rcvm: done' || fail "rc guests_reboot"
"$rc" guests_shutdown | grep -q 'Shutdown of guest rcvm complete.' || fail "rc guests_shutdown"
virsh -q -c "$uri" domstate rcvm | grep -q 'shut off' || fail "guest still running after guests_shutdown"
pass "rc guests_reboot and guests_shutdown"
"$rc" restart >/dev/null || fail "rc restart"
"$rc" status | grep -q 'jvirtd is running' || fail "rc status after restart"
"$rc" stop >/dev/null
pass "rc restart"
echo "INIT OK"
