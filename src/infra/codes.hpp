#pragma once

#include <string>

#include "domain/catalog/catalog_service.hpp"

namespace goji::infra {

// Batch codes: 8 characters of Crockford base32 (no I, L, O, U), 40 random
// bits from libsodium; easy to read off a bag and type.
class RandomCodeSource final : public catalog::CodeSource {
public:
    std::string NewCode() const override;
};

}  // namespace goji::infra
