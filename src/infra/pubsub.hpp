#pragma once

#include <memory>
#include <string>

#include "common/pubsub.hpp"

namespace goji::infra {

// Subscribers in this process only.
std::unique_ptr<PubSub> MakeLocalPubSub();

// Through a Redis server (`redis://host:port`, or `host:port`): PUBLISH on a
// connection of its own, and one reader that subscribes to every channel
// under `prefix` (PSUBSCRIBE prefix*) and hands each message to this node's
// subscribers of that channel. Every node thus receives every room's events
// and drops those no one here listens to: one subscription per node instead
// of commands per room, which keeps the reader simple. Both connections are
// re-made with back-off after an error; Publish retries once on a fresh
// connection. Fails when Redis cannot be reached at start.
Result<std::unique_ptr<PubSub>> MakeRedisPubSub(const std::string& address, const std::string& prefix = "goji:");

}  // namespace goji::infra
