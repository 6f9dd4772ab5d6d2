// goji_flash_bench: the flash-sale benchmark's load. The seller of the
// checkout benchmark's shop (`goji seed --bench-buyers`) opens a live room
// and puts `--units` units of its first SKU on a flash sale (at most
// `--limit` a buyer); then `--clients` buyers, each on its own keep-alive
// connection with its own session and address, buy one unit at a time as
// fast as they can until the sale answers sold_out (or their limit is
// reached). Reported: units bought (must be `--units`), the time from the
// first attempt until the last unit was sold, and the latency of all
// attempts and of the successful ones (p50, p99). `--sale-only` creates a
// sale and prints its id without buying (for the database reference).
#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/json/src.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include "keepalive_client.hpp"

namespace goji::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kNoThrow = net::as_tuple(net::use_awaitable);
constexpr auto kRequestTimeout = std::chrono::seconds(60);

struct Buyer {
    std::string address;
    std::string token;
};

struct Data {
    std::vector<Buyer> buyers;
    std::string sku;
    std::string product;
};

bool ReadData(const std::string& path, Data& out) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "buyer") {
            std::string login, id;
            Buyer b;
            words >> login >> id >> b.address >> b.token;
            out.buyers.push_back(b);
        } else if (kind == "sku" && out.sku.empty()) {
            words >> out.sku >> out.product;
        }
    }
    return !out.buyers.empty() && !out.sku.empty();
}

// One keep-alive connection; reconnects after an error.
class Client : public KeepAliveClient {
public:
    Client(net::any_io_executor ex, tcp::endpoint at) : KeepAliveClient(std::move(ex), at, kRequestTimeout) {}
};

Request MakeRequest(bhttp::verb verb, std::string target, const std::string& token, std::string body) {
    Request req{verb, std::move(target), 11};
    req.set(bhttp::field::host, "127.0.0.1");
    if (!token.empty()) req.set(bhttp::field::authorization, "Bearer " + token);
    if (verb != bhttp::verb::get) {
        req.set(bhttp::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
    }
    return req;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

struct Results {
    std::vector<double> attempt_ms;
    std::vector<double> bought_ms;
    std::int64_t bought = 0;
    std::int64_t sold_out = 0;
    std::int64_t limit = 0;
    std::int64_t errors = 0;
    std::string first_error;
    Clock::time_point last_sold{};
};

// An hour from now as ISO 8601 in UTC, for the room's schedule.
std::string InAnHour() {
    const std::time_t t =
        std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::hours(1));
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// The seller opens a room and a sale; returns the sale's id (empty on error).
net::awaitable<std::string> MakeSale(const Data& data, tcp::endpoint at, std::int64_t units, std::int64_t limit,
                                     std::string& error) {
    Client c(co_await net::this_coro::executor, at);
    Request login = MakeRequest(bhttp::verb::post, "/api/v1/auth/login", "",
                                R"({"login":"bench-seller","password":"bench-seller-password"})");
    auto res = co_await c.Send(login, error);
    if (!res || res->result_int() != 200) co_return std::string();
    const std::string token(boost::json::parse(res->body()).at("token").as_string());
    Request product = MakeRequest(bhttp::verb::get, "/api/v1/products/" + data.product, "", "");
    res = co_await c.Send(product, error);
    if (!res || res->result_int() != 200) co_return std::string();
    const std::string shop(boost::json::parse(res->body()).at("shop_id").as_string());
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    Request room =
        MakeRequest(bhttp::verb::post, "/api/v1/live/rooms", token,
                    boost::json::serialize(boost::json::object{
                        {"shop_id", shop}, {"title", "flash sale benchmark"}, {"scheduled_at", InAnHour()}}));
    res = co_await c.Send(room, error);
    if (!res || res->result_int() != 201) {
        if (res) error = "room: " + res->body();
        co_return std::string();
    }
    const std::string room_id(boost::json::parse(res->body()).at("id").as_string());
    Request sale = MakeRequest(bhttp::verb::post, "/api/v1/live/rooms/" + room_id + "/flash-sales", token,
                               boost::json::serialize(boost::json::object{{"sku_id", data.sku},
                                                                          {"price_fen", 100},
                                                                          {"quantity", units},
                                                                          {"per_user_limit", limit},
                                                                          {"starts_at", now_ms},
                                                                          {"duration_s", 3600}}));
    res = co_await c.Send(sale, error);
    if (!res || res->result_int() != 201) {
        if (res) error = "sale: " + res->body();
        co_return std::string();
    }
    co_return std::string(boost::json::parse(res->body()).at("id").as_string());
}

net::awaitable<void> BuyLoop(const Buyer& buyer, std::size_t index, const std::string& sale, tcp::endpoint at,
                             std::uint64_t nonce, Results& r) {
    Client client(co_await net::this_coro::executor, at);
    const std::string body = R"({"quantity":1,"address_id":")" + buyer.address + "\"}";
    std::string error;
    for (std::int64_t n = 0;; ++n) {
        Request req = MakeRequest(bhttp::verb::post, "/api/v1/live/flash-sales/" + sale + "/buy", buyer.token, body);
        req.set("Idempotency-Key",
                "flash-" + std::to_string(nonce) + "-" + std::to_string(index) + "-" + std::to_string(n));
        const auto t0 = Clock::now();
        auto res = co_await client.Send(req, error);
        const auto t1 = Clock::now();
        if (!res) {
            if (r.errors++ == 0) r.first_error = error;
            co_return;
        }
        r.attempt_ms.push_back(Ms(t1 - t0));
        const int status = res->result_int();
        if (status == 201) {
            ++r.bought;
            r.bought_ms.push_back(Ms(t1 - t0));
            r.last_sold = std::max(r.last_sold, t1);
        } else if (status == 409 && res->body().find("\"sold_out\"") != std::string::npos) {
            ++r.sold_out;
            co_return;
        } else if (status == 422 && res->body().find("\"limit_reached\"") != std::string::npos) {
            ++r.limit;
            co_return;
        } else {
            if (r.errors++ == 0) r.first_error = std::to_string(status) + " " + res->body().substr(0, 300);
            co_return;
        }
    }
}

net::awaitable<void> Main(const Data& data, std::size_t clients, tcp::endpoint at, std::int64_t units,
                          std::int64_t limit, bool sale_only, Results& r, Clock::time_point& start) {
    std::string error;
    const std::string sale = co_await MakeSale(data, at, units, limit, error);
    if (sale.empty()) {
        r.errors = 1;
        r.first_error = "could not create the sale: " + error;
        co_return;
    }
    if (sale_only) {
        std::printf("sale=%s\n", sale.c_str());
        co_return;
    }
    const std::uint64_t nonce = std::random_device{}();
    std::size_t running = clients;
    net::steady_timer done(co_await net::this_coro::executor, Clock::time_point::max());
    start = Clock::now();
    for (std::size_t i = 0; i < clients; ++i) {
        net::co_spawn(co_await net::this_coro::executor, BuyLoop(data.buyers[i], i, sale, at, nonce, r),
                      [&running, &done](const std::exception_ptr&) {
                          if (--running == 0) done.cancel();
                      });
    }
    co_await done.async_wait(kNoThrow);
}

}  // namespace
}  // namespace goji::bench

