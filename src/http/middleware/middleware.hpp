#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "common/clock.hpp"
#include "common/rate_limiter.hpp"
#include "http/pipeline.hpp"

namespace spdlog {
class logger;
}

namespace goji::http {

// Sets the language and the request id, and adds the reply headers every
// response carries (X-Request-Id, security headers).
// With `trust_proxy` (behind HAProxy), the client address is the last one
// in X-Forwarded-For, which the proxy appends.
class RequestIdMiddleware final : public Middleware {
public:
    explicit RequestIdMiddleware(bool trust_proxy = false) : trust_proxy_(trust_proxy) {}
    Response Invoke(Context& ctx, const Next& next) const override;

private:
    bool trust_proxy_;
};

// One JSON line per request, and the per-route metrics. Never logs
// credentials: no Authorization, Cookie or query string.
class AccessLogMiddleware final : public Middleware {
public:
    AccessLogMiddleware(std::shared_ptr<spdlog::logger> log, Metrics& metrics)
        : log_(std::move(log)), metrics_(metrics) {}
    Response Invoke(Context& ctx, const Next& next) const override;

private:
    std::shared_ptr<spdlog::logger> log_;
    Metrics& metrics_;
};

// Token bucket per client address; 429 with Retry-After when empty.
class RateLimitMiddleware final : public Middleware {
public:
    RateLimitMiddleware(const Clock& clock, RateLimiter::Rule rule) : limiter_(clock, rule) {}
    Response Invoke(Context& ctx, const Next& next) const override;

private:
    mutable RateLimiter limiter_;
};

// For state-changing requests that carry the session cookie, the session is
// looked up now and X-CSRF-Token must match it (403 "csrf" otherwise).
// Bearer-token clients are not exposed to CSRF and need no token.
class SessionMiddleware final : public Middleware {
public:
    using CsrfCheck = std::function<bool(const accounts::Session&, std::string_view token)>;
    explicit SessionMiddleware(CsrfCheck check) : check_(std::move(check)) {}
    Response Invoke(Context& ctx, const Next& next) const override;

private:
    CsrfCheck check_;
};

}  // namespace goji::http
