// Shipping fees and coupon discounts: the arithmetic checkout and its preview
// share, without a database.
#include <gtest/gtest.h>

#include <numeric>

#include "common/time_format.hpp"
#include "domain/orders/pricing.hpp"
#include "domain/orders/pricing_service.hpp"
#include "infra/region_file.hpp"

namespace goji::orders {
namespace {

constexpr Millis kNow = 1'780'000'000'000;  // 2026-05-28
constexpr Millis kDay = 24LL * 3600 * 1000;

// Xinjiang cheap, Tibet remote, the rest by default, free from 99 yuan.
ShippingTemplate Demo() {
    ShippingTemplate t;
    t.free_over_fen = 9900;
    t.rules = {ShippingRule{{"65"}, 1000, 600, 1000, 200, false}, ShippingRule{{"54"}, 1000, 2000, 500, 1200, true},
               ShippingRule{{}, 1000, 1000, 1000, 500, false}};
    return t;
}

Coupon Fixed(std::int64_t id, std::int64_t amount, std::int64_t min_spend, std::optional<ShopId> shop) {
    Coupon c;
    c.id = CouponId{id};
    c.code = "C" + std::to_string(id);
    c.shop_id = shop;
    c.kind = CouponKind::kFixed;
    c.amount_fen = amount;
    c.min_spend_fen = min_spend;
    c.starts_at = kNow - kDay;
    c.ends_at = kNow + kDay;
    c.per_user_limit = 1;
    c.total_count = 10;
    return c;
}

Coupon Percent(std::int64_t id, std::int64_t percent, std::int64_t cap, std::optional<ShopId> shop = std::nullopt) {
    Coupon c = Fixed(id, 0, 0, shop);
    c.kind = CouponKind::kPercent;
    c.percent_off = percent;
    c.max_discount_fen = cap;
    return c;
}

TEST(ShippingFee, FirstWeightThenEveryStartedStep) {
    const ShippingRule r{{}, 1000, 1000, 1000, 500, false};
    EXPECT_EQ(WeightFee(r, 1), 1000);
    EXPECT_EQ(WeightFee(r, 1000), 1000);
    EXPECT_EQ(WeightFee(r, 1001), 1500);
    EXPECT_EQ(WeightFee(r, 2000), 1500);
    EXPECT_EQ(WeightFee(r, 2001), 2000);
    const ShippingRule half{{}, 1000, 2000, 500, 1200, true};
    EXPECT_EQ(WeightFee(half, 2600), 2000 + 4 * 1200);  // 1600 g more: four started half-kilos
}

TEST(ShippingFee, ByProvinceWithTheDefaultForTheRest) {
    const ShippingTemplate t = Demo();
    EXPECT_EQ(ShippingFee(&t, "65", 1500, 5000), 800);
    EXPECT_EQ(ShippingFee(&t, "54", 1500, 5000), 3200);
    EXPECT_EQ(ShippingFee(&t, "11", 1500, 5000), 1500);
    EXPECT_EQ(RuleFor(t, "31"), &t.rules[2]);
    EXPECT_EQ(ProvinceOf("652722102200"), "65");
}

TEST(ShippingFee, FreeFromTheThresholdButNeverForRemoteRegions) {
    const ShippingTemplate t = Demo();
    EXPECT_EQ(ShippingFee(&t, "65", 3000, 9899), 1000);
    EXPECT_EQ(ShippingFee(&t, "65", 3000, 9900), 0);
    EXPECT_EQ(ShippingFee(&t, "11", 30000, 100000), 0);
    EXPECT_EQ(ShippingFee(&t, "54", 1000, 100000), 2000);
    ShippingTemplate never = t;
    never.free_over_fen = 0;
    EXPECT_EQ(ShippingFee(&never, "65", 1000, 100'000'000), 600);
}

TEST(ShippingFee, AShopWithoutATemplateShipsFree) { EXPECT_EQ(ShippingFee(nullptr, "54", 50000, 100), 0); }

TEST(CouponDiscount, FixedPercentRoundedDownAndCapped) {
    EXPECT_EQ(CouponDiscount(Fixed(1, 1000, 9900, std::nullopt), 12000), 1000);
    EXPECT_EQ(CouponDiscount(Percent(2, 5, 0), 12345), 617);  // 617.25 rounded down
    EXPECT_EQ(CouponDiscount(Percent(3, 5, 2000), 100'000), 2000);
    EXPECT_EQ(CouponDiscount(Percent(4, 99, 0), 1), 0);
    // Large enough that base × percent overflows nothing.
    EXPECT_EQ(CouponDiscount(Percent(5, 50, 0), 90'000'000'000'000'000), 45'000'000'000'000'000);
}

TEST(SplitDiscount, InProportionWithTheRemainderToTheLastOrders) {
    EXPECT_EQ(SplitDiscount(100, {3000, 1000}, {2999, 999}), (std::vector<std::int64_t>{75, 25}));
    EXPECT_EQ(SplitDiscount(100, {1000, 1000, 1000}, {999, 999, 999}), (std::vector<std::int64_t>{33, 33, 34}));
    // The last order has no room left: the fen go to the one before.
    EXPECT_EQ(SplitDiscount(2, {1, 1, 1, 0}, {1, 1, 1, 0}), (std::vector<std::int64_t>{0, 1, 1, 0}));
    // Shares are capped by what each order can still lose.
    const auto capped = SplitDiscount(10, {10, 1}, {9, 1});
    EXPECT_EQ(std::accumulate(capped.begin(), capped.end(), std::int64_t{0}), 10);
    EXPECT_LE(capped[0], 9);
    EXPECT_LE(capped[1], 1);
    // Big figures stay exact.
    const std::int64_t big = 5'000'000'000'000;
    EXPECT_EQ(SplitDiscount(big, {big, big}, {big, big}), (std::vector<std::int64_t>{big / 2, big / 2}));
}

TEST(CouponWindow, NotStartedExpiredAndClaimable) {
    Coupon c = Fixed(1, 100, 0, std::nullopt);
    EXPECT_TRUE(CheckWindow(c, kNow));
    EXPECT_EQ(CheckWindow(c, c.starts_at - 1).error().code, "coupon_not_started");
    EXPECT_TRUE(CheckWindow(c, c.starts_at));
    EXPECT_EQ(CheckWindow(c, c.ends_at).error().code, "coupon_expired");
    EXPECT_EQ(CheckClaimable(c, 1, kNow).error().code, "limit_reached");
    c.issued_count = c.total_count;
    EXPECT_EQ(CheckClaimable(c, 0, kNow).error().code, "coupons_gone");
    EXPECT_EQ(CheckClaimable(c, 0, kNow).error().kind, ErrorKind::kConflict);
}

TEST(CouponCode, NormalisedOrRefused) {
    EXPECT_EQ(NormaliseCouponCode(" goji-95 "), "GOJI-95");
    EXPECT_EQ(NormaliseCouponCode("abc"), "");
    EXPECT_EQ(NormaliseCouponCode("满99减10"), "");
    EXPECT_EQ(NormaliseCouponCode(std::string(21, 'A')), "");
}

std::vector<OrderPrice> TwoShops() { return {OrderPrice{ShopId{1}, 12000, 1500}, OrderPrice{ShopId{2}, 4000, 600}}; }

TEST(PriceCheckout, ShippingPerShopByItsTemplate) {
    const std::map<ShopId, ShippingTemplate> templates = {{ShopId{1}, Demo()}};
    auto p = PriceCheckout(TwoShops(), "65", templates, {}, kNow);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->orders[0].shipping_fen, 0);  // over 99 yuan
    EXPECT_EQ(p->orders[1].shipping_fen, 0);  // shop 2 has no template
    auto tibet = PriceCheckout(TwoShops(), "54", templates, {}, kNow);
    EXPECT_EQ(tibet->orders[0].shipping_fen, 2000 + 1200);
    EXPECT_EQ(tibet->orders[0].total_fen, 12000 + 3200);
    EXPECT_EQ(tibet->amount_fen, 12000 + 3200 + 4000);
}

TEST(PriceCheckout, ShopCouponOnItsShopPlatformCouponShared) {
    const std::vector<Coupon> coupons = {Fixed(1, 1000, 9900, ShopId{1}), Percent(2, 10, 0)};
    auto p = PriceCheckout(TwoShops(), "11", {}, coupons, kNow);
    ASSERT_TRUE(p) << p.error().code;
    // Shop 1: 12000 − 1000 = 11000 left; shop 2: 4000. 10% of 15000 = 1500,
    // shared 11000 : 4000.
    EXPECT_EQ(p->coupons[0].discount_fen, 1000);
    EXPECT_EQ(p->coupons[1].discount_fen, 1500);
    EXPECT_EQ(p->orders[0].discount_fen, 1000 + 1100);
    EXPECT_EQ(p->orders[1].discount_fen, 400);
    EXPECT_EQ(p->amount_fen, 16000 - 2500);
    for (const auto& o : p->orders) EXPECT_EQ(o.total_fen, o.goods_fen + o.shipping_fen - o.discount_fen);
}

TEST(PriceCheckout, DiscountsNeverTakeTheLastFenOrTouchShipping) {
    const std::map<ShopId, ShippingTemplate> templates = {{ShopId{2}, Demo()}};
    auto p = PriceCheckout(TwoShops(), "65", templates, {Fixed(1, 999'999, 0, ShopId{2})}, kNow);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->orders[1].discount_fen, 3999);
    EXPECT_EQ(p->orders[1].total_fen, 1 + 600);
    auto all = PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 999'999, 0, std::nullopt)}, kNow);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->coupons[0].discount_fen, 16000 - 2);
    EXPECT_EQ(all->orders[0].total_fen, 1);
    EXPECT_EQ(all->orders[1].total_fen, 1);
}

TEST(PriceCheckout, ThresholdsShopOnItsGoodsPlatformOnAll) {
    // 4000 in shop 2 misses a 50-yuan threshold there…
    auto shop = PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 500, 5000, ShopId{2})}, kNow);
    EXPECT_EQ(shop.error().code, "coupon_below_threshold");
    // … but the platform counts all 16000 goods.
    EXPECT_TRUE(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 500, 16000, std::nullopt)}, kNow));
    EXPECT_EQ(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 500, 16001, std::nullopt)}, kNow).error().code,
              "coupon_below_threshold");
}

