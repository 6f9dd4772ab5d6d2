#include "domain/orders/order.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

namespace goji::orders {

namespace {

constexpr std::array<std::pair<OrderStatus, std::string_view>, 8> kNames = {{
    {OrderStatus::kPendingPayment, "pending_payment"},
    {OrderStatus::kPaid, "paid"},
    {OrderStatus::kShipped, "shipped"},
    {OrderStatus::kDelivered, "delivered"},
    {OrderStatus::kCompleted, "completed"},
    {OrderStatus::kCancelled, "cancelled"},
    {OrderStatus::kRefunding, "refunding"},
    {OrderStatus::kRefunded, "refunded"},
}};

using S = OrderStatus;
// Every allowed move, and nothing else.
constexpr std::array<std::pair<OrderStatus, OrderStatus>, 12> kMoves = {{
    {S::kPendingPayment, S::kPaid},
    {S::kPendingPayment, S::kCancelled},
    {S::kPaid, S::kShipped},
    {S::kPaid, S::kRefunding},
    {S::kShipped, S::kDelivered},
    {S::kShipped, S::kRefunding},
    {S::kDelivered, S::kCompleted},
    {S::kDelivered, S::kRefunding},
    {S::kRefunding, S::kRefunded},   // full refund
    {S::kRefunding, S::kPaid},       // refused or partial before shipping
    {S::kRefunding, S::kShipped},    // refused or partial after shipping
    {S::kRefunding, S::kDelivered},  // refused or partial after delivery
}};

}  // namespace

std::string_view OrderStatusName(OrderStatus s) {
    for (const auto& [k, v] : kNames) {
        if (k == s) return v;
    }
    return "pending_payment";
}

std::optional<OrderStatus> ParseOrderStatus(std::string_view name) {
    for (const auto& [k, v] : kNames) {
        if (v == name) return k;
    }
    return std::nullopt;
}

bool CanMove(OrderStatus from, OrderStatus to) {
    for (const auto& [f, t] : kMoves) {
        if (f == from && t == to) return true;
    }
    return false;
}

std::int64_t Refundable(const Order& o) {
    const bool open =
        o.status == OrderStatus::kPaid || o.status == OrderStatus::kShipped || o.status == OrderStatus::kDelivered;
    return open ? o.total_fen - o.refunded_fen : 0;
}

std::vector<PlannedOrder> PlanOrders(const std::vector<PricedItem>& items) {
    std::vector<PlannedOrder> out;
    for (const PricedItem& i : items) {
        auto it = std::find_if(out.begin(), out.end(), [&](const PlannedOrder& o) { return o.shop_id == i.shop_id; });
        if (it == out.end()) {
            out.push_back(PlannedOrder{i.shop_id, {}, 0, 0, 0, 0});
            it = std::prev(out.end());
        }
        it->items.push_back(OrderItem{i.sku_id, i.product_id, i.title, i.spec, i.price_fen, i.quantity, i.weight_g});
        it->goods_fen += i.price_fen * i.quantity;
    }
    for (PlannedOrder& o : out) o.total_fen = o.goods_fen + o.shipping_fen - o.discount_fen;
    return out;
}

}  // namespace goji::orders
