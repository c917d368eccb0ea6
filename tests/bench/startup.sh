#!/usr/bin/env bash
# Start-up to /healthz answering, and idle RSS, per build, alternating the builds round by round so that a noisy
# host hits them alike; prints the median and the range of each. Two cases per build and round:
#   fresh   - an empty data folder (every migration runs, the catalogue and meetings are seeded)
#   restart - the data folder the fresh start left (what an operator's restart or an upgrade without migrations meets)
#   bash tests/bench/startup.sh LABEL=BOT_OUTPUT_DIR [LABEL=BOT_OUTPUT_DIR ...]
# e.g. bash tests/bench/startup.sh jit=bot/bin/Release/net10.0 r2r=/tmp/r2r
#   (r2r: dotnet publish bot -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /tmp/r2r)
# ROUNDS (default 5). Loopback only, port 5993; each start is bounded (10 s) and stopped after RSS is read.
set -euo pipefail
rounds="${ROUNDS:-5}" port=5993
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

ms() { date +%s%3N; }

start_once() { # dir data-folder -> "startup_ms rss_mb"
  local t0 t1
  t0="$(ms)"
  env -C "$1" ASPNETCORE_ENVIRONMENT=Production dotnet Rollout.Bot.dll --urls "http://127.0.0.1:$port" --DataFolder "$2" \
    --MicrosoftAppId= --Logging:LogLevel:Default=Warning >>"$2.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1000); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.01; done
  t1="$(ms)"
  sleep 3
  local rss
  rss="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo "$((t1 - t0)) $rss"
}

declare -A fresh restart rss
for round in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    label="${spec%%=*}" dir="$(cd "${spec#*=}" && pwd)"
    data="$work/$label-$round"
    read -r f r1 < <(start_once "$dir" "$data")
    read -r r r2 < <(start_once "$dir" "$data")
    fresh[$label]+="$f " restart[$label]+="$r " rss[$label]+="$r2 "
  done
done

stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {printf "%d (%d-%d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $rounds rounds, builds alternating"
echo "| build | fresh start to /healthz, ms: median (range) | restart to /healthz, ms | idle RSS after restart, MB |"
echo "|---|---:|---:|---:|"
for spec in "$@"; do
  label="${spec%%=*}"
  echo "| $label | $(stats "${fresh[$label]}") | $(stats "${restart[$label]}") | $(stats "${rss[$label]}") |"
done
