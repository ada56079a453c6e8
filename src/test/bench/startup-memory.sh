#!/usr/bin/env bash
# Start-up time and idle memory (RSS) of the packaged portal with its embedded localaws endpoint,
# launched two ways:
#   default  target/quarkus-app/quarkus-run.jar (Quarkus' fast-jar) with the JVM's defaults
#   tuned    the uber-jar with a class-data-sharing archive of what a first start loaded (AppCDS,
#            written by one training start), the serial collector and a later C2 compilation
#            (start-up code runs too few times to pay for it); see "Start-up time" in
#            docs/running.md
#
# Usage: src/test/bench/startup-memory.sh [runs]      (5 runs of each launch by default)
#   LAUNCHES="default tuned"   which launches to measure
#   SKIP_PACKAGE=1             use the jars already built instead of packaging first
#   JAVA_OPTS="..."            further JVM options for every launch
#
# Start-up is the wall time from launching java until /q/health/ready answers UP (localaws is
# one of its checks). Idle RSS is read after 10 s without requests.
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-5}"
launches="${LAUNCHES:-default tuned}"
root="$PWD"
fast_jar="$root/target/quarkus-app/quarkus-run.jar"
uber_jar="$root/target/clicklog-portal-1.0.0-SNAPSHOT-runner.jar"
archive="$root/target/clicklog-portal.jsa"
tuned_opts="-XX:SharedArchiveFile=$archive -XX:+UseSerialGC -XX:Tier4InvocationThreshold=150000 \
-XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000"

if [ "${SKIP_PACKAGE:-0}" != 1 ]; then
  [[ " $launches " != *" default "* ]] || ./mvnw -q -B package -DskipTests
  [[ " $launches " != *" tuned "* ]] || ./mvnw -q -B package -DskipTests -Dquarkus.package.jar.type=uber-jar
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Free ports and a fresh data directory for the next start, chosen before it is timed.
prepare() {
  rm -rf "$work/data"
  port=$(free_port); aws_port=$(free_port)
}

# Starts a jar with the given JVM options and waits until it is UP.
launch() {
  local jar="$1" opts="$2"
  # System properties go before -jar: anything after the jar is a program argument.
  # shellcheck disable=SC2086
  ( cd "$work" && exec java ${JAVA_OPTS:-} $opts -Dquarkus.http.port="$port" -Dclicklog.localaws.port="$aws_port" \
      -jar "$jar" >"$work/log" 2>&1 ) &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.02
  done
}

stop() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
}

# The tuned launch's archive: the classes one start (and a first page and API call) loaded,
# written as that JVM exits. It belongs to this jar and this JDK: rebuild it after either changes.
train() {
  rm -f "$archive"
  prepare
  launch "$uber_jar" "-XX:ArchiveClassesAtExit=$archive -Dclicklog.auth.admin-password=startup-training"
  # signed in, so the archive holds what a signed-in page and API call load
  curl -fs -o /dev/null -c "$work/cookies" -d username=admin -d password=startup-training \
    "http://127.0.0.1:$port/sign-in" || true
  curl -fs -o /dev/null -b "$work/cookies" "http://127.0.0.1:$port/" || true
  curl -fs -o /dev/null -u admin:startup-training "http://127.0.0.1:$port/api/pipelines" || true
  stop
}

summary=()
for name in $launches; do
  case "$name" in
    default) jar="$fast_jar"; opts="" ;;
    tuned) jar="$uber_jar"; opts="$tuned_opts"; train ;;
    *) echo "unknown launch: $name" >&2; exit 2 ;;
  esac
  echo "== $name: java ${JAVA_OPTS:-}${opts:+ $opts} -jar ${jar#"$root"/}"
  times=(); rss=()
  for i in $(seq 1 "$runs"); do
    prepare
    start=$(date +%s%N)
    launch "$jar" "$opts"
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 10   # idle: nothing but the schedulers running
    rss_mib=$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))
    echo "run $i: ready (health UP) after ${ready_ms} ms, idle RSS ${rss_mib} MiB"
    times+=("$ready_ms"); rss+=("$rss_mib")
    stop
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n)); sorted_rss=($(printf '%s\n' "${rss[@]}" | sort -n))
  summary+=("$name: start-up median ${sorted[$(( runs / 2 ))]} ms (min ${sorted[0]}, max ${sorted[$(( runs - 1 ))]}), idle RSS median ${sorted_rss[$(( runs / 2 ))]} MiB (max ${sorted_rss[$(( runs - 1 ))]})")
done
echo
printf '%s\n' "${summary[@]}"
