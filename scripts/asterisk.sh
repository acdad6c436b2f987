#!/usr/bin/env bash
# Installs, starts, stops and checks the hotline's local Asterisk.
#   bash scripts/asterisk.sh start|stop|restart|status|install
# Uses Debian's asterisk package where the system has it; otherwise Asterisk 22 from
# Debian's unstable suite in a debootstrap root cached outside the checkout, so a
# rerun on the same machine takes seconds. Idempotent.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

HOME_DIR=${HOTLINE_ASTERISK_HOME:-/var/lib/hotline-asterisk}
ROOT=$HOME_DIR/root
ARI_USER=${ARI_USER:-hotline}
ARI_PASSWORD=${ARI_PASSWORD:-hotline-dev-secret}
ARI_APP=${ARI_APP:-hotline}
ARI_PORT=8088

say() { printf 'asterisk: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# system: Debian's package on this host; root: the debootstrap root
if [[ -z "${HOTLINE_ASTERISK_MODE:-}" ]]; then
  if dpkg-query -W -f='${Status}' asterisk 2>/dev/null | grep -q 'ok installed'; then
    HOTLINE_ASTERISK_MODE=system
  else
    HOTLINE_ASTERISK_MODE=root
  fi
fi
MODE=$HOTLINE_ASTERISK_MODE

if [[ $MODE == root ]]; then
  run() { chroot "$ROOT" "$@"; }
  etc=$ROOT/etc/asterisk
  at() { printf '%s%s' "$ROOT" "$1"; }
  conf_flag=()
else
  run() { "$@"; }
  # a config dir of our own, so the host's /etc/asterisk is never touched
  etc=$HOME_DIR/etc
  at() { printf '%s' "$1"; }
  conf_flag=(-C "$etc/asterisk.conf")
fi

need_root() { [[ $(id -u) == 0 ]] || die "$1 needs root (run as root or with sudo)"; }

apt_mirror() {
  # the mirror this host already uses, so no address is baked in here
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  [[ -n $uri ]] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
  printf '%s' "$uri"
}

install_root() {
  [[ -x $ROOT/usr/sbin/asterisk ]] && return 0
  need_root "installing Asterisk"
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null || {
      apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; }
  fi
  mkdir -p "$HOME_DIR"
  rm -rf "$ROOT.partial"
  say "installing Asterisk 22 from Debian unstable into $ROOT (first run only, about 2-3 minutes)"
  local mirror; mirror=$(apt_mirror)
  # progress: debootstrap prints a line per step
  debootstrap --variant=minbase --include=asterisk,asterisk-modules sid "$ROOT.partial" ${mirror:+"$mirror"} 2>&1 \
    | while IFS= read -r line; do case $line in I:*) say "  ${line#I: }";; esac; done
  [[ -x $ROOT.partial/usr/sbin/asterisk ]] || die "debootstrap did not produce /usr/sbin/asterisk"
  mv "$ROOT.partial" "$ROOT"
  say "installed $(chroot "$ROOT" /usr/sbin/asterisk -V)"
}

install_system() {
  command -v asterisk >/dev/null || die "Debian's asterisk package is not installed"
  getent passwd asterisk >/dev/null || die "no asterisk user on this host"
}

# 200 benchmark seat endpoints, 2001-2200, all at one sipp on 127.0.0.1:6100
bench_seats() {
  local n
  for n in $(seq 2001 2200); do
    printf '[%s]\ntype = aor\ncontact = sip:%s@127.0.0.1:6100\n\n[%s](seat-phone)\naors = %s\n\n' "$n" "$n" "$n" "$n"
  done
}

