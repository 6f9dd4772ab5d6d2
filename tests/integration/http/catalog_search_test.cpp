// Product search over HTTP: Chinese substrings, full pinyin and initials,
// Uyghur and English words, filters, sorts, facets and cursor pages that stay
// stable while products are added. Every backend gets a server and database
// of its own with a known catalog, so result sets can be asserted exactly;
// the same expectations on SQLite and PostgreSQL mean the same results.

#include <chrono>
#include <functional>
#include <set>
#include <thread>

#include "integration/http/catalog_fixture.hpp"

namespace goji::testing::http {
namespace {

// The titles of the seeded catalog.
constexpr const char* kGoji = "精河枸杞 特级 500g";   // farmer shop A, 111, 59.80
constexpr const char* kBlackGoji = "黑枸杞 礼盒";     // cooperative shop B, 112, 128.00
constexpr const char* kJujubeTitle = "红枣";          // shop A, 12, 25.00
constexpr const char* kHoneyTitle = "Honey 蜂蜜";     // shop B, 3, 68.00
constexpr const char* kUyghurGoji = "قارا گوجى";      // shop A, 112, 99.00
constexpr const char* kOffSale = "枸杞 已下架";       // shop A, 111, off sale
constexpr const char* kPendingShops = "枸杞 待审核";  // shop C (never verified), 111

// Handicrafts (category 7) priced from 7777.00 yuan: the paging tests add
// more of them, and no other query's filters reach them.
constexpr std::int64_t kHandicraftPrice = 777700;

std::string PercentEncode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

// A facet key as text (a string, or a number for ids).
std::string KeyOf(const boost::json::object& facet) {
    const auto* v = facet.if_contains("key");
    if (v == nullptr) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    return boost::json::serialize(*v);
}

std::string Repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// A server and database per backend with the seeded catalog.
struct SearchWorld {
    Database db;
    std::unique_ptr<GojiProcess> server;
    Session admin;
    Session owner_a;  // farmer, village in 托里镇
    Session owner_b;  // cooperative, 精河镇
    std::string shop_a;
    std::string shop_b;
    std::string shop_c;                      // pending
    std::map<std::string, std::string> ids;  // title → product id
    int handicrafts = 0;
    // Results of the table of queries, for the comparison across backends.
    std::map<std::string, std::vector<std::string>> table;

    std::uint16_t port() const { return server->port(); }
};

std::map<std::string, std::unique_ptr<SearchWorld>>& Worlds() {
    static std::map<std::string, std::unique_ptr<SearchWorld>> worlds;
    return worlds;
}

class SearchWorldsEnvironment : public ::testing::Environment {
public:
    void TearDown() override {
        for (auto& [name, world] : Worlds()) {
            if (world->server) {
                EXPECT_EQ(world->server->Stop(SIGTERM), 0) << "search " << name << " server did not exit cleanly";
            }
            world->server.reset();
        }
        Worlds().clear();
    }
};

[[maybe_unused]] ::testing::Environment* const kSearchWorldsEnvironment =
    ::testing::AddGlobalTestEnvironment(new SearchWorldsEnvironment);

class CatalogSearchTest : public HttpTest {
protected:
    SearchWorld& World() {
        auto& slot = Worlds()[GetParam()];
        if (!slot) {
            slot = std::make_unique<SearchWorld>();
            Seed(*slot);
        }
        return *slot;
    }

    HttpResponse Search(const std::string& query) {
        return Send(World().port(), "GET", "/api/v1/products" + (query.empty() ? "" : "?" + query), nullptr);
    }

    // The items of one search (which must succeed).
    boost::json::array Items(const std::string& query) {
        const auto r = Search(query);
        EXPECT_EQ(r.status, 200) << query << ": " << Describe(r) << ServerLogOn500(r);
        return Arr(JsonObject(r), "items");
    }

    // The end of the server's log when a reply is a 500 (internal details are only logged).
    std::string ServerLogOn500(const HttpResponse& r) {
        if (r.status != 500) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the log reader runs on its own thread
        const std::string out = World().server->Output();
        const std::string id = r.Header("X-Request-Id");
        std::string lines;
        for (std::size_t at = 0; at < out.size();) {
            const std::size_t end = std::min(out.find('\n', at), out.size());
            const std::string_view line(out.data() + at, end - at);
            if (!id.empty() && Contains(line, id)) lines += "\n  " + std::string(line);
            at = end + 1;
        }
        return "\nserver log for " + id + ":" + lines;
    }

