#include "storage/sql/aftersale_repository.hpp"

#include <algorithm>

#include "storage/sql/order_rows.hpp"
#include "storage/sql/sales_ledger.hpp"
#include "storage/sql/stock_ledger.hpp"

namespace goji::storage {

using namespace orders;  // NOLINT(google-build-using-namespace): the file maps order types
using catalog::StockCause;
using catalog::StockMove;

namespace {

constexpr Query kShipped{"orders.shipped",
                         "UPDATE orders SET carrier = ?, tracking_no = ?, shipped_at = ? WHERE id = ?"};
constexpr Query kDelivered{"orders.delivered", "UPDATE orders SET delivered_at = ? WHERE id = ?"};
constexpr Query kAddRefunded{"orders.add_refunded",
                             "UPDATE orders SET refunded_fen = refunded_fen + ? WHERE id = ? "
                             "AND refunded_fen + ? <= total_fen"};
constexpr Query kAddSales{"products.add_sales", "UPDATE products SET sales = sales + ? WHERE id = ?"};

#define GOJI_REFUND_COLUMNS                                                                                    \
    "SELECT r.id, r.order_id, o.shop_id, r.amount_fen, r.reason, r.status, r.automatic, r.restocked, "         \
    "r.prior_status, r.decided_by, r.decided_at, r.note, r.created_at FROM refunds r JOIN orders o ON o.id = " \
    "r.order_id "
constexpr Query kRefundById{"refunds.by_id", GOJI_REFUND_COLUMNS "WHERE r.id = ?"};
constexpr Query kRefundsOfOrder{"refunds.of_order", GOJI_REFUND_COLUMNS "WHERE r.order_id = ? ORDER BY r.id"};
constexpr Query kListRefunds{"refunds.list",
                             GOJI_REFUND_COLUMNS
                             "WHERE o.shop_id = ? AND (? = '' OR r.status = ?) AND r.id < ? "
                             "ORDER BY r.id DESC LIMIT ?",
                             GOJI_REFUND_COLUMNS
                             "WHERE o.shop_id = ? AND (?::text = '' OR r.status = ?) AND r.id < ? "
                             "ORDER BY r.id DESC LIMIT ?"};
#undef GOJI_REFUND_COLUMNS
constexpr Query kInsertRefund{"refunds.request",
                              "INSERT INTO refunds (order_id, amount_fen, reason, status, automatic, prior_status, "
                              "created_at) VALUES (?, ?, ?, 'requested', ?, ?, ?) RETURNING id"};
constexpr Query kDecideRefund{"refunds.decide",
                              "UPDATE refunds SET status = ?, restocked = ?, decided_by = ?, decided_at = ?, note = ? "
                              "WHERE id = ? AND status = 'requested'"};

constexpr Query kReviewed{"reviews.exists", "SELECT 1 FROM reviews WHERE order_id = ? AND sku_id = ?"};
constexpr Query kInsertReview{"reviews.insert",
                              "INSERT INTO reviews (order_id, sku_id, product_id, buyer_id, rating, text, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)"};
constexpr Query kRateProduct{"products.rate",
                             "UPDATE products SET review_count = review_count + 1, rating_sum = rating_sum + ? "
                             "WHERE id = ?"};
#define GOJI_REVIEW_COLUMNS                                                                                \
    "SELECT r.id, r.order_id, r.sku_id, r.product_id, r.buyer_id, u.display_name, "                        \
    "(SELECT i.spec FROM order_items i WHERE i.order_id = r.order_id AND i.sku_id = r.sku_id), r.rating, " \
    "r.text, r.created_at FROM reviews r JOIN users u ON u.id = r.buyer_id "
constexpr Query kReviewsOfOrder{"reviews.of_order", GOJI_REVIEW_COLUMNS "WHERE r.order_id = ? ORDER BY r.id"};
constexpr Query kReviewsOfProduct{"reviews.of_product",
                                  GOJI_REVIEW_COLUMNS "WHERE r.product_id = ? AND r.id < ? ORDER BY r.id DESC LIMIT ?"};
#undef GOJI_REVIEW_COLUMNS
constexpr Query kProductRating{"products.rating", "SELECT review_count, rating_sum FROM products WHERE id = ?"};

constexpr Query kShippedBefore{"orders.shipped_before",
                               "SELECT id FROM orders WHERE status = 'shipped' AND shipped_at <= ? ORDER BY id "
                               "LIMIT ?"};
constexpr Query kDeliveredBefore{"orders.delivered_before",
                                 "SELECT id FROM orders WHERE status = 'delivered' AND delivered_at <= ? ORDER BY id "
                                 "LIMIT ?"};

constexpr std::string_view kRefundScope = "refund";

Refund RefundFromRow(const Row& r) {
    Refund f;
    f.id = RefundId{r.Int(0)};
    f.order_id = OrderId{r.Int(1)};
    f.shop_id = ShopId{r.Int(2)};
    f.amount_fen = r.Int(3);
    f.reason = r.Text(4);
    f.status = ParseRefundStatus(r.Text(5)).value_or(RefundStatus::kRequested);
    f.automatic = r.Bool(6);
    f.restocked = r.Bool(7);
    f.prior = ParseOrderStatus(r.Text(8));
    f.decided_by = UserId{r.IsNull(9) ? 0 : r.Int(9)};
    f.decided_at = r.Int(10);
    f.note = r.Text(11);
    f.created_at = r.Int(12);
    return f;
}

Review ReviewFromRow(const Row& r) {
    Review v;
    v.id = r.Int(0);
    v.order_id = OrderId{r.Int(1)};
    v.sku_id = SkuId{r.Int(2)};
    v.product_id = ProductId{r.Int(3)};
    v.buyer_id = UserId{r.Int(4)};
    v.buyer_name = r.Text(5);
    v.spec = r.IsNull(6) ? std::string() : r.Text(6);
    v.rating = r.Int(7);
    v.text = r.Text(8);
    v.created_at = r.Int(9);
    return v;
}

Result<Refund> LoadRefund(Tx& tx, RefundId id) {
    auto rows = tx.Query(kRefundById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    return RefundFromRow(rows->front());
}

template <class T, class F>
Result<std::vector<T>> Collect(Tx& tx, const Query& q, std::initializer_list<Value> params, F from_row) {
    auto rows = tx.Query(q, params);
    if (!rows) return std::move(rows).error();
    std::vector<T> out;
    out.reserve(rows->size());
    for (const Row& r : *rows) out.push_back(from_row(r));
    return out;
}

// Approves or refuses a requested refund inside the caller's transaction.
Result<RefundOutcome> DecideIn(Tx& tx, RefundId id, UserId actor, bool approve, bool restock, std::string_view note,
                               Millis now) {
    auto refund = LoadRefund(tx, id);
    if (!refund) return std::move(refund).error();
    if (refund->status != RefundStatus::kRequested || !refund->prior) return Error::Conflict("bad_state");
    auto order = LoadOrder(tx, refund->order_id);
    if (!order) return std::move(order).error();
    if (order->status != OrderStatus::kRefunding) return Error::Conflict("bad_state");
    // The refund's own row decides who wins when two decide at once: the
    // loser finds it decided (on PostgreSQL after waiting for the winner).
    if (!approve) restock = false;
    auto decided =
        tx.Exec(kDecideRefund, {RefundStatusName(approve ? RefundStatus::kApproved : RefundStatus::kRefused),
                                std::int64_t{restock ? 1 : 0}, NullIfZero(actor.value), now, note, id.value});
    if (!decided) return std::move(decided).error();
    if (*decided == 0) return Error::Conflict("bad_state");
    bool full = false;
    if (approve) {
        auto n = tx.Exec(kAddRefunded, {refund->amount_fen, order->id.value, refund->amount_fen});
        if (!n) return std::move(n).error();
        if (*n == 0) return Error::Make(ErrorKind::kRuleBroken, "amount_too_large");
        if (auto s = RecordRefund(tx, order->id, refund->amount_fen, now); !s) return s.error();
        full = order->refunded_fen + refund->amount_fen == order->total_fen;
        if (restock && !full) return Error::Make(ErrorKind::kRuleBroken, "restock_needs_full_refund");
        if (restock) {
            for (const OrderItem& item : order->items) {
                auto moved = MoveStock(tx, item.sku_id, StockMove::kReturn, item.quantity,
                                       {StockCause::kRefund, id.value, actor, now});
                if (!moved) return std::move(moved).error();
                if (!*moved) return Error::Internal("sold stock missing for order " + order->id.ToString());
                if (auto s = tx.Exec(kAddSales, {-item.quantity, item.product_id.value}); !s) {
                    return std::move(s).error();
                }
            }
        }
    }
    const OrderStatus to = full ? OrderStatus::kRefunded : *refund->prior;
    const std::string event =
        approve ? (full ? "refund approved: all of the order" : "refund approved: part of it") : "refund refused";
    auto moved = MoveIn(tx, order->id, OrderStatus::kRefunding, to, actor, event, now);
    if (!moved) return std::move(moved).error();
    auto after = LoadRefund(tx, id);
    if (!after) return std::move(after).error();
    return RefundOutcome{std::move(after).value(), std::move(moved).value()};
}

class SqlAfterSaleRepository final : public AfterSaleRepository {
public:
    explicit SqlAfterSaleRepository(SqlDatabase& db) : db_(db) {}

    Result<Order> Ship(OrderId id, UserId actor, std::string_view carrier, std::string_view tracking_no,
                       Millis now) override {
        return db_.Write<Order>([&](Tx& tx) -> Result<Order> {
            auto moved = MoveIn(tx, id, OrderStatus::kPaid, OrderStatus::kShipped, actor,
                                std::string(carrier) + " " + std::string(tracking_no), now);
            if (!moved) return moved;
            if (auto n = tx.Exec(kShipped, {carrier, tracking_no, now, id.value}); !n) return std::move(n).error();
            return LoadOrder(tx, id);
        });
    }

    Result<Order> Receive(OrderId id, UserId actor, std::string_view note, Millis now) override {
        return db_.Write<Order>([&](Tx& tx) -> Result<Order> { return ReceiveIn(tx, id, actor, note, now); });
    }

    Result<std::string> RequestRefund(const RefundRequest& req,
                                      const std::function<std::string(const RefundOutcome&)>& reply) override {
        return WriteOnce(db_, {req.buyer, kRefundScope, req.idempotency_key, req.request_hash, req.now},
                         [&](Tx& tx) -> Result<std::string> {
                             auto outcome = Request(tx, req);
                             if (!outcome) return std::move(outcome).error();
                             return reply(*outcome);
                         });
    }

    Result<Refund> FindRefund(RefundId id) override {
        return db_.Read<Refund>([&](Tx& tx) { return LoadRefund(tx, id); });
    }

    Result<std::vector<Refund>> ListRefunds(const RefundFilter& f) override {
        return db_.Read<std::vector<Refund>>([&](Tx& tx) {
            const std::string_view status = f.status ? RefundStatusName(*f.status) : std::string_view("");
            return Collect<Refund>(tx, kListRefunds,
                                   {f.shop.value, status, status, f.before ? f.before->value : INT64_MAX,
                                    static_cast<std::int64_t>(f.limit)},
                                   RefundFromRow);
        });
    }

    Result<RefundOutcome> Decide(RefundId id, UserId actor, bool approve, bool restock, std::string_view note,
                                 Millis now) override {
        return db_.Write<RefundOutcome>([&](Tx& tx) { return DecideIn(tx, id, actor, approve, restock, note, now); });
    }

    Result<std::vector<Refund>> RefundsOf(OrderId order) override {
        return db_.Read<std::vector<Refund>>(
            [&](Tx& tx) { return Collect<Refund>(tx, kRefundsOfOrder, {order.value}, RefundFromRow); });
    }

    Result<std::vector<Review>> AddReviews(OrderId id, UserId buyer, const std::vector<SkuId>& skus,
                                           std::int64_t rating, std::string_view text, Millis now) override {
        auto out = db_.Write<std::vector<Review>>([&](Tx& tx) -> Result<std::vector<Review>> {
            auto order = LoadOrder(tx, id);
            if (!order) return std::move(order).error();
            if (order->buyer_id != buyer) return Error::NotFound();
            if (order->status != OrderStatus::kDelivered && order->status != OrderStatus::kCompleted) {
                return Error::Conflict("bad_state");
            }
            for (const SkuId sku : skus) {
                const auto item = std::find_if(order->items.begin(), order->items.end(),
                                               [&](const OrderItem& i) { return i.sku_id == sku; });
                if (item == order->items.end()) return Error::BadInput("sku_id", "not_in_order");
                auto seen = tx.Query(kReviewed, {id.value, sku.value});
                if (!seen) return std::move(seen).error();
                if (!seen->empty()) return Error::Conflict("already_reviewed");
                auto n = tx.Exec(kInsertReview,
                                 {id.value, sku.value, item->product_id.value, buyer.value, rating, text, now});
                if (!n) return std::move(n).error();
                if (auto r = tx.Exec(kRateProduct, {rating, item->product_id.value}); !r) return std::move(r).error();
            }
            return Collect<Review>(tx, kReviewsOfOrder, {id.value}, ReviewFromRow);
        });
        // Two reviews of one item at once: the second lost the race for the row.
        if (!out && out.error().code == kUniqueViolation) return Error::Conflict("already_reviewed");
        return out;
    }

    Result<std::vector<Review>> ReviewsOf(OrderId order) override {
        return db_.Read<std::vector<Review>>(
            [&](Tx& tx) { return Collect<Review>(tx, kReviewsOfOrder, {order.value}, ReviewFromRow); });
    }

    Result<ReviewPage> ProductReviews(ProductId product, std::optional<std::int64_t> before,
                                      std::size_t limit) override {
        return db_.Read<ReviewPage>([&](Tx& tx) -> Result<ReviewPage> {
            ReviewPage page;
            auto rating = tx.Query(kProductRating, {product.value});
            if (!rating) return std::move(rating).error();
            if (rating->empty()) return Error::NotFound();
            page.count = rating->front().Int(0);
            page.rating_sum = rating->front().Int(1);
            auto items = Collect<Review>(tx, kReviewsOfProduct,
                                         {product.value, before.value_or(INT64_MAX), static_cast<std::int64_t>(limit)},
                                         ReviewFromRow);
            if (!items) return std::move(items).error();
            page.items = std::move(items).value();
            return page;
        });
    }

    Result<std::int64_t> Settle(Millis now, Millis receive_before, Millis complete_before, std::size_t limit) override {
        std::int64_t moved = 0;
        for (const bool receiving : {true, false}) {
            auto due = db_.Read<std::vector<std::int64_t>>([&](Tx& tx) {
                return Collect<std::int64_t>(
                    tx, receiving ? kShippedBefore : kDeliveredBefore,
                    {receiving ? receive_before : complete_before, static_cast<std::int64_t>(limit)},
                    [](const Row& r) { return r.Int(0); });
            });
            if (!due) return std::move(due).error();
            for (const std::int64_t id : *due) {
                auto done = db_.Write<Order>([&](Tx& tx) -> Result<Order> {
                    if (receiving) return ReceiveIn(tx, OrderId{id}, UserId{}, "received automatically", now);
                    return MoveIn(tx, OrderId{id}, OrderStatus::kDelivered, OrderStatus::kCompleted, UserId{},
                                  "completed", now);
                });
                if (done) {
                    ++moved;
                } else if (done.error().code != "bad_state") {  // moved meanwhile (a refund asked for): fine
                    return std::move(done).error();
                }
            }
        }
        return moved;
    }

private:
    static Result<Order> ReceiveIn(Tx& tx, OrderId id, UserId actor, std::string_view note, Millis now) {
        auto moved = MoveIn(tx, id, OrderStatus::kShipped, OrderStatus::kDelivered, actor, note, now);
        if (!moved) return moved;
        if (auto n = tx.Exec(kDelivered, {now, id.value}); !n) return std::move(n).error();
        moved->delivered_at = now;
        return moved;
    }

    static Result<RefundOutcome> Request(Tx& tx, const RefundRequest& req) {
        auto order = LoadOrder(tx, req.order);
        if (!order) return std::move(order).error();
        if (order->buyer_id != req.buyer) return Error::NotFound();
        if (order->status == OrderStatus::kRefunding) return Error::Conflict("refund_open");
        const OrderStatus prior = order->status;
        if (prior != OrderStatus::kPaid && prior != OrderStatus::kShipped && prior != OrderStatus::kDelivered) {
            return Error::Conflict("bad_state");
        }
        if (req.amount_fen > order->total_fen - order->refunded_fen) {
            return Error::Make(ErrorKind::kRuleBroken, "amount_too_large");
        }
        const bool automatic = prior == OrderStatus::kPaid;
        auto rows = tx.Query(kInsertRefund, {order->id.value, req.amount_fen, std::string_view(req.reason),
                                             std::int64_t{automatic ? 1 : 0}, OrderStatusName(prior), req.now});
        if (!rows) return std::move(rows).error();
        const RefundId id{rows->front().Int(0)};
        auto moved = MoveIn(tx, order->id, prior, OrderStatus::kRefunding, req.buyer, req.reason, req.now);
        if (!moved) return std::move(moved).error();
        if (automatic) {
            // Nothing has left the shop yet: the money goes back at once, and
            // when all of it does, so do the units.
            const bool full = order->refunded_fen + req.amount_fen == order->total_fen;
            return DecideIn(tx, id, UserId{}, true, full, "", req.now);
        }
        auto refund = LoadRefund(tx, id);
        if (!refund) return std::move(refund).error();
        return RefundOutcome{std::move(refund).value(), std::move(moved).value()};
    }

    SqlDatabase& db_;
};

}  // namespace

std::unique_ptr<AfterSaleRepository> MakeAfterSaleRepository(SqlDatabase& db) {
    return std::make_unique<SqlAfterSaleRepository>(db);
}

}  // namespace goji::storage
