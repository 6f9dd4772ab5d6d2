#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "domain/orders/pricing.hpp"
#include "domain/orders/shopping.hpp"

namespace goji::orders {

enum class OrderStatus : std::uint8_t {
    kPendingPayment,
    kPaid,
    kShipped,
    kDelivered,
    kCompleted,
    kCancelled,
    kRefunding,
    kRefunded,
};

std::string_view OrderStatusName(OrderStatus s);
std::optional<OrderStatus> ParseOrderStatus(std::string_view name);

// The one table of allowed moves between states.
bool CanMove(OrderStatus from, OrderStatus to);

struct OrderItem {
    SkuId sku_id;
    ProductId product_id;
    std::string title;
    std::string spec;
    std::int64_t unit_price_fen = 0;
    std::int64_t quantity = 0;
    std::int64_t weight_g = 0;
};

// Where an order goes, copied from the address book at checkout so that a
// later edit of the address does not move a parcel already on its way.
struct ShipTo {
    std::string name;
    std::string phone;
    std::string region_code;
    std::string detail;
};

struct OrderEvent {
    std::optional<OrderStatus> from;
    OrderStatus to = OrderStatus::kPendingPayment;
    UserId actor;  // 0: the system
    std::string note;
    Millis at = 0;
};

struct Order {
    OrderId id;
    UserId buyer_id;
    ShopId shop_id;
    std::string shop_name;
    std::int64_t checkout_id = 0;
    PaymentId payment_id;  // the payment of its checkout
    OrderStatus status = OrderStatus::kPendingPayment;
    std::int64_t goods_fen = 0;
    std::int64_t shipping_fen = 0;
    std::int64_t discount_fen = 0;
    std::int64_t total_fen = 0;
    ShipTo ship_to;
    std::optional<std::int64_t> live_room_id;
    std::optional<std::int64_t> flash_sale_id;  // bought in a live room's flash sale
    Millis expires_at = 0;
    Millis created_at = 0;
    Millis updated_at = 0;
    std::string carrier;  // set when shipped
    std::string tracking_no;
    Millis shipped_at = 0;
    Millis delivered_at = 0;
    std::int64_t refunded_fen = 0;  // Σ approved refunds
    std::vector<OrderItem> items;
    std::vector<OrderEvent> events;  // the timeline, oldest first
};

// What the buyer may still ask back: all that was paid and not yet refunded,
// while the order is paid, shipped or delivered; nothing otherwise.
std::int64_t Refundable(const Order& order);

// A SKU as checkout sees it inside its transaction.
struct PricedItem {
    SkuId sku_id;
    std::int64_t quantity = 0;
    ProductId product_id;
    ShopId shop_id;
    std::string title;
    std::string spec;
    std::int64_t price_fen = 0;
    std::int64_t weight_g = 0;
    bool on_offer = false;
};

// One order per shop, in the order the shops first appear; items keep the
// order they were given in. Pure: no database, no clock.
struct PlannedOrder {
    ShopId shop_id;
    std::vector<OrderItem> items;
    std::int64_t goods_fen = 0;
    std::int64_t shipping_fen = 0;
    std::int64_t discount_fen = 0;
    std::int64_t total_fen = 0;
};
std::vector<PlannedOrder> PlanOrders(const std::vector<PricedItem>& items);

struct CheckoutRequest {
    UserId buyer;
    ShipTo ship_to;
    std::vector<CartItem> items;  // already checked: distinct SKUs, quantities in range
    bool from_cart = false;       // remove these lines from the cart when the orders are placed
    std::optional<std::int64_t> live_room_id;
    Millis now = 0;
    Millis expires_at = 0;
    // Retries: the same key and request give the first reply again.
    std::string idempotency_key;  // empty: none
    std::string request_hash;
    std::string provider = "sandbox";       // who takes the payment
    std::vector<std::string> coupon_codes;  // normalised (NormaliseCouponCode), as given
};

struct CheckoutResult {
    std::int64_t checkout_id = 0;
    std::vector<Order> orders;
    std::int64_t amount_fen = 0;
    PaymentId payment_id;  // the payment to make for all of them
    std::string provider;
};

// What a checkout would charge now, priced as Checkout prices it but without
// reserving stock or claiming coupons.
struct CheckoutPreview {
    std::vector<PlannedOrder> orders;     // with shipping, discount and total
    std::vector<std::string> shop_names;  // of `orders`, one for one
    std::vector<AppliedCoupon> coupons;
    std::int64_t amount_fen = 0;
};

struct OrderFilter {
    std::optional<UserId> buyer;
    std::optional<ShopId> shop;
    std::optional<OrderStatus> status;
    std::optional<OrderId> before;  // cursor: ids below this, newest first
    std::size_t limit = 20;
};

class OrderRepository {
public:
    virtual ~OrderRepository() = default;
    // In one transaction: the stored reply when the idempotency key was used
    // with the same request (Conflict "idempotency_mismatch" with another);
    // else prices the items, refuses SKUs not on offer (RuleBroken
    // "not_available"), reserves stock (Conflict "sold_out"), writes one
    // order per shop and its timeline, removes the lines from the cart.
    // Shipping fees and coupons are priced by PriceCheckout; coupons the buyer
    // has not claimed yet are claimed here, and the claims record the checkout.
    // `reply` renders the result for the key's record.
    virtual Result<std::string> Checkout(const CheckoutRequest& request,
                                         const std::function<std::string(const CheckoutResult&)>& reply) = 0;
    // The same pricing in a read-only transaction: RuleBroken "not_available",
    // Conflict "sold_out" when the stock is short now, and the coupon errors.
    virtual Result<CheckoutPreview> Preview(const CheckoutRequest& request) = 0;
    virtual Result<Order> Find(OrderId id) = 0;
    virtual Result<std::vector<Order>> List(const OrderFilter& filter) = 0;
    // Moves `id` from `from` to `to` if it is still in `from` (Conflict
    // "bad_state" otherwise). Cancelling a pending order releases its stock
    // and gives its coupons back.
    virtual Result<Order> Move(OrderId id, OrderStatus from, OrderStatus to, UserId actor, std::string_view note,
                               Millis now) = 0;
    // Cancels up to `limit` pending orders whose time to pay ran out; returns how many.
    virtual Result<std::int64_t> ExpireUnpaid(Millis now, std::size_t limit) = 0;
};

}  // namespace goji::orders
