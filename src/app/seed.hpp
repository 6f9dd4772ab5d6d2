#pragma once

#include <string>
#include <vector>

#include "common/error.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/pricing_service.hpp"
#include "domain/orders/shopping_service.hpp"
#include "domain/stats/stats_service.hpp"

namespace goji::app {

struct DemoLogin {
    std::string login;
    std::string password;
    std::string what;
};

// The demo county's people. Passwords are public demo passwords.
const std::vector<DemoLogin>& DemoLogins();

// Builds the demo county (Jinghe County, 652722): people, verified shops of a
// farmer household, a cooperative, a company and a wholesaler, their
// products with generated photos and traceable batches. Returns false when
// the database already had users and `if_empty` was set.
Result<bool> SeedDemo(accounts::AccountService& accounts, accounts::UserRepository& users,
                      catalog::CatalogService& catalog, orders::AddressBook& addresses, orders::CartService& cart,
                      orders::OrderService& orders, const Clock& clock, bool if_empty);

struct DemoCoupon {
    std::string code;
    std::string what;
};

// The demo coupons, for the banner and the docs.
const std::vector<DemoCoupon>& DemoCoupons();

// Shipping-fee templates of the demo shops (Xinjiang cheap, Tibet priced
// apart as remote, the rest by a default rule, free over 99 yuan) and the
// demo coupons. Run again, it changes nothing.
Status SeedDemoPricing(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                       orders::PricingService& pricing, const Clock& clock);

// Two years of the demo shops' past sales, imported through the historical
// import (external ids "demo-history-N", so a second run skips them): the
// wolfberry harvest from July to October, Spring Festival gifts, growth of
// about 30 % a year, shop and live channels, buyers in Jinghe and across
// China, refunds on a few percent. Returns the lines imported.
Result<std::int64_t> SeedDemoHistory(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                     stats::StatsService& stats, const Clock& clock);

}  // namespace goji::app
