#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/error.hpp"
#include "domain/regions/region.hpp"

namespace goji::infra {

// The region directory read from the memory-mapped file that
// scripts/gen_regions.mjs writes at build time. Only the pages a lookup
// touches become resident, so 665 000 regions cost little memory.
class RegionFile final : public regions::RegionDirectory {
public:
    static Result<std::unique_ptr<RegionFile>> Open(const std::string& path);
    ~RegionFile() override;
    RegionFile(const RegionFile&) = delete;
    RegionFile& operator=(const RegionFile&) = delete;

    std::optional<regions::Region> Find(const regions::RegionCode& code) const override;
    std::vector<regions::Region> Children(const std::optional<regions::RegionCode>& parent,
                                          const std::optional<regions::RegionCode>& after,
                                          std::size_t limit) const override;
    std::size_t size() const override { return count_; }

    struct Record;  // the on-disk record, see scripts/gen_regions.mjs

private:
    RegionFile(const void* base, std::size_t length);
    regions::Region ToRegion(const Record& r) const;
    // Index of the first record at `level` with code12 >= `code12`.
    std::size_t LowerBound(regions::Level level, std::uint64_t code12) const;

    const void* base_;
    std::size_t length_;
    std::size_t count_ = 0;
    const Record* records_ = nullptr;
    const char* names_ = nullptr;
    std::size_t names_size_ = 0;
    std::uint32_t level_start_[6] = {};
};

}  // namespace goji::infra
