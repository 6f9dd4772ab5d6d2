#include "storage/sql/pricing_repository.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace goji::storage {

using namespace orders;  // NOLINT(google-build-using-namespace): the file maps pricing types

namespace {

// ---- shipping ----

constexpr Query kShippingOfShop{"shipping_templates.of_shop",
                                "SELECT free_over_fen, updated_at FROM shipping_templates WHERE shop_id = ?"};
constexpr Query kRulesOfShop{"shipping_rules.of_shop",
                             "SELECT provinces, first_weight_g, first_fen, additional_weight_g, additional_fen, remote "
                             "FROM shipping_rules WHERE shop_id = ? ORDER BY position"};
constexpr Query kSaveShipping{
    "shipping_templates.save",
    "INSERT INTO shipping_templates (shop_id, free_over_fen, updated_by, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (shop_id) DO UPDATE SET free_over_fen = excluded.free_over_fen, updated_by = excluded.updated_by, "
    "updated_at = excluded.updated_at"};
constexpr Query kDeleteRules{"shipping_rules.delete", "DELETE FROM shipping_rules WHERE shop_id = ?"};
constexpr Query kInsertRule{"shipping_rules.insert",
                            "INSERT INTO shipping_rules (shop_id, position, provinces, first_weight_g, first_fen, "
                            "additional_weight_g, additional_fen, remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};

// ---- coupons ----

// The columns CouponFromRow reads, and whether the coupon may be claimed at
// all (a platform coupon, or one of a verified shop).
#define GOJI_COUPON_COLUMNS                                                                                          \
    "c.id, c.code, c.shop_id, COALESCE(s.name, ''), c.title, c.kind, c.amount_fen, c.percent_off, "                  \
    "c.max_discount_fen, c.min_spend_fen, c.starts_at, c.ends_at, c.per_user_limit, c.total_count, c.issued_count, " \
    "(SELECT COUNT(*) FROM coupon_claims x WHERE x.coupon_id = c.id AND x.checkout_id IS NOT NULL), c.created_by, "  \
    "c.created_at, CASE WHEN c.shop_id IS NULL OR s.status = 'verified' THEN 1 ELSE 0 END "
#define GOJI_COUPON_FROM "FROM coupons c LEFT JOIN shops s ON s.id = c.shop_id "

constexpr Query kCouponIdByCode{"coupons.id_by_code", "SELECT id FROM coupons WHERE code = ?"};
constexpr Query kCouponById{"coupons.by_id", "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM "WHERE c.id = ?"};
// Every issue of a claim (by a claim or by a checkout) takes the coupon's row
// first, so issues of one coupon take turns (PostgreSQL runs READ COMMITTED;
// SQLite has one writer anyway): what one counts is what the one before it
// committed.
constexpr Query kLockCoupon{"coupons.lock", "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM "WHERE c.id = ?",
                            "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM "WHERE c.id = ? FOR UPDATE OF c"};
constexpr Query kInsertCoupon{
    "coupons.insert",
    "INSERT INTO coupons (code, shop_id, title, kind, amount_fen, percent_off, max_discount_fen, min_spend_fen, "
    "starts_at, ends_at, per_user_limit, total_count, created_by, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kShopCoupons{"coupons.of_shop",
                             "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM
                             "WHERE c.shop_id = ? AND (? = 0 OR (c.starts_at <= ? AND c.ends_at > ? "
                             "AND c.issued_count < c.total_count)) AND c.id > ? ORDER BY c.id LIMIT ?",
                             "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM
                             "WHERE c.shop_id = ? AND (?::bigint = 0 OR (c.starts_at <= ? AND c.ends_at > ? "
                             "AND c.issued_count < c.total_count)) AND c.id > ? ORDER BY c.id LIMIT ?"};
constexpr Query kPlatformCoupons{"coupons.of_platform",
                                 "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM
                                 "WHERE c.shop_id IS NULL AND (? = 0 OR (c.starts_at <= ? AND c.ends_at > ? "
                                 "AND c.issued_count < c.total_count)) AND c.id > ? ORDER BY c.id LIMIT ?",
                                 "SELECT " GOJI_COUPON_COLUMNS GOJI_COUPON_FROM
                                 "WHERE c.shop_id IS NULL AND (?::bigint = 0 OR (c.starts_at <= ? AND c.ends_at > ? "
                                 "AND c.issued_count < c.total_count)) AND c.id > ? ORDER BY c.id LIMIT ?"};
constexpr Query kIssue{
    "coupons.issue", "UPDATE coupons SET issued_count = issued_count + 1 WHERE id = ? AND issued_count < total_count"};

// ---- claims ----

constexpr Query kCountClaims{"coupon_claims.count",
                             "SELECT COUNT(*) FROM coupon_claims WHERE coupon_id = ? AND user_id = ?"};
constexpr Query kFreeClaim{"coupon_claims.free",
                           "SELECT id FROM coupon_claims WHERE coupon_id = ? AND user_id = ? AND checkout_id IS NULL "
                           "ORDER BY id LIMIT 1"};
// A free claim taken by a concurrent checkout is re-checked once that commits
// and skipped, so one claim never serves two checkouts.
constexpr Query kLockFreeClaim{"coupon_claims.lock_free",
                               "SELECT id FROM coupon_claims WHERE coupon_id = ? AND user_id = ? "
                               "AND checkout_id IS NULL ORDER BY id LIMIT 1",
                               "SELECT id FROM coupon_claims WHERE coupon_id = ? AND user_id = ? "
                               "AND checkout_id IS NULL ORDER BY id LIMIT 1 FOR UPDATE"};
constexpr Query kInsertClaim{
    "coupon_claims.insert", "INSERT INTO coupon_claims (coupon_id, user_id, claimed_at) VALUES (?, ?, ?) RETURNING id"};
constexpr Query kUseClaim{"coupon_claims.use",
                          "UPDATE coupon_claims SET order_id = ?, checkout_id = ?, discount_fen = ? "
                          "WHERE id = ? AND checkout_id IS NULL"};
constexpr Query kReturnShopClaims{"coupon_claims.return_of_order",
                                  "UPDATE coupon_claims SET order_id = NULL, checkout_id = NULL, discount_fen = 0 "
                                  "WHERE order_id = ?"};
constexpr Query kReturnPlatformClaims{
    "coupon_claims.return_of_checkout",
    "UPDATE coupon_claims SET checkout_id = NULL, discount_fen = 0 WHERE checkout_id = ? AND order_id IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.checkout_id = ? AND o.status <> 'cancelled')"};
constexpr Query kClaimsOfUser{
    "coupon_claims.of_user",
    "SELECT u.id, u.user_id, u.claimed_at, u.order_id, u.checkout_id, u.discount_fen, " GOJI_COUPON_COLUMNS
    "FROM coupon_claims u JOIN coupons c ON c.id = u.coupon_id "
    "LEFT JOIN shops s ON s.id = c.shop_id "
    "WHERE u.user_id = ? AND u.id < ? ORDER BY u.id DESC LIMIT ?"};

#undef GOJI_COUPON_COLUMNS
#undef GOJI_COUPON_FROM

struct LoadedCoupon {
    Coupon coupon;
    bool claimable = false;  // a platform coupon or one of a verified shop
};

LoadedCoupon CouponFromRow(const Row& r, std::size_t at) {
    Coupon c;
    c.id = CouponId{r.Int(at)};
    c.code = r.Text(at + 1);
    if (!r.IsNull(at + 2)) c.shop_id = ShopId{r.Int(at + 2)};
    c.shop_name = r.Text(at + 3);
    c.title = r.Text(at + 4);
    c.kind = ParseCouponKind(r.Text(at + 5)).value_or(CouponKind::kFixed);
    c.amount_fen = r.Int(at + 6);
    c.percent_off = r.Int(at + 7);
    c.max_discount_fen = r.Int(at + 8);
    c.min_spend_fen = r.Int(at + 9);
    c.starts_at = r.Int(at + 10);
    c.ends_at = r.Int(at + 11);
    c.per_user_limit = r.Int(at + 12);
    c.total_count = r.Int(at + 13);
    c.issued_count = r.Int(at + 14);
    c.used_count = r.Int(at + 15);
    c.created_by = UserId{r.Int(at + 16)};
    c.created_at = r.Int(at + 17);
    return {std::move(c), r.Bool(at + 18)};
}

CouponClaim ClaimFromRow(const Row& r) {
    CouponClaim c;
    c.id = ClaimId{r.Int(0)};
    c.user_id = UserId{r.Int(1)};
    c.claimed_at = r.Int(2);
    if (!r.IsNull(3)) c.order_id = OrderId{r.Int(3)};
    c.checkout_id = r.IsNull(4) ? 0 : r.Int(4);
    c.discount_fen = r.Int(5);
    c.coupon = CouponFromRow(r, 6).coupon;
    return c;
}

Result<LoadedCoupon> LoadCoupon(Tx& tx, std::int64_t id, bool lock) {
    auto rows = tx.Query(lock ? kLockCoupon : kCouponById, {id});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::Make(ErrorKind::kRuleBroken, "coupon_unknown");
    return CouponFromRow(rows->front(), 0);
}

// The id of the coupon with `code`; RuleBroken "coupon_unknown" when none has it.
Result<std::int64_t> CouponIdOf(Tx& tx, std::string_view code) {
    auto rows = tx.Query(kCouponIdByCode, {code});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::Make(ErrorKind::kRuleBroken, "coupon_unknown");
    return rows->front().Int(0);
}

Result<std::optional<ShippingTemplate>> LoadShipping(Tx& tx, ShopId shop) {
    auto head = tx.Query(kShippingOfShop, {shop.value});
    if (!head) return std::move(head).error();
    if (head->empty()) return std::optional<ShippingTemplate>{};
    ShippingTemplate t;
    t.free_over_fen = head->front().Int(0);
    t.updated_at = head->front().Int(1);
    auto rules = tx.Query(kRulesOfShop, {shop.value});
    if (!rules) return std::move(rules).error();
    for (const Row& r : *rules) {
        ShippingRule rule;
        const std::string provinces = r.Text(0);
        for (std::size_t from = 0; from < provinces.size();) {
            const std::size_t comma = std::min(provinces.find(',', from), provinces.size());
            rule.provinces.push_back(provinces.substr(from, comma - from));
            from = comma + 1;
        }
        rule.first_weight_g = r.Int(1);
        rule.first_fen = r.Int(2);
        rule.additional_weight_g = r.Int(3);
        rule.additional_fen = r.Int(4);
        rule.remote = r.Bool(5);
        t.rules.push_back(std::move(rule));
    }
    return std::optional<ShippingTemplate>(std::move(t));
}

// Takes one more of the coupon for the user: within the per-user limit and
// the total count, or the error that says why not.
Result<ClaimId> IssueClaim(Tx& tx, const Coupon& coupon, UserId user, Millis now) {
    auto count = tx.Query(kCountClaims, {coupon.id.value, user.value});
    if (!count) return std::move(count).error();
    if (auto s = CheckClaimable(coupon, count->front().Int(0), now); !s) return s.error();
    auto issued = tx.Exec(kIssue, {coupon.id.value});
    if (!issued) return std::move(issued).error();
    if (*issued == 0) return Error::Conflict("coupons_gone");
    auto claim = tx.Query(kInsertClaim, {coupon.id.value, user.value, now});
    if (!claim) return std::move(claim).error();
    return ClaimId{claim->front().Int(0)};
}

class SqlPricingRepository final : public PricingRepository {
public:
    explicit SqlPricingRepository(SqlDatabase& db) : db_(db) {}

    Result<std::optional<ShippingTemplate>> FindShipping(ShopId shop) override {
        return db_.Read<std::optional<ShippingTemplate>>([&](Tx& tx) { return LoadShipping(tx, shop); });
    }

    Status SaveShipping(ShopId shop, const ShippingTemplate& shipping, UserId actor) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto saved = tx.Exec(kSaveShipping, {shop.value, shipping.free_over_fen, actor.value, shipping.updated_at});
            if (!saved) return std::move(saved).error();
            if (auto n = tx.Exec(kDeleteRules, {shop.value}); !n) return std::move(n).error();
            std::int64_t position = 0;
            for (const ShippingRule& r : shipping.rules) {
                std::string provinces;
                for (const std::string& p : r.provinces) provinces += (provinces.empty() ? "" : ",") + p;
                auto n =
                    tx.Exec(kInsertRule, {shop.value, position++, provinces, r.first_weight_g, r.first_fen,
                                          r.additional_weight_g, r.additional_fen, std::int64_t{r.remote ? 1 : 0}});
                if (!n) return std::move(n).error();
            }
            return {};
        });
    }

    Result<Coupon> CreateCoupon(const Coupon& c) override {
        return db_.Write<Coupon>([&](Tx& tx) -> Result<Coupon> {
            auto rows =
                tx.Query(kInsertCoupon, {std::string_view(c.code), c.shop_id ? Value(c.shop_id->value) : Value(nullptr),
                                         std::string_view(c.title), CouponKindName(c.kind), c.amount_fen, c.percent_off,
                                         c.max_discount_fen, c.min_spend_fen, c.starts_at, c.ends_at, c.per_user_limit,
                                         c.total_count, c.created_by.value, c.created_at});
            if (!rows) return std::move(rows).error();
            auto made = LoadCoupon(tx, rows->front().Int(0), false);
            if (!made) return std::move(made).error();
            return std::move(made->coupon);
        });
    }

    Result<std::vector<Coupon>> ListCoupons(const CouponFilter& f) override {
        return db_.Read<std::vector<Coupon>>([&](Tx& tx) -> Result<std::vector<Coupon>> {
            const std::int64_t active = f.active_only ? 1 : 0;
            const std::int64_t after = f.after ? f.after->value : 0;
            const auto limit = static_cast<std::int64_t>(f.limit);
            auto rows = f.shop ? tx.Query(kShopCoupons, {f.shop->value, active, f.now, f.now, after, limit})
                               : tx.Query(kPlatformCoupons, {active, f.now, f.now, after, limit});
            if (!rows) return std::move(rows).error();
            std::vector<Coupon> out;
            for (const Row& r : *rows) out.push_back(CouponFromRow(r, 0).coupon);
            return out;
        });
    }

    Result<CouponClaim> Claim(std::string_view code, UserId user, Millis now) override {
        return db_.Write<CouponClaim>([&](Tx& tx) -> Result<CouponClaim> {
            auto id = CouponIdOf(tx, code);
            if (!id) return std::move(id).error();
            auto loaded = LoadCoupon(tx, *id, true);
            if (!loaded) return std::move(loaded).error();
            if (!loaded->claimable) return Error::Make(ErrorKind::kRuleBroken, "coupon_unknown");
            auto claim = IssueClaim(tx, loaded->coupon, user, now);
            if (!claim) return std::move(claim).error();
            CouponClaim out;
            out.id = *claim;
            out.coupon = std::move(loaded->coupon);
            ++out.coupon.issued_count;
            out.user_id = user;
            out.claimed_at = now;
            return out;
        });
    }

    Result<std::vector<CouponClaim>> Claims(UserId user, std::optional<ClaimId> before, std::size_t limit) override {
        return db_.Read<std::vector<CouponClaim>>([&](Tx& tx) -> Result<std::vector<CouponClaim>> {
            auto rows = tx.Query(kClaimsOfUser,
                                 {user.value, before ? before->value : INT64_MAX, static_cast<std::int64_t>(limit)});
            if (!rows) return std::move(rows).error();
            std::vector<CouponClaim> out;
            for (const Row& r : *rows) out.push_back(ClaimFromRow(r));
            return out;
        });
    }

private:
    SqlDatabase& db_;
};

}  // namespace

