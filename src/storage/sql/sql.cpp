#include "storage/sql/sql.hpp"

#include <charconv>

namespace goji::storage {

std::int64_t Row::Int(std::size_t i) const {
    const Cell& c = cells_.at(i);
    if (const auto* v = std::get_if<std::int64_t>(&c)) return *v;
    if (const auto* s = std::get_if<std::string>(&c)) {
        if (*s == "t") return 1;
        if (*s == "f") return 0;
        std::int64_t v = 0;
        std::from_chars(s->data(), s->data() + s->size(), v);
        return v;
    }
    return 0;
}

bool Row::Bool(std::size_t i) const { return Int(i) != 0; }

std::string Row::Text(std::size_t i) const {
    const Cell& c = cells_.at(i);
    if (const auto* s = std::get_if<std::string>(&c)) return *s;
    if (const auto* v = std::get_if<std::int64_t>(&c)) return std::to_string(*v);
    return {};
}

std::optional<std::string> Row::OptText(std::size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Text(i);
}

}  // namespace goji::storage
