#!/usr/bin/env bash
# Start-up time and idle memory (RSS) of the packaged portal with its embedded localaws endpoint,
# launched these ways (all from the project directory unless said):
#   default  the documented launch (docs/running.md "Start-up time"): quarkus-run.jar with the
#            class-data-sharing archive the build wrote (target/clicklog-portal.jsa), the serial
#            collector and a later C2 compilation
#   cds      the same archive, the JVM's other defaults
#   plain    quarkus-run.jar with the JVM's defaults, no archive
#   image    an unpacked image's app directory ($IMAGE_APP_DIR: quarkus-run.jar, app-cds.jsa, lib/ …),
#            started from that directory as the image's entrypoint starts it, with $IMAGE_JVM_OPTS
#            (default: the archive and the options of the default launch)
#
# Usage: src/test/bench/startup-memory.sh [runs]      (5 runs of each launch by default)
#   LAUNCHES="default plain"   which launches to measure ("image" needs IMAGE_APP_DIR)
#   SKIP_PACKAGE=1             use what target/ holds instead of packaging first
#   JAVA_OPTS="..."            further JVM options for every launch
#   DATA=kept                  restarts: every start finds the data of an earlier one (an unmeasured first
#                              start makes it), as a deployed portal does; default fresh: an empty data
#                              directory each time (first start: the database migrated, the administrator made)
#   FILL="RECORDS OBJECTS"     with DATA=kept: the unmeasured first start is filled through the SDK with that
#                              many Kinesis records (~200 bytes, 4 shards) and S3 objects (1 KiB) before it stops
#                              (src/test/bench/FillLocalAws.java); prints the fill's throughput, the portal's
#                              peak RSS while it was filled and the data directory's size
#
# Start-up is the wall time from launching java until /q/health/ready answers UP (localaws is one
# of its checks). Idle RSS is read after 10 s without requests. A launch with an archive fails when
# the JVM did not map it (another JDK build, another class path): it would start, only slower.
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs="${1:-5}"
launches="${LAUNCHES:-default plain}"
root="$PWD"
jar="target/quarkus-app/quarkus-run.jar"
tuned="-XX:+UseSerialGC -XX:Tier4InvocationThreshold=150000 -XX:Tier4CompileThreshold=150000 \
-XX:Tier4BackEdgeThreshold=400000"

if [ "${SKIP_PACKAGE:-0}" != 1 ]; then
  ./mvnw -q -B package -DskipTests
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

# Free ports and (unless DATA=kept) a fresh data directory for the next start, chosen before it is timed.
prepare() {
  [ "${DATA:-fresh}" = kept ] || rm -rf "$work/data"
  port=$(free_port); aws_port=$(free_port)
}

# Starts `java <opts> -jar <jar>` in <dir> and waits until it is UP.
launch() {
  local dir="$1" jar="$2" opts="$3"
  # System properties go before -jar: anything after the jar is a program argument.
  # shellcheck disable=SC2086
  ( cd "$dir" && exec java ${JAVA_OPTS:-} $opts -Dquarkus.http.port="$port" -Dclicklog.localaws.port="$aws_port" \
      -Dclicklog.localaws.data-dir="$work/data/localaws" \
      -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$work/data/clicklog;DB_CLOSE_ON_EXIT=FALSE" \
      -jar "$jar" >"$work/log" 2>&1 ) &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.02
  done
}

# Fills the running portal's localaws (FILL), sampling its RSS once a second meanwhile.
fill() {
  local records objects peak=0 rss
  read -r records objects <<<"$FILL"
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$root/target/quarkus-app/lib/boot/*:$root/target/quarkus-app/lib/main/*" "$root/src/test/bench/FillLocalAws.java" \
    "http://127.0.0.1:$aws_port" "$records" "${objects:-0}" &
  local filler=$!
  while kill -0 "$filler" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 1
  done
  wait "$filler"
  echo "filled: the portal's peak RSS while filling $(( peak / 1024 )) MiB; data directory $(du -sh "$work/data" | cut -f1)"
}

stop() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=""
}

# The JVM says so (a [cds] or, for an ahead-of-time cache, [aot] warning) when it cannot use the archive
# it was given, and starts without.
check_mapped() {
  if grep -qE '\[(cds|aot)' "$work/log"; then
    grep -E '\[(cds|aot)' "$work/log" >&2
    echo "the JVM did not use the archive ($1): rebuild it with ./mvnw package on this JDK" >&2
    exit 1
  fi
}

summary=()
for name in $launches; do
  case "$name" in
    default) dir="$root"; run_jar="$jar"; archive="target/clicklog-portal.jsa"; opts="-XX:SharedArchiveFile=$archive $tuned" ;;
    cds) dir="$root"; run_jar="$jar"; archive="target/clicklog-portal.jsa"; opts="-XX:SharedArchiveFile=$archive" ;;
    plain) dir="$root"; run_jar="$jar"; archive=""; opts="" ;;
    image)
      dir="${IMAGE_APP_DIR:?image: set IMAGE_APP_DIR to an unpacked image app directory}"; run_jar="quarkus-run.jar"
      archive="app-cds.jsa"; opts="${IMAGE_JVM_OPTS:--XX:SharedArchiveFile=$archive $tuned}" ;;
    *) echo "unknown launch: $name" >&2; exit 2 ;;
  esac
  if [ -n "$archive" ] && [ ! -f "$dir/$archive" ]; then
    echo "$name: no archive $dir/$archive (packaged with -Dclicklog.cds.skip=true?)" >&2; exit 1
  fi
  shown_dir="${dir#"$root"}"; shown_dir="${shown_dir#/}"
  echo "== $name: (cd ${shown_dir:-.}) java ${JAVA_OPTS:-}${opts:+ $opts} -jar $run_jar"
  times=(); rss=()
  if [ "${DATA:-fresh}" = kept ]; then
    rm -rf "$work/data"; prepare; launch "$dir" "$run_jar" "$opts"   # makes the data the runs find
    [ -z "${FILL:-}" ] || fill
    stop
  fi
  for i in $(seq 1 "$runs"); do
    prepare
    start=$(date +%s%N)
    launch "$dir" "$run_jar" "$opts"
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    [ -z "$archive" ] || check_mapped "$dir/$archive"
    sleep 10   # idle: nothing but the schedulers running
    rss_mib=$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))
    echo "run $i: ready (health UP) after ${ready_ms} ms, idle RSS ${rss_mib} MiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    times+=("$ready_ms"); rss+=("$rss_mib")
    stop
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n)); sorted_rss=($(printf '%s\n' "${rss[@]}" | sort -n))
  summary+=("$name (${DATA:-fresh} data): start-up median ${sorted[$(( runs / 2 ))]} ms (min ${sorted[0]}, max ${sorted[$(( runs - 1 ))]}), idle RSS median ${sorted_rss[$(( runs / 2 ))]} MiB (max ${sorted_rss[$(( runs - 1 ))]})")
done
echo
printf '%s\n' "${summary[@]}"
