#!/usr/bin/env bash
# Installs the Debian packages the hotline needs, skipping what is there already.
#   bash scripts/system-deps.sh run    # to run the server with a local Asterisk
#   bash scripts/system-deps.sh test   # plus what the tests use (sipp, chromium, sound tools)
set -euo pipefail
want=(curl debootstrap ca-certificates)
if [[ ${1:-run} == test ]]; then
  want+=(sip-tester chromium fonts-wqy-microhei espeak-ng sox)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ $(id -u) != 0 ]]; then
  echo "system-deps: missing ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
