#pragma once

#include <memory>

#include "common/clock.hpp"
#include "domain/stats/stats.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

// The daily statistics, changed inside the caller's write transaction so
// that they never lag behind the payment or refund that changes them.

// An order was paid at `at`: its total counts as a sale on that Asia/Shanghai day.
Status RecordSale(Tx& tx, OrderId order, Millis at);
// Money of a paid order went back at `at`.
Status RecordRefund(Tx& tx, OrderId order, std::int64_t amount_fen, Millis at);

// Sums of months that are over are kept in memory (see stats_version);
// `clock` tells which months those are.
std::unique_ptr<stats::StatsRepository> MakeStatsRepository(SqlDatabase& db, const Clock& clock);

}  // namespace goji::storage
