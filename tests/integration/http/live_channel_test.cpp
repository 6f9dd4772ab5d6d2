// The live room's channel over real WebSockets on the real goji: chat, likes
// and viewer counts, the host's mute and remove, bad requests; and two goji
// nodes on one database and one Redis sharing a room.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <functional>
#include <thread>

#include "common/time_format.hpp"
#include "order_fixture.hpp"
#include "support/redis_server.hpp"

namespace goji::testing::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

// A viewer's socket. Reads with a deadline; events are JSON objects.
class Viewer {
public:
    Viewer(std::uint16_t port, const std::string& room, const Session* as, const std::string& origin = {}) : ws_(io_) {
        tcp::resolver resolver(io_);
        net::connect(ws_.next_layer().socket(), resolver.resolve("127.0.0.1", std::to_string(port)));
        ws_.set_option(websocket::stream_base::decorator([as, origin](websocket::request_type& req) {
            if (as != nullptr) req.set(beast::http::field::authorization, "Bearer " + as->token);
            if (!origin.empty()) req.set(beast::http::field::origin, origin);
        }));
        ws_.handshake("127.0.0.1:" + std::to_string(port), "/api/v1/live/rooms/" + room + "/ws");
    }

    // The next event, or an empty object when none came within `timeout` (the
    // socket is then closed: a test only waits for what must come) or the
    // server closed the socket.
    boost::json::object Next(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
        if (gone_) return {};
        beast::flat_buffer b;
        beast::error_code ec;
        ws_.next_layer().expires_after(timeout);  // asynchronous operations only
        ws_.async_read(b, [&ec](beast::error_code e, std::size_t) { ec = e; });
        io_.restart();
        io_.run();
        ws_.next_layer().expires_never();
        if (ec) {
            gone_ = true;
            closed_ = ec == websocket::error::closed;
            return {};
        }
        return boost::json::parse(beast::buffers_to_string(b.data())).as_object();
    }
    // The next event of `type` (others skipped), or an empty object.
    boost::json::object NextOf(std::string_view type, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            auto e = Next(
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
            if (e.empty()) return e;
            if (e.at("type").as_string() == type) return e;
        }
        return {};
    }
    void Send(const boost::json::object& o) { ws_.write(net::buffer(boost::json::serialize(o))); }
    void Chat(const std::string& text) { Send({{"type", "chat"}, {"text", text}}); }
    bool closed() const { return closed_; }
    websocket::close_reason reason() const { return ws_.reason(); }

private:
    net::io_context io_;
    websocket::stream<beast::tcp_stream> ws_;
    bool closed_ = false;  // by the server, with a close frame
    bool gone_ = false;
};

class LiveChannelTest : public OrderWorldTest {
protected:
    // A flash sale of the world's SKU at 19.90 yuan, running from now for 10 minutes.
    static HttpResponse CreateSale(const World& w, const std::string& room, int quantity, int per_user_limit) {
        return SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/flash-sales", &w.seller,
                        boost::json::object{{"sku_id", w.sku},
                                            {"price_fen", 1990},
                                            {"quantity", quantity},
                                            {"per_user_limit", per_user_limit},
                                            {"starts_at", InDays(0)},
                                            {"duration_s", 600}});
    }
    // The world's buyer buys through the server on `port`.
    static HttpResponse Buy(std::uint16_t port, const World& w, const std::string& sale, int quantity,
                            const std::string& key) {
        RequestOptions o;
        o.headers = {{"Authorization", "Bearer " + w.buyer.token}, {"Idempotency-Key", key}};
        return Request(port, "POST", "/api/v1/live/flash-sales/" + sale + "/buy",
                       boost::json::serialize(boost::json::object{{"quantity", quantity}, {"address_id", w.address}}),
                       o);
    }

    static std::string CreateRoom(const World& w) {
        const auto r =
            SendJson(w.port, "POST", "/api/v1/live/rooms", &w.seller,
                     boost::json::object{{"shop_id", w.shop}, {"title", "枸杞 直播间"}, {"scheduled_at", InDays(1)}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "id");
    }
};

