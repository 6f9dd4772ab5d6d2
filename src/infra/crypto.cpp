#include "infra/crypto.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "common/text.hpp"

namespace goji::infra {

void InitCrypto() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

Result<std::string> SodiumPasswordHasher::Hash(std::string_view password) const {
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_str(out.data(), password.data(), password.size(), limits_.ops, limits_.mem) != 0) {
        return Error::Internal("argon2id hashing ran out of memory");
    }
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

bool SodiumPasswordHasher::Verify(std::string_view hash, std::string_view password) const {
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    const std::string h(hash);  // NUL-terminated copy
    return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string RandomBase64Url(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), buf.data(), buf.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    sodium_memzero(buf.data(), buf.size());
    return out;
}

std::string SodiumSecretSource::NewToken() const { return RandomBase64Url(32); }

std::string SodiumSecretSource::HashToken(std::string_view token) const { return Sha256Hex(token); }

std::string SodiumStreamKeys::NewKey() const { return RandomBase64Url(24); }

std::string SodiumStreamKeys::Hash(std::string_view key) const { return Sha256Hex(key); }

bool SodiumStreamKeys::Equal(std::string_view a, std::string_view b) const { return ConstantTimeEqual(a, b); }

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Sha256Hex(std::string_view data) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return text::Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&st, mac);
    return text::Hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

}  // namespace goji::infra
