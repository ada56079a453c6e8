#!/usr/bin/env bash
# Installs the external programs the tests drive, when missing: the AWS CLI (the tests run the
# seed's own CLI workflow against localaws) and Chromium (the browser tests drive it through
# Playwright, which must not download a browser of its own) and PostgreSQL's server programs (the
# tests that run the portal on PostgreSQL start a throwaway server of their own with them, see
# dev.clicklog.testing.PostgresCluster). Debian/Ubuntu packages through apt-get.
set -euo pipefail

missing=()
command -v aws >/dev/null 2>&1 || missing+=(awscli)
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing test tools: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "The tests need: ${missing[*]} (Debian packages). Install them, or run as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
