// Server-wide limits and life cycle, each on a server of its own: the
// connection limit, the per-address rate limit and graceful shutdown.

#include "integration/http/http_fixture.hpp"

namespace goji::testing::http {
namespace {

class ServerTest : public HttpTest {};

TEST_P(ServerTest, ConnectionsOverTheLimitGet503) {
    auto& own = StartOwnServer({"--max-connections", "2"});
    auto first = std::make_unique<Connection>(own.port());
    Connection second(own.port());
    Connection third(own.port());
    const auto r = third.Read(std::chrono::seconds(5));
    ASSERT_TRUE(r.has_value()) << "the third connection got no reply";
    EXPECT_TRUE(IsProblem(*r, 503));
    EXPECT_TRUE(third.ClosedByPeer()) << "the refused connection stays open";

    // The two admitted connections still work.
    second.Send(RawRequest("GET", "/healthz"));
    const auto ok = second.Read();
    ASSERT_TRUE(ok.has_value()) << "an admitted connection got no reply";
    EXPECT_EQ(ok->status, 200);

    // Closing one makes room again: the server did not crash or leak the slot.
    first.reset();
    int status = 0;
    for (int i = 0; i < 50 && status != 200; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        status = Request(own.port(), "GET", "/healthz").status;
    }
    EXPECT_EQ(status, 200) << "no room after a connection closed";
}

TEST_P(ServerTest, RequestsOverTheRateLimitGet429WithRetryAfter) {
    auto& own = StartOwnServer({"--rate-limit-rps", "0.5", "--rate-limit-burst", "3"});
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(Request(own.port(), "GET", "/api/v1/regions/652722").status, 200) << "request " << i + 1;
    }
    const auto r = Request(own.port(), "GET", "/api/v1/regions/652722");
    ASSERT_TRUE(IsProblem(r, 429));
    const std::string retry = r.Header("Retry-After");
    ASSERT_FALSE(retry.empty()) << "no Retry-After header";
    EXPECT_GT(std::stoi(retry), 0) << retry;
}

TEST_P(ServerTest, SigtermShutsDownGracefully) {
    auto& own = StartOwnServer();
    Connection c(own.port());
    c.Send(RawRequest("GET", "/healthz"));
    const auto r = c.Read();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200);
    const auto start = std::chrono::steady_clock::now();
    const int rc = own.Stop(SIGTERM, std::chrono::seconds(15));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(rc, 0) << "exit status after SIGTERM; output:\n" << own.Output();
    EXPECT_LT(took, std::chrono::seconds(10)) << "shutdown took longer than 10 s";
    EXPECT_TRUE(c.ClosedByPeer(std::chrono::seconds(1))) << "the idle keep-alive connection was left open";
}

TEST_P(ServerTest, SigintShutsDownGracefully) {
    auto& own = StartOwnServer();
    EXPECT_EQ(Request(own.port(), "GET", "/healthz").status, 200);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(own.Stop(SIGINT, std::chrono::seconds(15)), 0) << own.Output();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// Sends `first`, then SIGTERM, then `rest`: the request was in flight when
// the signal came and must still be answered.
std::optional<HttpResponse> SplitRequestAcrossSigterm(GojiProcess& own, const std::string& first,
                                                      const std::string& rest) {
    Connection c(own.port());
    c.Send(first);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(own.pid(), SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    try {
        c.Send(rest);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "the server dropped a request in flight: " << e.what();
        return std::nullopt;
    }
    return c.Read(std::chrono::seconds(5));
}

TEST_P(ServerTest, RequestWithBodyInFlightIsAnsweredDuringShutdown) {
    auto& own = StartOwnServer();
    const std::string body = boost::json::serialize(boost::json::object{
        {"login", UniqueLogin("inflight")}, {"password", "a-good-password"}, {"display_name", "In Flight"}});
    const std::string head =
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n";
    const auto r = SplitRequestAcrossSigterm(own, head + body.substr(0, 10), body.substr(10));
    ASSERT_TRUE(r.has_value()) << "no reply to the request in flight; output:\n" << own.Output();
    EXPECT_EQ(r->status, 201) << Describe(*r);
    EXPECT_EQ(own.Wait(std::chrono::seconds(10)), 0) << own.Output();
}

TEST_P(ServerTest, RequestWithHeaderInFlightIsAnsweredDuringShutdown) {
    auto& own = StartOwnServer();
    const auto r = SplitRequestAcrossSigterm(own, "GET /api/v1/regions/652722 HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                                             "Accept: application/json\r\n\r\n");
    ASSERT_TRUE(r.has_value()) << "a request whose header had partly arrived was dropped without a reply; output:\n"
                               << own.Output();
    EXPECT_EQ(r->status, 200) << Describe(*r);
    EXPECT_EQ(own.Wait(std::chrono::seconds(10)), 0) << own.Output();
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
