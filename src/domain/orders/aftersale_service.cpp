#include "domain/orders/aftersale_service.hpp"

#include <algorithm>
#include <array>

#include "common/csv.hpp"
#include "common/text.hpp"
#include "common/validate.hpp"

namespace goji::orders {

namespace {

constexpr std::array<std::pair<RefundStatus, std::string_view>, 3> kRefundNames = {{
    {RefundStatus::kRequested, "requested"},
    {RefundStatus::kApproved, "approved"},
    {RefundStatus::kRefused, "refused"},
}};

// A parcel number as couriers print them: letters, digits and dashes.
Result<std::string> TrackingNo(std::string_view value) {
    auto t = validate::Text(value, "tracking_no", 4, kMaxTrackingNo);
    if (!t) return t;
    for (const char c : *t) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
        if (!ok) return Error::BadInput("tracking_no", "invalid");
    }
    return t;
}

}  // namespace

std::string_view RefundStatusName(RefundStatus s) {
    for (const auto& [k, v] : kRefundNames) {
        if (k == s) return v;
    }
    return "requested";
}

std::optional<RefundStatus> ParseRefundStatus(std::string_view name) {
    for (const auto& [k, v] : kRefundNames) {
        if (v == name) return k;
    }
    return std::nullopt;
}

AfterSaleService::AfterSaleService(AfterSaleRepository& repo, OrderRepository& orders, ShopMembership membership,
                                   const Clock& clock, SettleTimes times)
    : repo_(repo), orders_(orders), membership_(std::move(membership)), clock_(clock), times_(times) {}

Status AfterSaleService::MayManage(const accounts::User& user, ShopId shop, UserId buyer) {
    auto member = membership_(shop, user.id);
    if (!member) return member.error();
    if (*member) return {};
    // The buyer sees the order but may not act for the shop; to anyone else it does not exist.
    if (buyer == user.id) return Error::Forbidden();
    return Error::NotFound();
}

Result<Order> AfterSaleService::Ship(const accounts::User& user, OrderId id, std::string_view carrier,
                                     std::string_view tracking_no) {
    auto c = validate::Text(carrier, "carrier", 1, kMaxCarrier);
    if (!c) return std::move(c).error();
    auto t = TrackingNo(tracking_no);
    if (!t) return std::move(t).error();
    return ShipChecked(user, id, *c, *t);
}

Result<Order> AfterSaleService::ShipChecked(const accounts::User& user, OrderId id, std::string_view carrier,
                                            std::string_view tracking_no) {
    auto order = orders_.Find(id);
    if (!order) return order;
    if (auto s = MayManage(user, order->shop_id, order->buyer_id); !s) return s.error();
    if (!CanMove(order->status, OrderStatus::kShipped) || order->status == OrderStatus::kRefunding) {
        return Error::Conflict("bad_state");
    }
    return repo_.Ship(id, user.id, carrier, tracking_no, clock_.NowMs());
}

