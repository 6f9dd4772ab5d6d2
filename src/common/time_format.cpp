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

namespace {

// `n` digits at `at` as a number, or -1.
int Digits(std::string_view text, std::size_t at, std::size_t n) {
    if (at + n > text.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

}  // namespace

std::optional<Millis> ParseIso8601(std::string_view text) {
    using namespace std::chrono;
    const int y = Digits(text, 0, 4);
    const int mo = Digits(text, 5, 2);
    const int d = Digits(text, 8, 2);
    const int h = Digits(text, 11, 2);
    const int mi = Digits(text, 14, 2);
    if (y < 1970 || mo < 0 || d < 0 || h < 0 || mi < 0) return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') {
        return std::nullopt;
    }
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59) return std::nullopt;
    std::size_t at = 16;
    int s = 0;
    int ms = 0;
    if (at < text.size() && text[at] == ':') {
        s = Digits(text, at + 1, 2);
        if (s < 0 || s > 59) return std::nullopt;
        at += 3;
        if (at < text.size() && text[at] == '.') {
            ms = Digits(text, at + 1, 3);
            if (ms < 0) return std::nullopt;
            at += 4;
        }
    }
    Millis offset = 0;
    if (at < text.size() && text[at] == 'Z') {
        at += 1;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int oh = Digits(text, at + 1, 2);
        const int om = Digits(text, at + 4, 2);
        if (oh < 0 || om < 0 || oh > 14 || om > 59 || text[at + 3] != ':') return std::nullopt;
        offset = (text[at] == '+' ? 1 : -1) * (oh * 3600000LL + om * 60000LL);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    const Millis local = duration_cast<milliseconds>(sys_days(ymd).time_since_epoch()).count() + h * 3600000LL +
                         mi * 60000LL + s * 1000LL + ms;
    return local - offset;
}

}  // namespace goji
