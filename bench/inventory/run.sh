#!/usr/bin/env bash
# Inventory membership look-ups on one thread: 100,000 entries in 20 sets. Goal: 5 million look-ups/s.
# Usage: bench/inventory/run.sh [seconds per measurement, default 3]. Builds the classes if needed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
if [ ! -f "$here/target/classes/dev/portcullis/inventory/AddressSet.class" ]; then
  "$here/mvnw" -B -q -o -f "$here/pom.xml" compile
fi
exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$here/target/classes" "$here/bench/inventory/InventoryBench.java" "$@"
