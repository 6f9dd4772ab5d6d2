// Flash sales: one conditional update on the sale's row decides the stock,
// in the same transaction as the buyer's conditional count and the order.
#include "storage/sql/flash_sale_repository.hpp"

#include "storage/sql/order_rows.hpp"
#include "storage/sql/stock_ledger.hpp"

namespace goji::storage {

using namespace live;  // NOLINT(google-build-using-namespace): the file maps live types
using catalog::StockCause;
using catalog::StockMove;

namespace {

#define GOJI_SALE_COLUMNS                                                                                            \
    "f.id, f.room_id, f.shop_id, f.sku_id, k.product_id, p.title, k.spec, "                                          \
    "COALESCE((SELECT i.content_hash FROM product_images i WHERE i.product_id = p.id ORDER BY i.position LIMIT 1), " \
    "''), f.price_fen, k.price_fen, f.quantity, f.sold, f.returned, f.per_user_limit, f.starts_at, f.ends_at, "      \
    "f.closed_at, k.weight_g "
#define GOJI_SALE_FROM "FROM flash_sales f JOIN skus k ON k.id = f.sku_id JOIN products p ON p.id = k.product_id "

constexpr Query kSaleById{"flash_sales.by_id", "SELECT " GOJI_SALE_COLUMNS GOJI_SALE_FROM "WHERE f.id = ?"};
constexpr Query kSalesOfRoom{
    "flash_sales.of_room", "SELECT " GOJI_SALE_COLUMNS GOJI_SALE_FROM "WHERE f.room_id = ? ORDER BY f.starts_at, f.id"};
constexpr Query kStartedBetween{"flash_sales.started", "SELECT " GOJI_SALE_COLUMNS GOJI_SALE_FROM
                                                       "WHERE f.starts_at > ? AND f.starts_at <= ? AND f.closed_at = 0 "
                                                       "AND f.created_at < f.starts_at ORDER BY f.id"};
constexpr Query kRunning{"flash_sales.running",
                         "SELECT " GOJI_SALE_COLUMNS GOJI_SALE_FROM
                         "WHERE f.closed_at = 0 AND f.ends_at > ? AND f.starts_at <= ? ORDER BY f.id"};
constexpr Query kDue{"flash_sales.due",
                     "SELECT id FROM flash_sales WHERE closed_at = 0 AND ends_at <= ? ORDER BY ends_at LIMIT ?"};

#undef GOJI_SALE_COLUMNS
#undef GOJI_SALE_FROM

constexpr Query kSkuForSale{
    "skus.for_flash_sale",
    "SELECT p.shop_id, CASE WHEN k.retired_at = 0 AND p.on_sale = 1 AND s.status = 'verified' THEN 1 ELSE 0 END "
    "FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = p.shop_id WHERE k.id = ?",
    "SELECT p.shop_id, CASE WHEN k.retired_at = 0 AND p.on_sale AND s.status = 'verified' THEN 1 ELSE 0 END "
    "FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = p.shop_id WHERE k.id = ?"};
constexpr Query kInsertSale{"flash_sales.insert",
                            "INSERT INTO flash_sales (room_id, shop_id, sku_id, price_fen, quantity, per_user_limit, "
                            "starts_at, ends_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id"};
constexpr Query kKeyUsed{"idempotency_keys.used",
                         "SELECT 1 FROM idempotency_keys WHERE user_id = ? AND scope = ? AND key = ?"};
// The buyer's units in the sale, never past the limit: a first buy inserts,
// later ones add only while the sum stays within it (0 rows: limit reached).
constexpr Query kCountBuyer{"flash_sale_buyers.add",
                            "INSERT INTO flash_sale_buyers (sale_id, user_id, bought) VALUES (?, ?, ?) "
                            "ON CONFLICT (sale_id, user_id) DO UPDATE SET bought = flash_sale_buyers.bought + "
                            "excluded.bought WHERE flash_sale_buyers.bought + excluded.bought <= ?"};
constexpr Query kUncountBuyer{"flash_sale_buyers.remove",
                              "UPDATE flash_sale_buyers SET bought = bought - ? WHERE sale_id = ? AND user_id = ? "
                              "AND bought >= ?"};
// The one place the stock of a sale is decided.
constexpr Query kTakeUnits{"flash_sales.take",
                           "UPDATE flash_sales SET sold = sold + ? WHERE id = ? AND closed_at = 0 AND starts_at <= ? "
                           "AND ends_at > ? AND sold + returned + ? <= quantity RETURNING sold, returned"};
constexpr Query kGiveBackToSale{"flash_sales.give_back",
                                "UPDATE flash_sales SET sold = sold - ? WHERE id = ? AND closed_at = 0 AND sold >= ?"};
constexpr Query kGiveBackAfterClose{"flash_sales.give_back_closed",
                                    "UPDATE flash_sales SET sold = sold - ?, returned = returned + ? WHERE id = ? "
                                    "AND closed_at <> 0 AND sold >= ?"};
constexpr Query kClose{"flash_sales.close",
                       "UPDATE flash_sales SET closed_at = ?, ends_at = CASE WHEN ends_at > ? THEN ? ELSE ends_at END, "
                       "returned = quantity - sold WHERE id = ? AND closed_at = 0"};
constexpr Query kInsertCheckout{"checkouts.insert_flash",
                                "INSERT INTO checkouts (buyer_id, amount_fen, created_at) VALUES (?, ?, ?) "
                                "RETURNING id"};
constexpr Query kInsertOrder{
    "orders.insert_flash",
    "INSERT INTO orders (buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, total_fen, "
    "ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, flash_sale_id, expires_at, created_at, "
    "updated_at) VALUES (?, ?, ?, 'pending_payment', ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"};
constexpr Query kInsertItem{"order_items.insert_flash",
                            "INSERT INTO order_items (order_id, position, sku_id, product_id, title, spec, "
                            "unit_price_fen, quantity, weight_g) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)"};
constexpr Query kInsertPayment{"payments.insert_flash",
                               "INSERT INTO payments (checkout_id, buyer_id, amount_fen, provider, status, created_at) "
                               "VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id"};
constexpr Query kCheckSales{"flash_sales.check",
                            "SELECT f.id, f.quantity, f.sold, f.returned, f.closed_at, "
                            "COALESCE((SELECT SUM(i.quantity) FROM orders o JOIN order_items i ON i.order_id = o.id "
                            "WHERE o.flash_sale_id = f.id AND o.status <> 'cancelled'), 0), "
                            "COALESCE((SELECT SUM(b.bought) FROM flash_sale_buyers b WHERE b.sale_id = f.id), 0) "
                            "FROM flash_sales f ORDER BY f.id"};

constexpr std::string_view kScope = "flash_sale";

struct SaleRow {
    FlashSale sale;
    std::int64_t weight_g = 0;
};

SaleRow SaleFromRow(const Row& r) {
    SaleRow out;
    FlashSale& s = out.sale;
    s.id = FlashSaleId{r.Int(0)};
    s.room_id = LiveRoomId{r.Int(1)};
    s.shop_id = ShopId{r.Int(2)};
    s.sku_id = SkuId{r.Int(3)};
    s.product_id = ProductId{r.Int(4)};
    s.title = r.Text(5);
    s.sku_name = r.Text(6);
    s.image_hash = r.Text(7);
    s.price_fen = r.Int(8);
    s.list_price_fen = r.Int(9);
    s.quantity = r.Int(10);
    s.sold = r.Int(11);
    s.returned = r.Int(12);
    s.per_user_limit = r.Int(13);
    s.starts_at = r.Int(14);
    s.ends_at = r.Int(15);
    s.closed_at = r.Int(16);
    out.weight_g = r.Int(17);
    return out;
}

Result<SaleRow> LoadSale(Tx& tx, FlashSaleId id) {
    auto rows = tx.Query(kSaleById, {id.value});
    if (!rows) return std::move(rows).error();
    if (rows->empty()) return Error::NotFound();
    return SaleFromRow(rows->front());
}

Result<std::vector<FlashSale>> Sales(Result<std::vector<Row>> rows) {
    if (!rows) return std::move(rows).error();
    std::vector<FlashSale> out;
    for (const Row& r : *rows) out.push_back(SaleFromRow(r).sale);
    return out;
}

Result<FlashSale> CloseIn(Tx& tx, FlashSaleId id, UserId actor, Millis now) {
    auto n = tx.Exec(kClose, {now, now, now, id.value});
    if (!n) return std::move(n).error();
    auto sale = LoadSale(tx, id);
    if (!sale) return std::move(sale).error();
    if (*n == 0) return sale->sale;  // closed before
    // Only what it still held: returned was 0 until now.
    auto moved = MoveStock(tx, sale->sale.sku_id, StockMove::kRelease, sale->sale.returned,
                           {StockCause::kFlashSale, id.value, actor, now});
    if (!moved) return std::move(moved).error();
    if (!*moved) return Error::Internal("reserved stock missing for flash sale " + id.ToString());
    return sale->sale;
}

class SqlFlashSaleRepository final : public FlashSaleRepository {
public:
    explicit SqlFlashSaleRepository(SqlDatabase& db) : db_(db) {}

