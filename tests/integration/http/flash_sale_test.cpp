// Flash sales in live rooms over HTTP on SQLite and PostgreSQL: the rules and
// bad input (refusals change nothing), retries with the Idempotency-Key,
// start and end, unpaid orders giving their units back to the sale, 1 000
// clients making 20 000 attempts on 2 000 units, and two nodes selling one sale.
#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "common/time_format.hpp"
#include "order_fixture.hpp"
#include "support/redis_server.hpp"

namespace goji::testing::http {
namespace {

HttpResponse BuyOn(std::uint16_t port, const Session* as, const std::string& sale, const boost::json::value& body,
                   const std::string& key) {
    RequestOptions o;
    if (as != nullptr) o.headers.emplace_back("Authorization", "Bearer " + as->token);
    if (!key.empty()) o.headers.emplace_back("Idempotency-Key", key);
    return Request(port, "POST", "/api/v1/live/flash-sales/" + sale + "/buy", boost::json::serialize(body), o);
}

boost::json::object BuyBody(std::int64_t quantity, const std::string& address) {
    return {{"quantity", quantity}, {"address_id", address}};
}

class FlashSaleTest : public OrderWorldTest {
protected:
    static std::string CreateRoom(std::uint16_t port, const Session& seller, const std::string& shop) {
        const auto r = SendJson(port, "POST", "/api/v1/live/rooms", &seller,
                                boost::json::object{{"shop_id", shop},
                                                    {"title", "精河枸杞 秒杀直播"},
                                                    {"scheduled_at", FormatShanghai(NowMs() + 3600 * 1000)}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "id");
    }

    static boost::json::object SaleBody(const std::string& sku, std::int64_t quantity, std::int64_t limit,
                                        std::int64_t price = 990, std::int64_t duration_s = 600,
                                        std::int64_t starts_in_ms = 0) {
        return {{"sku_id", sku},
                {"price_fen", price},
                {"quantity", quantity},
                {"per_user_limit", limit},
                {"starts_at", FormatShanghai(NowMs() + starts_in_ms)},
                {"duration_s", duration_s}};
    }

    static HttpResponse CreateSale(std::uint16_t port, const Session* as, const std::string& room,
                                   const boost::json::value& body) {
        return SendJson(port, "POST", "/api/v1/live/rooms/" + room + "/flash-sales", as, body);
    }

    static boost::json::object SaleOf(std::uint16_t port, const std::string& room, const std::string& sale) {
        const auto r = Send(port, "GET", "/api/v1/live/rooms/" + room + "/flash-sales", nullptr);
        EXPECT_EQ(r.status, 200) << Describe(r);
        for (const auto& s : Arr(JsonObject(r), "items")) {
            if (Str(s.as_object(), "id") == sale) return s.as_object();
        }
        ADD_FAILURE() << "sale " << sale << " not listed: " << r.body;
        return {};
    }

    static std::size_t SaleCount(std::uint16_t port, const std::string& room) {
        const auto r = Send(port, "GET", "/api/v1/live/rooms/" + room + "/flash-sales", nullptr);
        return Arr(JsonObject(r), "items").size();
    }

    void StockHolds(const std::string& db) {
        const auto [rc, out] =
            GojiProcess::RunToEnd({"check", "stock", "--db", db, "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
        EXPECT_EQ(rc, 0) << out;
        EXPECT_TRUE(Contains(out, "every flash sale agrees with its orders")) << out;
    }

    // Another verified shop with a product of its own; returns its SKU.
    std::string ForeignSku(const World& w) {
        const auto root = LoginOn(w.port, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
        const Session owner = NewBuyerOn(w.port, "flashother");
        const auto shop = SendJson(
            w.port, "POST", "/api/v1/shops", &owner,
            boost::json::object{
                {"name", "别家秒杀店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
        const std::string id = Str(JsonObject(shop), "id");
        EXPECT_EQ(SendJson(w.port, "POST", "/api/v1/shops/" + id + "/verify", &root, boost::json::object{}).status,
                  200);
        const auto product =
            SendJson(w.port, "POST", "/api/v1/shops/" + id + "/products", &owner, ProductBody("别家的枸杞", 3000, 5));
        return FirstSkuId(JsonObject(product));
    }
};

TEST_P(FlashSaleTest, BadInputIsRefusedAndChangesNothing) {
    const World w = Start();
    const std::string room = CreateRoom(w.port, w.seller, w.shop);
    const std::string foreign_sku = ForeignSku(w);
    const auto bad = [&](boost::json::object body, int status, std::string_view code, const Session* as) {
        const auto r = CreateSale(w.port, as, room, body);
        EXPECT_TRUE(IsProblem(r, status, code)) << boost::json::serialize(body);
    };
    bad(SaleBody(w.sku, 0, 1), 400, "quantity", &w.seller);
    bad(SaleBody(w.sku, -3, 1), 400, "quantity", &w.seller);
    bad(SaleBody(w.sku, 11, 1), 400, "quantity", &w.seller);  // 10 in stock
    bad(SaleBody(w.sku, 999999999999, 1), 400, "quantity", &w.seller);
    bad(SaleBody(w.sku, 5, 1, 0), 400, "price_fen", &w.seller);
    bad(SaleBody(w.sku, 5, 1, -10), 400, "price_fen", &w.seller);
    bad(SaleBody(w.sku, 5, 6), 400, "per_user_limit", &w.seller);
    bad(SaleBody(w.sku, 5, 0), 400, "per_user_limit", &w.seller);
    bad(SaleBody(w.sku, 5, 1, 990, 9), 400, "duration_s", &w.seller);
    bad(SaleBody(w.sku, 5, 1, 990, 86401), 400, "duration_s", &w.seller);
    bad(SaleBody(w.sku, 5, 1, 990, 600, -3600 * 1000), 400, "starts_at", &w.seller);
    bad(SaleBody("424242", 5, 1), 400, "sku_id", &w.seller);
    bad(SaleBody(foreign_sku, 2, 1), 422, "not_own_sku", &w.seller);
    auto no_time = SaleBody(w.sku, 5, 1);
    no_time["starts_at"] = "tomorrow";
    bad(no_time, 400, "starts_at", &w.seller);
    no_time.erase("starts_at");
    bad(no_time, 400, "starts_at", &w.seller);
    bad(SaleBody(w.sku, 5, 1), 401, {}, nullptr);
    bad(SaleBody(w.sku, 5, 1), 403, {}, &w.buyer);  // someone else's room
    EXPECT_TRUE(IsProblem(CreateSale(w.port, &w.seller, "987654", SaleBody(w.sku, 5, 1)), 404));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/987654/flash-sales", nullptr), 404));

    EXPECT_EQ(SaleCount(w.port, room), 0U);
    EXPECT_EQ(Available(w), 10);
    StockHolds(OwnDatabaseUri());
}

TEST_P(FlashSaleTest, ABuyFollowsTheRulesAndARetryGetsTheSameReply) {
    const World w = Start();
    const std::string room = CreateRoom(w.port, w.seller, w.shop);
    const auto created = CreateSale(w.port, &w.seller, room, SaleBody(w.sku, 5, 2, 990));
    ASSERT_EQ(created.status, 201) << Describe(created);
    const auto sale = JsonObject(created);
    const std::string id = Str(sale, "id");
    EXPECT_EQ(Str(sale, "room_id"), room);
    EXPECT_EQ(Str(sale, "sku_id"), w.sku);
    EXPECT_EQ(Str(sale, "product_id"), w.product);
    EXPECT_EQ(Str(sale, "state"), "running");
    EXPECT_EQ(Int(sale, "left"), 5);
    EXPECT_EQ(Int(sale, "price_fen"), 990);
    EXPECT_EQ(Int(sale, "list_price_fen"), 5980);
    EXPECT_FALSE(Str(sale, "server_time").empty());
    EXPECT_EQ(Available(w), 5) << "the sale's units left the SKU's available stock";
    StockHolds(OwnDatabaseUri());

    // Refusals, none of which changes anything.
    const Session other = NewBuyerOn(w.port, "flashb");
    const auto other_address = SendJson(
        w.port, "POST", "/api/v1/addresses", &other,
        boost::json::object{
            {"name", "乙"}, {"phone", "13899001235"}, {"region_code", kToliVillage}, {"detail", "基布克村 2 组"}});
    const std::string address_b = Str(JsonObject(other_address), "id");
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(1, w.address), ""), 400, "Idempotency-Key"));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, nullptr, id, BuyBody(1, w.address), "k0"), 401));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(0, w.address), "k0"), 400, "quantity"));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(-1, w.address), "k0"), 400, "quantity"));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(3, w.address), "k0"), 422, "limit_reached"));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(1, address_b), "k0"), 404));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, "987654", BuyBody(1, w.address), "k0"), 404));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, boost::json::object{{"quantity", 1}}, "k0"), 400, "address_id"));
    EXPECT_EQ(Int(SaleOf(w.port, room, id), "left"), 5);

    // Two units, then the same request again: the same reply, nothing more sold.
    const auto first = BuyOn(w.port, &w.buyer, id, BuyBody(2, w.address), "k1");
    ASSERT_EQ(first.status, 201) << Describe(first);
    const auto again = BuyOn(w.port, &w.buyer, id, BuyBody(2, w.address), "k1");
    EXPECT_EQ(again.status, 201);
    EXPECT_EQ(again.body, first.body);
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(1, w.address), "k1"), 422, "idempotency_mismatch"));
    const auto placed = JsonObject(first);
    const auto order = Obj(placed, "order");
    EXPECT_EQ(Str(order, "status"), "pending_payment");
    EXPECT_EQ(Str(order, "live_room_id"), room);
    EXPECT_EQ(Str(order, "flash_sale_id"), id);
    EXPECT_EQ(Int(order, "total_fen"), 2 * 990);
    EXPECT_EQ(Int(Obj(placed, "payment"), "amount_fen"), 2 * 990);
    const auto expires = ParseIso8601(Str(order, "expires_at"));
    ASSERT_TRUE(expires.has_value());
    EXPECT_NEAR(static_cast<double>(*expires - NowMs()), 5.0 * 60 * 1000, 30'000.0);
    EXPECT_EQ(Int(SaleOf(w.port, room, id), "left"), 3);

    // The limit counts what the buyer holds already.
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(1, w.address), "k2"), 422, "limit_reached"));
    const auto second = BuyOn(w.port, &other, id, BuyBody(2, address_b), "b1");
    ASSERT_EQ(second.status, 201) << Describe(second);
    const Session third = NewBuyerOn(w.port, "flashc");
    const auto third_address = SendJson(
        w.port, "POST", "/api/v1/addresses", &third,
        boost::json::object{
            {"name", "丙"}, {"phone", "13899001236"}, {"region_code", kToliVillage}, {"detail", "基布克村 1 组"}});
    const std::string address_c = Str(JsonObject(third_address), "id");
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &third, id, BuyBody(2, address_c), "c1"), 409, "sold_out"));
    const auto last = BuyOn(w.port, &third, id, BuyBody(1, address_c), "c2");
    ASSERT_EQ(last.status, 201) << Describe(last);
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &third, id, BuyBody(1, address_c), "c3"), 409, "sold_out"));
    EXPECT_EQ(Int(SaleOf(w.port, room, id), "left"), 0);

    // Paying sells the units as for any order.
    PayNow(w, placed);
    EXPECT_TRUE(WaitForStatus(w, Str(order, "id"), "paid"));
    StockHolds(OwnDatabaseUri());

    // Only the shop's members end it; then nobody buys.
    EXPECT_TRUE(IsProblem(Send(w.port, "POST", "/api/v1/live/flash-sales/" + id + "/end", &w.buyer), 403));
    EXPECT_TRUE(IsProblem(Send(w.port, "POST", "/api/v1/live/flash-sales/" + id + "/end", nullptr), 401));
    const auto ended = Send(w.port, "POST", "/api/v1/live/flash-sales/" + id + "/end", &w.seller);
    ASSERT_EQ(ended.status, 200) << Describe(ended);
    EXPECT_EQ(Str(JsonObject(ended), "state"), "ended");
    EXPECT_TRUE(IsProblem(Send(w.port, "POST", "/api/v1/live/flash-sales/" + id + "/end", &w.seller), 409));
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &third, id, BuyBody(1, address_c), "c4"), 409, "ended"));
    EXPECT_EQ(Available(w), 5) << "every unit was sold: nothing came back";
    StockHolds(OwnDatabaseUri());

    // A sale that has not started yet; ended early, its units go back.
    const auto later = CreateSale(w.port, &w.seller, room, SaleBody(w.sku, 3, 1, 990, 600, 3600 * 1000));
    ASSERT_EQ(later.status, 201) << Describe(later);
    const std::string later_id = Str(JsonObject(later), "id");
    EXPECT_EQ(Str(JsonObject(later), "state"), "scheduled");
    EXPECT_EQ(Available(w), 2);
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &third, later_id, BuyBody(1, address_c), "c5"), 409, "not_started"));
    ASSERT_EQ(Send(w.port, "POST", "/api/v1/live/flash-sales/" + later_id + "/end", &w.seller).status, 200);
    EXPECT_EQ(Available(w), 5);
    StockHolds(OwnDatabaseUri());
}

