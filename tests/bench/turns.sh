#!/usr/bin/env bash
# Write and read turns through Microsoft's own channel side (botbuilder ChannelServiceRoutes, channel-botbuilder.js),
# side by side in one run: each bot build given, then the botbuilder-js echo bot through the same channel.
#   bash tests/bench/turns.sh LABEL=BOT_OUTPUT_DIR [LABEL=BOT_OUTPUT_DIR ...]
# e.g. bash tests/bench/turns.sh base=/tmp/perf-base/bot/bin/Release/net10.0 new=bot/bin/Release/net10.0
# Per build: start-up to /healthz answering (ms), idle RSS after start (MB), then `/comment #1 …` (a write turn: one
# comment row and its history, in a transaction) and `/help` (read-only) under wrk. Loopback only; bounded:
# WARMUP (default 10s) + DURATION (default 15s) per row, CONNECTIONS=10 over 10 conversations.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
duration="${DURATION:-15s}" warmup="${WARMUP:-10s}" connections="${CONNECTIONS:-10}"
# shellcheck source=channel-env.sh
source "$here/channel-env.sh"
ms() { date +%s%3N; }

post() { # user text
  curl -sf -XPOST -H 'content-type: application/json' "http://127.0.0.1:$bot_port/api/messages" -d \
    "{\"type\":\"message\",\"id\":\"seed-$RANDOM$RANDOM\",\"channelId\":\"bench\",\"serviceUrl\":\"$channel_url\",\"from\":{\"id\":\"$1\"},\"recipient\":{\"id\":\"bot\"},\"conversation\":{\"id\":\"seed-$1\"},\"text\":\"$2\"}" >/dev/null
}

rows=()
loads=0
load() { # label port text
  # Activity ids are unique per row: the bot drops an id it has already seen (channel re-sends), so a row reusing
  # another row's ids would measure the de-duplicator, not the turn.
  loads=$((loads + 1))
  wrk -t2 -c"$connections" -d"$warmup" -s "$here/message.lua" "http://127.0.0.1:$2" -- "$channel_url" "$1-$loads-warm" "$3" >/dev/null
  sleep 1
  local before after out
  before="$(curl -sf "http://127.0.0.1:$channel_port/count" | sed 's/[^0-9]//g')"
  out="$(wrk -t2 -c"$connections" -d"$duration" --latency -s "$here/message.lua" "http://127.0.0.1:$2" -- "$channel_url" "$1-$loads-run" "$3")"
  after="$(curl -sf "http://127.0.0.1:$channel_port/count" | sed 's/[^0-9]//g')"
  local rps p50 p99 secs
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"; p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  secs="$(sed -n 's/.* requests in \([0-9.]*\)s,.*/\1/p' <<<"$out")"
  rows+=("| $1 | \`$3\` | $rps | $(awk -v n="$((after - before))" -v t="$secs" 'BEGIN {printf "%.0f", n / t}') | $p50 | $p99 | $(grep -o 'http_errors=[0-9]* socket_errors=[0-9]*' <<<"$out") |")
}

for spec in "$@"; do
  label="${spec%%=*}" dir="$(cd "${spec#*=}" && pwd)"
  mkdir -p "$work/$label"
  t0="$(ms)"
  env -C "$dir" ASPNETCORE_ENVIRONMENT=Production dotnet Rollout.Bot.dll --urls "http://127.0.0.1:$bot_port" --DataFolder "$work/$label" \
    --MicrosoftAppId= --Roles:Coordinators:0=bench-coord --Logging:LogLevel:Default=Warning >"$work/$label.log" 2>&1 &
  pids+=("$!")
  wait_url "http://127.0.0.1:$bot_port/healthz"
  startup=$(( $(ms) - t0 ))
  sleep 5
  rss="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/${pids[-1]}/status")"
  rows+=("| $label | start to /healthz | $startup ms | idle RSS $rss MB | | | |")
  # Newer builds want new-component=yes for a component not in the catalogue, older ones refuse the key: one opens #1.
  for flag in " new-component=yes" ""; do
    post bench-coord "/release new component=cream version=1.2.3 stack=glite type=minor notes=https://rel.example.org/notes changelog=https://rel.example.org/changes cert=https://rel.example.org/cert$flag"
  done
  # /help first: each /comment queues a notice to the ticket's opener, and that outbox backlog (rate-limited to 7 a
  # second into one conversation) is still being worked off for minutes afterwards.
  load "$label" "$bot_port" "/help"
  load "$label" "$bot_port" "/comment #1 a bench comment"
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
done

BOT_PORT=$echo_port NODE_ENV=production node "$here/echo-bot.js" >"$work/echo.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 250); do (exec 3<>"/dev/tcp/127.0.0.1/$echo_port") 2>/dev/null && break; sleep 0.02; done
load botbuilder-js-echo "$echo_port" "/help"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared with other work: compare rows of one run only)"
echo "| target | turn | requests/s | replies/s at the channel | p50 | p99 | errors |"
echo "|---|---|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
