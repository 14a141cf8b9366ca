#!/usr/bin/env bash
# A third-party driver built outside the reactor: builds examples/driver-hello with its own Maven build
# against the distribution's jvirtd-api jar only, drops it into load/ of a running daemon, and drives
# hello:///default with the real virsh (define, start, list, dominfo); then deletes the jar and checks the
# driver is gone, and that bringing it back finds the guest core kept for it.
# load/ belongs to the installation, so the test runs a copy of it, leaving the shared one untouched.
# Usage: driver-hello.sh DIST_DIR REPO_DIR [offline=true|false] (offline: build the example with mvn -o)
set -euo pipefail

dist=$(readlink -f "$1")
repo=$(readlink -f "$2")
offline=${3:-offline=false}; offline=${offline#offline=}
command -v virsh >/dev/null || { echo "HELLO FAIL: virsh is not installed" >&2; exit 1; }
work=$(mktemp -d /tmp/jvirtd-hello.XXXXXX)
root=$work/root
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# manifest_of JAR: the jar's META-INF/MANIFEST.MF (python3's zipfile: no unzip needed)
manifest_of() { python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("META-INF/MANIFEST.MF").decode())' "$1"; }
fail() { echo "HELLO FAIL: $*" >&2; exit 1; }
pass() { echo "HELLO PASS: $*"; }
expect() { # expect NAME TEXT PATTERN
  grep -qE -- "$3" <<<"$2" || { echo "$2" >&2; fail "$1: no match for /$3/"; }
  pass "$1"
}
# await SECONDS WHAT COMMAND...: polls COMMAND every 0.2 s until it succeeds; fails the test after SECONDS
await() {
  local limit=$1 what=$2
  shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${limit}s waiting for $what"
    sleep 0.2
  done
}

# 1. the example's own build: no parent, the published api jar and nothing else of jvirtd
api_jar=$dist/bundle/jvirtd-api.jar
[ -f "$api_jar" ] || fail "the distribution has no $api_jar"
cp -a "$repo/examples/driver-hello" "$work/driver-hello"
rm -rf "$work/driver-hello/target"
mvn_flags=(-B -q)
[ "$offline" = true ] && mvn_flags+=(-o)
mvn "${mvn_flags[@]}" -f "$work/driver-hello/pom.xml" package -Djvirtd.api.jar="$api_jar" \
  || fail "the example does not build against $api_jar"
jar=$work/driver-hello/target/driver-hello-1.0.0.jar
[ -f "$jar" ] || fail "the build made no $jar"
manifest=$(manifest_of "$jar" | tr -d '\r' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g')
expect "the jar imports the api packages with version ranges" "$manifest" 'org\.jvirtd\.api\.driver;version="\[1\.[0-9]+,2\)"'
grep -q 'org\.jvirtd\.\(core\|model\)' <<<"$manifest" && fail "the example uses more of jvirtd than its api"
pass "nothing of jvirtd but its api is imported"

# 2. a daemon from a private copy of the installation, with a short driver grace period
cp -a "$dist" "$work/jvirtd"
printf 'driver_grace_period = 2\n' > "$work/jvirtd.conf"
"$work/jvirtd/bin/jvirtd" -d --root "$root" -f "$work/jvirtd.conf"
pid=$(cat "$root/run/jvirtd.pid")
sock=$root/run/libvirt/libvirt-sock
await 60 "the daemon's socket" test -S "$sock"
uri="hello+unix:///default?socket=$sock"
v() { virsh -c "$uri" "$@" 2>&1; }

out=$(v list --all || true)
expect "before the drop, hello:///default is not served" "$out" "error: .*no connection driver available for hello:///default"

drop() { cp "$jar" "$work/jvirtd/load/.driver-hello.tmp"; mv "$work/jvirtd/load/.driver-hello.tmp" "$work/jvirtd/load/driver-hello.jar"; }
drop
await 30 "hello:///default after the drop into load/" virsh -c "$uri" uri
expect "version: the driver's type and version" "$(v version)" '^Running hypervisor: HELLO 1\.0\.0$'
expect "capabilities are the driver's" "$(v capabilities)" "<domain type='none'/>"

cat > "$work/hello1.xml" <<'XML'
<domain type='none'>
  <name>hello1</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
XML
sed -e "s/type='none'/type='test'/" -e 's/hello1/other/' "$work/hello1.xml" > "$work/other.xml"

out=$(v define "$work/other.xml" || true)
expect "a definition of another hypervisor is refused by the driver" "$out" \
  "error: invalid argument: the hello hypervisor runs only domains of type 'none', not 'test'"
expect "define" "$(v define "$work/hello1.xml")" "Domain 'hello1' defined from $work/hello1.xml"
expect "list --all: shut off" "$(v list --all)" '^ -    hello1   shut off$'
expect "start" "$(v start hello1)" "Domain 'hello1' started"
expect "list: running with id 1" "$(v list)" '^ 1    hello1   running$'
out=$(v dominfo hello1)
expect "dominfo: running" "$out" '^State: +running$'
expect "dominfo: the definition's memory" "$out" '^Max memory: +65536 KiB$'
expect "dominfo: persistent" "$out" '^Persistent: +yes$'

# 3. the jar deleted: the bundle goes, and after the grace period calls say the driver is not there
rm "$work/jvirtd/load/driver-hello.jar"
deadline=$((SECONDS + 30))
while :; do
  out=$(v list --all || true)
  grep -q "driver hello is not available" <<<"$out" && break
  [ $SECONDS -lt $deadline ] || fail "the driver is still there 30 s after its jar was deleted: $out"
  sleep 0.5
done
expect "after the jar is deleted the driver is gone" "$out" "error: .*driver hello is not available"

# 4. dropped again: core kept the guest, and the driver takes it back running
drop
await 30 "hello:///default after the second drop" virsh -c "$uri" list
expect "the guest core kept is back, running" "$(v list)" '^ 1    hello1   running$'
expect "shutdown" "$(v shutdown hello1)" "Domain 'hello1' is being shutdown"
expect "list --all: shut off after the shutdown" "$(v list --all)" '^ -    hello1   shut off$'
expect "start again" "$(v start hello1)" "Domain 'hello1' started"
expect "destroy" "$(v destroy hello1)" "Domain 'hello1' destroyed"
expect "list --all: shut off again" "$(v list --all)" '^ -    hello1   shut off$'
expect "undefine" "$(v undefine hello1)" "Domain 'hello1' has been undefined"

kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "the daemon did not stop on SIGTERM"
pid=
pass "driver-hello: all checks passed"