TEST(PriceCheckout, RefusesForeignConflictingAndOutOfWindowCoupons) {
    EXPECT_EQ(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 100, 0, ShopId{3})}, kNow).error().code,
              "coupon_not_applicable");
    EXPECT_EQ(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 100, 0, ShopId{1}), Fixed(2, 100, 0, ShopId{1})}, kNow)
                  .error()
                  .code,
              "coupon_conflict");
    EXPECT_EQ(PriceCheckout(TwoShops(), "11", {}, {Percent(1, 5, 0), Percent(2, 5, 0)}, kNow).error().code,
              "coupon_conflict");
    EXPECT_EQ(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 100, 0, ShopId{1})}, kNow + 2 * kDay).error().code,
              "coupon_expired");
    EXPECT_EQ(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 100, 0, ShopId{1})}, kNow - 2 * kDay).error().code,
              "coupon_not_started");
    EXPECT_TRUE(PriceCheckout(TwoShops(), "11", {}, {Fixed(1, 100, 0, ShopId{1}), Fixed(2, 100, 0, ShopId{2})}, kNow));
}

class ShippingCheckTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { regions_ = std::move(infra::RegionFile::Open(GOJI_REGIONS_FILE)).value(); }
    static void TearDownTestSuite() { regions_.reset(); }
    static Result<ShippingTemplate> Check(const ShippingTemplate& t) {
        return PricingService::CheckShipping(t, *regions_);
    }
    static std::unique_ptr<infra::RegionFile> regions_;
};
std::unique_ptr<infra::RegionFile> ShippingCheckTest::regions_;