    static std::vector<std::string> Titles(const boost::json::array& items) {
        std::vector<std::string> out;
        for (const auto& v : items) {
            if (v.is_object()) out.push_back(Str(v.as_object(), "title"));
        }
        return out;
    }
    std::vector<std::string> TitlesOf(const std::string& query) { return Titles(Items(query)); }
    std::multiset<std::string> TitleSet(const std::string& query) {
        const auto t = TitlesOf(query);
        return {t.begin(), t.end()};
    }

    // Every id of a query, one page of `limit` at a time; `between` runs after the first page.
    std::vector<std::string> PageThrough(const std::string& query, int limit, const std::function<void()>& between) {
        std::vector<std::string> ids;
        std::string cursor;
        for (int page = 0; page < 200; ++page) {
            std::string q = query + "&limit=" + std::to_string(limit);
            if (!cursor.empty()) q += "&cursor=" + PercentEncode(cursor);
            const auto r = Search(q);
            EXPECT_EQ(r.status, 200) << q << ": " << Describe(r);
            if (r.status != 200) break;
            const auto o = JsonObject(r);
            const auto items = Arr(o, "items");
            EXPECT_LE(items.size(), static_cast<std::size_t>(limit)) << r.body;
            for (const auto& id : Ids(items)) ids.push_back(id);
            if (page == 0 && between) between();
            const auto* next = o.if_contains("next_cursor");
            EXPECT_TRUE(next != nullptr) << "no next_cursor member: " << r.body;
            if (next == nullptr || next->is_null()) break;
            EXPECT_TRUE(next->is_string()) << r.body;
            if (!next->is_string()) break;
            cursor = std::string(next->get_string());
            EXPECT_FALSE(items.empty()) << "an empty page with a next cursor: " << r.body;
        }
        return ids;
    }

