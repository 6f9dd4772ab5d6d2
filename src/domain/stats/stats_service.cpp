#include "domain/stats/stats_service.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <unordered_set>

#include "common/csv.hpp"
#include "common/text.hpp"

namespace goji::stats {

namespace {

using accounts::Role;

DayRange RangeOf(const Period& p) { return {p.FirstDay(), p.LastDay()}; }

std::optional<std::int64_t> Amount(std::string_view text) {
    if (text.empty() || text.size() > 15) return std::nullopt;
    std::int64_t v = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc{} || ptr != end || v < 0) return std::nullopt;
    return v;
}

const std::vector<std::string_view>& ImportColumns() {
    static const std::vector<std::string_view> kColumns = {
        "external_id", "shop_id",     "paid_at",           "total_fen", "refunded_fen",
        "refunded_at", "category_id", "buyer_region_code", "channel",   "max_unit_price_fen"};
    return kColumns;
}

// One CSV line checked on its own: the line, or its first problem as "field:reason".
Result<ImportLine> CheckLine(const csv::Record& rec, const std::vector<std::size_t>& col, std::size_t width, Millis now,
                             const regions::RegionDirectory& regions) {
    const auto field = [&](std::size_t i) -> std::string_view {
        const std::size_t at = col[i];
        return at < rec.fields.size() ? std::string_view(rec.fields[at]) : std::string_view();
    };
    const auto bad = [](std::string_view name, std::string_view reason) {
        return Error::BadInput(std::string(name) + ":" + std::string(reason), std::string(reason));
    };
    if (rec.fields.size() != width) return bad("line", "column_count");
    ImportLine out;
    out.line = rec.line;
    out.external_id = std::string(text::Trim(field(0)));
    if (out.external_id.empty()) return bad("external_id", "required");
    if (out.external_id.size() > kMaxExternalId || !text::IsValidUtf8(out.external_id)) {
        return bad("external_id", "too_long");
    }
    const auto shop = ShopId::Parse(text::Trim(field(1)));
    if (!shop) return bad("shop_id", "invalid");
    out.shop = *shop;
    const auto paid = ParseTimestamp(text::Trim(field(2)));
    if (!paid) return bad("paid_at", "invalid_date");
    if (*paid > now) return bad("paid_at", "in_future");
    out.paid_at = *paid;
    const auto total = Amount(text::Trim(field(3)));
    if (!total) return bad("total_fen", "invalid_amount");
    out.total_fen = *total;
    const std::string_view refunded_text = text::Trim(field(4));
    const auto refunded = refunded_text.empty() ? std::optional<std::int64_t>(0) : Amount(refunded_text);
    if (!refunded) return bad("refunded_fen", "invalid_amount");
    if (*refunded > *total) return bad("refunded_fen", "above_total");
    out.refunded_fen = *refunded;
    const std::string_view refunded_at_text = text::Trim(field(5));
    if (out.refunded_fen > 0 || !refunded_at_text.empty()) {
        const auto at = ParseTimestamp(refunded_at_text);
        if (!at) return bad("refunded_at", "invalid_date");
        if (*at > now) return bad("refunded_at", "in_future");
        if (*at < out.paid_at) return bad("refunded_at", "before_paid_at");
        out.refunded_at = *at;
    }
    if (out.refunded_fen == 0) out.refunded_at = 0;
    const auto category = CategoryId::Parse(text::Trim(field(6)));
    if (!category) return bad("category_id", "invalid");
    out.category = *category;
    const auto region = regions::RegionCode::Parse(text::Trim(field(7)));
    if (!region || !regions.Find(*region)) return bad("buyer_region_code", "unknown_region");
    out.buyer_region_code = region->Canonical();
    const std::string_view channel = text::Trim(field(8));
    if (channel != "shop" && channel != "live") return bad("channel", "invalid");
    out.channel = std::string(channel);
    const auto max_price = Amount(text::Trim(field(9)));
    if (!max_price) return bad("max_unit_price_fen", "invalid_amount");
    out.max_unit_price_fen = *max_price;
    return out;
}

}  // namespace