TEST_F(ShippingCheckTest, AcceptsAGoodTemplate) { EXPECT_TRUE(Check(Demo())); }

TEST_F(ShippingCheckTest, NeedsExactlyOneDefaultRule) {
    ShippingTemplate none = Demo();
    none.rules.pop_back();
    EXPECT_EQ(Check(none).error().code, "rules");
    EXPECT_EQ(Check(none).error().reason, "default_rule");
    ShippingTemplate two = Demo();
    two.rules.push_back(two.rules.back());
    EXPECT_EQ(Check(two).error().code, "rules[3].provinces");
    EXPECT_EQ(Check(ShippingTemplate{}).error().code, "rules");
}

TEST_F(ShippingCheckTest, ProvincesAreKnownTwoDigitCodesNamedOnce) {
    for (const char* bad : {"99", "650000", "6", "xj", "00"}) {
        ShippingTemplate t = Demo();
        t.rules[0].provinces = {bad};
        EXPECT_EQ(Check(t).error().code, "rules[0].provinces") << bad;
        EXPECT_EQ(Check(t).error().reason, "unknown_region") << bad;
    }
    ShippingTemplate twice = Demo();
    twice.rules[1].provinces = {"54", "65"};
    EXPECT_EQ(Check(twice).error().code, "rules[1].provinces");
    EXPECT_EQ(Check(twice).error().reason, "duplicate");
}

