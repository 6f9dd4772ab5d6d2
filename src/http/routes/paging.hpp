#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/error.hpp"
#include "http/types.hpp"

namespace goji::http {

// Lists take ?limit= (1..max, default `fallback`) and ?cursor= (opaque to
// clients; here the last id of the previous page).
constexpr std::size_t kListMax = 100;
constexpr std::size_t kListDefault = 20;

Result<std::size_t> PageLimit(const Request& req, std::size_t fallback = kListDefault, std::size_t max = kListMax);
Result<std::optional<std::int64_t>> IdCursor(const Request& req);

}  // namespace goji::http