TEST_P(LiveChannelTest, ChatLikesAndViewerCountsReachEveryViewer) {
    const World w = Start();
    const std::string room = CreateRoom(w);
    Viewer buyer(w.port, room, &w.buyer);
    auto hello = buyer.NextOf("hello");
    ASSERT_FALSE(hello.empty());
    EXPECT_TRUE(hello.at("can_chat").as_bool());
    EXPECT_GT(hello.at("server_time").as_int64(), 0);
    Viewer anonymous(w.port, room, nullptr);
    EXPECT_FALSE(anonymous.NextOf("hello").at("can_chat").as_bool());
    Viewer host(w.port, room, &w.seller);
    ASSERT_FALSE(host.NextOf("hello").empty());

    buyer.Chat("今年的枸杞真甜");
    buyer.Chat("再说一句");  // within a second: refused to its sender only
    const auto refused = buyer.NextOf("error");
    ASSERT_FALSE(refused.empty());
    EXPECT_EQ(refused.at("code").as_string(), "chat_too_fast");
    const auto line = anonymous.NextOf("chat");
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.at("text").as_string(), "今年的枸杞真甜");
    EXPECT_EQ(line.at("user_id").as_string(), w.buyer.user_id);
    EXPECT_FALSE(line.at("host").as_bool());
    EXPECT_FALSE(host.NextOf("chat").empty());

    buyer.Send({{"type", "like"}});
    buyer.Send({{"type", "like"}});
    // The latest like total and viewer count, whichever comes first.
    std::int64_t likes = -1;
    std::int64_t count = -1;
    while (likes < 2 || count < 3) {
        const auto e = anonymous.Next();
        ASSERT_FALSE(e.empty()) << "likes " << likes << ", viewers " << count;
        if (e.at("type").as_string() == "like") likes = e.at("total").as_int64();
        if (e.at("type").as_string() == "viewers") count = e.at("count").as_int64();
    }
    EXPECT_EQ(likes, 2);
    EXPECT_EQ(count, 3);
    EXPECT_EQ(anonymous.NextOf("chat", std::chrono::milliseconds(1500)), boost::json::object{})
        << "the refused line went to nobody";
}

TEST_P(LiveChannelTest, BadMessagesAndRequestsAreRefused) {
    const World w = Start();
    const std::string room = CreateRoom(w);
    Viewer buyer(w.port, room, &w.buyer);
    ASSERT_FALSE(buyer.NextOf("hello").empty());
    buyer.Chat(std::string(201, 'x'));
    EXPECT_EQ(buyer.NextOf("error").at("reason").as_string(), "too_long");
    buyer.Send({{"type", "shout"}});
    EXPECT_EQ(buyer.NextOf("error").at("reason").as_string(), "invalid");
    buyer.Send({{"text", "no type"}});
    EXPECT_EQ(buyer.NextOf("error").at("reason").as_string(), "required");
    Viewer anonymous(w.port, room, nullptr);
    anonymous.Chat("hello");
    EXPECT_EQ(anonymous.NextOf("error").at("code").as_string(), "unauthenticated");

    // Not an upgrade; another site's page; a room that does not exist.
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/" + room + "/ws", &w.buyer), 400, "Upgrade"));
    EXPECT_THROW(Viewer(w.port, room, &w.buyer, "https://evil.example"), beast::system_error);
    EXPECT_THROW(Viewer(w.port, "987654", &w.buyer), beast::system_error);
    // The host's hand is the host's only.
    const boost::json::object mute{{"user_id", w.buyer.user_id}, {"minutes", 10}};
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", &w.buyer, mute), 403));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", nullptr, mute), 401));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", &w.seller,
                                   boost::json::object{{"user_id", w.buyer.user_id}, {"minutes", -1}}),
                          400, "minutes"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/remove", &w.seller,
                                   boost::json::object{{"user_id", w.seller.user_id}}),
                          400, "user_id"));
}

