#pragma once

// Order rows shared by the order and after-sale repositories.

#include <functional>
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

// MoveIn without reading the order back.
Status MoveOnly(Tx& tx, OrderId id, orders::OrderStatus from, orders::OrderStatus to, UserId actor,
                std::string_view note, Millis now);

// A write answered 201 that a retry with the same Idempotency-Key gets back
// byte for byte: in one transaction the stored reply for (user, scope, key)
// when there is one (RuleBroken "idempotency_mismatch" when it was for
// another request), else `write`'s body, stored with the key. An empty key:
// just `write`. Two requests with one key at once: the loser of the race for
// the key's row gets the winner's reply.
struct IdempotentWrite {
    UserId user;
    std::string_view scope;
    std::string_view key;
    std::string_view request_hash;
    Millis now = 0;
};
Result<std::string> WriteOnce(SqlDatabase& db, const IdempotentWrite& w,
                              const std::function<Result<std::string>(Tx&)>& write);

}  // namespace goji::storage
