#!/usr/bin/env bash
# The bot's turns against the botbuilder-js echo bot, interleaved: on a shared host whose speed drifts from minute to
# minute, a ratio is only fair between runs taken seconds apart. Both bots run at once behind one Microsoft channel
# (channel-botbuilder.js); each round measures the bot's `/help`, the echo bot, then the bot's `/comment #1 …`, for
# DURATION each, and prints every round's requests/s with the ratio to that round's echo figure, then the medians.
#   bash tests/bench/pairs.sh BOT_OUTPUT_DIR        e.g. bash tests/bench/pairs.sh bot/bin/Release/net10.0
# ROUNDS (default 5), DURATION (default 8s), WARMUP (default 8s), CONNECTIONS=10 over 10 conversations. Loopback only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$1" && pwd)"
rounds="${ROUNDS:-5}" duration="${DURATION:-8s}" warmup="${WARMUP:-8s}" connections="${CONNECTIONS:-10}"
# shellcheck source=channel-env.sh
source "$here/channel-env.sh"
env -C "$dir" ASPNETCORE_ENVIRONMENT=Production dotnet Rollout.Bot.dll --urls "http://127.0.0.1:$bot_port" --DataFolder "$work/data" \
  --MicrosoftAppId= --Roles:Coordinators:0=bench-coord --Logging:LogLevel:Default=Warning >"$work/bot.log" 2>&1 &
pids+=("$!")
wait_url "http://127.0.0.1:$bot_port/healthz"
BOT_PORT=$echo_port NODE_ENV=production node "$here/echo-bot.js" >"$work/echo.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 250); do (exec 3<>"/dev/tcp/127.0.0.1/$echo_port") 2>/dev/null && break; sleep 0.02; done
curl -sf -XPOST -H 'content-type: application/json' "http://127.0.0.1:$bot_port/api/messages" -d \
  "{\"type\":\"message\",\"id\":\"seed-1\",\"channelId\":\"bench\",\"serviceUrl\":\"$channel_url\",\"from\":{\"id\":\"bench-coord\"},\"recipient\":{\"id\":\"bot\"},\"conversation\":{\"id\":\"seed\"},\"text\":\"/release new component=cream version=1.2.3 stack=glite type=minor notes=https://rel.example.org/notes changelog=https://rel.example.org/changes cert=https://rel.example.org/cert new-component=yes\"}" >/dev/null

rate() { # port text seconds tag -> requests/s. The tag makes the activity ids unique per call (the bot drops an id it
  # has seen); it is passed in, since a counter kept here would not survive the $(...) subshell each call runs in.
  wrk -t2 -c"$connections" -d"$3" -s "$here/message.lua" "http://127.0.0.1:$1" -- "$channel_url" "pair-$4" "$2" |
    awk '/^Requests\/sec:/ {printf "%.0f", $2} /Non-2xx/ {print " non-2xx!" > "/dev/stderr"}'
}
rate $bot_port "/help" "$warmup" w1 >/dev/null; rate $echo_port "/help" "$warmup" w2 >/dev/null; rate $bot_port "/comment #1 warm" "$warmup" w3 >/dev/null

echo "| round | bot /help req/s | echo bot req/s | bot /comment req/s | /help ÷ echo | /comment ÷ echo |"
echo "|---:|---:|---:|---:|---:|---:|"
helps=() comments=()
for round in $(seq 1 "$rounds"); do
  h="$(rate $bot_port "/help" "$duration" "$round-h")"; e="$(rate $echo_port "/help" "$duration" "$round-e")"
  c="$(rate $bot_port "/comment #1 a bench comment" "$duration" "$round-c")"
  hr="$(awk -v a="$h" -v b="$e" 'BEGIN {printf "%.2f", a / b}')"; cr="$(awk -v a="$c" -v b="$e" 'BEGIN {printf "%.2f", a / b}')"
  helps+=("$hr") comments+=("$cr")
  echo "| $round | $h | $e | $c | $hr | $cr |"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median /help ÷ echo: $(median "${helps[@]}"); median /comment ÷ echo: $(median "${comments[@]}"); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
