// Bad input of every kind: each gets a clear 4xx problem and changes nothing.
// "Nothing changed" is checked by registering the same login correctly
// afterwards (it would be taken had the bad request created it).

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {
namespace {

class BadInputTest : public HttpTest {
protected:
    // The login was not created by the bad request(s) before.
    void ExpectLoginStillFree(const std::string& login) {
        const auto r = RegisterRaw(login, "a-good-password");
        EXPECT_EQ(r.status, 201) << "a bad request created or blocked " << login << ": " << Describe(r);
    }

    static std::string RegisterBody(const std::string& login, const std::string& display_name = "Name") {
        return boost::json::serialize(
            boost::json::object{{"login", login}, {"password", "a-good-password"}, {"display_name", display_name}});
    }
};

std::string Repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// The login padded with 'x' to exactly `length` characters.
std::string LoginOfLength(std::string_view prefix, std::size_t length) {
    std::string login = UniqueLogin(prefix);
    login.append(length - login.size(), 'x');
    return login;
}

TEST_P(BadInputTest, MalformedJsonIs400) {
    const std::string login = UniqueLogin("badjson");
    for (const std::string& body :
         {std::string(R"({"login":")") + login, std::string(R"({"login":)"), std::string("{login: 1}"),
          std::string(R"({"login":"x",})"), std::string(R"({"a":1} trailing)"), std::string("")}) {
        EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", body), 400, "malformed_json")) << body;
    }
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, JsonThatIsNotAnObjectIs400) {
    for (const char* body : {"[]", "\"text\"", "42", "null"}) {
        EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", body), 400, "malformed_json")) << body;
    }
}

TEST_P(BadInputTest, JsonNested33DeepIs400) {
    const std::string login = UniqueLogin("deep");
    // An object around 32 arrays: 33 levels.
    const std::string deep = R"({"login":)" + std::string(32, '[') + std::string(32, ']') + "}";
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", deep), 400, "json_too_deep"));
    const std::string very_deep = std::string(100000, '[') + std::string(100000, ']');
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", very_deep), 400, "json_too_deep"));
    // 32 levels are still parsed: the complaint is then about the field.
    const std::string at_limit = R"({"login":)" + std::string(31, '[') + std::string(31, ']') + "}";
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", at_limit), 400, "login"));
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, InvalidUtf8InTheBodyIs400) {
    const std::string login = UniqueLogin("utf");
    for (const std::string& bad :
         {std::string("\xff\xfe"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"), std::string("\xe7\xb2")}) {
        const std::string body =
            R"({"login":")" + login + R"(","password":"a-good-password","display_name":"N)" + bad + R"("})";
        EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", body), 400, "invalid_utf8"));
    }
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, WrongContentTypeIs415) {
    const std::string login = UniqueLogin("ctype");
    const std::string body = RegisterBody(login);
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", body, {}, "text/plain"), 415));
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", body, {}, "application/x-www-form-urlencoded"), 415));
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", body, {}, ""), 415)) << "no content type at all";
    ExpectLoginStillFree(login);
    // Parameters after the media type are fine.
    const std::string other = UniqueLogin("ctype");
    EXPECT_EQ(Call("POST", "/api/v1/auth/register", RegisterBody(other), {}, "application/json; charset=utf-8").status,
              201);
}

TEST_P(BadInputTest, WrongTypesAre400NamingTheField) {
    EXPECT_TRUE(
        IsProblem(Call("POST", "/api/v1/auth/login", R"({"login":12345,"password":"a-good-password"})"), 400, "login"));
    const std::string login = UniqueLogin("types");
    EXPECT_TRUE(IsProblem(
        PostJson("/api/v1/auth/register",
                 boost::json::object{{"login", 12345}, {"password", "a-good-password"}, {"display_name", "N"}}),
        400, "login"));
    EXPECT_TRUE(IsProblem(
        PostJson("/api/v1/auth/register",
                 boost::json::object{
                     {"login", login}, {"password", boost::json::array{"a-good-password"}}, {"display_name", "N"}}),
        400, "password"));
    EXPECT_TRUE(IsProblem(
        PostJson("/api/v1/auth/register",
                 boost::json::object{{"login", login}, {"password", "a-good-password"}, {"display_name", true}}),
        400, "display_name"));
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, MissingFieldsAre400NamingTheField) {
    const std::string login = UniqueLogin("missing");
    EXPECT_TRUE(
        IsProblem(PostJson("/api/v1/auth/register", boost::json::object{{"login", login}, {"display_name", "Name"}}),
                  400, "password"));
    EXPECT_TRUE(IsProblem(PostJson("/api/v1/auth/login", boost::json::object{{"login", login}}), 400, "password"));
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", "{}"), 400, "login"));
    EXPECT_TRUE(IsProblem(
        PostJson("/api/v1/auth/register", boost::json::object{{"login", login}, {"password", "a-good-password"}}), 400,
        "display_name"));
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, DisplayNameOf41CodePointsIs400) {
    const std::string login = UniqueLogin("longname");
    // 41 CJK characters are 123 bytes: the limit counts code points.
    EXPECT_TRUE(
        IsProblem(Call("POST", "/api/v1/auth/register", RegisterBody(login, Repeat("精", 41))), 400, "display_name"));
    ExpectLoginStillFree(login);
    const std::string other = UniqueLogin("longname");
    const auto ok = Call("POST", "/api/v1/auth/register", RegisterBody(other, Repeat("精", 40)));
    ASSERT_EQ(ok.status, 201) << "40 code points must be allowed: " << Describe(ok);
    EXPECT_EQ(Str(Obj(JsonObject(ok), "user"), "display_name"), Repeat("精", 40));
}

TEST_P(BadInputTest, LoginOf33CharactersIs400) {
    const std::string login = LoginOfLength("longlogin", 33);
    EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", RegisterBody(login)), 400, "login"));
    ExpectLoginStillFree(login.substr(0, 32));
    EXPECT_EQ(Call("POST", "/api/v1/auth/register", RegisterBody(LoginOfLength("longlogin", 32))).status, 201);
}

TEST_P(BadInputTest, LoginWithForbiddenCharactersIs400) {
    for (const char* login : {"ab", "-starts-with-dash", "has space", "semi;colon", "精河"}) {
        EXPECT_TRUE(IsProblem(Call("POST", "/api/v1/auth/register", RegisterBody(login)), 400, "login")) << login;
    }
}

TEST_P(BadInputTest, PatchMeWithOverlongDisplayNameChangesNothing) {
    const auto s = NewBuyer();
    const std::string before = Str(Me(s), "display_name");
    const auto body = boost::json::serialize(boost::json::object{{"display_name", Repeat("x", 41)}});
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", body, Bearer(s)), 400, "display_name"));
    const auto control = boost::json::serialize(boost::json::object{{"display_name", "bell\x07name"}});
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", control, Bearer(s)), 400, "display_name"));
    const auto blank = boost::json::serialize(boost::json::object{{"display_name", "   "}});
    EXPECT_TRUE(IsProblem(Call("PATCH", "/api/v1/me", blank, Bearer(s)), 400, "display_name"));
    EXPECT_EQ(Str(Me(s), "display_name"), before);
}

TEST_P(BadInputTest, BodyOver1MiBIs413BeforeTheBodyIsSent) {
    const std::string login = UniqueLogin("big");
    Connection c(port());
    c.Send(
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(1024 * 1024 + 1) + "\r\n\r\n");
    const auto r = c.Read(std::chrono::seconds(5));
    ASSERT_TRUE(r.has_value()) << "no reply before the body was sent";
    EXPECT_TRUE(IsProblem(*r, 413));
    EXPECT_TRUE(c.ClosedByPeer()) << "the connection stays open after 413";
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, ChunkedBodyOver1MiBIs413) {
    const std::string login = UniqueLogin("chunked");
    const std::string json = RegisterBody(login);
    // Valid JSON followed by spaces: well over 1 MiB in all.
    const std::string body = json + std::string(1024 * 1024 + 100, ' ');
    Connection c(port());
    std::string req =
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\n\r\n";
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", body.size());
    req += size;
    req += body;
    req += "\r\n0\r\n\r\n";
    try {
        c.Send(req);
    } catch (const std::exception&) {
        // The server may close before all of it is sent; its reply still counts.
    }
    const auto r = c.Read(std::chrono::seconds(10));
    ASSERT_TRUE(r.has_value()) << "no reply to an oversized chunked body";
    EXPECT_TRUE(IsProblem(*r, 413));
    ExpectLoginStillFree(login);
}

TEST_P(BadInputTest, HeaderOver16KiBIs431) {
    Connection c(port());
    c.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + std::string(17 * 1024, 'a') + "\r\n\r\n");
    const auto r = c.Read(std::chrono::seconds(5));
    ASSERT_TRUE(r.has_value()) << "no reply to an oversized header";
    EXPECT_TRUE(IsProblem(*r, 431));
}

TEST_P(BadInputTest, ManySmallHeadersOver16KiBAre431) {
    std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 400; ++i) req += "X-Filler-" + std::to_string(i) + ": " + std::string(40, 'b') + "\r\n";
    req += "\r\n";
    Connection c(port());
    c.Send(req);
    const auto r = c.Read(std::chrono::seconds(5));
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(IsProblem(*r, 431));
}

TEST_P(BadInputTest, MalformedRequestLineIs400) {
    Connection c(port());
    c.Send("GARBAGE\r\n\r\n");
    const auto r = c.Read(std::chrono::seconds(5));
    ASSERT_TRUE(r.has_value()) << "no reply to a malformed request line";
    EXPECT_TRUE(IsProblem(*r, 400));
    EXPECT_TRUE(c.ClosedByPeer()) << "the connection stays open after a malformed request";
}

TEST_P(BadInputTest, OtherMalformedRequestsAre400) {
    for (const std::string& raw :
         {std::string("GET /healthz\r\n\r\n"), std::string("GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
          std::string("GET /healthz HTTP/1.1\r\nBroken header line\r\n\r\n"),
          std::string("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")}) {
        Connection c(port());
        c.Send(raw);
        const auto r = c.Read(std::chrono::seconds(5));
        ASSERT_TRUE(r.has_value()) << "no reply to " << raw;
        EXPECT_TRUE(IsProblem(*r, 400)) << raw;
    }
}

TEST_P(BadInputTest, SlowSenderGets408AndIsClosed) {
    auto& own = StartOwnServer({"--header-timeout-ms", "500"});
    Connection c(own.port());
    const auto start = std::chrono::steady_clock::now();
    c.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ");
    const auto r = c.Read(std::chrono::seconds(5));
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r.has_value()) << "no 408 for half a header";
    EXPECT_TRUE(IsProblem(*r, 408));
    EXPECT_GE(took, std::chrono::milliseconds(400)) << "answered before the timeout";
    EXPECT_LT(took, std::chrono::seconds(4)) << "the header timeout is 500 ms";
    EXPECT_TRUE(c.ClosedByPeer()) << "the connection stays open after 408";
}

TEST_P(BadInputTest, TricklingSenderIsCutOffByTheHeaderTimeout) {
    auto& own = StartOwnServer({"--header-timeout-ms", "500"});
    Connection c(own.port());
    const std::string req = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: " + std::string(200, 'z');
    const auto start = std::chrono::steady_clock::now();
    std::optional<HttpResponse> r;
    for (std::size_t i = 0; i < req.size() && !r; ++i) {
        try {
            c.Send(req.substr(i, 1));
        } catch (const std::exception&) {
            r = c.Read(std::chrono::seconds(1));
            break;
        }
        r = c.Read(std::chrono::milliseconds(50));
    }
    const auto took = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r.has_value()) << "a byte every 50 ms kept the connection open";
    EXPECT_TRUE(IsProblem(*r, 408));
    EXPECT_LT(took, std::chrono::seconds(4));
}

TEST_P(BadInputTest, UnknownRegionIs404) {
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/999999"), 404, "not_found"));
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/999999/children"), 404, "not_found"));
}

TEST_P(BadInputTest, MalformedRegionCodeIs400) {
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/abc"), 400, "code"));
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/abc/children"), 400, "code"));
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/65272"), 400, "code"));
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/6527221000000"), 400, "code"));
}

TEST_P(BadInputTest, InvalidUtf8InThePathIs400) {
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/%FF"), 400));
    EXPECT_TRUE(IsProblem(Get("/api/v1/regions/%C0%AF"), 400));
}

TEST_P(BadInputTest, InvalidUtf8InTheQueryIs400) { EXPECT_TRUE(IsProblem(Get("/api/v1/regions?cursor=%FF"), 400)); }

INSTANTIATE_TEST_SUITE_P(Backends, BadInputTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
