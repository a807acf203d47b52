#!/usr/bin/env bash
# HTTP ingest benchmark (issue 5 §2): in one run, on 127.0.0.1, with the same wrk settings for each,
#   (a) the ceiling: bare Kestrel, a minimal API with the receiver's route shape that only reads the query (200 JSON)
#   (b) the sample receiver on SQLite (synchronous=FULL, group commit)
#   (c) the sample receiver on PostgreSQL (a throw-away server started here, like .ci/run does)
#   (d) the sample receiver on the in-memory store
#   (e) two sample receivers on one PostgreSQL database, both on the receiver's core; two wrk runs at once, half the
#       connections each; the combined rate
# Before each receiver run it creates a 1Win postback set and $CLICKS clicks through the tracker API; wrk then sends
# deposit postbacks that cycle through the clicks with a fresh transaction id each (benchmarks/ingest-deposits.lua), so
# the measured path is a credited deposit. The receiver (and the ceiling) run on core 0, wrk and PostgreSQL on core 1.
# All four servers run side by side (idle but for the one under load) and the repetitions are interleaved: round r
# measures (a), (b), (c), (d) one after the other, so each round's ratios to (a) see the same machine. The table gives
# the median of each column and the median of the per-round ratios.
# Writes the table to benchmarks/results/latest.md (OUTPUT= to change) and prints it.
#
# Usage: benchmarks/ingest.sh            (about 5 minutes; needs root to install wrk/PostgreSQL when missing)
# Knobs: CONNECTIONS=64 DURATION=10 REPETITIONS=3 CLICKS=1000 WARMUP=10 SOAK=60 THREADS=1 CONFIGS="ceiling sqlite postgresql inmemory postgresql2"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-10}"
REPETITIONS="${REPETITIONS:-3}"
CLICKS="${CLICKS:-1000}"
WARMUP="${WARMUP:-10}"
SOAK="${SOAK:-60}"
THREADS="${THREADS:-1}"
CONFIGS="${CONFIGS:-ceiling sqlite postgresql inmemory postgresql2}"
OUTPUT="${OUTPUT:-$root/benchmarks/results/latest.md}"
RECEIVER_CORE=0
CLIENT_CORE=1
API_KEY="bench-$(date +%s)-$$"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'ingest.sh: %s\n' "$*" >&2; exit 1; }

# ---- tools -----------------------------------------------------------------------------------------------------------
command -v taskset >/dev/null || die "taskset (util-linux) is required"
command -v curl >/dev/null || die "curl is required"
if [ "$(nproc)" -lt 2 ]; then die "needs 2 cores: the receiver on core 0, wrk on core 1"; fi
if ! command -v wrk >/dev/null 2>&1; then
  [ "$(id -u)" = "0" ] || die "wrk is not installed (apt-get install wrk, as root)"
  log "installing wrk from Debian's packages"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

work="$(mktemp -d /tmp/chatterfy-ingest.XXXXXX)"
declare -A server_pids ports
server_pid=""
pg_dir=""
pg_bin=""

