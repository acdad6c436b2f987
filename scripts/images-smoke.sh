# Sourced by scripts/images.sh: the smoke test of the two images as a pair.
# Both containers share one network namespace made here (loopback only), so the pair
# uses its usual ports (HTTP 3000, SIP 5060, ARI 8088) without touching the host's,
# where the shared Asterisk and other servers may be running. Probes and the sipp call
# run in that namespace with `ip netns exec`. Everything is removed at the end.
SMOKE_NS=${SMOKE_NS:-hotline-smoke}
SMOKE_DIR=${SMOKE_DIR:-/tmp/hotline-smoke}
SRV=hotline-smoke-server
AST=hotline-smoke-asterisk

KUBE_DIR=$SMOKE_DIR-kube
clean() {
  "${PODMAN[@]}" rm -f --ignore -t 5 "$SRV" "$AST" >/dev/null 2>&1 || true
  if [[ -f $KUBE_DIR/pod.yaml ]]; then
    "${PODMAN[@]}" kube down "$KUBE_DIR/pod.yaml" >/dev/null 2>&1 || true
    "${PODMAN[@]}" volume rm -f smoke-hotline-data smoke-hotline-recordings smoke-hotline-cdr >/dev/null 2>&1 || true
  fi
  rm -rf "$KUBE_DIR"
  ip netns del "$SMOKE_NS" 2>/dev/null || true
  rm -rf "$SMOKE_DIR"
}

# with no systemd here podman cannot schedule the healthcheck timer (it says so; the
# check itself is run by hand below)
podman_run() { "${PODMAN[@]}" run "$@" 2> >(grep -v 'systemd connection' >&2); }
in_ns() { ip netns exec "$SMOKE_NS" "$@"; }
http_code() { in_ns curl -s -o /dev/null -w '%{http_code}' -m 3 "http://127.0.0.1:3000$1" || true; }
wait_code() {
  local path=$1 want=$2 secs=$3 i
  for ((i = 0; i < secs * 2; i++)); do [[ $(http_code "$path") == "$want" ]] && return 0; sleep 0.5; done
  return 1
}
fail() { say "SMOKE FAILED: $*"; "${PODMAN[@]}" logs --tail 30 "$SRV" >&2 2>/dev/null || true; "${PODMAN[@]}" logs --tail 15 "$AST" >&2 2>/dev/null || true; clean; exit 1; }
ok() { say "ok - $*"; }

