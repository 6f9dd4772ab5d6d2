#pragma once

// A server with a verified shop selling one product, a buyer with an
// address, and the steps every order test needs: checkout, the sandbox
// provider's signed notification, waiting for a state, the stock check.
#include <chrono>
#include <cstdio>
#include <thread>

#include "catalog_fixture.hpp"
#include "common/time_format.hpp"
#include "infra/crypto.hpp"

namespace goji::testing::http {

inline constexpr const char* kSandboxSecret = "sandbox-test-secret";

inline std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A time `days` from now (whole minutes), as the API writes it.
inline std::string InDays(int days) {
    return FormatShanghai((NowMs() / 60000 + static_cast<std::int64_t>(days) * 24 * 60) * 60000);
}

// YYYYMMDD in Asia/Shanghai (UTC+8, no daylight saving), computed without
// the server's code.
inline int DayOf(std::int64_t ms) {
    using namespace std::chrono;
    const year_month_day d{floor<days>(sys_time<milliseconds>(milliseconds(ms + 8 * 3600 * 1000)))};
    return static_cast<int>(d.year()) * 10000 + static_cast<int>(static_cast<unsigned>(d.month())) * 100 +
           static_cast<int>(static_cast<unsigned>(d.day()));
}

// ISO 8601 in Asia/Shanghai to the second, written without the server's code.
inline std::string Iso(std::int64_t ms) {
    using namespace std::chrono;
    const std::int64_t local = ms + 8 * 3600 * 1000;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(local)));
    const year_month_day d{day};
    const std::int64_t rest = (local - duration_cast<milliseconds>(day.time_since_epoch()).count()) / 1000;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()), static_cast<int>(rest / 3600),
                  static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
    return buf;
}

class OrderWorldTest : public CatalogHttpTest {
protected:
    struct World {
        std::uint16_t port = 0;
        Session seller;
        Session buyer;
        std::string product;
        std::string sku;
        std::string address;
        std::string shop;
    };

    World Start(std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"--rate-limit-rps", "0", "--sandbox-secret", kSandboxSecret};
        args.insert(args.end(), extra.begin(), extra.end());
        auto& own = StartOwnServer(args);
        World w;
        w.port = own.port();
        const auto root = LoginOn(w.port, AddUserWithRole(OwnDatabaseUri(), "admin", ""), kRolePassword);
        w.seller = NewBuyerOn(w.port, "payseller");
        const auto shop = SendJson(
            w.port, "POST", "/api/v1/shops", &w.seller,
            boost::json::object{
                {"name", "支付测试店"}, {"kind", "farmer"}, {"region_code", kToliTown}, {"poverty_relief", false}});
        EXPECT_EQ(shop.status, 201) << Describe(shop);
        const std::string shop_id = Str(JsonObject(shop), "id");
        w.shop = shop_id;
        EXPECT_EQ(SendJson(w.port, "POST", "/api/v1/shops/" + shop_id + "/verify", &root, boost::json::object{}).status,
                  200);
        const auto product = SendJson(w.port, "POST", "/api/v1/shops/" + shop_id + "/products", &w.seller,
                                      ProductBody("精河枸杞 支付", 5980, 10));
        EXPECT_EQ(product.status, 201) << Describe(product);
        w.product = Str(JsonObject(product), "id");
        w.sku = FirstSkuId(JsonObject(product));
        w.buyer = NewBuyerOn(w.port, "paybuyer");
        const auto address = SendJson(
            w.port, "POST", "/api/v1/addresses", &w.buyer,
            boost::json::object{
                {"name", "买家"}, {"phone", "13899001234"}, {"region_code", kToliVillage}, {"detail", "基布克村"}});
        w.address = Str(JsonObject(address), "id");
        return w;
    }

    // A checkout of `quantity` units; returns its reply.
    boost::json::object Checkout(const World& w, std::int64_t quantity) {
        const auto r = SendJson(
            w.port, "POST", "/api/v1/checkout", &w.buyer,
            boost::json::object{
                {"address_id", w.address},
                {"items", boost::json::array{boost::json::object{{"sku_id", w.sku}, {"quantity", quantity}}}}});
        EXPECT_EQ(r.status, 201) << Describe(r);
        return JsonObject(r);
    }

    static HttpResponse Notify(std::uint16_t port, const std::string& body, const std::string& signature) {
        RequestOptions o;
        o.content_type = "application/json";
        o.headers.emplace_back("X-Sandbox-Signature", signature);
        return Request(port, "POST", "/api/v1/payments/notify/sandbox", body, o);
    }

    static std::string NoticeBody(const std::string& payment, std::int64_t amount) {
        return boost::json::serialize(boost::json::object{
            {"payment_id", payment}, {"amount_fen", amount}, {"charge_id", "test-1"}, {"paid_at", 1}});
    }

    std::string OrderStatus(const World& w, const std::string& order) {
        return Str(JsonObject(Send(w.port, "GET", "/api/v1/orders/" + order, &w.buyer)), "status");
    }

    bool WaitForStatus(const World& w, const std::string& order, const std::string& status) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            if (OrderStatus(w, order) == status) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    std::int64_t Sales(const World& w) {
        return Int(JsonObject(Send(w.port, "GET", "/api/v1/products/" + w.product, nullptr)), "sales");
    }

    // The provider's signed word that the checkout's payment was made.
    void PayNow(const World& w, const boost::json::object& placed) {
        const auto payment = Obj(placed, "payment");
        const std::string body = NoticeBody(Str(payment, "id"), Int(payment, "amount_fen"));
        const auto r = Notify(w.port, body, infra::HmacSha256Hex(kSandboxSecret, body));
        EXPECT_EQ(r.status, 200) << Describe(r);
    }

    // Units of the world's SKU still on offer.
    std::int64_t Available(const World& w) {
        const auto p = JsonObject(Send(w.port, "GET", "/api/v1/products/" + w.product, nullptr));
        for (const auto& s : Arr(p, "skus")) {
            if (Str(s.as_object(), "id") == w.sku) return Int(s.as_object(), "stock");
        }
        return -1;
    }

    void StockAgreesWithTheLedger() {
        const auto [rc, out] = GojiProcess::RunToEnd(
            {"check", "stock", "--db", OwnDatabaseUri(), "--regions", GOJI_REGIONS_FILE, "--argon2", "min"});
        EXPECT_EQ(rc, 0) << out;
    }
};

}  // namespace goji::testing::http
