#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/context.hpp"
#include "http/messages.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/types.hpp"

namespace goji::http {

class Pipeline;

// Calls the rest of the chain.
class Next {
public:
    Next(const Pipeline& pipeline, std::size_t index) : pipeline_(pipeline), index_(index) {}
    Response operator()(Context& ctx) const;

private:
    const Pipeline& pipeline_;
    std::size_t index_;
};

// A step around every request: `invoke(ctx, next)`.
class Middleware {
public:
    virtual ~Middleware() = default;
    virtual Response Invoke(Context& ctx, const Next& next) const = 0;
};

// Everything between the server's parsed request and its reply: routing,
// the middleware chain, the handler, and problem replies. Has no Beast in it,
// so it is tested without sockets.
class Pipeline {
public:
    Pipeline(const Router& router, const Messages& messages, Metrics& metrics, Authenticator auth);

    void Use(std::unique_ptr<Middleware> middleware) { middlewares_.push_back(std::move(middleware)); }

    RouteMatch Match(Method method, const std::vector<std::string>& segments) const;
    // Never throws: an exception from a handler becomes a 500 problem.
    Response Handle(Request& req, const RouteMatch& match) const;
    // Requests the server refuses before routing (400, 408, 413, 431, 503):
    // these still get a request id, a problem body, a log line and a metric.
    Response Refuse(Request& req, const Error& error) const;

    const Messages& messages() const { return messages_; }
    Metrics& metrics() const { return metrics_; }

private:
    friend class Next;
    Response Call(std::size_t index, Context& ctx) const;
    Response Final(Context& ctx) const;

    const Router& router_;
    const Messages& messages_;
    Metrics& metrics_;
    Authenticator auth_;
    std::vector<std::unique_ptr<Middleware>> middlewares_;
};

// A short id for each request, taken from a well-formed X-Request-Id header
// (so a load balancer's id carries through) or made up.
std::string RequestIdFor(const Request& req);

}  // namespace goji::http