TEST_P(FlashSaleTest, UnpaidOrdersGiveTheirUnitsBackToTheSaleAndEndedSalesToTheSku) {
    const World w = Start({"--flash-sale-payment-window-ms", "1500", "--expiry-sweep-ms", "200"});
    const std::string room = CreateRoom(w.port, w.seller, w.shop);
    const auto created = CreateSale(w.port, &w.seller, room, SaleBody(w.sku, 3, 2, 500, 600));
    ASSERT_EQ(created.status, 201) << Describe(created);
    const std::string id = Str(JsonObject(created), "id");
    const auto bought = BuyOn(w.port, &w.buyer, id, BuyBody(2, w.address), "e1");
    ASSERT_EQ(bought.status, 201) << Describe(bought);
    const std::string order = Str(Obj(JsonObject(bought), "order"), "id");
    EXPECT_EQ(Int(SaleOf(w.port, room, id), "left"), 1);
    EXPECT_TRUE(IsProblem(BuyOn(w.port, &w.buyer, id, BuyBody(1, w.address), "e2"), 422, "limit_reached"));
    ASSERT_TRUE(WaitForStatus(w, order, "cancelled"));
    EXPECT_EQ(Int(SaleOf(w.port, room, id), "left"), 3) << "the units went back to the sale";
    EXPECT_EQ(Available(w), 7) << "not to the SKU";
    StockHolds(OwnDatabaseUri());
    // The buyer's count went down with them.
    const auto rebought = BuyOn(w.port, &w.buyer, id, BuyBody(2, w.address), "e3");
    ASSERT_EQ(rebought.status, 201) << Describe(rebought);
    const std::string order2 = Str(Obj(JsonObject(rebought), "order"), "id");

    // Ended while that order is unpaid: the unsold unit goes back to the SKU
    // now, the order's two when it expires.
    const auto ended = Send(w.port, "POST", "/api/v1/live/flash-sales/" + id + "/end", &w.seller);
    ASSERT_EQ(ended.status, 200) << Describe(ended);
    EXPECT_EQ(Available(w), 8);
    ASSERT_TRUE(WaitForStatus(w, order2, "cancelled"));
    EXPECT_EQ(Available(w), 10);
    StockHolds(OwnDatabaseUri());

    // A sale ends on time by itself, and its units go back to the SKU.
    const auto brief = CreateSale(w.port, &w.seller, room, SaleBody(w.sku, 4, 1, 500, 10));
    ASSERT_EQ(brief.status, 201) << Describe(brief);
    const std::string brief_id = Str(JsonObject(brief), "id");
    EXPECT_EQ(Available(w), 6);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && Available(w) != 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(Available(w), 10);
    EXPECT_EQ(Str(SaleOf(w.port, room, brief_id), "state"), "ended");
    EXPECT_EQ(Int(SaleOf(w.port, room, brief_id), "left"), 0);
    StockHolds(OwnDatabaseUri());
}

