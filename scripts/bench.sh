#!/usr/bin/env bash
# `make bench`: Goji against nginx serving the same bytes, side by side in one
# run, plus idle memory and start-up time; then checkout and pay with 64
# buyers on SQLite and PostgreSQL against the same SQL run straight on the
# database. Writes docs/BENCHMARKS.md.
#
# BENCH_ONLY=http runs only the first part (server and catalog), BENCH_ONLY=checkout
# only the checkout, BENCH_ONLY=stats only the statistics (BENCH_STATS_ROWS orders
# imported, default 10 000 000), BENCH_ONLY=live only the live room's viewers
# (BENCH_LIVE_VIEWERS WebSockets, default 10 000), BENCH_ONLY=flash only the
# flash sale (1 000 buyers selling out 2 000 units, against its conditional
# statements straight on the database); the other parts of docs/BENCHMARKS.md
# are kept as they were.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=${BENCH_BUILD:-./build/release}  # another build folder, to try the script out
GOJI=$BUILD/goji
REGIONS=$BUILD/regions.bin
DURATION=${BENCH_DURATION:-10}
ROUNDS=${BENCH_ROUNDS:-3}
GOJI_PORT=${BENCH_GOJI_PORT:-18480}
NGINX_PORT=${BENCH_NGINX_PORT:-18481}
OUT=docs/BENCHMARKS.md
ONLY=${BENCH_ONLY:-}
case "$ONLY" in
  "" | http | checkout | stats | live | flash) ;;
  *) echo "bench: BENCH_ONLY is http, checkout, stats, live or flash" >&2; exit 2 ;;
esac
want() { [[ -z "$ONLY" || "$ONLY" == "$1" ]]; }

work=$(mktemp -d /tmp/goji-bench-XXXXXX)
goji_pid=""
extra_pids=()
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
cleanup() {
  [[ -n "$goji_pid" ]] && kill "$goji_pid" 2>/dev/null || true
  for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/pg/data/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
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

# A PostgreSQL of the benchmark's own, on a unix socket in $work (once).
start_pg() {
  [[ -f "$work/pg/data/postmaster.pid" ]] && return 0
  mkdir -p "$work/pg" && chown postgres "$work/pg" && chmod 755 "$work"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$work/pg/data" -U goji -A trust -E UTF8 --locale=C >"$work/pg/initdb.log" 2>&1
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $work/pg -p 5432 -c max_connections=200" start >/dev/null
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# shellcheck disable=SC2086
m() { median $1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
cpu=$(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)

start_goji() {
  "$GOJI" serve --db "sqlite:$work/goji.db" --regions "$REGIONS" --listen "127.0.0.1:$GOJI_PORT" \
    --access-log "$work/goji-access.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
    --web-root "$work/none" 2>>"$work/goji.err" &
  goji_pid=$!
}

if want http; then
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

# --- catalog: a generated catalog on SQLite and on PostgreSQL ---
CATALOG=${BENCH_CATALOG:-100000}
SQLITE_PORT=$((GOJI_PORT + 2)); PG_PORT=$((GOJI_PORT + 3)); COLD_PORT=$((GOJI_PORT + 4))
t0=$(date +%s%N)
"$GOJI" seed --db "sqlite:$work/catalog.db" --regions "$REGIONS" --bench-catalog "$CATALOG" >/dev/null 2>>"$work/goji.err"
seed_sqlite_s=$(( ($(date +%s%N) - t0) / 1000000000 ))
start_pg
"$PG_BIN/psql" -q -h "$work/pg" -U goji -d postgres -c "CREATE DATABASE goji" >/dev/null
PG_URL="postgresql://goji@/goji?host=$work/pg&port=5432"
t0=$(date +%s%N)
"$GOJI" seed --db "$PG_URL" --regions "$REGIONS" --bench-catalog "$CATALOG" >/dev/null 2>>"$work/goji.err"
seed_pg_s=$(( ($(date +%s%N) - t0) / 1000000000 ))
echo "bench: catalog of $CATALOG products seeded (SQLite ${seed_sqlite_s}s, PostgreSQL ${seed_pg_s}s)" >&2

serve_catalog() {  # db port [extra flags…]
  local db=$1 port=$2; shift 2
  "$GOJI" serve --db "$db" --regions "$REGIONS" --listen "127.0.0.1:$port" \
    --access-log "$work/goji-access-$port.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
    --web-root "$work/none" "$@" 2>>"$work/goji.err" &
  extra_pids+=($!)
  wait_http "http://127.0.0.1:$port/healthz"
}
serve_catalog "sqlite:$work/catalog.db" "$SQLITE_PORT"
serve_catalog "$PG_URL" "$PG_PORT"
Q_GOJI="q=%E6%9E%B8%E6%9D%9E"  # 枸杞
declare -A catalog_path=([list]="/api/v1/products" [q_goji]="/api/v1/products?$Q_GOJI" [q_gq]="/api/v1/products?q=gq")
declare -A backend_port=([sqlite]=$SQLITE_PORT [postgres]=$PG_PORT)
for b in sqlite postgres; do
  # Detail of the newest product: the first item of the list.
  id=$(curl -fsS "http://127.0.0.1:${backend_port[$b]}/api/v1/products?limit=1" | sed -E 's/^\{"items":\[\{"id":"([0-9]+)".*/\1/')
  catalog_path[detail_$b]="/api/v1/products/$id"
done
catalog_path[detail]=${catalog_path[detail_sqlite]}
for k in list detail q_goji q_gq; do
  curl -fsS "http://127.0.0.1:$SQLITE_PORT${catalog_path[$k]}" >"$work/www/catalog-$k.json"
done
matches_goji=$(grep -o '"total":[0-9]*' "$work/www/catalog-q_goji.json" | cut -d: -f2)
matches_gq=$(grep -o '"total":[0-9]*' "$work/www/catalog-q_gq.json" | cut -d: -f2)

# A cold search: caches off, each request computes its page and facets.
declare -A cold
for b in sqlite postgres; do
  db="sqlite:$work/catalog.db"; [[ $b == postgres ]] && db=$PG_URL
  serve_catalog "$db" "$COLD_PORT" --search-cache 0 --list-cache 0
  for k in list q_goji q_gq; do
    times=()
    for _ in 1 2 3 4 5; do
      times+=($(curl -fsS -o /dev/null -w '%{time_total}' "http://127.0.0.1:$COLD_PORT${catalog_path[$k]}" | awk '{printf "%.1f", $1 * 1000}'))
    done
    cold[${b}_$k]=$(median "${times[@]}")
  done
  kill "${extra_pids[-1]}"; wait "${extra_pids[-1]}" 2>/dev/null || true; unset 'extra_pids[-1]'
done

declare -A rps p50 p99
targets=(goji_healthz nginx_healthz goji_region nginx_region)
declare -A url
for k in list detail q_goji q_gq; do
  for b in sqlite postgres; do
    p=${catalog_path[$k]}; [[ $k == detail ]] && p=${catalog_path[detail_$b]}
    url[${b}_$k]="http://127.0.0.1:${backend_port[$b]}$p"
    curl -fsS -o /dev/null "${url[${b}_$k]}"  # warm: the first search computes, later ones are served from the cache
    targets+=("${b}_$k")
  done
  url[nginx_$k]="http://127.0.0.1:$NGINX_PORT/catalog-$k.json"
  targets+=("nginx_$k")
done
url+=(
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

gh=$(m "${rps[goji_healthz]}"); nh=$(m "${rps[nginx_healthz]}")
gr=$(m "${rps[goji_region]}"); nr=$(m "${rps[nginx_region]}")

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
  echo "## Catalog (issue: catalog)"
  echo
  echo "A generated catalog (\`goji seed --bench-catalog $CATALOG\`): $CATALOG products with 3 SKUs each in"
  echo "$(( (CATALOG + 199) / 200 )) verified shops across the townships of Jinghe County; \`枸杞\` matches $matches_goji"
  echo "products and \`gq\` $matches_gq. Seeding took ${seed_sqlite_s} s on SQLite and ${seed_pg_s} s on PostgreSQL."
  echo "Lists and searches are served from the search cache (results under the database's search"
  echo "version) and the rendered-list cache (≤ 1 s old stock); the cold column is one request with"
  echo "both caches off (\`--search-cache 0 --list-cache 0\`), median of 5, as after a catalog change."
  echo "nginx serves the same JSON bytes as static files."
  echo
  echo "| endpoint | backend | req/s | / nginx | p50 ms | p99 ms | cold ms |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  for k in list detail q_goji q_gq; do
    case $k in
      list) label="\`GET /api/v1/products\` (list page)" ;;
      detail) label="\`GET /api/v1/products/{id}\` (detail)" ;;
      q_goji) label="\`GET /api/v1/products?q=枸杞\`" ;;
      q_gq) label="\`GET /api/v1/products?q=gq\`" ;;
    esac
    n=$(m "${rps[nginx_$k]}")
    for b in sqlite postgres; do
      r=$(m "${rps[${b}_$k]}")
      c=${cold[${b}_$k]:-}
      echo "| $label | $b | $r | $(ratio "$r" "$n") | $(m "${p50[${b}_$k]}") | $(m "${p99[${b}_$k]}") | ${c:-–} |"
    done
    echo "| $label | nginx (static) | $n | 1.00 | $(m "${p50[nginx_$k]}") | $(m "${p99[nginx_$k]}") | |"
  done
  echo
  echo "Goals: search p99 ≤ 20 ms on SQLite; list page throughput ≥ 0.5 × nginx."
  echo
  echo "Command: \`make bench\` (or \`BENCH_DURATION=10 BENCH_ROUNDS=3 bash scripts/bench.sh\` after \`make build\`)."
  echo
} >"$work/http.md"
for p in "${extra_pids[@]}"; do kill "$p" 2>/dev/null || true; done
extra_pids=()
kill "$goji_pid" 2>/dev/null || true
goji_pid=""
kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
fi

