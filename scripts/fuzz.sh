#!/usr/bin/env bash
# Runs the Jazzer fuzz tests in fuzzing mode (the normal test run replays only their seeds).
# Usage: scripts/fuzz.sh [SECONDS] [Class#method ...]
#   no targets: every @FuzzTest under src/test, one after another;
#   SECONDS: stop each target after about that long (default: the maxDuration its annotation gives).
# A finding is written under src/test/resources/<package>/<Class>Inputs/<method>/: keep it as a seed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
secs=""
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then secs="$1"; shift; fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  while IFS= read -r file; do
    class="$(basename "$file" .java)"
    while IFS= read -r method; do targets+=("$class#$method"); done < <(
      grep -A1 '@FuzzTest' "$file" | sed -n 's/^ *void \([A-Za-z0-9_]*\)(.*/\1/p')
  done < <(grep -rl '@FuzzTest' "$here/src/test/java")
fi
"$here/mvnw" -B -q -o test-compile >/dev/null
failed=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for t in "${targets[@]}"; do
  echo "fuzz: $t${secs:+ (at most about ${secs}s)}"
  cmd=(env JAZZER_FUZZ=1 "$here/mvnw" -B -o test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false)
  if [ -n "$secs" ]; then cmd=(timeout --foreground "$((secs + 20))" "${cmd[@]}"); fi
  set +e
  "${cmd[@]}" >"$log" 2>&1
  rc=$?
  set -e
  grep -E 'DONE|Tests run:|Finding|crash-' "$log" | grep -v 'major version' || true
  # 124: stopped by the time limit, which is not a finding.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then failed=1; echo "fuzz: $t failed (exit $rc)"; fi
done
exit "$failed"
