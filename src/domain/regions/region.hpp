#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goji::regions {

// The five levels of the national administrative divisions (GB/T 2260 and the
// statistics office's township and village codes).
enum class Level : std::uint8_t { kProvince = 0, kPrefecture = 1, kCounty = 2, kTownship = 3, kVillage = 4 };

std::string_view LevelName(Level level);

// A region code in canonical form: 6 digits for provinces ("650000"),
// prefectures ("652700") and counties ("652722"), 9 for townships and 12 for
// villages. The significant prefix (2, 4, 6, 9 or 12 digits) is what ancestry
// and roll-ups compare.
struct RegionCode {
    std::uint64_t code12 = 0;  // padded to 12 digits
    Level level = Level::kProvince;

    bool operator==(const RegionCode&) const = default;

    std::string Canonical() const;
    std::string Prefix() const;  // significant digits only
    std::optional<RegionCode> Parent() const;
    bool Contains(const RegionCode& other) const;  // other is this or below it

    // Accepts canonical codes and the short forms "65" and "6527".
    static std::optional<RegionCode> Parse(std::string_view text);
    static RegionCode FromCode12(std::uint64_t code12, Level level) { return {code12, level}; }
};

std::size_t PrefixDigits(Level level);

struct Region {
    RegionCode code;
    std::string name;
    bool urban = false;
    bool operator==(const Region&) const = default;
};

// Read-only access to every region. Implementations must be safe to call
// from many threads at once.
class RegionDirectory {
public:
    static constexpr std::size_t kMaxChildrenPage = 1000;

    virtual ~RegionDirectory() = default;
    virtual std::optional<Region> Find(const RegionCode& code) const = 0;
    // Children in code order, strictly after `after` (when given), at most `limit`.
    // `parent` empty means the provinces.
    virtual std::vector<Region> Children(const std::optional<RegionCode>& parent,
                                         const std::optional<RegionCode>& after, std::size_t limit) const = 0;
    virtual std::size_t size() const = 0;
};

}  // namespace goji::regions
