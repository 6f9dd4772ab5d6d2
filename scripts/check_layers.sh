#!/usr/bin/env bash
# The domain and common layers stay free of transport and database code:
# fail when they include Beast, Asio, SQLite, libpq or Boost.JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern='#include\s*[<"](boost/(beast|asio|json|url)|sqlite3\.h|libpq-fe\.h|spdlog/)'
if grep -rnE "$pattern" src/domain src/common; then
  echo "check_layers: src/domain and src/common must not include the headers above" >&2
  exit 1
fi
# Beast and Asio only in the server's own files (compile time, and one place to look).
if grep -rlnE '#include\s*[<"]boost/(beast|asio)' src | grep -v '^src/http/server/'; then
  echo "check_layers: Beast/Asio belong in src/http/server only" >&2
  exit 1
fi
echo "check_layers: ok"
