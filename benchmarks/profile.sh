#!/usr/bin/env bash
# Where the receiver's CPU goes: starts the sample receiver on one store (pinned to core 0, as benchmarks/ingest.sh
# does), creates a 1Win set and $CLICKS clicks, drives it with wrk on core 1 with the ingest benchmark's deposits, and
# while wrk runs samples the receiver's CPU with perf (cpu-clock, 999 Hz, call graphs; .NET writes /tmp/perf-<pid>.map so
# JIT-compiled frames have names; ReadyToRun is off so framework code is JIT-compiled and named too, and W^X is off so
# perf reads JIT code from that map rather than from the anonymous double mapping) and reads the process CPU time. Prints the postbacks/s, the CPU time per postback, and
# the top frames by exclusive ("self") and inclusive ("children") CPU; keeps perf.data in $OUT_DIR. perf samples CPU,
# where dotnet-trace's sampled thread time mostly shows threads waiting.
#
# Usage: benchmarks/profile.sh [sqlite|postgresql|inmemory]      (default sqlite; postgresql needs PG_CONNECTION)
# Knobs: CONNECTIONS=64 DURATION=20 WARMUP=10 CLICKS=1000 TOP=25 OUT_DIR=artifacts/profiles PG_CONNECTION=…
# Needs: wrk, taskset, curl, perf (Debian: linux-perf).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
STORE="${1:-sqlite}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
CLICKS="${CLICKS:-1000}"
TOP="${TOP:-25}"
OUT_DIR="${OUT_DIR:-$root/artifacts/profiles}"
API_KEY="profile-$(date +%s)-$$"
PATH="$PATH:$HOME/.dotnet/tools"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

die() { printf 'profile.sh: %s\n' "$*" >&2; exit 1; }
for tool in wrk taskset curl perf; do command -v "$tool" >/dev/null || die "$tool is required"; done
[ "$(nproc)" -ge 2 ] || die "needs 2 cores"

work="$(mktemp -d /tmp/chatterfy-profile.XXXXXX)"
pid=""
cleanup() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

dotnet build samples/Chatterfy.Postbacks.Sample -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
sample_dir="$root/artifacts/bin/Chatterfy.Postbacks.Sample/release"
case "$STORE" in
  sqlite) store_args=(--Postbacks:Store=Sqlite --Postbacks:Sqlite:DataSource="$work/postbacks.db" --Postbacks:Sqlite:Synchronous=Full) ;;
  postgresql) [ -n "${PG_CONNECTION:-}" ] || die "set PG_CONNECTION"; store_args=(--Postbacks:Store=PostgreSql --Postbacks:PostgreSql:ConnectionString="$PG_CONNECTION") ;;
  inmemory) store_args=(--Postbacks:Store=InMemory) ;;
  *) die "unknown store $STORE" ;;
esac

port=$((20000 + RANDOM % 40000))
(cd "$work" && ASPNETCORE_ENVIRONMENT=Production Tracker__ApiKey="$API_KEY" DOTNET_gcServer=0 DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0 \
  exec taskset -c 0 dotnet "$sample_dir/Chatterfy.Postbacks.Sample.dll" --contentRoot "$sample_dir" "${store_args[@]}" \
  --urls "http://127.0.0.1:$port") >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.5; done
curl -fs -o /dev/null "http://127.0.0.1:$port/health" || { cat "$work/server.log" >&2; die "the receiver did not start"; }

base="http://127.0.0.1:$port/api/tracker"
set_json="$(curl -fsS -X POST "$base/postback-sets" -H "X-Api-Key: $API_KEY" -H 'Content-Type: application/json' -d '{"name":"profile","network":"1win"}')"
deposit_path="$(printf '%s' "$set_json" | grep -o '"deposit":"[^"]*"' | sed -E 's/^"deposit":"https?:\/\/[^/]*([^?"]*).*/\1/')"
: >"$work/clicks.curl"
for i in $(seq 1 "$CLICKS"); do
  printf 'url = "%s/clicks"\nrequest = "POST"\nheader = "X-Api-Key: %s"\nheader = "Content-Type: application/json"\ndata = "{\\"campaignId\\":\\"bench\\",\\"subjectId\\":\\"u%d\\"}"\nwrite-out = "\\n"\n' "$base" "$API_KEY" "$i" >>"$work/clicks.curl"
  [ "$i" -lt "$CLICKS" ] && printf 'next\n' >>"$work/clicks.curl"
done
curl -sS -K "$work/clicks.curl" | grep -o '"clickId":"[^"]*"' | sed -E 's/"clickId":"([^"]*)"/\1/' >"$work/clicks.txt"

run_wrk() { taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$1s" --timeout 10s --latency -s "$root/benchmarks/ingest-deposits.lua" \
  "http://127.0.0.1:$port" -- "$deposit_path" "$work/clicks.txt" "$2"; }
run_wrk "$WARMUP" warmup >/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
mkdir -p "$OUT_DIR"
data="$OUT_DIR/$STORE-$(date -u +%Y%m%dT%H%M%SZ).perf.data"
ticks_before="$(cpu_ticks)"
run_wrk "$DURATION" measured >"$work/wrk.txt" &
wrk_pid=$!
sleep 2
taskset -c 1 perf record -e cpu-clock -F 999 -g -p "$pid" -o "$data" -- sleep $((DURATION - 5)) >"$work/perf.log" 2>&1 || { cat "$work/perf.log" >&2; die "perf record failed"; }
wait "$wrk_pid"
ticks_after="$(cpu_ticks)"
requests="$(grep -Eo '^ +[0-9]+ requests' "$work/wrk.txt" | awk '{print $1}')"
hz="$(getconf CLK_TCK)"
echo "store=$STORE requests=$requests seconds=$DURATION rps=$(awk "BEGIN{printf \"%.0f\", $requests/$DURATION}") cpu_us_per_postback=$(awk "BEGIN{printf \"%.1f\", ($ticks_after-$ticks_before)*1000000/$hz/$requests}") (trace overhead included)"
grep -E 'Latency|99%' "$work/wrk.txt" | head -3
echo "perf data: $data"
# One line a frame: the percentages and the symbol (perf pads the symbol column to its widest name; cut at 160 characters).
report() { perf report -i "$data" --stdio --no-demangle "$@" --sort symbol --percent-limit 0.5 2>/dev/null | grep -E '^ +[0-9]' \
  | grep -v ' 0x0000' | sed -E 's/ +$//; s/\[(OptimizedTier1|QuickJitted|Optimized|Tier0|Tier1|Instrumented Tier1)\]//' | cut -c1-160 | head -n "$TOP"; }
echo "== CPU by binary (kernel, SQLite, JIT-compiled .NET code, the runtime, libc)"
perf report -i "$data" --stdio --no-children --sort dso -g none 2>/dev/null | grep -E '^ +[0-9]' | sed -E 's/ +$//' | head -n 10 || true
echo "== top $TOP frames by exclusive CPU (self)"
report --no-children -g none || true
echo "== top $TOP frames by inclusive CPU (children)"
report --children -g none || true
