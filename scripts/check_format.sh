#!/usr/bin/env bash
# clang-format over our C++ (the style is .clang-format at the root).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find src tests bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null)
clang-format --dry-run --Werror "${files[@]}"
echo "check_format: ok (${#files[@]} files)"
