#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"

namespace goji {

// Token buckets keyed by a string (an IP address, a login). Thread-safe,
// sharded to keep lock contention low, and bounded in memory: a shard that
// reaches its key limit first drops full buckets, then the oldest ones.
class RateLimiter {
public:
    struct Rule {
        double per_second = 1;  // refill rate
        double burst = 1;       // bucket size
    };
    struct Decision {
        bool allowed = true;
        std::int64_t retry_after_s = 0;  // when refused: seconds until a token is back
    };

    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kMaxKeysPerShard = 8192;

    RateLimiter(const Clock& clock, Rule rule) : clock_(clock), rule_(rule) {}

    // Takes `cost` tokens when available.
    Decision Take(std::string_view key, double cost = 1);
    // Looks without taking (for "is this login currently locked?").
    Decision Peek(std::string_view key, double cost = 1);
    // Forgets a key (e.g. after a successful login).
    void Reset(std::string_view key);

    bool enabled() const { return rule_.per_second > 0; }

private:
    struct Bucket {
        double tokens = 0;
        Millis updated_ms = 0;
    };
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::string, Bucket> buckets;
    };

    Decision Decide(std::string_view key, double cost, bool take);
    void Evict(Shard& shard, Millis now);
    Shard& ShardFor(std::string_view key);

    const Clock& clock_;
    Rule rule_;
    std::array<Shard, kShards> shards_;
};

}  // namespace goji
