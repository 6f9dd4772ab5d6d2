#pragma once

#include <compare>
#include <cstdint>

namespace goji {

// Money in integer fen (1/100 yuan). Never floating point.
struct Fen {
    std::int64_t value = 0;
    auto operator<=>(const Fen&) const = default;
    Fen operator+(Fen o) const { return {value + o.value}; }
    Fen operator-(Fen o) const { return {value - o.value}; }
};

}  // namespace goji
