#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "http/messages.hpp"
#include "http/router.hpp"
#include "http/types.hpp"

namespace goji::http {

inline constexpr std::string_view kSessionCookie = "goji_session";
inline constexpr std::string_view kCsrfCookie = "goji_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

using Authenticator = std::function<Result<accounts::SessionWithUser>(std::string_view token)>;

// What a handler gets: the request, its route parameters and the caller.
class Context {
public:
    Context(Request& req, const RouteMatch& match, const Messages& messages, const Authenticator& auth)
        : req_(req), match_(match), messages_(messages), auth_(auth) {}

    Request& req() { return req_; }
    const Request& req() const { return req_; }
    const RouteMatch& match() const { return match_; }
    const Messages& messages() const { return messages_; }
    std::string_view Param(std::string_view name) const;

    // The bearer token (Authorization header) or session cookie, if any.
    std::string_view Token() const;
    bool TokenFromCookie() const;

    // The logged-in caller, authenticated on first use; Unauthenticated
    // when there is none.
    const Result<accounts::SessionWithUser>& Auth();
    // Set by the session middleware when it has already looked.
    void SetAuth(Result<accounts::SessionWithUser> auth) { auth_result_.emplace(std::move(auth)); }

    Response Fail(const Error& error) const;
    std::int64_t user_id_for_log() const;

private:
    Request& req_;
    const RouteMatch& match_;
    const Messages& messages_;
    const Authenticator& auth_;
    std::optional<Result<accounts::SessionWithUser>> auth_result_;
};

}  // namespace goji::http
