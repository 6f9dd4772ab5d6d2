// Checkout and orders over HTTP on SQLite and PostgreSQL: one order per shop,
// stock reserved and released, retries with an Idempotency-Key, expiry, and
// 500 buyers racing for 100 units.
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

#include "catalog_fixture.hpp"

namespace goji::testing::http {
namespace {

HttpResponse CheckoutOn(std::uint16_t port, const Session& s, const boost::json::value& body,
                        const std::string& key = {}) {
    RequestOptions o;
    o.content_type = "application/json";
    o.headers.emplace_back("Authorization", "Bearer " + s.token);
    if (!key.empty()) o.headers.emplace_back("Idempotency-Key", key);
    return Request(port, "POST", "/api/v1/checkout", boost::json::serialize(body), o);
}

std::string AddressOn(std::uint16_t port, const Session& buyer) {
    const auto r = SendJson(
        port, "POST", "/api/v1/addresses", &buyer,
        boost::json::object{
            {"name", "买家"}, {"phone", "13899001234"}, {"region_code", kToliVillage}, {"detail", "基布克村 3 组"}});
    EXPECT_EQ(r.status, 201) << Describe(r);
    return Str(JsonObject(r), "id");
}

boost::json::object Items(std::initializer_list<std::pair<std::string, std::int64_t>> items,
                          const std::string& address) {
    boost::json::array list;
    for (const auto& [sku, q] : items) list.push_back(boost::json::object{{"sku_id", sku}, {"quantity", q}});
    return {{"address_id", address}, {"items", std::move(list)}};
}

class OrderTest : public CatalogHttpTest {
protected:
    std::int64_t SkuStock(const std::string& product, const std::string& sku) {
        for (const auto& s : Arr(ProductAs(nullptr, product), "skus")) {
            if (Str(s.as_object(), "id") == sku) return Int(s.as_object(), "stock");
        }
        return -1;
    }
    boost::json::array MyOrders(const Session& s) {
        const auto r = GetAs(s, "/api/v1/orders?as=buyer&limit=100");
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Arr(JsonObject(r), "items");
    }
};

TEST_P(OrderTest, ACheckoutMakesOneOrderPerShopAndReservesStock) {
    const auto seller_a = NewBuyer("ordsellera");
    const auto seller_b = NewBuyer("ordsellerb");
    const std::string shop_a = VerifiedShop(seller_a);
    const std::string shop_b = VerifiedShop(seller_b, "cooperative");
    const auto pa = CreateProduct(seller_a, shop_a, ProductBody("精河枸杞 下单 A", 5980, 10));
    const auto pb = CreateProduct(seller_b, shop_b, ProductBody("精河红枣 下单 B", 1250, 3));
    const std::string sku_a = FirstSkuId(pa);
    const std::string sku_b = FirstSkuId(pb);
    const auto buyer = NewBuyer("ordbuyer");
    const std::string address = AddressOn(port(), buyer);
    ASSERT_EQ(As(buyer, "POST", "/api/v1/cart/items", boost::json::object{{"sku_id", sku_a}, {"quantity", 2}}).status,
              201);
    ASSERT_EQ(As(buyer, "POST", "/api/v1/cart/items", boost::json::object{{"sku_id", sku_b}, {"quantity", 3}}).status,
              201);

    // No items: the cart's lines are bought.
    const auto r = CheckoutOn(port(), buyer, boost::json::object{{"address_id", address}}, "cart-1");
    ASSERT_EQ(r.status, 201) << Describe(r);
    const auto o = JsonObject(r);
    EXPECT_EQ(Int(o, "amount_fen"), 2 * 5980 + 3 * 1250);
    const auto placed = Arr(o, "orders");
    ASSERT_EQ(placed.size(), 2U);
    const auto& first = placed[0].as_object();
    EXPECT_EQ(Str(first, "shop_id"), shop_a);
    EXPECT_EQ(Str(first, "status"), "pending_payment");
    EXPECT_EQ(Int(first, "goods_fen"), 11960);
    EXPECT_EQ(Int(first, "total_fen"), 11960);
    EXPECT_EQ(Int(first, "shipping_fen"), 0);
    EXPECT_EQ(Str(Obj(first, "ship_to"), "region_code"), kToliVillage);
    EXPECT_EQ(Arr(first, "timeline").size(), 1U);
    EXPECT_EQ(Str(placed[1].as_object(), "shop_id"), shop_b);
    EXPECT_EQ(Int(placed[1].as_object(), "total_fen"), 3750);
    // The reply shows the orders as they are stored.
    for (const auto& p : placed) {
        const auto stored = GetAs(buyer, "/api/v1/orders/" + Str(p.as_object(), "id"));
        ASSERT_EQ(stored.status, 200) << Describe(stored);
        const auto got = JsonObject(stored);
        for (const auto& [key, value] : p.as_object()) {
            ASSERT_TRUE(got.contains(key)) << key;
            EXPECT_EQ(boost::json::serialize(got.at(key)), boost::json::serialize(value)) << key;
        }
    }

    EXPECT_EQ(SkuStock(Str(pa, "id"), sku_a), 8);
    EXPECT_EQ(SkuStock(Str(pb, "id"), sku_b), 0);
    EXPECT_TRUE(Arr(JsonObject(GetAs(buyer, "/api/v1/cart/items")), "items").empty()) << "bought lines leave the cart";
    EXPECT_EQ(MyOrders(buyer).size(), 2U);

    // The seller sees the order of their shop, not the other one.
    const auto theirs = GetAs(seller_a, "/api/v1/orders?as=seller&shop_id=" + shop_a);
    ASSERT_EQ(theirs.status, 200) << Describe(theirs);
    ASSERT_EQ(Arr(JsonObject(theirs), "items").size(), 1U);
    EXPECT_TRUE(IsProblem(GetAs(seller_a, "/api/v1/orders?as=seller&shop_id=" + shop_b), 404));
    EXPECT_TRUE(IsProblem(GetAs(seller_a, "/api/v1/orders/" + Str(placed[1].as_object(), "id")), 404));
    EXPECT_EQ(GetAs(seller_a, "/api/v1/orders/" + Str(first, "id")).status, 200);
    // Another buyer sees nothing of it.
    const auto other = NewBuyer("ordother");
    EXPECT_TRUE(IsProblem(GetAs(other, "/api/v1/orders/" + Str(first, "id")), 404));
    EXPECT_TRUE(MyOrders(other).empty());
}

TEST_P(OrderTest, ARetryWithTheSameKeyGetsTheSameReplyAndNoNewOrders) {
    const auto seller = NewBuyer("idemseller");
    const std::string shop = VerifiedShop(seller);
    const auto p = CreateProduct(seller, shop, ProductBody("精河枸杞 幂等", 5980, 10));
    const std::string sku = FirstSkuId(p);
    const auto buyer = NewBuyer("idembuyer");
    const std::string address = AddressOn(port(), buyer);
    const auto body = Items({{sku, 1}}, address);
    const auto first = CheckoutOn(port(), buyer, body, "retry-me");
    ASSERT_EQ(first.status, 201) << Describe(first);
    const auto again = CheckoutOn(port(), buyer, body, "retry-me");
    ASSERT_EQ(again.status, 201) << Describe(again);
    EXPECT_EQ(again.body, first.body) << "byte for byte";
    EXPECT_EQ(MyOrders(buyer).size(), 1U);
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 9);
    EXPECT_TRUE(
        IsProblem(CheckoutOn(port(), buyer, Items({{sku, 2}}, address), "retry-me"), 422, "idempotency_mismatch"));
    // Keys belong to their caller: another buyer's same key is a new checkout.
    const auto other = NewBuyer("idemother");
    const auto theirs = CheckoutOn(port(), other, Items({{sku, 1}}, AddressOn(port(), other)), "retry-me");
    EXPECT_EQ(theirs.status, 201) << Describe(theirs);
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, body, std::string(256, 'k')), 400, "Idempotency-Key"));
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 8);
}

