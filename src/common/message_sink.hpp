#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace goji {

// Where a stream of text messages to one client goes: a bounded send queue
// (a WebSocket's outbound half; a live room's viewer). Both calls return at
// once, from any thread: nothing waits for the client, and what its socket
// cannot take at once is queued.
class MessageSink {
public:
    virtual ~MessageSink() = default;
    // `coalesce` names a kind of message of which only the newest counts
    // ("viewers", "like", "stock:<sku>"): a queued older one with the same
    // name is replaced, and such messages are dropped first when the queue is
    // full; when nothing can be dropped, the connection is closed (a client
    // too slow must not slow the others). Empty: every one counts.
    virtual void Send(std::shared_ptr<const std::string> text, std::string_view coalesce) = 0;
    virtual void Close(std::string_view reason) = 0;
};

}  // namespace goji
