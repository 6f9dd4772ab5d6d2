#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace goji::http {

namespace {

std::vector<std::string> Split(std::string_view pattern) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= pattern.size()) {
        const std::size_t slash = pattern.find('/', i);
        const std::size_t end = slash == std::string_view::npos ? pattern.size() : slash;
        out.emplace_back(pattern.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

bool IsParam(std::string_view seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

}  // namespace

void Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
    if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route must start with /");
    if (options.body_limit > kMaxBodyLimit) throw std::invalid_argument("body limit over kMaxBodyLimit");
    Route r{method, std::string(pattern), Split(pattern), std::move(handler), options, routes_.size()};
    routes_.push_back(std::move(r));
}

RouteMatch Router::Match(Method method, const std::vector<std::string>& segments) const {
    RouteMatch out;
    const Method want = method == Method::kHead ? Method::kGet : method;
    std::vector<std::string_view> allowed;
    for (const Route& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            ok = IsParam(r.segments[i]) ? !segments[i].empty() : r.segments[i] == segments[i];
        }
        if (!ok) continue;
        if (r.method != want) {
            allowed.push_back(MethodName(r.method));
            if (r.method == Method::kGet) allowed.emplace_back("HEAD");
            continue;
        }
        out.route = &r;
        out.body_limit = r.options.body_limit;
        out.run_inline = r.options.run_inline;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (IsParam(r.segments[i])) {
                const std::string_view name(r.segments[i]);
                out.params.emplace_back(name.substr(1, name.size() - 2), segments[i]);
            }
        }
        return out;
    }
    if (!allowed.empty()) {
        std::sort(allowed.begin(), allowed.end());
        allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
        out.status = 405;
        for (const auto m : allowed) {
            if (!out.allow.empty()) out.allow += ", ";
            out.allow += m;
        }
        return out;
    }
    out.status = 404;
    return out;
}

}  // namespace goji::http
