# Sourced by turns.sh and pairs.sh: their ports, a work folder and process list cleaned up on exit, a URL waiter, and
# Microsoft's channel side (channel-botbuilder.js) started on channel_port. Expects $here (the bench folder).
channel_port=5990 bot_port=5991 echo_port=5992
channel_url="http://127.0.0.1:$channel_port/"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_url() { for _ in $(seq 1 1500); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.02; done; echo "$1 never answered" >&2; exit 1; }

(cd "$here" && [ -d node_modules ] || npm ci --no-audit --no-fund --silent)
CHANNEL_PORT=$channel_port node "$here/channel-botbuilder.js" >"$work/channel.log" 2>&1 &
pids+=("$!")
wait_url "http://127.0.0.1:$channel_port/count"
