#!/usr/bin/env bash
# Start-up time and idle memory (RSS) of the packaged portal with its embedded localaws endpoint,
# launched these ways (all from the project directory unless said):
#   default  the documented launch (docs/running.md "Start-up time"): quarkus-run.jar with the
#            class-data-sharing archive the build wrote (target/clicklog-portal.jsa), the serial
#            collector and a later C2 compilation
#   cds      the same archive, the JVM's other defaults
#   plain    quarkus-run.jar with the JVM's defaults, no archive
#   image    the container image ($IMAGE_TARBALL, default target/clicklog-portal-image.tar, built as
#            docs/image.md says): its application layers unpacked and started from its working directory
#            as its entrypoint starts it (the entrypoint's JVM options and its JAVA_TOOL_OPTIONS), with this
#            machine's JDK (the image's is a copy of it), on a throwaway PostgreSQL server: the image is the
#            PostgreSQL build
#
# Usage: src/test/bench/startup-memory.sh [runs]      (5 runs of each launch by default)
#   LAUNCHES="default plain"   which launches to measure ("image" needs the image tarball and the
#                              PostgreSQL server programs, Debian package postgresql)
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
chmod 755 "$work"
pid=""
pg_port=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -z "$pg_port" ] || pg pg_ctl -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# A PostgreSQL server program; as root it runs as the postgres user (initdb refuses root).
pg() {
  local program="$1"; shift
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "no PostgreSQL server programs under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/$program" "$@"; else "$bin/$program" "$@"; fi
}

# A throwaway PostgreSQL server on a free loopback port, for the PostgreSQL build; each start's database
# is made by prepare().
start_postgres() {
  [ -z "$pg_port" ] || return 0
  pg_port=$(free_port)
  mkdir -p "$work/pg"
  [ "$(id -u)" != 0 ] || chown postgres "$work/pg"
  pg initdb -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
  pg pg_ctl -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=''" start >/dev/null
  pg createuser -h 127.0.0.1 -p "$pg_port" -U postgres clicklog
}

# Free ports and (unless DATA=kept) a fresh data directory and database for the next start, made before it is timed.
databases=0
prepare() {
  if [ "${DATA:-fresh}" != kept ] || [ ! -d "$work/data" ]; then
    rm -rf "$work/data"; mkdir -p "$work/data"
    if [ "$database" = postgresql ]; then
      databases=$((databases + 1))
      pg createdb -h 127.0.0.1 -p "$pg_port" -U postgres -O clicklog "clicklog$databases"
    fi
  fi
  if [ "$database" = postgresql ]; then
    jdbc_url="jdbc:postgresql://127.0.0.1:$pg_port/clicklog$databases"
  else
    jdbc_url="jdbc:h2:file:$work/data/clicklog;DB_CLOSE_ON_EXIT=FALSE"
  fi
  port=$(free_port); aws_port=$(free_port)
}

# Unpacks the image's own layers (all but its base's one) into $work/image; sets dir, run_jar and opts
# from its working directory and entrypoint, and exports its JAVA_TOOL_OPTIONS.
unpack_image() {
  local tarball="${IMAGE_TARBALL:-target/clicklog-portal-image.tar}"
  [ -f "$tarball" ] || { echo "image: no $tarball (docs/image.md builds it; IMAGE_TARBALL names another)" >&2; exit 1; }
  rm -rf "$work/image"; mkdir -p "$work/image/rootfs"
  tar -xf "$tarball" -C "$work/image"
  local described
  described=$(cd "$work/image" && python3 -c '
import json
manifest = json.load(open("manifest.json"))[0]
config = json.load(open(manifest["Config"]))["config"]
entrypoint = config.get("Entrypoint") or []
env = dict(e.split("=", 1) for e in config.get("Env", []))
jar = entrypoint.index("-jar")
print(" ".join(manifest["Layers"][1:]))
print(config.get("WorkingDir", "/"))
print(entrypoint[jar + 1])
print(" ".join(entrypoint[1:jar]))
print(env.get("JAVA_TOOL_OPTIONS", ""))
')
  local layers; layers=$(sed -n 1p <<<"$described")
  for layer in $layers; do tar -xzf "$work/image/$layer" -C "$work/image/rootfs" 2>/dev/null; done
  dir="$work/image/rootfs$(sed -n 2p <<<"$described")"; run_jar=$(sed -n 3p <<<"$described")
  opts=$(sed -n 4p <<<"$described")
  export JAVA_TOOL_OPTIONS; JAVA_TOOL_OPTIONS=$(sed -n 5p <<<"$described")
  archive=$(grep -o 'SharedArchiveFile=[^ ]*' <<<"$opts $JAVA_TOOL_OPTIONS" | head -n 1 | cut -d= -f2)
}

# Starts `java <opts> -jar <jar>` in <dir> and waits until it is UP.
launch() {
  local dir="$1" jar="$2" opts="$3"
  # System properties go before -jar: anything after the jar is a program argument.
  # shellcheck disable=SC2086
  ( cd "$dir" && exec java ${JAVA_OPTS:-} $opts -Dquarkus.http.port="$port" -Dclicklog.localaws.port="$aws_port" \
      -Dclicklog.localaws.data-dir="$work/data/localaws" \
      -Dquarkus.datasource.jdbc.url="$jdbc_url" \
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
  unset JAVA_TOOL_OPTIONS   # only the image's launch sets it
  database=h2               # the image is the PostgreSQL build
  case "$name" in
    default) dir="$root"; run_jar="$jar"; archive="target/clicklog-portal.jsa"; opts="-XX:SharedArchiveFile=$archive $tuned" ;;
    cds) dir="$root"; run_jar="$jar"; archive="target/clicklog-portal.jsa"; opts="-XX:SharedArchiveFile=$archive" ;;
    plain) dir="$root"; run_jar="$jar"; archive=""; opts="" ;;
    image) unpack_image; start_postgres; database=postgresql ;;
    *) echo "unknown launch: $name" >&2; exit 2 ;;
  esac
  if [ -n "$archive" ] && [ ! -f "$dir/$archive" ]; then
    echo "$name: no archive $dir/$archive (packaged with -Dclicklog.cds.skip=true?)" >&2; exit 1
  fi
  shown_dir="${dir#"$root"}"; shown_dir="${shown_dir#/}"
  echo "== $name: (cd ${shown_dir:-.}) ${JAVA_TOOL_OPTIONS:+JAVA_TOOL_OPTIONS=\"$JAVA_TOOL_OPTIONS\" }java ${JAVA_OPTS:-}${opts:+ $opts} -jar $run_jar"
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
