// Shipping-fee templates and coupons over HTTP on SQLite and PostgreSQL: fees
// by province, free shipping and remote regions, coupons of each kind at
// checkout and in its preview, every refusal changing nothing, another
// shop's template and coupons out of reach, coupons given back when unpaid
// orders are cancelled or expire, and claims racing for the last coupons.
#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "catalog_fixture.hpp"
#include "common/time_format.hpp"

namespace goji::testing::http {
namespace {

constexpr const char* kLhasaStreet = "540102002";    // 八廓街道, 拉萨市城关区 (Tibet, 54)
constexpr const char* kBeijingStreet = "110101001";  // 东华门街道, 北京市东城区 (Beijing, 11)

Millis NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// An ISO 8601 time `offset_ms` from now.
std::string FromNow(Millis offset_ms) { return FormatShanghai(NowMs() + offset_ms); }

constexpr Millis kDayMs = 24LL * 3600 * 1000;

HttpResponse SendAs(std::uint16_t port, std::string_view method, std::string_view target, const Session* as,
                    const boost::json::value& body, const std::string& key = {}) {
    RequestOptions o;
    if (as != nullptr) o.headers.emplace_back("Authorization", "Bearer " + as->token);
    if (!key.empty()) o.headers.emplace_back("Idempotency-Key", key);
    return Request(port, method, target, boost::json::serialize(body), o);
}

boost::json::object Cart(std::initializer_list<std::pair<std::string, std::int64_t>> items, const std::string& address,
                         std::initializer_list<std::string> codes = {}) {
    boost::json::array list;
    for (const auto& [sku, q] : items) list.push_back(boost::json::object{{"sku_id", sku}, {"quantity", q}});
    boost::json::object body{{"address_id", address}, {"items", std::move(list)}};
    if (codes.size() > 0) {
        boost::json::array c;
        for (const auto& code : codes) c.emplace_back(code);
        body["coupon_codes"] = std::move(c);
    }
    return body;
}

// Xinjiang cheap, Tibet remote (half-kilo steps), the rest by default, free from 99 yuan.
boost::json::object DemoShipping() {
    return {{"free_over_fen", 9900},
            {"rules", boost::json::array{boost::json::object{{"provinces", boost::json::array{"65"}},
                                                             {"first_weight_g", 1000},
                                                             {"first_fen", 600},
                                                             {"additional_weight_g", 1000},
                                                             {"additional_fen", 200}},
                                         boost::json::object{{"provinces", boost::json::array{"54"}},
                                                             {"first_weight_g", 1000},
                                                             {"first_fen", 2000},
                                                             {"additional_weight_g", 500},
                                                             {"additional_fen", 1200},
                                                             {"remote", true}},
                                         boost::json::object{{"provinces", boost::json::array{}},
                                                             {"first_weight_g", 1000},
                                                             {"first_fen", 1000},
                                                             {"additional_weight_g", 1000},
                                                             {"additional_fen", 500}}}}};
}

boost::json::object FixedCoupon(std::int64_t amount, std::int64_t min_spend, std::int64_t per_user = 1,
                                std::int64_t total = 100) {
    return {{"title", "满减券"},
            {"kind", "fixed"},
            {"amount_fen", amount},
            {"min_spend_fen", min_spend},
            {"per_user_limit", per_user},
            {"total_count", total},
            {"ends_at", FromNow(30 * kDayMs)}};
}

boost::json::object PercentCoupon(std::int64_t percent, std::int64_t cap, std::int64_t per_user = 1,
                                  std::int64_t total = 100) {
    return {{"title", "折扣券"},
            {"kind", "percent"},
            {"percent_off", percent},
            {"max_discount_fen", cap},
            {"per_user_limit", per_user},
            {"total_count", total},
            {"ends_at", FromNow(30 * kDayMs)}};
}

// A code unique within this test process (both backends keep their database for the whole run).
std::string UniqueCode(std::string_view prefix) {
    std::string code = UniqueLogin(prefix);
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return code;
}

class PricingTest : public CatalogHttpTest {
protected:
    std::string AddressIn(const Session& buyer, const std::string& region) {
        const auto r =
            As(buyer, "POST", "/api/v1/addresses",
               boost::json::object{
                   {"name", "买家"}, {"phone", "13899001234"}, {"region_code", region}, {"detail", "幸福路 8 号"}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "id");
    }
    HttpResponse Checkout(const Session& buyer, const boost::json::object& body, const std::string& key = {}) {
        return SendAs(port(), "POST", "/api/v1/checkout", &buyer, body, key);
    }
    HttpResponse Preview(const Session& buyer, const boost::json::object& body) {
        return SendAs(port(), "POST", "/api/v1/checkout/preview", &buyer, body);
    }
    // The preview's orders, which must exist.
    boost::json::array PreviewOrders(const Session& buyer, const boost::json::object& body) {
        const auto r = Preview(buyer, body);
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Arr(JsonObject(r), "orders");
    }
    std::int64_t PreviewShipping(const Session& buyer, const boost::json::object& body) {
        const auto orders = PreviewOrders(buyer, body);
        return orders.empty() ? -1 : Int(orders[0].as_object(), "shipping_fen");
    }
    // Creates a shop coupon; returns its code.
    std::string ShopCoupon(const Session& seller, const std::string& shop, const boost::json::object& body) {
        const auto r = As(seller, "POST", "/api/v1/shops/" + shop + "/coupons", body);
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "code");
    }
    std::string PlatformCoupon(const Session& admin, const boost::json::object& body) {
        const auto r = As(admin, "POST", "/api/v1/admin/coupons", body);
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "code");
    }
    HttpResponse Claim(const Session& buyer, const std::string& code) {
        return As(buyer, "POST", "/api/v1/coupons/claim", boost::json::object{{"code", code}});
    }
    // The buyer's claims of `code`, newest first.
    std::vector<boost::json::object> Mine(const Session& buyer, const std::string& code) {
        const auto r = GetAs(buyer, "/api/v1/coupons/mine?limit=100");
        EXPECT_EQ(r.status, 200) << Describe(r);
        std::vector<boost::json::object> out;
        for (const auto& c : Arr(JsonObject(r), "items")) {
            if (Str(Obj(c.as_object(), "coupon"), "code") == code) out.push_back(c.as_object());
        }
        return out;
    }
    // The coupon as a shop's member sees it (with counts).
    boost::json::object MemberView(const Session& seller, const std::string& shop, const std::string& code) {
        const auto r = GetAs(seller, "/api/v1/shops/" + shop + "/coupons?limit=100");
        EXPECT_EQ(r.status, 200) << Describe(r);
        for (const auto& c : Arr(JsonObject(r), "items")) {
            if (Str(c.as_object(), "code") == code) return c.as_object();
        }
        return {};
    }
    std::int64_t SkuStock(const std::string& product, const std::string& sku) {
        for (const auto& s : Arr(ProductAs(nullptr, product), "skus")) {
            if (Str(s.as_object(), "id") == sku) return Int(s.as_object(), "stock");
        }
        return -1;
    }
    std::size_t OrderCount(const Session& buyer) {
        const auto r = GetAs(buyer, "/api/v1/orders?limit=100");
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Arr(JsonObject(r), "items").size();
    }
};

TEST_P(PricingTest, ShippingFeesFollowTheProvinceTheThresholdAndRemoteRules) {
    const auto seller = NewBuyer("shipseller");
    const std::string shop = VerifiedShop(seller);
    const auto p = CreateProduct(seller, shop, ProductBody("精河枸杞 运费", 5980, 20));  // 520 g a bag
    const std::string product = Str(p, "id");
    const std::string sku = FirstSkuId(p);
    const auto buyer = NewBuyer("shipbuyer");
    const std::string xinjiang = AddressIn(buyer, kToliVillage);
    const std::string tibet = AddressIn(buyer, kLhasaStreet);
    const std::string beijing = AddressIn(buyer, kBeijingStreet);

    // No template: free shipping, and the public sees that.
    const auto none = Anonymous("/api/v1/shops/" + shop + "/shipping");
    ASSERT_EQ(none.status, 200) << Describe(none);
    EXPECT_EQ(Bool(JsonObject(none), "configured"), false);
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 1}}, tibet)), 0);

    const auto put = As(seller, "PUT", "/api/v1/shops/" + shop + "/shipping", DemoShipping());
    ASSERT_EQ(put.status, 200) << Describe(put);
    const auto shown = Anonymous("/api/v1/shops/" + shop + "/shipping");
    ASSERT_EQ(shown.status, 200) << Describe(shown);
    const auto shipping = JsonObject(shown);
    EXPECT_EQ(Bool(shipping, "configured"), true);
    EXPECT_EQ(Int(shipping, "free_over_fen"), 9900);
    ASSERT_EQ(Arr(shipping, "rules").size(), 3U);
    EXPECT_EQ(Bool(Arr(shipping, "rules")[1].as_object(), "remote"), true);

    // One bag (520 g, 59.80 yuan): the first weight of each province's rule.
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 1}}, xinjiang)), 600);
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 1}}, beijing)), 1000);
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 1}}, tibet)), 2000);
    // Five bags (2 600 g): every started step beyond the first weight.
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 5}}, tibet)), 2000 + 4 * 1200);
    // Two bags (119.60 yuan) ship free, but never to a remote region.
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 2}}, xinjiang)), 0);
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 2}}, beijing)), 0);
    EXPECT_EQ(PreviewShipping(buyer, Cart({{sku, 2}}, tibet)), 2000 + 1200);
    EXPECT_EQ(SkuStock(product, sku), 20) << "a preview reserves nothing";
    EXPECT_TRUE(IsProblem(Preview(buyer, Cart({{sku, 21}}, tibet)), 409, "sold_out"));

    // The checkout charges what the preview showed; the payment covers it.
    const auto placed = Checkout(buyer, Cart({{sku, 2}}, tibet), "ship-tibet");
    ASSERT_EQ(placed.status, 201) << Describe(placed);
    const auto reply = JsonObject(placed);
    const auto order = Arr(reply, "orders")[0].as_object();
    EXPECT_EQ(Int(order, "shipping_fen"), 3200);
    EXPECT_EQ(Int(order, "total_fen"), 11960 + 3200);
    EXPECT_EQ(Int(reply, "amount_fen"), 11960 + 3200);
    EXPECT_EQ(Int(Obj(reply, "payment"), "amount_fen"), 11960 + 3200);
    EXPECT_EQ(SkuStock(product, sku), 18);
}

