#!/usr/bin/env bash
# The operator shell on a headless daemon (jvirtd -d): bin/jvirtd-shell runs lb, virt: commands and
# update through shell-sock with -c, from stdin and interactively on a pty (completion, history file);
# a failed command gives status 1; the socket is 0600 and a user other than the daemon's is refused,
# by the mode and, with the mode loosened, by the peer check. Usage: operator-shell.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

dist=$(readlink -f "$1")
need_programs SHELL virsh setpriv script || exit 0
work=$(mktemp -d /tmp/jvirtd-opshell.XXXXXX)
chmod 755 "$work"
root=$work/root
pidfile=$root/run/jvirtd.pid
cleanup() {
  if [ -s "$pidfile" ]; then kill -KILL "$(cat "$pidfile")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "SHELL FAIL: $*" >&2; exit 1; }
pass() { echo "SHELL PASS: $*"; }
jshell() { "$dist/bin/jvirtd-shell" --root "$root" "$@"; }

"$dist/bin/jvirtd" -d --root "$root" || fail "jvirtd -d"
sock=$root/run/jvirtd/shell-sock
[ -S "$sock" ] || fail "no $sock"
[ "$(stat -c '%a %U' "$sock")" = "600 $(id -un)" ] || fail "shell-sock is $(stat -c '%a %U' "$sock")"
pass "headless daemon listens on run/jvirtd/shell-sock, mode 0600"

out=$(jshell -c lb) || fail "jvirtd-shell -c lb: status $?"
grep -q '|Active *| *1|jvirtd rpc: ' <<<"$out" || fail "lb: $out"
grep -q '|Active *| *3|Apache Felix Gogo JLine Shell' <<<"$out" || fail "lb: $out"
pass "jvirtd-shell -c lb lists the daemon's bundles"

uri="test+unix:///default?socket=$root/run/libvirt/libvirt-sock"
cat > "$work/vm.xml" <<'XML'
<domain type='test'><name>shellvm</name><memory unit='MiB'>64</memory><os><type>hvm</type></os></domain>
XML
out=$(jshell -c 'virt:connect test:///default' -c "virt:define $work/vm.xml") || fail "virt:define: $out"
grep -q 'Domain .shellvm. defined' <<<"$out" || fail "virt:define printed: $out"
virsh -q -c "$uri" list --all --name | grep -qx shellvm || fail "virsh does not see the domain the shell defined"
out=$(printf 'virt:connect test:///default\nvirt:list --all\n' | jshell) || fail "virt:list from stdin"
grep -q ' shellvm  *shut off' <<<"$out" || fail "virt:list from stdin: $out"
[ "$(echo virt:hostname | jshell)" = "$(virsh -c "$uri" hostname)" ] || fail "virt:hostname from stdin"
pass "virt: commands with -c and from stdin act on the daemon virsh talks to"

set +e
err=$(jshell -c 'virt:dominfo nosuchvm' 2>&1 >/dev/null); status=$?
set -e
[ "$status" = 1 ] || fail "a failed virt: command exits $status"
grep -q "error: failed to get domain 'nosuchvm'" <<<"$err" || fail "failed virt: command printed: $err"
set +e
err=$(jshell -c 'nosuchcommand' 2>&1 >/dev/null); status=$?
set -e
[ "$status" = 1 ] && grep -q 'Command not found: nosuchcommand' <<<"$err" || fail "unknown command: $status $err"
pass "a failed command prints virsh's or gosh's message and exits 1"

id=$(jshell -c 'lb -s org.jvirtd.shell' | awk -F'|' '$4 ~ /^org\.jvirtd\.shell / {gsub(/ /, "", $1); print $1}')
[ -n "$id" ] || fail "no id of org.jvirtd.shell"
jshell -c "update $id" >/dev/null || fail "update $id"
for _ in $(seq 1 100); do
  out=$(jshell -c 'virt:connect test:///default' -c 'virt:list --all' 2>/dev/null) && grep -q ' shellvm ' <<<"$out" && break
  sleep 0.1
done
grep -q ' shellvm ' <<<"$out" || fail "virt:list after update $id: $out"
pass "update $id (the shell bundle) through the operator shell; virt: commands are back"

# A terminal: JLine on a pty (script), a command typed and completed with Tab, its output, the history file.
mkdir -m 700 "$work/home"
(sleep 6; printf 'virt:hostn\t\r'; sleep 3; printf 'exit\r'; sleep 3) \
  | HOME=$work/home timeout 60 script -qfec "$dist/bin/jvirtd-shell --root $root" /dev/null > "$work/pty.out" 2>&1 || true
grep -q "$(virsh -c "$uri" hostname)" "$work/pty.out" || fail "interactive virt:hostname: $(cat -v "$work/pty.out")"
grep -q ':virt:hostname$' "$work/home/.jvirtd-shell_history" 2>/dev/null || fail "no history in ~/.jvirtd-shell_history"
pass "interactive on a terminal: Tab completes virt:hostn, the history is kept in ~/.jvirtd-shell_history"

if [ "$(id -u)" = 0 ]; then
  # The other user runs its own copy of the client and may pass the directories above the socket, so that
  # only the socket itself (its mode, then the daemon's credential check) can refuse it, wherever the
  # installation and the work directory are (a CI clone may sit below a directory only root may enter).
  client=$work/client
  mkdir -p "$client/bin" "$client/bundle"
  cp "$dist/bin/jvirtd-shell" "$dist/bin/jvirtd.jar" "$dist/bin/felix.jar" "$client/bin/"
  # jvirtd.jar's manifest Class-Path names these beside JLine
  cp "$dist/bundle/jline.jar" "$dist/bundle/jvirtd-platform.jar" "$dist/bundle/jvirtd-api.jar" "$client/bundle/"
  chmod -R a+rX "$client"
  dir=$(dirname "$sock")
  while [ "$dir" != / ]; do chmod o+x "$dir"; [ "$dir" = "$work" ] && break; dir=$(dirname "$dir"); done
  nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$client" "$@"; }
  set +e
  err=$(nobody "$client/bin/jvirtd-shell" --root "$root" -c lb 2>&1); status=$?
  set -e
  [ "$status" = 1 ] && grep -q 'Permission denied' <<<"$err" || fail "another user through mode 0600: $status $err"
  chmod 666 "$sock"
  set +e
  err=$(nobody "$client/bin/jvirtd-shell" --root "$root" -c lb 2>&1); status=$?
  set -e
  chmod 600 "$sock"
  [ "$status" = 1 ] && grep -q 'user nobody may not use the operator shell' <<<"$err" \
    || fail "another user through a loosened mode: $status $err"
  pass "another user is refused: by the socket's mode, and by its credentials when the mode is loosened"
fi

kill "$(cat "$pidfile")"
for _ in $(seq 1 300); do [ -e "$pidfile" ] || break; sleep 0.1; done
[ ! -e "$sock" ] || fail "shell-sock left after the daemon stopped"
set +e
err=$(jshell -c lb 2>&1); status=$?
set -e
[ "$status" = 1 ] && grep -q 'is the daemon running' <<<"$err" || fail "no daemon: $status $err"
pass "the socket goes with the daemon; without one jvirtd-shell says so"
