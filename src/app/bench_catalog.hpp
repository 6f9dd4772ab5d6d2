#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/orders/pricing_service.hpp"
#include "domain/orders/shopping_service.hpp"
#include "domain/regions/region.hpp"

namespace goji::app {

// A large generated catalog for benchmarks: `products` products with three
// SKUs each, spread over verified shops of every kind in the townships of
// Jinghe County, with titles drawn from the county's real produce so that
// searches such as 枸杞 or gq match a realistic share. Deterministic.
// Returns the number of products made.
Result<std::int64_t> SeedBenchCatalog(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                      const regions::RegionDirectory& regions, std::int64_t products);

// What the checkout benchmark needs: buyers, each with one address and one
// session (logged in here, so the load needs no logins), and products with
// one SKU each and stock that a benchmark cannot exhaust.
struct BenchBuyer {
    std::string login;
    UserId id;
    AddressId address;
    std::string token;
};

struct BenchSku {
    SkuId id;
    ProductId product;
};

struct BenchCheckoutData {
    std::vector<BenchBuyer> buyers;
    std::vector<BenchSku> skus;
};

inline constexpr std::int64_t kBenchCheckoutProducts = 100;

// `buyers` buyers named bench-buyer-0, bench-buyer-1, …, and
// kBenchCheckoutProducts products in one verified shop (made in one batch, so
// their ids and their SKUs' ids are consecutive in a fresh database). For an
// empty database: a login already taken is an error.
Result<BenchCheckoutData> SeedBenchBuyers(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                          orders::AddressBook& addresses, orders::PricingService& pricing,
                                          const regions::RegionDirectory& regions, std::int64_t buyers);

// The data as the benchmark programs read it: one line per buyer
// ("buyer LOGIN USER_ID ADDRESS_ID TOKEN") and per SKU ("sku SKU_ID PRODUCT_ID").
std::string BenchCheckoutFile(const BenchCheckoutData& data);

}  // namespace goji::app
