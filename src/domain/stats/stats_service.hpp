#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/regions/region.hpp"
#include "domain/stats/stats.hpp"

namespace goji::stats {

struct GroupReport {
    std::string key;
    std::string name;     // Chinese for categories, the region file's name for townships
    std::string name_ug;  // categories only
    std::string name_en;  // categories only
    std::int64_t net_fen = 0;
    std::int64_t orders = 0;
    std::optional<std::int64_t> yoy_hundredths;
};

struct RetailReport {
    regions::Region region;
    Period period;
    Figures current;
    std::int64_t prev_year_net_fen = 0;
    std::optional<std::int64_t> yoy_hundredths;
    std::int64_t prev_period_net_fen = 0;
    std::optional<std::int64_t> qoq_hundredths;
    std::vector<GroupReport> groups;  // empty without group_by
};

struct SeriesPoint {
    Period month;
    std::int64_t net_fen = 0;
    std::int64_t orders = 0;
};

struct ConsumptionReport {
    regions::Region region;
    Period period;
    Figures all;
    std::array<Figures, 3> tiers;  // low, medium, high
    Figures urban;
    Figures rural;
};

// The statistics office: reads the daily figures (never the orders), checks
// who may see which region, and imports historical sales.
class StatsService {
public:
    StatsService(StatsRepository& repo, const regions::RegionDirectory& regions, const Clock& clock)
        : repo_(repo), regions_(regions), clock_(clock) {}

    Result<RetailReport> Retail(const accounts::User& caller, std::string_view region, std::string_view period,
                                std::string_view group_by);
    Result<std::vector<SeriesPoint>> Series(const accounts::User& caller, std::string_view region,
                                            std::string_view from, std::string_view to);
    Result<ConsumptionReport> Consumption(const accounts::User& caller, std::string_view region,
                                          std::string_view period);
    // Admins only; the CLI calls ImportCsvAsOperator.
    Result<ImportResult> ImportCsv(const accounts::User& caller, std::string_view csv);
    Result<ImportResult> ImportCsvAsOperator(std::string_view csv);
    Result<std::vector<Difference>> Verify(bool rebuild) { return repo_.Verify(rebuild); }

private:
    // The region the caller asked for (an officer's own by default) when the
    // caller may see it: 400 unknown, 403 outside the caller's regions.
    Result<regions::Region> Scope(const accounts::User& caller, std::string_view region) const;
    // A period that exists and has started (422 period_in_future).
    Result<Period> PeriodOf(std::string_view text, std::string_view field) const;

    StatsRepository& repo_;
    const regions::RegionDirectory& regions_;
    const Clock& clock_;
};

}  // namespace goji::stats
