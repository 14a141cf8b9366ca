#!/usr/bin/env bash
# Crash consistency of the assembled daemon: 1000 mixed defines, redefines, undefines and autostart flips
# of test:/// domains, networks and dir pools, with the daemon SIGKILLed at random points (during calls,
# and in the quiet spell in which the journal checkpoints its files). After each restart every
# acknowledged change is there, the change in flight at the kill is wholly there or wholly not, and every
# definition file parses. Prints the kill count and the losses; any loss fails.
# The daemon runs in a network namespace of its own (unshare --net): autostarted networks make their
# bridges there, never on the host. Usage: crash-consistency.sh DIST_DIR [OPS] [KILLS]
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

dist=$(readlink -f "$1")
ops=${2:-1000}
kills=${3:-20}
need_programs CRASH unshare || exit 0
prerequisite CRASH "libvirt-python (/usr/bin/python3 -c 'import libvirt')" /usr/bin/python3 -c 'import libvirt' || exit 0
prerequisite CRASH "root, for the daemon's network namespace" test "$(id -u)" = 0 || exit 0

work=$(mktemp -d /tmp/jvirtd-crash.XXXXXX)
cleanup() {
  local pid
  pid=$(cat "$work/root/run/jvirtd.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 "$(dirname "$0")/crash-consistency.py" "$dist/bin/jvirtd" "$work" "$ops" "$kills"
