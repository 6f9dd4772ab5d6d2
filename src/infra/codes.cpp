#include "infra/codes.hpp"

#include <sodium.h>

namespace goji::infra {

namespace {
constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kCodeLength = 8;
}  // namespace

std::string RandomCodeSource::NewCode() const {
    std::string code(kCodeLength, '0');
    for (char& c : code) c = kAlphabet[randombytes_uniform(32)];
    return code;
}

}  // namespace goji::infra
