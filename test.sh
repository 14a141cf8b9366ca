#!/usr/bin/env bash
# Runs every test: unit tests, conformance suites, the distribution smoke test and the Pax Exam itests.
# Conformance data is read from ../shared (override with JVIRTD_SHARED=/path/to/shared).
set -euo pipefail
cd "$(dirname "$0")"
./ci-install.sh
shared=${JVIRTD_SHARED:-$(cd .. && pwd)/shared}
exec mvn -B verify -Djvirtd.shared="$shared" "$@"
