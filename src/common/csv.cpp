#include "common/csv.hpp"

#include <algorithm>

namespace goji::csv {

Result<std::vector<Record>> Parse(std::string_view text, std::size_t max_records) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<Record> out;
    Record current;
    std::string field;
    bool quoted = false;
    bool field_started = false;  // the record has content (for skipping empty lines)
    std::size_t line = 1;
    current.line = 1;
    auto end_record = [&]() -> Status {
        if (field_started || !current.fields.empty() || !field.empty()) {
            current.fields.push_back(std::move(field));
            if (out.size() == max_records) return Error::BadInput("csv", "too_many_rows");
            out.push_back(std::move(current));
        }
        current = Record{};
        field.clear();
        field_started = false;
        return {};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line;
                field += c;
            }
            continue;
        }
        switch (c) {
            case '"':
                quoted = true;
                field_started = true;
                break;
            case ',':
                current.fields.push_back(std::move(field));
                field.clear();
                field_started = true;
                break;
            case '\r':
                if (i + 1 < text.size() && text[i + 1] == '\n') break;  // CRLF: the LF ends it
                [[fallthrough]];
            case '\n':
                if (auto s = end_record(); !s) return s.error();
                ++line;
                current.line = line;
                break;
            default:
                field += c;
                field_started = true;
        }
    }
    if (quoted) return Error::BadInput("csv", "unterminated_quote");
    if (auto s = end_record(); !s) return s.error();
    return out;
}

Result<std::vector<std::size_t>> Columns(const Record& header, const std::vector<std::string_view>& expected) {
    std::vector<std::size_t> at;
    for (const std::string_view name : expected) {
        const auto it = std::find(header.fields.begin(), header.fields.end(), name);
        if (it == header.fields.end()) return Error::BadInput(std::string(name), "missing_column");
        at.push_back(static_cast<std::size_t>(it - header.fields.begin()));
    }
    return at;
}

std::string Escape(std::string_view field) {
    std::string f(field);
    const bool number = f.size() > 1 && f[0] == '-' &&
                        std::all_of(f.begin() + 1, f.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (!f.empty() && !number && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@')) f.insert(0, 1, '\'');
    if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
    std::string out = "\"";
    for (const char c : f) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

}  // namespace goji::csv
