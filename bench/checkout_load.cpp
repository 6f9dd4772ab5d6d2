// goji_checkout_bench: the checkout benchmark's load. Buyers (from the file
// `goji seed --bench-buyers` wrote), each on its own keep-alive connection
// with its own session and address, loop: check out one unit of a random SKU,
// then pay it in the sandbox. When the time is up they stop, and the program
// waits until the sandbox's notifications have made every order paid: orders
// per second counts paid orders over the whole time, the wait included.
//
// Latency per order: the checkout's 201, and the checkout's 201 plus the
// pay button's 202, as the buyer sees them. One thread of coroutines by
// default, so that the load takes little of the cores it shares with Goji.
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

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
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

// Every request has this long; a benchmark that waits longer has failed.
constexpr auto kRequestTimeout = std::chrono::seconds(30);
// How long the notifications may take to make every order paid.
constexpr auto kDrainTimeout = std::chrono::seconds(120);
constexpr auto kPollEvery = std::chrono::milliseconds(20);

struct Buyer {
    std::string login;
    std::string id;
    std::string address;
    std::string token;
};

struct Data {
    std::vector<Buyer> buyers;
    std::vector<std::string> skus;
};

bool ReadData(const std::string& path, Data& out) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "buyer") {
            Buyer b;
            words >> b.login >> b.id >> b.address >> b.token;
            out.buyers.push_back(b);
        } else if (kind == "sku") {
            std::string sku;
            words >> sku;
            out.skus.push_back(sku);
        }
    }
    return !out.buyers.empty() && !out.skus.empty();
}

struct Results {
    std::vector<double> checkout_ms;
    std::vector<double> order_ms;  // checkout + pay
    std::int64_t errors = 0;
    std::string first_error;
    Clock::time_point last_done{};

    void Error(std::string what) {
        if (errors++ == 0) first_error = std::move(what);
    }
};

// One keep-alive connection; reconnects after an error.
class Client : public KeepAliveClient {
public:
    Client(net::any_io_executor ex, tcp::endpoint at) : KeepAliveClient(std::move(ex), at, kRequestTimeout) {}
};

