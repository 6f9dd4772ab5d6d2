#include "storage/sql/order_repository.hpp"

#include <algorithm>
#include <map>

#include "storage/sql/flash_sale_repository.hpp"
#include "storage/sql/order_rows.hpp"
#include "storage/sql/pricing_repository.hpp"
#include "storage/sql/sales_ledger.hpp"
#include "storage/sql/stock_ledger.hpp"

namespace goji::storage {

using namespace orders;  // NOLINT(google-build-using-namespace): the file maps order types
using catalog::StockCause;
using catalog::StockMove;

namespace {

constexpr Query kSkuForCheckout{
    "skus.for_checkout",
    "SELECT k.price_fen, k.weight_g, k.spec, p.id, p.title, p.shop_id, "
    "CASE WHEN k.retired_at = 0 AND p.on_sale = 1 AND s.status = 'verified' THEN 1 ELSE 0 END, k.stock, s.name "
    "FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = p.shop_id WHERE k.id = ?",
    "SELECT k.price_fen, k.weight_g, k.spec, p.id, p.title, p.shop_id, "
    "(k.retired_at = 0 AND p.on_sale AND s.status = 'verified'), k.stock, s.name "
    "FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = p.shop_id WHERE k.id = ?"};
constexpr Query kFindKey{"idempotency_keys.find",
                         "SELECT request, status, body FROM idempotency_keys WHERE user_id = ? AND scope = ? "
                         "AND key = ?"};
constexpr Query kInsertKey{"idempotency_keys.insert",
                           "INSERT INTO idempotency_keys (user_id, scope, key, request, status, body, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)"};
constexpr Query kInsertCheckout{"checkouts.insert",
                                "INSERT INTO checkouts (buyer_id, amount_fen, created_at) VALUES (?, ?, ?) "
                                "RETURNING id"};
constexpr Query kInsertOrder{
    "orders.insert",
    "INSERT INTO orders (buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, total_fen, "
    "ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, expires_at, created_at, updated_at) "
    "VALUES (?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kInsertItem{"order_items.insert",
                            "INSERT INTO order_items (order_id, position, sku_id, product_id, title, spec, "
                            "unit_price_fen, quantity, weight_g) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Query kInsertEvent{"order_events.insert",
                             "INSERT INTO order_events (order_id, from_status, to_status, actor_id, note, at) "
                             "VALUES (?, ?, ?, ?, ?, ?)"};
constexpr Query kInsertPayment{"payments.insert",
                               "INSERT INTO payments (checkout_id, buyer_id, amount_fen, provider, status, created_at) "
                               "VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id"};
constexpr Query kAddSales{"products.add_sales", "UPDATE products SET sales = sales + ? WHERE id = ?"};
constexpr Query kPaymentById{"payments.by_id",
                             "SELECT id, checkout_id, buyer_id, amount_fen, provider, status, provider_ref, paid_at, "
                             "created_at FROM payments WHERE id = ?"};
constexpr Query kPendingPayments{"payments.pending",
                                 "SELECT id, checkout_id, buyer_id, amount_fen, provider, status, provider_ref, "
                                 "paid_at, created_at FROM payments WHERE status = 'pending' AND created_at >= ? "
                                 "AND created_at <= ? ORDER BY created_at LIMIT ?"};
// Changes the payment only when it was pending. (No RETURNING: SQLite hands
// its rows back through a temporary table, which costs more than reading the
// row again by its key.)
constexpr Query kMarkPaid{"payments.mark_paid",
                          "UPDATE payments SET status = 'paid', provider_ref = ?, paid_at = ? "
                          "WHERE id = ? AND status = 'pending'"};
constexpr Query kOrdersOfCheckout{"orders.of_checkout",
                                  "SELECT id, status, total_fen, live_room_id FROM orders WHERE checkout_id = ? "
                                  "ORDER BY id"};
constexpr Query kAwaitsPayment{"payments.awaits",
                               "SELECT 1 FROM orders o JOIN payments p ON p.checkout_id = o.checkout_id "
                               "WHERE p.id = ? AND o.status = 'pending_payment' LIMIT 1"};
constexpr Query kInsertRefund{"refunds.insert",
                              "INSERT INTO refunds (order_id, amount_fen, reason, status, automatic, prior_status, "
                              "decided_at, created_at) VALUES (?, ?, ?, 'approved', ?, 'cancelled', ?, ?)"};
constexpr Query kAddRefunded{"orders.add_refunded",
                             "UPDATE orders SET refunded_fen = refunded_fen + ? WHERE id = ? "
                             "AND refunded_fen + ? <= total_fen"};
constexpr Query kRoomExists{"live_rooms.exists", "SELECT 1 FROM live_rooms WHERE id = ?"};
constexpr Query kRemoveCartLine{"cart_items.checked_out", "DELETE FROM cart_items WHERE user_id = ? AND sku_id = ?"};

// An order's row as OrderFromRow reads it.
#define GOJI_ORDER_SELECT                                                                                         \
    "SELECT o.id, o.buyer_id, o.shop_id, s.name, o.checkout_id, o.status, o.goods_fen, o.shipping_fen, "          \
    "o.discount_fen, o.total_fen, o.ship_name, o.ship_phone, o.ship_region_code, o.ship_detail, o.live_room_id, " \
    "o.expires_at, o.created_at, o.updated_at, "                                                                  \
    "(SELECT y.id FROM payments y WHERE y.checkout_id = o.checkout_id), o.carrier, o.tracking_no, o.shipped_at, " \
    "o.delivered_at, o.refunded_fen, o.flash_sale_id FROM orders o JOIN shops s ON s.id = o.shop_id "

constexpr Query kOrderById{"orders.by_id", GOJI_ORDER_SELECT "WHERE o.id = ?"};
// Lists, newest first. A buyer's and a shop's each start from their own key
// (the indexes orders_buyer and orders_shop, by id within it): SQLite plans
// a statement once, and `(? = 0 OR o.buyer_id = ?)` would make it walk every
// order of the county, newest first, for a buyer with none left to show.
constexpr Query kListOrdersOfBuyer{
    "orders.list_of_buyer",
    GOJI_ORDER_SELECT
    "WHERE o.buyer_id = ? AND (? = 0 OR o.shop_id = ?) AND (? = '' OR o.status = ?) AND o.id < ? "
    "ORDER BY o.id DESC LIMIT ?",
    GOJI_ORDER_SELECT
    "WHERE o.buyer_id = ? AND (?::bigint = 0 OR o.shop_id = ?) AND (?::text = '' OR o.status = ?) "
    "AND o.id < ? ORDER BY o.id DESC LIMIT ?"};
constexpr Query kListOrdersOfShop{
    "orders.list_of_shop",
    GOJI_ORDER_SELECT "WHERE o.shop_id = ? AND (? = '' OR o.status = ?) AND o.id < ? ORDER BY o.id DESC LIMIT ?",
    GOJI_ORDER_SELECT "WHERE o.shop_id = ? AND (?::text = '' OR o.status = ?) AND o.id < ? ORDER BY o.id DESC LIMIT ?"};
constexpr Query kListOrders{
    "orders.list", GOJI_ORDER_SELECT "WHERE (? = '' OR o.status = ?) AND o.id < ? ORDER BY o.id DESC LIMIT ?",
    GOJI_ORDER_SELECT "WHERE (?::text = '' OR o.status = ?) AND o.id < ? ORDER BY o.id DESC LIMIT ?"};
#undef GOJI_ORDER_SELECT
constexpr Query kItemsOfOrder{"order_items.of_order",
                              "SELECT sku_id, product_id, title, spec, unit_price_fen, quantity, weight_g "
                              "FROM order_items WHERE order_id = ? ORDER BY position"};
constexpr Query kEventsOfOrder{"order_events.of_order",
                               "SELECT from_status, to_status, actor_id, note, at FROM order_events "
                               "WHERE order_id = ? ORDER BY id"};
constexpr Query kMoveOrder{"orders.move", "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?"};
constexpr Query kUnpaidPastTime{"orders.unpaid_past_time",
                                "SELECT id FROM orders WHERE status = 'pending_payment' AND expires_at <= ? "
                                "ORDER BY expires_at LIMIT ?"};

constexpr std::string_view kCheckoutScope = "checkout";

}  // namespace

Order OrderFromRow(const Row& r) {
    Order o;
    o.id = OrderId{r.Int(0)};
    o.buyer_id = UserId{r.Int(1)};
    o.shop_id = ShopId{r.Int(2)};
    o.shop_name = r.Text(3);
    o.checkout_id = r.Int(4);
    o.status = ParseOrderStatus(r.Text(5)).value_or(OrderStatus::kPendingPayment);
    o.goods_fen = r.Int(6);
    o.shipping_fen = r.Int(7);
    o.discount_fen = r.Int(8);
    o.total_fen = r.Int(9);
    o.ship_to = ShipTo{r.Text(10), r.Text(11), r.Text(12), r.Text(13)};
    if (!r.IsNull(14)) o.live_room_id = r.Int(14);
    o.expires_at = r.Int(15);
    o.created_at = r.Int(16);
    o.updated_at = r.Int(17);
    if (!r.IsNull(18)) o.payment_id = PaymentId{r.Int(18)};
    o.carrier = r.Text(19);
    o.tracking_no = r.Text(20);
    o.shipped_at = r.Int(21);
    o.delivered_at = r.Int(22);
    o.refunded_fen = r.Int(23);
    if (!r.IsNull(24)) o.flash_sale_id = r.Int(24);
    return o;
}

Status LoadParts(Tx& tx, Order& o) {
    auto items = tx.Query(kItemsOfOrder, {o.id.value});
    if (!items) return std::move(items).error();
    for (const Row& r : *items) {
        o.items.push_back(
            OrderItem{SkuId{r.Int(0)}, ProductId{r.Int(1)}, r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.Int(6)});
    }
    auto events = tx.Query(kEventsOfOrder, {o.id.value});
    if (!events) return std::move(events).error();
    for (const Row& r : *events) {
        OrderEvent e;
        if (!r.IsNull(0)) e.from = ParseOrderStatus(r.Text(0));
        e.to = ParseOrderStatus(r.Text(1)).value_or(OrderStatus::kPendingPayment);
        e.actor = UserId{r.IsNull(2) ? 0 : r.Int(2)};
        e.note = r.Text(3);
        e.at = r.Int(4);
        o.events.push_back(std::move(e));
    }
    return {};
}

Result<Order> LoadOrder(Tx& tx, OrderId id) {
    auto rows = tx.Query(kOrderById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    Order o = OrderFromRow(rows->front());
    if (auto s = LoadParts(tx, o); !s) return s.error();
    return o;
}

Status AddEvent(Tx& tx, OrderId id, std::optional<OrderStatus> from, OrderStatus to, UserId actor,
                std::string_view note, Millis at) {
    const std::string_view from_name = from ? OrderStatusName(*from) : std::string_view();
    auto n = tx.Exec(kInsertEvent, {id.value, from ? Value(from_name) : Value(nullptr), OrderStatusName(to),
                                    NullIfZero(actor.value), note, at});
    if (!n) return std::move(n).error();
    return {};
}

namespace {

Result<std::optional<std::pair<std::string, std::string>>> StoredReply(Tx& tx, UserId user, std::string_view scope,
                                                                       std::string_view key) {
    auto rows = tx.Query(kFindKey, {user.value, scope, key});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return std::optional<std::pair<std::string, std::string>>{};
    return std::optional{std::pair{rows->front().Text(0), rows->front().Text(2)}};
}

Result<std::string> Replay(const std::pair<std::string, std::string>& stored, std::string_view request_hash) {
    if (stored.first != request_hash) return Error::Make(ErrorKind::kRuleBroken, "idempotency_mismatch");
    return stored.second;
}

Status StoreReply(Tx& tx, UserId user, std::string_view scope, std::string_view key, std::string_view request_hash,
                  std::int64_t status, std::string_view body, Millis now) {
    auto n = tx.Exec(kInsertKey, {user.value, scope, key, request_hash, status, body, now});
    if (!n) return std::move(n).error();
    return {};
}

}  // namespace

Result<std::string> WriteOnce(SqlDatabase& db, const IdempotentWrite& w,
                              const std::function<Result<std::string>(Tx&)>& write) {
    auto out = db.Write<std::string>([&](Tx& tx) -> Result<std::string> {
        if (!w.key.empty()) {
            auto stored = StoredReply(tx, w.user, w.scope, w.key);
            if (!stored) return std::move(stored).error();
            if (*stored) return Replay(**stored, w.request_hash);
        }
        auto body = write(tx);
        if (!body || w.key.empty()) return body;
        if (auto s = StoreReply(tx, w.user, w.scope, w.key, w.request_hash, 201, *body, w.now); !s) return s.error();
        return body;
    });
    if (!out && out.error().code == kUniqueViolation && !w.key.empty()) {
        return db.Read<std::string>([&](Tx& tx) -> Result<std::string> {
            auto stored = StoredReply(tx, w.user, w.scope, w.key);
            if (!stored) return std::move(stored).error();
            if (!*stored) return Error::Internal("idempotency key vanished");
            return Replay(**stored, w.request_hash);
        });
    }
    return out;
}

// Moves an order inside the caller's transaction; a cancelled unpaid order
// releases its reserved stock, a paid one turns it into sold.
Status MoveOnly(Tx& tx, OrderId id, OrderStatus from, OrderStatus to, UserId actor, std::string_view note, Millis now) {
    if (!CanMove(from, to)) return Error::Conflict("bad_state");
    auto n = tx.Exec(kMoveOrder, {OrderStatusName(to), now, id.value, OrderStatusName(from)});
    if (!n) return std::move(n).error();
    if (*n == 0) {
        auto exists = LoadOrder(tx, id);
        if (!exists) return std::move(exists).error();
        return Error::Conflict("bad_state");
    }
    if (auto s = AddEvent(tx, id, from, to, actor, note, now); !s) return s.error();
    if (from == OrderStatus::kPendingPayment && to == OrderStatus::kCancelled) {
        auto order = LoadOrder(tx, id);
        if (!order) return std::move(order).error();
        if (order->flash_sale_id) {
            // A flash sale's units go back to the sale (or to the SKU once it closed).
            for (const OrderItem& item : order->items) {
                if (auto s = ReturnFlashUnits(tx, *order->flash_sale_id, order->buyer_id, item.sku_id, item.quantity,
                                              id, actor, now);
                    !s) {
                    return s.error();
                }
            }
            return {};
        }
        for (const OrderItem& item : order->items) {
            auto moved = MoveStock(tx, item.sku_id, StockMove::kRelease, item.quantity,
                                   {StockCause::kOrder, id.value, actor, now});
            if (!moved) return std::move(moved).error();
            if (!*moved) return Error::Internal("reserved stock missing for order " + id.ToString());
        }
        if (auto s = ReturnCouponsIn(tx, id, order->checkout_id); !s) return s.error();
    }
    if (from == OrderStatus::kPendingPayment && to == OrderStatus::kPaid) {
        auto sale = ReadSale(tx, id);
        if (!sale) return std::move(sale).error();
        for (const SaleLine& line : sale->lines) {
            auto moved =
                MoveStock(tx, line.sku_id, StockMove::kSell, line.quantity, {StockCause::kOrder, id.value, actor, now});
            if (!moved) return std::move(moved).error();
            if (!*moved) return Error::Internal("reserved stock missing for order " + id.ToString());
            if (auto s = tx.Exec(kAddSales, {line.quantity, line.product_id.value}); !s) return std::move(s).error();
        }
        if (auto s = RecordSale(tx, *sale, now); !s) return s.error();
    }
    return {};
}

Result<Order> MoveIn(Tx& tx, OrderId id, OrderStatus from, OrderStatus to, UserId actor, std::string_view note,
                     Millis now) {
    if (auto s = MoveOnly(tx, id, from, to, actor, note, now); !s) return s.error();
    return LoadOrder(tx, id);
}

namespace {

class SqlOrderRepository final : public OrderRepository {
public:
    explicit SqlOrderRepository(SqlDatabase& db) : db_(db) {}

    Result<std::string> Checkout(const CheckoutRequest& req,
                                 const std::function<std::string(const CheckoutResult&)>& reply) override {
        return WriteOnce(db_, {req.buyer, kCheckoutScope, req.idempotency_key, req.request_hash, req.now},
                         [&](Tx& tx) -> Result<std::string> {
                             auto result = Place(tx, req);
                             if (!result) return std::move(result).error();
                             return reply(*result);
                         });
    }

    Result<CheckoutPreview> Preview(const CheckoutRequest& req) override {
        return db_.Read<CheckoutPreview>([&](Tx& tx) -> Result<CheckoutPreview> {
            if (auto s = RoomExists(tx, req); !s) return s.error();
            auto priced = PriceItems(tx, req, true);
            if (!priced) return std::move(priced).error();
            auto quote = QuoteIn(tx, req.buyer, req.ship_to.region_code, PlanOrders(priced->items), req.coupon_codes,
                                 req.now, CouponUse::kPreview);
            if (!quote) return std::move(quote).error();
            CheckoutPreview out;
            for (const PlannedOrder& o : quote->orders) out.shop_names.push_back(priced->shop_names.at(o.shop_id));
            out.orders = std::move(quote->orders);
            out.coupons = std::move(quote->coupons);
            out.amount_fen = quote->amount_fen;
            return out;
        });
    }

    Result<Order> Find(OrderId id) override {
        return db_.Read<Order>([&](Tx& tx) { return LoadOrder(tx, id); });
    }

    Result<std::vector<Order>> List(const OrderFilter& f) override {
        return db_.Read<std::vector<Order>>([&](Tx& tx) -> Result<std::vector<Order>> {
            const std::int64_t shop = f.shop ? f.shop->value : 0;
            const std::string_view status = f.status ? OrderStatusName(*f.status) : std::string_view("");  // not NULL
            const std::int64_t before = f.before ? f.before->value : INT64_MAX;
            const auto limit = static_cast<std::int64_t>(f.limit);
            auto rows = f.buyer
                            ? tx.Query(kListOrdersOfBuyer, {f.buyer->value, shop, shop, status, status, before, limit})
                        : f.shop ? tx.Query(kListOrdersOfShop, {shop, status, status, before, limit})
                                 : tx.Query(kListOrders, {status, status, before, limit});
            if (!rows) return std::move(rows).error();
            std::vector<Order> out;
            for (const Row& r : *rows) {
                Order o = OrderFromRow(r);
                if (auto s = LoadParts(tx, o); !s) return s.error();
                out.push_back(std::move(o));
            }
            return out;
        });
    }

    Result<Order> Move(OrderId id, OrderStatus from, OrderStatus to, UserId actor, std::string_view note,
                       Millis now) override {
        return db_.Write<Order>([&](Tx& tx) { return MoveIn(tx, id, from, to, actor, note, now); });
    }

    Result<std::int64_t> ExpireUnpaid(Millis now, std::size_t limit) override {
        auto due = db_.Read<std::vector<std::int64_t>>([&](Tx& tx) -> Result<std::vector<std::int64_t>> {
            auto rows = tx.Query(kUnpaidPastTime, {now, static_cast<std::int64_t>(limit)});
            if (!rows) return std::move(rows).error();
            std::vector<std::int64_t> ids;
            for (const Row& r : *rows) ids.push_back(r.Int(0));
            return ids;
        });
        if (!due) return std::move(due).error();
        std::int64_t expired = 0;
        for (const std::int64_t id : *due) {
            auto moved = Move(OrderId{id}, OrderStatus::kPendingPayment, OrderStatus::kCancelled, UserId{},
                              "not paid in time", now);
            if (moved) {
                ++expired;
            } else if (moved.error().code != "bad_state") {  // paid or cancelled meanwhile: fine
                return std::move(moved).error();
            }
        }
        return expired;
    }

private:
    struct Priced {
        std::vector<PricedItem> items;
        std::map<ShopId, std::string> shop_names;
    };

    // The items as they are on offer now; with `check_stock`, Conflict
    // "sold_out" when there are fewer than asked for (checkout itself finds
    // that out when it reserves).
    static Result<Priced> PriceItems(Tx& tx, const CheckoutRequest& req, bool check_stock) {
        Priced out;
        for (const CartItem& item : req.items) {
            auto rows = tx.Query(kSkuForCheckout, {item.sku_id.value});
            if (!rows) return std::move(rows).error();
            if (rows->empty() || !rows->front().Bool(6)) return Error::Make(ErrorKind::kRuleBroken, "not_available");
            const Row& r = rows->front();
            if (check_stock && r.Int(7) < item.quantity) return Error::Conflict("sold_out");
            out.items.push_back(PricedItem{item.sku_id, item.quantity, ProductId{r.Int(3)}, ShopId{r.Int(5)}, r.Text(4),
                                           r.Text(2), r.Int(0), r.Int(1), true});
            out.shop_names[ShopId{r.Int(5)}] = r.Text(8);
        }
        return out;
    }

    // An order made in a live room names a room that exists.
    static Status RoomExists(Tx& tx, const CheckoutRequest& req) {
        if (!req.live_room_id) return {};
        auto rows = tx.Query(kRoomExists, {*req.live_room_id});
        if (!rows) return std::move(rows).error();
        if (rows->empty()) return Error::Make(ErrorKind::kRuleBroken, "unknown_live_room");
        return {};
    }

    // An order as Place stores it (what LoadOrder would read back, but its payment).
    static Order Placed(const CheckoutRequest& req, const PlannedOrder& p, OrderId id, std::int64_t checkout_id,
                        const std::string& shop_name) {
        Order o;
        o.id = id;
        o.buyer_id = req.buyer;
        o.shop_id = p.shop_id;
        o.shop_name = shop_name;
        o.checkout_id = checkout_id;
        o.status = OrderStatus::kPendingPayment;
        o.goods_fen = p.goods_fen;
        o.shipping_fen = p.shipping_fen;
        o.discount_fen = p.discount_fen;
        o.total_fen = p.total_fen;
        o.ship_to = req.ship_to;
        o.live_room_id = req.live_room_id;
        o.expires_at = req.expires_at;
        o.created_at = req.now;
        o.updated_at = req.now;
        o.items = p.items;
        o.events.push_back(OrderEvent{std::nullopt, OrderStatus::kPendingPayment, req.buyer, "", req.now});
        return o;
    }

    static Result<CheckoutResult> Place(Tx& tx, const CheckoutRequest& req) {
        if (req.items.empty()) return Error::Make(ErrorKind::kRuleBroken, "cart_empty");
        if (auto s = RoomExists(tx, req); !s) return s.error();
        auto priced = PriceItems(tx, req, false);
        if (!priced) return std::move(priced).error();
        // Shipping fees and coupons; the coupons' claims are taken now and marked used below.
        auto quote = QuoteIn(tx, req.buyer, req.ship_to.region_code, PlanOrders(priced->items), req.coupon_codes,
                             req.now, CouponUse::kClaim);
        if (!quote) return std::move(quote).error();
        const std::vector<PlannedOrder>& plan = quote->orders;
        CheckoutResult result;
        for (const PlannedOrder& p : plan) result.amount_fen += p.total_fen;
        auto checkout = tx.InsertId(kInsertCheckout, {req.buyer.value, result.amount_fen, req.now});
        if (!checkout) return std::move(checkout).error();
        result.checkout_id = *checkout;
        // Stock is reserved in SKU order, so that two checkouts never wait for each other in a circle.
        std::vector<std::pair<SkuId, OrderId>> reservations;
        std::vector<OrderId> order_ids;
        for (const PlannedOrder& p : plan) {
            auto inserted = tx.InsertId(
                kInsertOrder,
                {req.buyer.value, p.shop_id.value, result.checkout_id, p.goods_fen, p.shipping_fen, p.discount_fen,
                 p.total_fen, req.ship_to.name, req.ship_to.phone, req.ship_to.region_code, req.ship_to.detail,
                 req.live_room_id ? Value(*req.live_room_id) : Value(nullptr), req.expires_at, req.now, req.now});
            if (!inserted) return std::move(inserted).error();
            const OrderId id{*inserted};
            order_ids.push_back(id);
            result.orders.push_back(Placed(req, p, id, result.checkout_id, priced->shop_names.at(p.shop_id)));
            std::int64_t position = 0;
            for (const OrderItem& i : p.items) {
                auto n = tx.Exec(kInsertItem, {id.value, position++, i.sku_id.value, i.product_id.value, i.title,
                                               i.spec, i.unit_price_fen, i.quantity, i.weight_g});
                if (!n) return std::move(n).error();
                reservations.emplace_back(i.sku_id, id);
            }
            if (auto s = AddEvent(tx, id, std::nullopt, OrderStatus::kPendingPayment, req.buyer, "", req.now); !s) {
                return s.error();
            }
        }
        if (auto s = UseCouponsIn(tx, *quote, result.checkout_id, order_ids); !s) return s.error();
        std::sort(reservations.begin(), reservations.end(),
                  [](const auto& a, const auto& b) { return a.first.value < b.first.value; });
        for (const auto& [sku, order] : reservations) {
            const auto it =
                std::find_if(req.items.begin(), req.items.end(), [&](const CartItem& c) { return c.sku_id == sku; });
            auto moved = MoveStock(tx, sku, StockMove::kReserve, it->quantity,
                                   {StockCause::kOrder, order.value, req.buyer, req.now});
            if (!moved) return std::move(moved).error();
            if (!*moved) return Error::Conflict("sold_out");
            if (req.from_cart) {
                if (auto n = tx.Exec(kRemoveCartLine, {req.buyer.value, sku.value}); !n) return std::move(n).error();
            }
        }
        auto payment = tx.InsertId(kInsertPayment, {result.checkout_id, req.buyer.value, result.amount_fen,
                                                    std::string_view(req.provider), req.now});
        if (!payment) return std::move(payment).error();
        result.payment_id = PaymentId{*payment};
        for (Order& o : result.orders) o.payment_id = result.payment_id;
        result.provider = req.provider;
        return result;
    }

    SqlDatabase& db_;
};

Payment PaymentFromRow(const Row& r) {
    return Payment{PaymentId{r.Int(0)},
                   r.Int(1),
                   UserId{r.Int(2)},
                   r.Int(3),
                   r.Text(4),
                   r.Text(5) == "paid" ? PaymentStatus::kPaid : PaymentStatus::kPending,
                   r.Text(6),
                   r.Int(7),
                   r.Int(8)};
}

class SqlPaymentRepository final : public PaymentRepository {
public:
    explicit SqlPaymentRepository(SqlDatabase& db) : db_(db) {}

    Result<Payment> Find(PaymentId id) override {
        return db_.Read<Payment>([&](Tx& tx) -> Result<Payment> {
            auto rows = tx.Query(kPaymentById, {id.value});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            return PaymentFromRow(rows->front());
        });
    }

    Result<bool> AwaitsPayment(PaymentId id) override {
        return db_.Read<bool>([&](Tx& tx) -> Result<bool> {
            auto rows = tx.Query(kAwaitsPayment, {id.value});
            if (!rows) return std::move(rows).error();
            return !rows->empty();
        });
    }

    Result<ConfirmOutcome> Confirm(const PaymentNotice& notice, Millis now) override {
        return db_.Write<ConfirmOutcome>([&](Tx& tx) -> Result<ConfirmOutcome> {
            ConfirmOutcome out;
            auto marked =
                tx.Exec(kMarkPaid, {std::string_view(notice.provider_ref), notice.paid_at, notice.payment_id.value});
            if (!marked) return std::move(marked).error();
            auto rows = tx.Query(kPaymentById, {notice.payment_id.value});
            if (!rows) return std::move(rows).error();
            if (rows->empty()) return Error::NotFound();
            if (*marked == 0) return out;  // already paid: a repeated notice changes nothing
            out.changed = true;
            const Payment paid = PaymentFromRow(rows->front());
            const std::int64_t checkout_id = paid.checkout_id;
            const std::string provider = paid.provider;
            auto orders = tx.Query(kOrdersOfCheckout, {checkout_id});
            if (!orders) return std::move(orders).error();
            for (const Row& r : *orders) {
                const OrderId id{r.Int(0)};
                const auto status = ParseOrderStatus(r.Text(1));
                if (status == OrderStatus::kPendingPayment) {
                    if (auto s = MoveOnly(tx, id, OrderStatus::kPendingPayment, OrderStatus::kPaid, UserId{},
                                          "paid through " + provider, now);
                        !s) {
                        return s.error();
                    }
                    ++out.orders_paid;
                    if (!r.IsNull(3)) out.room_orders_paid.push_back(id);
                } else if (status == OrderStatus::kCancelled) {
                    // The money came after the order was cancelled: it goes back.
                    auto refund = tx.Exec(kInsertRefund,
                                          {id.value, r.Int(2), std::string_view("paid after the order was cancelled"),
                                           std::int64_t{1}, now, now});
                    if (!refund) return std::move(refund).error();
                    if (auto n = tx.Exec(kAddRefunded, {r.Int(2), id.value, r.Int(2)}); !n) return std::move(n).error();
                    if (auto s = AddEvent(tx, id, OrderStatus::kCancelled, OrderStatus::kCancelled, UserId{},
                                          "payment arrived after cancellation: refunded automatically", now);
                        !s) {
                        return s.error();
                    }
                    ++out.refunds;
                }
            }
            return out;
        });
    }

    Result<std::vector<Payment>> Pending(Millis from, Millis to, std::size_t limit) override {
        return db_.Read<std::vector<Payment>>([&](Tx& tx) -> Result<std::vector<Payment>> {
            auto rows = tx.Query(kPendingPayments, {from, to, static_cast<std::int64_t>(limit)});
            if (!rows) return std::move(rows).error();
            std::vector<Payment> out;
            for (const Row& r : *rows) out.push_back(PaymentFromRow(r));
            return out;
        });
    }

private:
    SqlDatabase& db_;
};

constexpr Query kRecordCharge{"sandbox_charges.record",
                              "INSERT INTO sandbox_charges (payment_id, amount_fen, paid_at, next_attempt_at) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING"};
constexpr Query kDueCharges{"sandbox_charges.due",
                            "SELECT id, payment_id, amount_fen, paid_at, attempts FROM sandbox_charges "
                            "WHERE delivered_at = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?"};
constexpr Query kDueChargesAfter{"sandbox_charges.due_after",
                                 "SELECT id, payment_id, amount_fen, paid_at, attempts FROM sandbox_charges "
                                 "WHERE id > ? AND delivered_at = 0 AND next_attempt_at <= ? ORDER BY id LIMIT ?"};
constexpr Query kChargeDelivered{"sandbox_charges.delivered",
                                 "UPDATE sandbox_charges SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?"};
constexpr Query kChargeOf{"sandbox_charges.of_payment",
                          "SELECT id, payment_id, amount_fen, paid_at, attempts FROM sandbox_charges "
                          "WHERE payment_id = ?"};
constexpr Query kChargeFailed{"sandbox_charges.failed",
                              "UPDATE sandbox_charges SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?"};

class SqlSandboxBooks final : public SandboxBooks {
public:
    explicit SqlSandboxBooks(SqlDatabase& db) : db_(db) {}

    Status Record(PaymentId payment, std::int64_t amount_fen, Millis now) override {
        return Exec(kRecordCharge, {payment.value, amount_fen, now, now});
    }
    Result<std::vector<SandboxCharge>> Due(Millis now, std::size_t limit) override {
        return Charges(kDueCharges, {now, static_cast<std::int64_t>(limit)});
    }
    Result<std::vector<SandboxCharge>> DueAfter(Millis now, std::int64_t after_id, std::size_t limit) override {
        return Charges(kDueChargesAfter, {after_id, now, static_cast<std::int64_t>(limit)});
    }
    Status Delivered(const std::vector<std::int64_t>& charge_ids, Millis now) override {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            for (const std::int64_t id : charge_ids) {
                if (auto n = tx.Exec(kChargeDelivered, {now, id}); !n) return std::move(n).error();
            }
            return {};
        });
    }
    Status Failed(std::int64_t charge_id, Millis next_attempt_at) override {
        return Exec(kChargeFailed, {next_attempt_at, charge_id});
    }
    Result<std::optional<SandboxCharge>> Find(PaymentId payment) override {
        auto charges = Charges(kChargeOf, {payment.value});
        if (!charges) return std::move(charges).error();
        if (charges->empty()) return std::optional<SandboxCharge>{};
        return std::optional{charges->front()};
    }

private:
    Result<std::vector<SandboxCharge>> Charges(const Query& q, std::initializer_list<Value> params) {
        return db_.Read<std::vector<SandboxCharge>>([&](Tx& tx) -> Result<std::vector<SandboxCharge>> {
            auto rows = tx.Query(q, params);
            if (!rows) return std::move(rows).error();
            std::vector<SandboxCharge> out;
            for (const Row& r : *rows) out.push_back({r.Int(0), PaymentId{r.Int(1)}, r.Int(2), r.Int(3), r.Int(4)});
            return out;
        });
    }
    Status Exec(const Query& q, std::initializer_list<Value> params) {
        return db_.Run(TxMode::kWrite, [&](Tx& tx) -> Status {
            auto n = tx.Exec(q, params);
            if (!n) return std::move(n).error();
            return {};
        });
    }

    SqlDatabase& db_;
};

}  // namespace

std::unique_ptr<OrderRepository> MakeOrderRepository(SqlDatabase& db) {
    return std::make_unique<SqlOrderRepository>(db);
}

std::unique_ptr<PaymentRepository> MakePaymentRepository(SqlDatabase& db) {
    return std::make_unique<SqlPaymentRepository>(db);
}

std::unique_ptr<SandboxBooks> MakeSandboxBooks(SqlDatabase& db) { return std::make_unique<SqlSandboxBooks>(db); }

}  // namespace goji::storage
