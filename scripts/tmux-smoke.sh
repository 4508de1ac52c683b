#!/usr/bin/env bash
# Start the real app in a tmux pane, press keys, read the screen back and check
# that the epoch advanced and a run reaches its target.
#
#   scripts/tmux-smoke.sh [WIDTH HEIGHT]        (default 100 30)
#
# Exits 0 on success; prints the last screen either way.
set -euo pipefail

width=${1:-100}
height=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$here/.venv/bin/python}
session="rnn-tui-smoke-$$"

cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; }
trap cleanup EXIT

screen() { tmux capture-pane -p -t "$session"; }

# Wait up to $2 seconds for the pane to show text matching $1.
wait_for() {
    local pattern=$1 seconds=${2:-10} tries
    tries=$((seconds * 10))
    for ((i = 0; i < tries; i++)); do
        if screen | grep -qE "$pattern"; then
            return 0
        fi
        sleep 0.1
    done
    echo "timed out waiting for: $pattern" >&2
    screen >&2
    return 1
}

tmux new-session -d -s "$session" -x "$width" -y "$height" \
    "cd '$here' && '$python' -c 'from rnn_tui.ui.app import run_app; from rnn_tui.engine import PRESETS; run_app(PRESETS[\"seed-linear\"].config.replace(epochs=2000), \"seed-linear\")'"

# The status line writes "epoch 3 / 2 000" when wide, "epoch 3/2 000" at 100 columns
# and "epoch 3" (padded) at 80: the number followed by a slash or two spaces.
epoch() { echo "epoch $1(/| / |  )"; }

wait_for "$(epoch 0)" 20
tmux send-keys -t "$session" space space space
wait_for "$(epoch 3)"
tmux send-keys -t "$session" Left
wait_for "$(epoch 2)"
tmux send-keys -t "$session" r
wait_for "Reached epoch 2 000" 20
tmux send-keys -t "$session" q
sleep 0.5
echo "tmux smoke test passed at ${width}x${height}"
