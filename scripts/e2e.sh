#!/usr/bin/env bash
# Browser end-to-end tests: starts `goji serve` on a temporary SQLite database
# with the built web app, and nginx with nginx-rtmp for live video (its
# configuration rendered by `goji nginx-config`, on free loopback ports), runs
# tests/e2e with Node's test runner (playwright-core driving the system's
# Chromium), and stops everything it started.
#
#   bash scripts/e2e.sh [GOJI_BINARY] [REGIONS_FILE]
#
# Defaults: $GOJI_BIN / $GOJI_REGIONS, else build/dev/goji and build/dev/regions.bin.
# E2E_FILES (space-separated test files, e.g. "tests/e2e/livechat.test.mjs") runs
# only those; by default every file in tests/e2e/.
# Assumes `npm ci` in web/ and tests/e2e/ and a built web/dist. Downloads nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

goji_bin=${1:-${GOJI_BIN:-build/dev/goji}}
regions=${2:-${GOJI_REGIONS:-build/dev/regions.bin}}
chromium_bin=${CHROMIUM:-/usr/bin/chromium}
start_timeout_s=${GOJI_START_TIMEOUT:-60}
test_timeout_s=${E2E_TIMEOUT:-780} # below CTest's 900 s, so the cleanup here always runs

fail() {
    echo "e2e: $*" >&2
    exit 2
}
[[ -x "$goji_bin" ]] || fail "goji binary not found or not executable: $goji_bin"
[[ -f "$regions" ]] || fail "region data file not found: $regions"
[[ -f web/dist/index.html ]] || fail "web/dist is not built (run: cd web && npm ci && npm run build)"
[[ -d tests/e2e/node_modules/playwright-core ]] || fail "tests/e2e has no node_modules (run: cd tests/e2e && npm ci)"
[[ -x "$chromium_bin" ]] || fail "Chromium not found at $chromium_bin (Debian package: chromium)"

work=$(mktemp -d "${TMPDIR:-/tmp}/goji-e2e.XXXXXX")
goji_pid=""
node_pid=""
nginx_pid=""

