#!/usr/bin/env bash
# Disk used by localaws while records are written for ten times a stream's retention: the packaged
# portal (durability fsync, the default) with a retention of $RETENTION instead of Kinesis' 24 hours
# at least (clicklog.localaws.faults.delays=kinesis.retention-period=PT$RETENTION), a 4-shard stream
# written through the SDK without pause (src/test/bench/FillLocalAws.java: PutRecords of 500 records
# of ~200 bytes from 8 threads), and every $INTERVAL seconds the size of its data directory (du -sb),
# of its kinesis/ (record files) and wal/ (write-ahead log) parts, and of the files it deleted but
# still holds open (readers may be in them for a minute, so they still take space). Then, writes
# stopped, the same for $AFTER seconds, while the last records expire.
#
# At the end: the largest data directory, its size when the writes stopped and after, the bytes
# written (partition keys and data, as Kinesis counts them), and largest / written. Bounded by
# retention means the largest size follows what one retention window holds, not what was written.
#
# Usage: src/test/bench/retention-disk.sh
#   RETENTION=30S     how long records are kept (the part of an ISO-8601 duration after PT: 30S, 2M, 1H)
#   WINDOWS=10        how many retention windows to write for
#   INTERVAL=5        seconds between samples
#   AFTER=<retention + 90 s>   seconds sampled once the writes stopped (0: none): the last records expire,
#                     and a minute later the files they were in are let go
#   SKIP_PACKAGE=1    use what target/quarkus-app holds instead of packaging first
#   JAVA_OPTS="..."   further JVM options (e.g. -Dclicklog.localaws.kinesis.segment-size=16M)
set -euo pipefail
cd "$(dirname "$0")/../../.."
root="$PWD"
retention="${RETENTION:-30S}"
windows="${WINDOWS:-10}"
interval="${INTERVAL:-5}"

case "$retention" in
  *[0-9]S) retention_s=${retention%S} ;;
  *[0-9]M) retention_s=$(( ${retention%M} * 60 )) ;;
  *[0-9]H) retention_s=$(( ${retention%H} * 3600 )) ;;
  *) echo "RETENTION: a number of seconds, minutes or hours (30S, 2M, 1H), not $retention" >&2; exit 2 ;;
esac
writing_s=$(( retention_s * windows ))
after="${AFTER:-$(( retention_s + 90 ))}"

if [ "${SKIP_PACKAGE:-0}" != 1 ]; then
  ./mvnw -q -B package -DskipTests
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

work="$(mktemp -d)"
pid=""
filler=""
cleanup() {
  [ -z "$filler" ] || kill "$filler" 2>/dev/null || true
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

data="$work/data/localaws"
port=$(free_port); aws_port=$(free_port)
# System properties go before -jar: anything after the jar is a program argument.
# shellcheck disable=SC2086
( cd "$work" && exec java ${JAVA_OPTS:-} -Dquarkus.http.port="$port" -Dclicklog.localaws.port="$aws_port" \
    -Dclicklog.localaws.data-dir="$data" \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$work/data/clicklog;DB_CLOSE_ON_EXIT=FALSE" \
    -Dclicklog.localaws.faults.delays="kinesis.retention-period=PT$retention" \
    -jar "$root/target/quarkus-app/quarkus-run.jar" >"$work/log" 2>&1 ) &
pid=$!
until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.2
done

# Bytes of a directory; files may vanish while du walks it, which it reports but still sums.
size() { local b; b=$(du -sb "$1" 2>/dev/null | cut -f1) || true; echo "${b:-0}"; }
# Bytes of the files under the data directory that were deleted but that the portal still holds open.
# A file may be closed between find and stat: what stat no longer finds is not counted.
held() {
  { find /proc/"$pid"/fd -maxdepth 1 -lname "$data/* (deleted)" -print0 2>/dev/null \
    | xargs -0 -r stat -L -c %s 2>/dev/null || true; } | awk '{ t += $1 } END { print t + 0 }'
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

echo "== retention PT$retention (kinesis.retention-period), writing for ${writing_s} s, sampled every ${interval} s;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$root/target/quarkus-app/lib/boot/*:$root/target/quarkus-app/lib/main/*" "$root/src/test/bench/FillLocalAws.java" \
  "http://127.0.0.1:$aws_port" "PT${writing_s}S" 0 retention-disk >"$work/fill" 2>&1 &
filler=$!

printf '%9s | %13s | %12s | %13s | %12s | %9s | %12s\n' "elapsed s" "records" "written MiB" "data dir MiB" \
  "kinesis MiB" "wal MiB" "held MiB"
start=""
peak=0; peak_used=0; records=0; written=0; last_dir=0; last_held=0; stopped=
sample() {
  local dir kinesis wal open progress ms
  dir=$(size "$data"); kinesis=$(size "$data/kinesis"); wal=$(size "$data/wal"); open=$(held)
  progress=$(grep '^progress ' "$work/fill" | tail -1 || true)
  if [ -n "$progress" ] && [ -z "$stopped" ]; then read -r _ ms records written <<<"$progress"; fi
  # Time from the first record written (the filler's own start, its JIT, the stream's creation come first).
  [ -n "$start" ] || [ -z "$progress" ] || start=$(( $(date +%s) - ms / 1000 ))
  [ -n "$start" ] || return 0
  [ "$dir" -le "$peak" ] || peak=$dir
  [ $(( dir + open )) -le "$peak_used" ] || peak_used=$(( dir + open ))
  printf '%9d | %13s | %12s | %13s | %12s | %9s | %12s\n' "$(( $(date +%s) - start ))" "$records" "$(mib "$written")" \
    "$(mib "$dir")" "$(mib "$kinesis")" "$(mib "$wal")" "$(mib "$open")"
  last_dir=$dir; last_held=$open
}
while kill -0 "$filler" 2>/dev/null; do
  sleep "$interval"
  sample
done
wait "$filler" || { cat "$work/fill"; exit 1; }
filler=""; stopped=1
summary=$(grep '^filled stream' "$work/fill")
# What was acknowledged in all: the filler's own last words, not its last progress line.
records=$(sed -E 's/.*: ([0-9,]+) records \(([0-9,]+) bytes\).*/\1/; s/,//g' <<<"$summary")
written=$(sed -E 's/.*: ([0-9,]+) records \(([0-9,]+) bytes\).*/\2/; s/,//g' <<<"$summary")
echo "-- writes stopped: $summary"
sample
at_stop=$last_dir
end=$(( $(date +%s) + after ))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep "$interval"
  sample
done

echo
echo "largest data directory:       $(mib "$peak") MiB ($peak bytes);" \
  "with the deleted files still held open: $(mib "$peak_used") MiB at most"
echo "data directory, writes stopped: $(mib "$at_stop") MiB; ${after} s later: $(mib "$last_dir") MiB" \
  "(and $(mib "$last_held") MiB deleted but held open)"
echo "written:                      $(mib "$written") MiB ($written bytes, $records records) in ${writing_s} s"
echo "largest / written:            $(awk -v p="$peak" -v w="$written" 'BEGIN { printf "%.3f", p / w }')"
echo "one retention window written: $(mib $(( written * retention_s / writing_s ))) MiB at the mean rate;" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
