#!/usr/bin/env bash
# Builds the local test sandbox image agentcluster/sandbox:local without any registry:
# a static busybox from Debian's busybox-static, its applets as symlinks, a non-root user
# `agent` (1001:1001, home /home/agent), imported with `docker import`.
#
#   deploy/sandbox/build-local-image.sh [DOCKER_HOST]
#
# DOCKER_HOST is an endpoint such as unix:///path/docker.sock (a bare socket path works too);
# without it the environment's DOCKER_HOST or the docker CLI default is used.
# Idempotent: the image carries a label with the hash of its inputs, and an image whose label
# matches is left alone. The production image is described by deploy/sandbox/Dockerfile.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/dev/lib.sh
source "$here/../dev/lib.sh"

IMAGE=agentcluster/sandbox:local
docker_host_argument "$0" "$@"

apt_install busybox-static
busybox=/bin/busybox
if ldd "$busybox" >/dev/null 2>&1; then
  die "$busybox is dynamically linked: install busybox-static (apt-get install -y busybox-static)"
fi

recipe=$( (cat "${BASH_SOURCE[0]}"; sha256sum "$busybox") | sha256sum | cut -c1-16)
current=$(docker image inspect -f '{{index .Config.Labels "org.agentcluster.recipe"}}' "$IMAGE" 2>/dev/null || true)
if [[ $current == "$recipe" ]]; then
  log "$IMAGE is up to date on ${DOCKER_HOST:-the default engine}"
  exit 0
fi

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,etc,tmp,home/agent/.cache}
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do
  [[ $applet == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
done
cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
agent:x:1001:1001:agent:/home/agent:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
agent:x:1001:
nogroup:x:65534:
EOF
chmod 1777 "$rootfs/tmp"
# Docker copies this mode into the tmpfs mounted over it: the cache is the agent's alone.
chmod 0700 "$rootfs/home/agent/.cache"
chown -R 1001:1001 "$rootfs/home/agent"

log "importing $IMAGE into ${DOCKER_HOST:-the default engine}"
tar --numeric-owner -C "$rootfs" -c . | docker import \
  -c 'USER 1001:1001' \
  -c 'WORKDIR /home/agent' \
  -c 'ENV PATH=/bin HOME=/home/agent' \
  -c "LABEL org.agentcluster.recipe=$recipe" \
  -c 'CMD ["sleep","infinity"]' \
  - "$IMAGE" >/dev/null
docker image inspect -f '{{.Id}}' "$IMAGE" >/dev/null
log "built $IMAGE"