int main(int argc, char** argv) {
    using namespace goji::bench;  // NOLINT(google-build-using-namespace)
    CLI::App cli{"Sell out a flash sale through Goji's HTTP API with many buyers at once"};
    std::string data_file;
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    std::size_t clients = 1000;
    std::int64_t units = 2000;
    std::int64_t limit = 2;
    bool sale_only = false;
    cli.add_option("--data", data_file, "the file goji seed --bench-buyers wrote")->required();
    cli.add_option("--host", host)->capture_default_str();
    cli.add_option("--port", port)->required();
    cli.add_option("--clients", clients, "buyers at once (at most as many as the file has)")->capture_default_str();
    cli.add_option("--units", units, "units on sale")->capture_default_str();
    cli.add_option("--limit", limit, "units a buyer may hold")->capture_default_str();
    cli.add_flag("--sale-only", sale_only, "create a sale, print its id and stop");
    CLI11_PARSE(cli, argc, argv);
    Data data;
    if (!ReadData(data_file, data)) {
        std::fprintf(stderr, "goji_flash_bench: %s names no buyers or no SKU\n", data_file.c_str());
        return 1;
    }
    if (clients == 0 || clients > data.buyers.size()) {
        std::fprintf(stderr, "goji_flash_bench: %s has %zu buyers\n", data_file.c_str(), data.buyers.size());
        return 1;
    }
    net::io_context io(1);
    const tcp::endpoint at(net::ip::make_address(host), port);
    Results r;
    Clock::time_point start{};
    net::co_spawn(io, Main(data, clients, at, units, limit, sale_only, r, start), net::detached);
    io.run();
    if (r.errors > 0) std::fprintf(stderr, "goji_flash_bench: first error: %s\n", r.first_error.c_str());
    if (sale_only) return r.errors > 0 ? 1 : 0;
    std::printf(
        "bought=%lld sold_out=%lld limit_reached=%lld errors=%lld sellout_ms=%.0f attempts=%zu attempt_p50_ms=%.2f "
        "attempt_p99_ms=%.2f bought_p50_ms=%.2f bought_p99_ms=%.2f clients=%zu units=%lld\n",
        static_cast<long long>(r.bought), static_cast<long long>(r.sold_out), static_cast<long long>(r.limit),
        static_cast<long long>(r.errors), r.bought > 0 ? Ms(r.last_sold - start) : -1.0, r.attempt_ms.size(),
        Percentile(r.attempt_ms, 0.50), Percentile(r.attempt_ms, 0.99), Percentile(r.bought_ms, 0.50),
        Percentile(r.bought_ms, 0.99), clients, static_cast<long long>(units));
    return r.errors == 0 && r.bought == units ? 0 : 1;
}
