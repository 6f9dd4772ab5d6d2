// WebSockets on the real server, in this process: upgrade, echo, the frames
// of the protocol, coalescing, a viewer too slow to keep up, and bad requests.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <thread>

#include "http/context.hpp"
#include "http/messages.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server/server.hpp"

namespace goji::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

// Echoes text frames; "flood N coalesce|plain BYTES" sends N frames of BYTES
// each (coalescable ones under one key), then "end".
class TestSession final : public SocketSession {
public:
    void Open(std::shared_ptr<SocketOut> out) override { out_ = std::move(out); }
    void Message(std::string_view text) override {
        if (text.rfind("flood ", 0) == 0) {
            int n = 0;
            char kind[16] = {};
            std::size_t bytes = 0;
            std::sscanf(std::string(text).c_str(), "flood %d %15s %zu", &n, kind, &bytes);
            const bool coalesce = std::string_view(kind) == "coalesce";
            for (int i = 0; i < n; ++i) {
                std::string m = std::to_string(i);
                m.resize(std::max(bytes, m.size()), '.');
                out_->Send(std::make_shared<const std::string>(std::move(m)), coalesce ? "count" : "");
            }
            out_->Send(std::make_shared<const std::string>("end"), "");
            return;
        }
        out_->Send(std::make_shared<const std::string>("echo:" + std::string(text)), "");
    }
    void Closed() override {
        ++closed;
        out_.reset();
    }
    static inline std::atomic<int> closed{0};

private:
    std::shared_ptr<SocketOut> out_;
};

