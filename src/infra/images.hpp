#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace goji::infra {

// Upload limits. The issue allows 10 MB and 40 megapixels; the pixel limit is
// checked on the header alone, before a single pixel is decoded.
inline constexpr std::size_t kMaxImageBytes = 10 * 1024 * 1024;
inline constexpr std::uint64_t kMaxImagePixels = 40'000'000;
inline constexpr int kWebpQuality = 80;

struct ImageLimits {
    std::size_t max_bytes = kMaxImageBytes;
    std::uint64_t max_pixels = kMaxImagePixels;
};

// The sizes we serve: each fits a square box of `longest_edge`, never upscaled.
struct ImageVariantSpec {
    std::string_view name;
    int longest_edge = 0;
};
inline constexpr std::array<ImageVariantSpec, 3> kImageVariants{{
    {"thumb", 240},
    {"medium", 720},
    {"large", 1440},
}};

struct ImageVariant {
    std::string name;
    int width = 0;
    int height = 0;
    std::string webp;  // the bytes of a WebP file, without any metadata

    bool operator==(const ImageVariant&) const = default;
};

struct ProcessedImage {
    std::string content_hash;  // lower-case hex SHA-256 of the original upload bytes
    std::string source_type;   // sniffed MIME type, e.g. "image/jpeg"
    int width = 0;             // of the original, after EXIF orientation
    int height = 0;
    std::vector<ImageVariant> variants;  // in the order of kImageVariants

    bool operator==(const ProcessedImage&) const = default;
};

// Once at start-up, before any thread calls ProcessImage: starts libvips, turns
// its operation cache off and makes each call single-threaded (the parallelism
// comes from our worker threads). Throws when libvips cannot start. Safe to call
// more than once.
void InitImages();

// Sniffs, validates and converts one upload. Thread-safe; never throws. Also
// needs InitCrypto() (for the content hash). Failures:
//   kPayloadTooLarge "image"/"image_too_large"  more than limits.max_bytes
//   kBadInput "image"/"not_an_image"            not JPEG, PNG, WebP or GIF by its bytes
//   kBadInput "image"/"too_many_pixels"         header claims more than limits.max_pixels
//   kBadInput "image"/"corrupt"                 the decoder gave up
//   kInternal                                   libmagic or the encoder failed
Result<ProcessedImage> ProcessImage(std::string_view bytes, const ImageLimits& limits);

// Variants on disk, addressed by content hash:
//   <root>/<h0h1>/<h2h3>/<hash>-<variant>.webp
// The bytes behind a path never change, so they can be served with long cache
// headers.
class ImageStore {
public:
    explicit ImageStore(std::string root);

    // Writes every variant (temp file + rename, so a reader never sees half a
    // file). Idempotent: variants already on disk are left alone.
    Status Save(const ProcessedImage& image) const;

    // The path of a variant, whether or not it is on disk; nullopt unless `hash`
    // is 64 lower-case hex digits and `variant` is one of kImageVariants, so
    // the result is always inside root.
    std::optional<std::string> PathFor(std::string_view hash, std::string_view variant) const;

private:
    std::string root_;
};

}  // namespace goji::infra
