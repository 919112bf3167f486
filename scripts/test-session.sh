#!/usr/bin/env bash
# Run a command inside a throw-away desktop session: to be started under
# `dbus-run-session` (and `xvfb-run` for GUI tests) with HOME and
# XDG_RUNTIME_DIR pointing at fresh temporary directories, so nothing touches
# the user's real keychain or notification daemon.
#
#   dbus-run-session -- scripts/test-session.sh [--notify LOGFILE] -- CMD [ARGS...]
#
# It unlocks a new gnome-keyring (Secret Service) with the password "pw", and
# with --notify also starts dunst (the notification server) and logs every
# org.freedesktop.Notifications D-Bus message to LOGFILE (exported to CMD as
# NOTIFY_LOG). Everything it started is stopped when CMD ends; CMD's exit
# status is returned.
set -euo pipefail

notify_log=""
while [ $# -gt 0 ]; do
  case "$1" in
    --notify) notify_log="$2"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "test-session: no command given" >&2; exit 2; }

say() { printf 'test-session: %s\n' "$*"; }
die() { printf 'test-session: ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || die "no D-Bus session bus: run me under dbus-run-session"
case "${HOME:-}" in /tmp/*|"${TMPDIR:-/tmp}"/*) ;; *) die "HOME ($HOME) is not a temporary directory; refusing to touch a real keychain" ;; esac
[ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] || die "XDG_RUNTIME_DIR is not set to a directory"

pids=()
keyring_pid=""
cleanup() {
  local p
  for p in "${pids[@]}" $keyring_pid; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}" $keyring_pid; do
    # wait only works for our own children; poll the others briefly.
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
}
trap cleanup EXIT

bus_pid_of() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID "string:$1" 2>/dev/null | awk '/uint32/ {print $2}' || true
}

# --- keychain ----------------------------------------------------------------
command -v gnome-keyring-daemon >/dev/null || die "gnome-keyring-daemon not found (package gnome-keyring; run scripts/setup.sh --test)"
out="$(echo -n pw | gnome-keyring-daemon --unlock --components=secrets)"
while IFS= read -r line; do
  case "$line" in *=*) export "${line?}" ;; esac
done <<<"$out"
for _ in $(seq 1 50); do
  keyring_pid="$(bus_pid_of org.freedesktop.secrets)"
  [ -n "$keyring_pid" ] && break
  sleep 0.1
done
[ -n "$keyring_pid" ] || die "gnome-keyring-daemon did not take org.freedesktop.secrets on the session bus"
say "gnome-keyring unlocked (pid $keyring_pid)"

# --- notifications -------------------------------------------------------------
if [ -n "$notify_log" ]; then
  [ -n "${DISPLAY:-}" ] || die "--notify needs an X display (run under xvfb-run)"
  command -v dunst >/dev/null || die "dunst not found (package dunst; run scripts/setup.sh --test)"
  mkdir -p "$(dirname "$notify_log")"
  : >"$notify_log"
  export NOTIFY_LOG="$notify_log"

  dbus-monitor --session "interface='org.freedesktop.Notifications'" >"$notify_log" 2>&1 &
  pids+=($!)

  dunstrc="$HOME/dunstrc"
  cat >"$dunstrc" <<'EOF'
[global]
    follow = none
    timeout = 30
    startup_notification = false
[urgency_low]
    timeout = 30
[urgency_normal]
    timeout = 30
[urgency_critical]
    timeout = 30
EOF
  dunst -config "$dunstrc" >"$HOME/dunst.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do
    [ -n "$(bus_pid_of org.freedesktop.Notifications)" ] && break
    sleep 0.1
  done
  [ -n "$(bus_pid_of org.freedesktop.Notifications)" ] \
    || { cat "$HOME/dunst.log" >&2 || true; die "dunst did not take org.freedesktop.Notifications"; }
  say "dunst running; notifications logged to $notify_log"
fi

set +e
"$@"
rc=$?
set -e
exit "$rc"
