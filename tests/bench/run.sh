#!/usr/bin/env bash
# Throughput baseline for POST /api/messages (a benchmark, not a test; not run by CI):
#   1. Rollout.Bot (Release, anonymous, temp data folder, logging at Warning) answering /help,
#   2. Bot Framework's JS SDK (botbuilder CloudAdapter, no app id) echoing the same message,
#   3. an empty Kestrel endpoint (the ceiling).
# Both bots reply through the Connector to a local Node channel that counts the replies.
# Usage: bash tests/bench/run.sh   (DURATION=20s WARMUP=30s CONNECTIONS=10 THREADS=2 override the defaults;
#        BOT_ENV="DOTNET_gcServer=0" passes runtime settings to Rollout.Bot for experiments;
#        TARGETS="rollout-bot empty-kestrel" runs only those)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# A long warm-up: .NET tiers its JIT up while the load runs, and on a busy 2-core box that takes 20-30 s.
duration="${DURATION:-20s}" warmup="${WARMUP:-30s}" connections="${CONNECTIONS:-10}" threads="${THREADS:-2}"
channel_port=5980 rollout_port=5978 echo_port=5981 empty_port=5982 floor_port=5983
channel_url="http://127.0.0.1:$channel_port/"
targets=" ${TARGETS:-rollout-bot botbuilder-js floor-dotnet channel-alone empty-kestrel} "
wants() { [[ "$targets" == *" $1 "* ]]; }

for tool in wrk node npm dotnet curl; do
  command -v "$tool" >/dev/null || { echo "The bench needs '$tool' (wrk: apt-get install -y wrk)." >&2; exit 1; }
done

for port in "$channel_port" "$rollout_port" "$echo_port" "$empty_port" "$floor_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (another bot or bench?): stop that process first." >&2
    exit 1
  fi
done

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== load average at the start: $(cut -d" " -f1-3 /proc/loadavg)"
echo "== building (Release) and installing the Node peers"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$root/bot/Rollout.Bot.csproj" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build "$here/empty.cs" -c Release -v quiet -nologo >"$work/build-empty.log" 2>&1 || { cat "$work/build-empty.log"; exit 1; }
empty_dll="$(dotnet build "$here/empty.cs" -c Release -getProperty:TargetPath)"
dotnet build "$here/floor.cs" -c Release -v quiet -nologo >"$work/build-floor.log" 2>&1 || { cat "$work/build-floor.log"; exit 1; }
floor_dll="$(dotnet build "$here/floor.cs" -c Release -getProperty:TargetPath)"
(cd "$here" && npm ci --no-audit --no-fund --silent)

wait_port() { # port name
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$2 did not start listening on port $1 (see $work/$2.log)" >&2
  cat "$work/$2.log" >&2
  exit 1
}

start() { # name port command...
  local name="$1" port="$2"
  shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  wait_port "$port" "$name"
}

stop_last() { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

replies() { curl -sf "http://127.0.0.1:$channel_port/count" | sed -n 's/.*"received":\([0-9]*\).*/\1/p'; }

# Replies may still be queued when wrk stops (Rollout.Bot sends them after answering the POST): wait until the
# channel's count holds still for 0.5 s (at most 60 s). Prints the count and how long the queue took to drain.
settle() {
  local last now waited=0
  last="$(replies)"
  for _ in $(seq 1 120); do
    sleep 0.5
    now="$(replies)"
    [ "$now" = "$last" ] && break
    last="$now"
    waited=$((waited + 5))
  done
  echo "$last $((waited / 10)).$((waited % 10))"
}

# CPU seconds a process used so far (user + system), from /proc: shows where the two cores went.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }

rows=()
measure() { # name port [text] [path] [conversations]
  local name="$1" port="$2" text="${3-/help}" path="${4:-/api/messages}" conversations="${5:-10}" server="${pids[-1]}" channel="${pids[0]}"
  local before mid after drain line rps reply_rps seconds p50 p99 requests errors server_cpu channel_cpu per_request rss var
  echo "== $name: warm-up $warmup"
  wrk -t"$threads" -c"$connections" -d"$warmup" -s "$here/message.lua" "http://127.0.0.1:$port" -- "$channel_url" "$name-warmup" "$text" "$path" "$conversations" >/dev/null
  read -r before _ <<<"$(settle)"
  server_cpu="$(cpu_seconds "$server")" channel_cpu="$(cpu_seconds "$channel")"
  echo "== $name: measuring $duration at $connections connections"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/message.lua" "http://127.0.0.1:$port" -- "$channel_url" "$name-run" "$text" "$path" "$conversations" \
    | tee "$work/$name.wrk"
  mid="$(replies)"
  read -r after drain <<<"$(settle)"
  server_cpu="$(awk -v a="$server_cpu" -v b="$(cpu_seconds "$server")" 'BEGIN {printf "%.1f", b - a}')"
  channel_cpu="$(awk -v a="$channel_cpu" -v b="$(cpu_seconds "$channel")" 'BEGIN {printf "%.1f", b - a}')"
  rss="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$server/status")"
  line="$(grep '^BENCH ' "$work/$name.wrk")"
  rps="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/$name.wrk")"
  # Replies the channel got while the load ran: the round trips per second actually completed.
  seconds="$(sed -n 's/.* requests in \([0-9.]*\)s,.*/\1/p' "$work/$name.wrk")"
  reply_rps="$(awk -v n="$((mid - before))" -v t="$seconds" 'BEGIN {printf "%.0f", (t > 0 ? n / t : 0)}')"
  p50="$(awk '$1 == "50%" {print $2}' "$work/$name.wrk")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/$name.wrk")"
  requests="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' <<<"$line")"
  errors="$(sed -n 's/.*http_errors=\([0-9]*\) socket_errors=\([0-9]*\).*/\1 http, \2 socket/p' <<<"$line")"
  per_request="$(awk -v c="$server_cpu" -v n="$requests" 'BEGIN {printf "%.0f", (n > 0 ? c * 1e6 / n : 0)}')"
  rows+=("| $name | $rps | $reply_rps | $p50 | $p99 | $requests | $((after - before)) | ${drain}s | $server_cpu | $per_request | $rss | $channel_cpu | $errors |")
  var="${name//[^a-z]/_}"
  printf -v "${var}_rps" '%s' "$rps"
  printf -v "${var}_reply_rps" '%s' "$reply_rps"
  printf -v "${var}_p99_us" '%s' "$(sed -n 's/.*p99_us=\([0-9]*\).*/\1/p' <<<"$line")"
}

