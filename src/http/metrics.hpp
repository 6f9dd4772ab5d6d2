#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"

namespace goji::http {

// Request counts and latency histograms per route, in Prometheus text format.
// Lock-free: one slot per route, fixed at start-up.
class Metrics {
public:
    static constexpr std::array<double, 14> kBucketsSeconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};

    explicit Metrics(const Router& router);

    // `route_index` is Route::index, or routes().size() for requests no route matched.
    void Record(std::size_t route_index, int status, std::int64_t duration_ns);

    // Extra exposition text (database pool, connections) appended by the owner.
    void AddSource(std::function<void(std::string&)> source) { sources_.push_back(std::move(source)); }
    std::string Render() const;

private:
    struct Slot {
        std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx..5xx
        std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size()> buckets{};
        std::atomic<std::uint64_t> count{0};
        std::atomic<std::uint64_t> sum_ns{0};
    };
    struct Label {
        std::string route;
        std::string method;
    };

    std::vector<Label> labels_;
    std::unique_ptr<Slot[]> slots_;  // NOLINT(modernize-avoid-c-arrays): atomics are not movable
    std::vector<std::function<void(std::string&)>> sources_;
};

}  // namespace goji::http
