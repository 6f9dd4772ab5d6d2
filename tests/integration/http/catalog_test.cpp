// The catalog over HTTP: shops and their verification by county officers,
// staff, the category tree, products with SKUs, on/off sale, stock and
// traceable batches, with the bad input of the catalog issue. Every refusal
// is checked to have changed nothing.

#include <cctype>
#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>

#include "integration/http/catalog_fixture.hpp"

namespace goji::testing::http {
namespace {

class CatalogTest : public CatalogHttpTest {
protected:
    // Whether the shop is in the officer's verification queue (all pages).
    bool InQueue(const Session& officer, const std::string& shop) {
        std::string cursor;
        for (int page = 0; page < 100; ++page) {
            std::string target = "/api/v1/shops?status=pending&limit=100";
            if (!cursor.empty()) target += "&cursor=" + cursor;
            const auto r = GetAs(officer, target);
            EXPECT_EQ(r.status, 200) << Describe(r);
            if (r.status != 200) return false;
            const auto o = JsonObject(r);
            if (HasId(Arr(o, "items"), shop)) return true;
            cursor = Str(o, "next_cursor");
            if (cursor.empty()) return false;
        }
        return false;
    }

    std::string ShopStatus(const Session& viewer, const std::string& shop) {
        const auto r = GetAs(viewer, "/api/v1/shops/" + shop);
        EXPECT_EQ(r.status, 200) << Describe(r);
        return Str(JsonObject(r), "status");
    }

    HttpResponse AddStaff(const Session& actor, const std::string& shop, const std::string& login) {
        return As(actor, "POST", "/api/v1/shops/" + shop + "/staff", boost::json::object{{"login", login}});
    }

    HttpResponse SetStock(const Session& s, const std::string& sku, const boost::json::value& stock) {
        return As(s, "PUT", "/api/v1/skus/" + sku + "/stock", boost::json::object{{"stock", stock}});
    }

    HttpResponse NewBatch(const Session& s, const std::string& product, const std::string& harvested_on,
                          const std::string& origin = kToliVillage) {
        return As(s, "POST", "/api/v1/products/" + product + "/batches",
                  boost::json::object{
                      {"harvested_on", harvested_on}, {"origin_region_code", origin}, {"certification", "绿色食品"}});
    }

    // The stock of the product's first SKU as its owner sees it.
    std::int64_t FirstSkuStock(const Session& owner, const std::string& product) {
        const auto skus = Arr(ProductAs(&owner, product), "skus");
        if (skus.empty() || !skus.front().is_object()) return -1;
        return Int(skus.front().as_object(), "stock");
    }
};

// A calendar day in Asia/Shanghai (UTC+8, no daylight saving), `offset_days` from today.
std::string ShanghaiDate(int offset_days) {
    using namespace std::chrono;
    const auto now = system_clock::now() + hours(8) + days(offset_days);
    const year_month_day ymd{floor<days>(now)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

// --- Shops ---------------------------------------------------------------

TEST_P(CatalogTest, ApplyingForAShopMakesAPendingShopOwnedByTheCaller) {
    const auto owner = NewBuyer("shopowner");
    const auto r = ApplyRaw(
        owner,
        {{"name", "托里镇枸杞合作社"}, {"kind", "cooperative"}, {"region_code", kToliTown}, {"poverty_relief", true}});
    ASSERT_EQ(r.status, 201) << Describe(r);
    const auto shop = JsonObject(r);
    const std::string id = Str(shop, "id");
    EXPECT_FALSE(id.empty()) << r.body;
    EXPECT_EQ(Str(shop, "status"), "pending");
    EXPECT_EQ(Str(shop, "kind"), "cooperative");
    EXPECT_EQ(Str(shop, "region_code"), kToliTown);
    EXPECT_EQ(Str(shop, "owner_id"), owner.user_id);
    EXPECT_EQ(Str(shop, "name"), "托里镇枸杞合作社");
    const auto* relief = shop.if_contains("poverty_relief");
    EXPECT_TRUE(relief != nullptr && relief->is_bool() && relief->get_bool()) << r.body;

    const auto mine = GetAs(owner, "/api/v1/shops?mine=1");
    ASSERT_EQ(mine.status, 200) << Describe(mine);
    EXPECT_TRUE(HasId(Arr(JsonObject(mine), "items"), id)) << mine.body;
    EXPECT_EQ(ShopStatus(owner, id), "pending");
}

TEST_P(CatalogTest, EveryShopKindAndVillageCodesAreAccepted) {
    const auto owner = NewBuyer("kinds");
    std::vector<std::string> ids;
    for (const char* kind : {"farmer", "cooperative", "company", "wholesaler"}) {
        const auto r =
            ApplyRaw(owner, {{"name", std::string("店 ") + kind}, {"kind", kind}, {"region_code", kToliVillage}});
        ASSERT_EQ(r.status, 201) << kind << ": " << Describe(r);
        const auto o = JsonObject(r);
        EXPECT_EQ(Str(o, "kind"), kind);
        EXPECT_EQ(Str(o, "region_code"), kToliVillage);
        ids.push_back(Str(o, "id"));
    }
    const auto mine = Arr(JsonObject(GetAs(owner, "/api/v1/shops?mine=1")), "items");
    EXPECT_EQ(mine.size(), 4U) << boost::json::serialize(mine);
    for (const auto& id : ids) EXPECT_TRUE(HasId(mine, id)) << id;
}

TEST_P(CatalogTest, BadShopApplicationsAre400AndCreateNothing) {
    const auto owner = NewBuyer("badshop");
    const boost::json::object good{{"name", "好店"}, {"kind", "farmer"}, {"region_code", kToliTown}};
    const auto with = [&](std::string_view key, boost::json::value v) {
        boost::json::object o = good;
        o[key] = std::move(v);
        return o;
    };
    const auto without = [&](std::string_view key) {
        boost::json::object o = good;
        o.erase(key);
        return o;
    };
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("kind", "farm")), 400, "kind"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("kind", "FARMER")), 400, "kind"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, without("kind")), 400, "kind"));
    // Township (9 digits) or village (12) only.
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", kJinghe)), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", "652700")), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", "650000")), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", kUnknownTownship)), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", "652722102999")), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", "abc")), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("region_code", 652722102)), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, without("region_code")), 400, "region_code"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, without("name")), 400, "name"));
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("name", "   ")), 400, "name"));
    std::string long_name;
    for (int i = 0; i < 41; ++i) long_name += "枸";
    EXPECT_TRUE(IsProblem(ApplyRaw(owner, with("name", long_name.c_str())), 400, "name"));
    // Nobody logged in.
    EXPECT_TRUE(IsProblem(PostJson("/api/v1/shops", good), 401));

    const auto mine = GetAs(owner, "/api/v1/shops?mine=1");
    ASSERT_EQ(mine.status, 200) << Describe(mine);
    EXPECT_TRUE(Arr(JsonObject(mine), "items").empty()) << "a refused application made a shop: " << mine.body;
}