TEST_P(LiveChannelTest, TheHostMutesAndRemovesAViewer) {
    const World w = Start();
    const std::string room = CreateRoom(w);
    Viewer buyer(w.port, room, &w.buyer);
    ASSERT_FALSE(buyer.NextOf("hello").empty());
    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", &w.seller,
                       boost::json::object{{"user_id", w.buyer.user_id}, {"minutes", 10}})
                  .status,
              200);
    // One node: the mute is in force when the call returns.
    buyer.Chat("买别家的");
    const auto refused = buyer.NextOf("error");
    ASSERT_FALSE(refused.empty());
    EXPECT_EQ(refused.at("code").as_string(), "muted");

    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/remove", &w.seller,
                       boost::json::object{{"user_id", w.buyer.user_id}})
                  .status,
              200);
    while (!buyer.Next().empty()) {
    }
    ASSERT_TRUE(buyer.closed());
    EXPECT_EQ(std::string(buyer.reason().reason.c_str()), "removed");
    Viewer again(w.port, room, &w.buyer);
    const auto kept_out = again.NextOf("error");
    ASSERT_FALSE(kept_out.empty());
    EXPECT_EQ(kept_out.at("code").as_string(), "removed");
}

// The host's mute and removal are stored: a node that never heard of them
// (another process on the same database, as after a restart, with no bus
// between them) still keeps the removed viewer out and the muted one quiet.
TEST_P(LiveChannelTest, TheHostsHandIsKeptForNodesThatDidNotHearIt) {
    const World w = Start();
    const std::string room = CreateRoom(w);
    const Session quiet = NewBuyerOn(w.port, "quietviewer");
    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", &w.seller,
                       boost::json::object{{"user_id", quiet.user_id}, {"minutes", 60}})
                  .status,
              200);
    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/remove", &w.seller,
                       boost::json::object{{"user_id", w.buyer.user_id}})
                  .status,
              200);
    // Refused and stored nothing: the host's own id, another host's hand.
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", &w.seller,
                                   boost::json::object{{"user_id", w.seller.user_id}, {"minutes", 10}}),
                          400, "user_id"));
    EXPECT_TRUE(IsProblem(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/remove", &quiet,
                                   boost::json::object{{"user_id", w.seller.user_id}}),
                          403));

    const std::uint16_t other = StartSecondServerOnSameDatabase({"--rate-limit-rps", "0"}).port();
    Viewer removed(other, room, &w.buyer);
    const auto kept_out = removed.NextOf("error");
    ASSERT_FALSE(kept_out.empty());
    EXPECT_EQ(kept_out.at("code").as_string(), "removed");
    Viewer muted(other, room, &quiet);
    ASSERT_FALSE(muted.NextOf("hello").empty());
    muted.Chat("我还能说话吗");
    const auto refused = muted.NextOf("error");
    ASSERT_FALSE(refused.empty());
    EXPECT_EQ(refused.at("code").as_string(), "muted");
    // The host, refused nothing, can still chat there; lifting the mute is stored too.
    Viewer host(other, room, &w.seller);
    ASSERT_FALSE(host.NextOf("hello").empty());
    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/mute", &w.seller,
                       boost::json::object{{"user_id", quiet.user_id}, {"minutes", 0}})
                  .status,
              200);
    Viewer later(StartSecondServerOnSameDatabase({"--rate-limit-rps", "0"}).port(), room, &quiet);
    ASSERT_FALSE(later.NextOf("hello").empty());
    later.Chat("现在可以了");
    const auto line = later.NextOf("chat");
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.at("text").as_string(), "现在可以了");
}

