#include "http/routes/views.hpp"

#include <boost/json.hpp>

#include "common/time_format.hpp"

namespace goji::http::views {

boost::json::object UserJson(const accounts::User& user) {
    boost::json::object o;
    o["id"] = user.id.ToString();
    o["login"] = user.login;
    o["display_name"] = user.display_name;
    boost::json::array roles;
    roles.emplace_back("buyer");
    boost::json::array grants;
    for (const auto& g : user.roles) {
        roles.emplace_back(accounts::RoleName(g.role));
        boost::json::object grant;
        grant["role"] = accounts::RoleName(g.role);
        if (!g.region_code.empty()) grant["region_code"] = g.region_code;
        grants.push_back(std::move(grant));
    }
    o["roles"] = std::move(roles);
    o["grants"] = std::move(grants);
    o["created_at"] = FormatShanghai(user.created_at);
    return o;
}

boost::json::object RegionJson(const regions::Region& region) {
    boost::json::object o;
    o["code"] = region.code.Canonical();
    o["name"] = region.name;
    o["level"] = regions::LevelName(region.code.level);
    o["urban"] = region.urban;
    if (const auto parent = region.code.Parent()) {
        o["parent_code"] = parent->Canonical();
    } else {
        o["parent_code"] = nullptr;
    }
    return o;
}

}  // namespace goji::http::views