TEST_P(FlashSaleTest, TheHostSeesTheRoomsSalesAndCheckoutNeedsAnExistingRoom) {
    const World w = Start();
    const std::string room = CreateRoom(w.port, w.seller, w.shop);
    // An order naming no room is refused and reserves nothing.
    const auto unknown = SendJson(
        w.port, "POST", "/api/v1/checkout", &w.buyer,
        boost::json::object{{"address_id", w.address},
                            {"live_room_id", "987654"},
                            {"items", boost::json::array{boost::json::object{{"sku_id", w.sku}, {"quantity", 1}}}}});
    EXPECT_TRUE(IsProblem(unknown, 422, "unknown_live_room"));
    EXPECT_EQ(Available(w), 10);

    const auto created = CreateSale(w.port, &w.seller, room, SaleBody(w.sku, 4, 2, 800));
    ASSERT_EQ(created.status, 201) << Describe(created);
    const std::string sale = Str(JsonObject(created), "id");
    const auto bought = BuyOn(w.port, &w.buyer, sale, BuyBody(2, w.address), "s1");
    ASSERT_EQ(bought.status, 201) << Describe(bought);
    PayNow(w, JsonObject(bought));
    ASSERT_TRUE(WaitForStatus(w, Str(Obj(JsonObject(bought), "order"), "id"), "paid"));
    // An order from the room's buy button, not paid: counted, not in the GMV.
    const auto checkout = SendJson(
        w.port, "POST", "/api/v1/checkout", &w.buyer,
        boost::json::object{{"address_id", w.address},
                            {"live_room_id", room},
                            {"items", boost::json::array{boost::json::object{{"sku_id", w.sku}, {"quantity", 1}}}}});
    ASSERT_EQ(checkout.status, 201) << Describe(checkout);

    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/" + room + "/stats", nullptr), 401));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/" + room + "/stats", &w.buyer), 403));
    EXPECT_TRUE(IsProblem(Send(w.port, "GET", "/api/v1/live/rooms/987654/stats", &w.seller), 404));
    const auto stats = Send(w.port, "GET", "/api/v1/live/rooms/" + room + "/stats", &w.seller);
    ASSERT_EQ(stats.status, 200) << Describe(stats);
    const auto o = JsonObject(stats);
    EXPECT_EQ(Int(o, "orders"), 2);
    EXPECT_EQ(Int(o, "paid_orders"), 1);
    EXPECT_EQ(Int(o, "gmv_fen"), 1600);
    EXPECT_EQ(Int(o, "refunded_fen"), 0);
    EXPECT_EQ(Int(o, "buyers"), 1);
    EXPECT_EQ(Int(o, "viewers"), 0);
    EXPECT_EQ(Int(o, "likes"), 0);
    EXPECT_EQ(Int(o, "peak_viewers"), 0);

    // Ending the room ends its sales: the two units left go back to the SKU.
    EXPECT_EQ(Available(w), 5);
    ASSERT_EQ(Send(w.port, "POST", "/api/v1/live/rooms/" + room + "/end", &w.seller).status, 200);
    EXPECT_EQ(Str(SaleOf(w.port, room, sale), "state"), "ended");
    EXPECT_EQ(Available(w), 7);
    StockHolds(OwnDatabaseUri());
}