start channel "$channel_port" env CHANNEL_PORT="$channel_port" node "$here/channel.js"

if wants rollout-bot; then
mkdir -p "$work/data"
# Run from its output folder (its content root, where appsettings.json is); the command line wins over that file.
bot_dir="$root/bot/bin/Release/net10.0"
start rollout-bot "$rollout_port" env -C "$bot_dir" ASPNETCORE_ENVIRONMENT=Production ${BOT_ENV:-} \
  dotnet Rollout.Bot.dll --urls "http://127.0.0.1:$rollout_port" --DataFolder "$work/data" --MicrosoftAppId= \
  --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.AspNetCore=Warning
measure rollout-bot "$rollout_port"
# Diagnostic row: the same turn with empty text, which the bot answers with nothing, so no Connector call.
measure rollout-bot-noreply "$rollout_port" ""
# Diagnostic row: replies leave through 8 ordered lanes keyed by conversation; 64 conversations fill all of them.
measure rollout-bot-64conv "$rollout_port" "/help" "/api/messages" 64
stop_last
fi

if wants botbuilder-js; then
start botbuilder-js "$echo_port" env BOT_PORT="$echo_port" NODE_ENV=production node "$here/echo-bot.js"
measure botbuilder-js "$echo_port"
stop_last
fi

# Diagnostic row: the least a .NET bot can do for the same round trip (parse, post a /help-sized reply, answer).
if wants floor-dotnet; then
start floor-dotnet "$floor_port" env ASPNETCORE_URLS="http://127.0.0.1:$floor_port" REPLY_BYTES="${REPLY_BYTES:-3000}" dotnet "$floor_dll"
measure floor-dotnet "$floor_port"
stop_last
fi

# Diagnostic row: the local channel alone taking Connector calls, the most replies per second it can count.
if wants channel-alone; then measure channel-alone "$channel_port" "/help" "/v3/conversations/bench/activities"; fi

if wants empty-kestrel; then
start empty-kestrel "$empty_port" env ASPNETCORE_URLS="http://127.0.0.1:$empty_port" dotnet "$empty_dll"
measure empty-kestrel "$empty_port"
stop_last
fi

echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews every row)"
echo "$(nproc) cores, $(dotnet --version) SDK, node $(node --version), wrk -t$threads -c$connections -d$duration --latency (after $warmup warm-up)"
echo
echo "| target | requests/s | replies/s during load | p50 | p99 | requests | replies at channel | reply drain | server CPU s | server CPU µs/request | server RSS MB | channel CPU s | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "MISSED"; fi; }
wants rollout-bot && wants botbuilder-js && wants empty-kestrel || exit 0
# Throughput for the targets is round trips: the lower of requests/s and replies/s during the load.
rb=$(( rollout_bot_rps < rollout_bot_reply_rps ? rollout_bot_rps : rollout_bot_reply_rps ))
js=$(( botbuilder_js_rps < botbuilder_js_reply_rps ? botbuilder_js_rps : botbuilder_js_reply_rps ))
echo "Rollout.Bot ≥ 2× botbuilder-js round trips/s: $(verdict "$(( rb >= 2 * js ))") ($rb vs $js)"
echo "Rollout.Bot p99 < botbuilder-js p99: $(verdict "$(( rollout_bot_p99_us < botbuilder_js_p99_us ))") (${rollout_bot_p99_us} µs vs ${botbuilder_js_p99_us} µs)"
echo "Rollout.Bot ≥ 40% of empty Kestrel requests/s: $(verdict "$(( rb * 10 >= empty_kestrel_rps * 4 ))") ($rb vs $empty_kestrel_rps)"