# --- checkout and pay: 64 buyers through Goji, and the same SQL straight on the database ---
if want checkout; then
  BENCH_BIN=$BUILD/bench
  CO_DURATION=${BENCH_CHECKOUT_DURATION:-$DURATION}
  REF_DURATION=${BENCH_REF_DURATION:-5}
  CO_BUYERS=64
  CO_PORT=$((GOJI_PORT + 5))
  # Extra flags for goji serve in this part (none by default: Goji as shipped).
  read -r -a CO_FLAGS <<<"${BENCH_CHECKOUT_FLAGS:-}"
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  start_pg
  "$PG_BIN/psql" -q -h "$work/pg" -U goji -d postgres -c "CREATE DATABASE goji_checkout" >/dev/null
  declare -A co_db=([sqlite]="sqlite:$work/checkout.db" [postgres]="postgresql://goji@/goji_checkout?host=$work/pg&port=5432")
  # Client threads of the references: (a) and pgbench with as many clients as buyers on PostgreSQL; (b) with
  # Goji's pool size there, since 64 transactions of 64 orders each queue behind each other's SKU row locks.
  declare -A co_threads=([sqlite]=1 [postgres]=$CO_BUYERS)
  declare -A co_threads_b=([sqlite]=1 [postgres]=8)
  for b in sqlite postgres; do
    "$GOJI" seed --db "${co_db[$b]}" --regions "$REGIONS" --argon2 min --bench-buyers "$CO_BUYERS" \
      --bench-out "$work/buyers-$b.txt" >/dev/null 2>>"$work/goji.err"
  done
  "$BENCH_BIN/goji_checkout_ref" --data "$work/buyers-postgres.txt" --pgbench-script "$work/checkout.pgbench"
  field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k {print $2}'; }  # key, "k=v k=v …"
  declare -A co
  co_pid=""
  for round in $(seq 1 "$ROUNDS"); do
    for b in sqlite postgres; do
      "$GOJI" serve --db "${co_db[$b]}" --regions "$REGIONS" --listen "127.0.0.1:$CO_PORT" \
        --access-log "$work/goji-access-checkout.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
        --web-root "$work/none" "${CO_FLAGS[@]}" 2>>"$work/goji.err" &
      co_pid=$!
      extra_pids+=("$co_pid")
      wait_http "http://127.0.0.1:$CO_PORT/healthz"
      out=$("$BENCH_BIN/goji_checkout_bench" --data "$work/buyers-$b.txt" --port "$CO_PORT" --buyers "$CO_BUYERS" \
        --duration "$CO_DURATION")
      kill "$co_pid"; wait "$co_pid" 2>/dev/null || true; unset 'extra_pids[-1]'
      for k in orders_per_s submitted_per_s drain_ms checkout_p50_ms checkout_p99_ms order_p50_ms order_p99_ms; do
        co[${b}_$k]+="$(field "$k" "$out") "
      done
      a=$("$BENCH_BIN/goji_checkout_ref" --db "${co_db[$b]}" --data "$work/buyers-$b.txt" \
        --threads "${co_threads[$b]}" --orders-per-tx 1 --duration "$REF_DURATION")
      av=""
      if [[ $b == sqlite ]]; then  # (a) again, its log written as Goji's writer writes it (for comparison)
        av=$("$BENCH_BIN/goji_checkout_ref" --db "${co_db[$b]}" --data "$work/buyers-$b.txt" --goji-vfs \
          --threads "${co_threads[$b]}" --orders-per-tx 1 --duration "$REF_DURATION")
        co[${b}_ref_a_vfs]+="$(field orders_per_s "$av") "
      fi
      bb=$("$BENCH_BIN/goji_checkout_ref" --db "${co_db[$b]}" --data "$work/buyers-$b.txt" \
        --threads "${co_threads_b[$b]}" --orders-per-tx 64 --duration "$REF_DURATION")
      co[${b}_ref_a]+="$(field orders_per_s "$a") "
      co[${b}_ref_b]+="$(field orders_per_s "$bb") "
      tps=""; tps64=""
      if [[ $b == postgres ]]; then
        for c in "$CO_BUYERS" 8; do
          tps=$(pgbench -n -M prepared -c "$c" -j 2 -T "$REF_DURATION" -D ready=0 -f "$work/checkout.pgbench" \
            "${co_db[$b]}" 2>>"$work/pgbench.err" | awk '/^tps = / {printf "%.1f", $3}')
          co[${b}_pgbench_$c]+="$tps "
          if [[ $c == "$CO_BUYERS" ]]; then tps64=$tps; fi
        done
      fi
      # What this part left in memory reaches the disk now, not during the next part's measurement:
      # PostgreSQL spreads its checkpoint's writes over minutes, and the page cache its dirty pages.
      if [[ $b == postgres ]]; then
        "$PG_BIN/psql" -q -h "$work/pg" -U goji -d goji_checkout -c "CHECKPOINT" >/dev/null
      fi
      sync
      echo "bench: round $round checkout $b: Goji $(field orders_per_s "$out") orders/s" \
        "(p50 $(field order_p50_ms "$out") ms, p99 $(field order_p99_ms "$out") ms)," \
        "ref (a) $(field orders_per_s "$a")${av:+ (through the Goji VFS $(field orders_per_s "$av"))}, ref (b) $(field orders_per_s "$bb")${tps:+, pgbench $tps64 ($CO_BUYERS clients), $tps (8)} orders/s" >&2
    done
  done
  # Every order paid (Goji's and the references'), every notification delivered, stock agreeing with its ledger.
  declare -A co_paid
  for b in sqlite postgres; do
    v=$("$BENCH_BIN/goji_checkout_ref" --db "${co_db[$b]}" --verify) || { echo "bench: $b: $v" >&2; exit 1; }
    co_paid[$b]=$(field orders_paid "$v")
    "$GOJI" check stock --db "${co_db[$b]}" --regions "$REGIONS" >/dev/null 2>>"$work/goji.err" ||
      { echo "bench: $b: goji check stock failed" >&2; exit 1; }
  done
  goal() {  # measured ratio, goal → "met" / "not met"
    awk -v r="$1" -v g="$2" 'BEGIN {print (r >= g ? "met" : "not met")}'
  }
  s_goji=$(m "${co[sqlite_orders_per_s]}"); p_goji=$(m "${co[postgres_orders_per_s]}")
  s_a=$(m "${co[sqlite_ref_a]}"); s_b=$(m "${co[sqlite_ref_b]}"); s_av=$(m "${co[sqlite_ref_a_vfs]}")
  p_pgb=$(m "${co[postgres_pgbench_$CO_BUYERS]}"); p_pgb8=$(m "${co[postgres_pgbench_8]}")
  r_sa=$(ratio "$s_goji" "$s_a"); r_sb=$(ratio "$s_goji" "$s_b"); r_pp=$(ratio "$p_goji" "$p_pgb")
  r_sav=$(ratio "$s_goji" "$s_av")
  {
    echo "## Checkout and pay (64 buyers)"
    echo
    echo "$CO_BUYERS buyers (\`goji seed --bench-buyers $CO_BUYERS\`: each with a session and an address), each on its"
    echo "own keep-alive connection (\`goji_checkout_bench\`, bench/checkout_load.cpp), loop: \`POST /api/v1/checkout\`"
    echo "of one unit of a random one of 100 SKUs (ample stock), then \`POST /api/v1/payments/{id}/sandbox/pay\`;"
    echo "Goji's sandbox notifier then sends the signed notification that makes the payment and the order paid."
    echo "After ${CO_DURATION} s the buyers stop and the load waits until every order is paid, so **orders/s counts"
    echo "paid orders** over the buying time plus that wait. Latency per order, as the buyer sees it: the"
    echo "checkout's 201, and the checkout's 201 plus the pay button's 202."
    echo
    echo "The references (\`goji_checkout_ref\`, bench/checkout_reference.cpp) run the SQL statements Goji runs"
    echo "for one order (listed below) straight against the same database from C++, each statement prepared"
    echo "once per connection, for ${REF_DURATION} s: **(a)** one transaction per order, **(b)** 64 orders per"
    echo "transaction. On SQLite one connection with the settings of Goji's writer (WAL, every commit synced: \`synchronous=FULL\`,"
    echo "foreign keys on) and SQLite's own VFS: SQLite runs one writer at a time, so one thread is its natural client. Goji's writer"
    echo "writes its log through a VFS of its own (src/storage/sqlite/wal_vfs.hpp: a commit's frames in one write instead of"
    echo "two per page); reference (a) is run once more through that VFS, for comparison (the goal stays against SQLite's own). On"
    echo "PostgreSQL (a) runs $CO_BUYERS threads, each with its own connection (\`synchronous_commit = on\`) and"
    echo "buyer, and (b) 8 threads (Goji's pool size), locking their SKU rows in SKU order: with $CO_BUYERS, the"
    echo "transactions of 64 orders queue behind each other's row locks and one run takes 40 s instead of ${REF_DURATION}."
    echo "**pgbench** runs the same statements as a script (\`goji_checkout_ref --pgbench-script\`), one order"
    echo "per transaction: \`pgbench -n -M prepared -c $CO_BUYERS -j 2 -T ${REF_DURATION}\` (the goal's reference), and"
    echo "for comparison with 8 clients, as many as Goji's connections. PostgreSQL ${PG_BIN//[!0-9]/} with its default"
    echo "settings (fsync on), on a unix socket. Goji, the references and pgbench take turns within each"
    echo "round; after each backend's turn PostgreSQL checkpoints and the page cache is synced, so that one's"
    echo "writes do not land in the next one's measurement. Each figure is the median of $ROUNDS rounds."
    echo
    echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- Machine: $cpu, $(nproc) cores, $mem, $(uname -sr); load average at the start: $load_at_start"
    echo "- Goji: release build, \`goji serve\` with its defaults (on $(nproc) cores: handlers on fibers of $(( $(nproc) * 4 > 8 ? $(nproc) * 4 : 8 )) threads and 8 SQLite"
    echo "  readers, or of $(( $(nproc) * 16 > 64 ? $(nproc) * 16 : 64 )) threads and 8 PostgreSQL connections)${CO_FLAGS[*]:+ and \`${CO_FLAGS[*]}\`}, access log to a file, rate limits out of reach"
    echo "- Command: \`make bench\`, or \`BENCH_ONLY=checkout bash scripts/bench.sh\` after \`make build\`"
    echo "  (\`BENCH_CHECKOUT_DURATION\`, default \`BENCH_DURATION\` = $DURATION; \`BENCH_REF_DURATION\` = $REF_DURATION; \`BENCH_ROUNDS\` = $ROUNDS)"
    echo
    echo "| backend | Goji orders/s (paid) | checkout p50 ms | checkout p99 ms | checkout + pay p50 ms | checkout + pay p99 ms | ref (a) orders/s | ref (a) through Goji's VFS | ref (b) orders/s | pgbench tps, $CO_BUYERS clients | pgbench tps, 8 clients |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for b in sqlite postgres; do
      case $b in sqlite) label=SQLite; av="$s_av"; pgb="– | –" ;; postgres) label=PostgreSQL; av="–"; pgb="$p_pgb | $p_pgb8" ;; esac
      echo "| $label | $(m "${co[${b}_orders_per_s]}") | $(m "${co[${b}_checkout_p50_ms]}") | $(m "${co[${b}_checkout_p99_ms]}") |" \
        "$(m "${co[${b}_order_p50_ms]}") | $(m "${co[${b}_order_p99_ms]}") | $(m "${co[${b}_ref_a]}") | $av | $(m "${co[${b}_ref_b]}") | $pgb |"
    done
    echo
    echo "| goal | Goji / reference | |"
    echo "|---|---:|---|"
    echo "| SQLite: Goji ≥ 2 × ref (a) | $r_sa | $(goal "$r_sa" 2) |"
    echo "| SQLite: Goji ≥ 0.25 × ref (b) | $r_sb | $(goal "$r_sb" 0.25) |"
    echo "| PostgreSQL: Goji ≥ 0.8 × pgbench | $r_pp | $(goal "$r_pp" 0.8) |"
    echo "| for comparison: SQLite, Goji / ref (a) through Goji's VFS | $r_sav | |"
    echo
    echo "Orders taken in by the buyers' loops, before the wait for the last notifications (orders/s):"
    echo "SQLite $(m "${co[sqlite_submitted_per_s]}"), PostgreSQL $(m "${co[postgres_submitted_per_s]}"); the wait itself"
    echo "(ms): SQLite $(m "${co[sqlite_drain_ms]}"), PostgreSQL $(m "${co[postgres_drain_ms]}"). After the rounds every order"
    echo "in the databases was paid (SQLite ${co_paid[sqlite]}, PostgreSQL ${co_paid[postgres]}, Goji's and the"
    echo "references'), no notification was left undelivered, and \`goji check stock\` passed on both."
    echo
    echo "The statements of one order, in Goji's transactions (bench/checkout_statements.hpp, the one list the"
    echo "references and the pgbench script are made from; keep it in step with src/storage/sql/):"
    echo
    echo "| Goji's transaction | | statements |"
    echo "|---|---|---|"
    "$BENCH_BIN/goji_checkout_ref" --list
    echo
    echo "On SQLite the sandbox provider keeps its books (the charge, the mark that its notification was answered)"
    echo "in a file of its own beside the database (\`goji-sandbox.db\`), as a real provider keeps them apart from"
    echo "Goji's, so the SQLite references leave those two out; PostgreSQL keeps them in its database and runs them."
    echo "Not in the references: what Goji runs once per round of notifications (\`job_leases.take\`,"
    echo "\`sandbox_charges.due\`; \`sandbox_charges.delivered\` runs once per charge and is in); the reference takes the charge's id from"
    echo "\`sandbox_charges.record … RETURNING id\` instead. Goji runs the statements as 10 transactions per order"
    echo "(4 of them writes, 3 on SQLite) where the references run one, or one per $CO_BUYERS orders."
    echo
    cat bench/checkout_findings.md
  } >"$work/checkout.md"
