#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/orders/order.hpp"
#include "domain/orders/shopping_service.hpp"

namespace goji::orders {

constexpr std::size_t kMaxIdempotencyKey = 255;
constexpr Millis kDefaultPaymentWindowMs = 30LL * 60 * 1000;

// Who may see a shop's orders: its owner and staff (checked by the caller's
// catalog membership rule).
using ShopMembership = std::function<Result<bool>(ShopId shop, UserId user)>;

struct CheckoutInput {
    AddressId address_id;
    std::vector<CartItem> items;  // empty: the available lines of the cart
    std::optional<std::int64_t> live_room_id;
    std::vector<std::string> coupon_codes;  // as typed; at most kMaxCheckoutCoupons
};

// Checkout and orders: one order per shop, stock reserved at once and
// released when the order is cancelled or not paid in time.
class OrderService {
public:
    OrderService(OrderRepository& repo, AddressBook& addresses, CartService& cart, ShopMembership membership,
                 const Clock& clock, Millis payment_window_ms = kDefaultPaymentWindowMs);

    // `render` turns the result into the reply body that a retry with the same
    // Idempotency-Key gets back byte for byte.
    Result<std::string> Checkout(const accounts::User& buyer, const CheckoutInput& input,
                                 std::string_view idempotency_key, std::string_view request_body,
                                 const std::function<std::string(const CheckoutResult&)>& render);
    // What Checkout would charge for the same input now; reserves nothing.
    Result<CheckoutPreview> Preview(const accounts::User& buyer, const CheckoutInput& input);
    // The buyer's own orders, or a shop's for its members.
    Result<std::vector<Order>> List(const accounts::User& user, OrderFilter filter);
    // Its buyer or a member of its shop; NotFound for anyone else.
    Result<Order> Get(const accounts::User& user, OrderId id);
    // The buyer cancels an unpaid order (its stock goes back on offer).
    Result<Order> Cancel(const accounts::User& buyer, OrderId id);
    // Unpaid orders past their time; run by the background job.
    Result<std::int64_t> ExpireUnpaid(std::size_t limit);

    Millis payment_window_ms() const { return payment_window_ms_; }

private:
    Result<CheckoutRequest> Prepare(const accounts::User& buyer, const CheckoutInput& input);
    bool MayView(const accounts::User& user, const Order& order);

    OrderRepository& repo_;
    AddressBook& addresses_;
    CartService& cart_;
    ShopMembership membership_;
    const Clock& clock_;
    Millis payment_window_ms_;
};

}  // namespace goji::orders