TEST_P(CatalogTest, PendingShopIs404ForStrangersAndVisibleToOwnerAndOfficer) {
    const auto owner = NewBuyer("pendowner");
    const auto stranger = NewBuyer("stranger");
    const std::string id = ApplyShop(owner);
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/" + id), 404));
    EXPECT_TRUE(IsProblem(GetAs(stranger, "/api/v1/shops/" + id), 404));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/" + id + "/products"), 404));
    EXPECT_TRUE(IsProblem(GetAs(Officer(kBole), "/api/v1/shops/" + id), 404));
    EXPECT_EQ(ShopStatus(owner, id), "pending");
    EXPECT_EQ(ShopStatus(Officer(kJinghe), id), "pending");
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/987654321"), 404));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/not-a-shop"), 404));
}

TEST_P(CatalogTest, VerificationQueueIsScopedToTheOfficersCounty) {
    const auto owner = NewBuyer("queue");
    const std::string jinghe_shop = ApplyShop(owner, "farmer", kToliVillage);
    const std::string bole_shop = ApplyShop(owner, "company", kBoleTown);
    const auto jinghe_officer = Officer(kJinghe);
    const auto bole_officer = Officer(kBole);
    EXPECT_TRUE(InQueue(jinghe_officer, jinghe_shop));
    EXPECT_FALSE(InQueue(jinghe_officer, bole_shop)) << "a Bole shop in the Jinghe officer's queue";
    EXPECT_TRUE(InQueue(bole_officer, bole_shop));
    EXPECT_FALSE(InQueue(bole_officer, jinghe_shop)) << "a Jinghe shop in the Bole officer's queue";
    const auto admin = Admin();
    EXPECT_TRUE(InQueue(admin, jinghe_shop));
    EXPECT_TRUE(InQueue(admin, bole_shop));
    // Buyers have no queue; the list needs a login and a status or mine.
    EXPECT_TRUE(IsProblem(GetAs(owner, "/api/v1/shops?status=pending"), 403));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops?status=pending"), 401));
    EXPECT_TRUE(IsProblem(GetAs(jinghe_officer, "/api/v1/shops"), 400, "status"));
    EXPECT_TRUE(IsProblem(GetAs(jinghe_officer, "/api/v1/shops?status=pending&limit=101"), 400, "limit"));
    EXPECT_TRUE(IsProblem(GetAs(jinghe_officer, "/api/v1/shops?status=pending&cursor=x"), 400, "cursor"));
}

TEST_P(CatalogTest, OfficerVerifiesAShopOnceAndItBecomesPublic) {
    const auto owner = NewBuyer("verify");
    const std::string id = ApplyShop(owner);
    const auto officer = Officer(kJinghe);
    const auto r = Verify(officer, id);
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Str(JsonObject(r), "status"), "verified");
    EXPECT_FALSE(Str(JsonObject(r), "decided_at").empty()) << r.body;

    const auto pub = Anonymous("/api/v1/shops/" + id);
    ASSERT_EQ(pub.status, 200) << Describe(pub);
    EXPECT_EQ(Str(JsonObject(pub), "status"), "verified");
    EXPECT_FALSE(InQueue(officer, id)) << "a verified shop is still in the queue";

    EXPECT_TRUE(IsProblem(Verify(officer, id), 409, "bad_state"));
    EXPECT_TRUE(IsProblem(Reject(officer, id, "too late"), 409, "bad_state"));
    EXPECT_EQ(ShopStatus(owner, id), "verified");
}

TEST_P(CatalogTest, OnlyOfficersOverTheRegionOrAdminsDecide) {
    const auto owner = NewBuyer("decide");
    const auto stranger = NewBuyer("decider");
    const std::string id = ApplyShop(owner, "farmer", kToliVillage);
    const auto bole_officer = Officer(kBole);
    EXPECT_TRUE(IsProblem(Verify(bole_officer, id), 404));
    EXPECT_TRUE(IsProblem(Reject(bole_officer, id, "不在辖区"), 404));
    EXPECT_TRUE(IsProblem(Verify(owner, id), 404)) << "owners may not verify their own shop";
    EXPECT_TRUE(IsProblem(Verify(stranger, id), 404));
    EXPECT_TRUE(IsProblem(Reject(stranger, id, "no"), 404));
    EXPECT_TRUE(IsProblem(PostJson("/api/v1/shops/" + id + "/verify", boost::json::object{}), 401));
    EXPECT_EQ(ShopStatus(owner, id), "pending") << "a refused decision changed the shop";
    EXPECT_TRUE(InQueue(Officer(kJinghe), id));

    // An admin decides anywhere, here on a Bole shop.
    const std::string bole_shop = ApplyShop(owner, "wholesaler", kBoleTown);
    const auto r = Verify(Admin(), bole_shop);
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Str(JsonObject(r), "status"), "verified");
    EXPECT_TRUE(IsProblem(Verify(Admin(), "987654321"), 404));
}

