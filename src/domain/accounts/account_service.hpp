#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/rate_limiter.hpp"
#include "domain/accounts/account.hpp"
#include "domain/regions/region.hpp"

namespace goji::accounts {

constexpr std::size_t kLoginMinLength = 3;
constexpr std::size_t kLoginMaxLength = 32;
constexpr std::size_t kPasswordMinLength = 8;
constexpr std::size_t kPasswordMaxLength = 128;
constexpr std::size_t kDisplayNameMaxCodePoints = 40;

struct AccountConfig {
    Millis session_ttl_ms = 30LL * 24 * 3600 * 1000;
    // Login attempts: per client address and per login name.
    RateLimiter::Rule login_per_ip{0.5, 20};
    RateLimiter::Rule login_per_name{1.0 / 60, 5};
};

struct RegisterInput {
    std::string login;
    std::string password;
    std::string display_name;
};

struct LoginResult {
    User user;
    std::string token;       // shown once, to the caller
    std::string csrf_token;  // shown once, to the caller
    Millis expires_at = 0;
};

// Accounts, sessions and roles. Knows nothing about HTTP or SQL.
class AccountService {
public:
    AccountService(UserRepository& users, SessionRepository& sessions, const PasswordHasher& hasher,
                   const SecretSource& secrets, const regions::RegionDirectory& regions, const Clock& clock,
                   AccountConfig config);

    Result<User> Register(const RegisterInput& input);
    Result<LoginResult> Login(std::string_view login, std::string_view password, std::string_view client_ip);
    // The session behind a bearer token or cookie; Unauthenticated when unknown or expired.
    Result<SessionWithUser> Authenticate(std::string_view token);
    bool CsrfMatches(const Session& session, std::string_view csrf_token) const;
    Status Logout(std::string_view token);
    Result<std::int64_t> PurgeExpiredSessions();
    // A user by login (for adding shop staff and the like); NotFound when unknown.
    Result<User> FindByLogin(std::string_view login);

    Result<User> ChangeDisplayName(const SessionWithUser& who, std::string_view display_name);
    Status ChangePassword(const SessionWithUser& who, std::string_view old_password, std::string_view new_password);

    // An admin grants a role; county officers need a region.
    Result<User> GrantRole(const User& actor, UserId target, Role role, std::string_view region_code);
    // For operators at the command line (no actor).
    Result<User> AddUser(const RegisterInput& input, std::optional<Role> role, std::string_view region_code);

    static Status ValidateLogin(std::string_view login);
    static Status ValidatePassword(std::string_view password, std::string_view field);
    static Result<std::string> NormalizeDisplayName(std::string_view name);

private:
    Result<RoleGrant> MakeGrant(Role role, std::string_view region_code) const;

    UserRepository& users_;
    SessionRepository& sessions_;
    const PasswordHasher& hasher_;
    const SecretSource& secrets_;
    const regions::RegionDirectory& regions_;
    const Clock& clock_;
    AccountConfig config_;
    RateLimiter per_ip_;
    RateLimiter per_name_;
    std::string dummy_hash_;  // verified against when a login is unknown, so timing says nothing
};

}  // namespace goji::accounts
