// Statistics: retail sales, the monthly series, residents' consumption and
// the historical import.
#include "http/routes/stats_routes.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "common/text.hpp"
#include "http/context.hpp"
#include "http/json.hpp"

namespace goji::http {

namespace {

// Percentages go out as exact decimals with two places (25.46), which
// Boost.JSON would print as 2.546E1: they are written as marked strings and
// turned into numbers after serialising.
constexpr std::string_view kPctMark = "\x01pct:";

boost::json::value Pct(const std::optional<std::int64_t>& hundredths) {
    if (!hundredths) return nullptr;
    return boost::json::value(std::string(kPctMark) + std::to_string(*hundredths));
}

std::string PctText(std::int64_t h) {
    const bool negative = h < 0;
    const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(h) : static_cast<std::uint64_t>(h);
    std::string frac = std::to_string(a % 100);
    if (frac.size() < 2) frac.insert(0, 1, '0');
    return (negative ? "-" : "") + std::to_string(a / 100) + "." + frac;
}

Response ReplyWithPct(const boost::json::object& o) {
    std::string body = json::Serialize(o);
    const std::string mark = "\"\\u0001pct:";
    for (std::size_t at = body.find(mark); at != std::string::npos; at = body.find(mark, at)) {
        std::size_t end = at + mark.size();
        std::size_t digits_end = end;
        if (digits_end < body.size() && body[digits_end] == '-') ++digits_end;
        while (digits_end < body.size() && body[digits_end] >= '0' && body[digits_end] <= '9') ++digits_end;
        if (digits_end >= body.size() || body[digits_end] != '"') {
            at = end;
            continue;
        }
        std::int64_t h = 0;
        std::from_chars(body.data() + end, body.data() + digits_end, h);
        const std::string number = PctText(h);
        body.replace(at, digits_end + 1 - at, number);
        at += number.size();
    }
    return Response::Json(200, std::move(body));
}

boost::json::object FiguresJson(const stats::Figures& f) {
    return {{"net_fen", f.net_fen()}, {"gross_fen", f.gross_fen}, {"refunds_fen", f.refunds_fen}, {"orders", f.orders}};
}

std::string_view Q(Context& ctx, std::string_view name) { return ctx.req().Query(name).value_or(""); }

// The report's words in the request's language, from the server catalogue.
class CatalogueText final : public stats::ReportText {
public:
    CatalogueText(const Messages& messages, std::string_view lang) : messages_(messages), lang_(lang) {}
    std::string_view Lang() const override { return lang_; }
    std::string Get(std::string_view key) const override { return std::string(messages_.Get(lang_, key)); }

private:
    const Messages& messages_;
    std::string lang_;
};

// The report as a file to download; access and figures as the JSON calls.
Response Download(Context& ctx, stats::StatsService& svc, std::string_view format) {
    const auto& auth = ctx.Auth();
    if (!auth) return ctx.Fail(auth.error());
    if (format.empty()) return ctx.Fail(Error::BadInput("format", "required"));
    if (Q(ctx, "period").empty()) return ctx.Fail(Error::BadInput("period", "required"));
    const CatalogueText text(ctx.messages(), ctx.req().lang);
    auto file = svc.Export(auth->user, Q(ctx, "region"), Q(ctx, "period"), format, text);
    if (!file) return ctx.Fail(file.error());
    Response res = Response::Text(200, file->content_type, std::move(file->bytes));
    res.Set("Content-Disposition", "attachment; filename=\"" + file->file_name + "\"");
    res.Set("Content-Language", ctx.req().lang);
    res.Set("Cache-Control", "private, no-store");
    return res;
}

}  // namespace

void AddStatsRoutes(Router& router, stats::StatsService& svc) {
    router.Add(Method::kGet, "/api/v1/stats/retail", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        if (Q(ctx, "period").empty()) return ctx.Fail(Error::BadInput("period", "required"));
        auto r = svc.Retail(auth->user, Q(ctx, "region"), Q(ctx, "period"), Q(ctx, "group_by"));
        if (!r) return ctx.Fail(r.error());
        boost::json::object out{{"region", r->region.code.Canonical()},
                                {"region_name", r->region.name},
                                {"period", r->period.Name()},
                                {"gross_fen", r->current.gross_fen},
                                {"refunds_fen", r->current.refunds_fen},
                                {"net_fen", r->current.net_fen()},
                                {"orders", r->current.orders},
                                {"prev_year_net_fen", r->prev_year_net_fen},
                                {"yoy_pct", Pct(r->yoy_hundredths)},
                                {"prev_period_net_fen", r->prev_period_net_fen},
                                {"qoq_pct", Pct(r->qoq_hundredths)}};
        boost::json::array groups;
        const std::string& lang = ctx.req().lang;
        for (const auto& g : r->groups) {
            // Category names in the request's language, and all three as the catalog gives them.
            const bool category = !g.name_ug.empty() || !g.name_en.empty();
            const std::string& name = !category ? g.name : lang == "ug" ? g.name_ug : lang == "en" ? g.name_en : g.name;
            boost::json::object go{{"key", g.key},
                                   {"name", name},
                                   {"net_fen", g.net_fen},
                                   {"orders", g.orders},
                                   {"yoy_pct", Pct(g.yoy_hundredths)}};
            if (category) go["names"] = boost::json::object{{"zh-CN", g.name}, {"ug", g.name_ug}, {"en", g.name_en}};
            groups.push_back(std::move(go));
        }
        out["groups"] = std::move(groups);
        return ReplyWithPct(out);
    });

