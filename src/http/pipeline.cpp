#include "http/pipeline.hpp"

#include <atomic>
#include <chrono>
#include <exception>
#include <random>

#include <spdlog/spdlog.h>

#include "http/problem.hpp"

namespace goji::http {

namespace {

std::uint64_t NextRandom() {
    static std::atomic<std::uint64_t> counter{std::random_device{}() * 0x9E3779B97F4A7C15ULL};
    std::uint64_t z = counter.fetch_add(0x9E3779B97F4A7C15ULL, std::memory_order_relaxed);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

bool WellFormedId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::string RequestIdFor(const Request& req) {
    if (const auto h = req.Header("x-request-id"); h && WellFormedId(*h)) return std::string(*h);
    static constexpr char kDigits[] = "0123456789abcdef";
    std::uint64_t v = NextRandom();
    std::string id(16, '0');
    for (int i = 15; i >= 0; --i) {
        id[static_cast<std::size_t>(i)] = kDigits[v & 0xF];
        v >>= 4;
    }
    return id;
}

Response Next::operator()(Context& ctx) const { return pipeline_.Call(index_, ctx); }

Pipeline::Pipeline(const Router& router, const Messages& messages, Metrics& metrics, Authenticator auth)
    : router_(router), messages_(messages), metrics_(metrics), auth_(std::move(auth)) {}

RouteMatch Pipeline::Match(Method method, const std::vector<std::string>& segments) const {
    return router_.Match(method, segments);
}

Response Pipeline::Call(std::size_t index, Context& ctx) const {
    if (index < middlewares_.size()) return middlewares_[index]->Invoke(ctx, Next(*this, index + 1));
    return Final(ctx);
}

Response Pipeline::Final(Context& ctx) const {
    const RouteMatch& m = ctx.match();
    try {
        if (m.route) return m.route->handler(ctx);
        if (m.status == 405) {
            Response r = ctx.Fail(Error::Make(ErrorKind::kMethodNotAllowed, "method_not_allowed"));
            r.Set("Allow", m.allow);
            return r;
        }
        const Method method = ctx.req().method;
        if (router_.fallback() && (method == Method::kGet || method == Method::kHead)) {
            return router_.fallback()(ctx);
        }
        return ctx.Fail(Error::NotFound());
    } catch (const std::exception& e) {
        spdlog::error("request {} failed: {}", ctx.req().request_id, e.what());
        return ctx.Fail(Error::Internal(e.what()));
    }
}

Response Pipeline::Handle(Request& req, const RouteMatch& match) const {
    try {
        Context ctx(req, match, messages_, auth_);
        Response r = Call(0, ctx);
        if (req.method == Method::kHead) {
            r.head_length = r.body.size();
            r.body.clear();
        }
        return r;
    } catch (const std::exception& e) {
        spdlog::error("request {} failed in the pipeline: {}", req.request_id, e.what());
        return Problem(messages_, req, Error::Internal(e.what()));
    }
}

Response Pipeline::Refuse(Request& req, const Error& error) const {
    // Logged, counted and given a request id like any other reply.
    if (req.request_id.empty()) req.request_id = RequestIdFor(req);
    req.lang = std::string(Messages::Negotiate(req.Query("lang").value_or(""), req.Cookie("goji_lang").value_or(""),
                                               req.Header("accept-language").value_or("")));
    Response r = Problem(messages_, req, error);
    r.Set("X-Request-Id", req.request_id);
    r.close = true;
    const auto now = std::chrono::steady_clock::now().time_since_epoch();
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now).count();
    metrics_.Record(router_.routes().size(), r.status, req.start_ns ? ns - req.start_ns : 0);
    spdlog::info("refused request {} from {}: {} ({}) {}", req.request_id, req.remote_ip, r.status, error.code,
                 error.internal);
    return r;
}

}  // namespace goji::http
