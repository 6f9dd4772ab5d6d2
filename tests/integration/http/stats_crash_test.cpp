// kill -9 in the middle of a statistics workload: buyers check out, pay and
// get refunds while an admin imports history over HTTP; the server is killed
// with SIGKILL, started again on the same database, and the workload
// finishes (the imports sent again, skipped where they had committed). Then
// `goji stats verify` finds no difference, and the endpoints give the figures
// the test computes from what committed: the orders as the buyers' order
// lists show them after the restart, and every imported line.
#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <random>
#include <thread>

#include "order_fixture.hpp"

namespace goji::testing::http {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

struct Sum {
    std::int64_t gross = 0;
    std::int64_t refunds = 0;
    std::int64_t orders = 0;
    std::int64_t net() const { return gross - refunds; }
};

// Figures per Asia/Shanghai day.
using Ledger = std::map<int, Sum>;

Sum Between(const Ledger& l, int from, int to) {
    Sum s;
    for (auto it = l.lower_bound(from); it != l.end() && it->first <= to; ++it) {
        s.gross += it->second.gross;
        s.refunds += it->second.refunds;
        s.orders += it->second.orders;
    }
    return s;
}

class StatsCrashTest : public OrderWorldTest {};

TEST_P(StatsCrashTest, FiguresAgreeAfterAKillDuringTheWorkload) {
    const std::vector<std::string> args = {"--rate-limit-rps", "0", "--sandbox-secret", kSandboxSecret};
    auto& own = StartOwnServer(args);
    std::uint16_t p = own.port();
    const auto admin = LoginOn(p, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
    const auto seller = NewBuyerOn(p, "crashstats");
    const auto shop =
        SendJson(p, "POST", "/api/v1/shops", &seller,
                 boost::json::object{
                     {"name", "统计崩溃店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", true}});
    ASSERT_EQ(shop.status, 201) << Describe(shop);
    const std::string shop_id = Str(JsonObject(shop), "id");
    ASSERT_EQ(SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/verify", &admin, boost::json::object{}).status, 200);
    const auto product = SendJson(p, "POST", "/api/v1/shops/" + shop_id + "/products", &seller,
                                  ProductBody("精河枸杞 统计崩溃", 5980, 100000, "111"));
    ASSERT_EQ(product.status, 201) << Describe(product);
    const std::string sku = FirstSkuId(JsonObject(product));
    struct Buyer {
        Session session;
        std::string address;
    };
    std::vector<Buyer> buyers;
    for (int i = 0; i < 6; ++i) {
        Buyer b{NewBuyerOn(p, "crashstatsbuyer"), ""};
        const auto a = SendJson(
            p, "POST", "/api/v1/addresses", &b.session,
            boost::json::object{
                {"name", "买家"}, {"phone", "13899001234"}, {"region_code", kToliVillage}, {"detail", "统计路 2 号"}});
        ASSERT_EQ(a.status, 201) << Describe(a);
        b.address = Str(JsonObject(a), "id");
        buyers.push_back(std::move(b));
    }

    // History to import: chunks of lines in the last two years, sent before and after the crash.
    std::mt19937 rng(7652722);
    const auto amount = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    const std::int64_t now = NowMs();
    Ledger expected_history;
    std::vector<std::string> chunks;
    for (int c = 0; c < 12; ++c) {
        std::string csv =
            "external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,buyer_region_code,channel,"
            "max_unit_price_fen\n";
        for (int i = 0; i < 400; ++i) {
            const std::int64_t paid_at = now - amount(2 * kDayMs, 2 * 365 * kDayMs);
            const std::int64_t total = amount(1000, 500000);
            std::int64_t refunded = 0;
            std::int64_t refunded_at = 0;
            if (amount(0, 9) == 0) {
                refunded = amount(1, total);
                refunded_at = paid_at + amount(0, kDayMs);
            }
            csv += "crash-" + std::to_string(c) + "-" + std::to_string(i) + "," + shop_id + "," + Iso(paid_at) + "," +
                   std::to_string(total) + "," + std::to_string(refunded) + "," +
                   (refunded > 0 ? Iso(refunded_at) : "") + ",111," + kToliVillage + ",shop,5980\n";
            auto& sale = expected_history[DayOf(paid_at)];
            sale.gross += total;
            ++sale.orders;
            if (refunded > 0) expected_history[DayOf(refunded_at)].refunds += refunded;
        }
        chunks.push_back(std::move(csv));
    }
    const auto import_on = [&](std::uint16_t port, const std::string& csv) {
        RequestOptions o;
        o.content_type = "text/csv";
        o.headers.emplace_back("Authorization", "Bearer " + admin.token);
        return Request(port, "POST", "/api/v1/admin/imports/orders", csv, o);
    };

    // One round of a buyer: a checkout, its payment, sometimes a refund approved at once.
    const auto round = [&](std::uint16_t port, const Buyer& b, std::mt19937& r, const std::string& key) {
        RequestOptions ro;
        ro.content_type = "application/json";
        ro.headers.emplace_back("Authorization", "Bearer " + b.session.token);
        ro.headers.emplace_back("Idempotency-Key", key);
        const boost::json::object item{{"sku_id", sku}, {"quantity", std::uniform_int_distribution<int>(1, 3)(r)}};
        const auto placed = Request(
            port, "POST", "/api/v1/checkout",
            boost::json::serialize(boost::json::object{{"address_id", b.address}, {"items", boost::json::array{item}}}),
            ro);
        if (placed.status != 201) return placed.status;
        const auto o = JsonObject(placed);
        const auto payment = Obj(o, "payment");
        const std::string body = NoticeBody(Str(payment, "id"), Int(payment, "amount_fen"));
        const auto paid = Notify(port, body, infra::HmacSha256Hex(kSandboxSecret, body));
        if (paid.status != 200) return paid.status;
        if (std::uniform_int_distribution<int>(0, 2)(r) == 0) {
            const auto order = Arr(o, "orders").at(0).as_object();
            const std::int64_t back = std::uniform_int_distribution<std::int64_t>(1, Int(order, "total_fen"))(r);
            const auto refund = SendJson(port, "POST", "/api/v1/orders/" + Str(order, "id") + "/refunds", &b.session,
                                         boost::json::object{{"amount_fen", back}, {"reason", "不想要了"}});
            return refund.status;
        }
        return 200;
    };

    std::atomic<bool> stop{false};
    std::atomic<int> rounds{0};
    std::atomic<int> imports_sent{0};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < buyers.size(); ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 r(static_cast<unsigned>(100 + t));
            for (int n = 0; !stop.load(); ++n) {
                try {
                    round(p, buyers[t], r, "crash-stats-" + std::to_string(t) + "-" + std::to_string(n));
                    ++rounds;
                } catch (const std::exception&) {
                    // The server is gone: requests in flight get no answer.
                }
            }
        });
    }
    threads.emplace_back([&] {
        for (std::size_t c = 0; c < chunks.size() && !stop.load(); ++c) {
            try {
                import_on(p, chunks[c]);
                ++imports_sent;
            } catch (const std::exception&) {
            }
        }
    });
    while (rounds.load() < 120) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    own.Stop(SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    ASSERT_GE(rounds.load(), 120);

    // Again on the same database: more rounds, and every chunk sent again.
    GojiProcess again(ServeArgs(OwnDatabaseUri(), args));
    p = again.port();
    std::mt19937 r(999);
    for (int n = 0; n < 12; ++n) {
        const int status =
            round(p, buyers[static_cast<std::size_t>(n) % buyers.size()], r, "after-crash-" + std::to_string(n));
        EXPECT_TRUE(status == 200 || status == 201) << status;
    }
    std::int64_t imported_after = 0;
    for (const auto& csv : chunks) {
        const auto res = import_on(p, csv);
        ASSERT_EQ(res.status, 200) << Describe(res);
        const auto o = JsonObject(res);
        EXPECT_TRUE(Arr(o, "rejected").empty()) << Describe(res);
        EXPECT_EQ(Int(o, "imported") + Int(o, "skipped"), 400);
        imported_after += Int(o, "imported");
    }
    // A chunk answered before the crash was committed: only the others were new.
    EXPECT_LE(imported_after, static_cast<std::int64_t>(chunks.size() - imports_sent.load()) * 400);

    // What committed: every buyer's orders as the server lists them now.
    Ledger expected = expected_history;
    const int today = DayOf(NowMs());
    std::int64_t live_orders = 0;
    for (const auto& b : buyers) {
        std::string cursor;
        for (;;) {
            const auto list =
                Send(p, "GET", "/api/v1/orders?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor), &b.session);
            ASSERT_EQ(list.status, 200) << Describe(list);
            const auto lo = JsonObject(list);
            for (const auto& item : Arr(lo, "items")) {
                const auto& io = item.as_object();
                const std::string status = Str(io, "status");
                if (status == "pending_payment" || status == "cancelled") continue;
                auto& day = expected[today];
                day.gross += Int(io, "total_fen");
                day.refunds += Int(io, "refunded_fen");
                ++day.orders;
                ++live_orders;
            }
            const auto* next = lo.if_contains("next_cursor");
            if (next == nullptr || next->is_null()) break;
            cursor = std::string(next->as_string());
        }
    }
    EXPECT_GE(live_orders, 60);

    const auto [rc, out] = GojiProcess::RunToEnd(
        {"stats", "verify", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
    EXPECT_EQ(rc, 0) << out;
    EXPECT_TRUE(Contains(out, "agrees")) << out;

    const int year = today / 10000;
    for (const int y : {year, year - 1, year - 2}) {
        const Sum s = Between(expected, y * 10000 + 101, y * 10000 + 1231);
        for (const std::string& region : {std::string(kToliTown), std::string(kJinghe)}) {
            const auto res =
                Send(p, "GET", "/api/v1/stats/retail?region=" + region + "&period=" + std::to_string(y), &admin);
            ASSERT_EQ(res.status, 200) << Describe(res);
            const auto o = JsonObject(res);
            EXPECT_EQ(Int(o, "gross_fen"), s.gross) << region << " " << y;
            EXPECT_EQ(Int(o, "refunds_fen"), s.refunds) << region << " " << y;
            EXPECT_EQ(Int(o, "orders"), s.orders) << region << " " << y;
        }
        // Every order and line was shipped to the same village.
        const auto c =
            Send(p, "GET",
                 "/api/v1/stats/consumption?region=" + std::string(kToliTown) + "&period=" + std::to_string(y), &admin);
        ASSERT_EQ(c.status, 200) << Describe(c);
        EXPECT_EQ(Int(JsonObject(c), "net_fen"), s.net()) << y;
        EXPECT_EQ(Int(JsonObject(c), "orders"), s.orders) << y;
    }
    // This month, day by day through the daily figures' monthly sums.
    char month[16];
    std::snprintf(month, sizeof month, "%04d-%02d", year, today / 100 % 100);
    const auto m = Send(p, "GET", std::string("/api/v1/stats/retail?region=") + kToliTown + "&period=" + month, &admin);
    ASSERT_EQ(m.status, 200) << Describe(m);
    const Sum ms = Between(expected, today / 100 * 100 + 1, today / 100 * 100 + 31);
    EXPECT_EQ(Int(JsonObject(m), "net_fen"), ms.net());
    EXPECT_EQ(Int(JsonObject(m), "orders"), ms.orders);
    again.Stop(SIGTERM);
}

INSTANTIATE_TEST_SUITE_P(Backends, StatsCrashTest, ::testing::ValuesIn(BackendNames()), BackendTestName);

}  // namespace
}  // namespace goji::testing::http
