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
#include "domain/stats/report.hpp"
#include "domain/stats/stats.hpp"

namespace goji::stats {

// The statistics office: reads the daily figures (never the orders), checks
// who may see which region, and imports historical sales.
class StatsService {
public:
    StatsService(StatsRepository& repo, const regions::RegionDirectory& regions, const Clock& clock,
                 const ReportRenderer* renderer = nullptr)
        : repo_(repo), regions_(regions), clock_(clock), renderer_(renderer) {}

    Result<RetailReport> Retail(const accounts::User& caller, std::string_view region, std::string_view period,
                                std::string_view group_by);
    Result<std::vector<SeriesPoint>> Series(const accounts::User& caller, std::string_view region,
                                            std::string_view from, std::string_view to);
    Result<ConsumptionReport> Consumption(const accounts::User& caller, std::string_view region,
                                          std::string_view period);
    // Every figure of a period at once: the headline, the five breakdowns, the
    // monthly series of the period's year and the year before, consumption.
    // Same access rules and figures as the calls above.
    Result<FullReport> Report(const accounts::User& caller, std::string_view region, std::string_view period);
    // The report as a file (csv, xlsx or pdf) in the caller's language:
    // 400 format invalid; otherwise the errors of Report.
    Result<ExportFile> Export(const accounts::User& caller, std::string_view region, std::string_view period,
                              std::string_view format, const ReportText& text);
    // Admins only; the CLI calls ImportCsvAsOperator.
    Result<ImportResult> ImportCsv(const accounts::User& caller, std::string_view csv);
    Result<ImportResult> ImportCsvAsOperator(std::string_view csv);
    Result<std::vector<Difference>> Verify(bool rebuild) { return repo_.Verify(rebuild); }

private:
    Status ReportParts(const accounts::User& caller, std::string_view region, std::string_view period, FullReport& out);
    // The region the caller asked for (an officer's own by default) when the
    // caller may see it: 400 unknown, 403 outside the caller's regions.
    Result<regions::Region> Scope(const accounts::User& caller, std::string_view region) const;
    // The groups of a region's sales in a period, largest net first, each
    // with its growth on the same group a year earlier.
    Result<std::vector<GroupReport>> Breakdown(const regions::Region& scope, const Period& p, GroupBy by) const;
    // A period that exists and has started (422 period_in_future).
    Result<Period> PeriodOf(std::string_view text, std::string_view field) const;

    StatsRepository& repo_;
    const regions::RegionDirectory& regions_;
    const Clock& clock_;
    const ReportRenderer* renderer_;
};

}  // namespace goji::stats
