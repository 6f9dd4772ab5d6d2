// Accounts over HTTP: register, login, sessions by Bearer token and by
// cookie, logout, CSRF, password changes, login rate limits and secrets
// that must never reach the logs.

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {
namespace {

class AuthTest : public HttpTest {};

bool HasRole(const boost::json::object& user, std::string_view role) {
    for (const auto& v : Arr(user, "roles")) {
        if (v.is_string() && v.get_string() == role) return true;
    }
    return false;
}

// The Set-Cookie header that sets `name`, or "" when there is none.
std::string SetCookie(const HttpResponse& r, std::string_view name) {
    for (const auto& c : r.Headers("Set-Cookie")) {
        if (StartsWith(c, std::string(name) + "=")) return c;
    }
    return {};
}

std::string CookieValue(const std::string& set_cookie) {
    const auto eq = set_cookie.find('=');
    const auto semi = set_cookie.find(';');
    if (eq == std::string::npos) return {};
    return set_cookie.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
}

bool HasAttribute(const std::string& set_cookie, std::string_view attribute) {
    std::string lower;
    for (const char c : set_cookie) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string want;
    for (const char c : attribute) want += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return Contains(lower, "; " + want);
}

TEST_P(AuthTest, RegisterCreatesABuyer) {
    const std::string login = UniqueLogin("reg");
    const auto r = RegisterRaw(login, "correct horse battery", "阿依古丽");
    ASSERT_EQ(r.status, 201) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "application/json"));
    const auto user = Obj(JsonObject(r), "user");
    EXPECT_EQ(Str(user, "login"), login);
    EXPECT_EQ(Str(user, "display_name"), "阿依古丽");
    EXPECT_FALSE(Str(user, "id").empty()) << "ids are strings: " << r.body;
    EXPECT_TRUE(HasRole(user, "buyer")) << r.body;
    EXPECT_FALSE(HasRole(user, "admin")) << r.body;
    EXPECT_FALSE(Contains(r.body, "correct horse battery")) << "the password is echoed";
    EXPECT_FALSE(Contains(r.body, "argon2")) << "the password hash is shown";
}

TEST_P(AuthTest, DuplicateLoginIsConflictAndKeepsTheFirstAccount) {
    const std::string login = UniqueLogin("dup");
    const std::string first_password = "first-password-1";
    RegisterOk(login, first_password, "First");
    const auto again = RegisterRaw(login, "second-password-2", "Second");
    EXPECT_TRUE(IsProblem(again, 409, "login_taken"));
    // Still one account, with the first password and name.
    const auto session = LoginOk(login, first_password);
    EXPECT_EQ(Str(Me(session), "display_name"), "First");
    EXPECT_TRUE(IsProblem(LoginRaw(login, "second-password-2"), 401, "invalid_credentials"));
}

TEST_P(AuthTest, DuplicateLoginDifferingOnlyInCaseIsConflict) {
    const std::string login = UniqueLogin("casedup");
    RegisterOk(login, "first-password-1");
    std::string upper = login;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(IsProblem(RegisterRaw(upper, "second-password-2"), 409, "login_taken"));
}

TEST_P(AuthTest, LoginReturnsTokensAndSetsCookies) {
    const std::string login = UniqueLogin("cookie");
    const std::string password = "cookie-password-1";
    const std::string id = RegisterOk(login, password);
    const auto r = LoginRaw(login, password);
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    const std::string token = Str(o, "token");
    const std::string csrf = Str(o, "csrf_token");
    EXPECT_GE(token.size(), 32U) << "a 256-bit token is at least 32 characters";
    EXPECT_GE(csrf.size(), 32U);
    EXPECT_NE(token, csrf);
    EXPECT_EQ(Str(Obj(o, "user"), "id"), id);
    EXPECT_EQ(Str(Obj(o, "user"), "login"), login);

    const std::string session_cookie = SetCookie(r, "goji_session");
    ASSERT_FALSE(session_cookie.empty()) << "no goji_session cookie";
    EXPECT_EQ(CookieValue(session_cookie), token);
    EXPECT_TRUE(HasAttribute(session_cookie, "HttpOnly")) << session_cookie;
    EXPECT_TRUE(HasAttribute(session_cookie, "SameSite=Lax")) << session_cookie;

    const std::string csrf_cookie = SetCookie(r, "goji_csrf");
    ASSERT_FALSE(csrf_cookie.empty()) << "no goji_csrf cookie";
    EXPECT_EQ(CookieValue(csrf_cookie), csrf);
    EXPECT_FALSE(HasAttribute(csrf_cookie, "HttpOnly")) << "scripts must be able to read the CSRF cookie";

    // A second login is a second, different session.
    const auto again = LoginOk(login, password);
    EXPECT_NE(again.token, token);
}

