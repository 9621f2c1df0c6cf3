#!/usr/bin/env bash
# Runs one Jazzer fuzz test in fuzzing mode (the normal test run replays only its seeds).
# Usage: scripts/fuzz.sh 'TokenRequestFuzzTest#scopeParse_anyInput_parsesOrRejects'
# A finding is written under src/test/resources/<package>/<Class>Inputs/<method>/: keep it as a seed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAZZER_FUZZ=1 "$here/mvnw" -B -o test -Dtest="${1:?test class#method}" 2>&1 | grep -vE 'major version|^WARNING' 
