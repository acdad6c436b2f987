#!/usr/bin/env bash
# Runs before `npm test`: the system packages the tests use, node modules, and the
# local Asterisk (installed on first use, then started with this repo's config).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh test
source scripts/node-env.sh
[[ -d node_modules/tap ]] || npm ci
bash scripts/asterisk.sh start
