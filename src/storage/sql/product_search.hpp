#pragma once

#include "domain/catalog/catalog.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

// Product search for both dialects: FTS5 on SQLite, a GIN-indexed tsvector on
// PostgreSQL, over the same indexed words; keyset pages; facet counts.
Result<catalog::SearchPage> SearchProducts(SqlDatabase& db, const catalog::SearchQuery& query);

}  // namespace goji::storage
