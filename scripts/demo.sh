#!/usr/bin/env bash
# The main job on one machine: a local Asterisk plus the hotline server on an embedded
# SQLite with demo data, ready to take calls to 962200 on 127.0.0.1:5060.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh run
# the supported Node (.node-version), brought into .node/ when the system's is older
source scripts/node-env.sh
[[ -d node_modules/fastify ]] || npm ci
bash scripts/asterisk.sh start
npm run --silent build
npm run --silent seed:demo
echo "demo: serving on http://localhost:${PORT:-3000} (log in as supervisor / demo-password); call 962200 at 127.0.0.1:5060"
exec node --max-semi-space-size=64 dist/server.js
