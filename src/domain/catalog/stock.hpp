#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/ids.hpp"

namespace goji::catalog {

// Movements of a SKU's stock ledger (see 0006_stock_ledger.sql):
//   receive, adjust  → available (adjust may be negative)
//   reserve          available → reserved
//   release          reserved → available
//   sell             reserved → sold
//   return           sold → available
enum class StockMove : std::uint8_t { kReceive, kAdjust, kReserve, kRelease, kSell, kReturn };
// Why stock moved: staff of the shop, an order, a refund, or a live room's
// flash sale (its units taken from available, and given back when it ends).
enum class StockCause : std::uint8_t { kStaff, kOrder, kRefund, kFlashSale };

std::string_view StockMoveName(StockMove m);
std::string_view StockCauseName(StockCause c);

// One SKU whose figures disagree with its ledger or break
// available + reserved + sold = received and adjusted.
struct StockProblem {
    SkuId sku;
    std::int64_t available = 0;
    std::int64_t reserved = 0;
    std::int64_t sold = 0;
    std::int64_t ledger_available = 0;
    std::int64_t ledger_reserved = 0;
    std::int64_t ledger_sold = 0;
    std::int64_t added = 0;  // received and adjusted, per the ledger
    std::string Describe() const;
};

}  // namespace goji::catalog
