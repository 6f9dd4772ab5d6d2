#include "infra/pubsub.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace goji::infra {

namespace {

// This node's subscribers by channel.
class Hub {
public:
    struct Entry {
        std::recursive_mutex mu;  // held while the handler runs; a handler may end its own subscription
        bool active = true;
        PubSub::Handler fn;
    };

    class Sub final : public PubSub::Subscription {
    public:
        Sub(Hub& hub, std::string channel, std::uint64_t id, std::shared_ptr<Entry> entry)
            : hub_(hub), channel_(std::move(channel)), id_(id), entry_(std::move(entry)) {}
        ~Sub() override {
            {
                std::lock_guard lock(entry_->mu);  // waits for a call in progress
                entry_->active = false;
            }
            hub_.Remove(channel_, id_);
        }

    private:
        Hub& hub_;
        std::string channel_;
        std::uint64_t id_;
        std::shared_ptr<Entry> entry_;
    };

    std::unique_ptr<PubSub::Subscription> Add(std::string_view channel, PubSub::Handler fn) {
        auto entry = std::make_shared<Entry>();
        entry->fn = std::move(fn);
        std::lock_guard lock(mu_);
        const std::uint64_t id = ++next_id_;
        channels_[std::string(channel)].emplace(id, entry);
        return std::make_unique<Sub>(*this, std::string(channel), id, std::move(entry));
    }

    void Dispatch(std::string_view channel, std::string_view message) {
        std::vector<std::shared_ptr<Entry>> targets;
        {
            std::lock_guard lock(mu_);
            const auto it = channels_.find(channel);
            if (it == channels_.end()) return;
            for (const auto& [id, e] : it->second) targets.push_back(e);
        }
        for (const auto& e : targets) {
            std::lock_guard lock(e->mu);
            if (e->active) e->fn(message);
        }
    }

private:
    void Remove(const std::string& channel, std::uint64_t id) {
        std::lock_guard lock(mu_);
        const auto it = channels_.find(channel);
        if (it == channels_.end()) return;
        it->second.erase(id);
        if (it->second.empty()) channels_.erase(it);
    }

    std::mutex mu_;
    std::uint64_t next_id_ = 0;
    std::map<std::string, std::map<std::uint64_t, std::shared_ptr<Entry>>, std::less<>> channels_;
};

class LocalPubSub final : public PubSub {
public:
    Status Publish(std::string_view channel, std::string_view message) override {
        if (auto s = CheckChannel(channel); !s) return s;
        hub_.Dispatch(channel, message);
        return {};
    }
    Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel, Handler handler) override {
        if (auto s = CheckChannel(channel); !s) return s.error();
        return hub_.Add(channel, std::move(handler));
    }

private:
    Hub hub_;
};

struct ContextCloser {
    void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextCloser>;
struct ReplyCloser {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyCloser>;

class RedisPubSub final : public PubSub {
public:
    RedisPubSub(std::string host, int port, std::string prefix)
        : host_(std::move(host)), port_(port), prefix_(std::move(prefix)) {}

    ~RedisPubSub() override {
        stop_ = true;
        {
            std::lock_guard lock(sub_mu_);
            if (sub_fd_ >= 0) ::shutdown(sub_fd_, SHUT_RDWR);  // wakes the reader's blocking read
        }
        subscribed_cv_.notify_all();  // and its back-off
        if (reader_.joinable()) reader_.join();
    }

    // Starts the reader and waits until its first subscription stands.
    Status Start() {
        const std::string where = host_ + ":" + std::to_string(port_);
        {
            std::lock_guard lock(pub_mu_);
            pub_ = Connect();
            if (!pub_) return Error::Unavailable("redis at " + where + " cannot be reached");
        }
        reader_ = std::thread([this] { Read(); });
        std::unique_lock lock(sub_mu_);
        if (!subscribed_cv_.wait_for(lock, std::chrono::seconds(5), [this] { return subscribed_; })) {
            return Error::Unavailable("redis at " + where + " did not answer");
        }
        return {};
    }

    Status Publish(std::string_view channel, std::string_view message) override {
        if (auto s = CheckChannel(channel); !s) return s;
        const std::string full = prefix_ + std::string(channel);
        std::lock_guard lock(pub_mu_);
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!pub_) pub_ = Connect();
            if (!pub_) break;
            Reply r(static_cast<redisReply*>(
                redisCommand(pub_.get(), "PUBLISH %b %b", full.data(), full.size(), message.data(), message.size())));
            if (r && r->type == REDIS_REPLY_INTEGER) return {};
            pub_.reset();  // broken or answered an error: a new connection next time
        }
        return Error::Unavailable("redis publish to " + host_ + ":" + std::to_string(port_) + " failed");
    }

    Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel, Handler handler) override {
        if (auto s = CheckChannel(channel); !s) return s.error();
        return hub_.Add(channel, std::move(handler));
    }

