#include "common/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace goji {

RateLimiter::Shard& RateLimiter::ShardFor(std::string_view key) {
    return shards_[std::hash<std::string_view>{}(key) % kShards];
}

RateLimiter::Decision RateLimiter::Take(std::string_view key, double cost) { return Decide(key, cost, true); }

RateLimiter::Decision RateLimiter::Peek(std::string_view key, double cost) { return Decide(key, cost, false); }

void RateLimiter::Reset(std::string_view key) {
    Shard& shard = ShardFor(key);
    const std::scoped_lock lock(shard.mu);
    shard.buckets.erase(std::string(key));
}

RateLimiter::Decision RateLimiter::Decide(std::string_view key, double cost, bool take) {
    if (!enabled()) return {};
    const Millis now = clock_.NowMs();
    Shard& shard = ShardFor(key);
    const std::scoped_lock lock(shard.mu);
    auto it = shard.buckets.find(std::string(key));
    if (it == shard.buckets.end()) {
        if (!take) return {};
        if (shard.buckets.size() >= kMaxKeysPerShard) Evict(shard, now);
        it = shard.buckets.emplace(std::string(key), Bucket{rule_.burst, now}).first;
    }
    Bucket& b = it->second;
    const double elapsed_s = static_cast<double>(std::max<Millis>(0, now - b.updated_ms)) / 1000.0;
    b.tokens = std::min(rule_.burst, b.tokens + elapsed_s * rule_.per_second);
    b.updated_ms = now;
    if (b.tokens >= cost) {
        if (take) b.tokens -= cost;
        return {};
    }
    const double missing = cost - b.tokens;
    const auto wait = static_cast<std::int64_t>(std::ceil(missing / rule_.per_second));
    return {false, std::max<std::int64_t>(1, wait)};
}

void RateLimiter::Evict(Shard& shard, Millis now) {
    // Full buckets carry no information: drop them first.
    std::erase_if(shard.buckets, [&](const auto& kv) {
        const double elapsed_s = static_cast<double>(now - kv.second.updated_ms) / 1000.0;
        return kv.second.tokens + elapsed_s * rule_.per_second >= rule_.burst;
    });
    if (shard.buckets.size() < kMaxKeysPerShard) return;
    // Still full: drop the oldest half.
    std::vector<Millis> times;
    times.reserve(shard.buckets.size());
    for (const auto& kv : shard.buckets) times.push_back(kv.second.updated_ms);
    auto mid = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), mid, times.end());
    const Millis cutoff = *mid;
    std::erase_if(shard.buckets, [&](const auto& kv) { return kv.second.updated_ms <= cutoff; });
}

}  // namespace goji
