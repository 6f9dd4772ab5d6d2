#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "domain/accounts/account.hpp"
#include "domain/orders/aftersale.hpp"
#include "domain/orders/order_service.hpp"

namespace goji::orders {

// An order as its detail page shows it.
struct OrderDetails {
    Order order;
    std::vector<Refund> refunds;
    std::vector<Review> reviews;
};

// One row of a shipments import.
struct ShipmentResult {
    std::size_t line = 0;
    std::string order_id;
    bool shipped = false;
    std::string code;  // why not, when not
};

struct SettleTimes {
    Millis auto_receive_ms = kDefaultAutoReceiveMs;
    Millis complete_ms = kDefaultCompleteMs;
};

// After the payment: the seller ships, the buyer confirms receipt, asks for
// refunds and reviews; the seller decides refunds asked for after shipping.
class AfterSaleService {
public:
    AfterSaleService(AfterSaleRepository& repo, OrderRepository& orders, ShopMembership membership, const Clock& clock,
                     SettleTimes times = {});

    // A member of the order's shop; the buyer is Forbidden, anyone else NotFound.
    Result<Order> Ship(const accounts::User& user, OrderId id, std::string_view carrier, std::string_view tracking_no);
    // `order_id,carrier,tracking_no` with a header line; each row shipped on its own.
    Result<std::vector<ShipmentResult>> ImportShipments(const accounts::User& user, ShopId shop, std::string_view csv);
    Result<Order> ConfirmReceipt(const accounts::User& buyer, OrderId id);
    Result<OrderDetails> Details(const accounts::User& user, OrderId id);

    Result<std::string> RequestRefund(const accounts::User& buyer, OrderId id, std::int64_t amount_fen,
                                      std::string_view reason, std::string_view idempotency_key,
                                      const std::function<std::string(const RefundOutcome&)>& render);
    // A member of the refund's shop decides.
    Result<RefundOutcome> Approve(const accounts::User& user, RefundId id, bool restock);
    Result<RefundOutcome> Refuse(const accounts::User& user, RefundId id, std::string_view reason);
    Result<std::vector<Refund>> ListRefunds(const accounts::User& user, RefundFilter filter);

    // No `sku`: every item of the order not reviewed yet.
    Result<std::vector<Review>> AddReview(const accounts::User& buyer, OrderId id, std::optional<SkuId> sku,
                                          std::int64_t rating, std::string_view text);
    Result<ReviewPage> ProductReviews(ProductId product, std::optional<std::int64_t> before, std::size_t limit);

    // Run by the background job: shipped orders nobody confirmed become
    // delivered, delivered ones completed.
    Result<std::int64_t> Settle(std::size_t limit);

private:
    Status MayManage(const accounts::User& user, ShopId shop, UserId buyer);
    Result<Order> ShipChecked(const accounts::User& user, OrderId id, std::string_view carrier,
                              std::string_view tracking_no);

    AfterSaleRepository& repo_;
    OrderRepository& orders_;
    ShopMembership membership_;
    const Clock& clock_;
    SettleTimes times_;
};

}  // namespace goji::orders