TEST_F(ShippingCheckTest, WeightsFeesAndCountsInRange) {
    const auto field = [](ShippingTemplate t) { return Check(t).error().code; };
    ShippingTemplate t = Demo();
    t.rules[0].first_weight_g = 0;
    EXPECT_EQ(field(t), "rules[0].first_weight_g");
    t = Demo();
    t.rules[2].additional_weight_g = kMaxShippingWeightG + 1;
    EXPECT_EQ(field(t), "rules[2].additional_weight_g");
    t = Demo();
    t.rules[1].first_fen = -1;
    EXPECT_EQ(field(t), "rules[1].first_fen");
    t = Demo();
    t.rules[1].additional_fen = kMaxShippingFeeFen + 1;
    EXPECT_EQ(field(t), "rules[1].additional_fen");
    t = Demo();
    t.free_over_fen = -1;
    EXPECT_EQ(field(t), "free_over_fen");
    t = Demo();
    for (int i = 0; i < 40; ++i) t.rules.push_back(ShippingRule{{}, 1, 0, 1, 0, false});
    EXPECT_EQ(field(t), "rules");
}

TEST(Iso8601, ReadsOffsetsAndRefusesNonsense) {
    EXPECT_EQ(ParseIso8601("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(ParseIso8601("1970-01-01T08:00:00+08:00"), 0);
    EXPECT_EQ(ParseIso8601("1970-01-01T08:00+08:00"), 0);
    EXPECT_EQ(ParseIso8601("2026-03-01T00:00:00.250+08:00"), ParseIso8601("2026-02-28T16:00:00.250Z"));
    EXPECT_EQ(ParseIso8601(FormatShanghai(kNow)), kNow);
    for (const char* bad : {"", "2026-03-01", "2026-03-01T00:00:00", "2026-02-30T00:00:00Z", "2026-03-01T24:00Z",
                            "2026-03-01T00:00:00+8:00", "2026-03-01T00:00:00Zjunk", "1969-12-31T23:59:59Z"}) {
        EXPECT_FALSE(ParseIso8601(bad)) << bad;
    }
}

}  // namespace
}  // namespace goji::orders
