#include "http/middleware/middleware.hpp"

#include <spdlog/logger.h>

#include <chrono>

#include "common/text.hpp"

namespace goji::http {

namespace {
std::int64_t NowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
}  // namespace

Response RequestIdMiddleware::Invoke(Context& ctx, const Next& next) const {
    Request& req = ctx.req();
    if (req.request_id.empty()) req.request_id = RequestIdFor(req);
    if (trust_proxy_) {
        if (const auto xff = req.Header("x-forwarded-for")) {
            const std::size_t comma = xff->rfind(',');
            const std::string_view last = text::Trim(comma == std::string_view::npos ? *xff : xff->substr(comma + 1));
            if (!last.empty() && last.size() <= 64) req.remote_ip = std::string(last);
        }
    }
    req.lang = std::string(Messages::Negotiate(req.Query("lang").value_or(""), req.Cookie("goji_lang").value_or(""),
                                               req.Header("accept-language").value_or("")));
    Response r = next(ctx);
    r.Set("X-Request-Id", req.request_id);
    r.Set("X-Content-Type-Options", "nosniff");
    if (!r.Header("Cache-Control")) r.Set("Cache-Control", "no-store");
    return r;
}

Response AccessLogMiddleware::Invoke(Context& ctx, const Next& next) const {
    Request& req = ctx.req();
    if (req.start_ns == 0) req.start_ns = NowNs();
    Response r = next(ctx);
    const std::int64_t took = NowNs() - req.start_ns;
    const RouteMatch& m = ctx.match();
    metrics_.Record(m.route ? m.route->index : static_cast<std::size_t>(-1), r.status, took);
    if (log_) {
        std::string line;
        line.reserve(256);
        line += R"({"request_id":")";
        line += req.request_id;
        line += R"(","method":")";
        line += MethodName(req.method);
        line += R"(","path":")";
        text::AppendJsonEscaped(line, req.path.size() > 512 ? std::string_view(req.path).substr(0, 512) : req.path);
        line += R"(","route":")";
        text::AppendJsonEscaped(line, m.route ? std::string_view(m.route->pattern) : std::string_view("-"));
        line += R"(","status":)";
        line += std::to_string(r.status);
        line += R"(,"bytes":)";
        line += std::to_string(r.body.size());
        line += R"(,"duration_ms":)";
        line += std::to_string(static_cast<double>(took) / 1e6);
        line += R"(,"ip":")";
        text::AppendJsonEscaped(line, req.remote_ip);
        line += R"(","user_id":)";
        line += std::to_string(ctx.user_id_for_log());
        line += '}';
        log_->info(line);
    }
    return r;
}

Response RateLimitMiddleware::Invoke(Context& ctx, const Next& next) const {
    const auto d = limiter_.Take(ctx.req().remote_ip);
    if (!d.allowed) {
        Error e = Error::Make(ErrorKind::kRateLimited, "rate_limited", "per-address limit");
        e.retry_after_s = d.retry_after_s;
        return ctx.Fail(e);
    }
    return next(ctx);
}

Response SessionMiddleware::Invoke(Context& ctx, const Next& next) const {
    if (IsUnsafe(ctx.req().method) && ctx.TokenFromCookie()) {
        const auto& auth = ctx.Auth();
        if (auth.ok()) {
            const std::string_view sent = ctx.req().Header(kCsrfHeader).value_or("");
            if (!check_(auth.value().session, sent)) {
                return ctx.Fail(Error::Make(ErrorKind::kForbidden, "csrf"));
            }
        }
    }
    return next(ctx);
}

}  // namespace goji::http
