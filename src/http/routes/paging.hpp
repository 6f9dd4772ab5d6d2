#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/error.hpp"
#include "common/ids.hpp"
#include "domain/accounts/account.hpp"
#include "http/context.hpp"
#include "http/types.hpp"

namespace goji::http {

// Helpers shared by the route files. Lists take ?limit= (1..max, default `fallback`) and ?cursor= (opaque to
// clients; here the last id of the previous page).
constexpr std::size_t kListMax = 100;
constexpr std::size_t kListDefault = 20;

Result<std::size_t> PageLimit(const Request& req, std::size_t fallback = kListDefault, std::size_t max = kListMax);
Result<std::optional<std::int64_t>> IdCursor(const Request& req);

// The logged-in user, or nullptr for a visitor.
const accounts::User* Viewer(Context& ctx);
// The object named by the path's {id} (ShopId, LiveRoomId …); NotFound when it is not an id.
template <class Id>
Result<Id> IdParam(Context& ctx) {
    const auto id = Id::Parse(ctx.Param("id"));
    if (!id) return Error::NotFound();
    return *id;
}
inline Result<ShopId> ShopParam(Context& ctx) { return IdParam<ShopId>(ctx); }

}  // namespace goji::http
