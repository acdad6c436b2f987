#!/usr/bin/env bash
# Runs a command with the project's Node (see scripts/node-env.sh):
#   bash scripts/with-node.sh tap            # what `npm test` does
#   bash scripts/with-node.sh npx tap test/backup/drill.test.ts
set -euo pipefail
source "$(dirname "$0")/node-env.sh"
# the project's tools too, as under `npm run`
PATH="$(cd "$(dirname "$0")/.." && pwd)/node_modules/.bin:$PATH"
exec "$@"