fi

# --- statistics: BENCH_STATS_ROWS historical orders imported, then the dashboard's calls ---
if want stats; then
  BENCH_BIN=$BUILD/bench
  ST_ROWS=${BENCH_STATS_ROWS:-10000000}
  ST_CLIENTS=${BENCH_STATS_CLIENTS:-8}
  ST_DURATION=${BENCH_STATS_DURATION:-$DURATION}
  ST_PORT=$((GOJI_PORT + 6))
  ST_PASSWORD="stats-bench-officer-password"
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  start_pg
  "$PG_BIN/psql" -q -h "$work/pg" -U goji -d postgres -c "CREATE DATABASE goji_stats" >/dev/null
  declare -A st_db=([sqlite]="sqlite:$work/stats.db" [postgres]="postgresql://goji@/goji_stats?host=$work/pg&port=5432")
  declare -A st
  sfield() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k {print $2}'; }  # key, "k=v k=v …"
  for b in sqlite postgres; do
    db=${st_db[$b]}
    # 20 verified shops across Jinghe's townships (kinds and poverty relief alternate), and a county officer.
    "$GOJI" seed --db "$db" --regions "$REGIONS" --argon2 min --bench-catalog 4000 >/dev/null 2>>"$work/goji.err"
    "$GOJI" user add --db "$db" --regions "$REGIONS" --argon2 min --login stats-officer --role county_officer \
      --region 652722 --password-stdin <<<"$ST_PASSWORD" >/dev/null 2>>"$work/goji.err"
    mkdir -p "$work/csv-$b"
    gen=$("$BENCH_BIN/goji_stats_bench" generate --db "$db" --rows "$ST_ROWS" --out "$work/csv-$b")
    st[${b}_gen]=$gen
    st[${b}_csv_mb]=$(du -sm "$work/csv-$b" | cut -f1)
    echo "bench: stats $b: generated $gen" >&2
    imported=0
    t0=$(date +%s%N)
    for f in "$work/csv-$b"/orders-*.csv; do
      out=$("$GOJI" import orders "$f" --db "$db" --regions "$REGIONS" --argon2 min 2>>"$work/goji.err")
      n=$(sed -E 's/^imported ([0-9]+), skipped ([0-9]+).*rejected ([0-9]+)$/\1/' <<<"$out")
      if ! grep -q "skipped 0 (imported before), rejected 0" <<<"$out"; then
        echo "bench: stats $b: $f: $out" >&2; exit 1
      fi
      imported=$((imported + n))
    done
    t1=$(date +%s%N)
    rm -rf "$work/csv-$b"
    st[${b}_imported]=$imported
    st[${b}_import_s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
    st[${b}_rate]=$(awk -v n="$imported" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", n / ((b - a) / 1e9)}')
    echo "bench: stats $b: imported $imported rows in ${st[${b}_import_s]} s (${st[${b}_rate]} rows/s)" >&2
    t0=$(date +%s%N)
    verify=$("$GOJI" stats verify --db "$db" --regions "$REGIONS" --argon2 min 2>>"$work/goji.err") ||
      { echo "bench: stats $b: goji stats verify: $verify" >&2; exit 1; }
    t1=$(date +%s%N)
    st[${b}_verify]=$verify
    st[${b}_verify_s]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
    if [[ $b == sqlite ]]; then
      st[${b}_db_mb]=$(( $(stat -c %s "$work/stats.db") / 1048576 ))
    else
      st[${b}_db_mb]=$("$PG_BIN/psql" -tA -h "$work/pg" -U goji -d goji_stats -c "SELECT pg_database_size('goji_stats') / 1048576")
    fi
    "$GOJI" serve --db "$db" --regions "$REGIONS" --listen "127.0.0.1:$ST_PORT" \
      --access-log "$work/goji-access-stats.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
      --web-root "$work/none" 2>>"$work/goji.err" &
    st_pid=$!
    extra_pids+=("$st_pid")
    wait_http "http://127.0.0.1:$ST_PORT/healthz"
    st[${b}_load]=$("$BENCH_BIN/goji_stats_bench" load --port "$ST_PORT" --login stats-officer \
      --password "$ST_PASSWORD" --clients "$ST_CLIENTS" --duration "$ST_DURATION" --db "$db") ||
      { echo "bench: stats $b: ${st[${b}_load]}" >&2; exit 1; }
    kill "$st_pid"; wait "$st_pid" 2>/dev/null || true; unset 'extra_pids[-1]'
    echo "bench: stats $b:" >&2
    echo "${st[${b}_load]}" >&2
  done
  # "call=NAME … p50_ms=…" → the value of a key in the line of a call (or raw=NAME … ms=…).
  callv() { awk -v c="$2" -v k="$3" '{ok = 0; for (i = 1; i <= NF; i++) if ($i == c) ok = 1; if (ok) for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' <<<"$1"; }
  {
    echo "## Statistics (issue: statistics)"
    echo
    echo "$ST_ROWS historical orders over the 730 days before the run (\`goji_stats_bench generate\`,"
    echo "bench/stats_bench.cpp: deterministic, in time order as a past platform's export is; 20 shops of"
    echo "\`goji seed --bench-catalog 4000\` across Jinghe County's townships, every kind, a third of them"
    echo "poverty relief; every leaf category, half the lines wolfberries; 25 % live; July–October twice as"
    echo "busy and 25 % growth a year; 4 % with a refund; buyers in Jinghe's townships and 44 districts across"
    echo "China) written as CSV files of 500 000 lines ($(sfield files "${st[sqlite_gen]}") files, ${st[sqlite_csv_mb]} MB) and"
    echo "imported with **the command line, \`goji import orders FILE\`, one file after the other** (the HTTP"
    echo "import runs the same code on a body of up to 64 MiB). Then \`goji stats verify\` recounts every daily"
    echo "and monthly figure from the raw orders, and \`goji serve\` answers the dashboard's calls: $ST_CLIENTS clients"
    echo "on keep-alive connections (\`goji_stats_bench load\`), each looping over the calls below for"
    echo "${ST_DURATION} s, logged in as a county officer of Jinghe (652722); the period is last year, the series"
    echo "the 24 months up to this one. In the same run the bench computes the same figures with GROUP BY over"
    echo "the raw \`imported_orders\` straight on the database (median of 3 runs; a retail call of Goji"
    echo "also computes the previous year and period, the raw query only the period) and checks that they"
    echo "equal Goji's."
    echo
    echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- Machine: $cpu, $(nproc) cores, $mem, $(uname -sr); load average at the start: $load_at_start"
    echo "- Goji: release build, \`goji serve\` with its defaults; PostgreSQL ${PG_BIN//[!0-9]/} with its default settings, on a unix socket"
    echo "- Command: \`BENCH_ONLY=stats bash scripts/bench.sh\` after \`make build\` (\`BENCH_STATS_ROWS\` = $ST_ROWS,"
    echo "  \`BENCH_STATS_CLIENTS\` = $ST_CLIENTS, \`BENCH_STATS_DURATION\` = $ST_DURATION)"
    echo
    echo "| backend | rows imported | import s | rows/s | \`goji stats verify\` s | verify | database MB |"
    echo "|---|---:|---:|---:|---:|---|---:|"
    for b in sqlite postgres; do
      case $b in sqlite) label=SQLite ;; postgres) label=PostgreSQL ;; esac
      echo "| $label | ${st[${b}_imported]} | ${st[${b}_import_s]} | ${st[${b}_rate]} | ${st[${b}_verify_s]} | ${st[${b}_verify]} | ${st[${b}_db_mb]} |"
    done
    echo
    echo "| call (Jinghe County, last year unless said) | backend | Goji p50 ms | Goji p99 ms | first call ms | raw GROUP BY ms | raw / Goji p50 | same figures |"
    echo "|---|---|---:|---:|---:|---:|---:|---|"
    for c in retail retail_category retail_township retail_seller_kind retail_channel retail_poverty_relief series consumption this_year this_year_township; do
      case $c in
        retail) label="\`GET /stats/retail\`" ;;
        this_year) label="\`GET /stats/retail\` (this year so far)" ;;
        this_year_township) label="\`GET /stats/retail?group_by=township\` (this year so far)" ;;
        series) label="\`GET /stats/retail/series\` (24 months)" ;;
        consumption) label="\`GET /stats/consumption\`" ;;
        *) label="\`GET /stats/retail?group_by=${c#retail_}\`" ;;
      esac
      for b in sqlite postgres; do
        case $b in sqlite) bl=SQLite ;; postgres) bl=PostgreSQL ;; esac
        l=${st[${b}_load]}
        p50=$(callv "$l" "call=$c" p50_ms); p99=$(callv "$l" "call=$c" p99_ms)
        raw=$(callv "$l" "raw=$c" ms); same=$(callv "$l" "raw=$c" match); first=$(callv "$l" "cold=$c" ms)
        r="–"; [[ -n "$raw" ]] && r=$(ratio "$raw" "$p50")
        echo "| $label | $bl | $p50 | $p99 | $first | ${raw:-–} | $r | ${same:-–} |"
      done
    done
    for b in sqlite postgres; do
      case $b in sqlite) bl=SQLite ;; postgres) bl=PostgreSQL ;; esac
      l=${st[${b}_load]}
      echo "| all calls | $bl | $(callv "$l" call=all p50_ms) | $(callv "$l" call=all p99_ms) | | | | $(callv "$l" call=all rps) calls/s |"
    done
    echo
    echo "Goal: dashboard call p99 ≤ 50 ms."
    echo
    cat bench/stats_findings.md
  } >"$work/stats.md"