TEST_P(CatalogTest, RejectingNeedsAReasonAndIsFinal) {
    const auto owner = NewBuyer("reject");
    const std::string id = ApplyShop(owner);
    const auto officer = Officer(kJinghe);
    EXPECT_TRUE(IsProblem(Reject(officer, id, ""), 400, "reason"));
    EXPECT_TRUE(IsProblem(Reject(officer, id, "   "), 400, "reason"));
    EXPECT_TRUE(
        IsProblem(As(officer, "POST", "/api/v1/shops/" + id + "/reject", boost::json::object{}), 400, "reason"));
    EXPECT_EQ(ShopStatus(owner, id), "pending");

    const auto r = Reject(officer, id, "营业执照照片不清晰");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Str(JsonObject(r), "status"), "rejected");
    EXPECT_EQ(Str(JsonObject(r), "reject_reason"), "营业执照照片不清晰");
    // The owner sees why; the public sees nothing; no second decision.
    const auto seen = GetAs(owner, "/api/v1/shops/" + id);
    ASSERT_EQ(seen.status, 200) << Describe(seen);
    EXPECT_EQ(Str(JsonObject(seen), "reject_reason"), "营业执照照片不清晰");
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/shops/" + id), 404));
    EXPECT_TRUE(IsProblem(Verify(officer, id), 409, "bad_state"));
    EXPECT_FALSE(InQueue(officer, id));
}

TEST_P(CatalogTest, OwnerAddsStaffWhoManageProductsButNotStaff) {
    const auto owner = NewBuyer("staffowner");
    const auto staff = NewBuyer("staff");
    const auto other = NewBuyer("staff2");
    const auto stranger = NewBuyer("nostaff");
    const std::string shop = ApplyShop(owner);

    // Before: the staff member is a stranger.
    EXPECT_TRUE(IsProblem(CreateProductRaw(staff, shop, ProductBody("员工的枸杞")), 404));
    const auto added = AddStaff(owner, shop, staff.login);
    EXPECT_EQ(added.status, 204) << Describe(added);

    const auto product = CreateProductRaw(staff, shop, ProductBody("员工上架的枸杞"));
    ASSERT_EQ(product.status, 201) << Describe(product);
    EXPECT_EQ(Str(JsonObject(product), "shop_id"), shop);
    EXPECT_EQ(ShopStatus(staff, shop), "pending") << "staff see their pending shop";
    EXPECT_TRUE(HasId(Arr(JsonObject(GetAs(staff, "/api/v1/shops?mine=1")), "items"), shop));

    // Staff do not manage staff; strangers get 404; unknown logins 400.
    EXPECT_TRUE(IsProblem(AddStaff(staff, shop, other.login), 403));
    EXPECT_TRUE(IsProblem(AddStaff(stranger, shop, other.login), 404));
    EXPECT_TRUE(IsProblem(AddStaff(owner, shop, UniqueLogin("nobody")), 400, "login"));
    EXPECT_TRUE(IsProblem(AddStaff(owner, shop, owner.login), 400, "login"));
    EXPECT_TRUE(IsProblem(CreateProductRaw(other, shop, ProductBody("不是员工")), 404))
        << "staff added by staff can manage the shop";
    EXPECT_TRUE(IsProblem(GetAs(other, "/api/v1/shops/" + shop), 404));
    EXPECT_EQ(ShopProducts(&owner, shop).size(), 1U);
}

// --- Categories ----------------------------------------------------------

TEST_P(CatalogTest, CategoryTreeHasWolfberryWithRedAndBlackInThreeLanguages) {
    const auto r = Anonymous("/api/v1/categories");
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_TRUE(Contains(r.Header("Cache-Control"), "public")) << r.Header("Cache-Control");
    const auto roots = Arr(JsonObject(r), "items");
    ASSERT_FALSE(roots.empty()) << r.body;
    std::optional<boost::json::object> wolfberry;
    std::size_t total = 0;
    const std::function<void(const boost::json::array&)> walk = [&](const boost::json::array& nodes) {
        for (const auto& n : nodes) {
            if (!n.is_object()) continue;
            const auto& o = n.as_object();
            ++total;
            if (Str(Obj(o, "names"), "zh-CN") == "枸杞") wolfberry = o;
            walk(Arr(o, "children"));
        }
    };
    walk(roots);
    EXPECT_GE(total, 20U) << "the seeded tree looks too small: " << r.body;
    ASSERT_TRUE(wolfberry.has_value()) << "no 枸杞 in " << r.body;
    EXPECT_EQ(Str(*wolfberry, "id"), kCatWolfberry);
    EXPECT_FALSE(Str(Obj(*wolfberry, "names"), "ug").empty());
    EXPECT_FALSE(Str(Obj(*wolfberry, "names"), "en").empty());
    std::map<std::string, std::string> children;  // zh-CN → id
    for (const auto& c : Arr(*wolfberry, "children")) {
        if (!c.is_object()) continue;
        const auto names = Obj(c.as_object(), "names");
        EXPECT_FALSE(Str(names, "ug").empty()) << boost::json::serialize(c);
        EXPECT_FALSE(Str(names, "en").empty()) << boost::json::serialize(c);
        children[Str(names, "zh-CN")] = Str(c.as_object(), "id");
    }
    EXPECT_EQ(children["红枸杞"], kCatRedWolfberry) << boost::json::serialize(*wolfberry);
    EXPECT_EQ(children["黑枸杞"], kCatBlackWolfberry) << boost::json::serialize(*wolfberry);
    // Wolfberry sits below dried fruit, which is a root.
    bool under_root = false;
    for (const auto& n : roots) {
        if (n.is_object() && HasId(Arr(n.as_object(), "children"), kCatWolfberry)) under_root = true;
    }
    EXPECT_TRUE(under_root);
}

