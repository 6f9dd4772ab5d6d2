#include "common/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace goji {

std::string FormatShanghai(Millis utc_ms) {
    using namespace std::chrono;
    constexpr Millis kOffset = 8LL * 3600 * 1000;
    const Millis local = utc_ms + kOffset;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(local)));
    const year_month_day ymd(day);
    Millis rest = local - duration_cast<milliseconds>(day.time_since_epoch()).count();
    const int h = static_cast<int>(rest / 3600000);
    rest %= 3600000;
    const int m = static_cast<int>(rest / 60000);
    rest %= 60000;
    const int s = static_cast<int>(rest / 1000);
    const int ms = static_cast<int>(rest % 1000);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03d+08:00", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), h, m, s, ms);
    return buf;
}

}  // namespace goji