struct TestServer {
    explicit TestServer(std::chrono::milliseconds sweep = std::chrono::milliseconds(30'000)) : metrics(router) {
        router.Add(Method::kGet, "/ws", [](Context& ctx) {
            if (!ctx.req().IsWebSocketUpgrade()) return ctx.Fail(Error::BadInput("Upgrade", "websocket_required"));
            return Response::Upgrade(std::make_shared<TestSession>());
        });
        router.Add(Method::kGet, "/plain", [](Context&) { return Response::Json(200, "{}"); });
        pipeline = std::make_unique<Pipeline>(
            router, messages, metrics,
            [](std::string_view) -> Result<accounts::SessionWithUser> { return Error::Unauthenticated(); });
        ServerOptions o;
        o.listen = "127.0.0.1:0";
        o.io_threads = 2;
        o.worker_threads = 2;
        o.shutdown_grace = std::chrono::milliseconds(2000);
        o.socket_sweep = sweep;
        server = std::make_unique<Server>(o, *pipeline);
        EXPECT_TRUE(server->Listen());
        thread = std::thread([this] { server->Run(); });
    }
    ~TestServer() {
        server->Stop();
        thread.join();
    }

    Router router;
    Messages messages;
    Metrics metrics;
    std::unique_ptr<Pipeline> pipeline;
    std::unique_ptr<Server> server;
    std::thread thread;
};

struct Client {
    explicit Client(std::uint16_t port, const std::string& path = "/ws") : ws(io) {
        tcp::resolver resolver(io);
        net::connect(ws.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
        ws.handshake("127.0.0.1:" + std::to_string(port), path);
    }
    std::string Read() {
        beast::flat_buffer b;
        ws.read(b);
        return beast::buffers_to_string(b.data());
    }
    net::io_context io;
    websocket::stream<tcp::socket> ws;
};

TEST(WebSocketTest, UpgradesAndEchoes) {
    TestServer s;
    Client c(s.server->port());
    c.ws.write(net::buffer(std::string("你好")));
    EXPECT_EQ(c.Read(), "echo:你好");
    c.ws.write(net::buffer(std::string("again")));
    EXPECT_EQ(c.Read(), "echo:again");
    c.ws.close(websocket::close_code::normal);
    for (int i = 0; i < 200 && TestSession::closed == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GE(TestSession::closed.load(), 1) << "the session heard of the close";
}

TEST(WebSocketTest, FragmentsPingsAndLargeFramesArePartOfTheProtocol) {
    TestServer s;
    Client c(s.server->port());
    // A message the client sends in fragments of 8 bytes arrives whole.
    c.ws.auto_fragment(true);
    c.ws.write_buffer_bytes(8);
    c.ws.write(net::buffer(std::string("a message in many fragments")));
    EXPECT_EQ(c.Read(), "echo:a message in many fragments");
    // A ping is answered with a pong of the same payload (Beast's control callback sees it).
    std::string pong;
    c.ws.control_callback([&pong](websocket::frame_type kind, std::string_view payload) {
        if (kind == websocket::frame_type::pong) pong = std::string(payload);
    });
    c.ws.ping("are you there");
    c.ws.write(net::buffer(std::string("after the ping")));
    EXPECT_EQ(c.Read(), "echo:after the ping");
    EXPECT_EQ(pong, "are you there");
    // A message of 70 000 bytes sent to the client: the 64-bit length form of the header.
    c.ws.write(net::buffer(std::string("flood 1 plain 70000")));
    const std::string big = c.Read();
    EXPECT_EQ(big.size(), 70000U);
    EXPECT_EQ(big.substr(0, 2), "0.");
    EXPECT_EQ(c.Read(), "end");
}

TEST(WebSocketTest, BinaryIsIgnoredAndTextThatIsNotUtf8Closes) {
    TestServer s;
    Client c(s.server->port());
    c.ws.binary(true);
    c.ws.write(net::buffer(std::string("\xff\xfe")));
    c.ws.binary(false);
    c.ws.write(net::buffer(std::string("still here")));
    EXPECT_EQ(c.Read(), "echo:still here") << "binary messages are not read, the socket stays";
    c.ws.write(net::buffer(std::string("\xff\xfe")));
    beast::error_code ec;
    beast::flat_buffer fb;
    c.ws.read(fb, ec);
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
    EXPECT_EQ(c.ws.reason().code, websocket::close_code::bad_payload);
}

TEST(WebSocketTest, AQuietPeerIsPingedAndClosedWhenItDoesNotAnswer) {
    TestServer s(std::chrono::milliseconds(100));
    const int closed_before = TestSession::closed;
    Client reading(s.server->port());  // Beast answers pings while it reads
    Client deaf(s.server->port());     // never reads: never answers
    std::atomic<bool> stop{false};
    std::atomic<int> pings{0};
    reading.ws.control_callback([&pings](websocket::frame_type kind, std::string_view) {
        if (kind == websocket::frame_type::ping) ++pings;
    });
    std::thread reader([&] {
        beast::flat_buffer b;
        beast::error_code ec;
        reading.ws.read(b, ec);  // returns when the socket closes (at the end, or wrongly before)
        if (!stop) ADD_FAILURE() << "the answering client was closed: " << ec.message();
    });
    // A few periods: the deaf one is pinged, then closed; the other one answers and stays.
    for (int i = 0; i < 100 && TestSession::closed == closed_before; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(TestSession::closed.load(), closed_before + 1) << "the deaf client's session closed, only it";
    EXPECT_GE(pings.load(), 1) << "the quiet client was pinged";
    stop = true;
    beast::error_code ec;
    reading.ws.next_layer().shutdown(tcp::socket::shutdown_both, ec);
    reader.join();
}

TEST(WebSocketTest, QuietPeersArePingedOverThePeriodNotAllAtOnce) {
    constexpr auto kPeriod = std::chrono::milliseconds(800);
    TestServer s(kPeriod);
    const int closed_before = TestSession::closed;
    constexpr int kClients = 16;
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kClients; ++i) clients.push_back(std::make_unique<Client>(s.server->port()));
    using Clock = std::chrono::steady_clock;
    std::vector<std::atomic<std::int64_t>> first_ping(kClients);  // µs since `start`, 0: none yet
    const auto start = Clock::now();
    std::atomic<bool> stop{false};
    std::vector<std::thread> readers;
    for (int i = 0; i < kClients; ++i) {
        clients[i]->ws.control_callback([&, i](websocket::frame_type kind, std::string_view) {
            const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
            std::int64_t none = 0;
            if (kind == websocket::frame_type::ping)
                first_ping[i].compare_exchange_strong(none, std::max<std::int64_t>(1, us));
        });
        readers.emplace_back([&, i] {
            beast::flat_buffer b;
            beast::error_code ec;
            clients[i]->ws.read(b, ec);  // answers pings while it reads; returns when the socket closes
            if (!stop) ADD_FAILURE() << "client " << i << " was closed: " << ec.message();
        });
    }
    const auto all_pinged = [&] {
        return std::all_of(first_ping.begin(), first_ping.end(), [](const auto& t) { return t.load() > 0; });
    };
    for (int i = 0; i < 200 && !all_pinged(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(all_pinged()) << "every quiet client is pinged within a few periods";
    std::int64_t earliest = INT64_MAX;
    std::int64_t latest = 0;
    for (const auto& t : first_ping) {
        earliest = std::min(earliest, t.load());
        latest = std::max(latest, t.load());
    }
    // Swept a slot at a time: the first pings are spread over most of a period, not sent in one burst.
    EXPECT_GE(latest - earliest, 400'000) << "first pings between " << earliest << " and " << latest << " µs";
    EXPECT_LE(latest, 3 * 800'000) << "each is pinged within its first periods";
    EXPECT_EQ(TestSession::closed.load(), closed_before) << "clients that answer stay";
    stop = true;
    for (auto& c : clients) {
        beast::error_code ec;
        c->ws.next_layer().shutdown(tcp::socket::shutdown_both, ec);
    }
    for (auto& r : readers) r.join();
}

TEST(WebSocketTest, CoalescableMessagesAreReplacedByNewerOnes) {
    TestServer s;
    Client c(s.server->port());
    // 20 MB at once: more than the socket takes, so the rest waits in the queue, where newer ones replace older.
    c.ws.write(net::buffer(std::string("flood 5000 coalesce 4096")));
    int received = 0;
    std::string last;
    for (std::string m = c.Read(); m != "end"; m = c.Read()) {
        ++received;
        last = m;
    }
    EXPECT_LT(received, 5000) << "queued counts were replaced by newer ones";
    EXPECT_EQ(last.substr(0, 4), "4999") << "the newest one always arrives";
}

TEST(WebSocketTest, AViewerTooSlowIsDisconnectedNotWaitedFor) {
    TestServer s;
    Client slow(s.server->port());
    Client other(s.server->port());
    // 40 MB the slow client does not read: more than the socket buffers and the queue hold.
    slow.ws.write(net::buffer(std::string("flood 640 plain 65536")));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // Meanwhile the server answers others at once.
    other.ws.write(net::buffer(std::string("ping")));
    EXPECT_EQ(other.Read(), "echo:ping");
    // Reading now: what was sent before the queue overflowed, then the close.
    int received = 0;
    beast::error_code ec;
    for (;;) {
        beast::flat_buffer b;
        slow.ws.read(b, ec);
        if (ec) break;
        ++received;
    }
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
    EXPECT_LT(received, 641) << "not everything was sent";
    EXPECT_EQ(slow.ws.reason().code, websocket::close_code::policy_error);
    EXPECT_EQ(std::string(slow.ws.reason().reason.c_str()), "too slow");
}

TEST(WebSocketTest, BadRequestsAreRefused) {
    TestServer s;
    // A plain GET of the socket's path: 400, as a problem.
    net::io_context io;
    beast::tcp_stream stream(io);
    tcp::resolver resolver(io);
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(s.server->port())));
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, "/ws", 11};
    req.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, req);
    beast::flat_buffer b;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(stream, b, res);
    EXPECT_EQ(res.result_int(), 400U);
    EXPECT_NE(res.body().find("websocket_required"), std::string::npos) << res.body();

    // An upgrade of a route that is no socket: its plain reply.
    EXPECT_THROW(Client(s.server->port(), "/plain"), beast::system_error);

    // A frame larger than the 4 KiB a client may send: the server closes.
    Client c(s.server->port());
    c.ws.write(net::buffer(std::string(5000, 'x')));
    beast::error_code ec;
    beast::flat_buffer fb;
    c.ws.read(fb, ec);
    EXPECT_TRUE(ec) << "closed";
    EXPECT_EQ(c.ws.reason().code, websocket::close_code::too_big);
}

}  // namespace
}  // namespace goji::http
