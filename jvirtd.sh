#!/usr/bin/env bash
# Builds jvirtd when the distribution is missing or older than the sources, then runs it with the given
# options (libvirtd's: see --help). Installs the Debian packages it needs first (as root).
set -euo pipefail
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
./ci-install.sh
dist=$top/distribution/target/jvirtd
if [ ! -x "$dist/bin/jvirtd" ] || [ -n "$(find . -path ./distribution/target -prune -o \
      \( -name '*.java' -o -name pom.xml -o -path '*/src/main/dist/*' \) -newer "$dist/bin/jvirtd.jar" -print -quit)" ]; then
  mvn -B -q install -DskipTests
fi
cd - >/dev/null
exec "$dist/bin/jvirtd" "$@"
