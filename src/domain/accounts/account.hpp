#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace goji::accounts {

// Roles a user holds explicitly. Everyone is a buyer; sellers are sellers
// through the shops they own or staff, so neither is stored here.
enum class Role : std::uint8_t { kTrainer, kCountyOfficer, kAdmin };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct RoleGrant {
    Role role = Role::kTrainer;
    std::string region_code;  // canonical region code; only county officers have one
    bool operator==(const RoleGrant&) const = default;
};

struct User {
    UserId id;
    std::string login;
    std::string display_name;
    std::vector<RoleGrant> roles;
    Millis created_at = 0;
    bool operator==(const User&) const = default;

    bool Has(Role role) const;
};

struct UserWithPassword {
    User user;
    std::string password_hash;
};

struct NewUser {
    std::string login;
    std::string password_hash;
    std::string display_name;
    Millis created_at = 0;
};

struct Session {
    std::string token_hash;  // SHA-256 of the bearer token; the token itself is never stored
    UserId user_id;
    std::string csrf_hash;
    Millis created_at = 0;
    Millis expires_at = 0;
    bool operator==(const Session&) const = default;
};

struct SessionWithUser {
    Session session;
    User user;
};

// Users and their roles. One method, one transaction.
class UserRepository {
public:
    virtual ~UserRepository() = default;
    // Conflict "login_taken" when the login exists.
    virtual Result<User> Create(const NewUser& user) = 0;
    virtual Result<UserWithPassword> FindByLogin(std::string_view login) = 0;
    virtual Result<User> FindById(UserId id) = 0;
    virtual Status UpdateDisplayName(UserId id, std::string_view display_name, Millis now) = 0;
    // Sets the hash and ends every session of the user except `keep_session`.
    virtual Status UpdatePassword(UserId id, std::string_view password_hash, std::string_view keep_session,
                                  Millis now) = 0;
    virtual Status GrantRole(UserId id, const RoleGrant& grant, Millis now) = 0;
    virtual Status RevokeRole(UserId id, const RoleGrant& grant) = 0;
    virtual Result<std::int64_t> Count() = 0;
};

class SessionRepository {
public:
    virtual ~SessionRepository() = default;
    virtual Status Create(const Session& session) = 0;
    // NotFound when unknown or expired at `now`.
    virtual Result<SessionWithUser> FindActive(std::string_view token_hash, Millis now) = 0;
    virtual Status Delete(std::string_view token_hash) = 0;
    virtual Result<std::int64_t> DeleteExpired(Millis now) = 0;
};

// Password hashing and secret tokens, implemented with libsodium in infra.
class PasswordHasher {
public:
    virtual ~PasswordHasher() = default;
    virtual Result<std::string> Hash(std::string_view password) const = 0;
    virtual bool Verify(std::string_view hash, std::string_view password) const = 0;
};

class SecretSource {
public:
    virtual ~SecretSource() = default;
    // 256 random bits, base64url without padding.
    virtual std::string NewToken() const = 0;
    // Hex SHA-256, for storing tokens.
    virtual std::string HashToken(std::string_view token) const = 0;
};

}  // namespace goji::accounts
