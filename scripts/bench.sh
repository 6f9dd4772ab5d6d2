#!/usr/bin/env bash
# `make bench`: Goji against nginx serving the same bytes, side by side in one
# run, plus idle memory and start-up time. Writes docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

GOJI=./build/release/goji
REGIONS=./build/release/regions.bin
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
GOJI_PORT=${BENCH_GOJI_PORT:-18480}
NGINX_PORT=${BENCH_NGINX_PORT:-18481}
OUT=docs/BENCHMARKS.md

work=$(mktemp -d /tmp/goji-bench-XXXXXX)
goji_pid=""
cleanup() {
  [[ -n "$goji_pid" ]] && kill "$goji_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$work"
}
trap cleanup EXIT

wait_http() {  # url
  for _ in $(seq 1 2000); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.005
  done
  echo "bench: $1 did not answer" >&2
  return 1
}

start_goji() {
  "$GOJI" serve --db "sqlite:$work/goji.db" --regions "$REGIONS" --listen "127.0.0.1:$GOJI_PORT" \
    --access-log "$work/goji-access.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
    --web-root "$work/none" 2>>"$work/goji.err" &
  goji_pid=$!
}

# --- start-up time: process start until /healthz answers (database migrated) ---
"$GOJI" migrate --db "sqlite:$work/goji.db" --regions "$REGIONS" >/dev/null
startups=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s%N)
  start_goji
  wait_http "http://127.0.0.1:$GOJI_PORT/healthz"
  t1=$(date +%s%N)
  startups+=($(( (t1 - t0) / 1000000 )))
  kill "$goji_pid"; wait "$goji_pid" 2>/dev/null || true; goji_pid=""
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
startup_ms=$(median "${startups[@]}")

# --- idle memory ---
start_goji
wait_http "http://127.0.0.1:$GOJI_PORT/healthz"
sleep 2
idle_rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$goji_pid/status")
idle_anon_kb=$(awk '/RssAnon/ {print $2}' "/proc/$goji_pid/status")
idle_file_kb=$(awk '/RssFile/ {print $2}' "/proc/$goji_pid/status")

# --- nginx serving the same bytes as static files ---
mkdir -p "$work/www" "$work/nginx-tmp"
chmod 755 "$work" "$work/www"  # nginx workers run as www-data
curl -fsS "http://127.0.0.1:$GOJI_PORT/healthz" >"$work/www/healthz.json"
curl -fsS "http://127.0.0.1:$GOJI_PORT/api/v1/regions/652722" >"$work/www/region.json"
cat >"$work/nginx.conf" <<NGINX
worker_processes $(nproc);
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log $work/nginx-access.log;
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp; uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work"
wait_http "http://127.0.0.1:$NGINX_PORT/healthz.json"

# wrk prints "Requests/sec: N" and, with --latency, "50% 1.23ms" lines.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}'; }
run_wrk() {  # url -> "rps p50 p99"
  local out
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "$1")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  echo "$rps $p50 $p99"
}

declare -A rps p50 p99
targets=(goji_healthz nginx_healthz goji_region nginx_region)
declare -A url=(
  [goji_healthz]="http://127.0.0.1:$GOJI_PORT/healthz"
  [nginx_healthz]="http://127.0.0.1:$NGINX_PORT/healthz.json"
  [goji_region]="http://127.0.0.1:$GOJI_PORT/api/v1/regions/652722"
  [nginx_region]="http://127.0.0.1:$NGINX_PORT/region.json"
)
for round in $(seq 1 "$ROUNDS"); do
  for t in "${targets[@]}"; do
    read -r r a b < <(run_wrk "${url[$t]}")
    rps[$t]+="$r "; p50[$t]+="$a "; p99[$t]+="$b "
    echo "bench: round $round $t: $r req/s, p50 $a ms, p99 $b ms" >&2
  done
done

# shellcheck disable=SC2086
m() { median $1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
gh=$(m "${rps[goji_healthz]}"); nh=$(m "${rps[nginx_healthz]}")
gr=$(m "${rps[goji_region]}"); nr=$(m "${rps[nginx_region]}")

cpu=$(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh). Goji and the reference run side by side in"
  echo "one run on the same machine; the load generator shares the cores, so compare ratios, not"
  echo "absolute numbers. Each figure is the median of $ROUNDS rounds of"
  echo "\`wrk -t2 -c64 -d${DURATION}s --latency\`, the targets alternating within each round."
  echo
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- Machine: $cpu, $(nproc) cores, $mem, $(uname -sr)"
  echo "- Goji: release build, SQLite, access log on (to a file), rate limiter on (limit set out of reach)"
  echo "- Reference: nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(nproc) workers, access log on, serving the same response bytes as static files"
  echo
  echo "## Foundation (issue: server)"
  echo
  echo "| endpoint | Goji req/s | nginx req/s | Goji / nginx | Goji p50 ms | Goji p99 ms | nginx p50 ms | nginx p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  echo "| \`GET /healthz\` | $gh | $nh | $(ratio "$gh" "$nh") | $(m "${p50[goji_healthz]}") | $(m "${p99[goji_healthz]}") | $(m "${p50[nginx_healthz]}") | $(m "${p99[nginx_healthz]}") |"
  echo "| \`GET /api/v1/regions/652722\` (JSON) | $gr | $nr | $(ratio "$gr" "$nr") | $(m "${p50[goji_region]}") | $(m "${p99[goji_region]}") | $(m "${p50[nginx_region]}") | $(m "${p99[nginx_region]}") |"
  echo
  echo "| figure | value | goal |"
  echo "|---|---:|---:|"
  echo "| idle RSS after start (VmRSS) | $((idle_rss_kb / 1024)) MiB ($idle_rss_kb KiB) | ≤ 20 MB |"
  echo "| … of which private memory (RssAnon) | $((idle_anon_kb / 1024)) MiB ($idle_anon_kb KiB) | |"
  echo "| … of which mapped files, mostly shared libraries (RssFile) | $((idle_file_kb / 1024)) MiB ($idle_file_kb KiB) | |"
  echo "| start-up: process start → \`/healthz\` answers (median of 5) | $startup_ms ms | |"
  echo
  echo "Command: \`make bench\` (or \`BENCH_DURATION=10 BENCH_ROUNDS=3 bash scripts/bench.sh\` after \`make build\`)."
} >"$OUT"
echo "bench: wrote $OUT" >&2
cat "$OUT"
