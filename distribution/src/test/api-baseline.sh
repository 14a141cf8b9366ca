#!/usr/bin/env bash
# The API baseline at work: builds changed copies of bundles/api (with the reactor's parent pom beside it) and
# checks that bnd's baseline fails the build for a change that the package version does not announce, and
# passes it once the package's @Version does:
#   - a method removed from HypervisorDriver (a major change): fails at the baseline's version B of
#     org.jvirtd.api.driver, passes at the next major version
#   - a default method added to it (a minor change): fails at B, passes at the next minor version (or at the
#     source's version, if that is already higher)
# Usage: api-baseline.sh REPO_DIR [offline=true|false]
set -euo pipefail

repo=$(readlink -f "$1")
offline=${2:-offline=false}; offline=${offline#offline=}
work=$(mktemp -d /tmp/jvirtd-baseline.XXXXXX)
trap 'rm -rf "$work"' EXIT

# manifest_of JAR: the jar's META-INF/MANIFEST.MF (python3's zipfile: no unzip needed)
manifest_of() { python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("META-INF/MANIFEST.MF").decode())' "$1"; }
fail() { echo "BASELINE FAIL: $*" >&2; exit 1; }
pass() { echo "BASELINE PASS: $*"; }
mvn_flags=(-B -Daether.offline.protocols=file -DskipTests)
[ "$offline" = true ] && mvn_flags+=(-o)

driver=src/main/java/org/jvirtd/api/driver
# variant NAME: a fresh copy of the api module (and the parent pom it inherits) in $work/NAME
variant() {
  local dir=$work/$1
  mkdir -p "$dir/bundles"
  cp "$repo/pom.xml" "$dir/"
  cp -a "$repo/bundles/api" "$dir/bundles/api"
  rm -rf "$dir/bundles/api/target"
  echo "$dir/bundles/api"
}
remove_reboot() {
  python3 - "$1/$driver/HypervisorDriver.java" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = '''    default void reboot(DomainHandle domain) {
        throw VirtErrors.noSupport("virDomainReboot");
    }
'''
if old not in s:
    sys.exit("HypervisorDriver has no reboot method to remove")
open(p, 'w').write(s.replace(old, ''))
PY
}
add_method() {
  python3 - "$1/$driver/HypervisorDriver.java" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
at = s.rindex('}')
open(p, 'w').write(s[:at] + '    default String greeting() {\n        return "hello";\n    }\n}\n')
PY
}
set_version() { sed -i "s/@Version(\"[0-9.]*\")/@Version(\"$2\")/" "$1/$driver/package-info.java"; }
# build DIR: runs the copy's build through verify (where the baseline goal runs); output in DIR.log
build() { mvn "${mvn_flags[@]}" -f "$1/pom.xml" verify > "$1.log" 2>&1; }
report() { cat "$1/target/baseline/"*.txt 2>/dev/null; }
driver_line() { report "$1" | grep -E '^[ *] org\.jvirtd\.api\.driver +PACKAGE' || true; }

# the package's version in the baseline jar (B) and in the source now (which may be B or above it)
base_jar=$(ls "$repo"/bundles/api/baseline/org/jvirtd/jvirtd-api/*/jvirtd-api-*.jar | sort -V | tail -1)
base=$(manifest_of "$base_jar" | tr -d '\r' | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' \
  | grep -o 'org\.jvirtd\.api\.driver;version="[0-9.]*"' | grep -o '[0-9][0-9.]*')
now=$(grep -o '@Version("[0-9.]*")' "$repo/bundles/api/$driver/package-info.java" | grep -o '[0-9][0-9.]*')
[ -n "$base" ] && [ -n "$now" ] || fail "cannot read org.jvirtd.api.driver's version (baseline '$base', source '$now')"
IFS=. read -r bmaj bmin _ <<<"$base"
major=$((bmaj + 1)).0.0
minor=$bmaj.$((bmin + 1)).0
[ "$(printf '%s\n' "$minor" "$now" | sort -V | tail -1)" = "$now" ] && minor=$now
b=${base//./\\.}

dir=$(variant removed)
remove_reboot "$dir"
set_version "$dir" "$base"
build "$dir" && fail "removing HypervisorDriver.reboot without a new major version passed the build"
line=$(driver_line "$dir")
grep -qE "^\\* org\\.jvirtd\\.api\\.driver +PACKAGE +MAJOR +$b +$b +${major//./\\.}" <<<"$line" \
  || { tail -40 "$dir.log" >&2; fail "the failure does not ask for $major of org.jvirtd.api.driver: $line"; }
grep -q "Baseline problems detected" "$dir.log" || fail "the build failed, but not in the baseline check"
pass "a removed method fails the build at $base and bnd asks for org.jvirtd.api.driver $major"

dir=$(variant removed-major)
remove_reboot "$dir"
set_version "$dir" "$major"
build "$dir" || { tail -40 "$dir.log" >&2; fail "the removal with @Version(\"$major\") fails the build"; }
pass "the same removal passes once the package says $major"

dir=$(variant added)
add_method "$dir"
set_version "$dir" "$base"
build "$dir" && fail "adding a default method without a new minor version passed the build"
line=$(driver_line "$dir")
grep -qE "^\\* org\\.jvirtd\\.api\\.driver +PACKAGE +(MINOR|MAJOR) +$b +$b " <<<"$line" \
  || { tail -40 "$dir.log" >&2; fail "the failure does not ask for a new version of org.jvirtd.api.driver: $line"; }
pass "an added default method fails the build at $base: $(tr -s " " <<<"$line")"

dir=$(variant added-minor)
add_method "$dir"
set_version "$dir" "$minor"
build "$dir" || { tail -40 "$dir.log" >&2; fail "the addition with @Version(\"$minor\") fails the build"; }
pass "the same addition passes once the package says $minor"