TEST_P(PricingTest, BadTemplatesAndOtherPeoplesShopsChangeNothing) {
    const auto seller = NewBuyer("tplseller");
    const std::string shop = VerifiedShop(seller);
    const std::string path = "/api/v1/shops/" + shop + "/shipping";
    ASSERT_EQ(As(seller, "PUT", path, DemoShipping()).status, 200);
    const std::string before = Anonymous(path).body;

    const auto bad = [&](const std::function<void(boost::json::object&)>& change, std::string_view field) {
        auto body = DemoShipping();
        change(body);
        EXPECT_TRUE(IsProblem(As(seller, "PUT", path, body), 400, field)) << boost::json::serialize(body);
    };
    const auto rule0 = [](boost::json::object& b) -> boost::json::object& {
        return b["rules"].as_array()[0].as_object();
    };
    bad([](auto& b) { b["rules"].as_array().pop_back(); }, "rules");  // no default rule
    bad(
        [](auto& b) {
            const boost::json::value last = b["rules"].as_array().back();
            b["rules"].as_array().push_back(last);
        },
        "rules[3].provinces");
    bad([&](auto& b) { rule0(b)["provinces"] = boost::json::array{"99"}; }, "rules[0].provinces");
    bad([&](auto& b) { rule0(b)["provinces"] = boost::json::array{"650000"}; }, "rules[0].provinces");
    bad([&](auto& b) { rule0(b)["provinces"] = boost::json::array{"54"}; }, "rules[1].provinces");  // 54 twice
    bad([&](auto& b) { rule0(b)["provinces"] = "65"; }, "rules[0].provinces");
    bad([&](auto& b) { rule0(b)["first_weight_g"] = 0; }, "rules[0].first_weight_g");
    bad([&](auto& b) { rule0(b)["additional_weight_g"] = 1000001; }, "rules[0].additional_weight_g");
    bad([&](auto& b) { rule0(b)["first_fen"] = -1; }, "rules[0].first_fen");
    bad([&](auto& b) { rule0(b)["additional_fen"] = 1.5; }, "rules[0].additional_fen");
    bad([&](auto& b) { rule0(b).erase("first_fen"); }, "rules[0].first_fen");
    bad([](auto& b) { b["free_over_fen"] = -100; }, "free_over_fen");
    bad([](auto& b) { b.erase("rules"); }, "rules");
    bad(
        [](auto& b) {
            auto& rules = b["rules"].as_array();
            const boost::json::value first = rules.front();
            while (rules.size() <= 40) rules.push_back(first);
        },
        "rules");
    EXPECT_EQ(Anonymous(path).body, before);

    // Another seller's PUT is a 404 as for anything of a shop not theirs; no login is a 401.
    const auto other = NewBuyer("tplother");
    EXPECT_TRUE(IsProblem(As(other, "PUT", path, DemoShipping()), 404));
    EXPECT_TRUE(IsProblem(SendAs(port(), "PUT", path, nullptr, DemoShipping()), 401));
    EXPECT_TRUE(IsProblem(As(other, "PUT", "/api/v1/shops/987654321/shipping", DemoShipping()), 404));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/987654321/shipping"), 404));
    EXPECT_EQ(Anonymous(path).body, before);
    // A pending shop's template is its members' business only.
    const std::string pending = ApplyShop(other);
    ASSERT_EQ(As(other, "PUT", "/api/v1/shops/" + pending + "/shipping", DemoShipping()).status, 200);
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/" + pending + "/shipping"), 404));
    EXPECT_EQ(GetAs(other, "/api/v1/shops/" + pending + "/shipping").status, 200);
}

