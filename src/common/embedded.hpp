#pragma once

#include <span>
#include <string_view>

namespace goji {

// A file compiled into the binary (migrations, message catalogues, the API document).
struct EmbeddedFile {
    std::string_view name;
    std::string_view content;
};

}  // namespace goji

// Each embedded set gets `std::span<const EmbeddedFile> goji::embedded::<set>::Files()`.
#define GOJI_DECLARE_EMBEDDED(set)                 \
    namespace goji::embedded::set {                \
    std::span<const ::goji::EmbeddedFile> Files(); \
    }