// The room going live (the RTMP server's callback) and ending (the host's
// hand) reach its viewers, so that their pages change without a reload; a
// wrong key changes nothing and tells no one.
TEST_P(LiveChannelTest, TheRoomGoingLiveAndEndingReachesItsViewers) {
    const World w = Start();
    const auto created = JsonObject(
        SendJson(w.port, "POST", "/api/v1/live/rooms", &w.seller,
                 boost::json::object{{"shop_id", w.shop}, {"title", "开播 下播"}, {"scheduled_at", InDays(1)}}));
    const std::string room = Str(created, "id");
    const std::string key = Str(created, "stream_key");
    Viewer viewer(w.port, room, nullptr);
    ASSERT_FALSE(viewer.NextOf("hello").empty());
    RequestOptions form;
    form.content_type = "application/x-www-form-urlencoded";
    ASSERT_TRUE(IsProblem(Request(w.port, "POST", "/internal/rtmp/on_publish", "app=live&name=wrong", form), 403));
    ASSERT_EQ(Request(w.port, "POST", "/internal/rtmp/on_publish", "app=live&name=" + key, form).status, 200);
    const auto live = viewer.NextOf("status");
    ASSERT_FALSE(live.empty());
    EXPECT_EQ(live.at("status").as_string(), "live")
        << "the first status event is the right key's, not the wrong one's";

    EXPECT_TRUE(IsProblem(Send(w.port, "POST", "/api/v1/live/rooms/" + room + "/end", &w.buyer), 403));
    ASSERT_EQ(Send(w.port, "POST", "/api/v1/live/rooms/" + room + "/end", &w.seller).status, 200);
    const auto ended = viewer.NextOf("status");
    ASSERT_FALSE(ended.empty());
    EXPECT_EQ(ended.at("status").as_string(), "ended");
}

// The domain's events: the host's pin, a flash sale's creation, the stock
// left after a buy, and the order ticker when the room's order is paid.
TEST_P(LiveChannelTest, PinFlashSaleStockAndOrderTickerReachViewers) {
    const World w = Start();
    const std::string room = CreateRoom(w);
    Viewer viewer(w.port, room, nullptr);
    ASSERT_FALSE(viewer.NextOf("hello").empty());

    ASSERT_EQ(SendJson(w.port, "POST", "/api/v1/live/rooms/" + room + "/pin", &w.seller,
                       boost::json::object{{"product_id", w.product}})
                  .status,
              200);
    const auto pin = viewer.NextOf("pin");
    ASSERT_FALSE(pin.empty());
    const auto& product = pin.at("product").as_object();
    EXPECT_EQ(product.at("id").as_string(), w.product);
    EXPECT_EQ(product.at("price_fen").as_int64(), 5980);
    EXPECT_FALSE(product.at("title").as_string().empty());
    const auto detail = JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + room, nullptr));
    EXPECT_EQ(Int(Obj(detail, "pinned_product"), "price_fen"), 5980);

    const auto created = CreateSale(w, room, 4, 2);
    ASSERT_EQ(created.status, 201) << Describe(created);
    const std::string sale = Str(JsonObject(created), "id");
    const auto announced = viewer.NextOf("flash_sale");
    ASSERT_FALSE(announced.empty());
    EXPECT_EQ(announced.at("sale").as_object().at("id").as_string(), sale);
    EXPECT_EQ(announced.at("sale").as_object().at("state").as_string(), "running");
    EXPECT_GT(announced.at("server_time").as_int64(), 0);
    const auto room_now = JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + room, nullptr));
    ASSERT_EQ(Arr(room_now, "flash_sales").size(), 1U);
    EXPECT_EQ(Str(Arr(room_now, "flash_sales")[0].as_object(), "id"), sale);

    const auto bought = Buy(w.port, w, sale, 2, "ws-buy-1");
    ASSERT_EQ(bought.status, 201) << Describe(bought);
    const auto stock = viewer.NextOf("stock");
    ASSERT_FALSE(stock.empty());
    EXPECT_EQ(stock.at("sale_id").as_string(), sale);
    EXPECT_EQ(stock.at("left").as_int64(), 2);

    PayNow(w, JsonObject(bought));
    const auto ticker = viewer.NextOf("order_ticker");
    ASSERT_FALSE(ticker.empty());
    EXPECT_EQ(ticker.at("buyer").as_string(), "买*");
    EXPECT_EQ(ticker.at("province").as_string(), "新疆维吾尔自治区");
    EXPECT_EQ(ticker.at("quantity").as_int64(), 2);
    EXPECT_FALSE(ticker.at("title").as_string().empty());

    ASSERT_EQ(Send(w.port, "POST", "/api/v1/live/flash-sales/" + sale + "/end", &w.seller).status, 200);
    const auto ended = viewer.NextOf("flash_sale");
    ASSERT_FALSE(ended.empty());
    EXPECT_EQ(ended.at("sale").as_object().at("state").as_string(), "ended");
}

