#include "domain/orders/order_service.hpp"

#include <algorithm>
#include <set>

#include "common/validate.hpp"

namespace goji::orders {

OrderService::OrderService(OrderRepository& repo, AddressBook& addresses, CartService& cart, ShopMembership membership,
                           const Clock& clock, Millis payment_window_ms)
    : repo_(repo),
      addresses_(addresses),
      cart_(cart),
      membership_(std::move(membership)),
      clock_(clock),
      payment_window_ms_(payment_window_ms) {}

namespace {

// What identifies a checkout request for its Idempotency-Key: the same
// address, items, room and coupons in the same order. Without coupons it is
// what it was before coupons existed, so keys stored then still match.
std::string Fingerprint(const CheckoutInput& in, const std::vector<std::string>& coupon_codes) {
    std::string f = "a=" + in.address_id.ToString() + ";i=";
    for (const CartItem& i : in.items) f += i.sku_id.ToString() + "x" + std::to_string(i.quantity) + ",";
    f += ";l=" + (in.live_room_id ? std::to_string(*in.live_room_id) : std::string());
    if (!coupon_codes.empty()) {
        f += ";c=";
        for (const std::string& c : coupon_codes) f += c + ",";
    }
    return f;
}

}  // namespace

Result<std::string> OrderService::Checkout(const accounts::User& buyer, const CheckoutInput& input,
                                           std::string_view idempotency_key, std::string_view /*request_body*/,
                                           const std::function<std::string(const CheckoutResult&)>& render) {
    if (idempotency_key.size() > kMaxIdempotencyKey) return Error::BadInput("Idempotency-Key", "too_long");
    auto req = Prepare(buyer, input);
    if (!req) return std::move(req).error();
    req->idempotency_key = std::string(idempotency_key);
    if (req->items.empty() && idempotency_key.empty()) return Error::Make(ErrorKind::kRuleBroken, "cart_empty");
    return repo_.Checkout(*req, render);
}

Result<CheckoutPreview> OrderService::Preview(const accounts::User& buyer, const CheckoutInput& input) {
    auto req = Prepare(buyer, input);
    if (!req) return std::move(req).error();
    if (req->items.empty()) return Error::Make(ErrorKind::kRuleBroken, "cart_empty");
    return repo_.Preview(*req);
}

Result<CheckoutRequest> OrderService::Prepare(const accounts::User& buyer, const CheckoutInput& input) {
    if (input.coupon_codes.size() > kMaxCheckoutCoupons) return Error::BadInput("coupon_codes", "too_many");
    // Someone else's address is not found, as for any object of theirs.
    auto address = addresses_.Get(buyer, input.address_id);
    if (!address) return std::move(address).error();
    CheckoutRequest req;
    req.buyer = buyer.id;
    req.ship_to = ShipTo{address->name, address->phone, address->region_code, address->detail};
    req.live_room_id = input.live_room_id;
    req.now = clock_.NowMs();
    req.expires_at = req.now + payment_window_ms_;
    if (input.items.empty()) {
        auto lines = cart_.Lines(buyer);
        if (!lines) return std::move(lines).error();
        for (const CartLine& l : *lines) {
            if (l.available) req.items.push_back({l.sku_id, l.quantity});
        }
        // An empty cart may be a retry of a checkout that emptied it: the
        // repository looks up the key's stored reply first, and refuses
        // with cart_empty when there is none.
        req.from_cart = true;
    } else {
        if (input.items.size() > kMaxCartLines) return Error::BadInput("items", "too_many");
        std::set<std::int64_t> seen;
        for (std::size_t i = 0; i < input.items.size(); ++i) {
            const CartItem& item = input.items[i];
            const std::string at = "items[" + std::to_string(i) + "]";
            if (auto s = validate::Range(item.quantity, "quantity", 1, kMaxLineQuantity); !s) {
                return Error(s.error()).Within(at);
            }
            if (!seen.insert(item.sku_id.value).second) return Error::BadInput(at + ".sku_id", "duplicate");
        }
        req.items = input.items;
        // Items bought from the cart leave it, whichever way they were named.
        req.from_cart = true;
    }
    for (const std::string& code : input.coupon_codes) {
        std::string normalised = NormaliseCouponCode(code);
        // Not even the shape of a code: no coupon has it.
        if (normalised.empty()) return Error::Make(ErrorKind::kRuleBroken, "coupon_unknown");
        req.coupon_codes.push_back(std::move(normalised));
    }
    req.request_hash = Fingerprint(input, req.coupon_codes);
    return req;
}

bool OrderService::MayView(const accounts::User& user, const Order& order) {
    if (order.buyer_id == user.id) return true;
    auto member = membership_(order.shop_id, user.id);
    return member && *member;
}

Result<std::vector<Order>> OrderService::List(const accounts::User& user, OrderFilter filter) {
    if (filter.shop) {
        auto member = membership_(*filter.shop, user.id);
        if (!member) return std::move(member).error();
        if (!*member) return Error::NotFound();
        filter.buyer.reset();
    } else {
        filter.buyer = user.id;
    }
    return repo_.List(filter);
}

Result<Order> OrderService::Get(const accounts::User& user, OrderId id) {
    auto order = repo_.Find(id);
    if (!order) return order;
    if (!MayView(user, *order)) return Error::NotFound();
    return order;
}

Result<Order> OrderService::Cancel(const accounts::User& buyer, OrderId id) {
    auto order = repo_.Find(id);
    if (!order) return order;
    if (order->buyer_id != buyer.id) return Error::NotFound();
    if (!CanMove(order->status, OrderStatus::kCancelled)) return Error::Conflict("bad_state");
    return repo_.Move(id, order->status, OrderStatus::kCancelled, buyer.id, "cancelled by the buyer", clock_.NowMs());
}

Result<std::int64_t> OrderService::ExpireUnpaid(std::size_t limit) { return repo_.ExpireUnpaid(clock_.NowMs(), limit); }

}  // namespace goji::orders
