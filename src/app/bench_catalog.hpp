#pragma once

#include <cstdint>

#include "common/error.hpp"
#include "domain/accounts/account_service.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/regions/region.hpp"

namespace goji::app {

// A large generated catalog for benchmarks: `products` products with three
// SKUs each, spread over verified shops of every kind in the townships of
// Jinghe County, with titles drawn from the county's real produce so that
// searches such as 枸杞 or gq match a realistic share. Deterministic.
// Returns the number of products made.
Result<std::int64_t> SeedBenchCatalog(accounts::AccountService& accounts, catalog::CatalogService& catalog,
                                      const regions::RegionDirectory& regions, std::int64_t products);

}  // namespace goji::app