// Likes and the peak viewer count are written into the room and shown to
// its host with the viewers now.
TEST_P(LiveChannelTest, LikesAndPeakViewersAreKeptWithTheRoom) {
    const World w = Start();
    const std::string room = CreateRoom(w);
    Viewer buyer(w.port, room, &w.buyer);
    ASSERT_FALSE(buyer.NextOf("hello").empty());
    Viewer other(w.port, room, nullptr);
    ASSERT_FALSE(other.NextOf("hello").empty());
    buyer.Send({{"type", "like"}});
    buyer.Send({{"type", "like"}});
    buyer.Send({{"type", "like"}});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    boost::json::object stored;
    while (std::chrono::steady_clock::now() < deadline) {
        stored = JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + room, nullptr));
        if (Int(stored, "likes") == 3 && Int(stored, "peak_viewers") == 2) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(Int(stored, "likes"), 3);
    EXPECT_EQ(Int(stored, "peak_viewers"), 2);
    const auto stats = JsonObject(Send(w.port, "GET", "/api/v1/live/rooms/" + room + "/stats", &w.seller));
    EXPECT_EQ(Int(stats, "likes"), 3);
    EXPECT_EQ(Int(stats, "peak_viewers"), 2);
    EXPECT_EQ(Int(stats, "viewers"), 2);
    EXPECT_EQ(Int(stats, "orders"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveChannelTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

// Two nodes on one PostgreSQL and one Redis: a line sent on node A reaches a
// viewer on node B, each counts the other's viewers, and the flash sale's
// events cross between them.
class LiveChannelNodesTest : public LiveChannelTest {};

TEST_P(LiveChannelNodesTest, TwoNodesShareARoomThroughRedis) {
    RedisServer redis;
    const World w = Start({"--redis", redis.address()});
    auto& node_b = StartSecondServerOnSameDatabase({"--rate-limit-rps", "0", "--redis", redis.address()});
    const auto r =
        SendJson(w.port, "POST", "/api/v1/live/rooms", &w.seller,
                 boost::json::object{{"shop_id", w.shop}, {"title", "两个节点"}, {"scheduled_at", InDays(1)}});
    ASSERT_EQ(r.status, 201) << Describe(r);
    const std::string room = Str(JsonObject(r), "id");

    Viewer on_a(w.port, room, &w.buyer);
    Viewer on_b(node_b.port(), room, nullptr);
    ASSERT_FALSE(on_a.NextOf("hello").empty());
    ASSERT_FALSE(on_b.NextOf("hello").empty());
    on_a.Chat("从节点A发来");
    const auto line = on_b.NextOf("chat");
    ASSERT_FALSE(line.empty()) << "the line crossed to node B";
    EXPECT_EQ(line.at("text").as_string(), "从节点A发来");
    // Both nodes count both viewers.
    boost::json::object count;
    for (int i = 0; i < 10; ++i) {
        count = on_b.NextOf("viewers", std::chrono::milliseconds(1500));
        if (!count.empty() && count.at("count").as_int64() == 2) break;
    }
    ASSERT_FALSE(count.empty());
    EXPECT_EQ(count.at("count").as_int64(), 2);

    // The domain's events cross too: a flash sale created on node A is announced on node B, and a buy
    // on node B moves the stock on node A's page.
    const auto created = CreateSale(w, room, 3, 1);
    ASSERT_EQ(created.status, 201) << Describe(created);
    const std::string sale = Str(JsonObject(created), "id");
    const auto announced = on_b.NextOf("flash_sale");
    ASSERT_FALSE(announced.empty()) << "the sale reached node B";
    EXPECT_EQ(announced.at("sale").as_object().at("id").as_string(), sale);
    const auto bought = Buy(node_b.port(), w, sale, 1, "nodes-buy-1");
    ASSERT_EQ(bought.status, 201) << Describe(bought);
    const auto stock = on_a.NextOf("stock");
    ASSERT_FALSE(stock.empty()) << "the stock left reached node A";
    EXPECT_EQ(stock.at("sale_id").as_string(), sale);
    EXPECT_EQ(stock.at("left").as_int64(), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveChannelNodesTest, ::testing::Values("postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace goji::testing::http