TEST_P(OrderTest, BadCheckoutsAreRefusedAndChangeNothing) {
    const auto seller = NewBuyer("badcoseller");
    const std::string shop = VerifiedShop(seller);
    const auto p = CreateProduct(seller, shop, ProductBody("精河枸杞 坏单", 5980, 5));
    const std::string sku = FirstSkuId(p);
    const auto pending_owner = NewBuyer("badcopending");
    const auto hidden = CreateProduct(pending_owner, ApplyShop(pending_owner), ProductBody("未审核的枸杞"));
    const auto buyer = NewBuyer("badcobuyer");
    const std::string address = AddressOn(port(), buyer);
    const auto other = NewBuyer("badcoother");
    const std::string their_address = AddressOn(port(), other);

    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 6}}, address)), 409, "sold_out"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 0}}, address)), 400, "items[0].quantity"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, -1}}, address)), 400, "items[0].quantity"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 1000000}}, address)), 400, "items[0].quantity"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 1}, {sku, 1}}, address)), 400, "items[1].sku_id"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 1}}, their_address)), 404));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 1}}, "987654321")), 404));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{FirstSkuId(hidden), 1}}, address)), 422, "not_available"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{"987654321", 1}}, address)), 422, "not_available"));
    // A sold-out second line undoes the first line's reservation too.
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, Items({{sku, 2}, {FirstSkuId(hidden), 1}}, address)), 422));
    auto with_coupon = Items({{sku, 1}}, address);
    with_coupon["coupon_codes"] = boost::json::array{"FREE100"};
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, with_coupon), 422, "coupon_unknown"));
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, boost::json::object{{"address_id", address}}), 422, "cart_empty"));
    EXPECT_TRUE(
        IsProblem(CheckoutOn(port(), buyer, boost::json::object{{"items", boost::json::array{}}}), 400, "address_id"));
    EXPECT_TRUE(MyOrders(buyer).empty());
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 5);
    EXPECT_TRUE(IsProblem(GetAs(buyer, "/api/v1/orders?as=nobody"), 400, "as"));
    EXPECT_TRUE(IsProblem(GetAs(buyer, "/api/v1/orders?status=lost"), 400, "status"));
}

