#pragma once

// Shipping fees and coupons: the values and the arithmetic, pure (no
// database, no clock), so that checkout, its preview and the tests all price
// an order the same way. Money is integer fen throughout.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace goji::orders {

using CouponId = Id<struct CouponTag>;
using ClaimId = Id<struct CouponClaimTag>;

// ---- shipping ----

constexpr std::size_t kMaxShippingRules = 40;
constexpr std::size_t kMaxRuleProvinces = 40;
constexpr std::int64_t kMaxShippingWeightG = 1'000'000;
constexpr std::int64_t kMaxShippingFeeFen = 1'000'000;
constexpr std::int64_t kMaxFreeOverFen = 100'000'000;

// How one group of provinces is charged: the first `first_weight_g` grams
// for `first_fen`, then every started `additional_weight_g` for
// `additional_fen`.
struct ShippingRule {
    std::vector<std::string> provinces;  // two-digit province codes; empty: every province no other rule names
    std::int64_t first_weight_g = 1000;
    std::int64_t first_fen = 0;
    std::int64_t additional_weight_g = 1000;
    std::int64_t additional_fen = 0;
    bool remote = false;  // never shipped free, whatever the order's value
    bool operator==(const ShippingRule&) const = default;
};

// A shop's one shipping-fee template. A shop without one ships free.
struct ShippingTemplate {
    std::int64_t free_over_fen = 0;  // goods worth at least this ship free (outside remote rules); 0: never
    std::vector<ShippingRule> rules;
    Millis updated_at = 0;
    bool operator==(const ShippingTemplate&) const = default;
};

// The province part of a region code ("652722102" → "65").
std::string ProvinceOf(std::string_view region_code);

// The rule naming `province`, else the default rule; nullptr when neither
// exists (a template always has a default once checked).
const ShippingRule* RuleFor(const ShippingTemplate& shipping, std::string_view province);

// The fee for `weight_g` grams under one rule, before any free shipping.
std::int64_t WeightFee(const ShippingRule& rule, std::int64_t weight_g);

// The fee of one shop's order: 0 without a template, 0 when the goods (before
// discounts) reach a positive free_over_fen and the rule is not remote,
// otherwise WeightFee.
std::int64_t ShippingFee(const ShippingTemplate* shipping, std::string_view province, std::int64_t weight_g,
                         std::int64_t goods_fen);

// ---- coupons ----

enum class CouponKind : std::uint8_t { kFixed, kPercent };
std::string_view CouponKindName(CouponKind kind);
std::optional<CouponKind> ParseCouponKind(std::string_view name);

constexpr std::size_t kCouponCodeMin = 4;
constexpr std::size_t kCouponCodeMax = 20;
constexpr std::size_t kCouponTitleMax = 40;
constexpr std::size_t kMaxCheckoutCoupons = 10;
constexpr std::int64_t kMaxCouponFen = 100'000'000;
constexpr std::int64_t kMaxPerUserLimit = 100;
constexpr std::int64_t kMaxCouponCount = 1'000'000;
constexpr Millis kMaxCouponWindowMs = 366LL * 24 * 3600 * 1000;

struct Coupon {
    CouponId id;
    std::string code;               // upper case: A–Z, 0–9 and '-'
    std::optional<ShopId> shop_id;  // none: a platform coupon, good in every shop
    std::string shop_name;
    std::string title;
    CouponKind kind = CouponKind::kFixed;
    std::int64_t amount_fen = 0;        // fixed: what it takes off
    std::int64_t percent_off = 0;       // percent: 1..99
    std::int64_t max_discount_fen = 0;  // percent: at most this much off; 0: no cap
    std::int64_t min_spend_fen = 0;     // the goods must reach this ("100 off over 999")
    Millis starts_at = 0;               // usable from here …
    Millis ends_at = 0;                 // … until just before here
    std::int64_t per_user_limit = 1;    // claims one buyer may hold, used or not
    std::int64_t total_count = 0;       // claims ever issued, at most
    std::int64_t issued_count = 0;
    std::int64_t used_count = 0;  // claims on a checkout now
    UserId created_by;
    Millis created_at = 0;
    bool operator==(const Coupon&) const = default;
};

// A buyer's copy of a coupon: free until a checkout uses it; given back when
// that checkout's orders are cancelled unpaid.
struct CouponClaim {
    ClaimId id;
    Coupon coupon;
    UserId user_id;
    Millis claimed_at = 0;
    std::optional<OrderId> order_id;  // a shop coupon's order
    std::int64_t checkout_id = 0;     // 0: not used
    std::int64_t discount_fen = 0;    // what it took off that checkout
    bool operator==(const CouponClaim&) const = default;
};

// Normalises a typed code: trimmed and upper-cased; "" when it cannot be a code.
std::string NormaliseCouponCode(std::string_view code);

// RuleBroken "coupon_not_started" before starts_at, "coupon_expired" from ends_at.
Status CheckWindow(const Coupon& coupon, Millis now);

// Whether `user_claims` (the buyer's claims of it so far) allow one more:
// the window, then RuleBroken "limit_reached", then Conflict "coupons_gone".
Status CheckClaimable(const Coupon& coupon, std::int64_t user_claims, Millis now);

// What the coupon takes off goods worth `base_fen`, before any cap by the
// order: the amount, or base × percent / 100 rounded down and capped by
// max_discount_fen.
std::int64_t CouponDiscount(const Coupon& coupon, std::int64_t base_fen);

// Shares `discount` among orders in proportion to `weights` (rounded down),
// each share capped by `caps`; the fen left over go to the last orders with
// room left. Requires discount ≤ Σ caps.
std::vector<std::int64_t> SplitDiscount(std::int64_t discount, const std::vector<std::int64_t>& weights,
                                        const std::vector<std::int64_t>& caps);

// ---- a checkout's prices ----

// One shop's order as pricing sees it.
struct OrderPrice {
    ShopId shop_id;
    std::int64_t goods_fen = 0;
    std::int64_t weight_g = 0;
    std::int64_t shipping_fen = 0;
    std::int64_t discount_fen = 0;
    std::int64_t total_fen = 0;
    bool operator==(const OrderPrice&) const = default;
};

struct AppliedCoupon {
    CouponId id;
    std::string code;
    std::optional<ShopId> shop_id;
    std::int64_t discount_fen = 0;
    bool operator==(const AppliedCoupon&) const = default;
};

struct PricedCheckout {
    std::vector<OrderPrice> orders;
    std::vector<AppliedCoupon> coupons;  // in the order they were given
    std::int64_t amount_fen = 0;
};

// Prices a checkout's orders: each shop's shipping fee by its template and the
// destination province, then at most one shop coupon per shop (its threshold
// against that shop's goods) and one platform coupon (its threshold against
// all goods, its discount shared among the orders in proportion to what is
// left of their goods). Coupons never discount shipping, and every order
// keeps at least 1 fen of goods to pay. RuleBroken "coupon_not_applicable"
// (a shop coupon of a shop not in the checkout), "coupon_conflict" (a second
// coupon for a shop or a second platform coupon), "coupon_not_started",
// "coupon_expired" or "coupon_below_threshold".
Result<PricedCheckout> PriceCheckout(std::vector<OrderPrice> orders, std::string_view province,
                                     const std::map<ShopId, ShippingTemplate>& templates,
                                     const std::vector<Coupon>& coupons, Millis now);

}  // namespace goji::orders
