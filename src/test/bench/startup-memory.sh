#!/usr/bin/env bash
# Start-up time and idle memory (RSS) of the packaged portal with its embedded localaws endpoint.
#
# Usage: src/test/bench/startup-memory.sh [runs]
#   SKIP_PACKAGE=1   use the existing target/quarkus-app instead of packaging first
#   JAVA_OPTS="..."  JVM options to measure (none by default)
#   CDS=1            first start once to archive the classes it loads (JDK dynamic AppCDS), then
#                    measure starts that map that archive (-XX:SharedArchiveFile) instead of
#                    loading and verifying those classes again
#
# Start-up is the wall time from launching java until /q/health/ready answers UP (localaws is
# one of its checks). Idle RSS is read after 10 s without requests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-5}"
[ "${SKIP_PACKAGE:-0}" = 1 ] || ./mvnw -q -B package -DskipTests

# JVM options: none by default. Measured here, -XX:+UseSerialGC -Xmx512m left the idle RSS where
# the defaults have it (about 210 MiB), so the defaults are what is measured; JAVA_OPTS tries others.
java_opts="${JAVA_OPTS:-}"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

jar="$PWD/target/quarkus-app/quarkus-run.jar"
work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts the portal with the given JVM options and waits until its health check is UP.
launch() {
  rm -rf "$work/data"
  port=$(free_port); aws_port=$(free_port)
  # System properties go before -jar: anything after the jar is a program argument.
  # shellcheck disable=SC2086
  ( cd "$work" && exec java $1 -Dquarkus.http.port="$port" -Dclicklog.localaws.port="$aws_port" \
      -jar "$jar" >"$work/log" 2>&1 ) &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.02
  done
}

if [ "${CDS:-0}" = 1 ]; then
  archive="$PWD/target/quarkus-app/app-cds.jsa"
  rm -f "$archive"
  launch "$java_opts -XX:ArchiveClassesAtExit=$archive"
  kill "$pid"; wait "$pid" 2>/dev/null || true   # the archive is written as the JVM exits
  pid=""
  java_opts="$java_opts -XX:SharedArchiveFile=$archive"
fi

echo "JVM options: ${java_opts:-(defaults)}"
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  launch "$java_opts"
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  started=$(grep -o 'started in [0-9.]*s' "$work/log" | head -1 || true)
  sleep 10   # idle: nothing but the schedulers running
  rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "run $i: ready (health UP) after ${ready_ms} ms (Quarkus: ${started:-?}), idle RSS $((rss_kib / 1024)) MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
done
