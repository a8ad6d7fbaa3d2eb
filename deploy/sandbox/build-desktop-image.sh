#!/usr/bin/env bash
# Builds the desktop sandbox image agentcluster/desktop:local without any registry: a Debian
# root file system made by mmdebstrap from the mirror apt already uses (Xvfb, Debian's Chromium,
# fonts, tini), the computer server (Sandbox/, Native AOT) and Chromium's managed policies,
# imported with `docker import`.
#
#   deploy/sandbox/build-desktop-image.sh [DOCKER_HOST]
#
# What it leaves out: a package manager (dpkg is removed after the install; apt is never in it),
# setuid and setgid bits (stripped, then checked), bash and perl, docs, man pages, locales, and
# Mesa's drivers and LLVM (Chromium draws on the CPU). /bin/sh (dash) stays: Xvfb runs its
# keymap compiler through it. The versions of the main packages are labels of the image and the
# full list is /usr/lib/agentcluster/packages.txt in it.
#
# Idempotent and repeatable: the root file system (SOURCE_DATE_EPOCH fixed) and the published
# server are cached under $AGENTCLUSTER_CACHE (default ~/.cache/agentcluster) by the hash of their
# inputs, and an image whose recipe label matches is left alone.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=deploy/dev/lib.sh
source "$here/../dev/lib.sh"

IMAGE=agentcluster/desktop:local
SUITE=bookworm
PACKAGES=xvfb,chromium,fonts-liberation,tini,libx11-6,libxtst6,libnss3-tools
LABELLED=(chromium xvfb tini fonts-liberation libx11-6 libxtst6 libnss3-tools libc6)
export SOURCE_DATE_EPOCH=1700000000
docker_host_argument "$0" "$@"
cache=${AGENTCLUSTER_CACHE:-${HOME:-/root}/.cache/agentcluster}
mkdir -p "$cache"

# The Debian entries of apt's own sources (deb822 or one-line), for mmdebstrap to use as they are.
sources=""
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; do
  if [[ -f $f ]] && grep -qE '^[^#]*debian' "$f"; then sources=$f && break; fi
done
[[ -n $sources ]] || die "no Debian source in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"

