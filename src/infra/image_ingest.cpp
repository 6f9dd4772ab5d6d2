#include "infra/image_ingest.hpp"

namespace goji::infra {

Result<catalog::ProductImage> StoredImageIngest::Ingest(std::string_view bytes) const {
    // libvips starts on the first picture rather than at start-up (memory, time).
    InitImages();
    auto processed = ProcessImage(bytes, limits_);
    if (!processed) return std::move(processed).error();
    if (auto s = store_.Save(*processed); !s) return s.error();
    return catalog::ProductImage{processed->content_hash, processed->width, processed->height};
}

}  // namespace goji::infra
