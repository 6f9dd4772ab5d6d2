// Shipping-fee templates of shops, coupons of shops and of the platform, and
// buyers' claims of coupons. Checkout and its preview are in order_routes.
#include <boost/json.hpp>
#include <tuple>

#include "common/time_format.hpp"
#include "http/context.hpp"
#include "http/json.hpp"
#include "http/routes/paging.hpp"
#include "http/routes/routes.hpp"

namespace goji::http {

namespace {

using orders::Coupon;
using orders::CouponClaim;
using orders::ShippingRule;
using orders::ShippingTemplate;

constexpr std::size_t kTextFieldMax = 1000;  // generous; the domain enforces the real limits

Result<std::int64_t> OptInt(const boost::json::object& o, std::string_view field, std::int64_t fallback) {
    const auto* v = o.if_contains(field);
    if (!v || v->is_null()) return fallback;
    return json::Int(*v, field);
}

Result<std::optional<Millis>> OptTime(const boost::json::object& o, std::string_view field) {
    auto text = json::OptString(o, field, 64);
    if (!text) return std::move(text).error();
    if (!*text) return std::optional<Millis>{};
    const auto at = ParseIso8601(**text);
    if (!at) return Error::BadInput(std::string(field), "invalid_time");
    return std::optional<Millis>(*at);
}

boost::json::value TimeOrNull(Millis at) {
    if (at == 0) return nullptr;
    return boost::json::value(FormatShanghai(at));
}

boost::json::object ShippingJson(ShopId shop, const std::optional<ShippingTemplate>& t) {
    boost::json::array rules;
    if (t) {
        for (const ShippingRule& r : t->rules) {
            boost::json::array provinces;
            for (const auto& p : r.provinces) provinces.emplace_back(p);
            rules.push_back({{"provinces", std::move(provinces)},
                             {"first_weight_g", r.first_weight_g},
                             {"first_fen", r.first_fen},
                             {"additional_weight_g", r.additional_weight_g},
                             {"additional_fen", r.additional_fen},
                             {"remote", r.remote}});
        }
    }
    return {{"shop_id", shop.ToString()},
            {"configured", t.has_value()},
            {"free_over_fen", t ? t->free_over_fen : 0},
            {"rules", std::move(rules)},
            {"updated_at", TimeOrNull(t ? t->updated_at : 0)}};
}

Result<ShippingTemplate> ReadShipping(const boost::json::object& body) {
    ShippingTemplate t;
    auto free_over = OptInt(body, "free_over_fen", 0);
    if (!free_over) return std::move(free_over).error();
    t.free_over_fen = *free_over;
    auto rules = json::Array(body, "rules", orders::kMaxShippingRules);
    if (!rules) return std::move(rules).error();
    for (std::size_t i = 0; i < (*rules)->size(); ++i) {
        const auto& v = (**rules)[i];
        const std::string at = "rules[" + std::to_string(i) + "]";
        if (!v.is_object()) return Error::BadInput("rules", "wrong_type");
        const auto& o = v.get_object();
        ShippingRule r;
        auto provinces = json::Array(o, "provinces", orders::kMaxRuleProvinces);
        if (!provinces) return std::move(provinces).error().Within(at);
        for (const auto& p : **provinces) {
            if (!p.is_string()) return Error::BadInput("provinces", "wrong_type").Within(at);
            r.provinces.emplace_back(p.get_string());
        }
        for (auto [field, target] :
             {std::pair{"first_weight_g", &r.first_weight_g}, std::pair{"first_fen", &r.first_fen},
              std::pair{"additional_weight_g", &r.additional_weight_g},
              std::pair{"additional_fen", &r.additional_fen}}) {
            auto n = json::Int(o, field);
            if (!n) return std::move(n).error().Within(at);
            *target = *n;
        }
        auto remote = json::OptBool(o, "remote", false);
        if (!remote) return std::move(remote).error().Within(at);
        r.remote = *remote;
        t.rules.push_back(std::move(r));
    }
    return t;
}

boost::json::object CouponJson(const Coupon& c, bool with_counts) {
    boost::json::object out{{"id", c.id.ToString()},
                            {"code", c.code},
                            {"title", c.title},
                            {"kind", orders::CouponKindName(c.kind)},
                            {"amount_fen", c.amount_fen},
                            {"percent_off", c.percent_off},
                            {"max_discount_fen", c.max_discount_fen},
                            {"min_spend_fen", c.min_spend_fen},
                            {"starts_at", FormatShanghai(c.starts_at)},
                            {"ends_at", FormatShanghai(c.ends_at)},
                            {"per_user_limit", c.per_user_limit},
                            {"total_count", c.total_count}};
    if (c.shop_id) {
        out["shop_id"] = c.shop_id->ToString();
        out["shop_name"] = c.shop_name;
    } else {
        out["shop_id"] = nullptr;
        out["shop_name"] = nullptr;
    }
    if (with_counts) {
        out["issued_count"] = c.issued_count;
        out["used_count"] = c.used_count;
    }
    return out;
}

boost::json::object ClaimJson(const CouponClaim& c, Millis now) {
    const bool used = c.checkout_id != 0;
    const std::string_view status = used ? "used" : (now >= c.coupon.ends_at ? "expired" : "available");
    boost::json::object out{{"id", c.id.ToString()},
                            {"status", status},
                            {"claimed_at", FormatShanghai(c.claimed_at)},
                            {"discount_fen", c.discount_fen},
                            {"coupon", CouponJson(c.coupon, false)}};
    if (c.order_id) {
        out["order_id"] = c.order_id->ToString();
    } else {
        out["order_id"] = nullptr;
    }
    if (used) {
        out["checkout_id"] = std::to_string(c.checkout_id);
    } else {
        out["checkout_id"] = nullptr;
    }
    return out;
}

Result<orders::CouponInput> ReadCoupon(const boost::json::object& body) {
    orders::CouponInput in;
    auto code = json::OptString(body, "code", kTextFieldMax);
    if (!code) return std::move(code).error();
    in.code = code->value_or("");
    auto title = json::String(body, "title", kTextFieldMax);
    if (!title) return std::move(title).error();
    in.title = *title;
    auto kind = json::String(body, "kind", 16);
    if (!kind) return std::move(kind).error();
    in.kind = *kind;
    for (auto [field, target, fallback] : {std::tuple{"amount_fen", &in.amount_fen, std::int64_t{0}},
                                           std::tuple{"percent_off", &in.percent_off, std::int64_t{0}},
                                           std::tuple{"max_discount_fen", &in.max_discount_fen, std::int64_t{0}},
                                           std::tuple{"min_spend_fen", &in.min_spend_fen, std::int64_t{0}},
                                           std::tuple{"per_user_limit", &in.per_user_limit, std::int64_t{1}}}) {
        auto n = OptInt(body, field, fallback);
        if (!n) return std::move(n).error();
        *target = *n;
    }
    auto total = json::Int(body, "total_count");
    if (!total) return std::move(total).error();
    in.total_count = *total;
    auto starts = OptTime(body, "starts_at");
    if (!starts) return std::move(starts).error();
    in.starts_at = *starts;
    auto ends = OptTime(body, "ends_at");
    if (!ends) return std::move(ends).error();
    if (!*ends) return Error::BadInput("ends_at", "required");
    in.ends_at = **ends;
    return in;
}

// A page of coupons, with the cursor of the next one.
Response CouponPage(const Result<orders::CouponList>& list, std::size_t limit) {
    boost::json::array items;
    for (std::size_t i = 0; i < list->coupons.size() && i < limit; ++i) {
        items.push_back(CouponJson(list->coupons[i], list->with_counts));
    }
    boost::json::object out{{"items", std::move(items)}};
    if (list->coupons.size() > limit) {
        out["next_cursor"] = list->coupons[limit - 1].id.ToString();
    } else {
        out["next_cursor"] = nullptr;
    }
    return json::Reply(200, out);
}

Result<std::pair<std::size_t, std::optional<std::int64_t>>> Page(Context& ctx) {
    auto limit = PageLimit(ctx.req());
    if (!limit) return std::move(limit).error();
    auto cursor = IdCursor(ctx.req());
    if (!cursor) return std::move(cursor).error();
    return std::pair{*limit, *cursor};
}

}  // namespace

void AddPricingRoutes(Router& router, Services& services) {
    auto& pricing = services.pricing;
    const Clock& clock = services.clock;

    router.Add(Method::kGet, "/api/v1/shops/{id}/shipping", [&pricing](Context& ctx) {
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto shipping = pricing.Shipping(Viewer(ctx), *id);
        if (!shipping) return ctx.Fail(shipping.error());
        return json::Reply(200, ShippingJson(*id, *shipping));
    });

    router.Add(Method::kPut, "/api/v1/shops/{id}/shipping", [&pricing](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto input = ReadShipping(*body);
        if (!input) return ctx.Fail(input.error());
        auto saved = pricing.SetShipping(auth->user, *id, std::move(input).value());
        if (!saved) return ctx.Fail(saved.error());
        return json::Reply(200, ShippingJson(*id, *saved));
    });

    router.Add(Method::kGet, "/api/v1/shops/{id}/coupons", [&pricing](Context& ctx) {
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto page = Page(ctx);
        if (!page) return ctx.Fail(page.error());
        const auto [limit, cursor] = *page;
        std::optional<orders::CouponId> after;
        if (cursor) after = orders::CouponId{*cursor};
        auto list = pricing.ShopCoupons(Viewer(ctx), *id, after, limit + 1);
        if (!list) return ctx.Fail(list.error());
        return CouponPage(list, limit);
    });

    router.Add(Method::kPost, "/api/v1/shops/{id}/coupons", [&pricing](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto id = ShopParam(ctx);
        if (!id) return ctx.Fail(id.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto input = ReadCoupon(*body);
        if (!input) return ctx.Fail(input.error());
        auto coupon = pricing.CreateShopCoupon(auth->user, *id, *input);
        if (!coupon) return ctx.Fail(coupon.error());
        return json::Reply(201, CouponJson(*coupon, true));
    });

    router.Add(Method::kPost, "/api/v1/admin/coupons", [&pricing](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto input = ReadCoupon(*body);
        if (!input) return ctx.Fail(input.error());
        auto coupon = pricing.CreatePlatformCoupon(auth->user, *input);
        if (!coupon) return ctx.Fail(coupon.error());
        return json::Reply(201, CouponJson(*coupon, true));
    });

    router.Add(Method::kGet, "/api/v1/coupons", [&pricing](Context& ctx) {
        auto page = Page(ctx);
        if (!page) return ctx.Fail(page.error());
        const auto [limit, cursor] = *page;
        std::optional<orders::CouponId> after;
        if (cursor) after = orders::CouponId{*cursor};
        auto list = pricing.PlatformCoupons(Viewer(ctx), after, limit + 1);
        if (!list) return ctx.Fail(list.error());
        return CouponPage(list, limit);
    });

    router.Add(Method::kPost, "/api/v1/coupons/claim", [&pricing, &clock](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto body = json::ParseObject(ctx.req());
        if (!body) return ctx.Fail(body.error());
        auto code = json::String(*body, "code", kTextFieldMax);
        if (!code) return ctx.Fail(code.error());
        auto claim = pricing.Claim(auth->user, *code);
        if (!claim) return ctx.Fail(claim.error());
        return json::Reply(201, ClaimJson(*claim, clock.NowMs()));
    });

    router.Add(Method::kGet, "/api/v1/coupons/mine", [&pricing, &clock](Context& ctx) {
        const auto& auth = ctx.Auth();
        if (!auth) return ctx.Fail(auth.error());
        auto page = Page(ctx);
        if (!page) return ctx.Fail(page.error());
        const auto [limit, cursor] = *page;
        std::optional<orders::ClaimId> before;
        if (cursor) before = orders::ClaimId{*cursor};
        auto claims = pricing.MyClaims(auth->user, before, limit + 1);
        if (!claims) return ctx.Fail(claims.error());
        const Millis now = clock.NowMs();
        boost::json::array items;
        for (std::size_t i = 0; i < claims->size() && i < limit; ++i) items.push_back(ClaimJson((*claims)[i], now));
        boost::json::object out{{"items", std::move(items)}};
        if (claims->size() > limit) {
            out["next_cursor"] = (*claims)[limit - 1].id.ToString();
        } else {
            out["next_cursor"] = nullptr;
        }
        return json::Reply(200, out);
    });
}

}  // namespace goji::http