# 1. The root file system, cached by what goes into it.
base_hash=$( (sed -n '/^# -- rootfs/,/^# -- end rootfs/p' "${BASH_SOURCE[0]}"; echo "$PACKAGES $SUITE"; cat "$sources") | sha256sum | cut -c1-16)
base=$cache/desktop-rootfs-$base_hash.tar
# -- rootfs
if [[ ! -f $base ]]; then
  apt_install mmdebstrap
  log "desktop image 1/3: mmdebstrap $SUITE with $PACKAGES (a few minutes on a fresh machine)"
  mmdebstrap --variant=essential --mode=auto --format=tar --skip=output/dev \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --include="$PACKAGES" \
    --aptopt='Apt::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --dpkgopt='path-exclude=/usr/lib/chromium/locales/*' --dpkgopt='path-include=/usr/lib/chromium/locales/en-US.pak' \
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/dri/*' \
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libLLVM*' --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/libz3*' \
    --customize-hook='chroot "$1" dpkg-query -W -f "\${Package}=\${Version}\n" | sort >"$1/packages.txt"' \
    --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/* "$1"/var/lib/apt/lists/*' \
    "$SUITE" "$base.partial" "$sources" >&2
  mv "$base.partial" "$base"
fi
# -- end rootfs

# 2. The computer server, Native AOT, cached by its sources.
server_hash=$(cd "$repo" && find Sandbox Directory.Build.props Directory.Packages.props global.json \
  \( -name bin -o -name obj \) -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
server=$cache/computer-server-$server_hash
if [[ ! -x $server/computer-server ]]; then
  apt_install clang zlib1g-dev
  log "desktop image 2/3: dotnet publish Sandbox (Native AOT)"
  rm -rf "$server.partial"
  dotnet publish "$repo/Sandbox/AgentCluster.Sandbox.csproj" -c Release -r linux-x64 -p:PublishAot=true \
    -nodeReuse:false -p:UseSharedCompilation=false -o "$server.partial" >&2
  rm -rf "$server"
  mv "$server.partial" "$server"
fi

recipe=$( (cat "${BASH_SOURCE[0]}" "$here/desktop/chromium-policies.json"; echo "$base_hash"; sha256sum "$server/computer-server") |
  sha256sum | cut -c1-16)
current=$(docker image inspect -f '{{index .Config.Labels "org.agentcluster.recipe"}}' "$IMAGE" 2>/dev/null || true)
if [[ $current == "$recipe" ]]; then
  log "$IMAGE is up to date on ${DOCKER_HOST:-the default engine}"
  exit 0
fi

# 3. Put it together (once per recipe, cached), then import it.
image_tar=$cache/desktop-image-$recipe.tar
if [[ ! -f $image_tar ]]; then
  log "desktop image 3/3: assembling the root file system"
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  tar -C "$rootfs" --numeric-owner -xf "$base"
  install -D -m 0755 "$server/computer-server" "$rootfs/usr/lib/agentcluster/computer-server"
  mv "$rootfs/packages.txt" "$rootfs/usr/lib/agentcluster/packages.txt"
  install -D -m 0644 "$here/desktop/chromium-policies.json" "$rootfs/etc/chromium/policies/managed/agentcluster.json"
  echo 'agent:x:1001:1001:agent:/home/agent:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
  echo 'agent:x:1001:' >>"$rootfs/etc/group"
  # Docker copies this mode into the tmpfs mounted over it: the cache is the agent's alone.
  install -d -m 0700 -o 1001 -g 1001 "$rootfs/home/agent" "$rootfs/home/agent/.cache"
  # No package manager, no second shell, no interpreter the server does not need.
  rm -rf "$rootfs"/usr/bin/dpkg* "$rootfs"/usr/sbin/dpkg* "$rootfs"/usr/bin/apt* "$rootfs"/usr/lib/apt \
    "$rootfs"/var/lib/dpkg/info "$rootfs"/usr/bin/bash "$rootfs"/usr/bin/rbash "$rootfs"/usr/bin/perl* \
    "$rootfs"/usr/lib/x86_64-linux-gnu/perl-base "$rootfs"/etc/chromium.d "$rootfs"/usr/bin/chromium
  # Nor the tools that only setuid made useful (the bits are stripped below anyway).
  rm -f "$rootfs"/usr/bin/{su,mount,umount,passwd,chsh,chfn,newgrp,gpasswd,chage,expiry} "$rootfs"/usr/sbin/unix_chkpwd \
    "$rootfs"/usr/lib/dbus-1.0/dbus-daemon-launch-helper
  find "$rootfs" -xdev ! -type l -perm /6000 -exec chmod ug-s {} +
  if [[ -n $(find "$rootfs" -xdev -perm /6000 -print -quit) ]]; then die "setuid or setgid files are left in the desktop image"; fi
  tar --numeric-owner --sort=name --mtime="@$SOURCE_DATE_EPOCH" -C "$rootfs" -cf "$image_tar.partial" .
  mv "$image_tar.partial" "$image_tar"
  rm -rf "$rootfs"
  trap - EXIT
fi
# Keep only what this recipe uses: each of these is hundreds of MB.
find "$cache" -maxdepth 1 \( -name 'desktop-rootfs-*.tar' ! -name "${base##*/}" -o -name 'desktop-image-*.tar' ! -name "${image_tar##*/}" \
  -o -name 'computer-server-*' ! -name "${server##*/}" \) -exec rm -rf {} +

labels=()
for p in "${LABELLED[@]}"; do
  v=$(tar -xOf "$image_tar" ./usr/lib/agentcluster/packages.txt | sed -n "s/^$p=//p")
  [[ -n $v ]] || die "package $p is not in the desktop image"
  labels+=(-c "LABEL org.agentcluster.package.$p=$v")
done
log "importing $IMAGE into ${DOCKER_HOST:-the default engine}"
docker import \
  -c 'USER 1001:1001' \
  -c 'WORKDIR /home/agent' \
  -c 'ENV PATH=/usr/bin HOME=/home/agent' \
  -c 'ENTRYPOINT ["/usr/bin/tini", "-s", "--", "/usr/lib/agentcluster/computer-server"]' \
  -c "LABEL org.agentcluster.recipe=$recipe" \
  -c 'LABEL org.agentcluster.desktop=1' \
  "${labels[@]}" \
  "$image_tar" "$IMAGE" >/dev/null
docker image inspect -f '{{.Id}}' "$IMAGE" >/dev/null
log "built $IMAGE"
