#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/orders/order.hpp"
#include "domain/orders/pricing_service.hpp"
#include "storage/sql/sql.hpp"

namespace goji::storage {

std::unique_ptr<orders::PricingRepository> MakePricingRepository(SqlDatabase& db);

// The pieces of checkout that read and write shipping templates and coupons,
// run inside the order repository's transaction.

enum class CouponUse : std::uint8_t {
    kPreview,  // check that each coupon could be used; write nothing
    kClaim,    // take the buyer's free claim of each coupon or issue one
};

struct CheckoutQuote {
    std::vector<orders::PlannedOrder> orders;  // with shipping, discount and total
    std::vector<orders::AppliedCoupon> coupons;
    std::vector<orders::ClaimId> claims;  // the claim each coupon uses (kClaim only)
    std::int64_t amount_fen = 0;
};

// Reads the shops' templates and the coupons, prices the plan with
// orders::PriceCheckout for delivery to `region_code`, then finds each
// coupon's claim: the buyer's oldest free claim (its row locked on
// PostgreSQL), else a new one within the per-user limit and the total count,
// issued under the coupon's row lock so that claims of one coupon take turns.
Result<CheckoutQuote> QuoteIn(Tx& tx, UserId buyer, std::string_view region_code,
                              std::vector<orders::PlannedOrder> plan, const std::vector<std::string>& codes, Millis now,
                              CouponUse use);

// Marks the quote's claims as used by the checkout; `order_ids` are the
// orders of `quote.orders`, one for one.
Status UseCouponsIn(Tx& tx, const CheckoutQuote& quote, std::int64_t checkout_id,
                    const std::vector<OrderId>& order_ids);

// Gives back the coupons of an unpaid order being cancelled: the claim of
// a shop coupon on it at once, a platform coupon's claim when no order of
// its checkout is left uncancelled.
Status ReturnCouponsIn(Tx& tx, OrderId order, std::int64_t checkout_id);

}  // namespace goji::storage
