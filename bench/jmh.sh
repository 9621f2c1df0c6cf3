#!/usr/bin/env bash
# Builds the main artifact and the JMH benchmarks, then runs the benchmarks matching $1 (a regex; all by default).
# Extra arguments go to JMH, e.g. bench/jmh.sh PolicyEvaluation -f 1 -wi 3 -i 5
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/jdk.sh"
"$here/mvnw" -B -q -f "$here/pom.xml" -DskipTests install
"$here/mvnw" -B -q -f "$here/bench/jmh/pom.xml" clean package
pattern="${1:-.}"
shift || true
exec "$JAVA_HOME/bin/java" -jar "$here/bench/jmh/target/benchmarks.jar" "$pattern" "$@"
