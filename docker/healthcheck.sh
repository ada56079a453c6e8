#!/usr/bin/env bash
# The image's health check: asks the portal's readiness endpoint over plain bash (/dev/tcp), because
# the runtime image carries no curl or wget. Healthy only on an HTTP 200 from /q/health/ready.
set -uo pipefail
port="${QUARKUS_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 10 status <&3 || exit 1
exec 3>&-
case "${status}" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "not ready: ${status%$'\r'}" >&2; exit 1 ;;
esac
