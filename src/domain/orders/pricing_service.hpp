#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/pricing.hpp"
#include "domain/regions/region.hpp"

namespace goji::orders {

struct CouponFilter {
    std::optional<ShopId> shop;  // none: platform coupons
    bool active_only = true;     // started, not ended, not all issued (at `now`)
    Millis now = 0;
    std::optional<CouponId> after;  // cursor: ids above this, oldest first
    std::size_t limit = 20;
};

// Shipping templates, coupons and claims. One method, one transaction; the
// use of coupons at checkout happens inside OrderRepository::Checkout.
class PricingRepository {
public:
    virtual ~PricingRepository() = default;
    virtual Result<std::optional<ShippingTemplate>> FindShipping(ShopId shop) = 0;
    // Replaces the shop's template.
    virtual Status SaveShipping(ShopId shop, const ShippingTemplate& shipping, UserId actor) = 0;
    // Writes a new coupon (its id and counts are ignored); Conflict
    // "unique_violation" when its code exists.
    virtual Result<Coupon> CreateCoupon(const Coupon& coupon) = 0;
    virtual Result<std::vector<Coupon>> ListCoupons(const CouponFilter& filter) = 0;
    // In one transaction, with the coupon's row locked: RuleBroken
    // "coupon_unknown" for a code no coupon of a verified shop (or the
    // platform) has, then CheckClaimable, then one more issued (Conflict
    // "coupons_gone" when all are) and the claim written.
    virtual Result<CouponClaim> Claim(std::string_view code, UserId user, Millis now) = 0;
    // The user's claims, newest first.
    virtual Result<std::vector<CouponClaim>> Claims(UserId user, std::optional<ClaimId> before, std::size_t limit) = 0;
};

// What a seller or an admin sends to make a coupon.
struct CouponInput {
    std::string code;  // empty: one is made up
    std::string title;
    std::string kind;  // "fixed" or "percent"
    std::int64_t amount_fen = 0;
    std::int64_t percent_off = 0;
    std::int64_t max_discount_fen = 0;
    std::int64_t min_spend_fen = 0;
    std::optional<Millis> starts_at;  // none: now
    Millis ends_at = 0;
    std::int64_t per_user_limit = 1;
    std::int64_t total_count = 0;
};

struct CouponList {
    std::vector<Coupon> coupons;
    bool with_counts = false;  // the caller manages them: issued and used counts may be shown
};

// Shipping-fee templates of shops and coupons of shops and of the platform:
// who may change them and what a valid one is. A shop's template or coupons
// are managed by its owner and staff only; anyone else gets "not found".
class PricingService {
public:
    PricingService(PricingRepository& repo, catalog::CatalogService& catalog, ShopMembership membership,
                   const regions::RegionDirectory& regions, const catalog::CodeSource& codes, const Clock& clock);

    // The shop's template (none: it ships free), for anyone who may see the shop.
    Result<std::optional<ShippingTemplate>> Shipping(const accounts::User* viewer, ShopId shop);
    Result<ShippingTemplate> SetShipping(const accounts::User& user, ShopId shop, ShippingTemplate input);

    Result<Coupon> CreateShopCoupon(const accounts::User& user, ShopId shop, const CouponInput& input);
    // Admins only (Forbidden for anyone else).
    Result<Coupon> CreatePlatformCoupon(const accounts::User& admin, const CouponInput& input);
    // The public sees the coupons that can be claimed now; the shop's members
    // see all of them with their counts.
    Result<CouponList> ShopCoupons(const accounts::User* viewer, ShopId shop, std::optional<CouponId> after,
                                   std::size_t limit);
    // The same for platform coupons, where admins see everything.
    Result<CouponList> PlatformCoupons(const accounts::User* viewer, std::optional<CouponId> after, std::size_t limit);

    Result<CouponClaim> Claim(const accounts::User& buyer, std::string_view code);
    Result<std::vector<CouponClaim>> MyClaims(const accounts::User& buyer, std::optional<ClaimId> before,
                                              std::size_t limit);

    // Checks a template: 1..kMaxShippingRules rules, exactly one default (no
    // provinces), each province a known two-digit province code named once,
    // weights and fees in range. Returns it with provinces in canonical form.
    static Result<ShippingTemplate> CheckShipping(ShippingTemplate input, const regions::RegionDirectory& regions);

private:
    Result<Coupon> CheckCoupon(const CouponInput& input, std::optional<ShopId> shop, UserId actor);
    Result<Coupon> Create(Coupon coupon, bool code_given);

    PricingRepository& repo_;
    catalog::CatalogService& catalog_;
    ShopMembership membership_;
    const regions::RegionDirectory& regions_;
    const catalog::CodeSource& codes_;
    const Clock& clock_;
};

}  // namespace goji::orders
