#!/usr/bin/env bash
# Clicks per second and p50/p99 latency through an API Gateway invoke URL of localaws, with wrk:
# the seed's API (PUT /clicks → AWS integration → Kinesis PutRecord, as a role trusted by API Gateway
# that may only put records on the stream) built with the AWS CLI, then `wrk -t1 -c16 -d10s --latency`
# PUTting {"Data":"Test"}. Kinesis errors answer 400 (4xx) or 500 (5xx), so wrk counts failed clicks
# as non-2xx; at the end the 2xx answers are compared with the stream's IncomingRecords (CloudWatch),
# and the script fails unless every click answered 2xx reached the stream (and nothing else did but
# the requests wrk left in flight when it stopped, at most one per connection and run).
#
# Usage: src/test/bench/invoke-wrk.sh
#   MODE=mock         benchmark a MOCK integration instead of Kinesis
#   ENDPOINT=http://127.0.0.1:4566   use a localaws that is already running (nothing is started)
#   SKIP_PACKAGE=1    reuse target/quarkus-app instead of packaging first
#   DURATION=10s CONNECTIONS=16 THREADS=1   wrk settings
#   ROUNDS=1          measured rounds (on a shared machine, several show the spread)
#   WARMUP=20s        load before measuring, so the JIT has compiled the hot path
#   JAVA_OPTS="..."   JVM options of the app it starts
set -euo pipefail
cd "$(dirname "$0")/../../.."
root="$PWD"
mode="${MODE:-kinesis}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-16}"
threads="${THREADS:-1}"
rounds="${ROUNDS:-1}"
warmup="${WARMUP:-20s}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q wrk >/dev/null
fi

work="$(mktemp -d)"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

endpoint="${ENDPOINT:-}"
if [ -z "$endpoint" ]; then
  [ "${SKIP_PACKAGE:-0}" = 1 ] || ./mvnw -q -B package -DskipTests
  http_port=18081; aws_port=14567
  # System properties go before -jar: after it they would be the application's arguments.
  # shellcheck disable=SC2086
  ( cd "$work" && exec java ${JAVA_OPTS:-} -Dquarkus.http.port=$http_port -Dclicklog.localaws.port=$aws_port \
      -jar "$root/target/quarkus-app/quarkus-run.jar" >"$work/app.log" 2>&1 ) &
  app_pid=$!
  until curl -fs "http://127.0.0.1:$http_port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$work/app.log"; exit 1; }
    sleep 0.2
  done
  endpoint="http://127.0.0.1:$aws_port"
fi

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
aws() { command aws --endpoint-url "$endpoint" --output text "$@"; }
suffix="$(date +%s)-$$"
stream="bench-clicks-$suffix"
started="$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)"

api_id=$(aws apigateway create-rest-api --name "bench-$suffix" --query id)
root_id=$(aws apigateway get-resources --rest-api-id "$api_id" --query 'items[0].id')
clicks_id=$(aws apigateway create-resource --rest-api-id "$api_id" --parent-id "$root_id" --path-part clicks --query id)
aws apigateway put-method --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT \
  --authorization-type NONE >/dev/null
if [ "$mode" = mock ]; then
  aws apigateway put-integration --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT --type MOCK \
    --request-templates '{"application/json": "{\"statusCode\": 200}"}' >/dev/null