// --- Products ------------------------------------------------------------

TEST_P(CatalogTest, ProductWithSkusIsCreatedAndShownToMembersUntilTheShopIsVerified) {
    const auto owner = NewBuyer("prodowner");
    const auto stranger = NewBuyer("prodstranger");
    const std::string shop = ApplyShop(owner);
    boost::json::object body = ProductBody("精河枸杞 特级 500g", 5980, 100);
    body["skus"].as_array().push_back(
        boost::json::object{{"spec", "1 kg 礼盒"}, {"price_fen", 11800}, {"stock", 20}, {"weight_g", 1100}});
    const auto r = CreateProductRaw(owner, shop, body);
    ASSERT_EQ(r.status, 201) << Describe(r);
    const auto p = JsonObject(r);
    const std::string id = Str(p, "id");
    EXPECT_FALSE(id.empty());
    EXPECT_EQ(Str(p, "shop_id"), shop);
    EXPECT_EQ(Str(p, "title"), "精河枸杞 特级 500g");
    EXPECT_EQ(Str(p, "category_id"), kCatRedWolfberry);
    EXPECT_EQ(Str(p, "origin_region_code"), kJinghe);
    EXPECT_EQ(Str(p, "description"), "精河县托里镇的枸杞\n当年新货");
    EXPECT_EQ(Int(p, "min_price_fen"), 5980);
    EXPECT_EQ(Int(p, "stock"), 120);
    const auto skus = Arr(p, "skus");
    ASSERT_EQ(skus.size(), 2U) << r.body;
    EXPECT_EQ(Str(skus[0].as_object(), "spec"), "500 g 袋装 特级");
    EXPECT_EQ(Int(skus[0].as_object(), "price_fen"), 5980);
    EXPECT_EQ(Int(skus[1].as_object(), "price_fen"), 11800);
    EXPECT_EQ(Int(skus[1].as_object(), "weight_g"), 1100);
    EXPECT_FALSE(Str(skus[0].as_object(), "id").empty());
    EXPECT_NE(Str(skus[0].as_object(), "id"), Str(skus[1].as_object(), "id"));

    // Unverified shop: members only.
    EXPECT_EQ(Str(ProductAs(&owner, id), "title"), "精河枸杞 特级 500g");
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/" + id), 404));
    EXPECT_TRUE(IsProblem(GetAs(stranger, "/api/v1/products/" + id), 404));

    ASSERT_EQ(Verify(Officer(kJinghe), shop).status, 200);
    const auto pub = Anonymous("/api/v1/products/" + id);
    ASSERT_EQ(pub.status, 200) << Describe(pub);
    const auto po = JsonObject(pub);
    EXPECT_EQ(Str(po, "title"), "精河枸杞 特级 500g");
    EXPECT_EQ(Arr(po, "skus").size(), 2U);
    EXPECT_EQ(Str(Obj(po, "shop"), "id"), shop) << pub.body;
    EXPECT_TRUE(HasId(ShopProducts(nullptr, shop), id));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/987654321"), 404));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/abc"), 404));
}

TEST_P(CatalogTest, BadProductsAre400AndChangeNothing) {
    const auto owner = NewBuyer("badprod");
    const std::string shop = ApplyShop(owner);
    const auto with_sku = [](std::string_view key, boost::json::value v) {
        boost::json::object body = ProductBody("精河枸杞");
        // The second row is wrong; the error names it.
        auto& skus = body["skus"].as_array();
        skus.push_back(skus[0]);
        skus[1].as_object()[key] = std::move(v);
        return body;
    };
    const auto with = [](std::string_view key, boost::json::value v) {
        boost::json::object body = ProductBody("精河枸杞");
        body[key] = std::move(v);
        return body;
    };
    std::string title61;
    for (int i = 0; i < 61; ++i) title61 += "枸";
    boost::json::object no_skus = ProductBody("精河枸杞");
    no_skus.erase("skus");

    const std::vector<std::pair<boost::json::object, std::string>> cases = {
        {with_sku("price_fen", 0), "skus[1].price_fen"},
        {with_sku("price_fen", -100), "skus[1].price_fen"},
        {with_sku("price_fen", 59.8), "skus[1].price_fen"},
        {with_sku("price_fen", "5980"), "skus[1].price_fen"},
        {with_sku("price_fen", nullptr), "skus[1].price_fen"},
        {with_sku("stock", -1), "skus[1].stock"},
        {with_sku("stock", 1.5), "skus[1].stock"},
        {with_sku("weight_g", 0), "skus[1].weight_g"},
        {with_sku("spec", ""), "skus[1].spec"},
        {with("title", title61.c_str()), "title"},
        {with("title", ""), "title"},
        {with("title", "枸杞\x07好"), "title"},
        {with("category_id", 999), "category_id"},
        {with("category_id", "999"), "category_id"},
        {with("category_id", "wolfberry"), "category_id"},
        {with("origin_region_code", "652799"), "origin_region_code"},
        {with("origin_region_code", "xyz"), "origin_region_code"},
        {no_skus, "skus"},
        {with("skus", boost::json::array{}), "skus"},
        {with("skus", "500g"), "skus"},
    };
    for (const auto& [body, code] : cases) {
        EXPECT_TRUE(IsProblem(CreateProductRaw(owner, shop, body), 400, code)) << boost::json::serialize(body);
    }
    const auto items = ShopProducts(&owner, shop);
    EXPECT_TRUE(items.empty()) << "a refused product was stored: " << boost::json::serialize(items);

    // The limits themselves are allowed: a 60-character title, stock 0.
    const std::string title60 = title61.substr(3);
    const auto ok = CreateProductRaw(owner, shop, ProductBody(title60, 1, 0));
    ASSERT_EQ(ok.status, 201) << Describe(ok);
    EXPECT_EQ(Str(JsonObject(ok), "title"), title60);
    EXPECT_EQ(ShopProducts(&owner, shop).size(), 1U);
}

