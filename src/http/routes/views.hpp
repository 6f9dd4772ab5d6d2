#pragma once

#include <boost/json/object.hpp>

#include "domain/accounts/account.hpp"
#include "domain/catalog/catalog.hpp"
#include "domain/regions/region.hpp"

// JSON views of domain values, shared by the routes.
namespace goji::http::views {

boost::json::object UserJson(const accounts::User& user);
boost::json::object RegionJson(const regions::Region& region);
boost::json::object ShopJson(const catalog::Shop& shop);
boost::json::object SkuJson(const catalog::Sku& sku);
boost::json::object ProductJson(const catalog::Product& product);
// A picture with the addresses of its three sizes.
boost::json::object ImageJson(const catalog::ProductImage& image);
boost::json::object CategoryJson(const catalog::Category& category);
boost::json::object CategoryNamesJson(const catalog::Category& category);  // {zh-CN, ug, en}
boost::json::object BatchJson(const catalog::Batch& batch);
// The public URL path of a batch's trace page.
std::string TracePath(std::string_view code);

}  // namespace goji::http::views
