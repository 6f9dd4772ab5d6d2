#include <boost/json.hpp>

#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/views.hpp"

namespace goji::http {

namespace {

constexpr std::size_t kCredentialMaxCodePoints = 256;

std::string Cookie(std::string_view name, std::string_view value, Millis max_age_ms, bool http_only,
                   const CookieOptions& options) {
    std::string c(name);
    c += '=';
    c += value;
    c += "; Path=/; SameSite=Lax; Max-Age=";
    c += std::to_string(max_age_ms / 1000);
    if (http_only) c += "; HttpOnly";
    if (options.secure) c += "; Secure";
    return c;
}

void ClearCookies(Response& r, const CookieOptions& options) {
    r.headers.push_back({"Set-Cookie", Cookie(kSessionCookie, "", 0, true, options)});
    r.headers.push_back({"Set-Cookie", Cookie(kCsrfCookie, "", 0, false, options)});
}

}  // namespace

void AddAuthRoutes(Router& router, Services& services) {
    router.Add(Method::kPost, "/api/v1/auth/register", [&services](Context& ctx) {
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto login = json::String(*body, "login", kCredentialMaxCodePoints);
        if (!login) return ctx.Fail(login.error());
        auto password = json::String(*body, "password", kCredentialMaxCodePoints);
        if (!password) return ctx.Fail(password.error());
        auto name = json::String(*body, "display_name", kCredentialMaxCodePoints);
        if (!name) return ctx.Fail(name.error());
        auto user = services.accounts.Register({*login, *password, *name});
        if (!user) return ctx.Fail(user.error());
        boost::json::object out;
        out["user"] = views::UserJson(*user);
        return json::Reply(201, out);
    });

    router.Add(Method::kPost, "/api/v1/auth/login", [&services](Context& ctx) {
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto login = json::String(*body, "login", kCredentialMaxCodePoints);
        if (!login) return ctx.Fail(login.error());
        auto password = json::String(*body, "password", kCredentialMaxCodePoints);
        if (!password) return ctx.Fail(password.error());
        auto result = services.accounts.Login(*login, *password, ctx.req().remote_ip);
        if (!result) return ctx.Fail(result.error());
        boost::json::object out;
        out["user"] = views::UserJson(result->user);
        out["token"] = result->token;
        out["csrf_token"] = result->csrf_token;
        out["expires_at"] = FormatShanghai(result->expires_at);
        Response r = json::Reply(200, out);
        const Millis ttl = result->expires_at - services.clock.NowMs();
        r.headers.push_back({"Set-Cookie", Cookie(kSessionCookie, result->token, ttl, true, services.cookies)});
        r.headers.push_back({"Set-Cookie", Cookie(kCsrfCookie, result->csrf_token, ttl, false, services.cookies)});
        return r;
    });

    router.Add(Method::kPost, "/api/v1/auth/logout", [&services](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        if (auto s = services.accounts.Logout(ctx.Token()); !s) return ctx.Fail(s.error());
        Response r = Response::NoContent();
        ClearCookies(r, services.cookies);
        return r;
    });

    router.Add(Method::kGet, "/api/v1/me", [](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        boost::json::object out;
        out["user"] = views::UserJson(auth->user);
        out["session_expires_at"] = FormatShanghai(auth->session.expires_at);
        return json::Reply(200, out);
    });

    router.Add(Method::kPatch, "/api/v1/me", [&services](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto name = json::String(*body, "display_name", kCredentialMaxCodePoints);
        if (!name) return ctx.Fail(name.error());
        auto user = services.accounts.ChangeDisplayName(*auth, *name);
        if (!user) return ctx.Fail(user.error());
        boost::json::object out;
        out["user"] = views::UserJson(*user);
        return json::Reply(200, out);
    });

    router.Add(Method::kPost, "/api/v1/me/password", [&services](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto old_password = json::String(*body, "old_password", kCredentialMaxCodePoints);
        if (!old_password) return ctx.Fail(old_password.error());
        auto new_password = json::String(*body, "new_password", kCredentialMaxCodePoints);
        if (!new_password) return ctx.Fail(new_password.error());
        if (auto s = services.accounts.ChangePassword(*auth, *old_password, *new_password); !s) {
            return ctx.Fail(s.error());
        }
        return Response::NoContent();
    });
}

}  // namespace goji::http