smoke() {
  need_tools
  command -v sipp >/dev/null || die "sipp is missing (apt-get install sip-tester)"
  "${PODMAN[@]}" image exists "$SERVER_IMAGE" && "${PODMAN[@]}" image exists "$ASTERISK_IMAGE" || die "build the images first: bash scripts/images.sh build"
  clean
  ip netns add "$SMOKE_NS"
  in_ns ip link set lo up
  mkdir -p "$SMOKE_DIR"/{data,recordings,cdr}
  chown 1000:1000 "$SMOKE_DIR/data"
  local net=(--network "ns:/run/netns/$SMOKE_NS")
  local secret; secret=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local ari_pw="ari-$secret"
  local run=(podman_run -d "${ULIMITS[@]}" "${net[@]}")

  # refusing to start on the default secrets: one clear line, exit 1
  local refusal
  refusal=$("${PODMAN[@]}" run --rm --no-healthcheck "${ULIMITS[@]}" "${net[@]}" -e SMTP_ENABLED=false "$SERVER_IMAGE" 2>&1) && fail "started with default secrets"
  [[ $(wc -l <<<"$refusal") == 1 && $refusal == *JWT_SECRET* ]] || fail "the refusal is not one line: $refusal"
  ok "production refuses the default secrets in one line: $refusal"

  local env=(-e "JWT_SECRET=jwt-$secret-$secret" -e "INTEGRATION_12345_SECRET=i-$secret" -e "ARI_PASSWORD=$ari_pw"
    -e BUSINESS_HOURS=always -e SMTP_ENABLED=false -e RECORDINGS_DIR=/recordings -e ASTERISK_CDR_PATH=/cdr/hotline.jsonl)
  "${run[@]}" --name "$SRV" "${env[@]}" -v "$SMOKE_DIR/data:/data" -v "$SMOKE_DIR/recordings:/recordings:ro" -v "$SMOKE_DIR/cdr:/cdr:ro" "$SERVER_IMAGE" >/dev/null
  wait_code /health 200 60 || fail "/health did not answer 200"
  ok "/health 200"
  [[ $(http_code /ready) == 503 ]] || fail "/ready without Asterisk is $(http_code /ready), not 503"
  ok "/ready 503 without ARI"
  [[ $("${PODMAN[@]}" exec "$SRV" id -un) == node ]] || fail "the server does not run as node"
  ok "runs as node"
  "${PODMAN[@]}" healthcheck run "$SRV" >/dev/null || fail "HEALTHCHECK unhealthy"
  ok "HEALTHCHECK healthy"

  "${run[@]}" --name "$AST" --hostname hotline-asterisk --add-host hotline-asterisk:127.0.0.1 -e "ARI_PASSWORD=$ari_pw" -e SIP_BIND=127.0.0.1:5060 \
    -v "$SMOKE_DIR/recordings:/var/spool/asterisk/recording" -v "$SMOKE_DIR/cdr:/var/log/asterisk/cdr-custom" "$ASTERISK_IMAGE" >/dev/null
  wait_code /ready 200 120 || fail "/ready did not turn 200 with the Asterisk container"
  ok "/ready 200 with the Asterisk container"

  # one real call: sipp dials 962200, hears the IVR for 4 s, hangs up
  (cd "$SMOKE_DIR" && in_ns timeout 60 sipp -sn uac -s 962200 -i 127.0.0.1 -p 5071 -m 1 -d 4000 -timeout 40 -nostdin 127.0.0.1:5060 >/dev/null 2>&1) || true
  local i tickets=0 summary
  for i in $(seq 1 40); do
    summary=$("${PODMAN[@]}" exec "$SRV" node -e "
      const db = new (require('better-sqlite3'))(process.env.DB_PATH, { readonly: true });
      console.log(JSON.stringify(db.prepare(\"select count(*) n, max(number) number from tickets where source = 'phone'\").get()));" 2>&1)
    tickets=$(sed -nE 's/.*"n":([0-9]+).*/\1/p' <<<"$summary")
    (( ${tickets:-0} >= 1 )) && break
    sleep 0.5
  done
  (( ${tickets:-0} >= 1 )) || fail "the call did not become a ticket ($summary)"
  ok "a sipp call through the pair became a ticket: $summary"

  # a backup by hand while the server runs, inside the image
  local backup
  backup=$("${PODMAN[@]}" exec "$SRV" node dist/backup/cli.js /data/backups/smoke.db) || fail "backup by hand failed"
  [[ $backup == *'"integrity":"ok"'* ]] || fail "backup not ok: $backup"
  ok "backup by hand inside the image: $(grep -oE '"integrity":"ok"|"tickets":[0-9]+|"calls":[0-9]+' <<<"$backup" | tr '\n' ' ')"

  "${PODMAN[@]}" stop -t 20 "$SRV" >/dev/null
  local code; code=$("${PODMAN[@]}" inspect -f '{{.State.ExitCode}}' "$SRV")
  [[ $code == 0 ]] || fail "the server exited $code on SIGTERM"
  # exit 0 on SIGTERM is the clean stop; the log line can reach podman's log a moment later
  local said=no
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if "${PODMAN[@]}" logs "$SRV" 2>&1 | grep -q 'shutting down'; then said=yes; break; fi
    sleep 0.5
  done
  [[ $said == yes ]] || echo "images: note - exit 0 on SIGTERM, but 'shutting down' not (yet) in podman's log"
  ok "server stopped cleanly on SIGTERM (exit 0)"
  "${PODMAN[@]}" stop -t 20 "$AST" >/dev/null || fail "Asterisk did not stop"
  ok "Asterisk stopped"
  kube_smoke
  clean
  say "smoke: all passed"
}

# deploy/hotline-pod.yaml itself, played as podman kube play would on a host, with the
# host ports left out (--network none: the pod's own loopback) and its names prefixed
kube_smoke() {
  command -v catatonit >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends catatonit >/dev/null
  mkdir -p "$KUBE_DIR"
  sed -e '/hostPort/d' -e 's/^      ports:$/      ports: []/' -e 's/^  name: hotline$/  name: smoke-hotline/' \
    -e 's/claimName: hotline-/claimName: smoke-hotline-/' "$repo/deploy/hotline-pod.yaml" >"$KUBE_DIR/pod.yaml"
  sed -e "s/: change-me.*/: kube-smoke-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')/" "$repo/deploy/hotline-secrets.example.yaml" >"$KUBE_DIR/secrets.yaml"
  # kube play takes no --ulimit: the same limits as podman's defaults for this run
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' "$NOFILE" "$NOFILE" "$NPROC" "$NPROC" >"$KUBE_DIR/containers.conf"
  CONTAINERS_CONF=$KUBE_DIR/containers.conf "${PODMAN[@]}" kube play --network none --configmap "$KUBE_DIR/secrets.yaml" "$KUBE_DIR/pod.yaml" \
    > >(grep -v systemd >/dev/null) 2> >(grep -v 'systemd connection' >&2) || fail "podman kube play deploy/hotline-pod.yaml failed"
  local infra pid i code=
  infra=$("${PODMAN[@]}" pod inspect smoke-hotline -f '{{.InfraContainerID}}')
  pid=$("${PODMAN[@]}" inspect -f '{{.State.Pid}}' "$infra")
  for ((i = 0; i < 240; i++)); do
    code=$(nsenter --net="/proc/$pid/ns/net" curl -s -o /dev/null -w '%{http_code}' -m 3 http://127.0.0.1:3000/ready || true)
    [[ $code == 200 ]] && break
    sleep 0.5
  done
  [[ $code == 200 ]] || { "${PODMAN[@]}" logs --tail 20 smoke-hotline-server >&2 || true; fail "the pod from deploy/hotline-pod.yaml: /ready is $code"; }
  ok "deploy/hotline-pod.yaml: podman kube play, /ready 200 (server and Asterisk on the pod's loopback)"
  "${PODMAN[@]}" kube down "$KUBE_DIR/pod.yaml" >/dev/null 2>&1 || fail "podman kube down failed"
  ok "podman kube down"
}
