#pragma once

#include <string>

#include "common/clock.hpp"

namespace goji {

// ISO 8601 with the Asia/Shanghai offset (+08:00, no daylight saving since
// 1991), e.g. "2026-11-29T12:01:36.123+08:00".
std::string FormatShanghai(Millis utc_ms);

}  // namespace goji