TEST_P(CatalogTest, HtmlInTextIsStoredAsTextAndReturnedByteForByte) {
    const auto owner = NewBuyer("html");
    const std::string shop = VerifiedShop(owner);
    const std::string title = "<script>alert(1)</script>枸杞";
    const std::string description = "<img src=x onerror=\"alert('x')\">\n<b>粗体</b> & &amp; \"引号\" </textarea>";
    boost::json::object body = ProductBody(title);
    body["description"] = description;
    const auto r = CreateProductRaw(owner, shop, body);
    ASSERT_EQ(r.status, 201) << Describe(r);
    EXPECT_TRUE(StartsWith(r.Header("Content-Type"), "application/json")) << r.Header("Content-Type");
    const std::string id = Str(JsonObject(r), "id");
    EXPECT_EQ(Str(JsonObject(r), "title"), title);
    EXPECT_EQ(Str(JsonObject(r), "description"), description);

    const auto pub = Anonymous("/api/v1/products/" + id);
    ASSERT_EQ(pub.status, 200) << Describe(pub);
    EXPECT_TRUE(StartsWith(pub.Header("Content-Type"), "application/json")) << pub.Header("Content-Type");
    EXPECT_FALSE(Contains(pub.Header("Content-Type"), "html"));
    EXPECT_EQ(Str(JsonObject(pub), "title"), title);
    EXPECT_EQ(Str(JsonObject(pub), "description"), description);
    // Not escaped into HTML entities either: the JSON carries the text itself.
    EXPECT_FALSE(Contains(pub.body, "&lt;script")) << pub.body;

    // The same through PATCH.
    boost::json::object edit = ProductBody("<b onmouseover=alert(2)>黑枸杞</b>");
    edit.erase("skus");
    const auto patched = As(owner, "PATCH", "/api/v1/products/" + id, edit);
    ASSERT_EQ(patched.status, 200) << Describe(patched);
    EXPECT_EQ(Str(ProductAs(nullptr, id), "title"), "<b onmouseover=alert(2)>黑枸杞</b>");
}

TEST_P(CatalogTest, AnotherUsersShopOrProductIs404AndUnchanged) {
    const auto owner = NewBuyer("victim");
    const auto attacker = NewBuyer("attacker");
    const std::string shop = VerifiedShop(owner);
    const std::string attacker_shop = VerifiedShop(attacker);
    const std::string id = NewProduct(owner, shop, "精河枸杞 原味");

    EXPECT_TRUE(IsProblem(CreateProductRaw(attacker, shop, ProductBody("冒充的枸杞")), 404));
    boost::json::object edit = ProductBody("被改的标题");
    edit.erase("skus");
    EXPECT_TRUE(IsProblem(As(attacker, "PATCH", "/api/v1/products/" + id, edit), 404));
    EXPECT_TRUE(IsProblem(SetOnSale(attacker, shop, {id}, false), 404));
    // Through the attacker's own shop: the foreign id is not touched.
    const auto via_own = SetOnSale(attacker, attacker_shop, {id}, false);
    ASSERT_EQ(via_own.status, 200) << Describe(via_own);
    EXPECT_EQ(Int(JsonObject(via_own), "changed"), 0) << via_own.body;
    EXPECT_TRUE(IsProblem(NewBatch(attacker, id, "2026-09-15"), 404));
    EXPECT_TRUE(IsProblem(PostJson("/api/v1/shops/" + shop + "/products", ProductBody("匿名")), 401));

    const auto items = ShopProducts(nullptr, shop);
    ASSERT_EQ(items.size(), 1U) << boost::json::serialize(items);
    const auto p = ProductAs(nullptr, id);
    EXPECT_EQ(Str(p, "title"), "精河枸杞 原味");
    EXPECT_EQ(Bool(p, "on_sale"), std::optional<bool>(true));
    EXPECT_TRUE(ShopProducts(&attacker, attacker_shop).empty());
}

TEST_P(CatalogTest, OffSaleProductIsHiddenFromThePublicButVisibleToMembers) {
    const auto owner = NewBuyer("offsale");
    const auto staff = NewBuyer("offstaff");
    const auto stranger = NewBuyer("offstranger");
    const std::string shop = VerifiedShop(owner);
    ASSERT_EQ(AddStaff(owner, shop, staff.login).status, 204);
    const std::string id = NewProduct(owner, shop, "黑枸杞 礼盒");
    const std::string other = NewProduct(owner, shop, "红枣");

    const auto off = SetOnSale(owner, shop, {id}, false);
    ASSERT_EQ(off.status, 200) << Describe(off);
    EXPECT_EQ(Int(JsonObject(off), "changed"), 1) << off.body;
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/" + id), 404));
    EXPECT_TRUE(IsProblem(GetAs(stranger, "/api/v1/products/" + id), 404));
    const auto seen = ProductAs(&owner, id);
    EXPECT_EQ(Bool(seen, "on_sale"), std::optional<bool>(false)) << boost::json::serialize(seen);
    EXPECT_EQ(Str(ProductAs(&staff, id), "id"), id);
    // Lists: the public sees only what is on sale, members everything.
    const auto pub = ShopProducts(nullptr, shop);
    EXPECT_FALSE(HasId(pub, id));
    EXPECT_TRUE(HasId(pub, other));
    EXPECT_TRUE(HasId(ShopProducts(&owner, shop), id));
    EXPECT_FALSE(HasId(ShopProducts(&stranger, shop), id));

    const auto on = SetOnSale(staff, shop, {id}, true);
    ASSERT_EQ(on.status, 200) << Describe(on);
    EXPECT_EQ(Int(JsonObject(on), "changed"), 1);
    EXPECT_EQ(Anonymous("/api/v1/products/" + id).status, 200);
}

