// The HTTP layer without sockets: router, problem mapping, catalogues,
// middleware and static files.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "common/clock.hpp"
#include "http/messages.hpp"
#include "http/middleware/middleware.hpp"
#include "http/pipeline.hpp"
#include "http/problem.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "support/temp_dir.hpp"

namespace goji::http {
namespace {

std::vector<std::string> Segs(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        const auto slash = path.find('/', i);
        const auto end = slash == std::string_view::npos ? path.size() : slash;
        out.emplace_back(path.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

Response Ok(Context&) { return Response::Json(200, "{}"); }

TEST(Router, MatchesLiteralsAndParameters) {
    Router r;
    r.Add(Method::kGet, "/api/v1/regions/{code}", Ok);
    r.Add(Method::kGet, "/api/v1/regions/{code}/children", Ok);
    r.Add(Method::kPost, "/api/v1/auth/login", Ok, {.body_limit = 2048});
    auto m = r.Match(Method::kGet, Segs("/api/v1/regions/652722/children"));
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->pattern, "/api/v1/regions/{code}/children");
    ASSERT_EQ(m.params.size(), 1U);
    EXPECT_EQ(m.params[0].first, "code");
    EXPECT_EQ(m.params[0].second, "652722");
    EXPECT_EQ(r.Match(Method::kPost, Segs("/api/v1/auth/login")).body_limit, 2048U);
    EXPECT_EQ(r.Match(Method::kHead, Segs("/api/v1/regions/65")).route->method, Method::kGet);
}

TEST(Router, Gives404And405WithAllow) {
    Router r;
    r.Add(Method::kGet, "/api/v1/me", Ok);
    r.Add(Method::kPatch, "/api/v1/me", Ok);
    auto m = r.Match(Method::kDelete, Segs("/api/v1/me"));
    EXPECT_EQ(m.route, nullptr);
    EXPECT_EQ(m.status, 405);
    EXPECT_EQ(m.allow, "GET, HEAD, PATCH");
    EXPECT_EQ(r.Match(Method::kGet, Segs("/api/v1/you")).status, 404);
    EXPECT_EQ(r.Match(Method::kGet, Segs("/api/v1/me/")).status, 404);
    // An empty segment never fills a parameter.
    r.Add(Method::kGet, "/x/{id}", Ok);
    EXPECT_EQ(r.Match(Method::kGet, Segs("/x/")).status, 404);
}

TEST(Router, RefusesBadRoutes) {
    Router r;
    EXPECT_THROW(r.Add(Method::kGet, "no-slash", Ok), std::invalid_argument);
    EXPECT_THROW(r.Add(Method::kPost, "/big", Ok, {.body_limit = kMaxBodyLimit + 1}), std::invalid_argument);
}

TEST(Problem, MapsEveryErrorKindToItsStatus) {
    const std::pair<ErrorKind, int> expected[] = {
        {ErrorKind::kBadInput, 400},   {ErrorKind::kUnauthenticated, 401},  {ErrorKind::kForbidden, 403},
        {ErrorKind::kNotFound, 404},   {ErrorKind::kMethodNotAllowed, 405}, {ErrorKind::kTimeout, 408},
        {ErrorKind::kConflict, 409},   {ErrorKind::kPayloadTooLarge, 413},  {ErrorKind::kUnsupportedMedia, 415},
        {ErrorKind::kRuleBroken, 422}, {ErrorKind::kRateLimited, 429},      {ErrorKind::kHeaderTooLarge, 431},
        {ErrorKind::kInternal, 500},   {ErrorKind::kUnavailable, 503},
    };
    const Messages messages;
    for (const auto& [kind, status] : expected) {
        EXPECT_EQ(StatusOf(kind), status);
        Request req;
        req.lang = "en";
        req.request_id = "rid";
        const Response r = Problem(messages, req, Error::Make(kind, "x"));
        EXPECT_EQ(r.status, status);
        EXPECT_EQ(r.content_type, "application/problem+json; charset=utf-8");
        const auto body = boost::json::parse(r.body).as_object();
        for (const char* field : {"type", "title", "status", "detail", "code", "request_id"}) {
            EXPECT_TRUE(body.contains(field)) << field;
        }
        // Every status has a title in every language.
        for (const auto lang : Messages::kLanguages) {
            EXPECT_TRUE(messages.Has(lang, "problem.title." + std::to_string(status))) << lang << " " << status;
        }
    }
}

TEST(Problem, HidesInternalDetailsAndNamesFields) {
    const Messages messages;
    Request req;
    req.lang = "en";
    const auto internal =
        boost::json::parse(Problem(messages, req, Error::Internal("SELECT secret FROM users failed")).body);
    EXPECT_EQ(internal.at("code"), "internal");
    EXPECT_EQ(boost::json::serialize(internal).find("SELECT"), std::string::npos);
    const auto field = boost::json::parse(Problem(messages, req, Error::BadInput("display_name", "too_long")).body);
    EXPECT_EQ(field.at("code"), "display_name");
    EXPECT_EQ(field.at("field"), "display_name");
    EXPECT_EQ(field.at("detail"), "Display name is too long.");
    req.lang = "zh-CN";
    EXPECT_EQ(boost::json::parse(Problem(messages, req, Error::BadInput("display_name", "too_long")).body).at("detail"),
              "显示名称太长。");
    Error limited = Error::Make(ErrorKind::kRateLimited, "rate_limited");
    limited.retry_after_s = 7;
    EXPECT_EQ(Problem(messages, req, limited).Header("Retry-After"), "7");
}

TEST(Messages, EveryCatalogueHasEveryKey) {
    const Messages messages;
    for (const auto lang : Messages::kLanguages) {
        for (const auto other : Messages::kLanguages) {
            for (const auto& [key, text] : messages.Catalogue(other)) {
                EXPECT_TRUE(messages.Has(lang, key)) << key << " missing in " << lang;
                EXPECT_FALSE(text.empty()) << key << " empty in " << other;
            }
        }
    }
    EXPECT_NE(messages.Get("ug", "problem.not_found"), messages.Get("en", "problem.not_found"));
}

TEST(Messages, NegotiatesTheLanguage) {
    EXPECT_EQ(Messages::Negotiate("", "", ""), "zh-CN");
    EXPECT_EQ(Messages::Negotiate("", "", "en-US,en;q=0.9"), "en");
    EXPECT_EQ(Messages::Negotiate("", "", "fr, ug;q=0.5, en;q=0.4"), "ug");
    EXPECT_EQ(Messages::Negotiate("", "", "zh-TW"), "zh-CN");
    EXPECT_EQ(Messages::Negotiate("", "ug", "en"), "ug");
    EXPECT_EQ(Messages::Negotiate("en", "ug", "zh"), "en");
    EXPECT_EQ(Messages::Negotiate("xx", "", "q=;;,,"), "zh-CN");
}

class PipelineTest : public ::testing::Test {
protected:
    PipelineTest() : clock_(0) {}

    void Build(RateLimiter::Rule rule = {0, 0}) {
        metrics_ = std::make_unique<Metrics>(router_);
        pipeline_ = std::make_unique<Pipeline>(router_, messages_, *metrics_, [](std::string_view token) {
            if (token == "good") {
                return Result<accounts::SessionWithUser>(
                    accounts::SessionWithUser{{"h", UserId{7}, "csrf-hash", 0, 1}, {UserId{7}, "u", "U", {}, 0}});
            }
            return Result<accounts::SessionWithUser>(Error::Unauthenticated());
        });
        pipeline_->Use(std::make_unique<RequestIdMiddleware>());
        pipeline_->Use(std::make_unique<AccessLogMiddleware>(nullptr, *metrics_));
        pipeline_->Use(std::make_unique<RateLimitMiddleware>(clock_, rule));
        pipeline_->Use(std::make_unique<SessionMiddleware>(
            [](const accounts::Session&, std::string_view t) { return t == "right"; }));
    }

    Response Send(Method method, const std::string& path, std::vector<Field> headers = {}) {
        Request req;
        req.method = method;
        req.path = path;
        req.segments = Segs(path);
        req.headers = std::move(headers);
        req.remote_ip = "10.0.0.1";
        const RouteMatch m = pipeline_->Match(method, req.segments);
        return pipeline_->Handle(req, m);
    }

    ManualClock clock_;
    Router router_;
    Messages messages_;
    std::unique_ptr<Metrics> metrics_;
    std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PipelineTest, AddsRequestIdsAndKeepsWellFormedOnes) {
    router_.Add(Method::kGet, "/a", Ok);
    Build();
    const Response r = Send(Method::kGet, "/a");
    EXPECT_EQ(r.Header("X-Request-Id")->size(), 16U);
    EXPECT_EQ(Send(Method::kGet, "/a", {{"X-Request-Id", "lb-123"}}).Header("X-Request-Id"), "lb-123");
    EXPECT_NE(Send(Method::kGet, "/a", {{"X-Request-Id", "bad id\"<>"}}).Header("X-Request-Id"), "bad id\"<>");
}

TEST_F(PipelineTest, TurnsExceptionsIntoProblems) {
    router_.Add(Method::kGet, "/boom", [](Context&) -> Response { throw std::runtime_error("database on fire"); });
    Build();
    const Response r = Send(Method::kGet, "/boom");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("fire"), std::string::npos);
}

TEST_F(PipelineTest, RateLimitsPerAddress) {
    router_.Add(Method::kGet, "/a", Ok);
    Build({1, 2});
    EXPECT_EQ(Send(Method::kGet, "/a").status, 200);
    EXPECT_EQ(Send(Method::kGet, "/a").status, 200);
    const Response r = Send(Method::kGet, "/a");
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(r.Header("Retry-After"), "1");
    clock_.Advance(1000);
    EXPECT_EQ(Send(Method::kGet, "/a").status, 200);
}

TEST_F(PipelineTest, ChecksCsrfForCookieSessionsOnly) {
    router_.Add(Method::kPost, "/w", [](Context& ctx) {
        const auto& a = ctx.Auth();
        return a ? Response::Json(200, "{}") : ctx.Fail(a.error());
    });
    Build();
    EXPECT_EQ(Send(Method::kPost, "/w", {{"Cookie", "goji_session=good"}}).status, 403);
    EXPECT_EQ(Send(Method::kPost, "/w", {{"Cookie", "goji_session=good"}, {"X-CSRF-Token", "wrong"}}).status, 403);
    EXPECT_EQ(Send(Method::kPost, "/w", {{"Cookie", "goji_session=good"}, {"X-CSRF-Token", "right"}}).status, 200);
    EXPECT_EQ(Send(Method::kPost, "/w", {{"Authorization", "Bearer good"}}).status, 200);
    EXPECT_EQ(Send(Method::kPost, "/w", {{"Authorization", "Bearer bad"}}).status, 401);
    EXPECT_EQ(Send(Method::kPost, "/w").status, 401);
}

TEST_F(PipelineTest, CountsRequestsPerRoute) {
    router_.Add(Method::kGet, "/a", Ok);
    Build();
    Send(Method::kGet, "/a");
    Send(Method::kGet, "/missing");
    const std::string text = metrics_->Render();
    EXPECT_NE(text.find(R"(goji_http_requests_total{route="/a",method="GET",code="2xx"} 1)"), std::string::npos);
    EXPECT_NE(text.find(R"(goji_http_requests_total{route="unmatched",method="ANY",code="4xx"} 1)"), std::string::npos);
    EXPECT_NE(text.find(R"(goji_http_request_duration_seconds_count{route="/a",method="GET"} 1)"), std::string::npos);
}

TEST_F(PipelineTest, HeadKeepsTheLengthAndDropsTheBody) {
    router_.Add(Method::kGet, "/a", [](Context&) { return Response::Json(200, "12345"); });
    Build();
    const Response r = Send(Method::kHead, "/a");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(r.head_length, 5U);
}

class StaticFilesTest : public PipelineTest {
protected:
    void SetUp() override {
        namespace fs = std::filesystem;
        root_ = dir_.path() + "/dist";
        fs::create_directories(root_ + "/assets");
        Write(root_ + "/index.html", "<!doctype html><title>Goji</title>");
        Write(root_ + "/assets/app-3f9a8b2c.js", "console.log('plain')");
        Write(root_ + "/assets/app-3f9a8b2c.js.br", "BROTLI");
        Write(root_ + "/assets/app-3f9a8b2c.js.gz", "GZIP");
        Write(dir_.path() + "/secret.txt", "do not serve");
        fs::create_symlink(dir_.path() + "/secret.txt", root_ + "/leak.txt");
        statics_ = std::make_unique<StaticFiles>(root_);
        router_.Add(Method::kGet, "/api/v1/x", Ok);
        router_.SetFallback([this](Context& ctx) { return statics_->Serve(ctx); });
        Build();
    }
    static void Write(const std::string& path, const std::string& content) { std::ofstream(path) << content; }

