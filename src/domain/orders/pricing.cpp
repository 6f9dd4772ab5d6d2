#include "domain/orders/pricing.hpp"

#include <algorithm>
#include <numeric>

#include "common/text.hpp"

namespace goji::orders {

namespace {

// Products of two amounts can pass 2^63 (a discount of 10^13 fen times goods
// of 10^13 fen), so proportions are computed in 128 bits.
__extension__ using Wide = __int128;

}  // namespace

std::string ProvinceOf(std::string_view region_code) { return std::string(region_code.substr(0, 2)); }

const ShippingRule* RuleFor(const ShippingTemplate& shipping, std::string_view province) {
    const ShippingRule* fallback = nullptr;
    for (const ShippingRule& r : shipping.rules) {
        if (r.provinces.empty()) {
            fallback = &r;
        } else if (std::find(r.provinces.begin(), r.provinces.end(), province) != r.provinces.end()) {
            return &r;
        }
    }
    return fallback;
}

std::int64_t WeightFee(const ShippingRule& rule, std::int64_t weight_g) {
    if (weight_g <= rule.first_weight_g || rule.additional_weight_g <= 0) return rule.first_fen;
    const std::int64_t extra = weight_g - rule.first_weight_g;
    const std::int64_t steps = (extra + rule.additional_weight_g - 1) / rule.additional_weight_g;
    return rule.first_fen + steps * rule.additional_fen;
}

std::int64_t ShippingFee(const ShippingTemplate* shipping, std::string_view province, std::int64_t weight_g,
                         std::int64_t goods_fen) {
    if (shipping == nullptr) return 0;
    const ShippingRule* rule = RuleFor(*shipping, province);
    if (rule == nullptr) return 0;
    if (!rule->remote && shipping->free_over_fen > 0 && goods_fen >= shipping->free_over_fen) return 0;
    return WeightFee(*rule, weight_g);
}

std::string_view CouponKindName(CouponKind kind) { return kind == CouponKind::kPercent ? "percent" : "fixed"; }

std::optional<CouponKind> ParseCouponKind(std::string_view name) {
    if (name == "fixed") return CouponKind::kFixed;
    if (name == "percent") return CouponKind::kPercent;
    return std::nullopt;
}

std::string NormaliseCouponCode(std::string_view code) {
    code = text::Trim(code);
    if (code.size() < kCouponCodeMin || code.size() > kCouponCodeMax) return {};
    std::string out;
    out.reserve(code.size());
    for (char c : code) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) return {};
        out.push_back(c);
    }
    return out;
}

Status CheckWindow(const Coupon& coupon, Millis now) {
    if (now < coupon.starts_at) return Error::Make(ErrorKind::kRuleBroken, "coupon_not_started");
    if (now >= coupon.ends_at) return Error::Make(ErrorKind::kRuleBroken, "coupon_expired");
    return {};
}

Status CheckClaimable(const Coupon& coupon, std::int64_t user_claims, Millis now) {
    if (auto s = CheckWindow(coupon, now); !s) return s;
    if (user_claims >= coupon.per_user_limit) return Error::Make(ErrorKind::kRuleBroken, "limit_reached");
    if (coupon.issued_count >= coupon.total_count) return Error::Conflict("coupons_gone");
    return {};
}

std::int64_t CouponDiscount(const Coupon& coupon, std::int64_t base_fen) {
    if (base_fen <= 0) return 0;
    if (coupon.kind == CouponKind::kFixed) return coupon.amount_fen;
    const std::int64_t off = static_cast<std::int64_t>(static_cast<Wide>(base_fen) * coupon.percent_off / 100);
    return coupon.max_discount_fen > 0 ? std::min(off, coupon.max_discount_fen) : off;
}

std::vector<std::int64_t> SplitDiscount(std::int64_t discount, const std::vector<std::int64_t>& weights,
                                        const std::vector<std::int64_t>& caps) {
    std::vector<std::int64_t> shares(weights.size(), 0);
    const Wide total = std::accumulate(weights.begin(), weights.end(), Wide{0});
    std::int64_t left = discount;
    if (total > 0) {
        for (std::size_t i = 0; i < weights.size(); ++i) {
            const auto share = static_cast<std::int64_t>(static_cast<Wide>(discount) * weights[i] / total);
            shares[i] = std::min(share, caps[i]);
            left -= shares[i];
        }
    }
    for (std::size_t i = shares.size(); i > 0 && left > 0; --i) {
        const std::int64_t more = std::min(left, caps[i - 1] - shares[i - 1]);
        shares[i - 1] += more;
        left -= more;
    }
    return shares;
}

