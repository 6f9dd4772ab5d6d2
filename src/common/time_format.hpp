#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace goji {

// ISO 8601 with the Asia/Shanghai offset (+08:00, no daylight saving since
// 1991), e.g. "2026-11-29T12:01:36.123+08:00".
std::string FormatShanghai(Millis utc_ms);

// Reads an ISO 8601 time with its offset, "2026-11-29T12:01:36+08:00",
// "2026-11-29T04:01Z" or with milliseconds ".123"; seconds are optional.
// Returns UTC epoch milliseconds; nothing for anything else (no offset, a
// day that does not exist, years outside 1970..9999).
std::optional<Millis> ParseIso8601(std::string_view text);

}  // namespace goji
