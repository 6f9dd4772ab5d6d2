#include "http/metrics.hpp"

#include <fmt/format.h>

namespace goji::http {

Metrics::Metrics(const Router& router) : slots_(std::make_unique<Slot[]>(router.routes().size() + 1)) {
    for (const Route& r : router.routes()) labels_.push_back({r.pattern, std::string(MethodName(r.method))});
    labels_.push_back({"unmatched", "ANY"});
}

void Metrics::Record(std::size_t route_index, int status, std::int64_t duration_ns) {
    if (route_index >= labels_.size()) route_index = labels_.size() - 1;
    Slot& s = slots_[route_index];
    const int cls = status / 100;
    if (cls >= 1 && cls <= 5) s.by_class[static_cast<std::size_t>(cls - 1)].fetch_add(1, std::memory_order_relaxed);
    const double seconds = static_cast<double>(duration_ns) / 1e9;
    for (std::size_t i = 0; i < kBucketsSeconds.size(); ++i) {
        if (seconds <= kBucketsSeconds[i]) {
            s.buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
    s.count.fetch_add(1, std::memory_order_relaxed);
    s.sum_ns.fetch_add(static_cast<std::uint64_t>(duration_ns < 0 ? 0 : duration_ns), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
    std::string out;
    out.reserve(16 * 1024);
    out += "# HELP goji_http_requests_total HTTP requests by route, method and status class.\n";
    out += "# TYPE goji_http_requests_total counter\n";
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        for (std::size_t c = 0; c < 5; ++c) {
            const auto n = slots_[i].by_class[c].load(std::memory_order_relaxed);
            if (n == 0) continue;
            out += fmt::format("goji_http_requests_total{{route=\"{}\",method=\"{}\",code=\"{}xx\"}} {}\n",
                               labels_[i].route, labels_[i].method, c + 1, n);
        }
    }
    out += "# HELP goji_http_request_duration_seconds Time from a request's arrival to its reply.\n";
    out += "# TYPE goji_http_request_duration_seconds histogram\n";
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        const Slot& s = slots_[i];
        const auto count = s.count.load(std::memory_order_relaxed);
        if (count == 0) continue;
        const std::string lbl = fmt::format("route=\"{}\",method=\"{}\"", labels_[i].route, labels_[i].method);
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < kBucketsSeconds.size(); ++b) {
            cumulative += s.buckets[b].load(std::memory_order_relaxed);
            out += fmt::format("goji_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", lbl,
                               kBucketsSeconds[b], cumulative);
        }
        out += fmt::format("goji_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", lbl, count);
        out += fmt::format("goji_http_request_duration_seconds_sum{{{}}} {:.6f}\n", lbl,
                           static_cast<double>(s.sum_ns.load(std::memory_order_relaxed)) / 1e9);
        out += fmt::format("goji_http_request_duration_seconds_count{{{}}} {}\n", lbl, count);
    }
    for (const auto& source : sources_) source(out);
    return out;
}

}  // namespace goji::http
