#pragma once

#include <memory>

#include "domain/live/flash_sale.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<live::FlashSaleRepository> MakeFlashSaleRepository(SqlDatabase& db);

// Inside the caller's transaction, when an unpaid order of a flash sale is
// cancelled: the buyer's count goes down, and its units go back to the sale
// (or, once the sale is closed, to the SKU's available stock).
Status ReturnFlashUnits(Tx& tx, std::int64_t sale, UserId buyer, SkuId sku, std::int64_t quantity, OrderId order,
                        UserId actor, Millis now);

}  // namespace goji::storage
