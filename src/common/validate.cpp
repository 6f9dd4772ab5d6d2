#include "common/validate.hpp"

#include <chrono>

#include "common/text.hpp"

namespace goji::validate {

Result<std::string> Text(std::string_view value, std::string_view field, std::size_t min_code_points,
                         std::size_t max_code_points, bool multiline) {
    const std::string_view trimmed = text::Trim(value);
    if (!text::IsValidUtf8(trimmed)) return Error::BadInput(std::string(field), "invalid_utf8");
    const std::size_t n = text::CodePoints(trimmed);
    if (n == 0 && min_code_points > 0) return Error::BadInput(std::string(field), "required");
    if (n < min_code_points) return Error::BadInput(std::string(field), "too_short");
    if (n > max_code_points) return Error::BadInput(std::string(field), "too_long");
    if (text::HasControlChars(trimmed, multiline)) return Error::BadInput(std::string(field), "control_chars");
    return std::string(trimmed);
}

Status Range(std::int64_t value, std::string_view field, std::int64_t min, std::int64_t max) {
    if (value < min) return Error::BadInput(std::string(field), "too_small");
    if (value > max) return Error::BadInput(std::string(field), "too_large");
    return {};
}

Result<std::int64_t> Date(std::string_view value, std::string_view field) {
    using namespace std::chrono;
    const auto bad = Error::BadInput(std::string(field), "invalid_date");
    if (value.size() != 10 || value[4] != '-' || value[7] != '-') return bad;
    int parts[3] = {0, 0, 0};
    const std::size_t starts[3] = {0, 5, 8};
    const std::size_t lens[3] = {4, 2, 2};
    for (int i = 0; i < 3; ++i) {
        for (std::size_t j = 0; j < lens[i]; ++j) {
            const char c = value[starts[i] + j];
            if (c < '0' || c > '9') return bad;
            parts[i] = parts[i] * 10 + (c - '0');
        }
    }
    const year_month_day ymd{year{parts[0]}, month{static_cast<unsigned>(parts[1])},
                             day{static_cast<unsigned>(parts[2])}};
    if (!ymd.ok() || parts[0] < 1900) return bad;
    return static_cast<std::int64_t>(sys_days(ymd).time_since_epoch().count());
}

}  // namespace goji::validate
