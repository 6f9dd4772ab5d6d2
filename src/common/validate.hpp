#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace goji::validate {

// Trims, then checks valid UTF-8, length in code points and control
// characters (newlines allowed only when `multiline`). Returns the trimmed text.
Result<std::string> Text(std::string_view value, std::string_view field, std::size_t min_code_points,
                         std::size_t max_code_points, bool multiline = false);

// An integer in [min, max]; "too_small"/"too_large" otherwise.
Status Range(std::int64_t value, std::string_view field, std::int64_t min, std::int64_t max);

// A calendar date "YYYY-MM-DD" that exists; returns days since 1970-01-01.
Result<std::int64_t> Date(std::string_view value, std::string_view field);

}  // namespace goji::validate
