# The hotline server. Asterisk is its own image (Dockerfile.asterisk); deploy/hotline-pod.yaml
# runs both. NODE_IMAGE: the official image elsewhere; scripts/images.sh passes a local
# base made the same way (Debian bookworm + nodejs.org's binaries and headers, user node).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# better-sqlite3 compiles against the image's own Node headers: no header or binary download
ENV npm_config_nodedir=/usr/local npm_config_build_from_source=true npm_config_update_notifier=false
# NPM_CAFILE: a CA bundle for networks whose TLS goes through their own CA (build time only)
ARG NPM_CAFILE=
COPY package.json package-lock.json ./
RUN if [ -n "$NPM_CAFILE" ]; then export npm_config_cafile="$NPM_CAFILE"; fi; npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund \
 # the compiler's leftovers (object files, SQLite's sources): only the addon itself is needed
 && cd node_modules/better-sqlite3 && find build -mindepth 1 -maxdepth 2 ! -path build/Release ! -path build/Release/better_sqlite3.node -exec rm -rf {} + \
 && rm -rf deps src \
 && cd /app && find dist -name '*.map' -delete

FROM ${NODE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="hotline-962200-server" \
      org.opencontainers.image.description="962200 hotline: telephony/IVR and work-order server (drives Asterisk over ARI)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.documentation="docs/operations.md"
# Required in production (the server refuses to start on the defaults): JWT_SECRET (>= 32
# chars), INTEGRATION_12345_SECRET, ARI_PASSWORD. Usually set: ARI_URL, ARI_USER, ARI_APP,
# INTEGRATION_12345_URL, ASTERISK_CDR_PATH, RECORDINGS_DIR. All of them: docs/operations.md.
ENV NODE_ENV=production PORT=3000 \
    DB_PATH=/data/hotline.db FILES_DIR=/data/files BACKUP_DIR=/data/backups
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY config ./config
COPY calendar ./calendar
COPY web ./web
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 2525
# probes this container's own PORT; /health names the service, so another server on a
# shared (host) network answering on that port does not pass
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>r.json()).then(b=>process.exit(b.status==='ok'?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
# a larger young generation: fewer scavenges under request load (see README, Benchmarks)
CMD ["node", "--max-semi-space-size=64", "dist/server.js"]