Result<regions::Region> StatsService::Scope(const accounts::User& caller, std::string_view region) const {
    const bool admin = caller.Has(Role::kAdmin);
    std::vector<regions::RegionCode> own;
    for (const auto& g : caller.roles) {
        if (g.role != Role::kCountyOfficer) continue;
        if (const auto c = regions::RegionCode::Parse(g.region_code)) own.push_back(*c);
    }
    if (!admin && own.empty()) return Error::Forbidden();
    std::optional<regions::RegionCode> code;
    if (region.empty()) {
        if (own.empty()) return Error::BadInput("region", "required");
        code = own.front();
    } else {
        code = regions::RegionCode::Parse(region);
    }
    if (!code) return Error::BadInput("region", "unknown_region");
    auto found = regions_.Find(*code);
    if (!found) return Error::BadInput("region", "unknown_region");
    if (!admin && std::none_of(own.begin(), own.end(), [&](const auto& o) { return o.Contains(*code); })) {
        return Error::Forbidden();
    }
    return std::move(*found);
}

Result<Period> StatsService::PeriodOf(std::string_view text, std::string_view field) const {
    const auto p = ParsePeriod(text);
    if (!p) return Error::BadInput(std::string(field), "invalid_period");
    if (p->FirstDay() > ShanghaiDay(clock_.NowMs())) {
        return Error::Make(ErrorKind::kRuleBroken, "period_in_future", std::string(field));
    }
    return *p;
}

Result<std::vector<GroupReport>> StatsService::Breakdown(const regions::Region& scope, const Period& p,
                                                         GroupBy by) const {
    const std::string prefix = scope.code.Prefix();
    std::vector<GroupReport> out;
    auto groups = repo_.SalesBy(prefix, RangeOf(p), by);
    if (!groups) return std::move(groups).error();
    auto before = repo_.SalesBy(prefix, RangeOf(p.PreviousYear()), by);
    if (!before) return std::move(before).error();
    std::map<std::string, std::int64_t> prev_net;
    for (const auto& g : *before) prev_net[g.key] = g.figures.net_fen();
    for (auto& g : *groups) {
        GroupReport r;
        r.key = g.key;
        r.name = g.name;
        r.name_ug = g.name_ug;
        r.name_en = g.name_en;
        if (by == GroupBy::kTownship) {
            const auto code = regions::RegionCode::Parse(g.key);
            const auto found = code ? regions_.Find(*code) : std::nullopt;
            r.name = found ? found->name : g.key;
        } else if (by == GroupBy::kPovertyRelief) {
            r.key = g.key == "1" ? "true" : "false";
            r.name = r.key;
        } else if (r.name.empty()) {
            r.name = g.key;
        }
        r.net_fen = g.figures.net_fen();
        r.orders = g.figures.orders;
        const auto it = prev_net.find(g.key);
        r.yoy_hundredths = GrowthHundredths(r.net_fen, it == prev_net.end() ? 0 : it->second);
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const GroupReport& a, const GroupReport& b) {
        return a.net_fen != b.net_fen ? a.net_fen > b.net_fen : a.key < b.key;
    });
    return out;
}

Result<RetailReport> StatsService::Retail(const accounts::User& caller, std::string_view region,
                                          std::string_view period, std::string_view group_by) {
    auto scope = Scope(caller, region);
    if (!scope) return std::move(scope).error();
    auto p = PeriodOf(period, "period");
    if (!p) return std::move(p).error();
    std::optional<GroupBy> by;
    if (!group_by.empty()) {
        by = ParseGroupBy(group_by);
        if (!by) return Error::BadInput("group_by", "invalid");
    }
    const std::string prefix = scope->code.Prefix();
    RetailReport out;
    out.region = *scope;
    out.period = *p;
    const Status read = repo_.Together([&]() -> Status {
        auto current = repo_.Sales(prefix, RangeOf(*p));
        if (!current) return std::move(current).error();
        auto prev_year = repo_.Sales(prefix, RangeOf(p->PreviousYear()));
        if (!prev_year) return std::move(prev_year).error();
        auto prev = repo_.Sales(prefix, RangeOf(p->Previous()));
        if (!prev) return std::move(prev).error();
        out.current = *current;
        out.prev_year_net_fen = prev_year->net_fen();
        out.yoy_hundredths = GrowthHundredths(current->net_fen(), prev_year->net_fen());
        out.prev_period_net_fen = prev->net_fen();
        out.qoq_hundredths = GrowthHundredths(current->net_fen(), prev->net_fen());
        if (by) {
            auto groups = Breakdown(*scope, *p, *by);
            if (!groups) return std::move(groups).error();
            out.groups = std::move(groups).value();
        }
        return {};
    });
    if (!read) return read.error();
    return out;
}

