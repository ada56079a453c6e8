#!/usr/bin/env bash
# Builds the base image that the engine-less image build (Jib, `tar://` base) puts the portal on:
# a minimal Debian bookworm (debootstrap --variant=minbase) with a byte-identical copy of the Java 17
# runtime this machine builds with. Identical, because a class-data-sharing archive made at package
# time only maps on the very JVM that wrote it (libjvm.so, lib/modules, lib/server/classes.jsa).
#
# The base carries the runtime user (uid 185), its data directory, the health check and the
# container settings the image inherits (user, port, volume, health check, environment).
#
# Usage: docker/base/build-base.sh            prints the path of the base tarball (docker save layout),
#                                             also linked as ~/.cache/clicklog-portal/jib-base/base.tar
#        JAVA_HOME=/path/to/jdk17 docker/base/build-base.sh
# The result is cached under ~/.cache/clicklog-portal/jib-base/<key>/, keyed by this script, the
# health check and the JDK; a second run only prints the path. Needs root, apt-get and the Debian mirror.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HEALTHCHECK="${SCRIPT_DIR}/../healthcheck.sh"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
CACHE_ROOT="${CLICKLOG_BASE_CACHE:-${HOME}/.cache/clicklog-portal/jib-base}"
APP_USER=185
APP_DIR=/deployments
DATA_DIR="${APP_DIR}/data"

fail() { echo "build-base: $*" >&2; exit 1; }
log() { echo "build-base: $*" >&2; }

# --- The JDK whose runtime goes into the base: the one the build runs with ---
if [ -z "${JAVA_HOME:-}" ]; then
  command -v java >/dev/null 2>&1 || fail "no java on the PATH and JAVA_HOME unset: install a JDK 17"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
JAVA_HOME="$(readlink -f "${JAVA_HOME}")"
[ -x "${JAVA_HOME}/bin/java" ] || fail "${JAVA_HOME}/bin/java is missing (JAVA_HOME must be a JDK 17)"
JAVA_VERSION="$("${JAVA_HOME}/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
case "${JAVA_VERSION}" in 17*) ;; *) fail "JAVA_HOME ${JAVA_HOME} is Java '${JAVA_VERSION}', not 17";; esac

# --- Cache key: this script, the health check, the JDK (its version and the files CDS depends on) ---
KEY="$( { cat "${BASH_SOURCE[0]}" "${HEALTHCHECK}"; echo "${JAVA_HOME} ${JAVA_VERSION}";
          sha256sum "${JAVA_HOME}/lib/server/libjvm.so" "${JAVA_HOME}/lib/server/classes.jsa";
          stat -c '%s %Y' "${JAVA_HOME}/lib/modules"; } | sha256sum | cut -c1-16)"
OUT_DIR="${CACHE_ROOT}/${KEY}"
TARBALL="${OUT_DIR}/base.tar"
LATEST="${CACHE_ROOT}/base.tar"   # what quarkus.jib.base-jvm-image names
if [ -s "${TARBALL}" ]; then
  ln -sfn "${TARBALL}" "${LATEST}"
  log "cached: ${TARBALL}"
  echo "${TARBALL}"
  exit 0
fi

# --- Preconditions, with what to do about them ---
[ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap and chroot need it); run it with sudo"
command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: the base is built with Debian's debootstrap on a Debian/Ubuntu machine"
command -v python3 >/dev/null 2>&1 || fail "python3 not found (it writes the image config): apt-get install python3"
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q -o DPkg::Lock::Timeout=600 >&2 || fail "apt-get update failed: no network to the package mirror?"
  apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends debootstrap >&2 || fail "could not install debootstrap"
fi
if command -v curl >/dev/null 2>&1; then
  curl -fsS -o /dev/null --max-time 20 "${MIRROR}/dists/${SUITE}/Release" \
    || fail "cannot reach the Debian mirror ${MIRROR} (set DEBIAN_MIRROR to one that is reachable)"
fi

mkdir -p "${CACHE_ROOT}"
WORK="$(mktemp -d "${CACHE_ROOT}/.build-XXXXXX")"
ROOTFS="${WORK}/rootfs"
# Unmount what debootstrap or the java check mounted inside the root before deleting it.
cleanup() {
  awk -v root="${ROOTFS}/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount -l "${m}" || true
  done
  rm -rf "${WORK}"
}
trap cleanup EXIT