configure() {
  mkdir -p "$etc"
  find "$etc" -maxdepth 1 -type f -name '*.conf' -delete
  cp "$repo"/asterisk-config/*.conf "$etc/"
  sed -i -e "s|@ARI_USER@|$ARI_USER|g" -e "s|@ARI_PASSWORD@|$ARI_PASSWORD|g" "$etc/ari.conf"
  sed -i -e "s|@ARI_APP@|$ARI_APP|g" "$etc/extensions.conf"
  bench_seats >"$etc/pjsip_bench.conf"
  for n in $(seq 2001 2200); do echo "member => PJSIP/$n"; done >"$etc/queues_bench_members.conf"
  if [[ $MODE == system ]]; then
    sed -i -e "s|^astetcdir => .*|astetcdir => $etc|" "$etc/asterisk.conf"
  fi
  # prompts and hold music from the repo
  local sounds; sounds=$(at /usr/share/asterisk/sounds)
  mkdir -p "$sounds"; rm -rf "$sounds/zh"; cp -r "$repo/sounds/zh" "$sounds/zh"
  local moh; moh=$(at /var/lib/asterisk/moh/hotline)
  mkdir -p "$moh"; rm -f "$moh"/*; cp "$repo"/sounds/moh/*.wav "$moh/"
  if [[ $MODE == root ]]; then
    # without the host's names Asterisk looks its own up through DNS on every call
    cp /etc/hosts "$ROOT/etc/hosts"
    [[ -f /etc/resolv.conf ]] && cp /etc/resolv.conf "$ROOT/etc/resolv.conf" || true
    [[ -f /etc/localtime ]] && { rm -f "$ROOT/etc/localtime"; cp -L /etc/localtime "$ROOT/etc/localtime"; } || true
    mkdir -p "$ROOT/run/asterisk" "$ROOT/var/spool/asterisk/recording" "$ROOT/var/log/asterisk/cdr-custom"
    chroot "$ROOT" chown -R asterisk:asterisk /run/asterisk /var/lib/asterisk /var/log/asterisk /var/spool/asterisk /var/cache/asterisk 2>/dev/null || true
  else
    mkdir -p /run/asterisk /var/spool/asterisk/recording /var/log/asterisk/cdr-custom
    chown -R asterisk:asterisk /run/asterisk /var/lib/asterisk/moh/hotline /var/log/asterisk /var/spool/asterisk
  fi
}

ari_up() {
  curl -fsS -m 2 -u "$ARI_USER:$ARI_PASSWORD" "http://127.0.0.1:$ARI_PORT/ari/asterisk/info" >/dev/null 2>&1
}

pid() {
  local f; f=$(at /run/asterisk/asterisk.pid)
  [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

wait_ari() {
  local i
  for i in $(seq 1 120); do
    ari_up && return 0
    sleep 0.5
  done
  return 1
}

start() {
  need_root "starting Asterisk"
  command -v curl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null
  if [[ $MODE == root ]]; then install_root; else install_system; fi
  configure
  if pid >/dev/null; then
    say "already running (pid $(pid)); reloading config and prompts"
    run /usr/sbin/asterisk "${conf_flag[@]}" -rx 'core reload' >/dev/null || true
    # a reload does not load modules newly listed in modules.conf: load those by name
    local loaded m
    loaded=$(run /usr/sbin/asterisk "${conf_flag[@]}" -rx 'module show' 2>/dev/null || true)
    for m in $(sed -n 's/^load => *\([^ ;]*\).*/\1/p' "$etc/modules.conf"); do
      grep -q "^$m " <<<"$loaded" || run /usr/sbin/asterisk "${conf_flag[@]}" -rx "module load $m" >/dev/null || true
    done
  else
    say "starting ($MODE)"
    # Asterisk daemonises: it must not keep a descriptor this script inherited, such as
    # a lock file a caller holds with flock(1) around its tests, or that lock is held for
    # as long as Asterisk runs and every later locked run waits for ever
    (
      for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)) && eval "exec $fd>&-"; done
      run /usr/sbin/asterisk "${conf_flag[@]}" -U asterisk -G asterisk
    )
  fi
  if wait_ari; then
    say "ready: SIP 127.0.0.1:5060, ARI http://127.0.0.1:$ARI_PORT (app '$ARI_APP')"
  else
    tail -n 30 "$(at /var/log/asterisk/messages.log)" >&2 2>/dev/null || true
    die "ARI did not answer within 60 s"
  fi
}

stop() {
  local p; p=$(pid || true)
  if [[ -z $p ]]; then say "not running"; return 0; fi
  run /usr/sbin/asterisk "${conf_flag[@]}" -rx 'core stop now' >/dev/null 2>&1 || kill "$p" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || { say "stopped"; return 0; }; sleep 0.2; done
  kill -9 "$p" 2>/dev/null || true
  say "stopped (killed)"
}

# for fault drills: no shutdown, no hangups, like a crash
crash() {
  local p; p=$(pid || true)
  if [[ -z $p ]]; then say "not running"; return 0; fi
  kill -9 "$p"
  local i
  for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || { say "killed (-9)"; return 0; }; sleep 0.1; done
  die "pid $p did not die"
}

status() {
  if ari_up; then say "running, ARI answers"; return 0; fi
  if pid >/dev/null; then say "running (pid $(pid)), ARI not answering"; return 1; fi
  say "not running"; return 3
}

case "${1:-}" in
  install) need_root "installing Asterisk"; if [[ $MODE == root ]]; then install_root; else install_system; fi; configure ;;
  start) start ;;
  stop) stop ;;
  crash) crash ;;
  pid) pid ;;
  restart) stop; start ;;
  status) status ;;
  cli) shift; run /usr/sbin/asterisk "${conf_flag[@]}" -rx "$*" ;;
  *) echo "usage: $0 start|stop|crash|restart|status|install|cli COMMAND" >&2; exit 2 ;;
esac