TEST_P(PricingTest, CouponsOfEachKindDiscountTheCheckoutAsPreviewed) {
    const auto seller_a = NewBuyer("cpnsellera");
    const auto seller_b = NewBuyer("cpnsellerb");
    const std::string shop_a = VerifiedShop(seller_a);
    const std::string shop_b = VerifiedShop(seller_b, "cooperative");
    const auto pa = CreateProduct(seller_a, shop_a, ProductBody("精河枸杞 满减", 5980, 50));
    const auto pb = CreateProduct(seller_b, shop_b, ProductBody("精河红枣 折扣", 1250, 50));
    const std::string sku_a = FirstSkuId(pa);
    const std::string sku_b = FirstSkuId(pb);
    // 10 yuan off from 99 yuan in shop A; 20% off at most 3 yuan in shop B; 10% off everything.
    const std::string ten_off = ShopCoupon(seller_a, shop_a, FixedCoupon(1000, 9900));
    const std::string twenty_pct = ShopCoupon(seller_b, shop_b, PercentCoupon(20, 300, 2));
    const auto admin = Admin();
    const std::string platform = PlatformCoupon(admin, PercentCoupon(10, 0));
    ASSERT_FALSE(ten_off.empty());
    ASSERT_FALSE(twenty_pct.empty());
    ASSERT_FALSE(platform.empty());

    const auto buyer = NewBuyer("cpnbuyer");
    const std::string address = AddressIn(buyer, kToliVillage);
    const auto claimed = Claim(buyer, ten_off);
    ASSERT_EQ(claimed.status, 201) << Describe(claimed);
    EXPECT_EQ(Str(JsonObject(claimed), "status"), "available");

    // A: 11 960 − 1 000 = 10 960 left; B: 2 500 − 20% capped at 300 = 2 200;
    // the platform takes 10% of 13 160 = 1 316, shared 10 960 : 2 200.
    const auto body = Cart({{sku_a, 2}, {sku_b, 2}}, address, {ten_off, twenty_pct, platform});
    const auto preview = Preview(buyer, body);
    ASSERT_EQ(preview.status, 200) << Describe(preview);
    const auto previewed = JsonObject(preview);
    EXPECT_EQ(Int(previewed, "amount_fen"), 11844);
    const auto quoted = Arr(previewed, "orders");
    ASSERT_EQ(quoted.size(), 2U);
    EXPECT_EQ(Str(quoted[0].as_object(), "shop_name"), "托里镇枸杞合作社");
    EXPECT_EQ(Int(quoted[0].as_object(), "discount_fen"), 1000 + 1096);
    EXPECT_EQ(Int(quoted[1].as_object(), "discount_fen"), 300 + 220);
    EXPECT_EQ(Arr(quoted[0].as_object(), "items").size(), 1U);
    const auto coupons = Arr(previewed, "coupons");
    ASSERT_EQ(coupons.size(), 3U);
    EXPECT_EQ(Int(coupons[0].as_object(), "discount_fen"), 1000);
    EXPECT_EQ(Int(coupons[1].as_object(), "discount_fen"), 300);
    EXPECT_EQ(Int(coupons[2].as_object(), "discount_fen"), 1316);
    EXPECT_TRUE(Mine(buyer, platform).empty()) << "a preview claims nothing";

    const auto placed = Checkout(buyer, body, "coupons-1");
    ASSERT_EQ(placed.status, 201) << Describe(placed);
    const auto reply = JsonObject(placed);
    EXPECT_EQ(Int(reply, "amount_fen"), 11844);
    EXPECT_EQ(Int(Obj(reply, "payment"), "amount_fen"), 11844);
    const auto orders = Arr(reply, "orders");
    ASSERT_EQ(orders.size(), 2U);
    const std::string order_a = Str(orders[0].as_object(), "id");
    const std::string order_b = Str(orders[1].as_object(), "id");
    EXPECT_EQ(Int(orders[0].as_object(), "discount_fen"), 2096);
    EXPECT_EQ(Int(orders[0].as_object(), "total_fen"), 11960 - 2096);
    EXPECT_EQ(Int(orders[1].as_object(), "discount_fen"), 520);
    EXPECT_EQ(Int(orders[1].as_object(), "total_fen"), 2500 - 520);
    // A retry gets the same reply; the same key with other coupons is another request.
    EXPECT_EQ(Checkout(buyer, body, "coupons-1").body, placed.body);
    EXPECT_TRUE(IsProblem(Checkout(buyer, Cart({{sku_a, 2}, {sku_b, 2}}, address, {ten_off}), "coupons-1"), 422,
                          "idempotency_mismatch"));

    // Claims record what they were used on; the codes not yet claimed were claimed by the checkout.
    const auto mine_a = Mine(buyer, ten_off);
    ASSERT_EQ(mine_a.size(), 1U);
    EXPECT_EQ(Str(mine_a[0], "status"), "used");
    EXPECT_EQ(Str(mine_a[0], "order_id"), order_a);
    EXPECT_EQ(Int(mine_a[0], "discount_fen"), 1000);
    const auto mine_p = Mine(buyer, platform);
    ASSERT_EQ(mine_p.size(), 1U);
    EXPECT_EQ(Str(mine_p[0], "status"), "used");
    EXPECT_TRUE(mine_p[0].at("order_id").is_null()) << "a platform coupon names the checkout only";
    EXPECT_EQ(Str(mine_p[0], "checkout_id"), Str(reply, "checkout_id"));
    const auto counted = MemberView(seller_a, shop_a, ten_off);
    EXPECT_EQ(Int(counted, "issued_count"), 1);
    EXPECT_EQ(Int(counted, "used_count"), 1);
    const auto public_list = Arr(JsonObject(Anonymous("/api/v1/shops/" + shop_a + "/coupons")), "items");
    ASSERT_EQ(public_list.size(), 1U);
    EXPECT_FALSE(public_list[0].as_object().contains("issued_count")) << "counts are for the shop's members";

    // Cancelling B gives B's coupon back; the platform coupon stays with A, still unpaid.
    ASSERT_EQ(As(buyer, "POST", "/api/v1/orders/" + order_b + "/cancel", boost::json::object{}).status, 200);
    EXPECT_EQ(Str(Mine(buyer, twenty_pct)[0], "status"), "available");
    EXPECT_EQ(Str(Mine(buyer, platform)[0], "status"), "used");
    EXPECT_EQ(Str(Mine(buyer, ten_off)[0], "status"), "used");
    // Cancelling A as well gives back the rest.
    ASSERT_EQ(As(buyer, "POST", "/api/v1/orders/" + order_a + "/cancel", boost::json::object{}).status, 200);
    EXPECT_EQ(Str(Mine(buyer, platform)[0], "status"), "available");
    EXPECT_EQ(Str(Mine(buyer, ten_off)[0], "status"), "available");
    EXPECT_TRUE(Mine(buyer, ten_off)[0].at("order_id").is_null());

    // The returned claim is used again rather than a new one issued.
    const auto again = Checkout(buyer, Cart({{sku_a, 2}}, address, {ten_off}));
    ASSERT_EQ(again.status, 201) << Describe(again);
    EXPECT_EQ(Int(JsonObject(again), "amount_fen"), 11960 - 1000);
    EXPECT_EQ(Mine(buyer, ten_off).size(), 1U);
    EXPECT_EQ(Int(MemberView(seller_a, shop_a, ten_off), "issued_count"), 1);
}

