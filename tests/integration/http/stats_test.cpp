// Statistics end to end: a seeded random workload of orders, payments and
// refunds across townships of two counties plus two years of imported
// history; every figure of every endpoint is compared with figures the test
// computes on its own, `goji stats verify` agrees, officers see only their
// region, and bad input is refused.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <random>

#include "order_fixture.hpp"
#include "support/temp_dir.hpp"

namespace goji::testing::http {
namespace {

constexpr const char* kBoleStreet = "652701001";  // 青得里街道, 博乐市: urban
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// One sale or refund as the test expects the statistics to count it.
struct Event {
    std::string shop_region;
    std::string category;  // top-level
    std::string kind;
    std::string channel;
    bool poverty = false;
    std::string buyer_region;
    std::string tier;
    bool buyer_urban = false;
    int day = 0;
    std::int64_t gross = 0;
    std::int64_t refunds = 0;
    std::int64_t orders = 0;
};

struct Sum {
    std::int64_t gross = 0;
    std::int64_t refunds = 0;
    std::int64_t orders = 0;
    std::int64_t net() const { return gross - refunds; }
};

struct Range {
    int from = 0;
    int to = 0;
};

// A period's first and last day, computed without the server's code.
Range RangeOf(const std::string& p) {
    const int y = std::stoi(p.substr(0, 4));
    if (p.size() == 4) return {y * 10000 + 101, y * 10000 + 1231};
    int first_month = 0;
    int last_month = 0;
    if (p[4] == 'Q') {
        const int q = p[5] - '0';
        first_month = q * 3 - 2;
        last_month = q * 3;
    } else {
        first_month = last_month = std::stoi(p.substr(5));
    }
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last_day = kDays[last_month - 1];
    if (last_month == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) last_day = 29;
    return {y * 10000 + first_month * 100 + 1, y * 10000 + last_month * 100 + last_day};
}

std::string PrevYear(const std::string& p) { return std::to_string(std::stoi(p.substr(0, 4)) - 1) + p.substr(4); }

std::string PrevPeriod(const std::string& p) {
    const int y = std::stoi(p.substr(0, 4));
    if (p.size() == 4) return std::to_string(y - 1);
    char buf[16];
    if (p[4] == 'Q') {
        const int q = p[5] - '0';
        std::snprintf(buf, sizeof buf, "%04dQ%d", q == 1 ? y - 1 : y, q == 1 ? 4 : q - 1);
    } else {
        const int m = std::stoi(p.substr(5));
        std::snprintf(buf, sizeof buf, "%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1);
    }
    return buf;
}

// Growth in hundredths of a percent, rounded half away from zero.
std::optional<std::int64_t> Growth(std::int64_t cur, std::int64_t prev) {
    if (prev == 0) return std::nullopt;
    const long double exact = static_cast<long double>(cur - prev) * 10000.0L / static_cast<long double>(prev);
    return static_cast<std::int64_t>(std::roundl(exact));
}

std::optional<std::int64_t> PctOf(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    const double d = v->is_double() ? v->as_double() : static_cast<double>(v->to_number<std::int64_t>());
    return std::llround(d * 100);
}

class StatsTest : public OrderWorldTest {
protected:
    std::vector<Event> events_;

    Sum Total(const std::string& prefix, Range r, const std::function<bool(const Event&)>& also = {}) const {
        Sum s;
        for (const auto& e : events_) {
            if (e.day < r.from || e.day > r.to || e.shop_region.rfind(prefix, 0) != 0) continue;
            if (also && !also(e)) continue;
            s.gross += e.gross;
            s.refunds += e.refunds;
            s.orders += e.orders;
        }
        return s;
    }
    Sum Consumed(const std::string& prefix, Range r, const std::function<bool(const Event&)>& also = {}) const {
        Sum s;
        for (const auto& e : events_) {
            if (e.day < r.from || e.day > r.to || e.buyer_region.rfind(prefix, 0) != 0) continue;
            if (also && !also(e)) continue;
            s.gross += e.gross;
            s.refunds += e.refunds;
            s.orders += e.orders;
        }
        return s;
    }
};

struct ShopSpec {
    std::string id;
    std::string region;
    std::string kind;
    bool poverty = false;
};

struct ProductSpec {
    std::string sku;
    std::size_t shop = 0;
    std::string top_category;
    std::int64_t price = 0;
};

struct BuyerSpec {
    Session session;
    std::string address;
    std::string region;
    bool urban = false;
};

std::string Prefix(const std::string& region) {
    if (region.size() == 2 || region.size() == 4) return region;
    if (region.size() == 6) {
        if (region.substr(2) == "0000") return region.substr(0, 2);
        if (region.substr(4) == "00") return region.substr(0, 4);
    }
    return region;
}

TEST_P(StatsTest, EveryFigureAgreesWithAnIndependentCount) {
    std::vector<std::string> args = {"--rate-limit-rps", "0", "--sandbox-secret", kSandboxSecret};
    auto& own = StartOwnServer(args);
    const std::uint16_t p = own.port();
    World w;
    w.port = p;
    const auto admin = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
    const auto seller = NewBuyerOn(p, "statseller");

    std::vector<ShopSpec> shops = {
        {"", kToliTown, "farmer", true}, {"", kJingheTown, "cooperative", false}, {"", kBoleTown, "company", false}};
    for (auto& s : shops) {
        const auto r = SendJson(p, "POST", "/api/v1/shops", &seller,
                                boost::json::object{{"name", "统计测试店 " + s.kind},
                                                    {"kind", s.kind},
                                                    {"region_code", s.region},
                                                    {"poverty_relief", s.poverty}});
        ASSERT_EQ(r.status, 201) << Describe(r);
        s.id = Str(JsonObject(r), "id");
        ASSERT_EQ(SendJson(p, "POST", "/api/v1/shops/" + s.id + "/verify", &admin, boost::json::object{}).status, 200);
    }
    // (shop, category, top-level category, price): low, medium and high tiers.
    const std::vector<std::tuple<std::size_t, std::string, std::string, std::int64_t>> catalog = {
        {0, "111", "1", 5980},
        {0, "3", "3", 12800},
        {1, "21", "2", 150000},
        {1, "12", "1", 3500},
        {2, "7", "7", 25000}};
    std::vector<ProductSpec> products;
    for (const auto& [shop, category, top, price] : catalog) {
        const auto r = SendJson(p, "POST", "/api/v1/shops/" + shops[shop].id + "/products", &seller,
                                ProductBody("统计商品 " + category, price, 1000, category));
        ASSERT_EQ(r.status, 201) << Describe(r);
        products.push_back({FirstSkuId(JsonObject(r)), shop, top, price});
    }
    std::vector<BuyerSpec> buyers;
    for (const auto& [region, urban] :
         std::vector<std::pair<std::string, bool>>{{kToliVillage, false}, {kBoleStreet, true}}) {
        BuyerSpec b;
        b.session = NewBuyerOn(p, "statbuyer");
        b.region = region;
        b.urban = urban;
        const auto a = SendJson(
            p, "POST", "/api/v1/addresses", &b.session,
            boost::json::object{
                {"name", "买家"}, {"phone", "13899001234"}, {"region_code", region}, {"detail", "统计路 1 号"}});
        ASSERT_EQ(a.status, 201) << Describe(a);
        b.address = Str(JsonObject(a), "id");
        buyers.push_back(std::move(b));
    }

    std::mt19937 rng(20261129);
    const auto pick = [&rng](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    const auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    const auto amount = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const auto event_of = [&](const ProductSpec& prod, const BuyerSpec& b) {
        const ShopSpec& s = shops[prod.shop];
        Event e;
        e.shop_region = s.region;
        e.category = prod.top_category;
        e.kind = s.kind;
        e.channel = "shop";
        e.poverty = s.poverty;
        e.buyer_region = b.region;
        e.buyer_urban = b.urban;
        e.tier = prod.price < 10000 ? "low" : prod.price < 100000 ? "medium" : "high";
        return e;
    };

    // Live orders: paid, some refunded before or after shipping, one refused,
    // some never paid, one paid after it was cancelled (not a sale).
    for (int i = 0; i < 24; ++i) {
        const ProductSpec& prod = products[pick(products.size())];
        const BuyerSpec& b = buyers[pick(buyers.size())];
        w.buyer = b.session;
        const auto placed = SendJson(
            p, "POST", "/api/v1/checkout", &b.session,
            boost::json::object{
                {"address_id", b.address},
                {"items", boost::json::array{boost::json::object{{"sku_id", prod.sku}, {"quantity", amount(1, 3)}}}}});
        ASSERT_EQ(placed.status, 201) << Describe(placed);
        const auto placed_obj = JsonObject(placed);
        const auto order = Arr(placed_obj, "orders").at(0).as_object();
        const std::string order_id = Str(order, "id");
        const std::int64_t total = Int(order, "total_fen");
        if (i == 5) {
            ASSERT_EQ(Send(p, "POST", "/api/v1/orders/" + order_id + "/cancel", &b.session).status, 200);
            PayNow(w, placed_obj);
            continue;
        }
        if (chance(0.15)) continue;  // never paid
        PayNow(w, placed_obj);
        Event sale = event_of(prod, b);
        sale.day = DayOf(NowMs());
        sale.gross = total;
        sale.orders = 1;
        events_.push_back(sale);
        if (chance(0.3)) {  // before shipping: approved at once
            const std::int64_t back = amount(1, total);
            const auto r = SendJson(p, "POST", "/api/v1/orders/" + order_id + "/refunds", &b.session,
                                    boost::json::object{{"amount_fen", back}, {"reason", "不想要了"}});
            ASSERT_EQ(r.status, 201) << Describe(r);
            Event refund = event_of(prod, b);
            refund.day = DayOf(NowMs());
            refund.refunds = back;
            events_.push_back(refund);
        } else if (chance(0.4)) {  // after shipping: the seller decides
            ASSERT_EQ(
                SendJson(p, "POST", "/api/v1/orders/" + order_id + "/ship", &seller,
                         boost::json::object{{"carrier", "顺丰速运"},
                                             {"tracking_no", "SF" + std::to_string(1000000000 + std::stoll(order_id))}})
                    .status,
                200);
            const std::int64_t back = amount(1, total);
            const auto r = SendJson(p, "POST", "/api/v1/orders/" + order_id + "/refunds", &b.session,
                                    boost::json::object{{"amount_fen", back}, {"reason", "破损"}});
            ASSERT_EQ(r.status, 201) << Describe(r);
            const std::string refund_id = Str(Obj(JsonObject(r), "refund"), "id");
            if (chance(0.3)) {
                ASSERT_EQ(SendJson(p, "POST", "/api/v1/refunds/" + refund_id + "/refuse", &seller,
                                   boost::json::object{{"reason", "没有破损"}})
                              .status,
                          200);
            } else {
                const auto a =
                    SendJson(p, "POST", "/api/v1/refunds/" + refund_id + "/approve", &seller, boost::json::object{});
                ASSERT_EQ(a.status, 200) << Describe(a);
                Event refund = event_of(prod, b);
                refund.day = DayOf(NowMs());
                refund.refunds = back;
                events_.push_back(refund);
            }
        }
    }

    // Two years of history, imported once over HTTP (and again: all skipped)
    // and a few more lines from the command line.
    const std::int64_t now = NowMs();
    const std::vector<std::pair<std::string, std::string>> categories = {{"11", "1"}, {"111", "1"}, {"12", "1"},
                                                                         {"3", "3"},  {"21", "2"},  {"7", "7"}};
    const std::vector<std::pair<std::string, bool>> destinations = {
        {kToliVillage, false}, {kBoleStreet, true}, {"652722100", false}};
    const std::vector<std::int64_t> max_prices = {5000, 50000, 150000};
    const auto history = [&](int n, const std::string& prefix) {
        std::string csv =
            "external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,buyer_region_code,channel,"
            "max_unit_price_fen\n";
        for (int i = 0; i < n; ++i) {
            const ShopSpec& s = shops[pick(shops.size())];
            const auto& [category, top] = categories[pick(categories.size())];
            const auto& [dest, urban] = destinations[pick(destinations.size())];
            const std::int64_t max_price = max_prices[pick(max_prices.size())];
            const std::int64_t paid_at = now - amount(kDayMs, 2 * 365 * kDayMs);
            const std::int64_t total = amount(1000, 900000);
            const std::string channel = chance(0.3) ? "live" : "shop";
            std::int64_t refunded = 0;
            std::int64_t refunded_at = 0;
            if (chance(0.3)) {
                refunded = amount(1, total);
                refunded_at = std::min(now - 60'000, paid_at + amount(0, 20 * kDayMs));
            }
            csv += prefix + std::to_string(i) + "," + s.id + "," + Iso(paid_at) + "," + std::to_string(total) + "," +
                   std::to_string(refunded) + "," + (refunded > 0 ? Iso(refunded_at) : "") + "," + category + "," +
                   dest + "," + channel + "," + std::to_string(max_price) + "\n";
            Event e;
            e.shop_region = s.region;
            e.category = top;
            e.kind = s.kind;
            e.channel = channel;
            e.poverty = s.poverty;
            e.buyer_region = dest;
            e.buyer_urban = urban;
            e.tier = max_price < 10000 ? "low" : max_price < 100000 ? "medium" : "high";
            Event sale = e;
            sale.day = DayOf(paid_at);
            sale.gross = total;
            sale.orders = 1;
            events_.push_back(sale);
            if (refunded > 0) {
                Event refund = e;
                refund.day = DayOf(refunded_at);
                refund.refunds = refunded;
                events_.push_back(refund);
            }
        }
        return csv;
    };
    RequestOptions csv_type;
    csv_type.content_type = "text/csv";
    csv_type.headers.emplace_back("Authorization", "Bearer " + admin.token);
    const std::string csv = history(60, "hist-");
    for (int round = 0; round < 2; ++round) {
        const auto r = Request(p, "POST", "/api/v1/admin/imports/orders", csv, csv_type);
        ASSERT_EQ(r.status, 200) << Describe(r);
        const auto o = JsonObject(r);
        EXPECT_EQ(Int(o, "imported"), round == 0 ? 60 : 0);
        EXPECT_EQ(Int(o, "skipped"), round == 0 ? 0 : 60);
        EXPECT_TRUE(Arr(o, "rejected").empty()) << Describe(r);
    }
    {
        TempDir dir;
        const std::string file = dir.path() + "/more.csv";
        std::ofstream(file) << history(8, "cli-");
        const auto [rc, out] = GojiProcess::RunToEnd(
            {"import", "orders", file, "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
        EXPECT_EQ(rc, 0) << out;
        EXPECT_TRUE(Contains(out, "imported 8")) << out;
    }

    // Retail figures for regions from a township up to the province, for
    // this year, quarter and month and last year.
    const int today = DayOf(NowMs());
    char buf[16];
    const std::string year = std::to_string(today / 10000);
    std::snprintf(buf, sizeof buf, "%sQ%d", year.c_str(), (today / 100 % 100 + 2) / 3);
    const std::string quarter = buf;
    std::snprintf(buf, sizeof buf, "%s-%02d", year.c_str(), today / 100 % 100);
    const std::string month = buf;
    const std::string last_year = std::to_string(today / 10000 - 1);
    for (const std::string region : {"65", "652700", kJinghe, "652701", kToliTown}) {
        for (const std::string& period : {year, quarter, month, last_year, PrevPeriod(quarter)}) {
            const auto r = Send(p, "GET", "/api/v1/stats/retail?region=" + region + "&period=" + period, &admin);
            ASSERT_EQ(r.status, 200) << Describe(r);
            const auto o = JsonObject(r);
            const std::string prefix = Prefix(region);
            const Sum cur = Total(prefix, RangeOf(period));
            const Sum py = Total(prefix, RangeOf(PrevYear(period)));
            const Sum pp = Total(prefix, RangeOf(PrevPeriod(period)));
            const std::string where = region + " " + period;
            EXPECT_EQ(Str(o, "period"), period) << where;
            EXPECT_EQ(Int(o, "gross_fen"), cur.gross) << where;
            EXPECT_EQ(Int(o, "refunds_fen"), cur.refunds) << where;
            EXPECT_EQ(Int(o, "net_fen"), cur.net()) << where;
            EXPECT_EQ(Int(o, "orders"), cur.orders) << where;
            EXPECT_EQ(Int(o, "prev_year_net_fen"), py.net()) << where;
            EXPECT_EQ(PctOf(o, "yoy_pct"), Growth(cur.net(), py.net())) << where;
            EXPECT_EQ(Int(o, "prev_period_net_fen"), pp.net()) << where;
            EXPECT_EQ(PctOf(o, "qoq_pct"), Growth(cur.net(), pp.net())) << where;
        }
    }

    // Breakdowns of the prefecture (two counties) for the last two years.
    const std::map<std::string, std::function<std::string(const Event&)>> keys = {
        {"category", [](const Event& e) { return e.category; }},
        {"township", [](const Event& e) { return e.shop_region.substr(0, 9); }},
        {"seller_kind", [](const Event& e) { return e.kind; }},
        {"channel", [](const Event& e) { return e.channel; }},
        {"poverty_relief", [](const Event& e) { return std::string(e.poverty ? "true" : "false"); }}};
    for (const std::string& period : {year, last_year}) {
        for (const auto& [by, key_of] : keys) {
            const auto r =
                Send(p, "GET", "/api/v1/stats/retail?region=652700&period=" + period + "&group_by=" + by, &admin);
            ASSERT_EQ(r.status, 200) << Describe(r);
            std::map<std::string, std::pair<Sum, Sum>> expected;  // key → (this period, a year earlier)
            for (const auto& e : events_) {
                const Range cur = RangeOf(period);
                const Range prev = RangeOf(PrevYear(period));
                if (e.day >= cur.from && e.day <= cur.to) {
                    auto& s = expected[key_of(e)].first;
                    s.gross += e.gross;
                    s.refunds += e.refunds;
                    s.orders += e.orders;
                } else if (e.day >= prev.from && e.day <= prev.to) {
                    expected[key_of(e)].second.gross += e.gross;
                    expected[key_of(e)].second.refunds += e.refunds;
                }
            }
            std::size_t present = 0;
            for (const auto& [k, sums] : expected) present += sums.first.gross + sums.first.refunds > 0 ? 1 : 0;
            const auto groups = Arr(JsonObject(r), "groups");
            EXPECT_EQ(groups.size(), present) << by << " " << period << " " << Describe(r);
            for (const auto& g : groups) {
                const auto& go = g.as_object();
                const auto it = expected.find(Str(go, "key"));
                ASSERT_NE(it, expected.end()) << by << " " << Str(go, "key");
                EXPECT_EQ(Int(go, "net_fen"), it->second.first.net()) << by << " " << it->first;
                EXPECT_EQ(Int(go, "orders"), it->second.first.orders) << by << " " << it->first;
                EXPECT_EQ(PctOf(go, "yoy_pct"), Growth(it->second.first.net(), it->second.second.net()))
                    << by << " " << it->first;
            }
        }
    }

    // Category names follow the request's language.
    {
        const std::map<std::string, std::string> english = {
            {"1", "Dried fruit"}, {"2", "Nuts"}, {"3", "Honey"}, {"7", "Handicrafts"}};
        const auto r =
            Send(p, "GET", "/api/v1/stats/retail?region=65&period=" + year + "&group_by=category&lang=en", &admin);
        ASSERT_EQ(r.status, 200) << Describe(r);
        const auto groups = Arr(JsonObject(r), "groups");
        EXPECT_FALSE(groups.empty());
        for (const auto& g : groups) {
            EXPECT_EQ(Str(g.as_object(), "name"), english.at(Str(g.as_object(), "key")));
            EXPECT_EQ(Str(Obj(g.as_object(), "names"), "en"), english.at(Str(g.as_object(), "key")));
        }
    }

    // The monthly series of the county over both years.
    {
        const std::string from = std::to_string(today / 10000 - 2) + "-01";
        const auto r =
            Send(p, "GET", "/api/v1/stats/retail/series?region=652722&from=" + from + "&to=" + month, &admin);
        ASSERT_EQ(r.status, 200) << Describe(r);
        const auto items = Arr(JsonObject(r), "items");
        EXPECT_EQ(items.size(), 25U + static_cast<std::size_t>(today / 100 % 100 - 1));
        for (const auto& item : items) {
            const auto& io = item.as_object();
            const Sum s = Total("652722", RangeOf(Str(io, "period")));
            EXPECT_EQ(Int(io, "net_fen"), s.net()) << Str(io, "period");
            EXPECT_EQ(Int(io, "orders"), s.orders) << Str(io, "period");
        }
    }

    // Residents' consumption: orders shipped into the region.
    for (const std::string region : {"65", kJinghe, "652701"}) {
        for (const std::string& period : {year, last_year}) {
            const auto r = Send(p, "GET", "/api/v1/stats/consumption?region=" + region + "&period=" + period, &admin);
            ASSERT_EQ(r.status, 200) << Describe(r);
            const auto o = JsonObject(r);
            const std::string prefix = Prefix(region);
            const Range range = RangeOf(period);
            const std::string where = region + " " + period;
            const Sum all = Consumed(prefix, range);
            EXPECT_EQ(Int(o, "net_fen"), all.net()) << where;
            EXPECT_EQ(Int(o, "orders"), all.orders) << where;
            for (const std::string tier : {"low", "medium", "high"}) {
                const Sum t = Consumed(prefix, range, [&](const Event& e) { return e.tier == tier; });
                EXPECT_EQ(Int(Obj(Obj(o, "by_tier"), tier), "net_fen"), t.net()) << where << " " << tier;
                EXPECT_EQ(Int(Obj(Obj(o, "by_tier"), tier), "orders"), t.orders) << where << " " << tier;
            }
            const Sum urban = Consumed(prefix, range, [](const Event& e) { return e.buyer_urban; });
            const Sum rural = Consumed(prefix, range, [](const Event& e) { return !e.buyer_urban; });
            EXPECT_EQ(Int(Obj(o, "urban"), "net_fen"), urban.net()) << where;
            EXPECT_EQ(Int(Obj(o, "rural"), "net_fen"), rural.net()) << where;
            EXPECT_EQ(Int(Obj(o, "urban"), "orders"), urban.orders) << where;
        }
    }

    // Officers: their region and below, by default their own; nothing else.
    const auto bole = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "county_officer", "652701"), kRolePassword);
    const auto own_default = Send(p, "GET", "/api/v1/stats/retail?period=" + year, &bole);
    ASSERT_EQ(own_default.status, 200) << Describe(own_default);
    EXPECT_EQ(Str(JsonObject(own_default), "region"), "652701");
    EXPECT_EQ(Int(JsonObject(own_default), "net_fen"), Total("652701", RangeOf(year)).net());
    EXPECT_EQ(Send(p, "GET", "/api/v1/stats/retail?region=652701100&period=" + year, &bole).status, 200);
    EXPECT_TRUE(IsProblem(Send(p, "GET", "/api/v1/stats/retail?region=652722&period=" + year, &bole), 403));
    EXPECT_TRUE(IsProblem(Send(p, "GET", "/api/v1/stats/retail?region=6527&period=" + year, &bole), 403));
    EXPECT_TRUE(IsProblem(Send(p, "GET", "/api/v1/stats/consumption?region=652722&period=" + year, &bole), 403));
    EXPECT_TRUE(IsProblem(
        Send(p, "GET", "/api/v1/stats/retail/series?region=652722&from=" + year + "&to=" + year, &bole), 403));
    EXPECT_TRUE(IsProblem(Send(p, "GET", "/api/v1/stats/retail?region=652722&period=" + year, &seller), 403));

    // Sums of finished months are kept in memory; lines imported into them
    // by another process show at the next call, with and without groups.
    {
        TempDir dir;
        const std::string file = dir.path() + "/late.csv";
        std::ofstream(file) << history(12, "late-");
        const auto [rc, out] = GojiProcess::RunToEnd(
            {"import", "orders", file, "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
        ASSERT_EQ(rc, 0) << out;
        ASSERT_TRUE(Contains(out, "imported 12")) << out;
    }
    for (const std::string& region : {std::string("65"), std::string(kJinghe)}) {
        for (const std::string& period : {year, last_year, PrevPeriod(quarter)}) {
            for (const std::string by : {"", "&group_by=township"}) {
                const auto r =
                    Send(p, "GET", "/api/v1/stats/retail?region=" + region + "&period=" + period + by, &admin);
                ASSERT_EQ(r.status, 200) << Describe(r);
                const auto o = JsonObject(r);
                const Sum cur = Total(Prefix(region), RangeOf(period));
                const std::string where = "after the late import: " + region + " " + period + by;
                EXPECT_EQ(Int(o, "gross_fen"), cur.gross) << where;
                EXPECT_EQ(Int(o, "refunds_fen"), cur.refunds) << where;
                EXPECT_EQ(Int(o, "orders"), cur.orders) << where;
                EXPECT_EQ(Int(o, "prev_year_net_fen"), Total(Prefix(region), RangeOf(PrevYear(period))).net()) << where;
                if (by.empty()) continue;
                std::int64_t groups_net = 0;
                for (const auto& g : Arr(o, "groups")) groups_net += Int(g.as_object(), "net_fen");
                EXPECT_EQ(groups_net, cur.net()) << where;
            }
        }
    }

    // The daily figures agree with a count from the raw orders.
    const auto [rc, out] = GojiProcess::RunToEnd(
        {"stats", "verify", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
    EXPECT_TRUE(Contains(out, "agrees")) << out;
}

TEST_P(StatsTest, BadInputIsRefused) {
    std::vector<std::string> args = {"--rate-limit-rps", "0"};
    auto& own = StartOwnServer(args);
    const std::uint16_t p = own.port();
    const auto admin = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
    const auto buyer = NewBuyerOn(p, "statsbad");
    const auto shop =
        SendJson(p, "POST", "/api/v1/shops", &buyer,
                 boost::json::object{
                     {"name", "坏输入店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
    ASSERT_EQ(shop.status, 201) << Describe(shop);
    const std::string shop_id = Str(JsonObject(shop), "id");
    const int this_year = DayOf(NowMs()) / 10000;

    const auto get = [&](const std::string& target) { return Send(p, "GET", target, &admin); };
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722"), 400, "period"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722&period=2026Q5"), 400, "period"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722&period=2026-13"), 400, "period"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722&period=last-year"), 400, "period"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722&period=" + std::to_string(this_year + 1)), 422,
                          "period_in_future"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722999&period=2025"), 400, "region"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=abc&period=2025"), 400, "region"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?period=2025"), 400, "region"));  // an admin names one
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail?region=652722&period=2025&group_by=colour"), 400, "group_by"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail/series?region=652722&from=2025-05&to=2025-01"), 400, "to"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/retail/series?region=652722&from=2025-05"), 400, "to"));
    EXPECT_TRUE(IsProblem(get("/api/v1/stats/consumption?region=652722&period=2025Q0"), 400, "period"));
    EXPECT_TRUE(IsProblem(Send(p, "GET", "/api/v1/stats/retail?region=652722&period=2025", nullptr), 401));
    EXPECT_TRUE(IsProblem(Send(p, "GET", "/api/v1/stats/retail?region=652722&period=2025", &buyer), 403));
    // An empty period is all zeros, growth null.
    const auto empty = get("/api/v1/stats/retail?region=652722&period=2024Q2");
    ASSERT_EQ(empty.status, 200) << Describe(empty);
    EXPECT_EQ(Int(JsonObject(empty), "net_fen"), 0);
    EXPECT_TRUE(JsonObject(empty).at("yoy_pct").is_null());

    RequestOptions csv_type;
    csv_type.content_type = "text/csv";
    csv_type.headers.emplace_back("Authorization", "Bearer " + admin.token);
    const std::string header =
        "external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,buyer_region_code,channel,"
        "max_unit_price_fen\n";
    const auto post = [&](const std::string& body) {
        return Request(p, "POST", "/api/v1/admin/imports/orders", body, csv_type);
    };
    EXPECT_TRUE(IsProblem(post("external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,"
                               "buyer_region_code,max_unit_price_fen\nx,1,2025-01-01,1,0,,3,652722,100\n"),
                          400, "channel"));
    const std::string future = std::to_string(this_year + 1) + "-01-01T00:00:00+08:00";
    const std::string lines =
        header + "ok-1," + shop_id + ",2025-03-01T10:00:00+08:00,1000,0,,3,652722102200,shop,1000\n" + "bad-date," +
        shop_id + ",2025-02-30T10:00:00+08:00,1000,0,,3,652722102200,shop,1000\n" + "negative," + shop_id +
        ",2025-03-01T10:00:00+08:00,-5,0,,3,652722102200,shop,1000\n" + "ok-1," + shop_id +
        ",2025-03-01T10:00:00+08:00,1000,0,,3,652722102200,shop,1000\n" + "future," + shop_id + "," + future +
        ",1000,0,,3,652722102200,shop,1000\n" + "too-much," + shop_id +
        ",2025-03-01T10:00:00+08:00,1000,2000,2025-03-02,3,652722,shop,1\n" +
        "no-shop,999999,2025-03-01T10:00:00+08:00,1000,0,,3,652722102200,shop,1000\n" + "no-cat," + shop_id +
        ",2025-03-01T10:00:00+08:00,1000,0,,99,652722102200,shop,1000\n" + "no-region," + shop_id +
        ",2025-03-01T10:00:00+08:00,1000,0,,3,652722999,shop,1000\n" + "bad-channel," + shop_id +
        ",2025-03-01T10:00:00+08:00,1000,0,,3,652722,tv,1000\n" + "short-line," + shop_id + ",2025-03-01\n" + "ok-2," +
        shop_id + ",2025-04-01,2000,500,2025-04-03,3,652722,live,120000\n";
    const auto r = post(lines);
    ASSERT_EQ(r.status, 200) << Describe(r);
    const auto o = JsonObject(r);
    EXPECT_EQ(Int(o, "imported"), 2);
    std::map<std::int64_t, std::string> rejected;
    for (const auto& x : Arr(o, "rejected")) rejected[Int(x.as_object(), "line")] = Str(x.as_object(), "code");
    const std::map<std::int64_t, std::string> want = {
        {3, "paid_at:invalid_date"}, {4, "total_fen:invalid_amount"},          {5, "external_id:duplicate"},
        {6, "paid_at:in_future"},    {7, "refunded_fen:above_total"},          {8, "shop_id:unknown"},
        {9, "category_id:unknown"},  {10, "buyer_region_code:unknown_region"}, {11, "channel:invalid"},
        {12, "line:column_count"}};
    EXPECT_EQ(rejected, want) << Describe(r);
    const auto again = JsonObject(post(lines));
    EXPECT_EQ(Int(again, "imported"), 0);
    EXPECT_EQ(Int(again, "skipped"), 2);
    const auto march = get("/api/v1/stats/retail?region=652722&period=2025-04&group_by=channel");
    ASSERT_EQ(march.status, 200) << Describe(march);
    EXPECT_EQ(Int(JsonObject(march), "net_fen"), 1500);
    EXPECT_EQ(Int(JsonObject(march), "prev_period_net_fen"), 1000);
    EXPECT_EQ(PctOf(JsonObject(march), "qoq_pct"), 5000);

    RequestOptions json_type;
    json_type.headers.emplace_back("Authorization", "Bearer " + admin.token);
    EXPECT_TRUE(IsProblem(Request(p, "POST", "/api/v1/admin/imports/orders", "{}", json_type), 415));
    RequestOptions buyer_csv;
    buyer_csv.content_type = "text/csv";
    buyer_csv.headers.emplace_back("Authorization", "Bearer " + buyer.token);
    EXPECT_TRUE(IsProblem(Request(p, "POST", "/api/v1/admin/imports/orders", lines, buyer_csv), 403));

    // 100 MB is refused from its Content-Length, before the body is sent.
    Connection c(p);
    c.Send(
        "POST /api/v1/admin/imports/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n"
        "Authorization: Bearer " +
        admin.token + "\r\nContent-Length: " + std::to_string(100LL * 1024 * 1024) + "\r\n\r\n");
    const auto big = c.Read(std::chrono::seconds(5));
    ASSERT_TRUE(big.has_value()) << "no reply before the body was sent";
    EXPECT_TRUE(IsProblem(*big, 413));

    const std::vector<std::string> verify = {"stats",     "verify",          "--db",     OwnDatabaseUri(),
                                             "--regions", GOJI_REGIONS_FILE, "--argon2", "min"};
    const auto [rc, out] = GojiProcess::RunToEnd(verify);
    EXPECT_EQ(rc, 0) << out;

    // A figure changed behind Goji's back is found, and --rebuild repairs it.
    const std::string uri = OwnDatabaseUri();
    const std::string sql = "UPDATE sales_daily SET gross_fen = gross_fen + 7";
    const std::string cmd = StartsWith(uri, "sqlite:") ? "sqlite3 '" + uri.substr(7) + "' '" + sql + "'"
                                                       : "psql -q '" + uri + "' -c '" + sql + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    const auto [rc_bad, out_bad] = GojiProcess::RunToEnd(verify);
    EXPECT_EQ(rc_bad, 1) << out_bad;
    EXPECT_TRUE(Contains(out_bad, "sales_daily 20250301")) << out_bad;
    EXPECT_TRUE(Contains(out_bad, "stored gross 1007")) << out_bad;
    std::vector<std::string> rebuild = verify;
    rebuild.emplace_back("--rebuild");
    const auto [rc_fix, out_fix] = GojiProcess::RunToEnd(rebuild);
    EXPECT_EQ(rc_fix, 0) << out_fix;
    const auto [rc_after, out_after] = GojiProcess::RunToEnd(verify);
    EXPECT_EQ(rc_after, 0) << out_after;
}

INSTANTIATE_TEST_SUITE_P(Backends, StatsTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