TEST_P(AuthTest, MeWithBearerToken) {
    const auto s = NewBuyer();
    const auto r = Get("/api/v1/me", Bearer(s));
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto user = Obj(JsonObject(r), "user");
    EXPECT_EQ(Str(user, "login"), s.login);
    EXPECT_EQ(Str(user, "id"), s.user_id);
}

TEST_P(AuthTest, MeWithSessionCookie) {
    const auto s = NewBuyer();
    const auto r = Get("/api/v1/me", {{"Cookie", "goji_session=" + s.token}});
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Str(Obj(JsonObject(r), "user"), "login"), s.login);
}

TEST_P(AuthTest, MeWithoutCredentialsIs401) {
    EXPECT_TRUE(IsProblem(Get("/api/v1/me"), 401));
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Authorization", "Bearer "}}), 401));
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Authorization", "Basic dXNlcjpwYXNz"}}), 401));
}

TEST_P(AuthTest, LogoutEndsTheSession) {
    const auto s = NewBuyer();
    const auto out = Call("POST", "/api/v1/auth/logout", {}, Bearer(s));
    EXPECT_EQ(out.status, 204) << Describe(out);
    EXPECT_TRUE(out.body.empty());
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", Bearer(s)), 401));
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Cookie", "goji_session=" + s.token}}), 401));
    // Logging out again with the dead token is refused too.
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/logout", {}, Bearer(s)), 401));
}

TEST_P(AuthTest, LogoutEndsOnlyItsOwnSession) {
    const auto first = NewBuyer();
    const auto second = LoginOk(first.login, first.password);
    ASSERT_EQ(Call("POST", "/api/v1/auth/logout", {}, Bearer(first)).status, 204);
    EXPECT_EQ(Get("/api/v1/me", Bearer(second)).status, 200);
}

TEST_P(AuthTest, ForgedTokensAre401) {
    const auto s = NewBuyer();
    const std::string made_up(43, 'A');
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Authorization", "Bearer " + made_up}}), 401));
    std::string altered = s.token;
    altered.back() = altered.back() == 'x' ? 'y' : 'x';
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Authorization", "Bearer " + altered}}), 401));
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Cookie", "goji_session=" + altered}}), 401));
    // The csrf token is not a session token.
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Authorization", "Bearer " + s.csrf_token}}), 401));
    const std::string huge(4000, 'b');
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", {{"Authorization", "Bearer " + huge}}), 401));
}

TEST_P(AuthTest, ExpiredSessionIs401) {
    // Sessions that live zero days are over as soon as they begin.
    auto& own = StartOwnServer({"--session-ttl-days", "0"});
    const RequestOptions json;
    const std::string login = UniqueLogin("expired");
    const auto credentials = boost::json::object{{"login", login}, {"password", "a-good-password"}};
    auto registration = credentials;
    registration["display_name"] = "Expired";
    ASSERT_EQ(Request(own.port(), "POST", "/api/v1/auth/register", boost::json::serialize(registration), json).status,
              201);
    const auto r = Request(own.port(), "POST", "/api/v1/auth/login", boost::json::serialize(credentials), json);
    ASSERT_EQ(r.status, 200) << Describe(r);
    const std::string token = Str(JsonObject(r), "token");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    RequestOptions bearer;
    bearer.headers = {{"Authorization", "Bearer " + token}};
    EXPECT_TRUE(IsProblem(Request(own.port(), "GET", "/api/v1/me", {}, bearer), 401));
    RequestOptions cookie;
    cookie.headers = {{"Cookie", "goji_session=" + token}};
    EXPECT_TRUE(IsProblem(Request(own.port(), "GET", "/api/v1/me", {}, cookie), 401));
}

TEST_P(AuthTest, WrongPasswordIsInvalidCredentials) {
    const std::string login = UniqueLogin("wrongpw");
    RegisterOk(login, "the-right-password");
    const auto r = LoginRaw(login, "the-wrong-password");
    ASSERT_TRUE(IsProblem(r, 401, "invalid_credentials"));
    EXPECT_TRUE(SetCookie(r, "goji_session").empty()) << "no session cookie on a failed login";
    // An unknown login gets exactly the same answer.
    const auto unknown = LoginRaw(UniqueLogin("nobody"), "the-wrong-password");
    EXPECT_TRUE(IsProblem(unknown, 401, "invalid_credentials"));
    EXPECT_EQ(Str(JsonObject(unknown), "detail"), Str(JsonObject(r), "detail"));
}

