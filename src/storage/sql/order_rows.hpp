#pragma once

// Order rows shared by the order and after-sale repositories.

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/orders/order.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

orders::Order OrderFromRow(const Row& r);
// The order with its items and timeline; NotFound when there is none.
Result<orders::Order> LoadOrder(Tx& tx, OrderId id);
Status AddEvent(Tx& tx, OrderId id, std::optional<orders::OrderStatus> from, orders::OrderStatus to, UserId actor,
                std::string_view note, Millis at);
// Moves an order inside the caller's transaction if it is still in `from`
// (Conflict "bad_state" otherwise); a cancelled unpaid order releases its
// reserved stock, a paid one turns it into sold.
Result<orders::Order> MoveIn(Tx& tx, OrderId id, orders::OrderStatus from, orders::OrderStatus to, UserId actor,
                             std::string_view note, Millis now);

// Replies to retried writes, per caller, scope and Idempotency-Key: the
// stored (request fingerprint, body), if any.
Result<std::optional<std::pair<std::string, std::string>>> StoredReply(Tx& tx, UserId user, std::string_view scope,
                                                                       std::string_view key);
// The stored body when the fingerprint matches; RuleBroken "idempotency_mismatch" otherwise.
Result<std::string> Replay(const std::pair<std::string, std::string>& stored, std::string_view request_hash);
Status StoreReply(Tx& tx, UserId user, std::string_view scope, std::string_view key, std::string_view request_hash,
                  std::int64_t status, std::string_view body, Millis now);

}  // namespace goji::storage