TEST_P(PricingTest, BadCouponsAreRefusedAndChangeNothing) {
    const auto seller = NewBuyer("badcpnseller");
    const std::string shop = VerifiedShop(seller);
    const auto p = CreateProduct(seller, shop, ProductBody("精河枸杞 坏券", 5980, 10));
    const std::string product = Str(p, "id");
    const std::string sku = FirstSkuId(p);
    const auto rival = NewBuyer("badcpnrival");
    const std::string rival_shop = VerifiedShop(rival, "company");
    const std::string coupons_path = "/api/v1/shops/" + shop + "/coupons";

    // Coupons that cannot be made.
    const auto refused = [&](const boost::json::object& body, std::string_view field) {
        EXPECT_TRUE(IsProblem(As(seller, "POST", coupons_path, body), 400, field)) << boost::json::serialize(body);
    };
    auto c = PercentCoupon(100, 0);
    refused(c, "percent_off");
    c = FixedCoupon(0, 0);
    refused(c, "amount_fen");
    c = FixedCoupon(100, 0);
    c["kind"] = "half";
    refused(c, "kind");
    c = FixedCoupon(100, 0);
    c["title"] = "";
    refused(c, "title");
    c = FixedCoupon(100, 0);
    c["code"] = "满99减10";
    refused(c, "code");
    c = FixedCoupon(100, 0);
    c["total_count"] = 0;
    refused(c, "total_count");
    c = FixedCoupon(100, 0);
    c["per_user_limit"] = 0;
    refused(c, "per_user_limit");
    c = FixedCoupon(100, 0);
    c.erase("ends_at");
    refused(c, "ends_at");
    c = FixedCoupon(100, 0);
    c["ends_at"] = "next week";
    refused(c, "ends_at");
    c = FixedCoupon(100, 0);
    c["starts_at"] = FromNow(10 * kDayMs);
    c["ends_at"] = FromNow(5 * kDayMs);
    refused(c, "ends_at");
    c = FixedCoupon(100, 0);
    c["ends_at"] = FromNow(400 * kDayMs);
    refused(c, "ends_at");
    const std::string taken = UniqueCode("dup");
    c = FixedCoupon(100, 0);
    c["code"] = taken;
    ASSERT_EQ(As(seller, "POST", coupons_path, c).status, 201);
    EXPECT_TRUE(IsProblem(As(seller, "POST", coupons_path, c), 409, "code_taken"));
    // Someone else's shop is not found; platform coupons are for admins.
    EXPECT_TRUE(IsProblem(As(rival, "POST", coupons_path, FixedCoupon(100, 0)), 404));
    EXPECT_TRUE(IsProblem(SendAs(port(), "POST", coupons_path, nullptr, FixedCoupon(100, 0)), 401));
    EXPECT_TRUE(IsProblem(As(seller, "POST", "/api/v1/admin/coupons", FixedCoupon(100, 0)), 403));

    const auto buyer = NewBuyer("badcpnbuyer");
    const auto late = NewBuyer("badcpnlate");
    const std::string address = AddressIn(buyer, kToliVillage);
    const std::string late_address = AddressIn(late, kToliVillage);
    // A coupon good for three seconds, claimed at once.
    auto brief = FixedCoupon(200, 0, 2);
    brief["ends_at"] = FromNow(3000);
    const auto brief_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(3200);
    const std::string soon_over = ShopCoupon(seller, shop, brief);
    ASSERT_EQ(Claim(buyer, soon_over).status, 201);

    const std::string over_99 = ShopCoupon(seller, shop, FixedCoupon(1000, 9900));
    const std::string one_each = ShopCoupon(seller, shop, FixedCoupon(500, 0, 1, 100));
    const std::string only_one = ShopCoupon(seller, shop, FixedCoupon(300, 0, 1, 1));
    auto later = FixedCoupon(200, 0);
    later["starts_at"] = FromNow(kDayMs);
    const std::string tomorrow = ShopCoupon(seller, shop, later);
    const std::string foreign = ShopCoupon(rival, rival_shop, FixedCoupon(100, 0));
    const auto admin = Admin();
    const std::string platform_a = PlatformCoupon(admin, PercentCoupon(5, 0));
    const std::string platform_b = PlatformCoupon(admin, FixedCoupon(100, 0));

    // The public sees what can be claimed now; the shop's members see everything.
    const auto public_list = Arr(JsonObject(Anonymous(coupons_path + "?limit=100")), "items");
    const auto member_list = Arr(JsonObject(GetAs(seller, coupons_path + "?limit=100")), "items");
    const auto codes_of = [](const boost::json::array& list) {
        std::vector<std::string> out;
        for (const auto& v : list) out.push_back(Str(v.as_object(), "code"));
        return out;
    };
    const auto has = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    EXPECT_FALSE(has(codes_of(public_list), tomorrow));
    EXPECT_TRUE(has(codes_of(public_list), over_99));
    EXPECT_TRUE(has(codes_of(member_list), tomorrow));
    EXPECT_FALSE(public_list.empty() || public_list[0].as_object().contains("issued_count"));
    EXPECT_TRUE(!member_list.empty() && member_list[0].as_object().contains("issued_count"));

    ASSERT_EQ(Claim(buyer, one_each).status, 201);
    ASSERT_EQ(Claim(buyer, only_one).status, 201);

    // Claims refused.
    EXPECT_TRUE(IsProblem(Claim(buyer, "NOSUCHCOUPON"), 422, "coupon_unknown"));
    EXPECT_TRUE(IsProblem(Claim(buyer, "??"), 422, "coupon_unknown"));
    EXPECT_TRUE(IsProblem(Claim(buyer, tomorrow), 422, "coupon_not_started"));
    EXPECT_TRUE(IsProblem(Claim(buyer, one_each), 422, "limit_reached"));
    EXPECT_TRUE(IsProblem(Claim(late, only_one), 409, "coupons_gone"));
    EXPECT_TRUE(IsProblem(As(buyer, "POST", "/api/v1/coupons/claim", boost::json::object{}), 400, "code"));

    // Checkouts refused, each changing nothing.
    const auto refused_checkout = [&](const Session& who, const boost::json::object& body, int status,
                                      std::string_view code) {
        EXPECT_TRUE(IsProblem(Preview(who, body), status, code)) << boost::json::serialize(body);
        EXPECT_TRUE(IsProblem(Checkout(who, body), status, code)) << boost::json::serialize(body);
    };
    refused_checkout(buyer, Cart({{sku, 1}}, address, {"NOSUCHCOUPON"}), 422, "coupon_unknown");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {"x"}), 422, "coupon_unknown");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {foreign}), 422, "coupon_not_applicable");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {over_99}), 422, "coupon_below_threshold");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {tomorrow}), 422, "coupon_not_started");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {one_each, over_99}), 422, "coupon_conflict");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {one_each, one_each}), 422, "coupon_conflict");
    refused_checkout(buyer, Cart({{sku, 1}}, address, {platform_a, platform_b}), 422, "coupon_conflict");
    refused_checkout(late, Cart({{sku, 1}}, late_address, {only_one}), 409, "coupons_gone");
    auto wrong_type = Cart({{sku, 1}}, address);
    wrong_type["coupon_codes"] = "GOJI95";
    refused_checkout(buyer, wrong_type, 400, "coupon_codes");
    auto too_many = Cart({{sku, 1}}, address);
    too_many["coupon_codes"] = boost::json::array(11, boost::json::value("GOJI95"));
    refused_checkout(buyer, too_many, 400, "coupon_codes");
    // A valid coupon beside a bad one is not used either.
    refused_checkout(buyer, Cart({{sku, 1}}, address, {one_each, foreign}), 422, "coupon_not_applicable");
    // Sold out after the coupon was taken: the claim stays free.
    refused_checkout(buyer, Cart({{sku, 11}}, address, {one_each}), 409, "sold_out");

    // The brief coupon runs out while the buyer holds it.
    std::this_thread::sleep_until(brief_until);
    refused_checkout(buyer, Cart({{sku, 1}}, address, {soon_over}), 422, "coupon_expired");
    EXPECT_TRUE(IsProblem(Claim(buyer, soon_over), 422, "coupon_expired"));
    EXPECT_EQ(Str(Mine(buyer, soon_over)[0], "status"), "expired");

    EXPECT_EQ(OrderCount(buyer), 0U);
    EXPECT_EQ(OrderCount(late), 0U);
    EXPECT_EQ(SkuStock(product, sku), 10);
    EXPECT_EQ(Str(Mine(buyer, one_each)[0], "status"), "available");
    for (const auto& [code, issued] :
         {std::pair{over_99, 0}, std::pair{one_each, 1}, std::pair{only_one, 1}, std::pair{tomorrow, 0}}) {
        const auto seen = MemberView(seller, shop, code);
        EXPECT_EQ(Int(seen, "issued_count"), issued) << code;
        EXPECT_EQ(Int(seen, "used_count"), 0) << code;
    }
    // The rival's coupon is the rival's: nothing of it moved either.
    EXPECT_EQ(Int(MemberView(rival, rival_shop, foreign), "issued_count"), 0);
    // And with everything right, the coupon works.
    const auto ok = Checkout(buyer, Cart({{sku, 1}}, address, {one_each}));
    ASSERT_EQ(ok.status, 201) << Describe(ok);
    EXPECT_EQ(Int(JsonObject(ok), "amount_fen"), 5980 - 500);
}