TEST_P(AuthTest, RepeatedWrongPasswordsForOneLoginAre429WithRetryAfter) {
    const std::string login = UniqueLogin("locked");
    const std::string password = "the-right-password";
    RegisterOk(login, password);
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(IsProblem(LoginRaw(login, "wrong-password-" + std::to_string(i)), 401, "invalid_credentials"))
            << "attempt " << i + 1;
    }
    const auto limited = LoginRaw(login, "wrong-password-6");
    ASSERT_TRUE(IsProblem(limited, 429));
    const std::string retry = limited.Header("Retry-After");
    ASSERT_FALSE(retry.empty()) << "no Retry-After header";
    EXPECT_GT(std::stoi(retry), 0) << retry;
    // Locked: even the right password waits.
    EXPECT_TRUE(IsProblem(LoginRaw(login, password), 429));
    // Other logins from the same address are not locked.
    const std::string other = UniqueLogin("notlocked");
    RegisterOk(other, password);
    EXPECT_EQ(LoginRaw(other, password).status, 200);
}

TEST_P(AuthTest, ManyLoginAttemptsFromOneAddressAre429) {
    auto& own = StartOwnServer();
    RequestOptions o;
    int limited_at = 0;
    for (int i = 1; i <= 40 && limited_at == 0; ++i) {
        const auto body = boost::json::serialize(
            boost::json::object{{"login", "nobody" + std::to_string(i)}, {"password", "some-password"}});
        const auto r = Request(own.port(), "POST", "/api/v1/auth/login", body, o);
        if (r.status == 429) {
            limited_at = i;
            EXPECT_TRUE(IsProblem(r, 429));
            EXPECT_FALSE(r.Header("Retry-After").empty());
        } else {
            EXPECT_TRUE(IsProblem(r, 401, "invalid_credentials")) << "attempt " << i;
        }
    }
    EXPECT_GT(limited_at, 5) << "limited too early";
    EXPECT_NE(limited_at, 0) << "40 failed logins with different names from one address were never limited";
}

TEST_P(AuthTest, CookieWithoutCsrfHeaderIs403AndChangesNothing) {
    const auto s = NewBuyer();
    const std::string before = Str(Me(s), "display_name");
    const auto body = boost::json::serialize(boost::json::object{{"display_name", "Changed by CSRF"}});
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", body, CookieOnly(s)), 403, "csrf"));
    Headers wrong = CookieOnly(s);
    wrong.emplace_back("X-CSRF-Token", std::string(43, 'Z'));
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", body, wrong), 403, "csrf"));
    // The session token is not the CSRF token.
    Headers token_as_csrf = CookieOnly(s);
    token_as_csrf.emplace_back("X-CSRF-Token", s.token);
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", body, token_as_csrf), 403, "csrf"));
    EXPECT_EQ(Str(Me(s), "display_name"), before);
}

TEST_P(AuthTest, CookieWithCsrfHeaderIsAccepted) {
    const auto s = NewBuyer();
    const auto body = boost::json::serialize(boost::json::object{{"display_name", "库尔班"}});
    const auto r = Call("PATCH", "/api/v1/me", body, CookieWithCsrf(s));
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Str(Obj(JsonObject(r), "user"), "display_name"), "库尔班");
    EXPECT_EQ(Str(Me(s), "display_name"), "库尔班");
}

TEST_P(AuthTest, CsrfTokenOfAnotherSessionIsRefused) {
    const auto a = NewBuyer();
    const auto b = NewBuyer();
    Headers h = CookieOnly(a);
    h.emplace_back("X-CSRF-Token", b.csrf_token);
    const auto body = boost::json::serialize(boost::json::object{{"display_name", "Crossed"}});
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", body, h), 403, "csrf"));
    EXPECT_NE(Str(Me(a), "display_name"), "Crossed");
}

TEST_P(AuthTest, BearerNeedsNoCsrfToken) {
    const auto s = NewBuyer();
    const auto body = boost::json::serialize(boost::json::object{{"display_name", "Bearer Name"}});
    const auto r = Call("PATCH", "/api/v1/me", body, Bearer(s));
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Str(Me(s), "display_name"), "Bearer Name");
}

