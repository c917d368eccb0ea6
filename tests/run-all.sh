#!/usr/bin/env bash
# The one test command (README, CI): build once, run the xunit suite, then every Node test folder that exists.
# Keeps going after a failing step so one run reports everything, and exits non-zero if any step failed.
# Ends with "N passed, N failed" alone on a line: xunit and Node counts added up.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
configuration="${CONFIGURATION:-Debug}"
results="$root/tests/TestResults"
rm -rf "$results"
mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The Node test folders start the bot from this build; they read these to find it.
export ROLLOUT_BOT_CONFIGURATION="$configuration"
export ROLLOUT_BOT_DLL="$root/bot/bin/$configuration/net10.0/Rollout.Bot.dll"

passed=0
failed=0
broken_steps=()

step() { printf '\n==== %s\n' "$*"; }

# Adds the counts a runner printed; a step that failed without printing counts still counts as one failure.
add_counts() { # name exit-code passed failed
  passed=$((passed + $3))
  failed=$((failed + $4))
  if [ "$2" -ne 0 ]; then
    broken_steps+=("$1")
    if [ "$4" -eq 0 ]; then failed=$((failed + 1)); fi
  fi
}

step "dotnet restore + build ($configuration)"
if ! dotnet build Rollout.Bot.sln -c "$configuration" 2>&1 | tee "$results/build.log"; then
  add_counts "build" 1 0 0
  echo "The build failed: no test ran (see tests/TestResults/build.log)."
  echo "${passed} passed, ${failed} failed"
  exit 1
fi

step "xunit: tests/Rollout.Bot.Tests"
dotnet test tests/Rollout.Bot.Tests/Rollout.Bot.Tests.csproj -c "$configuration" --no-build \
  --results-directory "$results" --logger "trx;LogFileName=xunit.trx" --logger "console;verbosity=normal" \
  2>&1 | tee "$results/xunit.log"
xunit_exit=${PIPESTATUS[0]}
# The TRX counters are the most stable place to read counts from; the console summary is the fallback.
trx="$results/xunit.trx"
if [ -f "$trx" ] && grep -q '<Counters ' "$trx"; then
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  x_passed="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  x_failed="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  x_errors="$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")"
  x_timeout="$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")"
  x_failed=$(( ${x_failed:-0} + ${x_errors:-0} + ${x_timeout:-0} ))
else
  x_passed="$(grep -oE 'Passed: +[0-9]+' "$results/xunit.log" | grep -oE '[0-9]+' | tail -n1)"
  x_failed="$(grep -oE 'Failed: +[0-9]+' "$results/xunit.log" | grep -oE '[0-9]+' | tail -n1)"
fi
echo "xunit: ${x_passed:-0} passed, ${x_failed:-0} failed (exit $xunit_exit)"
# Named again at the very end, where a CI record that keeps only the tail of the output still shows them.
failed_tests=""
if [ -f "$trx" ]; then
  failed_tests="$(grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/\1/p')"
fi
add_counts "xunit" "$xunit_exit" "${x_passed:-0}" "${x_failed:-0}"

# Node's test runner prints "# pass N" (TAP) or "ℹ pass N" (spec); mocha prints "N passing" / "N failing".
node_count() { # log-file pass|fail
  local file="$1" what="$2" mocha n
  n="$(grep -aoE "^(# |ℹ )${what} [0-9]+" "$file" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')"
  if [ "$n" -eq 0 ]; then
    if [ "$what" = pass ]; then mocha=passing; else mocha=failing; fi
    n="$(grep -aoE "^ *[0-9]+ ${mocha}" "$file" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')"
  fi
  echo "$n"
}

for suite in tests/manifest tests/interop; do
  [ -f "$suite/package.json" ] || { echo; echo "(no $suite/package.json: skipped)"; continue; }
  name="$(basename "$suite")"
  log="$results/node-$name.log"
  step "npm ci: $suite"
  if ! (cd "$suite" && npm ci --no-audit --no-fund) 2>&1 | tee "$results/npm-ci-$name.log"; then
    add_counts "npm ci $suite" 1 0 0
    continue
  fi
  step "npm test: $suite"
  (cd "$suite" && npm test) 2>&1 | tee "$log"
  node_exit=${PIPESTATUS[0]}
  n_passed="$(node_count "$log" pass)"
  n_failed="$(node_count "$log" fail)"
  echo "$suite: $n_passed passed, $n_failed failed (exit $node_exit)"
  add_counts "npm test $suite" "$node_exit" "$n_passed" "$n_failed"
done

echo
if [ "${#broken_steps[@]}" -gt 0 ]; then
  echo "Failed steps: ${broken_steps[*]} (logs in tests/TestResults/)"
fi
if [ -n "$failed_tests" ]; then
  echo "Failed xunit tests:"
  sed 's/^/  /' <<<"$failed_tests"
fi
echo "${passed} passed, ${failed} failed"
[ "${#broken_steps[@]}" -eq 0 ] && [ "$failed" -eq 0 ]