// A server of its own: many buyers (each logging in from an address of its
// own, as behind a proxy) and a short time to pay.
class PricingRaceTest : public PricingTest {
protected:
    struct Own {
        std::uint16_t port = 0;
        Session admin;
    };
    Own Start() {
        auto& own = StartOwnServer(
            {"--rate-limit-rps", "0", "--trust-proxy", "--payment-window-s", "2", "--expiry-sweep-ms", "200"});
        Own o;
        o.port = own.port();
        o.admin = LoginFrom(o.port, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
        return o;
    }
    // A login through the proxy from its own client address, so that the
    // per-address login limit does not pool the buyers.
    Session LoginFrom(std::uint16_t p, const std::string& login, const std::string& password) {
        RequestOptions o;
        const int n = ++addresses_;
        o.headers.emplace_back("X-Forwarded-For",
                               "10.1." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1));
        const auto r =
            Request(p, "POST", "/api/v1/auth/login",
                    boost::json::serialize(boost::json::object{{"login", login}, {"password", password}}), o);
        EXPECT_EQ(r.status, 200) << Describe(r);
        const auto body = JsonObject(r);
        return Session{Str(Obj(body, "user"), "id"), login, password, Str(body, "token"), Str(body, "csrf_token")};
    }
    Session BuyerOn(std::uint16_t p, std::string_view prefix) {
        const std::string login = UniqueLogin(prefix);
        const std::string password = "pw-" + login + "-secret";
        const auto r = SendJson(p, "POST", "/api/v1/auth/register", nullptr,
                                boost::json::object{{"login", login}, {"password", password}, {"display_name", login}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return LoginFrom(p, login, password);
    }
    // A verified shop with one product; returns (shop, sku).
    std::pair<std::string, std::string> ShopOn(const Own& o, const Session& seller, std::int64_t stock) {
        const auto shop = SendJson(
            o.port, "POST", "/api/v1/shops", &seller,
            boost::json::object{
                {"name", "抢券测试店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
        EXPECT_EQ(shop.status, 201) << Describe(shop);
        const std::string id = Str(JsonObject(shop), "id");
        EXPECT_EQ(SendJson(o.port, "POST", "/api/v1/shops/" + id + "/verify", &o.admin, boost::json::object{}).status,
                  200);
        const auto product = SendJson(o.port, "POST", "/api/v1/shops/" + id + "/products", &seller,
                                      ProductBody("精河枸杞 抢券", 5980, stock));
        EXPECT_EQ(product.status, 201) << Describe(product);
        return {id, FirstSkuId(JsonObject(product))};
    }
    std::string CouponOn(std::uint16_t p, const Session& seller, const std::string& shop,
                         const boost::json::object& body) {
        const auto r = SendJson(p, "POST", "/api/v1/shops/" + shop + "/coupons", &seller, body);
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "code");
    }
    std::string AddressOn(std::uint16_t p, const Session& buyer) {
        const auto r = SendJson(p, "POST", "/api/v1/addresses", &buyer,
                                boost::json::object{{"name", "买家"},
                                                    {"phone", "13899001234"},
                                                    {"region_code", kToliVillage},
                                                    {"detail", "基布克村 3 组"}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return Str(JsonObject(r), "id");
    }
    boost::json::object CountsOn(std::uint16_t p, const Session& seller, const std::string& shop,
                                 const std::string& code) {
        const auto r = Send(p, "GET", "/api/v1/shops/" + shop + "/coupons?limit=100", &seller);
        for (const auto& c : Arr(JsonObject(r), "items")) {
            if (Str(c.as_object(), "code") == code) return c.as_object();
        }
        return {};
    }
    std::vector<std::string> StatusesOn(std::uint16_t p, const Session& buyer) {
        std::vector<std::string> out;
        for (const auto& c : Arr(JsonObject(Send(p, "GET", "/api/v1/coupons/mine?limit=100", &buyer)), "items")) {
            out.push_back(Str(c.as_object(), "status"));
        }
        return out;
    }

private:
    int addresses_ = 0;
};

// 40 buyers claim a coupon of which there are 10, all at once.
TEST_P(PricingRaceTest, FortyBuyersRaceForTenCoupons) {
    const Own o = Start();
    const auto seller = BuyerOn(o.port, "raceseller");
    const auto made = ShopOn(o, seller, 100);
    const std::string shop = made.first;
    const std::string code = CouponOn(o.port, seller, shop, FixedCoupon(500, 0, 1, 10));
    std::vector<Session> buyers;
    for (int i = 0; i < 40; ++i) buyers.push_back(BuyerOn(o.port, "raceclaim"));
    std::atomic<int> won{0}, gone{0}, other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (const Session& b : buyers) {
        threads.emplace_back([&, b] {
            while (!go.load()) std::this_thread::yield();
            const auto r = SendJson(o.port, "POST", "/api/v1/coupons/claim", &b, boost::json::object{{"code", code}});
            if (r.status == 201) {
                ++won;
            } else if (r.status == 409 && Contains(r.body, "coupons_gone")) {
                ++gone;
            } else {
                ++other;
                ADD_FAILURE() << Describe(r);
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 10);
    EXPECT_EQ(gone.load(), 30);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(Int(CountsOn(o.port, seller, shop, code), "issued_count"), 10);
}

// One buyer fires many claims and many checkouts with one coupon at once:
// never more claims than the per-user limit, never a claim used twice.
TEST_P(PricingRaceTest, OneBuyerNeverGetsMoreThanTheLimit) {
    const Own o = Start();
    const auto seller = BuyerOn(o.port, "limitseller");
    const auto made = ShopOn(o, seller, 1000);
    const std::string shop = made.first;
    const std::string sku = made.second;
    const std::string three_each = CouponOn(o.port, seller, shop, FixedCoupon(500, 0, 3, 100));
    const std::string one_each = CouponOn(o.port, seller, shop, FixedCoupon(700, 0, 1, 100));
    const auto buyer = BuyerOn(o.port, "limitbuyer");
    const std::string address = AddressOn(o.port, buyer);

    std::atomic<int> won{0}, limited{0}, other{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 20; ++i) {
        threads.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            const auto r =
                SendJson(o.port, "POST", "/api/v1/coupons/claim", &buyer, boost::json::object{{"code", three_each}});
            if (r.status == 201) {
                ++won;
            } else if (r.status == 422 && Contains(r.body, "limit_reached")) {
                ++limited;
            } else {
                ++other;
                ADD_FAILURE() << Describe(r);
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 3);
    EXPECT_EQ(limited.load(), 17);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(Int(CountsOn(o.port, seller, shop, three_each), "issued_count"), 3);

    // Ten checkouts with a coupon of one per buyer, not claimed yet: one gets it.
    threads.clear();
    go = false;
    std::atomic<int> placed{0}, refused{0};
    other = 0;
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&, i] {
            while (!go.load()) std::this_thread::yield();
            const auto r = SendAs(o.port, "POST", "/api/v1/checkout", &buyer, Cart({{sku, 1}}, address, {one_each}),
                                  "race-" + std::to_string(i));
            if (r.status == 201) {
                ++placed;
                EXPECT_EQ(Int(JsonObject(r), "amount_fen"), 5980 - 700);
            } else if (r.status == 422 && Contains(r.body, "limit_reached")) {
                ++refused;
            } else {
                ++other;
                ADD_FAILURE() << Describe(r);
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(placed.load(), 1);
    EXPECT_EQ(refused.load(), 9);
    EXPECT_EQ(other.load(), 0);
    const auto counts = CountsOn(o.port, seller, shop, one_each);
    EXPECT_EQ(Int(counts, "issued_count"), 1);
    EXPECT_EQ(Int(counts, "used_count"), 1);

    // The same with the coupon claimed beforehand: its one claim serves one checkout.
    const std::string in_hand = CouponOn(o.port, seller, shop, FixedCoupon(900, 0, 1, 100));
    ASSERT_EQ(SendJson(o.port, "POST", "/api/v1/coupons/claim", &buyer, boost::json::object{{"code", in_hand}}).status,
              201);
    threads.clear();
    go = false;
    placed = 0;
    refused = 0;
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&, i] {
            while (!go.load()) std::this_thread::yield();
            const auto r = SendAs(o.port, "POST", "/api/v1/checkout", &buyer, Cart({{sku, 1}}, address, {in_hand}),
                                  "in-hand-" + std::to_string(i));
            if (r.status == 201) {
                ++placed;
                EXPECT_EQ(Int(JsonObject(r), "amount_fen"), 5980 - 900);
            } else if (r.status == 422 && Contains(r.body, "limit_reached")) {
                ++refused;
            } else {
                ++other;
                ADD_FAILURE() << Describe(r);
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    EXPECT_EQ(placed.load(), 1);
    EXPECT_EQ(refused.load(), 9);
    EXPECT_EQ(other.load(), 0);
    EXPECT_EQ(Int(CountsOn(o.port, seller, shop, in_hand), "used_count"), 1);
}

// An order not paid in time gives its coupons back with its stock.
TEST_P(PricingRaceTest, ExpiredOrdersGiveTheirCouponsBack) {
    const Own o = Start();
    const auto seller = BuyerOn(o.port, "expcpnseller");
    const auto made = ShopOn(o, seller, 10);
    const std::string shop = made.first;
    const std::string sku = made.second;
    const std::string code = CouponOn(o.port, seller, shop, FixedCoupon(500, 0, 1, 5));
    const auto platform = SendJson(o.port, "POST", "/api/v1/admin/coupons", &o.admin, PercentCoupon(10, 0));
    ASSERT_EQ(platform.status, 201) << Describe(platform);
    const std::string platform_code = Str(JsonObject(platform), "code");
    const auto buyer = BuyerOn(o.port, "expcpnbuyer");
    const auto r = SendAs(o.port, "POST", "/api/v1/checkout", &buyer,
                          Cart({{sku, 2}}, AddressOn(o.port, buyer), {code, platform_code}));
    ASSERT_EQ(r.status, 201) << Describe(r);
    const std::string id = Str(Arr(JsonObject(r), "orders")[0].as_object(), "id");
    EXPECT_EQ(StatusesOn(o.port, buyer), (std::vector<std::string>{"used", "used"}));
    const auto status = [&] { return Str(JsonObject(Send(o.port, "GET", "/api/v1/orders/" + id, &buyer)), "status"); };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (status() == "pending_payment" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(status(), "cancelled");
    EXPECT_EQ(StatusesOn(o.port, buyer), (std::vector<std::string>{"available", "available"}));
    const auto counts = CountsOn(o.port, seller, shop, code);
    EXPECT_EQ(Int(counts, "issued_count"), 1);
    EXPECT_EQ(Int(counts, "used_count"), 0);
    const auto [rc, out] = GojiProcess::RunToEnd(
        {"check", "stock", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
}

INSTANTIATE_TEST_SUITE_P(Backends, PricingTest, ::testing::ValuesIn(BackendNames()), BackendTestName);
INSTANTIATE_TEST_SUITE_P(Backends, PricingRaceTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
