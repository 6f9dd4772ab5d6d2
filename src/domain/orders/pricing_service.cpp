#include "domain/orders/pricing_service.hpp"

#include <set>

#include "common/validate.hpp"

namespace goji::orders {

namespace {

constexpr int kCodeAttempts = 5;

Status InRange(std::int64_t value, std::string_view field, std::int64_t min, std::int64_t max, const std::string& at) {
    if (auto s = validate::Range(value, field, min, max); !s) return Error(s.error()).Within(at);
    return {};
}

}  // namespace

PricingService::PricingService(PricingRepository& repo, catalog::CatalogService& catalog, ShopMembership membership,
                               const regions::RegionDirectory& regions, const catalog::CodeSource& codes,
                               const Clock& clock)
    : repo_(repo),
      catalog_(catalog),
      membership_(std::move(membership)),
      regions_(regions),
      codes_(codes),
      clock_(clock) {}

Result<ShippingTemplate> PricingService::CheckShipping(ShippingTemplate input,
                                                       const regions::RegionDirectory& regions) {
    if (auto s = validate::Range(input.free_over_fen, "free_over_fen", 0, kMaxFreeOverFen); !s) return s.error();
    if (input.rules.empty()) return Error::BadInput("rules", "default_rule");
    if (input.rules.size() > kMaxShippingRules) return Error::BadInput("rules", "too_many");
    std::set<std::string> named;
    bool has_default = false;
    for (std::size_t i = 0; i < input.rules.size(); ++i) {
        ShippingRule& rule = input.rules[i];
        const std::string at = "rules[" + std::to_string(i) + "]";
        if (rule.provinces.size() > kMaxRuleProvinces) return Error::BadInput("provinces", "too_many").Within(at);
        if (rule.provinces.empty()) {
            if (has_default) return Error::BadInput("provinces", "default_rule").Within(at);
            has_default = true;
        }
        for (const std::string& p : rule.provinces) {
            const auto code = p.size() == 2 ? regions::RegionCode::Parse(p) : std::nullopt;
            if (!code || code->level != regions::Level::kProvince || !regions.Find(*code)) {
                return Error::BadInput("provinces", "unknown_region").Within(at);
            }
            if (!named.insert(p).second) return Error::BadInput("provinces", "duplicate").Within(at);
        }
        if (auto s = InRange(rule.first_weight_g, "first_weight_g", 1, kMaxShippingWeightG, at); !s) return s.error();
        if (auto s = InRange(rule.first_fen, "first_fen", 0, kMaxShippingFeeFen, at); !s) return s.error();
        if (auto s = InRange(rule.additional_weight_g, "additional_weight_g", 1, kMaxShippingWeightG, at); !s) {
            return s.error();
        }
        if (auto s = InRange(rule.additional_fen, "additional_fen", 0, kMaxShippingFeeFen, at); !s) return s.error();
    }
    if (!has_default) return Error::BadInput("rules", "default_rule");
    return input;
}

Result<std::optional<ShippingTemplate>> PricingService::Shipping(const accounts::User* viewer, ShopId shop) {
    if (auto s = catalog_.GetShop(viewer, shop); !s) return std::move(s).error();
    return repo_.FindShipping(shop);
}

Result<ShippingTemplate> PricingService::SetShipping(const accounts::User& user, ShopId shop, ShippingTemplate input) {
    auto member = membership_(shop, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    auto checked = CheckShipping(std::move(input), regions_);
    if (!checked) return checked;
    checked->updated_at = clock_.NowMs();
    if (auto s = repo_.SaveShipping(shop, *checked, user.id); !s) return s.error();
    return checked;
}

Result<Coupon> PricingService::CheckCoupon(const CouponInput& input, std::optional<ShopId> shop, UserId actor) {
    const Millis now = clock_.NowMs();
    Coupon c;
    c.shop_id = shop;
    c.created_by = actor;
    c.created_at = now;
    if (!input.code.empty()) {
        c.code = NormaliseCouponCode(input.code);
        if (c.code.empty()) return Error::BadInput("code", "invalid");
    }
    auto title = validate::Text(input.title, "title", 1, kCouponTitleMax);
    if (!title) return std::move(title).error();
    c.title = *title;
    const auto kind = ParseCouponKind(input.kind);
    if (!kind) return Error::BadInput("kind", "invalid");
    c.kind = *kind;
    if (c.kind == CouponKind::kFixed) {
        if (auto s = validate::Range(input.amount_fen, "amount_fen", 1, kMaxCouponFen); !s) return s.error();
        c.amount_fen = input.amount_fen;
    } else {
        if (auto s = validate::Range(input.percent_off, "percent_off", 1, 99); !s) return s.error();
        if (auto s = validate::Range(input.max_discount_fen, "max_discount_fen", 0, kMaxCouponFen); !s) {
            return s.error();
        }
        c.percent_off = input.percent_off;
        c.max_discount_fen = input.max_discount_fen;
    }
    if (auto s = validate::Range(input.min_spend_fen, "min_spend_fen", 0, kMaxCouponFen); !s) return s.error();
    c.min_spend_fen = input.min_spend_fen;
    if (auto s = validate::Range(input.per_user_limit, "per_user_limit", 1, kMaxPerUserLimit); !s) return s.error();
    c.per_user_limit = input.per_user_limit;
    if (auto s = validate::Range(input.total_count, "total_count", 1, kMaxCouponCount); !s) return s.error();
    c.total_count = input.total_count;
    c.starts_at = input.starts_at.value_or(now);
    c.ends_at = input.ends_at;
    if (c.ends_at <= c.starts_at) return Error::BadInput("ends_at", "before_start");
    if (c.ends_at <= now) return Error::BadInput("ends_at", "in_past");
    if (c.ends_at - c.starts_at > kMaxCouponWindowMs) return Error::BadInput("ends_at", "window_too_long");
    return c;
}

Result<Coupon> PricingService::Create(Coupon coupon, bool code_given) {
    for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
        if (!code_given) coupon.code = codes_.NewCode();
        auto made = repo_.CreateCoupon(coupon);
        if (made || made.error().code != "unique_violation") return made;
        if (code_given) return Error::Conflict("code_taken");
    }
    return Error::Internal("no free coupon code after retries");
}

Result<Coupon> PricingService::CreateShopCoupon(const accounts::User& user, ShopId shop, const CouponInput& input) {
    auto member = membership_(shop, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    auto coupon = CheckCoupon(input, shop, user.id);
    if (!coupon) return coupon;
    return Create(std::move(coupon).value(), !input.code.empty());
}

Result<Coupon> PricingService::CreatePlatformCoupon(const accounts::User& admin, const CouponInput& input) {
    if (!admin.Has(accounts::Role::kAdmin)) return Error::Forbidden();
    auto coupon = CheckCoupon(input, std::nullopt, admin.id);
    if (!coupon) return coupon;
    return Create(std::move(coupon).value(), !input.code.empty());
}

Result<CouponList> PricingService::ShopCoupons(const accounts::User* viewer, ShopId shop, std::optional<CouponId> after,
                                               std::size_t limit) {
    if (auto s = catalog_.GetShop(viewer, shop); !s) return std::move(s).error();
    bool member = false;
    if (viewer != nullptr) {
        auto m = membership_(shop, viewer->id);
        if (!m) return std::move(m).error();
        member = *m;
    }
    auto list = repo_.ListCoupons({shop, !member, clock_.NowMs(), after, limit});
    if (!list) return std::move(list).error();
    return CouponList{std::move(list).value(), member};
}

Result<CouponList> PricingService::PlatformCoupons(const accounts::User* viewer, std::optional<CouponId> after,
                                                   std::size_t limit) {
    const bool admin = viewer != nullptr && viewer->Has(accounts::Role::kAdmin);
    auto list = repo_.ListCoupons({std::nullopt, !admin, clock_.NowMs(), after, limit});
    if (!list) return std::move(list).error();
    return CouponList{std::move(list).value(), admin};
}

Result<CouponClaim> PricingService::Claim(const accounts::User& buyer, std::string_view code) {
    const std::string normalised = NormaliseCouponCode(code);
    if (normalised.empty()) return Error::Make(ErrorKind::kRuleBroken, "coupon_unknown");
    return repo_.Claim(normalised, buyer.id, clock_.NowMs());
}

Result<std::vector<CouponClaim>> PricingService::MyClaims(const accounts::User& buyer, std::optional<ClaimId> before,
                                                          std::size_t limit) {
    return repo_.Claims(buyer.id, before, limit);
}

}  // namespace goji::orders
