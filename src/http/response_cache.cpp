#include "http/response_cache.hpp"

namespace goji::http {

ResponseCache::ResponseCache(std::size_t entries, std::chrono::milliseconds fresh) : entries_(entries), fresh_(fresh) {}

std::shared_ptr<const std::string> ResponseCache::Get(std::string_view key, std::int64_t version) {
    if (entries_ == 0) return nullptr;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    auto it = map_.find(std::string(key));
    if (it == map_.end()) return nullptr;
    if (it->second.version != version || now - it->second.at > fresh_) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.position);
    return it->second.body;
}

bool ResponseCache::Has(std::string_view key, std::int64_t version) {
    if (entries_ == 0) return false;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    auto it = map_.find(std::string(key));
    return it != map_.end() && it->second.version == version && now - it->second.at <= fresh_;
}

void ResponseCache::Put(std::string_view key, std::int64_t version, std::shared_ptr<const std::string> body) {
    if (entries_ == 0) return;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mu_);
    std::string k(key);
    if (auto it = map_.find(k); it != map_.end()) {
        if (it->second.version > version) return;  // a newer rendering is already there
        it->second = Entry{version, now, std::move(body), it->second.position};
        lru_.splice(lru_.begin(), lru_, it->second.position);
        return;
    }
    while (map_.size() >= entries_ && !lru_.empty()) {
        map_.erase(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(k);
    map_.emplace(std::move(k), Entry{version, now, std::move(body), lru_.begin()});
}

}  // namespace goji::http
