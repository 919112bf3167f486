#!/usr/bin/env bash
# Build and start the Agent Inbox desktop app. With no account configured it
# opens in demo mode (a built-in provider simulator fills the inbox).
#
#   scripts/run-app.sh [app arguments...]
#
# AGENT_INBOX_DEMO=0 scripts/run-app.sh starts without demo mode.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/setup.sh"

echo "run-app: building ui/ (npm run build)"
(cd ui && npm run build --silent)

echo "run-app: cargo build -p agent-inbox"
cargo build -p agent-inbox

target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$target_dir" in /*) ;; *) target_dir="$ROOT/$target_dir" ;; esac

echo "run-app: starting $target_dir/debug/agent-inbox"
export AGENT_INBOX_DEMO="${AGENT_INBOX_DEMO:-1}"
exec "$target_dir/debug/agent-inbox" "$@"
