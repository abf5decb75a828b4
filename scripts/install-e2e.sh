#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need, without touching the project's own
# node_modules:
#   - Debian packages: chromium (driven by playwright-core), ripgrep (VS Code's search binary),
#     libkrb5-dev and a C++ toolchain (code-server's native modules build from source);
#   - code-server (VS Code in the browser) in .tools/code-server, with its postinstall checked;
#   - the marker .tools/e2e-ready, written only when every check passed.
# Idempotent: what is already there is kept. Needs root only when Debian packages are missing.
# Reaches nothing but the npm registry and the Debian archive.
set -euo pipefail

readonly CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11, whose postinstall fetches ripgrep v13.0.0-10.
readonly RIPGREP_PACKAGE_VERSION=1.15.11
readonly RIPGREP_RELEASE=v13.0.0-10

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly TOOLS="$ROOT/.tools"
readonly PREFIX="$TOOLS/code-server"
readonly CS="$PREFIX/node_modules/code-server"
readonly READY="$TOOLS/e2e-ready"

log() { printf '[install-e2e] %s\n' "$*"; }
die() {
  printf '[install-e2e] ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'printf "[install-e2e] ERROR: command failed (exit %s) at scripts/install-e2e.sh line %s: %s\n" "$?" "$LINENO" "$BASH_COMMAND" >&2' ERR

started=$(date +%s)

# --- Node -----------------------------------------------------------------------------------
command -v node >/dev/null || die "node is not on PATH; code-server $CODE_SERVER_VERSION needs Node 20"
command -v npm >/dev/null || die "npm is not on PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" == 20 ]] ||
  die "code-server $CODE_SERVER_VERSION needs Node 20 (its postinstall refuses others); found Node $(node -v) at $(command -v node)"

# --- Debian packages ------------------------------------------------------------------------
is_installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

wanted=()
is_installed chromium || wanted+=(chromium)
is_installed fonts-liberation || wanted+=(fonts-liberation)
is_installed libkrb5-dev || wanted+=(libkrb5-dev)
command -v rg >/dev/null || wanted+=(ripgrep)
command -v make >/dev/null || wanted+=(make)
command -v g++ >/dev/null || wanted+=(g++)
command -v python3 >/dev/null || wanted+=(python3)

