#include "infra/region_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace goji::infra {

using regions::Level;
using regions::Region;
using regions::RegionCode;

struct RegionFile::Record {
    std::uint64_t code12;
    std::uint32_t name_offset;
    std::uint16_t name_len;
    std::uint8_t level;
    std::uint8_t flags;
};
static_assert(sizeof(RegionFile::Record) == 16);

namespace {
constexpr char kMagic[8] = {'G', 'O', 'J', 'I', 'R', 'E', 'G', '1'};
constexpr std::size_t kHeaderSize = 8 + 4 + 4 + 4 * 6;
constexpr std::uint8_t kFlagUrban = 1;
}  // namespace

Result<std::unique_ptr<RegionFile>> RegionFile::Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::Internal("cannot open region file " + path + ": " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderSize)) {
        ::close(fd);
        return Error::Internal("region file too small: " + path);
    }
    const auto length = static_cast<std::size_t>(st.st_size);
    void* base = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (base == MAP_FAILED) return Error::Internal("cannot map region file " + path);
    // Lookups are binary searches: read-ahead would only fill memory.
    ::madvise(base, length, MADV_RANDOM);
    std::unique_ptr<RegionFile> file(new RegionFile(base, length));  // private constructor
    const char* p = static_cast<const char*>(base);
    if (std::memcmp(p, kMagic, sizeof kMagic) != 0) return Error::Internal("not a region file: " + path);
    std::uint32_t count = 0;
    std::uint32_t names_size = 0;
    std::memcpy(&count, p + 8, 4);
    std::memcpy(&names_size, p + 12, 4);
    std::memcpy(file->level_start_, p + 16, sizeof file->level_start_);
    if (kHeaderSize + std::size_t{count} * sizeof(Record) + names_size != length) {
        return Error::Internal("region file has the wrong size: " + path);
    }
    for (int i = 0; i < 5; ++i) {
        if (file->level_start_[i] > file->level_start_[i + 1] || file->level_start_[i + 1] > count) {
            return Error::Internal("region file has a broken level index: " + path);
        }
    }
    file->count_ = count;
    file->records_ = reinterpret_cast<const Record*>(p + kHeaderSize);
    file->names_ = p + kHeaderSize + std::size_t{count} * sizeof(Record);
    file->names_size_ = names_size;
    return file;
}

RegionFile::RegionFile(const void* base, std::size_t length) : base_(base), length_(length) {}

RegionFile::~RegionFile() { ::munmap(const_cast<void*>(base_), length_); }

Region RegionFile::ToRegion(const Record& r) const {
    // Checked per record read rather than at start-up, so that opening the
    // file does not page in all of it.
    if (std::size_t{r.name_offset} + r.name_len > names_size_ || r.level > 4) return Region{};
    return Region{RegionCode::FromCode12(r.code12, static_cast<Level>(r.level)),
                  std::string(names_ + r.name_offset, r.name_len), (r.flags & kFlagUrban) != 0};
}

std::size_t RegionFile::LowerBound(Level level, std::uint64_t code12) const {
    const auto l = static_cast<std::size_t>(level);
    const Record* first = records_ + level_start_[l];
    const Record* last = records_ + level_start_[l + 1];
    const Record* it =
        std::lower_bound(first, last, code12, [](const Record& r, std::uint64_t v) { return r.code12 < v; });
    return static_cast<std::size_t>(it - records_);
}

std::optional<Region> RegionFile::Find(const RegionCode& code) const {
    const std::size_t i = LowerBound(code.level, code.code12);
    if (i >= level_start_[static_cast<std::size_t>(code.level) + 1] || records_[i].code12 != code.code12) {
        return std::nullopt;
    }
    return ToRegion(records_[i]);
}

std::vector<Region> RegionFile::Children(const std::optional<RegionCode>& parent,
                                         const std::optional<RegionCode>& after, std::size_t limit) const {
    std::vector<Region> out;
    if (parent && parent->level == Level::kVillage) return out;
    const Level child_level =
        parent ? static_cast<Level>(static_cast<std::uint8_t>(parent->level) + 1) : Level::kProvince;
    const auto l = static_cast<std::size_t>(child_level);
    std::size_t i = parent ? LowerBound(child_level, parent->code12) : level_start_[l];
    if (after && after->level == child_level) i = std::max(i, LowerBound(child_level, after->code12 + 1));
    for (; i < level_start_[l + 1] && out.size() < limit; ++i) {
        const Region r = ToRegion(records_[i]);
        if (parent && !parent->Contains(r.code)) break;
        out.push_back(r);
    }
    return out;
}

}  // namespace goji::infra
