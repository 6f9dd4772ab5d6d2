#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/types.hpp"

namespace goji::http {

class Context;
using Handler = std::function<Response(Context&)>;

struct RouteOptions {
    std::size_t body_limit = kDefaultBodyLimit;
    // Runs on the I/O thread: only for handlers that never block (no
    // database, no disk), such as /healthz and in-memory lookups.
    bool run_inline = false;
    // Asked on the I/O thread before a request is handed to a worker: true
    // when this request can be answered without blocking (e.g. from a cache
    // in memory), so it runs there and saves two thread switches. Must be
    // cheap and must not block. If its answer goes stale before the handler
    // runs, the handler blocks the I/O thread once; keep that window short.
    std::function<bool(const Request&)> inline_if;
};

struct Route {
    Method method = Method::kGet;
    std::string pattern;  // "/api/v1/regions/{code}/children"; also the metrics label
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
    std::size_t index = 0;
};

struct RouteMatch {
    const Route* route = nullptr;  // null: no route (see status)
    int status = 200;              // 404 or 405 when route is null
    std::string allow;             // for 405
    std::vector<std::pair<std::string_view, std::string>> params;
    std::size_t body_limit = kDefaultBodyLimit;
    bool run_inline = false;
};

// Routes by method and path segments; `{name}` matches one segment. A path
// that exists with other methods gives 405 with Allow, HEAD follows GET.
class Router {
public:
    void Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});
    RouteMatch Match(Method method, const std::vector<std::string>& segments) const;
    const std::vector<Route>& routes() const { return routes_; }
    // A catch-all GET handler used when no route matches (static files).
    void SetFallback(Handler handler) { fallback_ = std::move(handler); }
    const Handler& fallback() const { return fallback_; }

private:
    std::vector<Route> routes_;
    Handler fallback_;
};

}  // namespace goji::http
