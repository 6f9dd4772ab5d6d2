#pragma once

// After the payment: shipping, receipt, refunds and reviews.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "domain/orders/order.hpp"

namespace goji::orders {

using RefundId = Id<struct RefundTag>;

constexpr std::size_t kMaxCarrier = 40;
constexpr std::size_t kMaxTrackingNo = 40;
constexpr std::size_t kMaxRefundReason = 500;
constexpr std::size_t kMaxReviewText = 500;
constexpr std::size_t kMaxShipmentRows = 2000;
constexpr Millis kDefaultAutoReceiveMs = 10LL * 24 * 3600 * 1000;  // shipped → delivered without the buyer
constexpr Millis kDefaultCompleteMs = 7LL * 24 * 3600 * 1000;      // delivered → completed (refund window closes)

enum class RefundStatus : std::uint8_t { kRequested, kApproved, kRefused };
std::string_view RefundStatusName(RefundStatus s);
std::optional<RefundStatus> ParseRefundStatus(std::string_view name);

struct Refund {
    RefundId id;
    OrderId order_id;
    ShopId shop_id;
    std::int64_t amount_fen = 0;
    std::string reason;
    RefundStatus status = RefundStatus::kRequested;
    bool automatic = false;            // approved without the seller (before shipping, or paid after cancellation)
    bool restocked = false;            // the order's units went back on offer
    std::optional<OrderStatus> prior;  // where the order goes back to when refused or partial
    UserId decided_by;
    Millis decided_at = 0;
    std::string note;  // the seller's word when refusing
    Millis created_at = 0;
};

struct Review {
    std::int64_t id = 0;
    OrderId order_id;
    SkuId sku_id;
    ProductId product_id;
    UserId buyer_id;
    std::string buyer_name;  // masked for everyone but the buyer
    std::string spec;
    std::int64_t rating = 0;
    std::string text;
    Millis created_at = 0;
};

struct RefundRequest {
    OrderId order;
    UserId buyer;
    std::int64_t amount_fen = 0;
    std::string reason;
    Millis now = 0;
    std::string idempotency_key;  // empty: none
    std::string request_hash;
};

// The repository's answer to a refund request: the refund and its order
// after it, or the stored reply of a retry.
struct RefundOutcome {
    Refund refund;
    Order order;
};

struct RefundFilter {
    ShopId shop;
    std::optional<RefundStatus> status;
    std::optional<RefundId> before;
    std::size_t limit = 20;
};

struct ReviewPage {
    std::vector<Review> items;
    std::int64_t count = 0;
    std::int64_t rating_sum = 0;
};

class AfterSaleRepository {
public:
    virtual ~AfterSaleRepository() = default;
    // paid → shipped with the parcel's carrier and number (Conflict "bad_state" otherwise).
    virtual Result<Order> Ship(OrderId id, UserId actor, std::string_view carrier, std::string_view tracking_no,
                               Millis now) = 0;
    // shipped → delivered.
    virtual Result<Order> Receive(OrderId id, UserId actor, std::string_view note, Millis now) = 0;
    // In one transaction: a stored reply for a repeated key (RuleBroken
    // "idempotency_mismatch" for another request with it); else the order,
    // in paid, shipped or delivered, moves to refunding and a refund is asked
    // for. Before shipping it is approved at once (and a full refund puts
    // the units back on offer). `reply` renders the outcome for the key.
    virtual Result<std::string> RequestRefund(const RefundRequest& request,
                                              const std::function<std::string(const RefundOutcome&)>& reply) = 0;
    virtual Result<Refund> FindRefund(RefundId id) = 0;
    virtual Result<std::vector<Refund>> ListRefunds(const RefundFilter& filter) = 0;
    // A requested refund is approved (money back; the order is refunded when
    // all of it went back, else returns to where it was; `restock` returns
    // its units) or refused (the order returns to where it was).
    virtual Result<RefundOutcome> Decide(RefundId id, UserId actor, bool approve, bool restock, std::string_view note,
                                         Millis now) = 0;
    virtual Result<std::vector<Refund>> RefundsOf(OrderId order) = 0;

    // One review per item of a delivered or completed order (Conflict
    // "already_reviewed" for a second one).
    virtual Result<std::vector<Review>> AddReviews(OrderId order, UserId buyer, const std::vector<SkuId>& skus,
                                                   std::int64_t rating, std::string_view text, Millis now) = 0;
    virtual Result<std::vector<Review>> ReviewsOf(OrderId order) = 0;
    virtual Result<ReviewPage> ProductReviews(ProductId product, std::optional<std::int64_t> before,
                                              std::size_t limit) = 0;

    // Shipped orders older than `receive_before` become delivered; delivered
    // ones older than `complete_before` become completed. Returns how many moved.
    virtual Result<std::int64_t> Settle(Millis now, Millis receive_before, Millis complete_before,
                                        std::size_t limit) = 0;
};

}  // namespace goji::orders
