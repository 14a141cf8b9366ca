#!/usr/bin/env bash
# Checks prerequisite.sh, which every test script here sources: a missing prerequisite fails the test
# under CI=true, naming it, and skips it on a developer's run; a present one lets the test go on.
# Usage: prerequisite-test.sh
set -euo pipefail

lib=$(dirname "$(readlink -f "$0")")/prerequisite.sh
fail() { echo "PREREQUISITE FAIL: $*" >&2; exit 1; }
pass() { echo "PREREQUISITE PASS: $*"; }
# run CI-VALUE: a test script that needs a program no host has; prints its output and exit status
run() {
  local status=0 out
  out=$(CI=$1 bash -c '. "$0"; need_programs DEMO bash no-such-tool-jvirtd || exit 0; echo RAN' \
    "$lib" 2>&1) || status=$?
  echo "$status:$out"
}

out=$(run true)
[[ $out == "1:DEMO FAIL: missing prerequisite: no-such-tool-jvirtd on PATH (CI=true"* ]] || fail "under CI=true: $out"
pass "under CI=true a missing program fails the test, named"
out=$(run "")
[[ $out == "0:DEMO SKIP: missing prerequisite: no-such-tool-jvirtd on PATH (under CI=true this fails)" ]] || fail "without CI: $out"
pass "on a developer's run a missing program skips the test"
out=$(CI=true bash -c '. "$0"; need_programs DEMO bash; prerequisite DEMO "a file" test -e "$0"; echo RAN' "$lib" 2>&1)
[ "$out" = RAN ] || fail "a present program: $out"
pass "present prerequisites let the test run, under CI too"
echo "PREREQUISITE OK"
