#!/usr/bin/env bash
# Installs the external programs the tests drive, when missing: the AWS CLI (the tests run the
# seed's own CLI workflow against localaws) and Chromium (the browser tests drive it through
# Playwright, which must not download a browser of its own) and PostgreSQL's server programs (the
# tests that run the portal on PostgreSQL start a throwaway server of their own with them, see
# dev.clicklog.testing.PostgresCluster) and Docker Compose (ComposeFileTest resolves the stack). Debian/Ubuntu packages through apt-get. And moto's server
# (the portal is tested against it as an AWS-compatible endpoint, see dev.clicklog.testing.MotoServer):
# a Python package, installed with pip into a virtual environment when no moto_server is on the PATH.
set -euo pipefail

MOTO_VERSION=5.2.1
MOTO_VENV="${HOME}/.cache/clicklog/moto"

ensure_moto() {
  if command -v moto_server >/dev/null 2>&1 || [ -x "${MOTO_VENV}/bin/moto_server" ]; then
    return 0
  fi
  echo "Installing moto[server] ${MOTO_VERSION} into ${MOTO_VENV}"
  if ! python3 -m venv --help >/dev/null 2>&1; then
    apt_install python3-venv python3-pip
  fi
  python3 -m venv "${MOTO_VENV}"
  if ! "${MOTO_VENV}/bin/pip" install -q "moto[server]==${MOTO_VERSION}"; then
    echo "moto_server is missing and pip could not install moto[server]==${MOTO_VERSION} (it needs the Python" >&2
    echo "package index). Install it by hand (pip install 'moto[server]==${MOTO_VERSION}') so moto_server is on" >&2
    echo "the PATH; the tests against moto cannot run without it." >&2
    rm -rf "${MOTO_VENV}"
    exit 1
  fi
}

apt_install() {
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "The tests need: $* (Debian packages). Install them, or run as root." >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "$@"
}

missing=()
command -v aws >/dev/null 2>&1 || missing+=(awscli)
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# Docker Compose resolves docker/compose.yaml for ComposeFileTest (`config` needs no engine): the
# docker CLI's plugin where installed, else the standalone docker-compose.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  missing+=(docker-compose)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test tools: ${missing[*]}"
  apt_install "${missing[@]}"
fi

ensure_moto
