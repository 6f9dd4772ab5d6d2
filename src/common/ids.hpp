#pragma once

#include <charconv>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace goji {

// A 64-bit id with a tag so that a UserId is never passed where a ShopId is
// wanted. Exposed to clients as a decimal string.
template <class Tag>
struct Id {
    std::int64_t value = 0;

    auto operator<=>(const Id&) const = default;
    std::string ToString() const { return std::to_string(value); }

    static std::optional<Id> Parse(std::string_view text) {
        if (text.empty() || text.size() > 19) return std::nullopt;
        std::int64_t v = 0;
        const auto* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), end, v);
        if (ec != std::errc{} || ptr != end || v <= 0) return std::nullopt;
        return Id{v};
    }
};

using UserId = Id<struct UserTag>;
using ShopId = Id<struct ShopTag>;
using ProductId = Id<struct ProductTag>;
using SkuId = Id<struct SkuTag>;
using CategoryId = Id<struct CategoryTag>;
using BatchId = Id<struct BatchTag>;
using AddressId = Id<struct AddressTag>;
using OrderId = Id<struct OrderTag>;
using PaymentId = Id<struct PaymentTag>;

}  // namespace goji