# Each child runs in a session of its own, so that stopping it by its process
# group also stops whatever it started (Chromium under Node).
stop_group() {
    local pid=$1
    [[ -n "$pid" ]] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    stop_group "$node_pid"
    stop_group "$nginx_pid"
    stop_group "$goji_pid"
    if ((rc != 0)) && [[ -s "$work/goji.err" ]]; then
        echo "e2e: last lines of goji's log:" >&2
        tail -n 30 "$work/goji.err" >&2 || true
    fi
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

: >"$work/goji.out"
: >"$work/goji.err"

# A county e-commerce officer of Jinghe County (652722) for the catalog tests;
# the password reaches goji on standard input, the tests through the environment.
export E2E_OFFICER_LOGIN=off1
E2E_OFFICER_PASSWORD="officer-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
export E2E_OFFICER_PASSWORD
printf '%s\n' "$E2E_OFFICER_PASSWORD" |
    "$goji_bin" user add \
        --db "sqlite:$work/goji.db" \
        --regions "$regions" \
        --argon2 min \
        --login "$E2E_OFFICER_LOGIN" \
        --role county_officer \
        --region 652722 \
        --password-stdin \
        >>"$work/goji.out" 2>>"$work/goji.err" ||
    fail "could not add the officer account: $(tail -n 5 "$work/goji.err")"

# An administrator for the statistics test (it imports known historical sales).
export E2E_ADMIN_LOGIN=adm1
E2E_ADMIN_PASSWORD="admin-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
export E2E_ADMIN_PASSWORD
printf '%s\n' "$E2E_ADMIN_PASSWORD" |
    "$goji_bin" user add \
        --db "sqlite:$work/goji.db" \
        --regions "$regions" \
        --argon2 min \
        --login "$E2E_ADMIN_LOGIN" \
        --role admin \
        --password-stdin \
        >>"$work/goji.out" 2>>"$work/goji.err" ||
    fail "could not add the admin account: $(tail -n 5 "$work/goji.err")"
# Live video: two free loopback ports (RTMP in, HLS out) for nginx, and a
# callback secret. `make deps` installs the nginx-rtmp module and ffmpeg; without them the run fails.
rtmp_module=${RTMP_MODULE:-/usr/lib/nginx/modules/ngx_rtmp_module.so}
live_args=()
if [[ -f "$rtmp_module" ]] && command -v nginx >/dev/null && command -v ffmpeg >/dev/null; then
    read -r rtmp_port hls_port < <(node -e '
        const net = require("node:net");
        const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
        Promise.all([free(), free()]).then((p) => console.log(p.join(" ")));')
    live_secret=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    mkdir -p "$work/live"
    live_args=(--live-dir "$work/live" --live-rtmp-url "rtmp://127.0.0.1:$rtmp_port/live"
        --live-media-url "http://127.0.0.1:$hls_port/live" --live-callback-secret "$live_secret")
else
    fail "nginx-rtmp ($rtmp_module) or ffmpeg missing: run make deps"
fi

setsid "$goji_bin" serve \
    --db "sqlite:$work/goji.db" \
    --listen 127.0.0.1:0 \
    --regions "$regions" \
    --web-root web/dist \
    --argon2 min \
    --access-log "${E2E_ACCESS_LOG:-off}" \
    --rate-limit-rps 0 \
    "${live_args[@]}" \
    >"$work/goji.out" 2>"$work/goji.err" &
goji_pid=$!

port=""
for _ in $(seq $((start_timeout_s * 10))); do
    port=$(sed -n 's/.*listening on .*(port \([0-9][0-9]*\)).*/\1/p' "$work/goji.err" "$work/goji.out" | head -n 1 || true)
    [[ -n "$port" ]] && break
    kill -0 "$goji_pid" 2>/dev/null || {
        cat "$work/goji.err" >&2
        fail "goji exited before it listened"
    }
    sleep 0.1
done
[[ -n "$port" ]] || fail "goji did not report its port within ${start_timeout_s}s"

if ((${#live_args[@]})); then
    "$goji_bin" nginx-config --out "$work/nginx-live.conf" --rtmp-module "$rtmp_module" \
        --rtmp-listen "127.0.0.1:$rtmp_port" --http-listen "127.0.0.1:$hls_port" --live-dir "$work/live" \
        --goji-url "http://127.0.0.1:$port" --callback-secret "$live_secret" --hls-fragment-s 1 --hls-playlist-s 6 ||
        fail "goji nginx-config failed"
    # As root, nginx's workers would otherwise run as nobody and could not write into the private folder.
    nginx_user=""
    [[ $(id -u) == 0 ]] && nginx_user="user root root;"
    setsid nginx -p "$work/live/" -e "$work/live/logs/startup.log" -c "$work/nginx-live.conf" \
        -g "daemon off; $nginx_user" >"$work/nginx.out" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$rtmp_port") 2>/dev/null && break
        kill -0 "$nginx_pid" 2>/dev/null || fail "nginx exited: $(cat "$work/nginx.out" "$work/live/logs/startup.log" 2>/dev/null)"
        sleep 0.1
    done
    export E2E_LIVE_RTMP_URL="rtmp://127.0.0.1:$rtmp_port/live"
    export E2E_LIVE_DIR="$work/live"
    export E2E_LOG_FILES="$work/goji.out:$work/goji.err:$work/nginx.out:$work/live/logs/error.log:$work/live/logs/access.log"
    echo "e2e: nginx-rtmp on $E2E_LIVE_RTMP_URL, HLS on http://127.0.0.1:$hls_port/live"
fi

export GOJI_URL="http://127.0.0.1:$port"
export CHROMIUM="$chromium_bin"
echo "e2e: goji serving web/dist at $GOJI_URL"

set +e
setsid timeout --kill-after=10 "$test_timeout_s" \
    node --test --test-concurrency=1 --test-reporter=spec ${E2E_FILES:-tests/e2e/} &
node_pid=$!
wait "$node_pid"
rc=$?
node_pid=""
set -e
exit "$rc"
