#pragma once

#include <boost/json/object.hpp>
#include <chrono>

#include <functional>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/orders/aftersale_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/payment.hpp"
#include "domain/orders/pricing_service.hpp"
#include "domain/orders/shopping_service.hpp"
#include "domain/regions/region.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace goji::http {

struct CookieOptions {
    bool secure = false;  // set behind HTTPS
};

// What the routes need from the rest of the program.
struct Services {
    accounts::AccountService& accounts;
    catalog::CatalogService& catalog;
    orders::AddressBook& addresses;
    orders::CartService& cart;
    orders::OrderService& orders;
    orders::PaymentService& payments;
    orders::AfterSaleService& aftersale;
    orders::PricingService& pricing;
    const regions::RegionDirectory& regions;
    const Clock& clock;
    std::function<Status()> ready;         // database reachable
    std::function<std::string()> metrics;  // Prometheus text
    CookieOptions cookies;
    // Media files by content hash and variant ("thumb", "medium", "large").
    std::function<std::optional<std::string>(std::string_view hash, std::string_view variant)> media_path;
    std::function<Result<std::string>(std::string_view text)> qr_svg;
    std::string public_url;  // e.g. "https://goji.example.cn", for links printed on bags
    // Rendered product lists kept per query (0: none) and how old their
    // items' details (stock, pictures) may be.
    std::size_t list_cache_entries = 1024;
    std::chrono::milliseconds list_fresh{1000};
};

void AddSystemRoutes(Router& router, Services& services);
void AddAuthRoutes(Router& router, Services& services);
void AddRegionRoutes(Router& router, Services& services);
void AddAdminRoutes(Router& router, Services& services);
void AddCatalogRoutes(Router& router, Services& services);
void AddMediaRoutes(Router& router, Services& services);
void AddShoppingRoutes(Router& router, Services& services);
void AddOrderRoutes(Router& router, Services& services);
void AddPaymentRoutes(Router& router, Services& services);
void AddAfterSaleRoutes(Router& router, Services& services);
void AddPricingRoutes(Router& router, Services& services);
boost::json::object PaymentJson(const orders::Payment& payment);
boost::json::object OrderJson(const orders::Order& order);

// Every route of the API, in one call (the composition root and the tests use it).
void AddAllRoutes(Router& router, Services& services);

}  // namespace goji::http
