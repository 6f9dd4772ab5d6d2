#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace goji {

// Messages on named channels, delivered to every subscriber of the channel
// on every node: the live rooms' events travel through it. In one process by
// default (infra::LocalPubSub); across nodes through Redis with --redis
// (infra::RedisPubSub).
//
// Delivery is at most once and in publishing order per publisher; a node cut
// off from Redis misses what was published meanwhile (room events are
// transient: chat lines, likes, counts). Handlers run on the pub/sub's own
// thread (or the publisher's, in one process) and must return quickly: a
// room hands the message to its own queue.
class PubSub {
public:
    using Handler = std::function<void(std::string_view message)>;

    // Ends its subscription when destroyed; the handler is not called once
    // the destructor has returned.
    class Subscription {
    public:
        virtual ~Subscription() = default;
    };

    virtual ~PubSub() = default;
    // BadInput "channel" for an empty name or one longer than kMaxChannel;
    // Unavailable when the message could not be handed over.
    virtual Status Publish(std::string_view channel, std::string_view message) = 0;
    virtual Result<std::unique_ptr<Subscription>> Subscribe(std::string_view channel, Handler handler) = 0;

    static constexpr std::size_t kMaxChannel = 200;
    static Status CheckChannel(std::string_view channel) {
        if (channel.empty() || channel.size() > kMaxChannel) return Error::BadInput("channel", "invalid");
        return {};
    }
};

}  // namespace goji
