# Sourced by the distribution's test scripts: what a test needs from the host (a program, a file of
# ../shared). When it is missing, a developer's run skips that test (or that part of it) and CI's run
# (CI=true, as .ci/run runs) fails, naming what is missing, so that a green CI build never hides a test
# that did not run.

# prerequisite TEST WHAT CHECK...: true when the command CHECK succeeds. Otherwise, under CI=true, prints
# "TEST FAIL: missing prerequisite: WHAT" and exits 1; on a developer's run prints "TEST SKIP: ..." and
# returns 1, for the caller to skip: `prerequisite QEMU "the guest fixtures" test -d "$3/fixtures" || exit 0`.
prerequisite() {
  local test=$1 what=$2
  shift 2
  if "$@" >/dev/null 2>&1; then
    return 0
  fi
  if [ "${CI:-}" = true ]; then
    echo "$test FAIL: missing prerequisite: $what (CI=true: a test whose prerequisite is missing fails instead of being skipped)" >&2
    exit 1
  fi
  echo "$test SKIP: missing prerequisite: $what (under CI=true this fails)"
  return 1
}

# need_programs TEST PROGRAM...: each PROGRAM on PATH is a prerequisite, named by itself:
# `need_programs TLS openssl virsh || exit 0`.
need_programs() {
  local test=$1 program
  shift
  for program in "$@"; do
    prerequisite "$test" "$program on PATH" command -v "$program" || return 1
  done
}