TEST_P(CatalogTest, PatchChangesTheProductButNotItsSkus) {
    const auto owner = NewBuyer("patch");
    const std::string shop = VerifiedShop(owner);
    const auto created = CreateProduct(owner, shop, ProductBody("精河枸杞", 5980, 7));
    const std::string id = Str(created, "id");
    boost::json::object edit{{"title", "精河黑枸杞 礼盒"},
                             {"description", "新描述\n第二行"},
                             {"category_id", kCatBlackWolfberry},
                             {"origin_region_code", kToliTown}};
    const auto r = As(owner, "PATCH", "/api/v1/products/" + id, edit);
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto p = ProductAs(nullptr, id);
    EXPECT_EQ(Str(p, "title"), "精河黑枸杞 礼盒");
    EXPECT_EQ(Str(p, "description"), "新描述\n第二行");
    EXPECT_EQ(Str(p, "category_id"), kCatBlackWolfberry);
    EXPECT_EQ(Str(p, "origin_region_code"), kToliTown);
    ASSERT_EQ(Arr(p, "skus").size(), 1U);
    EXPECT_EQ(FirstSkuId(p), FirstSkuId(created));
    EXPECT_EQ(Int(p, "min_price_fen"), 5980);
    EXPECT_EQ(Int(p, "stock"), 7);

    // Bad edits change nothing.
    std::string title61;
    for (int i = 0; i < 61; ++i) title61 += "杞";
    boost::json::object bad = edit;
    bad["title"] = title61;
    EXPECT_TRUE(IsProblem(As(owner, "PATCH", "/api/v1/products/" + id, bad), 400, "title"));
    bad = edit;
    bad["category_id"] = 4242;
    EXPECT_TRUE(IsProblem(As(owner, "PATCH", "/api/v1/products/" + id, bad), 400, "category_id"));
    bad = edit;
    bad["origin_region_code"] = "659999";
    EXPECT_TRUE(IsProblem(As(owner, "PATCH", "/api/v1/products/" + id, bad), 400, "origin_region_code"));
    EXPECT_TRUE(IsProblem(As(owner, "PATCH", "/api/v1/products/987654321", edit), 404));
    EXPECT_EQ(Str(ProductAs(nullptr, id), "title"), "精河黑枸杞 礼盒");
    EXPECT_EQ(Str(ProductAs(nullptr, id), "category_id"), kCatBlackWolfberry);
}

TEST_P(CatalogTest, BulkOnSaleChangesOnlyTheShopsOwnProducts) {
    const auto owner = NewBuyer("bulk");
    const auto neighbour = NewBuyer("bulknb");
    const std::string shop = VerifiedShop(owner);
    const std::string their_shop = VerifiedShop(neighbour);
    const std::string a1 = NewProduct(owner, shop, "枸杞 一号");
    const std::string a2 = NewProduct(owner, shop, "枸杞 二号");
    const std::string b1 = NewProduct(neighbour, their_shop, "邻居的枸杞");

    const auto r = SetOnSale(owner, shop, {a1, a2, b1}, false);
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Int(JsonObject(r), "changed"), 2) << r.body;
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/" + a1), 404));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/" + a2), 404));
    EXPECT_EQ(Anonymous("/api/v1/products/" + b1).status, 200) << "another shop's product was taken off sale";

    // More than 100 ids, none, a malformed id, no on_sale: 400 and no change.
    std::vector<std::string> many(101, a1);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = std::to_string(900000 + i);
    many[0] = a1;
    EXPECT_TRUE(IsProblem(SetOnSale(owner, shop, many, true), 400, "product_ids"));
    EXPECT_TRUE(IsProblem(SetOnSale(owner, shop, {}, true), 400, "product_ids"));
    EXPECT_TRUE(IsProblem(SetOnSale(owner, shop, {"not-an-id", a1}, true), 400, "product_ids"));
    EXPECT_TRUE(IsProblem(As(owner, "POST", "/api/v1/shops/" + shop + "/products/on-sale",
                             boost::json::object{{"product_ids", boost::json::array{a1}}}),
                          400, "on_sale"));
    EXPECT_TRUE(IsProblem(As(owner, "POST", "/api/v1/shops/" + shop + "/products/on-sale",
                             boost::json::object{{"product_ids", boost::json::array{a1}}, {"on_sale", "yes"}}),
                          400, "on_sale"));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/products/" + a1), 404)) << "a refused bulk change went through";

    // Exactly 100 is allowed.
    std::vector<std::string> hundred(100);
    for (std::size_t i = 0; i < hundred.size(); ++i) hundred[i] = std::to_string(800000 + i);
    hundred[0] = a1;
    hundred[1] = a2;
    const auto back = SetOnSale(owner, shop, hundred, true);
    ASSERT_EQ(back.status, 200) << Describe(back);
    EXPECT_EQ(Int(JsonObject(back), "changed"), 2) << back.body;
    EXPECT_EQ(Anonymous("/api/v1/products/" + a1).status, 200);
}