fi

# --- live room: BENCH_LIVE_VIEWERS WebSocket viewers in one room, then chat lines to all of them ---
if want live; then
  BENCH_BIN=$BUILD/bench
  LV_VIEWERS=${BENCH_LIVE_VIEWERS:-10000}
  LV_SENDERS=${BENCH_LIVE_SENDERS:-10}
  LV_LINES=${BENCH_LIVE_LINES:-60}
  LV_INTERVAL=${BENCH_LIVE_INTERVAL_MS:-500}
  LV_ROUNDS=${BENCH_LIVE_ROUNDS:-$ROUNDS}
  LV_PORT=$((GOJI_PORT + 7))
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  # The viewers and the server each hold one descriptor per socket.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  lv_db="sqlite:$work/live.db"
  "$GOJI" seed --db "$lv_db" --regions "$REGIONS" --argon2 min --bench-buyers "$LV_SENDERS" \
    --bench-out "$work/live-buyers.txt" >/dev/null 2>>"$work/goji.err"
  declare -A lv
  lfield() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k {print $2}'; }  # key, "k=v k=v …"
  # The rounds with the load as SCHED_IDLE (the viewers on what goji leaves of the cores, as on machines of
  # their own), then one with the load at goji's priority, for comparison.
  declare -A lvs
  for round in $(seq 1 $((LV_ROUNDS + 1))); do
    shared=$((round > LV_ROUNDS))
    # A fresh server each round: its memory before the viewers is that of a server that never had them.
    "$GOJI" serve --db "$lv_db" --regions "$REGIONS" --listen "127.0.0.1:$LV_PORT" \
      --access-log "$work/goji-access-live.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
      --max-connections $((LV_VIEWERS + LV_SENDERS + 100)) --web-root "$work/none" 2>>"$work/goji.err" &
    lv_pid=$!
    extra_pids+=("$lv_pid")
    wait_http "http://127.0.0.1:$LV_PORT/healthz"
    if [[ $round == 1 ]]; then
      # The bench seller's shop (the one the seed made) opens a room.
      token=$(curl -fsS -H 'Content-Type: application/json' -d '{"login":"bench-seller","password":"bench-seller-password"}' \
        "http://127.0.0.1:$LV_PORT/api/v1/auth/login" | sed -E 's/.*"token":"([^"]+)".*/\1/')
      product=$(awk '$1 == "sku" {print $3; exit}' "$work/live-buyers.txt")
      shop=$(curl -fsS "http://127.0.0.1:$LV_PORT/api/v1/products/$product" | sed -E 's/.*"shop_id":"([0-9]+)".*/\1/')
      at=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
      lv_room=$(curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
        -d "{\"shop_id\":\"$shop\",\"title\":\"精河枸杞 万人直播基准\",\"scheduled_at\":\"$at\"}" \
        "http://127.0.0.1:$LV_PORT/api/v1/live/rooms" | sed -E 's/^\{"id":"([0-9]+)".*/\1/')
      [[ $lv_room =~ ^[0-9]+$ ]] || { echo "bench: live: no room ($lv_room)" >&2; exit 1; }
    fi
    out=$("$BENCH_BIN/goji_live_bench" --port "$LV_PORT" --room "$lv_room" --data "$work/live-buyers.txt" \
      --server-pid "$lv_pid" --viewers "$LV_VIEWERS" --senders "$LV_SENDERS" --lines "$LV_LINES" \
      --interval-ms "$LV_INTERVAL" $( ((shared)) || echo --idle-priority)) ||
      { echo "bench: live round $round: $out" >&2; exit 1; }
    for k in rss_per_viewer_b pss_per_viewer_b anon_per_viewer_b rss_before_kb rss_after_kb rss_chat_kb pss_before_kb \
      pss_after_kb last_p50_ms last_p99_ms last_max_ms arrived_p50_ms arrived_p99_ms arrived_max_ms first_p50_ms \
      all_p50_ms all_p99_ms all_arrived_p50_ms all_arrived_p99_ms join_s delivered missing closed_early joined \
      server_us_per_delivery load_us_per_delivery; do
      if ((shared)); then lvs[$k]="$(lfield "$k" "$out")"; else lv[$k]+="$(lfield "$k" "$out") "; fi
    done
    echo "bench: live round $round: $out" >&2
    kill "$lv_pid"; wait "$lv_pid" 2>/dev/null || true; unset 'extra_pids[-1]'
  done
  lgoal() {  # measured, goal → "met" / "not met" (at most)
    awk -v r="$1" -v g="$2" 'BEGIN {print (r <= g ? "met" : "not met")}'
  }
  sum() { awk '{s = 0; for (i = 1; i <= NF; i++) s += $i; print s}' <<<"$1"; }
  per_viewer=$(m "${lv[rss_per_viewer_b]}"); fan_p99=$(m "${lv[arrived_p99_ms]}")
  load_at_end=$(cut -d' ' -f1-3 /proc/loadavg)
  {
    echo "## Live room: $LV_VIEWERS viewers in one room"
    echo
    echo "One \`goji serve\` (release build, SQLite, its defaults but \`--max-connections $((LV_VIEWERS + LV_SENDERS + 100))\`)"
    echo "and one load process, \`goji_live_bench\` (bench/live_viewers.cpp, Boost.Asio on 2 threads), on the same"
    echo "machine. The load opens $LV_SENDERS logged-in chat senders (\`goji seed --bench-buyers $LV_SENDERS\`, one"
    echo "session each) and then $LV_VIEWERS anonymous viewers, all WebSockets to \`/api/v1/live/rooms/{id}/ws\` of one"
    echo "room, the viewers 250 at a time. goji's memory is read from \`/proc\` after the senders joined and again"
    echo "after every viewer had its \`hello\` (3 s later each time): **per viewer = the difference / $LV_VIEWERS**."
    echo "Then the senders send $LV_LINES chat lines, one every $LV_INTERVAL ms, round robin (each sender a line"
    echo "every $((LV_SENDERS * LV_INTERVAL)) ms, within the room's one line a second); each line carries its send time."
    echo "**Fan-out of a line = send until it arrived at the last of the $LV_VIEWERS viewers**: the load asks the"
    echo "kernel for each segment's receive timestamp (\`SO_TIMESTAMPNS\`), the moment the line was in the viewer's"
    echo "socket; when the load read it is reported too. The viewers stand in for phones elsewhere, but here they"
    echo "share goji's 2 cores, so in the measured rounds the load runs as \`SCHED_IDLE\` (\`--idle-priority\`): it"
    echo "uses only what goji leaves, as a load on machines of its own would, and sweeps its viewers' sockets"
    echo "instead of waiting on epoll, so no readiness callback of the load runs inside goji's sends (it then"
    echo "takes all the CPU goji leaves, so its CPU figure below is no cost). The receiving side's TCP work (the"
    echo "viewers' sockets taking the segment and answering with an ACK)"
    echo "still runs on goji's cores inside goji's own send calls, so the arrival is if anything late. A fresh"
    echo "server each round; each figure is the median of $LV_ROUNDS rounds; one more round with the load at goji's"
    echo "own priority is shown for comparison."
    echo
    echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- Machine: $cpu, $(nproc) cores, $mem, $(uname -sr); load average at the start: $load_at_start"
    echo "- Open files: $(ulimit -n) (soft, raised to the hard limit for the load; goji raises its own)"
    echo "- Command: \`BENCH_ONLY=live bash scripts/bench.sh\` after \`make build\` (\`BENCH_LIVE_VIEWERS\` = $LV_VIEWERS,"
    echo "  \`BENCH_LIVE_SENDERS\` = $LV_SENDERS, \`BENCH_LIVE_LINES\` = $LV_LINES, \`BENCH_LIVE_INTERVAL_MS\` = $LV_INTERVAL,"
    echo "  \`BENCH_LIVE_ROUNDS\` = $LV_ROUNDS)"
    echo
    echo "| figure | value | goal |"
    echo "|---|---:|---:|"
    echo "| memory per viewer: VmRSS | $per_viewer B | ≤ 10 KB ($(lgoal "$per_viewer" 10240)) |"
    echo "| memory per viewer: Pss (\`/proc/PID/smaps_rollup\`) | $(m "${lv[pss_per_viewer_b]}") B | |"
    echo "| memory per viewer: RssAnon | $(m "${lv[anon_per_viewer_b]}") B | |"
    echo "| goji VmRSS: senders only → $LV_VIEWERS viewers → after the chat | $(m "${lv[rss_before_kb]}") → $(m "${lv[rss_after_kb]}") → $(m "${lv[rss_chat_kb]}") KiB | |"
    echo "| chat line fan-out to all $LV_VIEWERS viewers (arrival): p50 | $(m "${lv[arrived_p50_ms]}") ms | |"
    echo "| chat line fan-out to all $LV_VIEWERS viewers (arrival): p99 | $fan_p99 ms | ≤ 100 ms ($(lgoal "$fan_p99" 100)) |"
    echo "| chat line fan-out to all $LV_VIEWERS viewers (arrival): max | $(m "${lv[arrived_max_ms]}") ms | |"
    echo "| chat line to the first viewer (arrival): p50 | $(m "${lv[first_p50_ms]}") ms | |"
    echo "| every delivery (line × viewer, arrival): p50 / p99 | $(m "${lv[all_arrived_p50_ms]}") / $(m "${lv[all_arrived_p99_ms]}") ms | |"
    echo "| fan-out until the idle load had read it: p50 / p99 | $(m "${lv[last_p50_ms]}") / $(m "${lv[last_p99_ms]}") ms | |"
    echo "| one round, the load at goji's priority: fan-out (arrival) p50 / p99; read p99 | ${lvs[arrived_p50_ms]} / ${lvs[arrived_p99_ms]} ms; ${lvs[last_p99_ms]} ms | |"
    echo "| time for the $LV_VIEWERS viewers to join | $(m "${lv[join_s]}") s | |"
    echo "| lines delivered / missing, all rounds | $(sum "${lv[delivered]} ${lvs[delivered]}") / $(sum "${lv[missing]} ${lvs[missing]}") | missing 0 |"
    echo "| viewers closed before the end, all rounds | $(sum "${lv[closed_early]} ${lvs[closed_early]}") | 0 |"
    echo "| goji's CPU time per delivery (user + system, during the chat) | $(m "${lv[server_us_per_delivery]}") µs | |"
    echo "| the idle load's CPU time per delivery (what goji left it) | $(m "${lv[load_us_per_delivery]}") µs | |"
    echo "| the same two, the load at goji's priority | ${lvs[server_us_per_delivery]} / ${lvs[load_us_per_delivery]} µs | |"
    echo
    echo "Load average at the end: $load_at_end (other work on the machine shares its $(nproc) cores with goji and the load)."
    echo
    cat bench/live_findings.md
  } >"$work/live.md"
