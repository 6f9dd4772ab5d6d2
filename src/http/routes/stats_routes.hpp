#pragma once

#include "domain/stats/stats_service.hpp"
#include "http/router.hpp"

namespace goji::http {

// Statistics for county officers and admins, and the historical import.
void AddStatsRoutes(Router& router, stats::StatsService& stats);

// The largest historical import accepted; bigger uploads are refused with
// 413 before their body is read.
inline constexpr std::size_t kOrderImportBodyLimit = 64 * 1024 * 1024;

}  // namespace goji::http