if ((${#wanted[@]} > 0)); then
  command -v apt-get >/dev/null || die "missing ${wanted[*]} and apt-get is not available: install them by hand"
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages: ${wanted[*]}; run this script as root, or: sudo apt-get install -y ${wanted[*]}"
  log "apt-get install ${wanted[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a dpkg lock held by another apt-get instead of failing at once.
  apt_options=(-o DPkg::Lock::Timeout=600)
  apt-get "${apt_options[@]}" update -qq || die "apt-get update failed: is the Debian archive reachable?"
  apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null ||
    die "apt-get install ${wanted[*]} failed"
else
  log "Debian packages already installed (chromium, fonts-liberation, libkrb5-dev, ripgrep, build tools)"
fi
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing the chromium package"
log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown')"

# --- code-server ----------------------------------------------------------------------------
# Each check names a file that only a complete install (code-server's own postinstall, which runs
# `npm install` in lib/vscode and lib/vscode/extensions, plus every native module's build) leaves.
check_install() {
  local missing=()
  local f
  for f in \
    "$CS/out/node/entry.js" \
    "$CS/lib/vscode/node_modules.asar" \
    "$CS/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" \
    "$CS/lib/vscode/node_modules/node-pty/build/Release/pty.node" \
    "$CS/lib/vscode/node_modules/kerberos/build/Release/kerberos.node" \
    "$CS/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" \
    "$CS/lib/vscode/node_modules/native-watchdog/build/Release/watchdog.node" \
    "$CS/lib/vscode/extensions/node_modules/typescript/package.json"; do
    [[ -e "$f" ]] || missing+=("${f#"$ROOT/"}")
  done
  if [[ -e "$CS/node_modules/argon2" ]] && ! find "$CS/node_modules/argon2" -name '*.node' -print -quit | grep -q .; then
    missing+=("argon2 native binding under ${CS#"$ROOT/"}/node_modules/argon2")
  fi
  if ((${#missing[@]} > 0)); then
    printf '%s\n' "${missing[@]}"
    return 1
  fi
  # --config /dev/null: without it code-server writes a default ~/.config/code-server/config.yaml.
  local version
  version="$(node "$CS/out/node/entry.js" --config /dev/null --version 2>&1 || true)"
  if ! grep -q "^$CODE_SERVER_VERSION " <<<"$version"; then
    echo "code-server --version printed '$version', expected $CODE_SERVER_VERSION"
    return 1
  fi
}

if problems="$(check_install)"; then
  log "code-server $CODE_SERVER_VERSION already installed in ${PREFIX#"$ROOT/"}"
else
  rm -f "$READY"
  log "installing code-server@$CODE_SERVER_VERSION into ${PREFIX#"$ROOT/"} (a few minutes: native modules build from source)"
  # Start from an empty prefix: npm would not rerun code-server's postinstall over a partial tree.
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX"
  # The prefix is a project of its own, so npm never walks up to the repository's package.json.
  # allowScripts records the install scripts this install needs: code-server's postinstall and
  # argon2's native build (the nested installs in lib/vscode run with code-server's postinstall).
  cat >"$PREFIX/package.json" <<EOF
{
  "name": "thinkscope-code-server",
  "private": true,
  "description": "code-server for ThinkScope's end-to-end tests and demo (written by scripts/install-e2e.sh)",
  "allowScripts": {
    "code-server": true,
    "argon2": true
  }
}
EOF

  # A private temporary directory: @vscode/ripgrep's postinstall looks for its download in
  # <tmpdir>/vscode-ripgrep-cache-<version>/ before asking GitHub. Debian's rg, packed under the
  # expected name, stands in for the download.
  install_tmp="$TOOLS/tmp"
  rm -rf "$install_tmp"
  mkdir -p "$install_tmp"
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) die "no ripgrep target known for architecture $(uname -m)" ;;
  esac
  rg_cache="$install_tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  mkdir -p "$rg_cache" "$install_tmp/rg"
  cp "$(command -v rg)" "$install_tmp/rg/rg"
  tar -czf "$rg_cache/ripgrep-$RIPGREP_RELEASE-$rg_target.tar.gz" -C "$install_tmp/rg" rg
  log "ripgrep cache: Debian's $(command -v rg) as ${rg_cache#"$ROOT/"}/ripgrep-$RIPGREP_RELEASE-$rg_target.tar.gz"

  # node-gyp compiles against local headers when it knows where Node lives; otherwise it would
  # download them from nodejs.org, which may be unreachable.
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [[ -f "$node_prefix/include/node/node.h" ]]; then
    export npm_config_nodedir="$node_prefix"
  else
    log "warning: no Node headers under $node_prefix/include/node: node-gyp will try to download them"
  fi

  # unsafe_perm: code-server's postinstall refuses to run as root without it.
  # yes: node-pty's install runs `npx node-gyp`, which must not stop at a prompt.
  # foreground_scripts: show the native builds as they run, so a failure says where.
  # ignore_scripts / strict_allow_scripts: the nested installs in lib/vscode build native modules
  # whose install scripts npm 11 runs but lists as "not yet covered by allowScripts"; a user
  # setting that skips or refuses them would leave code-server broken (check_install says which).
  # The user's npmrc may say otherwise; these environment settings win over it.
  log_file="$TOOLS/install-code-server.log"
  if ! TMPDIR="$install_tmp" \
    npm_config_unsafe_perm=true \
    npm_config_yes=true \
    npm_config_foreground_scripts=true \
    npm_config_ignore_scripts=false \
    npm_config_strict_allow_scripts=false \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false \
    npm install --prefix "$PREFIX" --no-save "code-server@$CODE_SERVER_VERSION" >"$log_file" 2>&1; then
    tail -n 40 "$log_file" >&2
    die "npm install code-server@$CODE_SERVER_VERSION failed; full log: ${log_file#"$ROOT/"}"
  fi
  if grep -q 'install scripts not yet covered by allowScripts' "$log_file"; then
    log "note: npm listed install scripts outside allowScripts (they ran; see ${log_file#"$ROOT/"})"
  fi
  rm -rf "$install_tmp"

  if ! problems="$(check_install)"; then
    while IFS= read -r line; do printf '[install-e2e]   missing: %s\n' "$line" >&2; done <<<"$problems"
    die "code-server installed but its postinstall did not complete (see ${log_file#"$ROOT/"}); delete .tools and run again"
  fi
  log "code-server $CODE_SERVER_VERSION installed and checked"
fi

touch "$READY"
log "ready (${READY#"$ROOT/"}) in $(($(date +%s) - started)) s"
