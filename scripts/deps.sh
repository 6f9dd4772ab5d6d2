#!/usr/bin/env bash
# Installs exactly the Debian packages the build, the tests and the benchmarks
# need, only when missing, then the npm packages of every package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-context1.81-dev libsqlite3-dev libpq-dev libsodium-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libvips-dev libmagic-dev libqrencode-dev libicu-dev
  libxlsxwriter-dev libcairo2-dev libpango1.0-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format
  postgresql-15
  nginx wrk procps curl unzip poppler-utils
  redis-server libhiredis-dev
  libnginx-mod-rtmp ffmpeg
  chromium fonts-noto-core fonts-noto-cjk
)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The PostgreSQL package starts a cluster of its own; the tests run their own.
  if [[ " ${missing[*]} " == *" postgresql-15 "* ]]; then
    (service postgresql stop || true) >/dev/null 2>&1
  fi
  # Likewise Redis: the tests and a multi-node setup start their own.
  if [[ " ${missing[*]} " == *" redis-server "* ]]; then
    (service redis-server stop || true) >/dev/null 2>&1
  fi
fi

# npm ci wherever a lock file exists; skipped when the lock is unchanged since
# the last install so that a second run is quick.
while IFS= read -r lock; do
  dir=$(dirname "$lock")
  stamp="$dir/node_modules/.goji-lock.sha256"
  sum=$(sha256sum "$lock" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then continue; fi
  echo "deps: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$sum" >"$stamp"
done < <(find . -name package-lock.json -not -path '*/node_modules/*' -not -path './build/*')
