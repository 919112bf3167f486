#!/usr/bin/env bash
# Run every test of Agent Inbox: UI checks and unit tests, the Rust workspace
# tests, the keychain tests against a real (throw-away) Secret Service, the
# browser end-to-end test (inboxd + Chromium) and the desktop end-to-end test
# (the real app under Xvfb through tauri-driver). Stops at the first failure.
#
#   scripts/test-all.sh
#
# Honours CARGO_TARGET_DIR when set. Set KEEP_TEST_TMP=1 to keep the temporary
# HOME/XDG_RUNTIME_DIR directories for debugging.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec </dev/null

# The keychain and desktop parts run with HOME pointing at a temp dir; keep
# cargo and rustup pointing at the real toolchain.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export npm_config_cache="${npm_config_cache:-$HOME/.npm}"
export PATH="$CARGO_HOME/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$ROOT/$CARGO_TARGET_DIR" ;; esac
  export CARGO_TARGET_DIR
fi

TEST_TMP="$(mktemp -d "${TMPDIR:-/tmp}/agent-inbox-test.XXXXXX")"
chmod 700 "$TEST_TMP"
cleanup_tmp() {
  if [ "${KEEP_TEST_TMP:-0}" = 1 ]; then
    echo "test-all: kept $TEST_TMP"
  else
    rm -rf "$TEST_TMP" 2>/dev/null || true
  fi
}

# fresh_env NAME: make $TEST_TMP/NAME/{home,run} (mode 700) and print the
# `env` arguments that point HOME and XDG_RUNTIME_DIR at them.
fresh_env() {
  local d="$TEST_TMP/$1"
  mkdir -p "$d/home" "$d/run"
  chmod 700 "$d" "$d/home" "$d/run"
  printf '%s\n' "HOME=$d/home" "XDG_RUNTIME_DIR=$d/run"
}

T0=$(date +%s)
RESULTS=()
STEP_NO=0

fmt_secs() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

summary() {
  echo
  echo "==================== test-all summary ===================="
  local r
  for r in "${RESULTS[@]}"; do echo "  $r"; done
  echo "  total time: $(fmt_secs $(($(date +%s) - T0)))"
  echo "=========================================================="
}

# step NAME CMD [ARGS...]: run CMD with a section header; stop everything on
# failure.
step() {
  local name="$1"; shift
  STEP_NO=$((STEP_NO + 1))
  echo
  echo "==================== [$STEP_NO] $name ===================="
  local t=$(date +%s) rc
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  local took; took="$(fmt_secs $(($(date +%s) - t)))"
  if [ "$rc" -eq 0 ]; then
    RESULTS+=("PASS  [$STEP_NO] $name ($took)")
  else
    RESULTS+=("FAIL  [$STEP_NO] $name ($took, exit $rc)")
    echo
    echo "test-all: FAILED at step [$STEP_NO] $name (exit $rc)" >&2
    summary
    cleanup_tmp
    exit "$rc"
  fi
}

# --- steps -------------------------------------------------------------------

ui_check_and_test() {
  cd "$ROOT/ui"
  npm run check
  npm run lint
  npm run format:check
  npm test
}

ui_build() {
  cd "$ROOT/ui"
  npm run build
}

keychain_tests() {
  local -a envs
  mapfile -t envs < <(fresh_env keychain)
  env "${envs[@]}" dbus-run-session -- "$ROOT/scripts/test-session.sh" -- \
    cargo test --workspace -- --ignored
}

browser_e2e() {
  local -a envs
  mapfile -t envs < <(fresh_env browser)
  cd "$ROOT/tests"
  env "${envs[@]}" timeout --kill-after=10 2400 \
    node --test --test-reporter=spec --test-concurrency=1 browser/*.spec.mjs
}

desktop_e2e() {
  local -a envs
  mapfile -t envs < <(fresh_env desktop)
  mkdir -p "$ROOT/tests/desktop/output"
  cd "$ROOT/tests"
  env "${envs[@]}" timeout --kill-after=10 900 \
    xvfb-run -a -s "-screen 0 1280x800x24" \
    dbus-run-session -- "$ROOT/scripts/test-session.sh" --notify "$ROOT/tests/desktop/output/notifications.log" -- \
    node --test --test-reporter=spec --test-concurrency=1 desktop/app.spec.mjs
}

step "setup (scripts/setup.sh --test)" "$ROOT/scripts/setup.sh" --test
step "ui: svelte-check, eslint, prettier, unit tests (npm run check, lint, format:check, test)" ui_check_and_test
step "ui: build (npm run build -> ui/dist)" ui_build
step "rust: cargo fmt --check" cargo fmt --all --check
# Lints: [workspace.lints] in Cargo.toml, every warning an error.
step "rust: cargo clippy --workspace --all-targets -- -D warnings" cargo clippy --workspace --all-targets -- -D warnings
# --workspace covers every member, src-tauri (agent-inbox, whose tests use
# Tauri's mock runtime) included, whatever default-members says.
step "rust: cargo test --workspace" cargo test --workspace
step "rust: keychain tests against a real Secret Service (cargo test --workspace -- --ignored)" keychain_tests
step "rust: build inboxd, inbox-sim and the desktop app" cargo build -p inboxd -p inbox-sim -p agent-inbox
step "e2e: browser (inboxd + Chromium)" browser_e2e
step "e2e: desktop (agent-inbox under Xvfb via tauri-driver)" desktop_e2e

summary
echo "test-all: all $STEP_NO steps passed"
cleanup_tmp
