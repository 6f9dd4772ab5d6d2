// Address books and carts over HTTP, on SQLite and PostgreSQL: only one's own,
// bad input refused without changes, lines that stop being on offer marked.
#include "catalog_fixture.hpp"

namespace goji::testing::http {
namespace {

constexpr const char* kDaheTown = "652722101";  // 大河沿子镇

boost::json::object AddressBody(const std::string& name = "李女士", const std::string& phone = "13899001234",
                                const std::string& region = kToliVillage,
                                const std::string& detail = "基布克村 3 组 12 号") {
    return {{"name", name}, {"phone", phone}, {"region_code", region}, {"detail", detail}};
}

class ShoppingTest : public CatalogHttpTest {
protected:
    boost::json::array Addresses(const Session& s) {
        const auto r = GetAs(s, "/api/v1/addresses");
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Arr(JsonObject(r), "items");
    }
    HttpResponse AddAddress(const Session& s, const boost::json::object& body) {
        return As(s, "POST", "/api/v1/addresses", body);
    }
    boost::json::array Cart(const Session& s) {
        const auto r = GetAs(s, "/api/v1/cart/items");
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Arr(JsonObject(r), "items");
    }
    HttpResponse AddToCart(const Session& s, const std::string& sku, const boost::json::value& quantity) {
        return As(s, "POST", "/api/v1/cart/items", boost::json::object{{"sku_id", sku}, {"quantity", quantity}});
    }
    static std::int64_t QuantityOf(const boost::json::array& lines, const std::string& sku) {
        for (const auto& l : lines) {
            if (Str(l.as_object(), "sku_id") == sku) return Int(l.as_object(), "quantity");
        }
        return 0;
    }
    // A public product of a new verified shop; returns {seller, shop, product, first SKU}.
    struct Offer {
        Session seller;
        std::string shop;
        std::string product;
        std::string sku;
    };
    Offer NewOffer(const std::string& who, std::int64_t price_fen = 5980) {
        Offer o{NewBuyer(who), "", "", ""};
        o.shop = VerifiedShop(o.seller);
        const auto p = CreateProduct(o.seller, o.shop, ProductBody("精河枸杞 " + who, price_fen));
        o.product = Str(p, "id");
        o.sku = FirstSkuId(p);
        return o;
    }
};

TEST_P(ShoppingTest, TheFirstAddressIsTheDefaultAndTheDefaultMoves) {
    const auto buyer = NewBuyer("addr");
    const auto first = AddAddress(buyer, AddressBody());
    ASSERT_EQ(first.status, 201) << Describe(first);
    const std::string a = Str(JsonObject(first), "id");
    EXPECT_EQ(true, Bool(JsonObject(first), "is_default"));
    EXPECT_EQ(Str(JsonObject(first), "region_code"), kToliVillage);

    auto second_body = AddressBody("王先生", "0909-5234567", kDaheTown, "大河沿子镇幸福路 8 号");
    second_body["is_default"] = true;
    const auto second = AddAddress(buyer, second_body);
    ASSERT_EQ(second.status, 201) << Describe(second);
    const std::string b = Str(JsonObject(second), "id");
    EXPECT_EQ(Str(JsonObject(second), "phone"), "0909-5234567");
    auto list = Addresses(buyer);
    ASSERT_EQ(list.size(), 2U);
    EXPECT_EQ(Str(list[0].as_object(), "id"), b) << "the default comes first";
    EXPECT_EQ(true, Bool(list[0].as_object(), "is_default"));
    EXPECT_EQ(false, Bool(list[1].as_object(), "is_default"));

    // A mobile number typed with spaces is kept as its digits.
    const auto changed = As(buyer, "PATCH", "/api/v1/addresses/" + a,
                            boost::json::object{{"phone", "138 9900 5678"}, {"is_default", true}});
    ASSERT_EQ(changed.status, 200) << Describe(changed);
    EXPECT_EQ(Str(JsonObject(changed), "phone"), "13899005678");
    EXPECT_EQ(Str(JsonObject(changed), "name"), "李女士");
    list = Addresses(buyer);
    EXPECT_EQ(Str(list[0].as_object(), "id"), a);

    // Removing the default makes the newest one left the default.
    const auto removed = As(buyer, "DELETE", "/api/v1/addresses/" + a, nullptr);
    ASSERT_EQ(removed.status, 204) << Describe(removed);
    list = Addresses(buyer);
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(Str(list[0].as_object(), "id"), b);
    EXPECT_EQ(true, Bool(list[0].as_object(), "is_default"));
}

TEST_P(ShoppingTest, BadAddressesAre400AndChangeNothing) {
    const auto buyer = NewBuyer("badaddr");
    ASSERT_EQ(AddAddress(buyer, AddressBody()).status, 201);
    std::string long_detail;
    for (int i = 0; i < 121; ++i) long_detail += "路";
    auto without = [](const std::string& key) {
        auto b = AddressBody();
        b.erase(key);
        return b;
    };
    auto with = [](const std::string& key, boost::json::value v) {
        auto b = AddressBody();
        b[key] = std::move(v);
        return b;
    };
    const std::vector<std::pair<boost::json::object, std::string>> cases = {
        {with("phone", "12345"), "phone"},
        {with("phone", "23899001234"), "phone"},
        {with("phone", "1389900123a"), "phone"},
        {with("phone", 13899001234LL), "phone"},
        {without("phone"), "phone"},
        {with("name", ""), "name"},
        {with("name", std::string(21, 'x').c_str()), "name"},
        {with("name", "李\x07"), "name"},
        {with("region_code", "652722"), "region_code"},     // a county: not precise enough to deliver
        {with("region_code", "652799101"), "region_code"},  // no such township
        {with("region_code", "abc"), "region_code"},
        {with("detail", ""), "detail"},
        {with("detail", long_detail.c_str()), "detail"},
        {with("is_default", "yes"), "is_default"},
    };
    for (const auto& [body, field] : cases) {
        EXPECT_TRUE(IsProblem(AddAddress(buyer, body), 400, field)) << boost::json::serialize(body);
    }
    const auto list = Addresses(buyer);
    ASSERT_EQ(list.size(), 1U);
    const std::string id = Str(list[0].as_object(), "id");
    EXPECT_TRUE(
        IsProblem(As(buyer, "PATCH", "/api/v1/addresses/" + id, boost::json::object{{"phone", "1"}}), 400, "phone"));
    EXPECT_EQ(Str(Addresses(buyer)[0].as_object(), "phone"), "13899001234");
    EXPECT_TRUE(IsProblem(Send(port(), "GET", "/api/v1/addresses", nullptr), 401));
}

TEST_P(ShoppingTest, AnotherBuyersAddressIsNotFound) {
    const auto owner = NewBuyer("addrowner");
    const auto other = NewBuyer("addrother");
    const auto r = AddAddress(owner, AddressBody());
    ASSERT_EQ(r.status, 201);
    const std::string id = Str(JsonObject(r), "id");
    EXPECT_TRUE(IsProblem(As(other, "PATCH", "/api/v1/addresses/" + id, boost::json::object{{"name", "贼"}}), 404));
    EXPECT_TRUE(IsProblem(As(other, "DELETE", "/api/v1/addresses/" + id, nullptr), 404));
    EXPECT_TRUE(Addresses(other).empty());
    EXPECT_EQ(Str(Addresses(owner)[0].as_object(), "name"), "李女士");
    EXPECT_TRUE(IsProblem(As(owner, "DELETE", "/api/v1/addresses/987654321", nullptr), 404));
}

TEST_P(ShoppingTest, AtMostTwentyAddresses) {
    const auto buyer = NewBuyer("addrmax");
    for (int i = 0; i < 20; ++i) ASSERT_EQ(AddAddress(buyer, AddressBody()).status, 201) << i;
    EXPECT_TRUE(IsProblem(AddAddress(buyer, AddressBody()), 422, "too_many_addresses"));
    EXPECT_EQ(Addresses(buyer).size(), 20U);
}

TEST_P(ShoppingTest, CartLinesGrowChangeAndGo) {
    const auto offer = NewOffer("cartshop");
    const auto buyer = NewBuyer("cart");
    const auto added = AddToCart(buyer, offer.sku, 2);
    ASSERT_EQ(added.status, 201) << Describe(added);
    const auto line = JsonObject(added);
    EXPECT_EQ(Int(line, "quantity"), 2);
    EXPECT_EQ(Int(line, "price_fen"), 5980);
    EXPECT_EQ(Str(line, "product_id"), offer.product);
    EXPECT_EQ(Str(line, "shop_id"), offer.shop);
    EXPECT_EQ(true, Bool(line, "available"));
    const auto again = AddToCart(buyer, offer.sku, 3);
    ASSERT_EQ(again.status, 200) << Describe(again);
    EXPECT_EQ(Int(JsonObject(again), "quantity"), 5);
    EXPECT_EQ(Int(JsonObject(AddToCart(buyer, offer.sku, 999)), "quantity"), 999) << "capped per line";

    const auto set = As(buyer, "PATCH", "/api/v1/cart/items/" + offer.sku, boost::json::object{{"quantity", 4}});
    ASSERT_EQ(set.status, 200) << Describe(set);
    EXPECT_EQ(QuantityOf(Cart(buyer), offer.sku), 4);
    for (const boost::json::value& q :
         {boost::json::value(0), boost::json::value(-1), boost::json::value(1000), boost::json::value("2"),
          boost::json::value(1.5), boost::json::value(nullptr)}) {
        EXPECT_TRUE(
            IsProblem(As(buyer, "PATCH", "/api/v1/cart/items/" + offer.sku, boost::json::object{{"quantity", q}}), 400,
                      "quantity"))
            << boost::json::serialize(q);
        EXPECT_TRUE(IsProblem(AddToCart(buyer, offer.sku, q), 400, "quantity")) << boost::json::serialize(q);
    }
    EXPECT_EQ(QuantityOf(Cart(buyer), offer.sku), 4);

    // Another buyer has their own cart and cannot touch this one.
    const auto other = NewBuyer("cartother");
    EXPECT_TRUE(Cart(other).empty());
    EXPECT_TRUE(
        IsProblem(As(other, "PATCH", "/api/v1/cart/items/" + offer.sku, boost::json::object{{"quantity", 1}}), 404));
    EXPECT_TRUE(IsProblem(As(other, "DELETE", "/api/v1/cart/items/" + offer.sku, nullptr), 404));
    EXPECT_EQ(QuantityOf(Cart(buyer), offer.sku), 4);

    const auto removed = As(buyer, "DELETE", "/api/v1/cart/items/" + offer.sku, nullptr);
    ASSERT_EQ(removed.status, 204) << Describe(removed);
    EXPECT_TRUE(Cart(buyer).empty());
    EXPECT_TRUE(IsProblem(Send(port(), "GET", "/api/v1/cart/items", nullptr), 401));
}

TEST_P(ShoppingTest, OnlySkusOnOfferGoInAndLinesThatStopBeingOnOfferAreMarked) {
    const auto offer = NewOffer("offershop");
    const auto buyer = NewBuyer("offer");
    EXPECT_TRUE(IsProblem(AddToCart(buyer, "987654321", 1), 404));
    EXPECT_TRUE(IsProblem(AddToCart(buyer, "abc", 1), 400, "sku_id"));
    // A pending shop's product is not on offer.
    const auto pending_owner = NewBuyer("pendingshop");
    const std::string pending = ApplyShop(pending_owner);
    const auto hidden = CreateProduct(pending_owner, pending, ProductBody("待审核店铺的枸杞"));
    EXPECT_TRUE(IsProblem(AddToCart(buyer, FirstSkuId(hidden), 1), 404));
    EXPECT_TRUE(Cart(buyer).empty());

    ASSERT_EQ(AddToCart(buyer, offer.sku, 1).status, 201);
    const auto off = As(offer.seller, "POST", "/api/v1/shops/" + offer.shop + "/products/on-sale",
                        boost::json::object{{"product_ids", boost::json::array{offer.product}}, {"on_sale", false}});
    ASSERT_EQ(off.status, 200) << Describe(off);
    auto lines = Cart(buyer);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(false, Bool(lines[0].as_object(), "available"));
    EXPECT_TRUE(IsProblem(AddToCart(buyer, offer.sku, 1), 404)) << "no more units of an off-sale product";
    EXPECT_EQ(QuantityOf(Cart(buyer), offer.sku), 1);
}

TEST_P(ShoppingTest, AGuestCartMergesAfterLogin) {
    const auto a = NewOffer("mergea");
    const auto b = NewOffer("mergeb", 1200);
    const auto buyer = NewBuyer("merge");
    ASSERT_EQ(AddToCart(buyer, a.sku, 2).status, 201);
    const boost::json::object body{
        {"items", boost::json::array{boost::json::object{{"sku_id", a.sku}, {"quantity", 3}},
                                     boost::json::object{{"sku_id", b.sku}, {"quantity", 1}},
                                     boost::json::object{{"sku_id", "987654321"}, {"quantity", 1}}}}};
    const auto r = As(buyer, "POST", "/api/v1/cart/merge", body);
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    EXPECT_EQ(QuantityOf(Arr(o, "items"), a.sku), 5);
    EXPECT_EQ(QuantityOf(Arr(o, "items"), b.sku), 1);
    const auto rejected = Arr(o, "rejected");
    ASSERT_EQ(rejected.size(), 1U);
    EXPECT_EQ(Str(rejected[0].as_object(), "sku_id"), "987654321");
    EXPECT_EQ(Str(rejected[0].as_object(), "code"), "not_found");
    // A malformed item refuses the whole merge.
    const boost::json::object bad{{"items", boost::json::array{boost::json::object{{"sku_id", a.sku}}}}};
    EXPECT_TRUE(IsProblem(As(buyer, "POST", "/api/v1/cart/merge", bad), 400, "items[0].quantity"));
    EXPECT_EQ(QuantityOf(Cart(buyer), a.sku), 5);
}

TEST_P(ShoppingTest, ACartHoldsAtMostAHundredLines) {
    const auto seller = NewBuyer("fullshop");
    const std::string shop = VerifiedShop(seller);
    std::vector<std::string> skus;
    for (int p = 0; p < 3; ++p) {
        auto body = ProductBody("精河枸杞 满 " + std::to_string(p));
        auto& list = body["skus"].as_array();
        while (list.size() < 34) list.push_back(list[0]);
        for (const auto& s : Arr(CreateProduct(seller, shop, body), "skus")) skus.push_back(Str(s.as_object(), "id"));
    }
    ASSERT_GE(skus.size(), 101U);
    const auto buyer = NewBuyer("full");
    for (std::size_t i = 0; i < 100; ++i) ASSERT_EQ(AddToCart(buyer, skus[i], 1).status, 201) << i;
    EXPECT_TRUE(IsProblem(AddToCart(buyer, skus[100], 1), 422, "cart_full"));
    EXPECT_EQ(Int(JsonObject(AddToCart(buyer, skus[0], 1)), "quantity"), 2) << "existing lines still grow";
    EXPECT_EQ(Cart(buyer).size(), 100U);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShoppingTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