stop_server() {
  local pid="$1"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
as_postgres() { (cd "$pg_dir" && runuser -u postgres -- "$@"); }
stop_postgres() {
  if [ -n "$pg_dir" ] && [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do stop_server "$pid"; done
  stop_postgres
  rm -rf "$work"
  if [ -n "$pg_dir" ]; then rm -rf "$pg_dir"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

# ---- build -----------------------------------------------------------------------------------------------------------
log "building the sample receiver and the ceiling (Release)"
dotnet build samples/Chatterfy.Postbacks.Sample -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
dotnet build benchmarks/Chatterfy.Postbacks.Ceiling -c Release -v quiet -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; die "build failed"; }
sample_dir="$root/artifacts/bin/Chatterfy.Postbacks.Sample/release"
ceiling_dir="$root/artifacts/bin/Chatterfy.Postbacks.Ceiling/release"
[ -f "$sample_dir/Chatterfy.Postbacks.Sample.dll" ] || die "sample not built in $sample_dir"
[ -f "$ceiling_dir/Chatterfy.Postbacks.Ceiling.dll" ] || die "ceiling not built in $ceiling_dir"

# ---- PostgreSQL ------------------------------------------------------------------------------------------------------
start_postgres() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    pg_bin="$(dirname "$(readlink -f "$(command -v initdb)")")"
  else
    for candidate in /usr/lib/postgresql/*/bin; do
      if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then pg_bin="$candidate"; fi
    done
  fi
  if [ -z "$pg_bin" ]; then
    [ "$(id -u)" = "0" ] || die "PostgreSQL is not installed"
    log "installing PostgreSQL from Debian's packages"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    for candidate in /usr/lib/postgresql/*/bin; do
      if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then pg_bin="$candidate"; fi
    done
  fi
  [ -n "$pg_bin" ] || die "PostgreSQL server binaries (initdb, pg_ctl) were not found"
  [ "$(id -u)" = "0" ] || die "starting PostgreSQL as the postgres user needs root (runuser)"
  pg_dir="$(mktemp -d /tmp/chatterfy-ingest-pg.XXXXXX)"
  chown postgres:postgres "$pg_dir"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }
  local port
  port="$(free_port)"
  # Durable like the SQLite run: fsync and synchronous_commit stay on (the defaults). Pinned to the client's core.
  as_postgres taskset -c "$CLIENT_CORE" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=on -c synchronous_commit=on -c max_connections=200" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
  as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE postbacks_bench" >/dev/null
  as_postgres "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE postbacks_bench2" >/dev/null
  pg_connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=postbacks_bench"
  pg_connection2="Host=127.0.0.1;Port=$port;Username=postgres;Database=postbacks_bench2"
  pg_version="$("$pg_bin/postgres" --version | awk '{print $3}')"
  log "PostgreSQL $pg_version on 127.0.0.1:$port (core $CLIENT_CORE)"
}

# ---- one configuration -----------------------------------------------------------------------------------------------
# start_server NAME: starts the ceiling or the sample on its store, pinned to the receiver's core; records its pid and port.
start_server() {
  local name="$1" data="$work/$1"
  mkdir -p "$data"
  port="$(free_port)"
  local -a command
  case "$name" in
    ceiling)
      command=(dotnet "$ceiling_dir/Chatterfy.Postbacks.Ceiling.dll" --contentRoot "$ceiling_dir") ;;
    sqlite)
      command=(dotnet "$sample_dir/Chatterfy.Postbacks.Sample.dll" --contentRoot "$sample_dir"
        --Postbacks:Store=Sqlite --Postbacks:Sqlite:DataSource="$data/postbacks.db" --Postbacks:Sqlite:Synchronous=Full) ;;
    postgresql)
      command=(dotnet "$sample_dir/Chatterfy.Postbacks.Sample.dll" --contentRoot "$sample_dir"
        --Postbacks:Store=PostgreSql --Postbacks:PostgreSql:ConnectionString="$pg_connection") ;;
    inmemory)
      command=(dotnet "$sample_dir/Chatterfy.Postbacks.Sample.dll" --contentRoot "$sample_dir" --Postbacks:Store=InMemory) ;;
    postgresql2|postgresql2b)
      command=(dotnet "$sample_dir/Chatterfy.Postbacks.Sample.dll" --contentRoot "$sample_dir"
        --Postbacks:Store=PostgreSql --Postbacks:PostgreSql:ConnectionString="$pg_connection2") ;;
    *) die "unknown configuration $name" ;;
  esac
  (cd "$data" && ASPNETCORE_ENVIRONMENT=Production Tracker__ApiKey="$API_KEY" \
    exec taskset -c "$RECEIVER_CORE" "${command[@]}" --urls "http://127.0.0.1:$port") >"$data/server.log" 2>&1 &
  server_pid=$!
  server_pids[$name]=$server_pid
  ports[$name]=$port
  local probe="http://127.0.0.1:$port/health"
  [ "$name" = "ceiling" ] && probe="http://127.0.0.1:$port/api/postbacks/probe/deposit"
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$probe"; then return; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log" >&2; die "$name did not start"; }
    sleep 0.5
  done
  cat "$data/server.log" >&2
  die "$name did not answer within 60 s"
}