# --- 1. Minimal Debian ---
log "debootstrap ${SUITE} (minbase) from ${MIRROR}"
debootstrap --variant=minbase "${SUITE}" "${ROOTFS}" "${MIRROR}" >"${WORK}/debootstrap.log" 2>&1 \
  || { tail -n 20 "${WORK}/debootstrap.log" >&2; fail "debootstrap failed (log above)"; }
# Package lists and caches are of no use in the image.
rm -rf "${ROOTFS}"/var/cache/apt/archives/*.deb "${ROOTFS}"/var/lib/apt/lists/* "${ROOTFS}"/var/log/*.log

# --- 2. The Java runtime, at the same path and with the same bytes and times as on this machine ---
JDK_IN_ROOTFS="${ROOTFS}${JAVA_HOME}"
mkdir -p "${JDK_IN_ROOTFS}"
for part in bin conf lib legal release; do
  [ -e "${JAVA_HOME}/${part}" ] && cp -a "${JAVA_HOME}/${part}" "${JDK_IN_ROOTFS}/"
done
# Debian's JDK links some files to /etc and /usr/lib: copy what they point at, drop what is absent
# (desktop-only libraries), keeping file times (the CDS archive header records the modules file's).
find "${JDK_IN_ROOTFS}" -type l | while read -r link; do
  original="${JAVA_HOME}${link#"${JDK_IN_ROOTFS}"}"
  target="$(readlink -f "${original}" || true)"
  rm -f "${link}"
  if [ -n "${target}" ] && [ -f "${target}" ]; then cp -p "${target}" "${link}"; fi
done
ln -sf "${JAVA_HOME}/bin/java" "${ROOTFS}/usr/bin/java"
for f in lib/modules lib/server/libjvm.so lib/server/classes.jsa; do
  cmp -s "${JAVA_HOME}/${f}" "${JDK_IN_ROOTFS}/${f}" || fail "${f} differs from the build JDK's"
done

# --- 3. The runtime user, its data directory, the health check ---
chroot "${ROOTFS}" groupadd --system --gid "${APP_USER}" clicklog
chroot "${ROOTFS}" useradd --system --uid "${APP_USER}" --gid "${APP_USER}" --home-dir "${APP_DIR}" --no-create-home \
  --shell /usr/sbin/nologin clicklog
mkdir -p "${ROOTFS}${DATA_DIR}"
chown "${APP_USER}:${APP_USER}" "${ROOTFS}${DATA_DIR}"
install -m 0755 "${HEALTHCHECK}" "${ROOTFS}/usr/local/bin/clicklog-healthcheck"

# --- 4. Does it run? The JVM with its default CDS archive mapped, as the runtime user ---
mount -t proc proc "${ROOTFS}/proc" 2>/dev/null || true
if ! chroot --userspec="${APP_USER}:${APP_USER}" "${ROOTFS}" java -Xshare:on -Xlog:cds=info -version \
      >"${WORK}/java.log" 2>&1; then
  cat "${WORK}/java.log" >&2
  fail "java -Xshare:on does not run inside the base (log above)"
fi
# An application class-data archive written on this machine maps inside the base (-Xshare:on refuses
# to start otherwise): what an archive made at package time needs from the image's JVM.
if [ -x "${JAVA_HOME}/bin/javac" ] && [ -x "${JAVA_HOME}/bin/jar" ]; then
  CDS="$(mktemp -d /tmp/clicklog-cds-XXXXXX)"
  chmod 755 "${CDS}"
  printf 'public class Hello { public static void main(String[] a) { System.out.println("hello from the archive"); } }\n' \
    >"${CDS}/Hello.java"
  "${JAVA_HOME}/bin/javac" -d "${CDS}/classes" "${CDS}/Hello.java"
  "${JAVA_HOME}/bin/jar" cf "${CDS}/hello.jar" -C "${CDS}/classes" .
  "${JAVA_HOME}/bin/java" -XX:ArchiveClassesAtExit="${CDS}/hello.jsa" -cp "${CDS}/hello.jar" Hello >/dev/null 2>&1
  mkdir -p "${ROOTFS}${CDS}" && chmod 755 "${ROOTFS}${CDS}"
  cp -p "${CDS}/hello.jar" "${CDS}/hello.jsa" "${ROOTFS}${CDS}/"
  chmod 644 "${ROOTFS}${CDS}"/*
  if ! chroot --userspec="${APP_USER}:${APP_USER}" "${ROOTFS}" java -XX:SharedArchiveFile="${CDS}/hello.jsa" -Xshare:on \
        -cp "${CDS}/hello.jar" Hello >"${WORK}/cds.log" 2>&1; then
    rm -rf "${CDS}" "${ROOTFS}${CDS}"
    cat "${WORK}/cds.log" >&2
    fail "a class-data archive made on this machine does not map inside the base (log above)"
  fi
  rm -rf "${CDS}" "${ROOTFS}${CDS}"
  log "a class-data archive made on this machine maps inside the base"
else
  log "no javac in ${JAVA_HOME}: the application class-data archive check is left out"
fi
umount "${ROOTFS}/proc" 2>/dev/null || true
grep -q "${JAVA_VERSION}" "${WORK}/java.log" || { cat "${WORK}/java.log" >&2; fail "unexpected java version in the base"; }
log "java -Xshare:on -version runs in the base as uid ${APP_USER}"

# --- 5. One layer and an image config, in the layout `docker save` writes (what Jib's tar:// reads) ---
log "writing the layer"
tar --numeric-owner --sort=name -C "${ROOTFS}" -cf "${WORK}/layer.tar" .
python3 - "${WORK}" "${JAVA_HOME}" "${APP_USER}" "${APP_DIR}" "${DATA_DIR}" "${KEY}" "${JAVA_VERSION}" <<'PY'
import gzip, hashlib, json, os, shutil, sys
work, java_home, user, app_dir, data_dir, key, java_version = sys.argv[1:]
layer = os.path.join(work, "layer.tar")
h = hashlib.sha256()
with open(layer, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
diff_id = "sha256:" + h.hexdigest()
out = os.path.join(work, "image")
os.makedirs(os.path.join(out, h.hexdigest()))
# Compressed once here, so the image build need not compress 200 MB each time.
with open(layer, "rb") as src, gzip.open(os.path.join(out, h.hexdigest(), "layer.tar.gz"), "wb", 6) as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
second = 1_000_000_000
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "User": user,
        "Env": [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=" + java_home,
            "LANG=C.UTF-8",
            # Inside a container the portal listens on every interface; outside it stays on 127.0.0.1.
            "QUARKUS_HTTP_HOST=0.0.0.0",
        ],
        "ExposedPorts": {"8080/tcp": {}},
        "Volumes": {data_dir: {}},
        "WorkingDir": app_dir,
        "Healthcheck": {
            "Test": ["CMD", "/usr/local/bin/clicklog-healthcheck"],
            "Interval": 15 * second,
            "Timeout": 5 * second,
            "StartPeriod": 30 * second,
            "Retries": 3,
        },
        "Labels": {
            "org.opencontainers.image.base.name": "debian:bookworm (debootstrap minbase) + Java " + java_version,
        },
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "docker/base/build-base.sh (" + key + ")"}],
}
raw = json.dumps(config, indent=2).encode()
config_name = hashlib.sha256(raw).hexdigest() + ".json"
with open(os.path.join(out, config_name), "wb") as f:
    f.write(raw)
manifest = [{"Config": config_name, "RepoTags": ["clicklog-portal-base:" + key],
             "Layers": [h.hexdigest() + "/layer.tar.gz"]}]
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
PY
(cd "${WORK}/image" && tar -cf "${WORK}/base.tar" -- *)
mkdir -p "${OUT_DIR}"
mv "${WORK}/base.tar" "${TARBALL}.part" && mv "${TARBALL}.part" "${TARBALL}"
ln -sfn "${TARBALL}" "${LATEST}"
# Bases of earlier versions of this script or of another JDK are of no further use.
find "${CACHE_ROOT}" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{16}' ! -name "${KEY}" -exec rm -rf {} +
log "base image: ${TARBALL} ($(du -h "${TARBALL}" | cut -f1))"
echo "${TARBALL}"