fi

# --- flash sale: 1 000 buyers sell out 2 000 units through Goji, and the same statements on the database ---
if want flash; then
  BENCH_BIN=$BUILD/bench
  FL_CLIENTS=${BENCH_FLASH_CLIENTS:-1000}
  FL_UNITS=${BENCH_FLASH_UNITS:-2000}
  FL_PORT=$((GOJI_PORT + 8))
  start_pg
  "$PG_BIN/psql" -q -h "$work/pg" -U goji -d postgres -c "CREATE DATABASE goji_flash" >/dev/null
  declare -A fl_db=([sqlite]="sqlite:$work/flash.db" [postgres]="postgresql://goji@/goji_flash?host=$work/pg&port=5432")
  # The reference's connections: SQLite has one writer anyway; PostgreSQL as many as Goji's pool may open.
  declare -A fl_ref_clients=([sqlite]=16 [postgres]=64)
  ffield() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k {print $2}'; }
  declare -A fl
  for b in sqlite postgres; do
    "$GOJI" seed --db "${fl_db[$b]}" --regions "$REGIONS" --argon2 min --bench-buyers "$FL_CLIENTS" \
      --bench-out "$work/flash-buyers-$b.txt" >/dev/null 2>>"$work/goji.err"
  done
  for round in $(seq 1 "$ROUNDS"); do
    for b in sqlite postgres; do
      "$GOJI" serve --db "${fl_db[$b]}" --regions "$REGIONS" --listen "127.0.0.1:$FL_PORT" \
        --access-log "$work/goji-access-flash.log" --rate-limit-rps 1000000000 --rate-limit-burst 1000000000 \
        --web-root "$work/none" 2>>"$work/goji.err" &
      fl_pid=$!
      extra_pids+=("$fl_pid")
      wait_http "http://127.0.0.1:$FL_PORT/healthz"
      out=$("$BENCH_BIN/goji_flash_bench" --data "$work/flash-buyers-$b.txt" --port "$FL_PORT" \
        --clients "$FL_CLIENTS" --units "$FL_UNITS" --limit 2)
      ref_sale=$("$BENCH_BIN/goji_flash_bench" --data "$work/flash-buyers-$b.txt" --port "$FL_PORT" \
        --units "$FL_UNITS" --limit 2 --sale-only | sed 's/^sale=//')
      kill "$fl_pid"; wait "$fl_pid" 2>/dev/null || true; unset 'extra_pids[-1]'
      ref=$("$BENCH_BIN/goji_flash_ref" --db "${fl_db[$b]}" --data "$work/flash-buyers-$b.txt" --sale "$ref_sale" \
        --clients "${fl_ref_clients[$b]}")
      for k in bought sellout_ms attempts attempt_p50_ms attempt_p99_ms bought_p99_ms; do
        fl[${b}_$k]+="$(ffield "$k" "$out") "
        fl[${b}_ref_$k]+="$(ffield "$k" "$ref") "
      done
      echo "bench: round $round flash $b: Goji sold $(ffield bought "$out") in $(ffield sellout_ms "$out") ms" \
        "(attempt p99 $(ffield attempt_p99_ms "$out") ms), reference $(ffield bought "$ref") in" \
        "$(ffield sellout_ms "$ref") ms" >&2
    done
  done
  {
    echo
    echo "## Flash sale (1 000 buyers, 2 000 units)"
    echo
    echo "- Machine: $cpu, $mem; load average at the start $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)"
    echo "- Command: \`BENCH_ONLY=flash bash scripts/bench.sh\` after \`make build\`; medians of $ROUNDS rounds"
    echo
    echo "\`goji seed --bench-buyers $FL_CLIENTS\` makes the buyers (each with a session and an address). Each round"
    echo "the seller opens a live room and puts $FL_UNITS units of one SKU on a flash sale, at most 2 a buyer;"
    echo "then $FL_CLIENTS buyers (\`goji_flash_bench\`, bench/flash_load.cpp: one thread of coroutines, each"
    echo "buyer on its own keep-alive connection) all at once \`POST /api/v1/live/flash-sales/{id}/buy\` one"
    echo "unit at a time with a fresh Idempotency-Key until they get \`sold_out\` or \`limit_reached\`."
    echo "**Sell-out** is the time from the first attempt to the last unit sold; attempts include the refusals"
    echo "(answered from a read, without the writer). The reference (\`goji_flash_ref\`, bench/flash_reference.cpp)"
    echo "runs the statements that decide the stock straight on the database: per attempt the read of the"
    echo "units left, then in one transaction the buyer's conditional upsert and the sale's conditional"
    echo "update; no HTTP, sessions, order, payment or timeline rows (so \`goji check stock\` reports its sales:"
    echo "they have no orders). Its clients: ${fl_ref_clients[sqlite]} connections on SQLite, ${fl_ref_clients[postgres]} on PostgreSQL."
    echo
    echo "| backend | Goji units sold | Goji sell-out ms | Goji attempts | attempt p50 ms | attempt p99 ms | buy p99 ms | reference sell-out ms | reference attempt p99 ms | Goji / reference time |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for b in sqlite postgres; do
      case $b in sqlite) label=SQLite ;; postgres) label=PostgreSQL ;; esac
      echo "| $label | $(m "${fl[${b}_bought]}") | $(m "${fl[${b}_sellout_ms]}") | $(m "${fl[${b}_attempts]}") |" \
        "$(m "${fl[${b}_attempt_p50_ms]}") | $(m "${fl[${b}_attempt_p99_ms]}") | $(m "${fl[${b}_bought_p99_ms]}") |" \
        "$(m "${fl[${b}_ref_sellout_ms]}") | $(m "${fl[${b}_ref_attempt_p99_ms]}") |" \
        "$(ratio "$(m "${fl[${b}_sellout_ms]}")" "$(m "${fl[${b}_ref_sellout_ms]}")") |"
    done
    echo
    [[ -f bench/flash_findings.md ]] && cat bench/flash_findings.md
  } >"$work/flash.md"
