// Health, readiness, metrics, the OpenAPI document, request ids, keep-alive
// and the problem+json replies for unknown addresses and methods.

#include <set>

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {
namespace {

class SystemTest : public HttpTest {};

bool HasCodePointIn(std::string_view utf8, char32_t lo, char32_t hi) {
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        char32_t cp = 0;
        std::size_t n = 1;
        if (c < 0x80) {
            cp = c;
        } else if ((c >> 5) == 0x6) {
            cp = c & 0x1FU;
            n = 2;
        } else if ((c >> 4) == 0xE) {
            cp = c & 0x0FU;
            n = 3;
        } else {
            cp = c & 0x07U;
            n = 4;
        }
        for (std::size_t k = 1; k < n && i + k < utf8.size(); ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
        }
        if (cp >= lo && cp <= hi) return true;
        i += n;
    }
    return false;
}

bool IsAscii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

TEST_P(SystemTest, HealthzIsOkJson) {
    const auto r = Get("/healthz");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "application/json")) << r.Header("Content-Type");
    const auto o = JsonObject(r);
    EXPECT_EQ(Str(o, "status"), "ok") << r.body;
}

TEST_P(SystemTest, ReadyzIsOkWhenTheDatabaseIsReachable) {
    const auto r = Get("/readyz");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "application/json")) << r.Header("Content-Type");
    EXPECT_TRUE(TryJson(r).has_value()) << r.body;
}

TEST_P(SystemTest, MetricsHaveRequestCountsLatencyAndPoolFigures) {
    ASSERT_EQ(Get("/healthz").status, 200);
    const auto r = Get("/metrics");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "text/plain")) << r.Header("Content-Type");
    EXPECT_TRUE(Contains(r.body, "goji_http_requests_total")) << r.body;
    EXPECT_TRUE(Contains(r.body, "goji_http_request_duration_seconds_bucket")) << r.body;
    EXPECT_TRUE(Contains(r.body, "goji_db_pool_connections")) << r.body;
    // The /healthz request above is counted under its route.
    EXPECT_TRUE(Contains(r.body, "route=\"/healthz\"")) << r.body;
}

TEST_P(SystemTest, OpenApiDocumentListsEveryRoute) {
    const auto r = Get("/api/v1/openapi.json");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "application/json")) << r.Header("Content-Type");
    const auto doc = JsonObject(r);
    EXPECT_EQ(Str(doc, "openapi"), "3.1.0");
    const auto paths = Obj(doc, "paths");
    for (const char* path :
         {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/auth/register", "/api/v1/auth/login",
          "/api/v1/auth/logout", "/api/v1/me", "/api/v1/me/password", "/api/v1/regions", "/api/v1/regions/{code}",
          "/api/v1/regions/{code}/children", "/api/v1/admin/users/{id}/roles"}) {
        EXPECT_TRUE(paths.contains(path)) << "the OpenAPI document lacks " << path;
    }
}

TEST_P(SystemTest, EveryReplyHasARequestId) {
    const auto session = NewBuyer();
    std::vector<HttpResponse> replies;
    replies.push_back(Get("/healthz"));
    replies.push_back(Get("/api/v1/regions/652722"));
    replies.push_back(Get("/api/v1/me", Bearer(session)));
    replies.push_back(Get("/api/v1/me"));                        // 401
    replies.push_back(Get("/api/v1/no-such-thing"));             // 404
    replies.push_back(Call("DELETE", "/healthz"));               // 405
    replies.push_back(Call("POST", "/api/v1/auth/login", "{"));  // 400
    std::set<std::string> ids;
    for (const auto& r : replies) {
        const std::string id = r.Header("X-Request-Id");
        EXPECT_FALSE(id.empty()) << "no X-Request-Id on " << Describe(r);
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), replies.size()) << "request ids repeat";
}

TEST_P(SystemTest, WellFormedIncomingRequestIdIsEchoed) {
    const std::string id = "test-req_42.abc";
    const auto ok = Get("/healthz", {{"X-Request-Id", id}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.Header("X-Request-Id"), id);
    const auto missing = Get("/api/v1/nothing-here", {{"X-Request-Id", id}});
    ASSERT_TRUE(IsProblem(missing, 404));
    EXPECT_EQ(Str(JsonObject(missing), "request_id"), id);
}

TEST_P(SystemTest, MalformedIncomingRequestIdIsReplaced) {
    const std::string bad = "evil id\" with spaces";
    const auto r = Get("/healthz", {{"X-Request-Id", bad}});
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.Header("X-Request-Id").empty());
    EXPECT_NE(r.Header("X-Request-Id"), bad);
    const std::string too_long(65, 'a');
    const auto r2 = Get("/healthz", {{"X-Request-Id", too_long}});
    EXPECT_FALSE(r2.Header("X-Request-Id").empty());
    EXPECT_NE(r2.Header("X-Request-Id"), too_long);
}