else
  aws kinesis create-stream --stream-name "$stream" --shard-count 1
  aws kinesis wait stream-exists --stream-name "$stream"
  stream_arn=$(aws kinesis describe-stream-summary --stream-name "$stream" --query StreamDescriptionSummary.StreamARN)
  # The role API Gateway assumes: trusted by API Gateway, allowed PutRecord on this stream only.
  role_arn=$(aws iam create-role --role-name "bench-apigateway-$suffix" --query Role.Arn --assume-role-policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"apigateway.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
  aws iam put-role-policy --role-name "bench-apigateway-$suffix" --policy-name put-clicks --policy-document \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kinesis:PutRecord","Resource":"'"$stream_arn"'"}]}'
  template='{"StreamName": "'"$stream"'", "Data": "$util.base64Encode($input.body)", "PartitionKey": "$context.requestId"}'
  aws apigateway put-integration --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT --type AWS \
    --integration-http-method POST --uri "arn:aws:apigateway:us-east-1:kinesis:action/PutRecord" \
    --credentials "$role_arn" \
    --request-templates "$(python3 -c 'import json,sys; print(json.dumps({"application/json": sys.argv[1]}))' "$template")" >/dev/null
fi
aws apigateway put-method-response --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT --status-code 200 >/dev/null
aws apigateway put-integration-response --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT \
  --status-code 200 >/dev/null
if [ "$mode" != mock ]; then
  # Kinesis refusing a record (throttled, denied, …) must not look like a delivered click.
  for code in 400 500; do
    aws apigateway put-method-response --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT \
      --status-code "$code" >/dev/null
    aws apigateway put-integration-response --rest-api-id "$api_id" --resource-id "$clicks_id" --http-method PUT \
      --status-code "$code" --selection-pattern "${code:0:1}\\d{2}" >/dev/null
  done
fi
aws apigateway create-deployment --rest-api-id "$api_id" --stage-name v1 >/dev/null
url="$endpoint/restapis/$api_id/v1/_user_request_/clicks"

cat >"$work/put.lua" <<'LUA'
wrk.method = "PUT"
wrk.body = '{"Data":"Test"}'
wrk.headers["Content-Type"] = "application/json"
-- The answers that were 2xx (the API answers no 3xx), for the comparison with the stream.
function done(summary, latency, requests)
  io.write(string.format("answered-2xx: %d\n", summary.requests - summary.errors.status))
end
LUA

check=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' -d '{"Data":"Test"}' "$url")
[ "$check" = 200 ] || { echo "invoke URL answered $check"; exit 1; }
ok_total=1

echo "warming up ($mode, $warmup)..."
wrk -t"$threads" -c"$connections" -d"$warmup" -s "$work/put.lua" "$url" >"$work/wrk.out"
ok_total=$((ok_total + $(awk '/^answered-2xx:/ {print $2}' "$work/wrk.out")))
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v*=1000 } printf "%.2f", v }'; }
for round in $(seq 1 "$rounds"); do
  echo "measuring: wrk -t$threads -c$connections -d$duration --latency -s put.lua $url"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$work/put.lua" "$url" | tee "$work/wrk.out"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out" | to_ms)
  errors=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$work/wrk.out")
  ok_total=$((ok_total + $(awk '/^answered-2xx:/ {print $2}' "$work/wrk.out")))
  echo
  echo "mode=$mode clicks/s=$rps p50=${p50}ms p99=${p99}ms non-2xx=${errors:-0} (load average:$(uptime | sed 's/.*load average://'))"
done

if [ "$mode" != mock ]; then
  # Every click answered 2xx (warm-up, rounds and the first check) must be in the stream.
  in_stream=$(aws cloudwatch get-metric-statistics --namespace AWS/Kinesis --metric-name IncomingRecords \
    --dimensions Name=StreamName,Value="$stream" --start-time "$started" \
    --end-time "$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)" --period 60 --statistics Sum \
    --query 'sum(Datapoints[].Sum)')
  in_stream=$(printf '%.0f' "$in_stream")
  # wrk stops with up to one request per connection in flight: those reach the stream uncounted.
  runs=$((rounds + 1))
  echo "clicks answered 2xx: $ok_total; records that reached the stream (IncomingRecords): $in_stream" \
    "($((in_stream - ok_total)) in flight when wrk stopped; at most $((connections * runs)))"
  if [ "$in_stream" -lt "$ok_total" ] || [ "$in_stream" -gt $((ok_total + connections * runs)) ]; then
    echo "MISMATCH: the clicks answered 2xx are not the records in the stream"; exit 1
  fi
fi
