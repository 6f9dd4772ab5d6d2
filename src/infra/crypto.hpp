#pragma once

#include <string>
#include <string_view>

#include "domain/accounts/account.hpp"

namespace goji::infra {

// Must be called once before any other function here (libsodium's init).
void InitCrypto();

struct Argon2Limits {
    unsigned long long ops = 2;             // crypto_pwhash_OPSLIMIT_INTERACTIVE
    std::size_t mem = 64ULL * 1024 * 1024;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
};

// argon2id through libsodium's crypto_pwhash_str.
class SodiumPasswordHasher final : public accounts::PasswordHasher {
public:
    explicit SodiumPasswordHasher(Argon2Limits limits) : limits_(limits) {}
    Result<std::string> Hash(std::string_view password) const override;
    bool Verify(std::string_view hash, std::string_view password) const override;

private:
    Argon2Limits limits_;
};

class SodiumSecretSource final : public accounts::SecretSource {
public:
    std::string NewToken() const override;
    std::string HashToken(std::string_view token) const override;
};

std::string Sha256Hex(std::string_view data);
std::string RandomBase64Url(std::size_t bytes);
std::string HmacSha256Hex(std::string_view key, std::string_view message);

}  // namespace goji::infra