    Result<FlashSale> Create(const NewFlashSale& n) override {
        return db_.Write<FlashSale>([&](Tx& tx) -> Result<FlashSale> {
            auto sku = tx.Query(kSkuForSale, {n.sku_id.value});
            if (!sku) return std::move(sku).error();
            if (sku->empty()) return Error::BadInput("sku_id", "unknown_sku");
            if (ShopId{sku->front().Int(0)} != n.shop_id) return Error::Make(ErrorKind::kRuleBroken, "not_own_sku");
            if (sku->front().Int(1) == 0) return Error::Make(ErrorKind::kRuleBroken, "not_available");
            auto rows =
                tx.Query(kInsertSale, {n.room_id.value, n.shop_id.value, n.sku_id.value, n.price_fen, n.quantity,
                                       n.per_user_limit, n.starts_at, n.ends_at, n.created_by.value, n.now});
            if (!rows) return std::move(rows).error();
            const FlashSaleId id{rows->front().Int(0)};
            auto moved = MoveStock(tx, n.sku_id, StockMove::kReserve, n.quantity,
                                   {StockCause::kFlashSale, id.value, n.created_by, n.now});
            if (!moved) return std::move(moved).error();
            if (!*moved) return Error::BadInput("quantity", "out_of_range");  // more than available
            auto sale = LoadSale(tx, id);
            if (!sale) return std::move(sale).error();
            return sale->sale;
        });
    }