Result<PricedCheckout> PriceCheckout(std::vector<OrderPrice> orders, std::string_view province,
                                     const std::map<ShopId, ShippingTemplate>& templates,
                                     const std::vector<Coupon>& coupons, Millis now) {
    for (OrderPrice& o : orders) {
        const auto t = templates.find(o.shop_id);
        o.shipping_fen = ShippingFee(t == templates.end() ? nullptr : &t->second, province, o.weight_g, o.goods_fen);
        o.discount_fen = 0;
    }
    // Which coupon goes where, checked before any arithmetic.
    std::vector<std::optional<std::size_t>> target(coupons.size());  // the order of a shop coupon
    std::optional<std::size_t> platform;
    std::vector<bool> shop_taken(orders.size(), false);
    std::int64_t all_goods = 0;
    for (const OrderPrice& o : orders) all_goods += o.goods_fen;
    for (std::size_t c = 0; c < coupons.size(); ++c) {
        const Coupon& coupon = coupons[c];
        std::int64_t base = all_goods;
        if (coupon.shop_id) {
            const auto it = std::find_if(orders.begin(), orders.end(),
                                         [&](const OrderPrice& o) { return o.shop_id == *coupon.shop_id; });
            if (it == orders.end()) return Error::Make(ErrorKind::kRuleBroken, "coupon_not_applicable");
            const auto at = static_cast<std::size_t>(it - orders.begin());
            if (shop_taken[at]) return Error::Make(ErrorKind::kRuleBroken, "coupon_conflict");
            shop_taken[at] = true;
            target[c] = at;
            base = it->goods_fen;
        } else {
            if (platform) return Error::Make(ErrorKind::kRuleBroken, "coupon_conflict");
            platform = c;
        }
        if (auto s = CheckWindow(coupon, now); !s) return s.error();
        if (base < coupon.min_spend_fen) return Error::Make(ErrorKind::kRuleBroken, "coupon_below_threshold");
    }
    PricedCheckout out;
    out.coupons.resize(coupons.size());
    for (std::size_t c = 0; c < coupons.size(); ++c) {
        out.coupons[c] = AppliedCoupon{coupons[c].id, coupons[c].code, coupons[c].shop_id, 0};
    }
    // Shop coupons first, each on its own shop's goods.
    for (std::size_t c = 0; c < coupons.size(); ++c) {
        if (!target[c]) continue;
        OrderPrice& o = orders[*target[c]];
        const std::int64_t off = std::min(CouponDiscount(coupons[c], o.goods_fen), o.goods_fen - 1);
        o.discount_fen = std::max<std::int64_t>(off, 0);
        out.coupons[c].discount_fen = o.discount_fen;
    }
    // Then the platform coupon on what is left of all goods.
    if (platform) {
        std::vector<std::int64_t> left;
        std::vector<std::int64_t> room;
        std::int64_t base = 0;
        std::int64_t room_total = 0;
        for (const OrderPrice& o : orders) {
            left.push_back(o.goods_fen - o.discount_fen);
            room.push_back(std::max<std::int64_t>(o.goods_fen - o.discount_fen - 1, 0));
            base += left.back();
            room_total += room.back();
        }
        const std::int64_t off = std::min(CouponDiscount(coupons[*platform], base), room_total);
        const std::vector<std::int64_t> shares = SplitDiscount(off, left, room);
        for (std::size_t i = 0; i < orders.size(); ++i) orders[i].discount_fen += shares[i];
        out.coupons[*platform].discount_fen = off;
    }
    for (OrderPrice& o : orders) {
        o.total_fen = o.goods_fen + o.shipping_fen - o.discount_fen;
        out.amount_fen += o.total_fen;
    }
    out.orders = std::move(orders);
    return out;
}

}  // namespace goji::orders
