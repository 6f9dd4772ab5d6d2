#pragma once

#include <vector>

#include "common/clock.hpp"
#include "domain/catalog/stock.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

// Stock moves inside a caller's write transaction: the figures on the SKU
// and the ledger row change together or not at all.
struct StockEntry {
    catalog::StockCause cause = catalog::StockCause::kStaff;
    std::int64_t cause_id = 0;  // order or refund id; 0: none
    UserId actor;               // 0: none (the system)
    Millis at = 0;
};

// Adds units to available (receive > 0; adjust ≠ 0, not below zero).
// Returns false when an adjustment would take available below zero.
Result<bool> MoveStock(Tx& tx, SkuId sku, catalog::StockMove move, std::int64_t quantity, const StockEntry& entry);

// Every SKU whose figures disagree with its ledger.
Result<std::vector<catalog::StockProblem>> CheckStock(Tx& tx);

}  // namespace goji::storage