    Result<FlashSale> Find(FlashSaleId id) override {
        return db_.Read<FlashSale>([&](Tx& tx) -> Result<FlashSale> {
            auto sale = LoadSale(tx, id);
            if (!sale) return std::move(sale).error();
            return sale->sale;
        });
    }

    Result<std::vector<FlashSale>> OfRoom(LiveRoomId room) override {
        return db_.Read<std::vector<FlashSale>>([&](Tx& tx) { return Sales(tx.Query(kSalesOfRoom, {room.value})); });
    }

    Result<SalePeek> Peek(FlashSaleId id, UserId buyer, std::string_view key) override {
        return db_.Read<SalePeek>([&](Tx& tx) -> Result<SalePeek> {
            auto sale = LoadSale(tx, id);
            if (!sale) return std::move(sale).error();
            auto used = tx.Query(kKeyUsed, {buyer.value, kScope, key});
            if (!used) return std::move(used).error();
            return SalePeek{std::move(sale->sale), !used->empty()};
        });
    }

    Result<std::string> Buy(const FlashBuy& b,
                            const std::function<std::string(const FlashBuyResult&)>& reply) override {
        return WriteOnce(db_, {b.buyer, kScope, b.idempotency_key, b.request_hash, b.now},
                         [&](Tx& tx) -> Result<std::string> {
                             auto result = Place(tx, b);
                             if (!result) return std::move(result).error();
                             return reply(*result);
                         });
    }

    Result<FlashSale> Close(FlashSaleId id, UserId actor, Millis now) override {
        return db_.Write<FlashSale>([&](Tx& tx) { return CloseIn(tx, id, actor, now); });
    }

    Result<std::vector<FlashSale>> CloseDue(Millis now, std::size_t limit) override {
        auto due = db_.Read<std::vector<std::int64_t>>([&](Tx& tx) -> Result<std::vector<std::int64_t>> {
            auto rows = tx.Query(kDue, {now, static_cast<std::int64_t>(limit)});
            if (!rows) return std::move(rows).error();
            std::vector<std::int64_t> ids;
            for (const Row& r : *rows) ids.push_back(r.Int(0));
            return ids;
        });
        if (!due) return std::move(due).error();
        std::vector<FlashSale> out;
        for (const std::int64_t id : *due) {
            auto closed = Close(FlashSaleId{id}, UserId{}, now);
            if (!closed) return std::move(closed).error();
            out.push_back(std::move(closed).value());
        }
        return out;
    }

    Result<std::vector<FlashSale>> StartedBetween(Millis from, Millis to) override {
        return db_.Read<std::vector<FlashSale>>([&](Tx& tx) { return Sales(tx.Query(kStartedBetween, {from, to})); });
    }

    Result<std::vector<FlashSale>> Running(Millis now) override {
        return db_.Read<std::vector<FlashSale>>([&](Tx& tx) { return Sales(tx.Query(kRunning, {now, now})); });
    }

