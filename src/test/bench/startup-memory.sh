#!/usr/bin/env bash
# Start-up time and idle memory (RSS) of the packaged portal with its embedded localaws endpoint.
# Usage: src/test/bench/startup-memory.sh [runs]   (packages the app first unless SKIP_PACKAGE=1)
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-5}"
[ "${SKIP_PACKAGE:-0}" = 1 ] || ./mvnw -q -B package -DskipTests

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
port=18080; aws_port=14566

for i in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  start=$(date +%s%N)
  ( cd "$work" && exec java -jar "$OLDPWD/target/quarkus-app/quarkus-run.jar" \
      -Dquarkus.http.port=$port -Dclicklog.localaws.port=$aws_port >"$work/log" 2>&1 ) &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.02
  done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  started=$(grep -o 'started in [0-9.]*s' "$work/log" | head -1)
  sleep 10   # idle: nothing but the schedulers running
  jpid=$(pgrep -f "quarkus-run.jar -Dquarkus.http.port=$port" | head -1)
  rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$jpid/status")
  echo "run $i: ready (health UP) after ${ready_ms} ms (Quarkus: ${started}), idle RSS $((rss_kib / 1024)) MiB"
  kill "$jpid"; wait $pid 2>/dev/null || true
done
