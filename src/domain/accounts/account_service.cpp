#include "domain/accounts/account_service.hpp"

#include <algorithm>
#include <cctype>

#include "common/text.hpp"

namespace goji::accounts {

AccountService::AccountService(UserRepository& users, SessionRepository& sessions, const PasswordHasher& hasher,
                               const SecretSource& secrets, const regions::RegionDirectory& regions, const Clock& clock,
                               AccountConfig config)
    : users_(users),
      sessions_(sessions),
      hasher_(hasher),
      secrets_(secrets),
      regions_(regions),
      clock_(clock),
      config_(config),
      per_ip_(clock, config.login_per_ip),
      per_name_(clock, config.login_per_name) {
    auto dummy = hasher_.Hash(secrets_.NewToken());
    if (dummy) dummy_hash_ = std::move(dummy).value();
}

Status AccountService::ValidateLogin(std::string_view login) {
    if (login.size() < kLoginMinLength) return Error::BadInput("login", "too_short");
    if (login.size() > kLoginMaxLength) return Error::BadInput("login", "too_long");
    const bool ok = std::all_of(login.begin(), login.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
    });
    if (!ok || std::isalnum(static_cast<unsigned char>(login.front())) == 0) {
        return Error::BadInput("login", "login_chars");
    }
    return {};
}

Status AccountService::ValidatePassword(std::string_view password, std::string_view field) {
    if (password.size() < kPasswordMinLength) return Error::BadInput(std::string(field), "password_too_short");
    if (password.size() > kPasswordMaxLength) return Error::BadInput(std::string(field), "too_long");
    if (!text::IsValidUtf8(password)) return Error::BadInput(std::string(field), "invalid_utf8");
    return {};
}

Result<std::string> AccountService::NormalizeDisplayName(std::string_view name) {
    const std::string_view trimmed = text::Trim(name);
    if (trimmed.empty()) return Error::BadInput("display_name", "required");
    if (!text::IsValidUtf8(trimmed)) return Error::BadInput("display_name", "invalid_utf8");
    if (text::CodePoints(trimmed) > kDisplayNameMaxCodePoints) return Error::BadInput("display_name", "too_long");
    if (text::HasControlChars(trimmed, false)) return Error::BadInput("display_name", "control_chars");
    return std::string(trimmed);
}

namespace {
std::string LowerAscii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}
}  // namespace

Result<User> AccountService::Register(const RegisterInput& input) {
    if (auto s = ValidateLogin(input.login); !s) return std::move(s).error();
    if (auto s = ValidatePassword(input.password, "password"); !s) return std::move(s).error();
    auto name = NormalizeDisplayName(input.display_name);
    if (!name) return std::move(name).error();
    auto hash = hasher_.Hash(input.password);
    if (!hash) return std::move(hash).error();
    return users_.Create(
        NewUser{LowerAscii(input.login), std::move(hash).value(), std::move(name).value(), clock_.NowMs()});
}

Result<LoginResult> AccountService::Login(std::string_view login, std::string_view password,
                                          std::string_view client_ip) {
    // Malformed credentials can never match; say so plainly without touching the limits.
    if (login.empty() || login.size() > kLoginMaxLength) return Error::BadInput("login", "invalid");
    if (password.empty() || password.size() > kPasswordMaxLength) return Error::BadInput("password", "invalid");
    const std::string name = LowerAscii(login);
    const std::string name_key = "login:" + name;

    if (const auto d = per_ip_.Take(client_ip); !d.allowed) {
        Error e = Error::Make(ErrorKind::kRateLimited, "rate_limited", "login attempts per address");
        e.retry_after_s = d.retry_after_s;
        return e;
    }
    if (const auto d = per_name_.Peek(name_key); !d.allowed) {
        Error e = Error::Make(ErrorKind::kRateLimited, "rate_limited", "failed logins per name");
        e.retry_after_s = d.retry_after_s;
        return e;
    }

    auto found = users_.FindByLogin(name);
    if (!found && found.error().kind != ErrorKind::kNotFound) return std::move(found).error();
    const bool match =
        found ? hasher_.Verify(found->password_hash, password) : (hasher_.Verify(dummy_hash_, password), false);
    if (!match) {
        (void)per_name_.Take(name_key);
        return Error::Make(ErrorKind::kUnauthenticated, "invalid_credentials");
    }
    per_name_.Reset(name_key);

    const Millis now = clock_.NowMs();
    LoginResult result{found->user, secrets_.NewToken(), secrets_.NewToken(), now + config_.session_ttl_ms};
    const Session session{secrets_.HashToken(result.token), found->user.id, secrets_.HashToken(result.csrf_token), now,
                          result.expires_at};
    if (auto s = sessions_.Create(session); !s) return std::move(s).error();
    return result;
}

