#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace goji::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Number of code points in valid UTF-8.
std::size_t CodePoints(std::string_view s);

// True when `s` has a C0/C1 control character other than tab and newline.
bool HasControlChars(std::string_view s, bool allow_newlines);

// Trims ASCII whitespace at both ends.
std::string_view Trim(std::string_view s);

// Lower-case hex of the bytes.
std::string Hex(std::string_view bytes);

bool StartsWith(std::string_view s, std::string_view prefix);

// A person's name as strangers see it: the first character and "**"
// ("张三" → "张**"); "**" alone for an empty name.
std::string MaskName(std::string_view name);
bool IEquals(std::string_view a, std::string_view b);

}  // namespace goji::text

namespace goji::text {
// Appends `s` to `out` as the inside of a JSON string (quotes not included).
void AppendJsonEscaped(std::string& out, std::string_view s);
}  // namespace goji::text