    testing::TempDir dir_;
    std::string root_;
    std::unique_ptr<StaticFiles> statics_;
};

TEST_F(StaticFilesTest, ServesFilesWithCachingRules) {
    const Response index = Send(Method::kGet, "/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(index.Header("Cache-Control"), "no-cache");
    const Response js = Send(Method::kGet, "/assets/app-3f9a8b2c.js");
    EXPECT_EQ(js.body, "console.log('plain')");
    EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
    const auto etag = std::string(*js.Header("ETag"));
    EXPECT_EQ(Send(Method::kGet, "/assets/app-3f9a8b2c.js", {{"If-None-Match", etag}}).status, 304);
}

TEST_F(StaticFilesTest, PrefersPrecompressedFiles) {
    const Response br = Send(Method::kGet, "/assets/app-3f9a8b2c.js", {{"Accept-Encoding", "gzip, deflate, br"}});
    EXPECT_EQ(br.body, "BROTLI");
    EXPECT_EQ(br.Header("Content-Encoding"), "br");
    EXPECT_EQ(br.content_type, "text/javascript; charset=utf-8");
    const Response gz = Send(Method::kGet, "/assets/app-3f9a8b2c.js", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gz.body, "GZIP");
    EXPECT_EQ(Send(Method::kGet, "/assets/app-3f9a8b2c.js", {{"Accept-Encoding", "br;q=0"}}).body,
              "console.log('plain')");
}

TEST_F(StaticFilesTest, NeverLeavesTheFolder) {
    EXPECT_EQ(Send(Method::kGet, "/../secret.txt").status, 404);
    EXPECT_EQ(Send(Method::kGet, "/assets/../../secret.txt").status, 404);
    EXPECT_EQ(Send(Method::kGet, "/leak.txt").status, 404);  // symlink out of the folder
    EXPECT_EQ(Send(Method::kGet, "/assets/..").status, 404);
}

TEST_F(StaticFilesTest, FallsBackToTheAppButNeverForApi) {
    const Response app = Send(Method::kGet, "/account/settings");
    EXPECT_EQ(app.status, 200);
    EXPECT_NE(app.body.find("Goji"), std::string::npos);
    const Response api = Send(Method::kGet, "/api/v1/nothing");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(api.content_type, "application/problem+json; charset=utf-8");
    EXPECT_EQ(Send(Method::kGet, "/missing.js").status, 404);
}

}  // namespace
}  // namespace goji::http

namespace goji::http {
namespace {

// Every error the server code can produce has its message, and every field
// it names has a localised name, in all three catalogues.
TEST(Messages, CoverEveryErrorTheServerRaises) {
    namespace fs = std::filesystem;
    const Messages messages;
    const std::regex bad_input(R"re(BadInput\("([a-z_]+)", "([a-z_]+)"\))re");
    const std::regex make(R"re(Make\(ErrorKind::k[A-Za-z]+, "([a-z_]+)")re");
    const std::regex conflict(R"re(Conflict\("([a-z_]+)"\))re");
    std::set<std::string> keys;
    for (const char* dir : {"/src/domain", "/src/http", "/src/infra", "/src/storage", "/src/common"}) {
        for (const auto& entry : fs::recursive_directory_iterator(std::string(GOJI_SOURCE_DIR) + dir)) {
            if (entry.path().extension() != ".cpp" && entry.path().extension() != ".hpp") continue;
            std::ifstream in(entry.path());
            const std::string src((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            for (std::sregex_iterator it(src.begin(), src.end(), bad_input), end; it != end; ++it) {
                keys.insert("field." + (*it)[1].str());
                keys.insert("problem." + (*it)[2].str());
            }
            for (const auto* re : {&make, &conflict}) {
                for (std::sregex_iterator it(src.begin(), src.end(), *re), end; it != end; ++it) {
                    keys.insert("problem." + (*it)[1].str());
                }
            }
        }
    }
    EXPECT_GT(keys.size(), 40U);
    for (const auto& key : keys) {
        for (const auto lang : Messages::kLanguages) EXPECT_TRUE(messages.Has(lang, key)) << key << " in " << lang;
    }
}

}  // namespace
}  // namespace goji::http