TEST_P(CatalogTest, SkusAreAddedChangedAndRetiredByTheShopOnly) {
    const auto owner = NewBuyer("skus");
    const auto other = NewBuyer("skusother");
    const std::string shop = VerifiedShop(owner);
    VerifiedShop(other);
    const auto product = CreateProduct(owner, shop, ProductBody("精河枸杞 规格", 5980, 10));
    const std::string id = Str(product, "id");
    const std::string first = FirstSkuId(product);
    const auto add = [&](const Session& s, boost::json::object body) {
        return As(s, "POST", "/api/v1/products/" + id + "/skus", std::move(body));
    };
    const auto patch = [&](const Session& s, const std::string& sku, boost::json::object body) {
        return As(s, "PATCH", "/api/v1/skus/" + sku, std::move(body));
    };
    const auto retire = [&](const Session& s, const std::string& sku) {
        return As(s, "DELETE", "/api/v1/skus/" + sku, nullptr);
    };
    const auto skus = [&] { return Arr(ProductAs(nullptr, id), "skus"); };

    // Add a cheaper bag: the product's list price follows.
    const auto added = add(owner, {{"spec", "250 g 袋装"}, {"price_fen", 3200}, {"stock", 7}, {"weight_g", 270}});
    ASSERT_EQ(added.status, 201) << Describe(added);
    const std::string second = Str(JsonObject(added), "id");
    ASSERT_EQ(skus().size(), 2U);
    EXPECT_EQ(Str(skus()[1].as_object(), "id"), second);
    EXPECT_EQ(Int(ProductAs(nullptr, id), "min_price_fen"), 3200);

    // Change its price and spec; stock is not changed here.
    const auto changed = patch(owner, second, {{"price_fen", 6600}, {"spec", "250 g 礼袋"}});
    ASSERT_EQ(changed.status, 200) << Describe(changed);
    EXPECT_EQ(Int(JsonObject(changed), "price_fen"), 6600);
    EXPECT_EQ(Str(JsonObject(changed), "spec"), "250 g 礼袋");
    EXPECT_EQ(Int(JsonObject(changed), "stock"), 7);
    EXPECT_EQ(Int(JsonObject(changed), "weight_g"), 270);
    EXPECT_EQ(Int(ProductAs(nullptr, id), "min_price_fen"), 5980);

    // Bad input and other people's SKUs change nothing.
    EXPECT_TRUE(IsProblem(patch(owner, second, {{"price_fen", 0}}), 400, "price_fen"));
    EXPECT_TRUE(IsProblem(patch(owner, second, {{"price_fen", -1}}), 400, "price_fen"));
    EXPECT_TRUE(IsProblem(patch(owner, second, {{"price_fen", 12.5}}), 400, "price_fen"));
    EXPECT_TRUE(IsProblem(patch(owner, second, {{"spec", ""}}), 400, "spec"));
    EXPECT_TRUE(IsProblem(patch(owner, second, {{"weight_g", 0}}), 400, "weight_g"));
    EXPECT_TRUE(IsProblem(patch(owner, second, {{"stock", 1}}), 400, "stock"));
    EXPECT_TRUE(IsProblem(patch(other, second, {{"price_fen", 1}}), 404));
    EXPECT_TRUE(IsProblem(patch(owner, "987654321", {{"price_fen", 1}}), 404));
    EXPECT_TRUE(
        IsProblem(add(owner, {{"spec", "x"}, {"price_fen", 0}, {"stock", 1}, {"weight_g", 1}}), 400, "price_fen"));
    EXPECT_TRUE(
        IsProblem(add(owner, {{"spec", "x"}, {"price_fen", 100}, {"stock", -1}, {"weight_g", 1}}), 400, "stock"));
    EXPECT_TRUE(IsProblem(add(other, {{"spec", "x"}, {"price_fen", 100}, {"stock", 1}, {"weight_g", 1}}), 404));
    EXPECT_TRUE(IsProblem(retire(other, second), 404));
    EXPECT_EQ(skus().size(), 2U);
    EXPECT_EQ(Int(skus()[1].as_object(), "price_fen"), 6600);

    // Retire the first: it leaves the page and its stock can no longer be set.
    const auto gone = retire(owner, first);
    ASSERT_EQ(gone.status, 204) << Describe(gone);
    ASSERT_EQ(skus().size(), 1U);
    EXPECT_EQ(Str(skus()[0].as_object(), "id"), second);
    EXPECT_EQ(Int(ProductAs(nullptr, id), "min_price_fen"), 6600);
    EXPECT_EQ(Int(ProductAs(nullptr, id), "stock"), 7);
    EXPECT_TRUE(IsProblem(SetStock(owner, first, 5), 404));
    EXPECT_TRUE(IsProblem(retire(owner, first), 404));
    // The last one stays.
    EXPECT_TRUE(IsProblem(retire(owner, second), 422, "last_sku"));
    EXPECT_EQ(skus().size(), 1U);
}

TEST_P(CatalogTest, AProductHasAtMostFiftySkusOnOffer) {
    const auto owner = NewBuyer("fifty");
    const std::string shop = VerifiedShop(owner);
    boost::json::object body = ProductBody("精河枸杞 五十规格");
    auto& list = body["skus"].as_array();
    while (list.size() < 50) list.push_back(list[0]);
    const auto product = CreateProduct(owner, shop, body);
    const std::string id = Str(product, "id");
    const boost::json::object sku{{"spec", "再来一个"}, {"price_fen", 100}, {"stock", 1}, {"weight_g", 1}};
    EXPECT_TRUE(IsProblem(As(owner, "POST", "/api/v1/products/" + id + "/skus", sku), 422, "too_many_skus"));
    const auto r = As(owner, "DELETE", "/api/v1/skus/" + FirstSkuId(product), nullptr);
    ASSERT_EQ(r.status, 204) << Describe(r);
    const auto again = As(owner, "POST", "/api/v1/products/" + id + "/skus", sku);
    EXPECT_EQ(again.status, 201) << Describe(again);
    EXPECT_EQ(Arr(ProductAs(nullptr, id), "skus").size(), 50U);
}

