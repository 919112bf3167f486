#!/usr/bin/env bash
# Install what Agent Inbox needs to build (and, with --test, to run every test)
# on a Debian/Ubuntu machine. Idempotent: a second run installs nothing and
# takes a few seconds.
#
#   scripts/setup.sh           # build deps (Tauri system libraries, ui/node_modules)
#   scripts/setup.sh --test    # + Xvfb, D-Bus, gnome-keyring, dunst, Chromium,
#                              #   WebKitWebDriver, tauri-driver, tests/node_modules
#
# Expects apt, git, curl, the Rust toolchain (rustup/cargo) and Node.js/npm.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

WITH_TESTS=0
for arg in "$@"; do
  case "$arg" in
    --test) WITH_TESTS=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# cargo-installed tools (tauri-driver) live here.
if [ -d "${CARGO_HOME:-$HOME/.cargo}/bin" ]; then
  export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
fi

for tool in cargo node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH; install the Rust toolchain (rustup) and Node.js/npm first"
done

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install system packages"
  SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)
fi

# --- system packages -------------------------------------------------------
PKGS=(libwebkit2gtk-4.1-dev build-essential pkg-config libxdo-dev
      libayatana-appindicator3-dev librsvg2-dev libssl-dev file)
if [ "$WITH_TESTS" = 1 ]; then
  PKGS+=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring dunst keyutils
         chromium libnss3 fonts-dejavu-core fonts-noto-color-emoji)
fi

missing=()
for p in "${PKGS[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  say "system packages: all ${#PKGS[@]} present"
else
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get"
  say "system packages: installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- npm dependencies --------------------------------------------------------
# `npm ci` only when node_modules is missing or package-lock.json changed since
# the last install: either the stamp file written after our last `npm ci`
# holds the lock's hash, or npm's own node_modules/.package-lock.json (written
# by every npm install/ci) is newer than package-lock.json.
npm_ci() {
  local dir="$1"
  local stamp="$dir/node_modules/.agent-inbox-lock.sha256"
  local hidden="$dir/node_modules/.package-lock.json"
  local want
  [ -f "$dir/package-lock.json" ] || die "$dir/package-lock.json is missing"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ -d "$dir/node_modules" ] && [ -f "$hidden" ]; then
    if { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; } \
      || ! [ "$dir/package-lock.json" -nt "$hidden" ]; then
      echo "$want" >"$stamp"
      say "npm: ${dir#"$ROOT"/}/node_modules up to date"
      return
    fi
  fi
  say "npm: npm ci in ${dir#"$ROOT"/}"
  local log
  log="$(mktemp)"
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "npm ci failed in ${dir#"$ROOT"/}: is package-lock.json in step with package.json?"
  fi
  cat "$log"
  rm -f "$log"
  echo "$want" >"$stamp"
}

npm_ci "$ROOT/ui"
if [ "$WITH_TESTS" = 1 ]; then
  npm_ci "$ROOT/tests"
fi

# --- tauri-driver ------------------------------------------------------------
if [ "$WITH_TESTS" = 1 ]; then
  if command -v tauri-driver >/dev/null 2>&1; then
    say "tauri-driver: $(command -v tauri-driver)"
  else
    say "tauri-driver: cargo install tauri-driver --locked --version ^2"
    cargo install tauri-driver --locked --version '^2'
  fi
  command -v WebKitWebDriver >/dev/null 2>&1 || die "WebKitWebDriver not on PATH (package webkit2gtk-driver)"
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing (package chromium)"
fi

say "done"