# prepare NAME: the deposit path (in $data/deposit-path) and the click ids (in $data/clicks.txt) for wrk.
prepare() {
  local name="$1" data="$work/$1" port="${ports[$1]}" deposit_path
  if [ "$name" = "ceiling" ]; then
    echo "/api/postbacks/AbCdEfGhIjKlMnOpQrStUv/deposit" >"$data/deposit-path"
    for i in $(seq 1 "$CLICKS"); do printf 'ceil%08d\n' "$i"; done >"$data/clicks.txt"
    return
  fi
  local base="http://127.0.0.1:$port/api/tracker"
  local set
  set="$(curl -fsS -X POST "$base/postback-sets" -H "X-Api-Key: $API_KEY" -H 'Content-Type: application/json' \
    -d '{"name":"ingest benchmark","network":"1win"}')" || die "$name: creating the postback set failed"
  deposit_path="$(printf '%s' "$set" | grep -o '"deposit":"[^"]*"' | sed -E 's/^"deposit":"https?:\/\/[^/]*([^?"]*).*/\1/')"
  case "$deposit_path" in /api/postbacks/*/deposit) ;; *) die "$name: unexpected deposit URL in $set" ;; esac
  echo "$deposit_path" >"$data/deposit-path"
  # One curl for all clicks (a config with one request per click), so creating them takes seconds, not minutes.
  : >"$data/clicks.curl"
  for i in $(seq 1 "$CLICKS"); do
    printf 'url = "%s/clicks"\nrequest = "POST"\nheader = "X-Api-Key: %s"\nheader = "Content-Type: application/json"\ndata = "{\\"campaignId\\":\\"bench\\",\\"subjectId\\":\\"u%d\\"}"\nwrite-out = "\\n"\n' \
      "$base" "$API_KEY" "$i" >>"$data/clicks.curl"
    if [ "$i" -lt "$CLICKS" ]; then printf 'next\n' >>"$data/clicks.curl"; fi
  done
  curl -sS -K "$data/clicks.curl" >"$data/clicks.json" || die "$name: creating clicks failed"
  grep -o '"clickId":"[^"]*"' "$data/clicks.json" | sed -E 's/"clickId":"([^"]*)"/\1/' >"$data/clicks.txt"
  local created
  created="$(wc -l <"$data/clicks.txt")"
  [ "$created" -eq "$CLICKS" ] || die "$name: created $created clicks, expected $CLICKS"
}

# run_wrk NAME LABEL SECONDS [CONNECTIONS]: one wrk run on the client's core; prints "rps p50_ms p99_ms requests non2xx errors".
run_wrk() {
  local name="$1" label="$2" seconds="$3" data="$work/$1" connections="${4:-$CONNECTIONS}"
  local out="$data/wrk-$label.txt"
  taskset -c "$CLIENT_CORE" wrk -t"$THREADS" -c"$connections" -d"${seconds}s" --timeout 10s --latency \
    -s "$root/benchmarks/ingest-deposits.lua" "http://127.0.0.1:${ports[$name]}" -- "$(cat "$data/deposit-path")" "$data/clicks.txt" "$label" >"$out" 2>&1 \
    || { cat "$out" >&2; die "$name: wrk failed"; }
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /requests in/ { requests = $1 }
    /Non-2xx or 3xx responses:/ { non2xx = $5 }
    /Socket errors:/ { errors = $0 }
    END { printf "%s %.2f %.2f %s %d %s\n", rps, p50, p99, requests, non2xx, (errors == "" ? "none" : "yes") }
  ' "$out"
}

# run_load NAME LABEL SECONDS: run_wrk, or for the two-instance configuration two wrk runs at once (half the connections
# each, one per instance) combined: the rates, requests and non-2xx summed, p50 and p99 the larger of the two.
run_load() {
  local name="$1" label="$2" seconds="$3"
  if [ "$name" != "postgresql2" ]; then run_wrk "$name" "$label" "$seconds"; return; fi
  # Distinct run ids, so the two wrk runs send distinct transaction ids (the same ones would be duplicates).
  run_wrk postgresql2 "$label-a" "$seconds" $((CONNECTIONS / 2)) >"$work/pair-a.txt" &
  local pid_a=$!
  run_wrk postgresql2b "$label-b" "$seconds" $((CONNECTIONS - CONNECTIONS / 2)) >"$work/pair-b.txt"
  wait "$pid_a"
  paste -d' ' "$work/pair-a.txt" "$work/pair-b.txt" | awk '{ printf "%.2f %.2f %.2f %d %d %s\n", $1 + $7, ($2 > $8 ? $2 : $8), ($3 > $9 ? $3 : $9), $4 + $10, $5 + $11, ($6 == "none" && $12 == "none" ? "none" : "yes") }'
}

# cpu_ticks NAME: the user and system CPU time the receiver(s) of a configuration have used, in clock ticks.
cpu_ticks() {
  local -a names=("$1")
  if [ "$1" = "postgresql2" ]; then names+=(postgresql2b); fi
  local total=0 name
  for name in "${names[@]}"; do
    total=$(( total + $(awk '{ print $14 + $15 }' "/proc/${server_pids[$name]}/stat") ))
  done
  echo "$total"
}

# pg_ticks: the user and system CPU time of the benchmark's PostgreSQL server (the postmaster and its backends), in clock ticks.
pg_ticks() {
  local postmaster pid total=0
  postmaster="$(head -n1 "$pg_dir/data/postmaster.pid")"
  for pid in "$postmaster" $(ps --ppid "$postmaster" -o pid= 2>/dev/null); do
    [ -r "/proc/$pid/stat" ] && total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# core_ticks: "busy total" clock ticks of cores 0 and 1 from /proc/stat (busy = all but idle and iowait), for the
# share of each core a run used, whoever used it.
core_ticks() { awk '$1 == "cpu0" || $1 == "cpu1" { t = 0; for (i = 2; i <= NF; i++) t += $i; printf "%d %d ", t - $5 - $6, t }' /proc/stat; }

# json_number JSON KEY: the first number stored under KEY (the stats' top-level counters come first).
json_number() { printf '%s' "$1" | grep -o "\"$2\":[0-9]*" | head -n1 | cut -d: -f2; }

# kib NAME KEY: a line of the server's /proc status, in KiB (VmRSS, VmHWM).
kib() { awk -v key="$2" '$1 == key":" { print $2 }' "/proc/${server_pids[$1]}/status"; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

declare -A rps p50 p99 ratio raw counted hwm soak_growth soak_note sent bad
declare -A runs_rps runs_p50 runs_p99 runs_ratio runs_cpu cpu runs_pgcpu pgcpu runs_core0 runs_core1 core0 core1
hz="$(getconf CLK_TCK)"

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for config in $CONFIGS; do
  case "$config" in postgresql|postgresql2) [ -n "$pg_bin" ] || start_postgres ;; esac
  log "$config: starting"
  start_server "$config"
  if [ "$config" = "postgresql2" ]; then
    start_server postgresql2b
    prepare "$config"
    # The second instance shares the database: the same set and clicks.
    cp "$work/postgresql2/deposit-path" "$work/postgresql2/clicks.txt" "$work/postgresql2b/"
  else
    prepare "$config"
  fi
done
for config in $CONFIGS; do
  warm="$(run_load "$config" "warmup" "$WARMUP")"
  sent[$config]="$(echo "$warm" | cut -d' ' -f4)"
  bad[$config]="$(echo "$warm" | cut -d' ' -f5)"
done

for rep in $(seq 1 "$REPETITIONS"); do
  for config in $CONFIGS; do
    ticks_before="$(cpu_ticks "$config")"
    pg_before=0; case "$config" in postgresql|postgresql2) pg_before="$(pg_ticks)" ;; esac
    read -r c0b c0t c1b c1t <<<"$(core_ticks)"
    read -r a b c d e f <<<"$(run_load "$config" "rep$rep" "$DURATION")"
    read -r c0b2 c0t2 c1b2 c1t2 <<<"$(core_ticks)"
    ticks_after="$(cpu_ticks "$config")"
    runs_core0[$config]+=" $(awk -v b=$((c0b2 - c0b)) -v t=$((c0t2 - c0t)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')"
    runs_core1[$config]+=" $(awk -v b=$((c1b2 - c1b)) -v t=$((c1t2 - c1t)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')"
    case "$config" in postgresql|postgresql2)
      runs_pgcpu[$config]+=" $(awk -v t="$(( $(pg_ticks) - pg_before ))" -v hz="$hz" -v n="$d" 'BEGIN { printf "%.1f", (n > 0 ? t * 1000000 / hz / n : 0) }')" ;;
    esac
    runs_cpu[$config]+=" $(awk -v t="$((ticks_after - ticks_before))" -v hz="$hz" -v n="$d" 'BEGIN { printf "%.1f", (n > 0 ? t * 1000000 / hz / n : 0) }')"
    runs_rps[$config]+=" $a"; runs_p50[$config]+=" $b"; runs_p99[$config]+=" $c"
    sent[$config]=$(( ${sent[$config]} + d )); bad[$config]=$(( ${bad[$config]} + e ))
    if [ "$config" = "ceiling" ]; then round_ceiling="$a"; fi
    if [ -n "${round_ceiling:-}" ]; then
      runs_ratio[$config]+=" $(awk -v x="$a" -v c="$round_ceiling" 'BEGIN { printf "%.3f", x / c }')"
    fi
    raw[$config]+="${raw[$config]:+; }$(printf '%.0f' "$a") req/s, p50 $b ms, p99 $c ms"
    [ "$e" = "0" ] || raw[$config]+=" ($e non-2xx)"
    [ "$f" = "none" ] || raw[$config]+=" (socket errors)"
    log "round $rep, $config: $a req/s, p50 $b ms, p99 $c ms, $e non-2xx"
  done
  round_ceiling=""
done

for config in $CONFIGS; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  rps[$config]="$(median ${runs_rps[$config]})"; p50[$config]="$(median ${runs_p50[$config]})"; p99[$config]="$(median ${runs_p99[$config]})"
  # shellcheck disable=SC2086
  if [ -n "${runs_ratio[$config]:-}" ]; then ratio[$config]="$(median ${runs_ratio[$config]})"; fi
  # shellcheck disable=SC2086
  cpu[$config]="$(median ${runs_cpu[$config]})"
  # shellcheck disable=SC2086
  core0[$config]="$(median ${runs_core0[$config]})"; core1[$config]="$(median ${runs_core1[$config]})"
  # shellcheck disable=SC2086
  if [ -n "${runs_pgcpu[$config]:-}" ]; then pgcpu[$config]="$(median ${runs_pgcpu[$config]})"; fi
  if [ "$config" = "ceiling" ]; then continue; fi
  # Every request should have been a new, credited deposit: the stats must say so.
  stats="$(curl -fsS "http://127.0.0.1:${ports[$config]}/api/tracker/stats" -H "X-Api-Key: $API_KEY")"
  counted[$config]="$(json_number "$stats" deposits) deposits, $(json_number "$stats" unattributed) unattributed, $(json_number "$stats" rejected) rejected, for ${sent[$config]} requests wrk counted (warm-up and measured runs; ${bad[$config]} answered other than 2xx)"
  hwm[$config]="$(kib "$config" VmHWM)"
done

# Working set over a soak on the durable stores: the resident set before and after, and the peak.
for config in $CONFIGS; do
  case "$config" in sqlite|postgresql) ;; *) continue ;; esac
  log "$config: ${SOAK} s soak"
  before="$(kib "$config" VmRSS)"
  soak="$(run_wrk "$config" "soak" "$SOAK")"
  after="$(kib "$config" VmRSS)"
  hwm[$config]="$(kib "$config" VmHWM)"
  soak_growth[$config]="$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')"
  soak_note[$config]="$((before / 1024)) MiB → $((after / 1024)) MiB over ${SOAK} s at $(printf '%.0f' "$(echo "$soak" | cut -d' ' -f1)") req/s"
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- report ----------------------------------------------------------------------------------------------------------
target() {
  case "$1" in sqlite) echo "≥ 0.5×" ;; postgresql) echo "≥ 0.3×" ;; inmemory) echo "≥ 0.8×" ;; *) echo "—" ;; esac
}
label() {
  case "$1" in
    ceiling) echo "(a) bare Kestrel ceiling" ;;
    sqlite) echo "(b) receiver, SQLite synchronous=FULL" ;;
    postgresql) echo "(c) receiver, PostgreSQL ${pg_version:-}" ;;
    inmemory) echo "(d) receiver, in-memory store" ;;
    postgresql2) echo "(e) two receivers on one PostgreSQL ${pg_version:-}, both on core $RECEIVER_CORE, combined" ;;
  esac
}
ceiling_rps="${rps[ceiling]:-}"
{
  echo "# HTTP ingest benchmark: latest results"
  echo
  echo "- **Date:** $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- **Command:** \`benchmarks/ingest.sh\`"
  echo "- **Machine:** $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"); .NET $(dotnet --version) SDK; $(wrk -v 2>&1 | head -n1 | awk '{print $1, $2}'). Load average (1, 5, 15 min) $load_start at the start, $load_end at the end: other work shared the machine."
  echo "- **Pinning:** receiver and ceiling on core $RECEIVER_CORE, wrk and PostgreSQL on core $CLIENT_CORE (\`taskset\`)."
  echo "- **Client:** wrk, $THREADS thread, $CONNECTIONS connections, ${DURATION} s per run after a ${WARMUP} s warm-up, $REPETITIONS interleaved rounds (each round runs (a) to (d) one after the other), median of each column; the ratio is the median of the per-round ratios to (a). GET deposit postbacks of a 1Win set (\`clickid\`, \`fields.user_id\`, \`fields.country\`, \`amount\`, \`tid\`) cycling through $CLICKS clicks created through the tracker API, a fresh transaction id each: every request is a new, credited deposit. The ceiling gets the same requests."
  echo
  echo "| Configuration | Requests/s | p50 | p99 | Ratio to (a) | CPU µs per request | Target |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for config in $CONFIGS; do
    shown="—"
    if [ -n "${ratio[$config]:-}" ]; then shown="$(printf '%.2f×' "${ratio[$config]}")"; fi
    printf '| %s | %.0f | %.2f ms | %.2f ms | %s | %.1f | %s |\n' "$(label "$config")" "${rps[$config]}" "${p50[$config]}" "${p99[$config]}" "$shown" "${cpu[$config]}" "$(target "$config")"
  done
  echo
  echo "CPU µs per request: the receiver process's user and system CPU time during a measured run (\`/proc/<pid>/stat\`) divided by the requests wrk counted in it (for (e), both processes), median of the rounds. PostgreSQL's own CPU is not included."
  echo
  echo "Where the time went during the measured runs (medians of the rounds): how busy each core was (\`/proc/stat\`, whoever used it: the receiver on core $RECEIVER_CORE; wrk and PostgreSQL on core $CLIENT_CORE; other work on the machine on either), and the PostgreSQL server's CPU (postmaster and backends) per request."
  echo
  echo "| Configuration | Core $RECEIVER_CORE busy | Core $CLIENT_CORE busy | PostgreSQL CPU µs per request |"
  echo "|---|---:|---:|---:|"
  for config in $CONFIGS; do
    printf '| %s | %s %% | %s %% | %s |\n' "$(label "$config")" "${core0[$config]}" "${core1[$config]}" "${pgcpu[$config]:-—}"
  done
  echo
  echo "Rounds, in order:"
  for config in $CONFIGS; do echo "- $(label "$config"): ${raw[$config]}"; done
  echo
  echo "Stored, according to each receiver's stats after the measured rounds (wrk does not count the requests still in flight when a run ends, so the stores hold up to $CONNECTIONS more per run):"
  for config in $CONFIGS; do
    [ "$config" = "ceiling" ] || echo "- $(label "$config"): ${counted[$config]}"
  done
  echo
  echo "| Target | Result |"
  echo "|---|---|"
  for config in $CONFIGS; do
    case "$config" in
      sqlite) want=0.5 ;; postgresql) want=0.3 ;; inmemory) want=0.8 ;; *) continue ;;
    esac
    [ -n "${ratio[$config]:-}" ] || continue
    verdict="$(awk -v r="${ratio[$config]}" -v w="$want" 'BEGIN { print (r >= w ? "met" : "missed") }')"
    printf '| %s ≥ %s× the ceiling | %s: %.2f× |\n' "$(label "$config")" "$want" "$verdict" "${ratio[$config]}"
  done
  for config in sqlite postgresql inmemory; do
    [ -n "${p99[$config]:-}" ] || continue
    printf '| %s: p99 ≤ 25 ms at %d connections | %s: %.2f ms |\n' "$(label "$config")" "$CONNECTIONS" "$(awk -v p="${p99[$config]}" 'BEGIN { print (p <= 25 ? "met" : "missed") }')" "${p99[$config]}"
  done
  if [ -n "${cpu[sqlite]:-}" ]; then
    printf '| %s: CPU per postback ≤ 40 µs | %s: %.1f µs |\n' "$(label sqlite)" "$(awk -v c="${cpu[sqlite]}" 'BEGIN { print (c <= 40 ? "met" : "missed") }')" "${cpu[sqlite]}"
  fi
  for config in sqlite postgresql; do
    [ -n "${hwm[$config]:-}" ] && [ -n "${soak_growth[$config]:-}" ] || continue
    printf '| %s: peak working set ≤ 250 MB, growth over %d s ≤ 10%% | %s: %d MiB, %s%% |\n' "$(label "$config")" "$SOAK" \
      "$(awk -v h="${hwm[$config]}" -v g="${soak_growth[$config]}" 'BEGIN { print (h * 1024 <= 250e6 && g <= 10 ? "met" : "missed") }')" \
      "$(( ${hwm[$config]} / 1024 ))" "${soak_growth[$config]}"
  done
  echo
  echo "| Receiver memory | Peak working set (VmHWM) | Resident set over the ${SOAK} s soak |"
  echo "|---|---:|---|"
  for config in $CONFIGS; do
    case "$config" in
      sqlite|postgresql) printf '| %s | %d MiB | %s%% (%s) |\n' "$(label "$config")" "$(( ${hwm[$config]} / 1024 ))" "${soak_growth[$config]}" "${soak_note[$config]}" ;;
      inmemory) printf '| %s | %d MiB | not measured: the in-memory store grows by design |\n' "$(label "$config")" "$(( ${hwm[$config]} / 1024 ))" ;;
    esac
  done
} >"$work/latest.md"
mkdir -p "$(dirname "$OUTPUT")"
cp "$work/latest.md" "$OUTPUT"
cat "$OUTPUT"
