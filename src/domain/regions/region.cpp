#include "domain/regions/region.hpp"

#include <array>
#include <charconv>

namespace goji::regions {

namespace {

constexpr std::array<std::size_t, 5> kDigits = {2, 4, 6, 9, 12};
constexpr std::array<std::uint64_t, 5> kScale = {10000000000ULL, 100000000ULL, 1000000ULL, 1000ULL, 1ULL};

std::string Pad(std::uint64_t v, std::size_t width) {
    std::string s = std::to_string(v);
    if (s.size() < width) s.insert(0, width - s.size(), '0');
    return s;
}

}  // namespace

std::string_view LevelName(Level level) {
    switch (level) {
        case Level::kProvince:
            return "province";
        case Level::kPrefecture:
            return "prefecture";
        case Level::kCounty:
            return "county";
        case Level::kTownship:
            return "township";
        case Level::kVillage:
            return "village";
    }
    return "unknown";
}

std::size_t PrefixDigits(Level level) { return kDigits[static_cast<std::size_t>(level)]; }

std::string RegionCode::Prefix() const {
    const auto i = static_cast<std::size_t>(level);
    return Pad(code12 / kScale[i], kDigits[i]);
}

std::string RegionCode::Canonical() const {
    std::string p = Prefix();
    if (p.size() < 6) p.append(6 - p.size(), '0');
    return p;
}

std::optional<RegionCode> RegionCode::Parent() const {
    if (level == Level::kProvince) return std::nullopt;
    const auto parent_level = static_cast<Level>(static_cast<std::uint8_t>(level) - 1);
    const std::uint64_t scale = kScale[static_cast<std::size_t>(parent_level)];
    return RegionCode{code12 / scale * scale, parent_level};
}

bool RegionCode::Contains(const RegionCode& other) const {
    if (other.level < level) return false;
    const std::uint64_t scale = kScale[static_cast<std::size_t>(level)];
    return other.code12 / scale == code12 / scale;
}

std::optional<RegionCode> RegionCode::Parse(std::string_view text) {
    if (text.empty() || text.size() > 12) return std::nullopt;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    std::uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    Level level;
    std::uint64_t code12 = 0;
    switch (text.size()) {
        case 2:
            level = Level::kProvince;
            code12 = v * kScale[0];
            break;
        case 4:
            level = Level::kPrefecture;
            code12 = v * kScale[1];
            break;
        case 6:
            code12 = v * kScale[2];
            if (v % 10000 == 0) {
                level = Level::kProvince;
            } else if (v % 100 == 0) {
                level = Level::kPrefecture;
            } else {
                level = Level::kCounty;
            }
            break;
        case 9:
            level = Level::kTownship;
            code12 = v * kScale[3];
            if (v % 1000 == 0) return std::nullopt;
            break;
        case 12:
            level = Level::kVillage;
            code12 = v;
            if (v % 1000 == 0) return std::nullopt;
            break;
        default:
            return std::nullopt;
    }
    if (code12 / kScale[0] == 0) return std::nullopt;
    return RegionCode{code12, level};
}

}  // namespace goji::regions