Request MakeRequest(bhttp::verb verb, std::string target, const Buyer& buyer, std::string body) {
    Request req{verb, std::move(target), 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::authorization, "Bearer " + buyer.token);
    if (verb != bhttp::verb::get) {
        req.set(bhttp::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
    }
    return req;
}

// The payment's id in a checkout's reply: {"checkout_id":…,"orders":[…],"payment":{"id":"…",…}}.
std::string PaymentId(const std::string& body) {
    constexpr std::string_view kMark = "\"payment\":{\"id\":\"";
    const auto at = body.rfind(kMark);
    if (at == std::string::npos) return {};
    const auto start = at + kMark.size();
    const auto end = body.find('"', start);
    return end == std::string::npos ? std::string() : body.substr(start, end - start);
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string Describe(const Response& res) { return std::to_string(res.result_int()) + " " + res.body().substr(0, 300); }

net::awaitable<void> Buy(const Data& data, std::size_t index, tcp::endpoint at, Clock::time_point deadline,
                         std::uint64_t nonce, Results& results) {
    const Buyer& buyer = data.buyers[index];
    Client client(co_await net::this_coro::executor, at);
    std::mt19937_64 rng(nonce + index);
    std::int64_t n = 0;
    std::string error;
    net::steady_timer pause(co_await net::this_coro::executor);
    while (Clock::now() < deadline) {
        const std::string& sku = data.skus[rng() % data.skus.size()];
        Request checkout = MakeRequest(
            bhttp::verb::post, "/api/v1/checkout", buyer,
            R"({"address_id":")" + buyer.address + R"(","items":[{"sku_id":")" + sku + R"(","quantity":1}]})");
        checkout.set("Idempotency-Key",
                     "load-" + std::to_string(nonce) + "-" + std::to_string(index) + "-" + std::to_string(n++));
        const auto t0 = Clock::now();
        auto created = co_await client.Send(checkout, error);
        const auto t1 = Clock::now();
        std::string payment = created && created->result_int() == 201 ? PaymentId(created->body()) : std::string();
        if (payment.empty()) {
            results.Error("checkout: " + (created ? Describe(*created) : error));
            pause.expires_after(std::chrono::milliseconds(50));
            co_await pause.async_wait(kNoThrow);
            continue;
        }
        Request pay = MakeRequest(bhttp::verb::post, "/api/v1/payments/" + payment + "/sandbox/pay", buyer, "");
        auto charged = co_await client.Send(pay, error);
        const auto t2 = Clock::now();
        if (!charged || charged->result_int() != 202) {
            results.Error("pay: " + (charged ? Describe(*charged) : error));
            pause.expires_after(std::chrono::milliseconds(50));
            co_await pause.async_wait(kNoThrow);
            continue;
        }
        results.checkout_ms.push_back(Ms(t1 - t0));
        results.order_ms.push_back(Ms(t2 - t0));
    }
    results.last_done = std::max(results.last_done, Clock::now());
}

// Waits until no buyer has an order waiting for payment; returns when that was.
net::awaitable<std::optional<Clock::time_point>> AllPaid(const Data& data, tcp::endpoint at, Results& results) {
    Client client(co_await net::this_coro::executor, at);
    net::steady_timer pause(co_await net::this_coro::executor);
    std::vector<bool> clear(data.buyers.size(), false);
    const auto give_up = Clock::now() + kDrainTimeout;
    std::string error;
    while (Clock::now() < give_up) {
        bool all = true;
        for (std::size_t i = 0; i < data.buyers.size(); ++i) {
            if (clear[i]) continue;
            Request req =
                MakeRequest(bhttp::verb::get, "/api/v1/orders?status=pending_payment&limit=1", data.buyers[i], "");
            auto res = co_await client.Send(req, error);
            if (!res || res->result_int() != 200) {
                results.Error("orders: " + (res ? Describe(*res) : error));
                co_return std::nullopt;
            }
            clear[i] = res->body().find("\"items\":[]") != std::string::npos;
            all = all && clear[i];
            if (!all) break;  // the first buyer still waiting: ask again later
        }
        if (all) co_return Clock::now();
        pause.expires_after(kPollEvery);
        co_await pause.async_wait(kNoThrow);
    }
    results.Error("orders still waiting for payment after the drain timeout");
    co_return std::nullopt;
}

// All buyers at once; then the wait until their orders are paid.
net::awaitable<void> Main(const Data& data, std::size_t buyers, tcp::endpoint at, Clock::time_point deadline,
                          std::uint64_t nonce, Results& results, std::optional<Clock::time_point>& paid) {
    std::size_t running = buyers;
    net::steady_timer done(co_await net::this_coro::executor, Clock::time_point::max());
    for (std::size_t i = 0; i < buyers; ++i) {
        net::co_spawn(co_await net::this_coro::executor, Buy(data, i, at, deadline, nonce, results),
                      [&running, &done](const std::exception_ptr&) {
                          if (--running == 0) done.cancel();
                      });
    }
    co_await done.async_wait(kNoThrow);
    paid = co_await AllPaid(data, at, results);
}

double Percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
    return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

int Run(const Data& data, std::size_t buyers, const std::string& host, unsigned short port, double seconds) {
    net::io_context io(1);
    const tcp::endpoint at(net::ip::make_address(host), port);
    const std::uint64_t nonce = std::random_device{}();
    Results results;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::optional<Clock::time_point> paid;
    net::co_spawn(io, Main(data, buyers, at, deadline, nonce, results, paid), net::detached);
    io.run();
    const std::size_t orders = results.order_ms.size();
    const double load_s = std::chrono::duration<double>(results.last_done - start).count();
    const double total_s = paid ? std::chrono::duration<double>(*paid - start).count() : 0;
    std::printf(
        "orders=%zu load_s=%.3f drain_ms=%.0f orders_per_s=%.1f submitted_per_s=%.1f checkout_p50_ms=%.2f "
        "checkout_p99_ms=%.2f order_p50_ms=%.2f order_p99_ms=%.2f errors=%lld buyers=%zu\n",
        orders, load_s, paid ? Ms(*paid - results.last_done) : -1.0, paid ? static_cast<double>(orders) / total_s : 0.0,
        static_cast<double>(orders) / load_s, Percentile(results.checkout_ms, 0.50),
        Percentile(results.checkout_ms, 0.99), Percentile(results.order_ms, 0.50), Percentile(results.order_ms, 0.99),
        static_cast<long long>(results.errors), buyers);
    if (results.errors > 0) std::fprintf(stderr, "goji_checkout_bench: first error: %s\n", results.first_error.c_str());
    return paid && orders > 0 ? 0 : 1;
}

}  // namespace
}  // namespace goji::bench

int main(int argc, char** argv) {
    CLI::App cli{"Checkout and pay through Goji's HTTP API with many buyers at once"};
    std::string data_file;
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    std::size_t buyers = 64;
    double seconds = 10;
    cli.add_option("--data", data_file, "the file goji seed --bench-buyers wrote")->required();
    cli.add_option("--host", host)->capture_default_str();
    cli.add_option("--port", port)->required();
    cli.add_option("--buyers", buyers, "buyers at once (at most as many as the file has)")->capture_default_str();
    cli.add_option("--duration", seconds, "seconds of buying")->capture_default_str()->check(CLI::Range(0.1, 3600.0));
    CLI11_PARSE(cli, argc, argv);
    goji::bench::Data data;
    if (!goji::bench::ReadData(data_file, data)) {
        std::fprintf(stderr, "goji_checkout_bench: %s names no buyers or no SKUs\n", data_file.c_str());
        return 1;
    }
    if (buyers == 0 || buyers > data.buyers.size()) {
        std::fprintf(stderr, "goji_checkout_bench: %s has %zu buyers\n", data_file.c_str(), data.buyers.size());
        return 1;
    }
    return goji::bench::Run(data, buyers, host, port, seconds);
}