std::unique_ptr<PricingRepository> MakePricingRepository(SqlDatabase& db) {
    return std::make_unique<SqlPricingRepository>(db);
}

Result<CheckoutQuote> QuoteIn(Tx& tx, UserId buyer, std::string_view region_code, std::vector<PlannedOrder> plan,
                              const std::vector<std::string>& codes, Millis now, CouponUse use) {
    std::vector<OrderPrice> prices;
    std::map<ShopId, ShippingTemplate> templates;
    for (const PlannedOrder& p : plan) {
        OrderPrice o{p.shop_id, p.goods_fen};
        for (const OrderItem& i : p.items) o.weight_g += i.weight_g * i.quantity;
        prices.push_back(o);
        auto shipping = LoadShipping(tx, p.shop_id);
        if (!shipping) return std::move(shipping).error();
        if (*shipping) templates.emplace(p.shop_id, std::move(**shipping));
    }
    // Every code must name a coupon of a verified shop or of the platform.
    std::vector<Coupon> coupons;
    for (const std::string& code : codes) {
        auto id = CouponIdOf(tx, code);
        if (!id) return std::move(id).error();
        auto loaded = LoadCoupon(tx, *id, false);
        if (!loaded) return std::move(loaded).error();
        if (!loaded->claimable) return Error::Make(ErrorKind::kRuleBroken, "coupon_unknown");
        coupons.push_back(std::move(loaded->coupon));
    }

    // The coupons' rules and the arithmetic; the coupons are distinct from here on.
    auto priced = PriceCheckout(std::move(prices), ProvinceOf(region_code), templates, coupons, now);
    if (!priced) return std::move(priced).error();

    // Each coupon's claim, in coupon id order so that two checkouts never wait
    // for each other in a circle: the buyer's oldest free claim, else a new
    // one issued under the coupon's row lock with its counts read afresh.
    std::vector<std::size_t> by_id(coupons.size());
    std::iota(by_id.begin(), by_id.end(), std::size_t{0});
    std::sort(by_id.begin(), by_id.end(), [&](std::size_t a, std::size_t b) { return coupons[a].id < coupons[b].id; });
    CheckoutQuote quote;
    quote.claims.resize(coupons.size());
    for (const std::size_t c : by_id) {
        const Coupon& coupon = coupons[c];
        auto free = tx.Query(use == CouponUse::kClaim ? kLockFreeClaim : kFreeClaim, {coupon.id.value, buyer.value});
        if (!free) return std::move(free).error();
        if (!free->empty()) {
            quote.claims[c] = ClaimId{free->front().Int(0)};
            continue;
        }
        if (use == CouponUse::kPreview) {
            auto count = tx.Query(kCountClaims, {coupon.id.value, buyer.value});
            if (!count) return std::move(count).error();
            if (auto s = CheckClaimable(coupon, count->front().Int(0), now); !s) return s.error();
            continue;
        }
        auto locked = LoadCoupon(tx, coupon.id.value, true);
        if (!locked) return std::move(locked).error();
        auto claim = IssueClaim(tx, locked->coupon, buyer, now);
        if (!claim) return std::move(claim).error();
        quote.claims[c] = *claim;
    }
    for (std::size_t i = 0; i < plan.size(); ++i) {
        plan[i].shipping_fen = priced->orders[i].shipping_fen;
        plan[i].discount_fen = priced->orders[i].discount_fen;
        plan[i].total_fen = priced->orders[i].total_fen;
    }
    quote.orders = std::move(plan);
    quote.coupons = std::move(priced->coupons);
    quote.amount_fen = priced->amount_fen;
    return quote;
}