private:
    Context Connect() const {
        const timeval timeout{1, 0};
        Context c(redisConnectWithTimeout(host_.c_str(), port_, timeout));
        if (!c || c->err) return nullptr;
        (void)redisEnableKeepAlive(c.get());
        const timeval io_timeout{5, 0};
        (void)redisSetTimeout(c.get(), io_timeout);
        return c;
    }

    // The reader: PSUBSCRIBE prefix*, then every message to this node's
    // subscribers; re-made with back-off after any error until stopped.
    void Read() {
        std::chrono::milliseconds backoff(100);
        while (!stop_) {
            Context c = Connect();
            if (c) {
                // Reads block until a message comes (no timeout); the destructor shuts the socket down.
                const timeval forever{0, 0};
                (void)redisSetTimeout(c.get(), forever);
                const std::string pattern = prefix_ + "*";
                Reply r(
                    static_cast<redisReply*>(redisCommand(c.get(), "PSUBSCRIBE %b", pattern.data(), pattern.size())));
                if (r && r->type == REDIS_REPLY_ARRAY) {
                    {
                        std::lock_guard lock(sub_mu_);
                        sub_fd_ = c->fd;
                        subscribed_ = true;
                    }
                    subscribed_cv_.notify_all();
                    if (stop_) ::shutdown(c->fd, SHUT_RDWR);
                    backoff = std::chrono::milliseconds(100);
                    Listen(c.get());
                    std::lock_guard lock(sub_mu_);
                    sub_fd_ = -1;
                }
            }
            if (stop_) return;
            spdlog::warn("redis pub/sub at {}:{} lost; reconnecting in {} ms", host_, port_, backoff.count());
            std::unique_lock lock(sub_mu_);
            subscribed_cv_.wait_for(lock, backoff, [this] { return stop_.load(); });
            backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        }
    }

    void Listen(redisContext* c) {
        while (!stop_) {
            void* raw = nullptr;
            if (redisGetReply(c, &raw) != REDIS_OK || raw == nullptr) return;
            Reply r(static_cast<redisReply*>(raw));
            // ["pmessage", pattern, channel, message]
            if (r->type != REDIS_REPLY_ARRAY || r->elements != 4) continue;
            const redisReply* kind = r->element[0];
            const redisReply* channel = r->element[2];
            const redisReply* message = r->element[3];
            if (kind->type != REDIS_REPLY_STRING || std::string_view(kind->str, kind->len) != "pmessage") continue;
            if (channel->type != REDIS_REPLY_STRING || message->type != REDIS_REPLY_STRING) continue;
            std::string_view name(channel->str, channel->len);
            if (name.substr(0, prefix_.size()) != prefix_) continue;
            name.remove_prefix(prefix_.size());
            hub_.Dispatch(name, std::string_view(message->str, message->len));
        }
    }

    const std::string host_;
    const int port_;
    const std::string prefix_;
    Hub hub_;
    std::mutex pub_mu_;
    Context pub_;
    std::mutex sub_mu_;
    std::condition_variable subscribed_cv_;
    bool subscribed_ = false;
    int sub_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::thread reader_;
};

}  // namespace

std::unique_ptr<PubSub> MakeLocalPubSub() { return std::make_unique<LocalPubSub>(); }

Result<std::unique_ptr<PubSub>> MakeRedisPubSub(const std::string& address, const std::string& prefix) {
    std::string rest = address;
    constexpr std::string_view kScheme = "redis://";
    if (rest.rfind(kScheme, 0) == 0) rest = rest.substr(kScheme.size());
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
    const auto colon = rest.rfind(':');
    const std::string host = colon == std::string::npos ? rest : rest.substr(0, colon);
    int port = 6379;
    if (colon != std::string::npos) {
        try {
            std::size_t used = 0;
            port = std::stoi(rest.substr(colon + 1), &used);
            if (used != rest.size() - colon - 1) port = -1;
        } catch (const std::exception&) {
            port = -1;
        }
    }
    if (host.empty() || port <= 0 || port > 65535) return Error::BadInput("redis", "invalid");
    auto ps = std::make_unique<RedisPubSub>(host, port, prefix);
    if (auto s = ps->Start(); !s) return s.error();
    return std::unique_ptr<PubSub>(std::move(ps));
}

}  // namespace goji::infra