Result<std::vector<SeriesPoint>> StatsService::Series(const accounts::User& caller, std::string_view region,
                                                      std::string_view from, std::string_view to) {
    auto scope = Scope(caller, region);
    if (!scope) return std::move(scope).error();
    auto first = PeriodOf(from, "from");
    if (!first) return std::move(first).error();
    auto last = ParsePeriod(to);
    if (!last) return Error::BadInput("to", "invalid_period");
    if (last->LastDay() < first->FirstDay()) return Error::BadInput("to", "before_from");
    const auto months = MonthsBetween(*first, *last);
    if (months.size() > kMaxSeriesMonths) return Error::BadInput("to", "too_long");
    // Months that have not started yet are left out.
    const int today = ShanghaiDay(clock_.NowMs());
    auto rows = repo_.SalesByMonth(scope->code.Prefix(), {first->FirstDay(), last->LastDay()});
    if (!rows) return std::move(rows).error();
    std::map<int, Figures> by_month;
    for (const auto& r : *rows) by_month[r.month] = r.figures;
    std::vector<SeriesPoint> out;
    for (const Period& m : months) {
        if (m.FirstDay() > today) break;
        const auto it = by_month.find(m.FirstDay() / 100);
        const Figures f = it == by_month.end() ? Figures{} : it->second;
        out.push_back({m, f.net_fen(), f.orders});
    }
    return out;
}

Result<ConsumptionReport> StatsService::Consumption(const accounts::User& caller, std::string_view region,
                                                    std::string_view period) {
    auto scope = Scope(caller, region);
    if (!scope) return std::move(scope).error();
    auto p = PeriodOf(period, "period");
    if (!p) return std::move(p).error();
    auto rows = repo_.Consumption(scope->code.Prefix(), RangeOf(*p));
    if (!rows) return std::move(rows).error();
    ConsumptionReport out;
    out.region = *scope;
    out.period = *p;
    std::map<std::string, bool> urban;  // per destination region, looked up once
    for (const auto& r : *rows) {
        out.all += r.figures;
        if (r.tier == "low") out.tiers[0] += r.figures;
        if (r.tier == "medium") out.tiers[1] += r.figures;
        if (r.tier == "high") out.tiers[2] += r.figures;
        auto it = urban.find(r.region_code);
        if (it == urban.end()) {
            const auto code = regions::RegionCode::Parse(r.region_code);
            const auto found = code ? regions_.Find(*code) : std::nullopt;
            it = urban.emplace(r.region_code, found && found->urban).first;
        }
        (it->second ? out.urban : out.rural) += r.figures;
    }
    return out;
}

std::string_view GroupByName(GroupBy by) {
    switch (by) {
        case GroupBy::kCategory:
            return "category";
        case GroupBy::kTownship:
            return "township";
        case GroupBy::kSellerKind:
            return "seller_kind";
        case GroupBy::kChannel:
            return "channel";
        case GroupBy::kPovertyRelief:
            return "poverty_relief";
    }
    return "";
}

std::optional<ExportFormat> ParseExportFormat(std::string_view text) {
    if (text == "csv") return ExportFormat::kCsv;
    if (text == "xlsx") return ExportFormat::kXlsx;
    if (text == "pdf") return ExportFormat::kPdf;
    return std::nullopt;
}

Result<FullReport> StatsService::Report(const accounts::User& caller, std::string_view region,
                                        std::string_view period) {
    FullReport out;
    const Status read = repo_.Together([&]() -> Status { return ReportParts(caller, region, period, out); });
    if (!read) return read.error();
    return out;
}