// Buyers, sessions and addresses made by `goji seed --bench-buyers`.
struct SeededBuyer {
    Session session;
    std::string address;
};
struct Seeded {
    std::vector<SeededBuyer> buyers;
    std::string sku;
    std::string product;
};

Seeded SeedBuyers(const std::string& db, int buyers, const std::string& dir) {
    const std::string file = dir + "/buyers.txt";
    const auto [rc, out] = GojiProcess::RunToEnd({"seed", "--bench-buyers", std::to_string(buyers), "--bench-out", file,
                                                  "--db", db, "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
    Seeded s;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "buyer") {
            SeededBuyer b;
            words >> b.session.login >> b.session.user_id >> b.address >> b.session.token;
            s.buyers.push_back(std::move(b));
        } else if (kind == "sku" && s.sku.empty()) {
            words >> s.sku >> s.product;
        }
    }
    return s;
}

struct Tally {
    std::atomic<int> created{0};
    std::atomic<int> sold_out{0};
    std::atomic<int> limit{0};
    std::atomic<int> other{0};
    std::atomic<std::int64_t> units{0};
    std::mutex mu;
    std::string first_other;
};

// `clients` threads, each a buyer on its own kept-alive connection to one of
// `ports`, making `attempts` buys of one unit each.
void Storm(const std::vector<std::uint16_t>& ports, const std::vector<SeededBuyer>& buyers, const std::string& sale,
           int attempts, Tally& t) {
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (std::size_t i = 0; i < buyers.size(); ++i) {
        threads.emplace_back([&, i] {
            const SeededBuyer& b = buyers[i];
            const std::uint16_t port = ports[i % ports.size()];
            const std::string body = boost::json::serialize(BuyBody(1, b.address));
            std::unique_ptr<Connection> c;
            while (!go.load()) std::this_thread::yield();
            for (int a = 0; a < attempts; ++a) {
                std::optional<HttpResponse> r;
                for (int tries = 0; tries < 3 && !r; ++tries) {
                    if (!c) c = std::make_unique<Connection>(port);
                    c->Send(RawRequest("POST", "/api/v1/live/flash-sales/" + sale + "/buy",
                                       {{"Authorization", "Bearer " + b.session.token},
                                        {"Idempotency-Key", "storm-" + std::to_string(i) + "-" + std::to_string(a)}},
                                       body));
                    r = c->Read(std::chrono::seconds(120));
                    if (!r || r->Header("Connection") == "close") c.reset();
                }
                if (!r) {
                    ++t.other;
                    continue;
                }
                if (r->status == 201) {
                    ++t.created;
                    t.units += 1;
                } else if (r->status == 409 && Contains(r->body, "\"sold_out\"")) {
                    ++t.sold_out;
                } else if (r->status == 422 && Contains(r->body, "\"limit_reached\"")) {
                    ++t.limit;
                } else {
                    ++t.other;
                    std::lock_guard lock(t.mu);
                    if (t.first_other.empty()) t.first_other = Describe(*r);
                }
            }
        });
    }
    go = true;
    for (auto& th : threads) th.join();
}

