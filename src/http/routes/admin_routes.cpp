#include <boost/json.hpp>

#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/views.hpp"

namespace goji::http {

void AddAdminRoutes(Router& router, Services& services) {
    router.Add(Method::kPost, "/api/v1/admin/users/{id}/roles", [&services](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        if (!auth->user.Has(accounts::Role::kAdmin)) return ctx.Fail(Error::Forbidden());
        const auto id = UserId::Parse(ctx.Param("id"));
        if (!id) return ctx.Fail(Error::NotFound());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto role_name = json::String(*body, "role", 32);
        if (!role_name) return ctx.Fail(role_name.error());
        const auto role = accounts::ParseRole(*role_name);
        if (!role) return ctx.Fail(Error::BadInput("role", "unknown_role"));
        auto region = json::OptString(*body, "region_code", 12);
        if (!region) return ctx.Fail(region.error());
        auto user = services.accounts.GrantRole(auth->user, *id, *role, region->value_or(""));
        if (!user) return ctx.Fail(user.error());
        boost::json::object out;
        out["user"] = views::UserJson(*user);
        return json::Reply(200, out);
    });
}

}  // namespace goji::http
