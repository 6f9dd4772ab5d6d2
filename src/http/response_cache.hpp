#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace goji::http {

// Rendered replies of busy public lists, each valid while the data version it
// was rendered at is current and for at most `fresh` (details such as stock
// shown in a list may be that old; what the list contains follows the version
// exactly). Bounded; the least recently used entry goes first.
class ResponseCache {
public:
    ResponseCache(std::size_t entries, std::chrono::milliseconds fresh);

    std::shared_ptr<const std::string> Get(std::string_view key, std::int64_t version);
    // Whether Get would find it now (without touching the recency order).
    bool Has(std::string_view key, std::int64_t version);
    void Put(std::string_view key, std::int64_t version, std::shared_ptr<const std::string> body);
    bool enabled() const { return entries_ > 0; }

private:
    struct Entry {
        std::int64_t version = 0;
        std::chrono::steady_clock::time_point at;
        std::shared_ptr<const std::string> body;
        std::list<std::string>::iterator position;
    };

    const std::size_t entries_;
    const std::chrono::milliseconds fresh_;
    std::mutex mu_;
    std::list<std::string> lru_;  // most recent first
    std::unordered_map<std::string, Entry> map_;
};

}  // namespace goji::http
