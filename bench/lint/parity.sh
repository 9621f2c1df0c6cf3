#!/usr/bin/env bash
# Agreement with hadolint's behaviour, rule by rule: hadolint's own rule specs (its test suite, at
# the commit named below or HADOLINT_SRC's checkout) run through `portcullis lint`'s linter with
# hadolint's defaults. Prints the share of cases that agree and the rules that do not yet.
# Usage: [HADOLINT_SRC=DIR] bench/lint/parity.sh [--cases]   (--cases lists every disagreeing case)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="${HADOLINT_SRC:-}"
if [ -z "$src" ]; then
  src="$work/hadolint"
  git clone -q --filter=blob:none https://github.com/hadolint/hadolint "$src"
  git -C "$src" checkout -q "${HADOLINT_COMMIT:-8f936c5}"
fi
echo "hadolint specs at $(git -C "$src" log -1 --format='%h %cs')"
python3 "$here/bench/lint/parity/cases.py" "$src" >"$work/cases.json"
"$JAVA_HOME/bin/java" -cp "$here/target/portcullis.jar" "$here/bench/lint/parity/Parity.java" "$work/cases.json" "$@"
