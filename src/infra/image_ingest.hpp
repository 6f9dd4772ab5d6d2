#pragma once

#include "domain/catalog/catalog_service.hpp"
#include "infra/images.hpp"

namespace goji::infra {

// The catalog's image intake: process with libvips, then save the variants
// under the data folder by content hash.
class StoredImageIngest final : public catalog::ImageIngest {
public:
    StoredImageIngest(const ImageStore& store, ImageLimits limits) : store_(store), limits_(limits) {}
    Result<catalog::ProductImage> Ingest(std::string_view bytes) const override;

private:
    const ImageStore& store_;
    ImageLimits limits_;
};

}  // namespace goji::infra