TEST_P(OrderTest, ARetriedCartCheckoutGetsItsReplyAgainThoughTheCartIsEmptyNow) {
    const auto seller = NewBuyer("cartretryseller");
    const std::string shop = VerifiedShop(seller);
    const auto p = CreateProduct(seller, shop, ProductBody("精河枸杞 重试", 5980, 5));
    const std::string sku = FirstSkuId(p);
    const auto buyer = NewBuyer("cartretrybuyer");
    const std::string address = AddressOn(port(), buyer);
    ASSERT_EQ(
        SendJson(port(), "POST", "/api/v1/cart/items", &buyer, boost::json::object{{"sku_id", sku}, {"quantity", 2}})
            .status,
        201);
    const boost::json::object body{{"address_id", address}};
    const auto first = CheckoutOn(port(), buyer, body, "cart-retry");
    ASSERT_EQ(first.status, 201) << Describe(first);
    const auto again = CheckoutOn(port(), buyer, body, "cart-retry");
    EXPECT_EQ(again.status, 201) << Describe(again);
    EXPECT_EQ(again.body, first.body);
    EXPECT_TRUE(IsProblem(CheckoutOn(port(), buyer, body, "cart-new"), 422, "cart_empty"));
    EXPECT_EQ(MyOrders(buyer).size(), 1U);
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 3);
}

TEST_P(OrderTest, CancellingAnUnpaidOrderReleasesItsStockOnce) {
    const auto seller = NewBuyer("cancelseller");
    const std::string shop = VerifiedShop(seller);
    const auto p = CreateProduct(seller, shop, ProductBody("精河枸杞 取消", 5980, 4));
    const std::string sku = FirstSkuId(p);
    const auto buyer = NewBuyer("cancelbuyer");
    const auto r = CheckoutOn(port(), buyer, Items({{sku, 3}}, AddressOn(port(), buyer)));
    ASSERT_EQ(r.status, 201) << Describe(r);
    const std::string id = Str(Arr(JsonObject(r), "orders")[0].as_object(), "id");
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 1);
    const auto other = NewBuyer("cancelother");
    EXPECT_TRUE(IsProblem(As(other, "POST", "/api/v1/orders/" + id + "/cancel", boost::json::object{}), 404));
    EXPECT_TRUE(IsProblem(As(seller, "POST", "/api/v1/orders/" + id + "/cancel", boost::json::object{}), 404));
    const auto cancelled = As(buyer, "POST", "/api/v1/orders/" + id + "/cancel", boost::json::object{});
    ASSERT_EQ(cancelled.status, 200) << Describe(cancelled);
    EXPECT_EQ(Str(JsonObject(cancelled), "status"), "cancelled");
    EXPECT_EQ(Arr(JsonObject(cancelled), "timeline").size(), 2U);
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 4);
    EXPECT_TRUE(
        IsProblem(As(buyer, "POST", "/api/v1/orders/" + id + "/cancel", boost::json::object{}), 409, "bad_state"));
    EXPECT_EQ(SkuStock(Str(p, "id"), sku), 4);
}