Result<SessionWithUser> AccountService::Authenticate(std::string_view token) {
    if (token.empty() || token.size() > 128) return Error::Unauthenticated();
    auto found = sessions_.FindActive(secrets_.HashToken(token), clock_.NowMs());
    if (!found) {
        if (found.error().kind == ErrorKind::kNotFound) return Error::Unauthenticated();
        return std::move(found).error();
    }
    return found;
}

bool AccountService::CsrfMatches(const Session& session, std::string_view csrf_token) const {
    if (csrf_token.empty() || csrf_token.size() > 128) return false;
    const std::string hash = secrets_.HashToken(csrf_token);
    // Hashes of equal length; compare without early exit.
    if (hash.size() != session.csrf_hash.size()) return false;
    unsigned diff = 0;
    for (std::size_t i = 0; i < hash.size(); ++i) diff |= static_cast<unsigned>(hash[i] ^ session.csrf_hash[i]);
    return diff == 0;
}

Status AccountService::Logout(std::string_view token) {
    if (token.empty() || token.size() > 128) return Error::Unauthenticated();
    return sessions_.Delete(secrets_.HashToken(token));
}

Result<User> AccountService::FindByLogin(std::string_view login) {
    if (login.empty() || login.size() > kLoginMaxLength) return Error::NotFound();
    auto found = users_.FindByLogin(LowerAscii(login));
    if (!found) return std::move(found).error();
    return std::move(found->user);
}

Result<std::int64_t> AccountService::PurgeExpiredSessions() { return sessions_.DeleteExpired(clock_.NowMs()); }

Result<User> AccountService::ChangeDisplayName(const SessionWithUser& who, std::string_view display_name) {
    auto name = NormalizeDisplayName(display_name);
    if (!name) return std::move(name).error();
    if (auto s = users_.UpdateDisplayName(who.user.id, *name, clock_.NowMs()); !s) return std::move(s).error();
    return users_.FindById(who.user.id);
}

Status AccountService::ChangePassword(const SessionWithUser& who, std::string_view old_password,
                                      std::string_view new_password) {
    if (auto s = ValidatePassword(new_password, "new_password"); !s) return s;
    auto current = users_.FindByLogin(who.user.login);
    if (!current) return std::move(current).error();
    if (!hasher_.Verify(current->password_hash, old_password)) return Error::BadInput("old_password", "wrong_password");
    auto hash = hasher_.Hash(new_password);
    if (!hash) return std::move(hash).error();
    return users_.UpdatePassword(who.user.id, *hash, who.session.token_hash, clock_.NowMs());
}

Result<RoleGrant> AccountService::MakeGrant(Role role, std::string_view region_code) const {
    RoleGrant grant{role, {}};
    if (role == Role::kCountyOfficer) {
        const auto code = regions::RegionCode::Parse(region_code);
        if (!code || !regions_.Find(*code)) return Error::BadInput("region_code", "unknown_region");
        if (code->level > regions::Level::kCounty) return Error::BadInput("region_code", "region_level");
        grant.region_code = code->Canonical();
    } else if (!region_code.empty()) {
        return Error::BadInput("region_code", "not_allowed");
    }
    return grant;
}

Result<User> AccountService::GrantRole(const User& actor, UserId target, Role role, std::string_view region_code) {
    if (!actor.Has(Role::kAdmin)) return Error::Forbidden();
    auto grant = MakeGrant(role, region_code);
    if (!grant) return std::move(grant).error();
    if (auto s = users_.GrantRole(target, *grant, clock_.NowMs()); !s) return std::move(s).error();
    return users_.FindById(target);
}

Result<User> AccountService::AddUser(const RegisterInput& input, std::optional<Role> role,
                                     std::string_view region_code) {
    std::optional<RoleGrant> grant;
    if (role) {
        auto g = MakeGrant(*role, region_code);
        if (!g) return std::move(g).error();
        grant = std::move(g).value();
    }
    auto user = Register(input);
    if (!user) return user;
    if (grant) {
        if (auto s = users_.GrantRole(user->id, *grant, clock_.NowMs()); !s) return std::move(s).error();
        return users_.FindById(user->id);
    }
    return user;
}

}  // namespace goji::accounts