fi

# The parts that ran replace theirs; the others stay as they were.
{
  if want http; then
    cat "$work/http.md"
  elif [[ -f "$OUT" ]]; then
    sed '/^## Checkout and pay/,$d' "$OUT"
  fi
  if want checkout; then
    cat "$work/checkout.md"
  elif [[ -f "$OUT" ]]; then
    sed -n '/^## Checkout and pay/,$p' "$OUT" | sed '/^## Statistics/,$d'
  fi
  if want stats; then
    cat "$work/stats.md"
  elif [[ -f "$OUT" ]]; then
    sed -n '/^## Statistics/,$p' "$OUT" | sed '/^## Live room/,$d' | sed '/^## Flash sale/,$d'
  fi
  if want live; then
    cat "$work/live.md"
  elif [[ -f "$OUT" ]]; then
    sed -n '/^## Live room/,$p' "$OUT" | sed '/^## Flash sale/,$d'
  fi
  if want flash; then
    cat "$work/flash.md"
  elif [[ -f "$OUT" ]]; then
    sed -n '/^## Flash sale/,$p' "$OUT"
  fi
} >"$work/BENCHMARKS.md"
cp "$work/BENCHMARKS.md" "$OUT"
echo "bench: wrote $OUT" >&2
cat "$OUT"