Status StatsService::ReportParts(const accounts::User& caller, std::string_view region, std::string_view period,
                                 FullReport& out) {
    auto head = Retail(caller, region, period, "");
    if (!head) return std::move(head).error();
    out.retail = std::move(head).value();
    // The region as resolved (an officer's own by default), so every part
    // below names the same one.
    const std::string code = out.retail.region.code.Canonical();
    for (std::size_t i = 0; i < kReportBreakdowns.size(); ++i) {
        auto groups = Breakdown(out.retail.region, out.retail.period, kReportBreakdowns[i]);
        if (!groups) return std::move(groups).error();
        out.breakdowns[i] = std::move(groups).value();
    }
    const std::string year = std::to_string(out.retail.period.year);
    auto series = Series(caller, code, year, year);
    if (!series) return std::move(series).error();
    out.series = std::move(series).value();
    const std::string prev_year = std::to_string(out.retail.period.year - 1);
    if (out.retail.period.year - 1 >= kMinYear) {
        auto prev = Series(caller, code, prev_year, prev_year);
        if (!prev) return std::move(prev).error();
        out.prev_series = std::move(prev).value();
    }
    auto consumption = Consumption(caller, code, period);
    if (!consumption) return std::move(consumption).error();
    out.consumption = std::move(consumption).value();
    return {};
}

Result<ExportFile> StatsService::Export(const accounts::User& caller, std::string_view region, std::string_view period,
                                        std::string_view format, const ReportText& text) {
    auto scope = Scope(caller, region);
    if (!scope) return std::move(scope).error();
    const auto fmt = ParseExportFormat(format);
    if (!fmt) return Error::BadInput("format", "invalid");
    if (renderer_ == nullptr) return Error::Internal("no report renderer");
    auto report = Report(caller, region, period);
    if (!report) return std::move(report).error();
    auto bytes = renderer_->Render(*report, *fmt, text);
    if (!bytes) return std::move(bytes).error();
    ExportFile out;
    out.bytes = std::move(bytes).value();
    const std::string base =
        "goji-stats-" + report->retail.region.code.Canonical() + "-" + report->retail.period.Name();
    switch (*fmt) {
        case ExportFormat::kCsv:
            out.content_type = "text/csv; charset=utf-8";
            out.file_name = base + ".csv";
            break;
        case ExportFormat::kXlsx:
            out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            out.file_name = base + ".xlsx";
            break;
        case ExportFormat::kPdf:
            out.content_type = "application/pdf";
            out.file_name = base + ".pdf";
            break;
    }
    return out;
}

Result<ImportResult> StatsService::ImportCsv(const accounts::User& caller, std::string_view csv) {
    if (!caller.Has(Role::kAdmin)) return Error::Forbidden();
    return ImportCsvAsOperator(csv);
}

Result<ImportResult> StatsService::ImportCsvAsOperator(std::string_view text) {
    if (!text::IsValidUtf8(text)) return Error::BadInput("csv", "invalid_utf8");
    auto records = csv::Parse(text, kMaxImportRows + 1);
    if (!records) return std::move(records).error();
    if (records->empty()) return Error::BadInput("csv", "missing_header");
    auto columns = csv::Columns(records->front(), ImportColumns());
    if (!columns) return std::move(columns).error();
    const Millis now = clock_.NowMs();
    ImportResult out;
    std::unordered_set<std::string> seen;
    std::vector<ImportLine> batch;
    const auto flush = [&]() -> Status {
        if (batch.empty()) return {};
        auto r = repo_.Import(batch, now);
        if (!r) return std::move(r).error();
        out.imported += r->imported;
        out.skipped += r->skipped;
        out.rejected.insert(out.rejected.end(), r->rejected.begin(), r->rejected.end());
        batch.clear();
        return {};
    };
    for (std::size_t i = 1; i < records->size(); ++i) {
        auto line = CheckLine((*records)[i], *columns, records->front().fields.size(), now, regions_);
        if (!line) {
            out.rejected.push_back({(*records)[i].line, line.error().code});
            continue;
        }
        if (!seen.insert(line->external_id).second) {
            out.rejected.push_back({line->line, "external_id:duplicate"});
            continue;
        }
        batch.push_back(std::move(line).value());
        if (batch.size() >= kImportBatch) {
            if (auto s = flush(); !s) return s.error();
        }
    }
    if (auto s = flush(); !s) return s.error();
    std::sort(out.rejected.begin(), out.rejected.end(),
              [](const Rejected& a, const Rejected& b) { return a.line < b.line; });
    return out;
}

}  // namespace goji::stats