// The seller of the seeded shop opens a room and puts `quantity` units of
// its SKU on sale for ten minutes; returns the sale's id.
std::string SeededSale(std::uint16_t port, const Seeded& s, std::int64_t quantity, std::int64_t limit,
                       std::string& room) {
    const Session seller = LoginOn(port, "bench-seller", "bench-seller-password");
    const auto product = JsonObject(Send(port, "GET", "/api/v1/products/" + s.product, nullptr));
    const std::string shop = Str(product, "shop_id");
    const auto r =
        SendJson(port, "POST", "/api/v1/live/rooms", &seller,
                 boost::json::object{
                     {"shop_id", shop}, {"title", "秒杀压力测试"}, {"scheduled_at", FormatShanghai(NowMs() + 60'000)}});
    EXPECT_EQ(r.status, 201) << Describe(r);
    room = Str(JsonObject(r), "id");
    const auto sale = SendJson(port, "POST", "/api/v1/live/rooms/" + room + "/flash-sales", &seller,
                               boost::json::object{{"sku_id", s.sku},
                                                   {"price_fen", 100},
                                                   {"quantity", quantity},
                                                   {"per_user_limit", limit},
                                                   {"starts_at", NowMs()},
                                                   {"duration_s", 3600}});
    EXPECT_EQ(sale.status, 201) << Describe(sale);
    return Str(JsonObject(sale), "id");
}

// 1 000 buyers, 20 attempts each, on 2 000 units with at most 2 per buyer.
TEST_P(FlashSaleTest, AThousandClientsMakingTwentyThousandAttemptsNeverOversell) {
    constexpr int kClients = 1000;
    constexpr int kAttempts = 20;
    constexpr std::int64_t kUnits = 2000;
    TempDir dir;
    Database db = NewDatabase(GetParam());
    const Seeded seeded = SeedBuyers(db.uri, kClients, dir.path());
    ASSERT_EQ(seeded.buyers.size(), static_cast<std::size_t>(kClients));
    GojiProcess server(ServeArgs(db.uri, {"--rate-limit-rps", "0", "--sandbox-secret", kSandboxSecret}));
    std::string room;
    const std::string sale = SeededSale(server.port(), seeded, kUnits, 2, room);
    ASSERT_FALSE(sale.empty());

    Tally t;
    const auto started = std::chrono::steady_clock::now();
    Storm({server.port()}, seeded.buyers, sale, kAttempts, t);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::printf("[flash sale %s] %d attempts in %lld ms: %d bought, %d sold out, %d over the limit\n",
                GetParam().c_str(), kClients * kAttempts, static_cast<long long>(took.count()), t.created.load(),
                t.sold_out.load(), t.limit.load());
    EXPECT_EQ(t.units.load(), kUnits);
    EXPECT_EQ(t.created.load(), kUnits);
    EXPECT_EQ(t.other.load(), 0) << t.first_other;
    EXPECT_EQ(t.created + t.sold_out + t.limit, kClients * kAttempts);
    EXPECT_GT(t.limit.load(), 0);
    EXPECT_GT(t.sold_out.load(), 0);
    const auto listed = Send(server.port(), "GET", "/api/v1/live/rooms/" + room + "/flash-sales", nullptr);
    EXPECT_EQ(Int(Arr(JsonObject(listed), "items")[0].as_object(), "left"), 0);
    EXPECT_EQ(server.Stop(SIGTERM), 0);
    StockHolds(db.uri);
}

// Two nodes on one PostgreSQL and one Redis sell one sale: exactly its
// quantity in all.
TEST_P(FlashSaleTest, TwoNodesSellExactlyTheSalesQuantity) {
    if (GetParam() != "postgres") GTEST_SKIP() << "several nodes share a PostgreSQL database";
    constexpr int kClients = 200;
    constexpr int kAttempts = 10;
    constexpr std::int64_t kUnits = 500;
    TempDir dir;
    Database db = NewDatabase(GetParam());
    const Seeded seeded = SeedBuyers(db.uri, kClients, dir.path());
    ASSERT_EQ(seeded.buyers.size(), static_cast<std::size_t>(kClients));
    RedisServer redis;
    GojiProcess a(ServeArgs(db.uri, {"--rate-limit-rps", "0", "--redis", redis.address()}));
    GojiProcess b(ServeArgs(db.uri, {"--rate-limit-rps", "0", "--redis", redis.address()}));
    std::string room;
    const std::string sale = SeededSale(a.port(), seeded, kUnits, 5, room);
    ASSERT_FALSE(sale.empty());
    Tally t;
    Storm({a.port(), b.port()}, seeded.buyers, sale, kAttempts, t);
    EXPECT_EQ(t.units.load(), kUnits);
    EXPECT_EQ(t.other.load(), 0) << t.first_other;
    EXPECT_EQ(t.created + t.sold_out + t.limit, kClients * kAttempts);
    EXPECT_EQ(Int(SaleOf(b.port(), room, sale), "left"), 0);
    EXPECT_EQ(a.Stop(SIGTERM), 0);
    EXPECT_EQ(b.Stop(SIGTERM), 0);
    StockHolds(db.uri);
}

INSTANTIATE_TEST_SUITE_P(Backends, FlashSaleTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