TEST_P(CatalogTest, StockIsSetByTheShopOnly) {
    const auto owner = NewBuyer("stock");
    const auto other = NewBuyer("stockother");
    const std::string shop = VerifiedShop(owner);
    VerifiedShop(other);  // the other user is a seller too, of another shop
    const auto product = CreateProduct(owner, shop, ProductBody("精河枸杞 库存", 5980, 10));
    const std::string id = Str(product, "id");
    const std::string sku = FirstSkuId(product);
    ASSERT_FALSE(sku.empty());

    const auto r = SetStock(owner, sku, 42);
    ASSERT_EQ(r.status, 200) << Describe(r);
    EXPECT_EQ(Int(JsonObject(r), "stock"), 42);
    EXPECT_EQ(Str(JsonObject(r), "id"), sku);
    EXPECT_EQ(FirstSkuStock(owner, id), 42);
    EXPECT_EQ(Int(ProductAs(nullptr, id), "stock"), 42);

    EXPECT_TRUE(IsProblem(SetStock(owner, sku, -1), 400, "stock"));
    EXPECT_TRUE(IsProblem(SetStock(owner, sku, 2.5), 400, "stock"));
    EXPECT_TRUE(IsProblem(SetStock(owner, sku, "7"), 400, "stock"));
    EXPECT_TRUE(IsProblem(SetStock(other, sku, 0), 404)) << "another shop's SKU";
    EXPECT_TRUE(IsProblem(SetStock(owner, "987654321", 5), 404));
    EXPECT_TRUE(IsProblem(SetStock(owner, "sku-1", 5), 404));
    RequestOptions anon;
    EXPECT_TRUE(IsProblem(Request(port(), "PUT", "/api/v1/skus/" + sku + "/stock", R"({"stock":1})", anon), 401));
    EXPECT_EQ(FirstSkuStock(owner, id), 42) << "a refused stock change went through";

    const auto zero = SetStock(owner, sku, 0);
    ASSERT_EQ(zero.status, 200) << Describe(zero);
    EXPECT_EQ(FirstSkuStock(owner, id), 0);
}

// --- Batches -------------------------------------------------------------

TEST_P(CatalogTest, BatchGetsACodeWithAPublicTraceOnceTheShopIsVerified) {
    const auto owner = NewBuyer("batch");
    const std::string shop = ApplyShop(owner);
    const std::string product = NewProduct(owner, shop, "精河枸杞 可追溯");
    const auto r = NewBatch(owner, product, "2026-09-15");
    ASSERT_EQ(r.status, 201) << Describe(r);
    const auto b = JsonObject(r);
    const std::string code = Str(b, "code");
    ASSERT_FALSE(code.empty()) << r.body;
    EXPECT_LE(code.size(), 16U);
    EXPECT_EQ(Str(b, "trace_url"), "/t/" + code);
    EXPECT_EQ(Str(b, "harvested_on"), "2026-09-15");
    EXPECT_EQ(Str(b, "origin_region_code"), kToliVillage);
    EXPECT_EQ(Str(b, "certification"), "绿色食品");

    // Pending shop: no public trace yet.
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/batches/" + code), 404));
    ASSERT_EQ(Verify(Officer(kJinghe), shop).status, 200);

    const auto trace = Anonymous("/api/v1/batches/" + code);
    ASSERT_EQ(trace.status, 200) << Describe(trace);
    const auto t = JsonObject(trace);
    EXPECT_EQ(Str(t, "code"), code);
    EXPECT_EQ(Str(t, "harvested_on"), "2026-09-15");
    EXPECT_EQ(Str(Obj(t, "product"), "id"), product);
    EXPECT_EQ(Str(Obj(t, "product"), "title"), "精河枸杞 可追溯");
    EXPECT_EQ(Str(Obj(t, "shop"), "id"), shop);

    // Typed by hand: lower case works.
    std::string lower = code;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto typed = Anonymous("/api/v1/batches/" + lower);
    ASSERT_EQ(typed.status, 200) << Describe(typed);
    EXPECT_EQ(Str(JsonObject(typed), "code"), code);

    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/batches/ZZZZZZZZ"), 404));
    EXPECT_TRUE(IsProblem(Anonymous("/api/v1/batches/" + std::string(40, 'A')), 404));

    // Two batches, two codes.
    const auto second = NewBatch(owner, product, "2026-08-01");
    ASSERT_EQ(second.status, 201) << Describe(second);
    EXPECT_NE(Str(JsonObject(second), "code"), code);
}

TEST_P(CatalogTest, BadBatchesAre400AndMakeNoTrace) {
    const auto owner = NewBuyer("badbatch");
    const std::string shop = VerifiedShop(owner);
    const std::string product = NewProduct(owner, shop, "精河枸杞 批次");
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2999-01-01"), 400, "harvested_on"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, ShanghaiDate(1)), 400, "harvested_on")) << "tomorrow";
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2026-02-30"), 400, "harvested_on"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2026-13-01"), 400, "harvested_on"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2026/09/15"), 400, "harvested_on"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "15.09.2026"), 400, "harvested_on"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, ""), 400, "harvested_on"));
    // The origin is a township or village, and a real one.
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2026-09-15", kJinghe), 400, "origin_region_code"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2026-09-15", kUnknownTownship), 400, "origin_region_code"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, product, "2026-09-15", "abc"), 400, "origin_region_code"));
    EXPECT_TRUE(IsProblem(NewBatch(owner, "987654321", "2026-09-15"), 404));

    // Today (Asia/Shanghai) is fine, as is a township.
    const auto today = NewBatch(owner, product, ShanghaiDate(0), kToliTown);
    ASSERT_EQ(today.status, 201) << Describe(today);
    EXPECT_EQ(Str(JsonObject(today), "origin_region_code"), kToliTown);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