Result<std::vector<ShipmentResult>> AfterSaleService::ImportShipments(const accounts::User& user, ShopId shop,
                                                                      std::string_view text) {
    auto member = membership_(shop, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    auto records = csv::Parse(text, kMaxShipmentRows + 1);
    if (!records) return std::move(records).error();
    if (records->empty()) return Error::BadInput("csv", "missing_header");
    auto columns = csv::Columns(records->front(), {"order_id", "carrier", "tracking_no"});
    if (!columns) return std::move(columns).error();
    std::vector<ShipmentResult> out;
    for (std::size_t i = 1; i < records->size(); ++i) {
        const csv::Record& r = (*records)[i];
        ShipmentResult row;
        row.line = r.line;
        auto field = [&](std::size_t c) -> std::string_view {
            const std::size_t at = (*columns)[c];
            return at < r.fields.size() ? std::string_view(r.fields[at]) : std::string_view();
        };
        row.order_id = std::string(text::Trim(field(0)));
        const auto id = OrderId::Parse(row.order_id);
        Result<Order> shipped = Error::NotFound();
        if (id) {
            // Another shop's order is not found, as everywhere.
            auto order = orders_.Find(*id);
            if (order && order->shop_id != shop) {
                shipped = Error::NotFound();
            } else if (order) {
                shipped = Ship(user, *id, field(1), field(2));
            } else {
                shipped = std::move(order).error();
            }
        } else {
            shipped = Error::BadInput("order_id", "invalid");
        }
        row.shipped = shipped.ok();
        if (!shipped) {
            const Error& e = shipped.error();
            row.code = e.kind == ErrorKind::kBadInput ? e.code + ":" + e.reason : e.code;
        }
        out.push_back(std::move(row));
    }
    return out;
}

Result<Order> AfterSaleService::ConfirmReceipt(const accounts::User& buyer, OrderId id) {
    auto order = orders_.Find(id);
    if (!order) return order;
    if (order->buyer_id != buyer.id) return Error::NotFound();
    if (order->status != OrderStatus::kShipped) return Error::Conflict("bad_state");
    return repo_.Receive(id, buyer.id, "received by the buyer", clock_.NowMs());
}

Result<OrderDetails> AfterSaleService::Details(const accounts::User& user, OrderId id) {
    auto order = orders_.Find(id);
    if (!order) return std::move(order).error();
    if (order->buyer_id != user.id) {
        auto member = membership_(order->shop_id, user.id);
        if (!member) return std::move(member).error();
        if (!*member) return Error::NotFound();
    }
    auto refunds = repo_.RefundsOf(id);
    if (!refunds) return std::move(refunds).error();
    auto reviews = repo_.ReviewsOf(id);
    if (!reviews) return std::move(reviews).error();
    return OrderDetails{std::move(order).value(), std::move(refunds).value(), std::move(reviews).value()};
}

Result<std::string> AfterSaleService::RequestRefund(const accounts::User& buyer, OrderId id, std::int64_t amount_fen,
                                                    std::string_view reason, std::string_view idempotency_key,
                                                    const std::function<std::string(const RefundOutcome&)>& render) {
    if (idempotency_key.size() > kMaxIdempotencyKey) return Error::BadInput("Idempotency-Key", "too_long");
    if (auto s = validate::Range(amount_fen, "amount_fen", 1, 100'000'000'000); !s) return s.error();
    auto r = validate::Text(reason, "reason", 1, kMaxRefundReason, true);
    if (!r) return std::move(r).error();
    RefundRequest req{id, buyer.id, amount_fen, *r, clock_.NowMs(), std::string(idempotency_key), {}};
    req.request_hash = "o=" + id.ToString() + ";a=" + std::to_string(amount_fen) + ";r=" + *r;
    return repo_.RequestRefund(req, render);
}

Result<RefundOutcome> AfterSaleService::Approve(const accounts::User& user, RefundId id, bool restock) {
    auto refund = repo_.FindRefund(id);
    if (!refund) return std::move(refund).error();
    auto member = membership_(refund->shop_id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    return repo_.Decide(id, user.id, true, restock, "", clock_.NowMs());
}

Result<RefundOutcome> AfterSaleService::Refuse(const accounts::User& user, RefundId id, std::string_view reason) {
    auto r = validate::Text(reason, "reason", 1, kMaxRefundReason, true);
    if (!r) return std::move(r).error();
    auto refund = repo_.FindRefund(id);
    if (!refund) return std::move(refund).error();
    auto member = membership_(refund->shop_id, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    return repo_.Decide(id, user.id, false, false, *r, clock_.NowMs());
}

Result<std::vector<Refund>> AfterSaleService::ListRefunds(const accounts::User& user, RefundFilter filter) {
    auto member = membership_(filter.shop, user.id);
    if (!member) return std::move(member).error();
    if (!*member) return Error::NotFound();
    return repo_.ListRefunds(filter);
}

Result<std::vector<Review>> AfterSaleService::AddReview(const accounts::User& buyer, OrderId id,
                                                        std::optional<SkuId> sku, std::int64_t rating,
                                                        std::string_view text) {
    if (auto s = validate::Range(rating, "rating", 1, 5); !s) return s.error();
    auto t = validate::Text(text, "text", 0, kMaxReviewText, true);
    if (!t) return std::move(t).error();
    auto order = orders_.Find(id);
    if (!order) return std::move(order).error();
    if (order->buyer_id != buyer.id) return Error::NotFound();
    std::vector<SkuId> skus;
    if (sku) {
        skus.push_back(*sku);
    } else {
        auto done = repo_.ReviewsOf(id);
        if (!done) return std::move(done).error();
        for (const OrderItem& i : order->items) {
            const bool reviewed =
                std::any_of(done->begin(), done->end(), [&](const Review& r) { return r.sku_id == i.sku_id; });
            if (!reviewed) skus.push_back(i.sku_id);
        }
        if (skus.empty()) return Error::Conflict("already_reviewed");
    }
    return repo_.AddReviews(id, buyer.id, skus, rating, *t, clock_.NowMs());
}

Result<ReviewPage> AfterSaleService::ProductReviews(ProductId product, std::optional<std::int64_t> before,
                                                    std::size_t limit) {
    auto page = repo_.ProductReviews(product, before, limit);
    if (!page) return page;
    for (Review& r : page->items) r.buyer_name = text::MaskName(r.buyer_name);
    return page;
}

Result<std::int64_t> AfterSaleService::Settle(std::size_t limit) {
    const Millis now = clock_.NowMs();
    return repo_.Settle(now, now - times_.auto_receive_ms, now - times_.complete_ms, limit);
}

}  // namespace goji::orders
