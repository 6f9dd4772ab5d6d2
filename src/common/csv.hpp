#pragma once

// RFC 4180 comma-separated values: quoted fields with "" for a quote and
// line breaks inside quotes, CRLF or LF line ends, a UTF-8 byte order mark
// ignored. Used by the imports.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace goji::csv {

struct Record {
    std::size_t line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

// Splits `text` into records, skipping empty lines. BadInput("csv",
// "unterminated_quote" / "too_many_rows") when the text is malformed or has
// more than `max_records` records.
Result<std::vector<Record>> Parse(std::string_view text, std::size_t max_records);

// Checks that `header` names exactly `expected` in any order and returns,
// for each expected column, its index. BadInput(<name>, "missing_column").
Result<std::vector<std::size_t>> Columns(const Record& header, const std::vector<std::string_view>& expected);

// A field for a CSV cell: quoted when it holds a comma, quote or line break,
// and prefixed with ' when a spreadsheet would read it as a formula.
std::string Escape(std::string_view field);

}  // namespace goji::csv
