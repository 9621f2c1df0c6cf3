# Sourced by mvnw, ./portcullis and .ci/run: sets JAVA_HOME to a JDK >= 21.
# JAVA_HOME wins when it is one; otherwise the newest JDK under /usr/lib/jvm that is.
_jdk_major() {
  local release="$1/release" v
  [ -x "$1/bin/javac" ] && [ -f "$release" ] || { echo 0; return; }
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "${v:-0}"
}
_pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ "$(_jdk_major "$JAVA_HOME")" -ge 21 ]; then return 0; fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(_jdk_major "$d")
    if [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ "$best_v" -lt 21 ]; then
    echo "portcullis: no JDK 21 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
_pick_jdk
