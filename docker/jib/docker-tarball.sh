#!/usr/bin/env bash
# Stands in for the docker client when the image is built without an engine (docs/image.md):
# Jib hands a finished image to `docker load` on stdin; this writes it to the file named by
# CLICKLOG_IMAGE_TARBALL instead (the `docker save` layout, loadable later with `docker load -i`).
set -euo pipefail
case "${1:-}" in
  load)
    out="${CLICKLOG_IMAGE_TARBALL:?CLICKLOG_IMAGE_TARBALL names the file the image is written to}"
    mkdir -p "$(dirname "${out}")"
    cat >"${out}.part"
    mv "${out}.part" "${out}"
    echo "Loaded image: written to ${out}"
    ;;
  info)
    # Jib asks the daemon's platform to pick a base image; the tarball is for linux/amd64.
    echo '{"OSType":"linux","Architecture":"x86_64"}'
    ;;
  *)
    echo "docker-tarball.sh: only 'load' is supported (no container engine here), not: $*" >&2
    exit 1
    ;;
esac