    std::string AddHandicraft(SearchWorld& w) {
        const int n = ++w.handicrafts;
        const std::string title = "Handmade felt rug " + std::to_string(n);
        boost::json::object body = ProductBody(title, kHandicraftPrice + 100 * ((n * 7) % 13), 5, kCatHandicrafts);
        body["description"] = "";
        const auto r = SendJson(w.port(), "POST", "/api/v1/shops/" + w.shop_a + "/products", &w.owner_a, body);
        EXPECT_EQ(r.status, 201) << Describe(r);
        const std::string id = Str(JsonObject(r), "id");
        w.ids[title] = id;
        return id;
    }

private:
    void Seed(SearchWorld& w) {
        w.db = NewDatabase(GetParam());
        w.server = std::make_unique<GojiProcess>(ServeArgs(w.db.uri, {"--rate-limit-rps", "0"}));
        const auto port = w.port();
        w.admin = LoginOn(port, AddUserWithRole(w.db.uri, "admin", ""), kRolePassword);
        w.owner_a = NewBuyerOn(port, "searcha");
        w.owner_b = NewBuyerOn(port, "searchb");
        const auto owner_c = NewBuyerOn(port, "searchc");
        const auto apply = [&](const Session& owner, const char* name, const char* kind, const char* region) {
            const auto r = SendJson(port, "POST", "/api/v1/shops", &owner,
                                    boost::json::object{{"name", name}, {"kind", kind}, {"region_code", region}});
            EXPECT_EQ(r.status, 201) << Describe(r);
            return Str(JsonObject(r), "id");
        };
        w.shop_a = apply(w.owner_a, "托里镇农户", "farmer", kToliVillage);
        w.shop_b = apply(w.owner_b, "精河镇合作社", "cooperative", kJingheTown);
        w.shop_c = apply(owner_c, "待审核的公司", "company", kToliTown);
        for (const auto& shop : {w.shop_a, w.shop_b}) {
            const auto r = SendJson(port, "POST", "/api/v1/shops/" + shop + "/verify", &w.admin, boost::json::object{});
            EXPECT_EQ(r.status, 200) << Describe(r);
        }
        const auto add = [&](const Session& owner, const std::string& shop, const char* title, std::int64_t price,
                             const char* category) {
            boost::json::object body = ProductBody(title, price, 100, category);
            body["description"] = "";
            const auto r = SendJson(port, "POST", "/api/v1/shops/" + shop + "/products", &owner, body);
            EXPECT_EQ(r.status, 201) << title << ": " << Describe(r);
            w.ids[title] = Str(JsonObject(r), "id");
        };
        add(w.owner_a, w.shop_a, kGoji, 5980, kCatRedWolfberry);
        add(w.owner_b, w.shop_b, kBlackGoji, 12800, kCatBlackWolfberry);
        add(w.owner_a, w.shop_a, kJujubeTitle, 2500, kCatJujube);
        add(w.owner_b, w.shop_b, kHoneyTitle, 6800, kCatHoney);
        add(w.owner_a, w.shop_a, kUyghurGoji, 9900, kCatBlackWolfberry);
        add(w.owner_a, w.shop_a, kOffSale, 3000, kCatRedWolfberry);
        add(owner_c, w.shop_c, kPendingShops, 3100, kCatRedWolfberry);
        const auto off =
            SendJson(port, "POST", "/api/v1/shops/" + w.shop_a + "/products/on-sale", &w.owner_a,
                     boost::json::object{{"product_ids", boost::json::array{w.ids[kOffSale]}}, {"on_sale", false}});
        EXPECT_EQ(off.status, 200) << Describe(off);
        for (int i = 0; i < 3; ++i) AddHandicraft(w);
    }
};

using TitleList = std::vector<std::string>;
using TitleBag = std::multiset<std::string>;

const TitleList kAllGoji = {kGoji, kUyghurGoji, kBlackGoji};  // by price

bool HasTitle(const TitleList& titles, std::string_view t) {
    return std::find(titles.begin(), titles.end(), t) != titles.end();
}

TEST_P(CatalogSearchTest, ChineseSubstringFindsTheGojiProductsOnly) {
    const auto titles = TitlesOf("q=" + PercentEncode("枸杞"));
    EXPECT_TRUE(HasTitle(titles, kGoji)) << ::testing::PrintToString(titles);
    EXPECT_TRUE(HasTitle(titles, kBlackGoji)) << ::testing::PrintToString(titles);
    EXPECT_FALSE(HasTitle(titles, kJujubeTitle)) << ::testing::PrintToString(titles);
    EXPECT_FALSE(HasTitle(titles, kHoneyTitle)) << ::testing::PrintToString(titles);
    // Only on-sale products of verified shops.
    EXPECT_FALSE(HasTitle(titles, kOffSale)) << "an off-sale product was found";
    EXPECT_FALSE(HasTitle(titles, kPendingShops)) << "a product of an unverified shop was found";
    // One character inside a word, and the whole title.
    EXPECT_TRUE(HasTitle(TitlesOf("q=" + PercentEncode("枣")), kJujubeTitle));
    EXPECT_TRUE(HasTitle(TitlesOf("q=" + PercentEncode("精河枸杞")), kGoji));
    EXPECT_FALSE(HasTitle(TitlesOf("q=" + PercentEncode("精河枸杞")), kBlackGoji));
    EXPECT_TRUE(TitlesOf("q=" + PercentEncode("已下架")).empty());
    EXPECT_TRUE(TitlesOf("q=" + PercentEncode("待审核")).empty());
}

TEST_P(CatalogSearchTest, PinyinFullAndInitialsFindTheGojiProducts) {
    for (const char* q : {"gouqi", "gq", "GouQi", "gou"}) {
        const auto titles = TitlesOf(std::string("q=") + q);
        EXPECT_TRUE(HasTitle(titles, kGoji)) << q << ": " << ::testing::PrintToString(titles);
        EXPECT_TRUE(HasTitle(titles, kBlackGoji)) << q << ": " << ::testing::PrintToString(titles);
        EXPECT_FALSE(HasTitle(titles, kJujubeTitle)) << q << ": " << ::testing::PrintToString(titles);
        EXPECT_FALSE(HasTitle(titles, kHoneyTitle)) << q << ": " << ::testing::PrintToString(titles);
        EXPECT_FALSE(HasTitle(titles, kOffSale)) << q;
    }
    EXPECT_EQ(TitlesOf("q=hz"), TitleList{kJujubeTitle});
    EXPECT_EQ(TitlesOf("q=hongzao"), TitleList{kJujubeTitle});
    EXPECT_TRUE(HasTitle(TitlesOf("q=jinghe"), kGoji));
    EXPECT_TRUE(HasTitle(TitlesOf("q=jhgq"), kGoji));
}

TEST_P(CatalogSearchTest, EnglishAndUyghurWordsAreFound) {
    EXPECT_EQ(TitlesOf("q=honey"), TitleList{kHoneyTitle});
    EXPECT_EQ(TitlesOf("q=HONEY"), TitleList{kHoneyTitle});
    EXPECT_EQ(TitlesOf("q=" + PercentEncode("蜂蜜")), TitleList{kHoneyTitle});
    const auto uyghur = TitlesOf("q=" + PercentEncode("گوجى"));
    EXPECT_TRUE(HasTitle(uyghur, kUyghurGoji)) << ::testing::PrintToString(uyghur);
    EXPECT_FALSE(HasTitle(uyghur, kJujubeTitle)) << ::testing::PrintToString(uyghur);
    EXPECT_FALSE(HasTitle(uyghur, kHoneyTitle)) << ::testing::PrintToString(uyghur);
    EXPECT_TRUE(HasTitle(TitlesOf("q=" + PercentEncode("قارا گوجى")), kUyghurGoji));
    EXPECT_TRUE(TitlesOf("q=xyzzyplugh").empty());
}

TEST_P(CatalogSearchTest, CategoryIncludesItsChildren) {
    EXPECT_EQ(TitleSet("category=11"), (TitleBag{kGoji, kBlackGoji, kUyghurGoji}));
    EXPECT_EQ(TitleSet("category=112"), (TitleBag{kBlackGoji, kUyghurGoji}));
    EXPECT_EQ(TitleSet("category=111"), (TitleBag{kGoji}));
    EXPECT_EQ(TitleSet("category=12"), (TitleBag{kJujubeTitle}));
    EXPECT_EQ(TitleSet("category=3"), (TitleBag{kHoneyTitle}));
    EXPECT_EQ(TitleSet("q=" + PercentEncode("枸杞") + "&category=111"), (TitleBag{kGoji}));
    EXPECT_TRUE(TitlesOf("category=85").empty());
}

TEST_P(CatalogSearchTest, PriceShopKindAndRegionFilter) {
    EXPECT_EQ(TitleSet("min_price_fen=5000&max_price_fen=10000"), (TitleBag{kGoji, kHoneyTitle, kUyghurGoji}));
    EXPECT_EQ(TitleSet("min_price_fen=5980&max_price_fen=5980"), (TitleBag{kGoji})) << "bounds are inclusive";
    EXPECT_EQ(TitleSet("max_price_fen=2500"), (TitleBag{kJujubeTitle}));
    EXPECT_EQ(TitleSet("q=" + PercentEncode("枸杞") + "&min_price_fen=10000&max_price_fen=20000"),
              (TitleBag{kBlackGoji}));
    EXPECT_EQ(TitleSet("shop_kind=cooperative"), (TitleBag{kBlackGoji, kHoneyTitle}));
    EXPECT_EQ(TitleSet("shop_kind=farmer&max_price_fen=100000"), (TitleBag{kGoji, kJujubeTitle, kUyghurGoji}));
    EXPECT_EQ(TitleSet(std::string("region=") + kJingheTown), (TitleBag{kBlackGoji, kHoneyTitle}));
    EXPECT_EQ(TitleSet(std::string("region=") + kToliTown + "&max_price_fen=100000"),
              (TitleBag{kGoji, kJujubeTitle, kUyghurGoji}));
    EXPECT_TRUE(TitlesOf(std::string("region=") + kBoleTown).empty());
}

TEST_P(CatalogSearchTest, SortsByPriceAndNewness) {
    const auto asc = Items("category=11&sort=price_asc");
    EXPECT_EQ(Titles(asc), kAllGoji);
    std::int64_t last = 0;
    for (const auto& v : asc) {
        const std::int64_t price = Int(v.as_object(), "min_price_fen");
        EXPECT_GE(price, last) << boost::json::serialize(asc);
        last = price;
    }
    EXPECT_EQ(TitlesOf("category=11&sort=price_desc"), (TitleList{kBlackGoji, kUyghurGoji, kGoji}));
    // Created in the order 精河枸杞, 黑枸杞, …, قارا گوجى.
    EXPECT_EQ(TitlesOf("category=11&sort=new"), (TitleList{kUyghurGoji, kBlackGoji, kGoji}));
    EXPECT_EQ(TitleSet("category=11&sort=sales"), (TitleBag{kGoji, kBlackGoji, kUyghurGoji}));
    EXPECT_EQ(TitleSet("q=gq&sort=relevance"), TitleSet("q=gq&sort=price_asc"));
    EXPECT_EQ(TitlesOf("max_price_fen=100000&sort=price_asc"),
              (TitleList{kJujubeTitle, kGoji, kHoneyTitle, kUyghurGoji, kBlackGoji}));
}

TEST_P(CatalogSearchTest, ItemsCarryTheListFields) {
    auto& w = World();
    const auto items = Items("category=111");
    ASSERT_EQ(items.size(), 1U) << boost::json::serialize(items);
    const auto& item = items[0].as_object();
    EXPECT_EQ(Str(item, "id"), w.ids[kGoji]);
    EXPECT_EQ(Str(item, "title"), kGoji);
    EXPECT_EQ(Int(item, "min_price_fen"), 5980);
    EXPECT_EQ(Int(item, "stock"), 100);
    EXPECT_EQ(Int(item, "sales"), 0);
    EXPECT_EQ(Str(item, "category_id"), kCatRedWolfberry);
    EXPECT_EQ(Str(item, "shop_id"), w.shop_a);
    EXPECT_EQ(Str(item, "shop_name"), "托里镇农户");
    EXPECT_EQ(Str(item, "shop_kind"), "farmer");
    EXPECT_TRUE(StartsWith(Str(item, "region_code"), kToliTown)) << boost::json::serialize(item);
    EXPECT_TRUE(item.contains("thumb_url")) << boost::json::serialize(item);
}

TEST_P(CatalogSearchTest, FacetCountsAddUpToTheResults) {
    for (const std::string& query : {"q=" + PercentEncode("枸杞"), std::string("max_price_fen=100000"),
                                     std::string("category=11"), std::string("q=honey")}) {
        const auto r = Search(query + "&limit=100");
        ASSERT_EQ(r.status, 200) << Describe(r);
        const auto o = JsonObject(r);
        const auto items = Arr(o, "items");
        const auto facets = Obj(o, "facets");
        ASSERT_FALSE(facets.empty()) << query << ": no facets in " << r.body;
        // What the items themselves say.
        std::map<std::string, std::int64_t> by_category;
        std::map<std::string, std::int64_t> by_kind;
        std::map<std::string, std::int64_t> by_township;
        for (const auto& v : items) {
            const auto& it = v.as_object();
            ++by_category[Str(it, "category_id")];
            ++by_kind[Str(it, "shop_kind")];
            ++by_township[Str(it, "region_code").substr(0, 9)];
        }
        const auto counts = [&](std::string_view group) {
            std::map<std::string, std::int64_t> out;
            std::int64_t sum = 0;
            for (const auto& f : Arr(facets, group)) {
                const auto& fo = f.as_object();
                const std::int64_t n = Int(fo, "count");
                EXPECT_GT(n, 0) << query << " facet " << group << ": " << boost::json::serialize(fo);
                out[KeyOf(fo)] += n;
                sum += n;
            }
            EXPECT_EQ(sum, static_cast<std::int64_t>(items.size()))
                << query << " facet " << group << " does not add up: " << r.body;
            return out;
        };
        EXPECT_EQ(counts("category"), by_category) << query;
        EXPECT_EQ(counts("shop_kind"), by_kind) << query;
        EXPECT_EQ(counts("township"), by_township) << query;
        counts("price_band");
        for (const auto& f : Arr(facets, "category")) {
            EXPECT_FALSE(Str(Obj(f.as_object(), "names"), "zh-CN").empty()) << boost::json::serialize(f);
        }
        for (const auto& f : Arr(facets, "price_band")) {
            EXPECT_TRUE(f.as_object().contains("min_fen")) << boost::json::serialize(f);
            EXPECT_TRUE(f.as_object().contains("max_fen")) << boost::json::serialize(f);
        }
    }
    // Township facets name the township.
    const auto o = JsonObject(Search("q=" + PercentEncode("枸杞")));
    std::map<std::string, std::string> names;
    for (const auto& f : Arr(Obj(o, "facets"), "township")) {
        names[KeyOf(f.as_object())] = Str(f.as_object(), "name");
    }
    EXPECT_EQ(names[kToliTown], "托里镇") << boost::json::serialize(o);
    EXPECT_EQ(names[kJingheTown], "精河镇") << boost::json::serialize(o);
}

TEST_P(CatalogSearchTest, FacetsCountTheWholeResultNotThePage) {
    const auto r = Search("category=11&limit=1");
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    EXPECT_EQ(Arr(o, "items").size(), 1U);
    for (const char* group : {"category", "township", "price_band", "shop_kind"}) {
        std::int64_t sum = 0;
        for (const auto& f : Arr(Obj(o, "facets"), group)) sum += Int(f.as_object(), "count");
        EXPECT_EQ(sum, 3) << group << ": " << r.body;
    }
}

TEST_P(CatalogSearchTest, CursorPagesReturnEveryItemOnceWhileProductsAreAdded) {
    auto& w = World();
    for (const char* sort : {"new", "price_asc", "price_desc", "sales", "relevance"}) {
        const std::string query = std::string("category=") + kCatHandicrafts + "&sort=" + sort;
        const auto before = Ids(Items(query + "&limit=100"));
        ASSERT_GE(before.size(), 3U);
        std::string added;
        const auto paged = PageThrough(query, 1, [&] { added = AddHandicraft(w); });
        std::map<std::string, int> seen;
        for (const auto& id : paged) ++seen[id];
        for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << sort << ": id " << id << " came " << n << " times";
        for (const auto& id : before) EXPECT_EQ(seen.count(id), 1U) << sort << ": id " << id << " was skipped";
        for (const auto& [id, n] : seen) {
            EXPECT_TRUE(id == added || std::find(before.begin(), before.end(), id) != before.end())
                << sort << ": unknown id " << id;
        }
        // Without additions: exactly the list in one page.
        EXPECT_EQ(PageThrough(query, 2, nullptr), Ids(Items(query + "&limit=100"))) << sort;
    }
}

TEST_P(CatalogSearchTest, ListsShowNewStockWithinTheirFreshnessWindow) {
    auto& w = World();
    const auto detail = Send(w.port(), "GET", "/api/v1/products/" + w.ids[kGoji], nullptr);
    ASSERT_EQ(detail.status, 200) << Describe(detail);
    const auto skus = Arr(JsonObject(detail), "skus");
    const std::string sku = Str(skus.at(0).as_object(), "id");
    const auto listed_stock = [&] {
        const auto items = Items("category=111");
        return items.size() == 1 ? Int(items[0].as_object(), "stock") : -1;
    };
    const std::int64_t before = listed_stock();
    ASSERT_GT(before, 0);
    const std::int64_t others = before - Int(skus.at(0).as_object(), "stock");
    const auto put = [&](std::int64_t stock) {
        const auto r = SendJson(w.port(), "PUT", "/api/v1/skus/" + sku + "/stock", &w.owner_a,
                                boost::json::object{{"stock", stock}});
        ASSERT_EQ(r.status, 200) << Describe(r);
    };
    put(7);
    // A cached rendering of the list may show the old figure for up to a
    // second (the product page never does); then the new one.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::int64_t seen = listed_stock();
    while (seen != others + 7 && std::chrono::steady_clock::now() < deadline) {
        EXPECT_EQ(seen, before) << "a list shows either the old or the new stock";
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        seen = listed_stock();
    }
    EXPECT_EQ(seen, others + 7);
    put(before - others);
}

TEST_P(CatalogSearchTest, OffSaleProductsLeaveAndReturnToTheResults) {
    auto& w = World();
    const auto set = [&](bool on_sale) {
        const auto r =
            SendJson(w.port(), "POST", "/api/v1/shops/" + w.shop_a + "/products/on-sale", &w.owner_a,
                     boost::json::object{{"product_ids", boost::json::array{w.ids[kOffSale]}}, {"on_sale", on_sale}});
        EXPECT_EQ(r.status, 200) << Describe(r);
    };
    set(true);
    EXPECT_EQ(TitlesOf("q=" + PercentEncode("已下架")), TitleList{kOffSale});
    set(false);
    EXPECT_TRUE(TitlesOf("q=" + PercentEncode("已下架")).empty());
    EXPECT_EQ(TitleSet("category=111"), (TitleBag{kGoji}));
}

TEST_P(CatalogSearchTest, BadSearchParametersAre400) {
    EXPECT_TRUE(IsProblem(Search("limit=101"), 400, "limit"));
    EXPECT_TRUE(IsProblem(Search("limit=0"), 400, "limit"));
    EXPECT_TRUE(IsProblem(Search("limit=ten"), 400, "limit"));
    EXPECT_TRUE(IsProblem(Search("q=" + PercentEncode(Repeat("枸", 101))), 400, "q"));
    EXPECT_TRUE(IsProblem(Search("q=" + Repeat("a", 101)), 400, "q"));
    EXPECT_TRUE(IsProblem(Search("sort=cheapest"), 400, "sort"));
    EXPECT_TRUE(IsProblem(Search("sort=PRICE_ASC"), 400, "sort"));
    EXPECT_TRUE(IsProblem(Search("min_price_fen=abc"), 400, "min_price_fen"));
    EXPECT_TRUE(IsProblem(Search("max_price_fen=1.5"), 400, "max_price_fen"));
    EXPECT_TRUE(IsProblem(Search("cursor=" + PercentEncode("not a cursor!")), 400, "cursor"));
    // At the limits: fine.
    EXPECT_EQ(Search("q=" + PercentEncode(Repeat("枸", 100))).status, 200);
    EXPECT_EQ(Search("limit=100").status, 200);
    EXPECT_EQ(Search("").status, 200);
}

// The same queries give the same products on both backends: each backend
// must give exactly these titles in this order (sorted by price), and when
// both backends ran in this process their lists are compared directly.
TEST_P(CatalogSearchTest, SameResultsOnBothBackends) {
    const std::string goji = PercentEncode("枸杞");
    const std::vector<std::pair<std::string, TitleList>> table = {
        {"q=" + goji, kAllGoji},
        {"q=gouqi", kAllGoji},
        {"q=gq", kAllGoji},
        {"q=" + PercentEncode("گوجى"), kAllGoji},
        {"q=hz", {kJujubeTitle}},
        {"q=honey", {kHoneyTitle}},
        {"q=" + PercentEncode("蜂蜜"), {kHoneyTitle}},
        {"category=11", kAllGoji},
        {"category=112", {kUyghurGoji, kBlackGoji}},
        {"min_price_fen=5000&max_price_fen=10000", {kGoji, kHoneyTitle, kUyghurGoji}},
        {"q=" + goji + "&max_price_fen=10000", {kGoji, kUyghurGoji}},
        {"shop_kind=cooperative", {kHoneyTitle, kBlackGoji}},
        {std::string("region=") + kToliTown + "&max_price_fen=100000", {kJujubeTitle, kGoji, kUyghurGoji}},
    };
    auto& w = World();
    for (const auto& [query, expected] : table) {
        const auto got = TitlesOf(query + "&sort=price_asc&limit=100");
        EXPECT_EQ(got, expected) << query;
        w.table[query] = got;
    }
    for (const auto& [name, other] : Worlds()) {
        if (name == GetParam() || other->table.empty()) continue;
        for (const auto& [query, got] : w.table) {
            EXPECT_EQ(got, other->table[query]) << query << ": " << GetParam() << " and " << name << " differ";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogSearchTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
