#pragma once

// The statistics office's figures: online retail sales by period and region,
// residents' online consumption, historical imports. Definitions are in
// docs/ARCHITECTURE.md#statistics.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace goji::stats {

// Price tiers by an order's highest unit price.
inline constexpr std::int64_t kLowTierBelowFen = 10'000;
inline constexpr std::int64_t kMediumTierBelowFen = 100'000;
std::string_view PriceTier(std::int64_t max_unit_price_fen);

// The Asia/Shanghai calendar day of `utc_ms` as YYYYMMDD.
int ShanghaiDay(Millis utc_ms);

// "2026", "2026Q1" or "2026-03" in the Asia/Shanghai calendar.
enum class PeriodKind : std::uint8_t { kYear, kQuarter, kMonth };

struct Period {
    PeriodKind kind = PeriodKind::kYear;
    int year = 0;
    int index = 0;  // quarter 1–4, month 1–12, 0 for a year

    bool operator==(const Period&) const = default;
    std::string Name() const;
    int FirstDay() const;  // YYYYMMDD
    int LastDay() const;   // YYYYMMDD
    Period PreviousYear() const;
    Period Previous() const;  // the month, quarter or year before
};

inline constexpr int kMinYear = 2000;
inline constexpr int kMaxYear = 2200;
std::optional<Period> ParsePeriod(std::string_view text);
// The months from the first of `from` to the last of `to`, in order.
std::vector<Period> MonthsBetween(const Period& from, const Period& to);
inline constexpr std::size_t kMaxSeriesMonths = 240;

// (current − previous) / previous × 100 in hundredths of a percent, rounded
// half away from zero; nothing when previous is 0. Integer arithmetic only.
std::optional<std::int64_t> GrowthHundredths(std::int64_t current, std::int64_t previous);

// ISO 8601 "2025-03-01T10:00:00+08:00" (also Z, fractions, or a space for
// the T); without an offset the time is Asia/Shanghai; a bare date is its
// midnight in Asia/Shanghai.
std::optional<Millis> ParseTimestamp(std::string_view text);

struct DayRange {
    int from_day = 0;  // YYYYMMDD, inclusive
    int to_day = 0;    // YYYYMMDD, inclusive
};

struct Figures {
    std::int64_t gross_fen = 0;
    std::int64_t refunds_fen = 0;
    std::int64_t orders = 0;

    bool operator==(const Figures&) const = default;
    std::int64_t net_fen() const { return gross_fen - refunds_fen; }
    Figures& operator+=(const Figures& o) {
        gross_fen += o.gross_fen;
        refunds_fen += o.refunds_fen;
        orders += o.orders;
        return *this;
    }
};

enum class GroupBy : std::uint8_t { kCategory, kTownship, kSellerKind, kChannel, kPovertyRelief };
std::optional<GroupBy> ParseGroupBy(std::string_view text);

struct Group {
    std::string key;
    std::string name;     // category name in Chinese for categories; filled by the service for townships
    std::string name_ug;  // category name in Uyghur
    std::string name_en;  // category name in English
    Figures figures;
};

struct MonthFigures {
    int month = 0;  // YYYYMM
    Figures figures;
};

struct ConsumptionRow {
    std::string region_code;  // where the order was shipped
    std::string tier;         // low, medium, high
    Figures figures;
};

// One line of a historical import, checked.
struct ImportLine {
    std::size_t line = 0;
    std::string external_id;
    ShopId shop;
    Millis paid_at = 0;
    std::int64_t total_fen = 0;
    std::int64_t refunded_fen = 0;
    Millis refunded_at = 0;  // 0 when nothing was refunded
    CategoryId category;
    std::string buyer_region_code;
    std::string channel;  // shop, live
    std::int64_t max_unit_price_fen = 0;
};

struct Rejected {
    std::size_t line = 0;
    std::string code;  // "field:reason"
    bool operator==(const Rejected&) const = default;
};

struct ImportResult {
    std::int64_t imported = 0;
    std::int64_t skipped = 0;  // external ids imported before
    std::vector<Rejected> rejected;
};

// A daily aggregate row whose stored figures differ from the ones computed
// from the raw orders, refunds and imports.
struct Difference {
    std::string table;  // sales_daily, consumption_daily
    std::string key;    // the row's key, readable
    Figures stored;
    Figures recomputed;
};

inline constexpr std::size_t kMaxImportRows = 500'000;
inline constexpr std::size_t kImportBatch = 10'000;  // lines per transaction
inline constexpr std::size_t kMaxExternalId = 64;

class StatsRepository {
public:
    virtual ~StatsRepository() = default;
    // Shops whose region code starts with `region_prefix`.
    virtual Result<Figures> Sales(std::string_view region_prefix, DayRange days) = 0;
    virtual Result<std::vector<Group>> SalesBy(std::string_view region_prefix, DayRange days, GroupBy by) = 0;
    virtual Result<std::vector<MonthFigures>> SalesByMonth(std::string_view region_prefix, DayRange days) = 0;
    // Orders shipped into regions whose code starts with `region_prefix`.
    virtual Result<std::vector<ConsumptionRow>> Consumption(std::string_view region_prefix, DayRange days) = 0;
    // Runs `reads` (calls of the reads above, on this thread) on one snapshot
    // of the figures: one reply's numbers all come from the same moment.
    virtual Status Together(const std::function<Status()>& reads) { return reads(); }
    // In one transaction: lines of unknown shops or categories are rejected,
    // external ids seen before are skipped, the rest recorded with their
    // sales and refunds added to the daily figures.
    virtual Result<ImportResult> Import(const std::vector<ImportLine>& lines, Millis now) = 0;
    // Recomputes every daily figure from orders, refunds and imports and
    // lists the rows that differ; with `rebuild`, replaces the stored
    // figures with the recomputed ones in the same transaction.
    virtual Result<std::vector<Difference>> Verify(bool rebuild) = 0;
};

}  // namespace goji::stats