TEST_P(AuthTest, LogoutWithCookieNeedsCsrfToken) {
    const auto s = NewBuyer();
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/logout", {}, CookieOnly(s)), 403, "csrf"));
    EXPECT_EQ(Get("/api/v1/me", Bearer(s)).status, 200) << "the session ended without a CSRF token";
    EXPECT_EQ(Call("POST", "/api/v1/auth/logout", {}, CookieWithCsrf(s)).status, 204);
    EXPECT_EQ(Get("/api/v1/me", Bearer(s)).status, 401);
}

TEST_P(AuthTest, ChangePasswordEndsOtherSessions) {
    const auto s1 = NewBuyer();
    const auto s2 = LoginOk(s1.login, s1.password);
    const std::string new_password = "a-brand-new-password";
    const auto r =
        PostJson("/api/v1/me/password",
                 boost::json::object{{"old_password", s1.password}, {"new_password", new_password}}, Bearer(s1));
    ASSERT_EQ(r.status, 204) << Describe(r);
    EXPECT_TRUE(IsProblem(Get("/api/v1/me", Bearer(s2)), 401)) << "the other session survived";
    EXPECT_EQ(Get("/api/v1/me", Bearer(s1)).status, 200) << "the session that changed the password ended";
    EXPECT_TRUE(IsProblem(LoginRaw(s1.login, s1.password), 401, "invalid_credentials"));
    EXPECT_EQ(LoginRaw(s1.login, new_password).status, 200);
}

TEST_P(AuthTest, ChangePasswordWithWrongOldPasswordIs400AndChangesNothing) {
    const auto s1 = NewBuyer();
    const auto s2 = LoginOk(s1.login, s1.password);
    const auto r = PostJson(
        "/api/v1/me/password",
        boost::json::object{{"old_password", "not-the-old-password"}, {"new_password", "another-new-password"}},
        Bearer(s1));
    EXPECT_TRUE(IsProblem(r, 400, "old_password"));
    EXPECT_EQ(Get("/api/v1/me", Bearer(s2)).status, 200) << "a failed change ended another session";
    EXPECT_EQ(LoginRaw(s1.login, s1.password).status, 200);
}

TEST_P(AuthTest, ChangePasswordTooShortIs400) {
    const auto s = NewBuyer();
    const auto r = PostJson("/api/v1/me/password",
                            boost::json::object{{"old_password", s.password}, {"new_password", "short"}}, Bearer(s));
    EXPECT_TRUE(IsProblem(r, 400, "new_password"));
    EXPECT_EQ(LoginRaw(s.login, s.password).status, 200);
}

TEST_P(AuthTest, SecretsNeverReachTheOutput) {
    const std::string login = UniqueLogin("secret");
    const std::string password = "Pa55-" + login + "-unlogged";
    const std::string wrong_password = "Wr0ng-" + login + "-unlogged";
    const std::string new_password = "N3w-" + login + "-unlogged";
    RegisterOk(login, password);
    EXPECT_EQ(LoginRaw(login, wrong_password).status, 401);
    const auto s = LoginOk(login, password);
    EXPECT_EQ(Get("/api/v1/me", Bearer(s)).status, 200);
    EXPECT_EQ(Get("/api/v1/me", CookieOnly(s)).status, 200);
    const auto body = boost::json::serialize(boost::json::object{{"display_name", "Secret Keeper"}});
    EXPECT_EQ(Call("PATCH", "/api/v1/me", body, CookieWithCsrf(s)).status, 200);
    EXPECT_EQ(PostJson("/api/v1/me/password",
                       boost::json::object{{"old_password", password}, {"new_password", new_password}}, Bearer(s))
                  .status,
              204);
    const auto last = Get("/api/v1/me", Bearer(s));
    ASSERT_EQ(last.status, 200);

    // Wait until the log has caught up with the last request.
    const std::string last_id = last.Header("X-Request-Id");
    std::string output;
    for (int i = 0; i < 100; ++i) {
        output = server().Output();
        if (Contains(output, last_id)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(Contains(output, last_id)) << "the access log never showed request " << last_id;
    EXPECT_FALSE(Contains(output, s.token)) << "the session token was logged";
    EXPECT_FALSE(Contains(output, s.csrf_token)) << "the CSRF token was logged";
    EXPECT_FALSE(Contains(output, password)) << "the password was logged";
    EXPECT_FALSE(Contains(output, wrong_password)) << "a wrong password was logged";
    EXPECT_FALSE(Contains(output, new_password)) << "the new password was logged";
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