Status UseCouponsIn(Tx& tx, const CheckoutQuote& quote, std::int64_t checkout_id,
                    const std::vector<OrderId>& order_ids) {
    for (std::size_t c = 0; c < quote.coupons.size(); ++c) {
        const AppliedCoupon& applied = quote.coupons[c];
        Value order = nullptr;
        if (applied.shop_id) {
            for (std::size_t i = 0; i < quote.orders.size(); ++i) {
                if (quote.orders[i].shop_id == *applied.shop_id) order = order_ids.at(i).value;
            }
        }
        auto n = tx.Exec(kUseClaim, {order, checkout_id, applied.discount_fen, quote.claims.at(c).value});
        if (!n) return std::move(n).error();
        // The claim's row is locked (or it was just made), so no other checkout can have used it.
        if (*n != 1) return Error::Internal("coupon claim " + quote.claims.at(c).ToString() + " was taken meanwhile");
    }
    return {};
}

Status ReturnCouponsIn(Tx& tx, OrderId order, std::int64_t checkout_id) {
    if (auto n = tx.Exec(kReturnShopClaims, {order.value}); !n) return std::move(n).error();
    if (auto n = tx.Exec(kReturnPlatformClaims, {checkout_id, checkout_id}); !n) return std::move(n).error();
    return {};
}

}  // namespace goji::storage
