#pragma once

#include <string>
#include <string_view>

#include "domain/accounts/account.hpp"
#include "domain/live/live.hpp"

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

// Stream keys of live rooms: 192 random bits, base64url (32 characters, safe
// in an RTMP URL); looked up by SHA-256, compared with sodium_memcmp.
class SodiumStreamKeys final : public live::StreamKeys {
public:
    std::string NewKey() const override;
    std::string Hash(std::string_view key) const override;
    bool Equal(std::string_view a, std::string_view b) const override;
};

// Constant-time comparison (the time depends on the lengths only).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

std::string Sha256Hex(std::string_view data);
std::string RandomBase64Url(std::size_t bytes);
std::string HmacSha256Hex(std::string_view key, std::string_view message);

}  // namespace goji::infra