TEST_P(SystemTest, KeepAliveAnswersTwoRequestsOnOneConnection) {
    Connection c(port());
    c.Send(RawRequest("GET", "/healthz"));
    const auto first = c.Read();
    ASSERT_TRUE(first.has_value()) << "no first reply";
    EXPECT_EQ(first->status, 200);
    c.Send(RawRequest("GET", "/api/v1/regions/652722"));
    const auto second = c.Read();
    ASSERT_TRUE(second.has_value()) << "no second reply on the same connection";
    EXPECT_EQ(second->status, 200) << Describe(*second);
    EXPECT_EQ(Str(JsonObject(*second), "code"), "652722");
}

TEST_P(SystemTest, PipelinedRequestsAreAnsweredInOrder) {
    Connection c(port());
    c.Send(RawRequest("GET", "/healthz") + RawRequest("GET", "/api/v1/regions/650000"));
    const auto first = c.Read();
    const auto second = c.Read();
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(Str(JsonObject(*first), "status"), "ok");
    EXPECT_EQ(Str(JsonObject(*second), "code"), "650000");
}

TEST_P(SystemTest, UnknownAddressIsProblem404) {
    const auto r = Get("/api/v1/no-such-thing");
    EXPECT_TRUE(IsProblem(r, 404, "not_found"));
}

TEST_P(SystemTest, WrongMethodIsProblem405WithAllow) {
    const auto r = Call("DELETE", "/healthz");
    ASSERT_TRUE(IsProblem(r, 405));
    const std::string allow = r.Header("Allow");
    EXPECT_TRUE(Contains(allow, "GET")) << "Allow: " << allow;
    EXPECT_FALSE(Contains(allow, "DELETE")) << "Allow: " << allow;

    const auto me = Call("PUT", "/api/v1/me", "{}");
    ASSERT_TRUE(IsProblem(me, 405));
    EXPECT_TRUE(Contains(me.Header("Allow"), "GET")) << me.Header("Allow");
    EXPECT_TRUE(Contains(me.Header("Allow"), "PATCH")) << me.Header("Allow");
}

TEST_P(SystemTest, ProblemDetailFollowsAcceptLanguage) {
    const auto en = Get("/api/v1/no-such-thing", {{"Accept-Language", "en"}});
    ASSERT_TRUE(IsProblem(en, 404));
    const std::string en_detail = Str(JsonObject(en), "detail");
    EXPECT_TRUE(IsAscii(en_detail)) << en_detail;
    EXPECT_TRUE(HasCodePointIn(en_detail, U'a', U'z')) << en_detail;

    const auto ug = Get("/api/v1/no-such-thing", {{"Accept-Language", "ug"}});
    ASSERT_TRUE(IsProblem(ug, 404));
    const std::string ug_detail = Str(JsonObject(ug), "detail");
    EXPECT_TRUE(HasCodePointIn(ug_detail, U'\u0600', U'\u06FF')) << "not in Uyghur (Arabic script): " << ug_detail;

    for (const Headers& h : {Headers{}, Headers{{"Accept-Language", "zh-CN"}}}) {
        const auto zh = Get("/api/v1/no-such-thing", h);
        ASSERT_TRUE(IsProblem(zh, 404));
        const std::string zh_detail = Str(JsonObject(zh), "detail");
        EXPECT_TRUE(HasCodePointIn(zh_detail, U'\u4E00', U'\u9FFF')) << "not in Chinese: " << zh_detail;
    }
    EXPECT_NE(en_detail, ug_detail);
}

TEST_P(SystemTest, AcceptLanguageWeightsPickTheBestSupportedLanguage) {
    const auto r = Get("/api/v1/no-such-thing", {{"Accept-Language", "fr;q=1.0, ug;q=0.4, en;q=0.8"}});
    ASSERT_TRUE(IsProblem(r, 404));
    const std::string detail = Str(JsonObject(r), "detail");
    EXPECT_TRUE(IsAscii(detail)) << "expected English: " << detail;
}

INSTANTIATE_TEST_SUITE_P(Backends, SystemTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
