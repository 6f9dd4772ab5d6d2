#pragma once

// A period's full statistics report (headline, breakdowns, monthly series,
// residents' consumption) and the interface that turns it into a file. The
// renderers live in src/infra (CSV, XLSX with libxlsxwriter, PDF with cairo
// and pango); the domain only knows this interface.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "domain/regions/region.hpp"
#include "domain/stats/stats.hpp"

namespace goji::stats {

struct GroupReport {
    std::string key;
    std::string name;     // Chinese for categories, the region's name for townships
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

// The breakdowns of a report, in this order.
inline constexpr std::array<GroupBy, 5> kReportBreakdowns = {
    GroupBy::kTownship, GroupBy::kCategory, GroupBy::kSellerKind, GroupBy::kChannel, GroupBy::kPovertyRelief};
std::string_view GroupByName(GroupBy by);  // "township", "category", …

struct FullReport {
    RetailReport retail;                                 // headline figures, no groups
    std::array<std::vector<GroupReport>, 5> breakdowns;  // in the order of kReportBreakdowns
    std::vector<SeriesPoint> series;                     // the months of the period's year so far
    std::vector<SeriesPoint> prev_series;                // the twelve months of the year before
    ConsumptionReport consumption;                       // residents' purchases in the period
};

enum class ExportFormat : std::uint8_t { kCsv, kXlsx, kPdf };
std::optional<ExportFormat> ParseExportFormat(std::string_view text);

struct ExportFile {
    std::string content_type;
    std::string file_name;  // ASCII, e.g. goji-stats-652722-2026Q1.csv
    std::string bytes;
};

// The caller's language for a report: the lang code ("zh-CN", "ug", "en") and
// the text of a message key (the server's catalogue, "stats.report.*").
class ReportText {
public:
    virtual ~ReportText() = default;
    virtual std::string_view Lang() const = 0;
    virtual std::string Get(std::string_view key) const = 0;
};

class ReportRenderer {
public:
    virtual ~ReportRenderer() = default;
    // The bytes of the file, or an internal error when the library fails.
    virtual Result<std::string> Render(const FullReport& report, ExportFormat format, const ReportText& text) const = 0;
};

}  // namespace goji::stats
