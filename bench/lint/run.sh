#!/usr/bin/env bash
# Dockerfile linter benchmark: Portcullis (JMH, one JVM, 1 and 2 threads) against the npm linters
# dockerfilelint and dockerfile-utils, on the same files in the same run.
# Usage: bench/lint/run.sh [DIR]   (default: ../shared/corpus/dockerfiles)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
dir="$(cd "${1:-$here/../shared/corpus/dockerfiles}" && pwd)"
(cd "$here/bench/lint" && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null)
"$here/mvnw" -B -q -f "$here/pom.xml" -DskipTests install
"$here/mvnw" -B -q -f "$here/bench/jmh/pom.xml" clean package
count=$(find "$dir" -type f \( -name Dockerfile -o -name 'Dockerfile.*' -o -name '*.Dockerfile' \) | wc -l)
parsed=$(cd "$here" && "$JAVA_HOME/bin/java" -jar target/portcullis.jar lint --format json -t error "$dir" 2>/dev/null \
  | grep -c '"DL1000"' || true)
for t in 1 2; do
  ops=$("$JAVA_HOME/bin/java" -Dcorpus="$dir" -jar "$here/bench/jmh/target/benchmarks.jar" LintBenchmark \
        -f 1 -wi 3 -w 2s -i 5 -r 2s -t "$t" -rf csv -rff /tmp/lint-bench.csv >/dev/null && \
        awk -F, 'NR==2 {print $5}' /tmp/lint-bench.csv)
  echo "portcullis lint (${t} thread(s)): $(awk -v o="$ops" -v c="$count" 'BEGIN {printf "%.0f", o*c}') files/s, parsed $((count - parsed))/${count} files"
done
(cd "$here/bench/lint" && node peers.js "$dir" 10)
