#!/usr/bin/env bash
# Two real portal processes on one database, one of them killed mid-provisioning.
#
# Portal B runs in local mode and hosts localaws; portal A runs in aws mode against B's localaws
# (as a second replica would against AWS). Both use the same H2 file (in H2's mixed mode, B serves
# it to A). Pipelines are requested through A, A is killed with SIGKILL while it holds their
# leases, and B must take them over once the leases run out and bring each to READY with exactly
# one of every resource; then both delete them. Checks through the AWS CLI.
# (./mvnw verify runs the restart case, a new portal process taking over, as dev.clicklog.it.PortalRestartIT.)
#
# Usage: src/test/bench/two-portals.sh [pipelines]   (packages the app first unless SKIP_PACKAGE=1)
set -euo pipefail
cd "$(dirname "$0")/../../.."
count="${1:-6}"
[ "${SKIP_PACKAGE:-0}" = 1 ] || ./mvnw -q -B package -DskipTests
jar="$PWD/target/quarkus-app/quarkus-run.jar"

work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
a=18090; b=18091; aws_port=14567
db="jdbc:h2:file:$work/db/clicklog;AUTO_SERVER=TRUE"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
aws() { command aws --endpoint-url "http://127.0.0.1:$aws_port" "$@"; }
# The administrator both portals know (the first to start creates it in the shared database).
admin_password="two-portals-$RANDOM$RANDOM"
api() { curl -u "admin:$admin_password" "$@"; }
# Waits for a portal's health, giving up (with its log) if it dies or takes a minute.
await_up() {
  local start=$(date +%s)
  until curl -fs "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1; do
    if ! kill -0 "$2" 2>/dev/null || [ $(( $(date +%s) - start )) -gt 60 ]; then cat "$3"; exit 1; fi
    sleep 0.1
  done
}
status_counts() { api -s "http://127.0.0.1:$b/api/pipelines?includeDeleted=true&team=replicas" |
  python3 -c 'import json,sys,collections; print(dict(collections.Counter(p["status"] for p in json.load(sys.stdin))))'; }

# A short lease, so the takeover is quick; slow stream activation, so A dies mid-provisioning.
# (System properties go before -jar: after it they would be the application's arguments.)
java -Dquarkus.http.port=$b -Dclicklog.auth.admin-password="$admin_password" -Dclicklog.localaws.port=$aws_port -Dclicklog.localaws.data-dir="$work/la" \
  -Dquarkus.datasource.jdbc.url="$db" -Dclicklog.pipelines.lease=5s \
  -Dclicklog.localaws.kinesis.stream-activation-delay=3s -jar "$jar" >"$work/b.log" 2>&1 &
pids+=($!); await_up $b $! "$work/b.log"
java -Dquarkus.http.port=$a -Dclicklog.auth.admin-password="$admin_password" -Dclicklog.aws.mode=aws -Dclicklog.aws.endpoint="http://127.0.0.1:$aws_port" \
  -Dclicklog.aws.region=us-east-1 -Dquarkus.datasource.jdbc.url="$db" -Dclicklog.pipelines.lease=5s \
  -jar "$jar" >"$work/a.log" 2>&1 &
a_pid=$!; pids+=($a_pid); await_up $a $a_pid "$work/a.log"

for i in $(seq 1 "$count"); do
  api -fs -o /dev/null -H 'Content-Type: application/json' -d "{\"name\":\"replica-$i\",\"team\":\"replicas\"}" \
    "http://127.0.0.1:$a/api/pipelines"
done
sleep 1
kill -9 $a_pid
echo "portal A killed while provisioning: $(status_counts)"

start=$(date +%s)
until [ "$(status_counts)" = "{'READY': $count}" ]; do
  [ $(( $(date +%s) - start )) -lt 120 ] || { echo "not READY after 120 s: $(status_counts)"; exit 1; }
  sleep 0.5
done
echo "portal B brought them to READY $(( $(date +%s) - start )) s after the kill"
apis=$(aws apigateway get-rest-apis --limit 500 --query 'items[].name' --output text | tr '\t' '\n' | grep -c '^clicklog-replica-')
roles=$(aws iam list-roles --query 'Roles[].RoleName' --output text | tr '\t' '\n' | grep -c '^clicklog-replica-')
streams=$(aws kinesis list-streams --query StreamNames --output text | tr '\t' '\n' | grep -c '^clicklog-replica-')
firehoses=$(aws firehose list-delivery-streams --query DeliveryStreamNames --output text | tr '\t' '\n' | grep -c '^clicklog-replica-')
echo "REST APIs $apis, roles $roles, streams $streams, delivery streams $firehoses (expected $count, $((2 * count)), $count, $count)"
[ "$apis $roles $streams $firehoses" = "$count $((2 * count)) $count $count" ] || exit 1

# A again, and both tear down what A is asked to delete.
java -Dquarkus.http.port=$a -Dclicklog.auth.admin-password="$admin_password" -Dclicklog.aws.mode=aws -Dclicklog.aws.endpoint="http://127.0.0.1:$aws_port" \
  -Dclicklog.aws.region=us-east-1 -Dquarkus.datasource.jdbc.url="$db" -Dclicklog.pipelines.lease=5s \
  -jar "$jar" >"$work/a2.log" 2>&1 &
pids+=($!); await_up $a $! "$work/a2.log"
for i in $(seq 1 "$count"); do api -fs -o /dev/null -X DELETE "http://127.0.0.1:$a/api/pipelines/replica-$i"; done
start=$(date +%s)
until [ "$(status_counts)" = "{'DELETED': $count}" ]; do
  [ $(( $(date +%s) - start )) -lt 120 ] || { echo "not DELETED after 120 s: $(status_counts)"; exit 1; }
  sleep 0.5
done
left=$(aws apigateway get-rest-apis --query 'length(items)')
echo "all DELETED; REST APIs left: $left"
[ "$left" = 0 ]
echo OK
