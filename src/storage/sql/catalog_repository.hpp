#pragma once

#include <memory>

#include "domain/catalog/catalog.hpp"
#include "storage/sql/product_search.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<catalog::CatalogRepository> MakeCatalogRepository(SqlDatabase& db,
                                                                  const SearchCacheOptions& search_cache);

}  // namespace goji::storage
