#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "domain/stats/stats.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

// The daily statistics, changed inside the caller's write transaction so
// that they never lag behind the payment or refund that changes them.

// An order as its sale is counted (and its stock sold), read with one statement.
struct SaleLine {
    SkuId sku_id;
    ProductId product_id;
    std::int64_t unit_price_fen = 0;
    std::int64_t quantity = 0;
    std::optional<std::int64_t> category_id;  // the product's own; none when the product is gone
};
struct OrderSale {
    std::int64_t total_fen = 0;
    std::string buyer_region;  // where it ships to
    bool live = false;         // bought in a live room
    std::string shop_region;
    std::string seller_kind;
    bool poverty_relief = false;
    std::vector<SaleLine> lines;  // in the order's item order
};
Result<OrderSale> ReadSale(Tx& tx, OrderId order);

// An order was paid at `at`: its total counts as a sale on that Asia/Shanghai day.
Status RecordSale(Tx& tx, const OrderSale& sale, Millis at);
// Money of a paid order went back at `at`.
Status RecordRefund(Tx& tx, OrderId order, std::int64_t amount_fen, Millis at);

// Sums of months that are over are kept in memory (see stats_version);
// `clock` tells which months those are.
std::unique_ptr<stats::StatsRepository> MakeStatsRepository(SqlDatabase& db, const Clock& clock);

}  // namespace goji::storage