    Result<std::vector<SaleProblem>> Check() override {
        return db_.Read<std::vector<SaleProblem>>([&](Tx& tx) -> Result<std::vector<SaleProblem>> {
            auto rows = tx.Query(kCheckSales, {});
            if (!rows) return std::move(rows).error();
            std::vector<SaleProblem> out;
            for (const Row& r : *rows) {
                SaleProblem p{FlashSaleId{r.Int(0)}, r.Int(1), r.Int(2), r.Int(3), r.Int(5), r.Int(4) != 0};
                const std::int64_t buyers = r.Int(6);
                const bool agrees = p.sold == p.order_units && buyers == p.sold;
                const bool adds_up = p.closed ? p.sold + p.returned == p.quantity : p.sold + p.returned <= p.quantity;
                if (!agrees || !adds_up || p.sold < 0 || p.returned < 0) out.push_back(p);
            }
            return out;
        });
    }

private:
    static Result<FlashBuyResult> Place(Tx& tx, const FlashBuy& b) {
        auto row = LoadSale(tx, b.sale);
        if (!row) return std::move(row).error();
        const FlashSale& sale = row->sale;
        if (Status may = sale.MayBuy(b.now, b.quantity); !may) return may.error();
        // Locks are taken in one order: the buyer's row, then the sale's.
        auto counted = tx.Exec(kCountBuyer, {sale.id.value, b.buyer.value, b.quantity, sale.per_user_limit});
        if (!counted) return std::move(counted).error();
        if (*counted == 0) return Error::Make(ErrorKind::kRuleBroken, "limit_reached");
        FlashBuyResult out;
        out.amount_fen = sale.price_fen * b.quantity;
        auto checkout = tx.InsertId(kInsertCheckout, {b.buyer.value, out.amount_fen, b.now});
        if (!checkout) return std::move(checkout).error();
        out.checkout_id = *checkout;
        auto order = tx.InsertId(
            kInsertOrder, {b.buyer.value, sale.shop_id.value, out.checkout_id, out.amount_fen, out.amount_fen,
                           b.ship_to.name, b.ship_to.phone, b.ship_to.region_code, b.ship_to.detail, sale.room_id.value,
                           sale.id.value, b.expires_at, b.now, b.now});
        if (!order) return std::move(order).error();
        const OrderId order_id{*order};
        if (auto n = tx.Exec(kInsertItem, {order_id.value, sale.sku_id.value, sale.product_id.value, sale.title,
                                           sale.sku_name, sale.price_fen, b.quantity, row->weight_g});
            !n) {
            return std::move(n).error();
        }
        if (auto s = AddEvent(tx, order_id, std::nullopt, orders::OrderStatus::kPendingPayment, b.buyer,
                              "flash sale " + sale.id.ToString(), b.now);
            !s) {
            return s.error();
        }
        auto payment = tx.InsertId(
            kInsertPayment, {out.checkout_id, b.buyer.value, out.amount_fen, std::string_view(b.provider), b.now});
        if (!payment) return std::move(payment).error();
        out.payment_id = PaymentId{*payment};
        out.provider = b.provider;
        // Last, so that the sale's row is held only until the commit.
        auto taken = tx.Query(kTakeUnits, {b.quantity, sale.id.value, b.now, b.now, b.quantity});
        if (!taken) return std::move(taken).error();
        if (taken->empty()) return Error::Conflict("sold_out");
        auto placed = LoadOrder(tx, order_id);
        if (!placed) return std::move(placed).error();
        out.order = std::move(placed).value();
        out.order.payment_id = out.payment_id;
        out.sale = sale;
        out.sale.sold = taken->front().Int(0);  // as this buy left it
        out.sale.returned = taken->front().Int(1);
        return out;
    }

    SqlDatabase& db_;
};

}  // namespace

Status ReturnFlashUnits(Tx& tx, std::int64_t sale, UserId buyer, SkuId sku, std::int64_t quantity, OrderId order,
                        UserId actor, Millis now) {
    auto n = tx.Exec(kUncountBuyer, {quantity, sale, buyer.value, quantity});
    if (!n) return std::move(n).error();
    if (*n == 0) return Error::Internal("flash sale buyer count missing for order " + order.ToString());
    n = tx.Exec(kGiveBackToSale, {quantity, sale, quantity});
    if (!n) return std::move(n).error();
    if (*n == 1) return {};
    // The sale has closed: the units go back to the SKU's available stock.
    n = tx.Exec(kGiveBackAfterClose, {quantity, quantity, sale, quantity});
    if (!n) return std::move(n).error();
    if (*n == 0) return Error::Internal("flash sale units missing for order " + order.ToString());
    auto moved = MoveStock(tx, sku, StockMove::kRelease, quantity, {StockCause::kOrder, order.value, actor, now});
    if (!moved) return std::move(moved).error();
    if (!*moved) return Error::Internal("reserved stock missing for order " + order.ToString());
    return {};
}

std::unique_ptr<FlashSaleRepository> MakeFlashSaleRepository(SqlDatabase& db) {
    return std::make_unique<SqlFlashSaleRepository>(db);
}

}  // namespace goji::storage
