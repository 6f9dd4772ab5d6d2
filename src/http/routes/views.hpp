#pragma once

#include <boost/json/object.hpp>

#include "domain/accounts/account.hpp"
#include "domain/regions/region.hpp"

// JSON views of domain values, shared by the routes.
namespace goji::http::views {

boost::json::object UserJson(const accounts::User& user);
boost::json::object RegionJson(const regions::Region& region);

}  // namespace goji::http::views