// A server of its own with a two-second window to pay.
TEST_P(OrderTest, UnpaidOrdersExpireAndTheirStockComesBack) {
    auto& own = StartOwnServer({"--payment-window-s", "2", "--expiry-sweep-ms", "200", "--rate-limit-rps", "0"});
    const std::uint16_t p = own.port();
    const std::string admin = AddUserWithRole(OwnDatabaseUri(), "admin", "");
    const auto root = LoginOn(p, admin, kRolePassword);
    const auto seller = NewBuyerOn(p, "expseller");
    const auto shop = SendJson(
        p, "POST", "/api/v1/shops", &seller,
        boost::json::object{
            {"name", "过期测试店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
    ASSERT_EQ(shop.status, 201) << Describe(shop);
    const std::string shop_id = Str(JsonObject(shop), "id");
    ASSERT_EQ(SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/verify", &root, boost::json::object{}).status, 200);
    const auto product =
        SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/products", &seller, ProductBody("精河枸杞 过期", 5980, 5));
    ASSERT_EQ(product.status, 201) << Describe(product);
    const std::string sku = FirstSkuId(JsonObject(product));
    const auto buyer = NewBuyerOn(p, "expbuyer");
    const auto r = CheckoutOn(p, buyer, Items({{sku, 5}}, AddressOn(p, buyer)));
    ASSERT_EQ(r.status, 201) << Describe(r);
    const std::string id = Str(Arr(JsonObject(r), "orders")[0].as_object(), "id");
    const auto status = [&] { return Str(JsonObject(Send(p, "GET", "/api/v1/orders/" + id, &buyer)), "status"); };
    EXPECT_EQ(status(), "pending_payment");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (status() == "pending_payment" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_EQ(status(), "cancelled");
    const auto again = CheckoutOn(p, buyer, Items({{sku, 5}}, AddressOn(p, buyer)));
    EXPECT_EQ(again.status, 201) << "the 5 units are on offer again: " << Describe(again);
    const auto [rc, out] = GojiProcess::RunToEnd(
        {"check", "stock", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
}

// 500 checkouts at once for one unit each of a SKU with 100 in stock.
TEST_P(OrderTest, FiveHundredBuyersRaceForAHundredUnits) {
    auto& own = StartOwnServer({"--rate-limit-rps", "0"});
    const std::uint16_t p = own.port();
    const std::string admin = AddUserWithRole(OwnDatabaseUri(), "admin", "");
    const auto root = LoginOn(p, admin, kRolePassword);
    const auto seller = NewBuyerOn(p, "raceseller");
    const auto shop = SendJson(
        p, "POST", "/api/v1/shops", &seller,
        boost::json::object{
            {"name", "抢购测试店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
    ASSERT_EQ(shop.status, 201) << Describe(shop);
    const std::string shop_id = Str(JsonObject(shop), "id");
    ASSERT_EQ(SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/verify", &root, boost::json::object{}).status, 200);
    const auto product =
        SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/products", &seller, ProductBody("精河枸杞 抢购", 5980, 100));
    ASSERT_EQ(product.status, 201) << Describe(product);
    const std::string product_id = Str(JsonObject(product), "id");
    const std::string sku = FirstSkuId(JsonObject(product));

    // Ten buyers (logins from one address are limited) with 50 checkouts each.
    constexpr int kBuyers = 10;
    constexpr int kEach = 50;
    std::vector<std::pair<Session, std::string>> buyers;
    for (int i = 0; i < kBuyers; ++i) {
        Session b = NewBuyerOn(p, "racer");
        std::string a = AddressOn(p, b);
        buyers.emplace_back(std::move(b), std::move(a));
    }
    std::atomic<int> created{0}, sold_out{0}, other{0};
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (int i = 0; i < kBuyers * kEach; ++i) {
        threads.emplace_back([&, i] {
            while (!go.load()) std::this_thread::yield();
            const auto& [buyer, address] = buyers[static_cast<std::size_t>(i % kBuyers)];
            const auto r = CheckoutOn(p, buyer, Items({{sku, 1}}, address), "race-" + std::to_string(i));
            if (r.status == 201) {
                ++created;
            } else if (r.status == 409 && Contains(r.body, "sold_out")) {
                ++sold_out;
            } else {
                ++other;
                ADD_FAILURE() << Describe(r);
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(created.load(), 100);
    EXPECT_EQ(sold_out.load(), 400);
    EXPECT_EQ(other.load(), 0);
    const auto detail = Send(p, "GET", "/api/v1/products/" + product_id, nullptr);
    EXPECT_EQ(Int(Arr(JsonObject(detail), "skus")[0].as_object(), "stock"), 0);
    const auto [rc, out] = GojiProcess::RunToEnd(
        {"check", "stock", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
}

// kill -9 in the middle of a checkout load: after a restart every order a
// buyer was told about (201) is there, and the stock ledger agrees.
TEST_P(OrderTest, OrdersAnsweredBeforeACrashSurviveIt) {
    auto& own = StartOwnServer({"--rate-limit-rps", "0"});
    std::uint16_t p = own.port();
    const std::string admin = AddUserWithRole(OwnDatabaseUri(), "admin", "");
    const auto root = LoginOn(p, admin, kRolePassword);
    const auto seller = NewBuyerOn(p, "crashseller");
    const auto shop = SendJson(
        p, "POST", "/api/v1/shops", &seller,
        boost::json::object{
            {"name", "崩溃测试店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
    ASSERT_EQ(shop.status, 201) << Describe(shop);
    const std::string shop_id = Str(JsonObject(shop), "id");
    ASSERT_EQ(SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/verify", &root, boost::json::object{}).status, 200);
    const auto product = SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/products", &seller,
                                  ProductBody("精河枸杞 崩溃", 5980, 100000));
    ASSERT_EQ(product.status, 201) << Describe(product);
    const std::string sku = FirstSkuId(JsonObject(product));
    std::vector<std::pair<Session, std::string>> buyers;
    for (int i = 0; i < 8; ++i) {
        Session b = NewBuyerOn(p, "crasher");
        std::string a = AddressOn(p, b);
        buyers.emplace_back(std::move(b), std::move(a));
    }

    std::mutex mu;
    std::vector<std::pair<std::size_t, std::string>> answered;  // buyer index, order id
    std::atomic<bool> stop{false};
    std::atomic<int> requests{0};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 16; ++t) {
        threads.emplace_back([&, t] {
            for (int n = 0; !stop.load(); ++n) {
                const std::size_t who = t % buyers.size();
                try {
                    const auto r = CheckoutOn(p, buyers[who].first, Items({{sku, 1}}, buyers[who].second),
                                              "crash-" + std::to_string(t) + "-" + std::to_string(n));
                    ++requests;
                    if (r.status == 201) {
                        const std::string id = Str(Arr(JsonObject(r), "orders")[0].as_object(), "id");
                        const std::scoped_lock lock(mu);
                        answered.emplace_back(who, id);
                    }
                } catch (const std::exception&) {
                    // The server is gone: requests in flight get no answer.
                }
            }
        });
    }
    while (requests.load() < 200) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    own.Stop(SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    ASSERT_GE(answered.size(), 100U);

    GojiProcess again(ServeArgs(OwnDatabaseUri(), {"--rate-limit-rps", "0"}));
    p = again.port();
    for (const auto& [who, id] : answered) {
        const auto r = Send(p, "GET", "/api/v1/orders/" + id, &buyers[who].first);
        EXPECT_EQ(r.status, 200) << "order " << id << " was answered 201 before the crash: " << Describe(r);
    }
    const auto [rc, out] = GojiProcess::RunToEnd(
        {"check", "stock", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
    again.Stop(SIGTERM);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrderTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