    router.Add(Method::kGet, "/api/v1/stats/retail/series", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        if (Q(ctx, "from").empty()) return ctx.Fail(Error::BadInput("from", "required"));
        if (Q(ctx, "to").empty()) return ctx.Fail(Error::BadInput("to", "required"));
        auto r = svc.Series(auth->user, Q(ctx, "region"), Q(ctx, "from"), Q(ctx, "to"));
        if (!r) return ctx.Fail(r.error());
        boost::json::array items;
        for (const auto& p : *r) {
            items.push_back(
                boost::json::object{{"period", p.month.Name()}, {"net_fen", p.net_fen}, {"orders", p.orders}});
        }
        return json::Reply(200, boost::json::object{{"items", std::move(items)}});
    });

    router.Add(Method::kGet, "/api/v1/stats/consumption", [&svc](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        if (Q(ctx, "period").empty()) return ctx.Fail(Error::BadInput("period", "required"));
        auto r = svc.Consumption(auth->user, Q(ctx, "region"), Q(ctx, "period"));
        if (!r) return ctx.Fail(r.error());
        boost::json::object out = FiguresJson(r->all);
        out["region"] = r->region.code.Canonical();
        out["region_name"] = r->region.name;
        out["period"] = r->period.Name();
        out["by_tier"] = boost::json::object{{"low", FiguresJson(r->tiers[0])},
                                             {"medium", FiguresJson(r->tiers[1])},
                                             {"high", FiguresJson(r->tiers[2])}};
        out["urban"] = FiguresJson(r->urban);
        out["rural"] = FiguresJson(r->rural);
        return json::Reply(200, out);
    });

    router.Add(Method::kGet, "/api/v1/stats/export",
               [&svc](Context& ctx) { return Download(ctx, svc, Q(ctx, "format")); });

    router.Add(Method::kGet, "/api/v1/stats/report.pdf", [&svc](Context& ctx) { return Download(ctx, svc, "pdf"); });

    router.Add(
        Method::kPost, "/api/v1/admin/imports/orders",
        [&svc](Context& ctx) {
            const auto& auth = ctx.Auth();
            if (!auth) return ctx.Fail(auth.error());
            const auto type = ctx.req().Header("content-type").value_or("");
            if (!text::IEquals(text::Trim(type.substr(0, type.find(';'))), "text/csv")) {
                return ctx.Fail(Error::Make(ErrorKind::kUnsupportedMedia, "unsupported_media_type"));
            }
            auto r = svc.ImportCsv(auth->user, ctx.req().body);
            if (!r) return ctx.Fail(r.error());
            boost::json::array rejected;
            for (const auto& x : r->rejected)
                rejected.push_back(boost::json::object{{"line", x.line}, {"code", x.code}});
            return json::Reply(
                200, boost::json::object{{"imported", r->imported}, {"skipped", r->skipped}, {"rejected", rejected}});
        },
        RouteOptions{kOrderImportBodyLimit});
}

}  // namespace goji::http
