#pragma once

// The SQL statements Goji runs for one order bought by checkout and paid in
// the sandbox, in the order it runs them, as the checkout benchmark's
// references run them straight against the database (goji_checkout_ref, and
// the pgbench script it writes). The one place to edit when the repositories
// change: copy a statement's text and parameters from
//   src/storage/sql/account_repositories.cpp   sessions.active, user_roles.of_user
//   src/storage/sql/shopping_repositories.cpp  addresses.by_id
//   src/storage/sql/order_repository.cpp       SqlOrderRepository::Checkout/Place, AddEvent, MoveOnly,
//                                              SqlPaymentRepository, SqlSandboxBooks
//   src/storage/sql/stock_ledger.cpp           MoveStock (reserve, sell)
//   src/storage/sql/pricing_repository.cpp     QuoteIn (LoadShipping; no coupon codes)
//   src/storage/sql/sales_ledger.cpp           ReadSale, RecordSale (KeyOf, TopCategory, Upsert)
// and keep `phase` equal to the transaction Goji runs it in.
//
// The sandbox's own statements (kPayCharge, kDelivered) run on PostgreSQL
// only: on SQLite the sandbox keeps its books in a file of its own.
//
// Left out: what Goji runs once per batch of notifications rather than per
// order (job_leases.take and sandbox_charges.due, up to 64 charges each), and
// the unpaid-order sweeper (nothing is due in a benchmark). Instead of
// sandbox_charges.due handing the charge's id to the notifier, the reference
// takes it from sandbox_charges.record (its new rowid on SQLite, RETURNING id
// on PostgreSQL). The notifier's
// sandbox_charges.delivered runs once per charge (in one write per batch),
// so it is in: without it the references' charges would stay due, and
// Goji's notifier would deliver them during the next round's measurement.

#include <array>
#include <cstdint>
#include <string_view>

namespace goji::bench {

// Where a parameter's value comes from. Each has a pgbench variable name.
enum class Var : std::uint8_t {
    kNone,  // ends a parameter list
    kNull,  // SQL NULL
    // Per buyer (a session and an address of the buyer's own).
    kBuyer,
    kTokenHash,
    kAddress,
    // Per order, chosen by the client.
    kSku,
    kKey,  // Idempotency-Key
    kNow,
    kExpiresAt,  // now + the payment window
    // Read from the database by an earlier statement.
    kShipName,
    kShipPhone,
    kShipRegion,
    kShipDetail,
    kPrice,
    kWeight,
    kSpec,
    kProduct,
    kTitle,
    kShop,
    kCheckout,
    kOrder,
    kPayment,
    kCharge,
    kCategory,     // the product's category (stats.order_sale)
    kCategoryTop,  // the top of its tree (stats.category_up: the benchmark's 111 is two below its top)
    kShopRegion,
    kSellerKind,
    // Computed: price × quantity (the benchmark shop ships free above 30 yuan; no coupon).
    kAmount,
    // Computed: the Asia/Shanghai date of kNow as yyyymmdd (stats::ShanghaiDay), and its yyyymm.
    kDay,
    kMonth,
    // Constants.
    kQuantity,
    kZero,
    kStatus201,
    kScope,
    kRequestHash,
    kReplyBody,
    kPendingPayment,
    kPaid,
    kEmptyNote,
    kPaidNote,
    kReserve,
    kSell,
    kCauseOrder,
    kProvider,
    kProviderRef,
    kChannelShop,
    kTierLow,
    kOne,
    kCount
};

struct VarInfo {
    Var var;
    std::string_view name;  // the pgbench variable
    bool integer;
    std::string_view constant;  // constants only
};

// A stored 201 reply of one order is about this long; the reference stores
// a body of the same length.
inline constexpr std::size_t kReplyBodyBytes = 880;
inline constexpr std::int64_t kPaymentWindowMs = 30LL * 60 * 1000;

inline constexpr std::array<VarInfo, static_cast<std::size_t>(Var::kCount)> kVars = {{
    {Var::kNone, "", false, ""},
    {Var::kNull, "", false, ""},
    {Var::kBuyer, "buyer", true, ""},
    {Var::kTokenHash, "token_hash", false, ""},
    {Var::kAddress, "address", true, ""},
    {Var::kSku, "sku", true, ""},
    {Var::kKey, "key", false, ""},
    {Var::kNow, "now", true, ""},
    {Var::kExpiresAt, "expires_at", true, ""},
    {Var::kShipName, "ship_name", false, ""},
    {Var::kShipPhone, "ship_phone", false, ""},
    {Var::kShipRegion, "ship_region_code", false, ""},
    {Var::kShipDetail, "ship_detail", false, ""},
    {Var::kPrice, "sku_price_fen", true, ""},
    {Var::kWeight, "sku_weight_g", true, ""},
    {Var::kSpec, "sku_spec", false, ""},
    {Var::kProduct, "sku_product_id", true, ""},
    {Var::kTitle, "sku_title", false, ""},
    {Var::kShop, "sku_shop_id", true, ""},
    {Var::kCheckout, "checkout_id", true, ""},
    {Var::kOrder, "order_id", true, ""},
    {Var::kPayment, "payment_id", true, ""},
    {Var::kCharge, "charge_id", true, ""},
    {Var::kCategory, "sale_category_id", true, ""},
    {Var::kCategoryTop, "top_p1", true, ""},
    {Var::kShopRegion, "sale_shop_region", false, ""},
    {Var::kSellerKind, "sale_seller_kind", false, ""},
    {Var::kAmount, "amount", true, ""},
    {Var::kDay, "day", true, ""},
    {Var::kMonth, "month", true, ""},
    {Var::kQuantity, "quantity", true, "1"},
    {Var::kZero, "zero", true, "0"},
    {Var::kStatus201, "status_201", true, "201"},
    {Var::kScope, "scope", false, "checkout"},
    {Var::kRequestHash, "request_hash", false, "a=12;i=41x1,;l="},
    {Var::kReplyBody, "reply_body", false, ""},  // kReplyBodyBytes characters
    {Var::kPendingPayment, "st_pending_payment", false, "pending_payment"},
    {Var::kPaid, "st_paid", false, "paid"},
    {Var::kEmptyNote, "empty_note", false, ""},
    {Var::kPaidNote, "paid_note", false, "paid through sandbox"},
    {Var::kReserve, "mv_reserve", false, "reserve"},
    {Var::kSell, "mv_sell", false, "sell"},
    {Var::kCauseOrder, "cause_order", false, "order"},
    {Var::kProvider, "provider", false, "sandbox"},
    {Var::kProviderRef, "provider_ref", false, "sbx-bench"},
    {Var::kChannelShop, "channel_shop", false, "shop"},
    {Var::kTierLow, "tier_low", false, "low"},  // every price of the benchmark is below 100 yuan
    {Var::kOne, "one", true, "1"},
}};

constexpr const VarInfo& Info(Var v) { return kVars[static_cast<std::size_t>(v)]; }

// Which of Goji's transactions a statement belongs to; each is one
// transaction in Goji (reads on a reader connection, writes on the writer).
enum class Phase : std::uint8_t {
    kCheckoutSession,
    kCheckoutAddress,
    kCheckout,
    kPaySession,
    kPayFind,
    kPayAwaits,
    kPayCharge,
    kNotifyFind,
    kConfirm,
    kDelivered,
};

struct PhaseInfo {
    Phase phase;
    std::string_view what;
    bool write;
    // The sandbox provider's own books: on SQLite Goji keeps them in a file
    // of their own (sqlite::SandboxBooksPath), not in the database the
    // references measure, so the SQLite references leave these out;
    // PostgreSQL keeps them in its database and runs them.
    bool provider = false;
};

inline constexpr std::array<PhaseInfo, 10> kPhases = {{
    {Phase::kCheckoutSession, "`POST /api/v1/checkout`: the caller's session", false},
    {Phase::kCheckoutAddress, "`POST /api/v1/checkout`: the address", false},
    {Phase::kCheckout, "`POST /api/v1/checkout`: the checkout (`SqlOrderRepository::Checkout`)", true},
    {Phase::kPaySession, "`POST /api/v1/payments/{id}/sandbox/pay`: the caller's session", false},
    {Phase::kPayFind, "`POST /api/v1/payments/{id}/sandbox/pay`: the payment", false},
    {Phase::kPayAwaits, "`POST /api/v1/payments/{id}/sandbox/pay`: an order still waits", false},
    {Phase::kPayCharge, "`POST /api/v1/payments/{id}/sandbox/pay`: the sandbox's charge", true, true},
    {Phase::kNotifyFind, "`POST /api/v1/payments/notify/sandbox`: the payment", false},
    {Phase::kConfirm, "`POST /api/v1/payments/notify/sandbox`: `SqlPaymentRepository::Confirm`", true},
    {Phase::kDelivered,
     "the sandbox's notifier: the notification answered (`SqlSandboxBooks::Delivered`, one write per batch)", true,
     true},
}};

enum class Expect : std::uint8_t {
    kAny,
    kRow,        // a query that must return a row
    kOneChange,  // a statement that must change exactly one row
};

struct Capture {
    int column = -1;  // -1: none
    Var var = Var::kNone;
};

struct Statement {
    Phase phase;
    std::string_view name;    // the query's name in the repository
    std::string_view sqlite;  // `?` placeholders
    std::string_view pg;      // empty: `sqlite`, with `?` as `$n`
    std::array<Var, 16> params;
    Expect expect = Expect::kAny;
    // Values later statements use, from the first row.
    std::array<Capture, 6> captures = {};
    int must_be_true = -1;  // a column of the first row that must be true
    // pgbench's \gset names variables prefix + column name; `pgbench_columns`
    // renames the columns first (SELECT * FROM (…) q (columns)) where the
    // statement's own names are no variable names.
    std::string_view pgbench_prefix = {};
    std::string_view pgbench_columns = {};
    // An `INSERT … RETURNING id` Goji runs with Tx::InsertId: on SQLite
    // without its RETURNING clause, the id read as the last rowid (the
    // first capture); PostgreSQL runs the text as it is.
    bool insert_id = false;
};

// Computed once the price is known, as Goji's PlanOrders does for one item of
// one shop: goods = total = amount = price × quantity (no shipping fee, no
// discount yet).
struct Computed {
    Var target;
    Var price;
    Var quantity;
    std::string_view after;  // the statement that reads the price
};
inline constexpr Computed kAmountRule{Var::kAmount, Var::kPrice, Var::kQuantity, "skus.for_checkout"};
// The benchmark shop is no poverty-relief seller: Goji binds its flag as 0
// (the column is read as a boolean); the reference binds kZero.

using enum Var;

inline constexpr std::string_view kSessionActive =
    "SELECT s.token_hash, s.user_id, s.csrf_hash, s.created_at, s.expires_at, "
    "u.id, u.login, u.display_name, u.created_at, u.password_hash "
    "FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.token_hash = ? AND s.expires_at > ?";
inline constexpr std::string_view kRolesOfUser =
    "SELECT role, region_code FROM user_roles WHERE user_id = ? ORDER BY role, region_code";
inline constexpr std::string_view kPaymentById =
    "SELECT id, checkout_id, buyer_id, amount_fen, provider, status, provider_ref, paid_at, "
    "created_at FROM payments WHERE id = ?";
inline constexpr std::string_view kInsertEvent =
    "INSERT INTO order_events (order_id, from_status, to_status, actor_id, note, at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
inline constexpr std::string_view kInsertMovement =
    "INSERT INTO stock_movements (sku_id, kind, quantity, cause, cause_id, actor_id, at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";

inline constexpr std::array kStatements = std::to_array<Statement>({
    // POST /api/v1/checkout
    {Phase::kCheckoutSession, "sessions.active", kSessionActive, {}, {kTokenHash, kNow}, Expect::kRow},
    {Phase::kCheckoutSession, "user_roles.of_user", kRolesOfUser, {}, {kBuyer}},
    {Phase::kCheckoutAddress,
     "addresses.by_id",
     "SELECT id, user_id, name, phone, region_code, detail, is_default, created_at, "
     "updated_at FROM addresses WHERE user_id = ? AND id = ?",
     {},
     {kBuyer, kAddress},
     Expect::kRow,
     {{{2, kShipName}, {3, kShipPhone}, {4, kShipRegion}, {5, kShipDetail}}},
     -1,
     "ship_"},
    {Phase::kCheckout,
     "idempotency_keys.find",
     "SELECT request, status, body FROM idempotency_keys WHERE user_id = ? AND scope = ? AND key = ?",
     {},
     {kBuyer, kScope, kKey}},
    {Phase::kCheckout,
     "skus.for_checkout",
     "SELECT k.price_fen, k.weight_g, k.spec, p.id, p.title, p.shop_id, "
     "CASE WHEN k.retired_at = 0 AND p.on_sale = 1 AND s.status = 'verified' THEN 1 ELSE 0 END, k.stock, s.name "
     "FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = p.shop_id WHERE k.id = ?",
     "SELECT k.price_fen, k.weight_g, k.spec, p.id, p.title, p.shop_id, "
     "(k.retired_at = 0 AND p.on_sale AND s.status = 'verified'), k.stock, s.name "
     "FROM skus k JOIN products p ON p.id = k.product_id JOIN shops s ON s.id = p.shop_id WHERE k.id = ?",
     {kSku},
     Expect::kRow,
     {{{0, kPrice}, {1, kWeight}, {2, kSpec}, {3, kProduct}, {4, kTitle}, {5, kShop}}},
     6,
     "sku_",
     "price_fen, weight_g, spec, product_id, title, shop_id, available, stock, shop_name"},
    {Phase::kCheckout,
     "shipping_templates.of_shop",
     "SELECT free_over_fen, updated_at FROM shipping_templates WHERE shop_id = ?",
     {},
     {kShop},
     Expect::kRow},
    {Phase::kCheckout,
     "shipping_rules.of_shop",
     "SELECT provinces, first_weight_g, first_fen, additional_weight_g, additional_fen, remote "
     "FROM shipping_rules WHERE shop_id = ? ORDER BY position",
     {},
     {kShop},
     Expect::kRow},
    {Phase::kCheckout,
     "checkouts.insert",
     "INSERT INTO checkouts (buyer_id, amount_fen, created_at) VALUES (?, ?, ?) RETURNING id",
     {},
     {kBuyer, kAmount, kNow},
     Expect::kRow,
     {{{0, kCheckout}}},
     -1,
     "checkout_",
     {},
     true},
    {Phase::kCheckout,
     "orders.insert",
     "INSERT INTO orders (buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, total_fen, "
     "ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, expires_at, created_at, updated_at) "
     "VALUES (?, ?, ?, 'pending_payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
     {},
     {kBuyer, kShop, kCheckout, kAmount, kZero, kZero, kAmount, kShipName, kShipPhone, kShipRegion, kShipDetail, kNull,
      kExpiresAt, kNow, kNow},
     Expect::kRow,
     {{{0, kOrder}}},
     -1,
     "order_",
     {},
     true},
    {Phase::kCheckout,
     "order_items.insert",
     "INSERT INTO order_items (order_id, position, sku_id, product_id, title, spec, "
     "unit_price_fen, quantity, weight_g) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
     {},
     {kOrder, kZero, kSku, kProduct, kTitle, kSpec, kPrice, kQuantity, kWeight}},
    {Phase::kCheckout,
     "order_events.insert",
     kInsertEvent,
     {},
     {kOrder, kNull, kPendingPayment, kBuyer, kEmptyNote, kNow}},
    {Phase::kCheckout,
     "skus.stock_reserve",
     "UPDATE skus SET stock = stock - ?, reserved = reserved + ? WHERE id = ? AND stock >= ?",
     {},
     {kQuantity, kQuantity, kSku, kQuantity},
     Expect::kOneChange},
    {Phase::kCheckout,
     "stock_movements.insert",
     kInsertMovement,
     {},
     {kSku, kReserve, kQuantity, kCauseOrder, kOrder, kBuyer, kNow}},
    {Phase::kCheckout,
     "cart_items.checked_out",
     "DELETE FROM cart_items WHERE user_id = ? AND sku_id = ?",
     {},
     {kBuyer, kSku}},
    {Phase::kCheckout,
     "payments.insert",
     "INSERT INTO payments (checkout_id, buyer_id, amount_fen, provider, status, created_at) "
     "VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id",
     {},
     {kCheckout, kBuyer, kAmount, kProvider, kNow},
     Expect::kRow,
     {{{0, kPayment}}},
     -1,
     "payment_",
     {},
     true},
    {Phase::kCheckout,
     "idempotency_keys.insert",
     "INSERT INTO idempotency_keys (user_id, scope, key, request, status, body, created_at) "
     "VALUES (?, ?, ?, ?, ?, ?, ?)",
     {},
     {kBuyer, kScope, kKey, kRequestHash, kStatus201, kReplyBody, kNow}},
    // POST /api/v1/payments/{id}/sandbox/pay
    {Phase::kPaySession, "sessions.active", kSessionActive, {}, {kTokenHash, kNow}, Expect::kRow},
    {Phase::kPaySession, "user_roles.of_user", kRolesOfUser, {}, {kBuyer}},
    {Phase::kPayFind, "payments.by_id", kPaymentById, {}, {kPayment}, Expect::kRow},
    {Phase::kPayAwaits,
     "payments.awaits",
     "SELECT 1 FROM orders o JOIN payments p ON p.checkout_id = o.checkout_id "
     "WHERE p.id = ? AND o.status = 'pending_payment' LIMIT 1",
     {},
     {kPayment},
     Expect::kRow},
    {Phase::kPayCharge,
     "sandbox_charges.record",
     "INSERT INTO sandbox_charges (payment_id, amount_fen, paid_at, next_attempt_at) "
     "VALUES (?, ?, ?, ?) ON CONFLICT (payment_id) DO NOTHING RETURNING id",
     {},
     {kPayment, kAmount, kNow, kNow},
     Expect::kRow,
     {{{0, kCharge}}},
     -1,
     "charge_",
     {},
     true},
    // POST /api/v1/payments/notify/sandbox, sent by the sandbox's notifier
    {Phase::kNotifyFind, "payments.by_id", kPaymentById, {}, {kPayment}, Expect::kRow},
    {Phase::kConfirm,
     "payments.mark_paid",
     "UPDATE payments SET status = 'paid', provider_ref = ?, paid_at = ? WHERE id = ? AND status = 'pending'",
     {},
     {kProviderRef, kNow, kPayment},
     Expect::kOneChange},
    {Phase::kConfirm, "payments.by_id", kPaymentById, {}, {kPayment}, Expect::kRow},
    {Phase::kConfirm,
     "orders.of_checkout",
     "SELECT id, status, total_fen, live_room_id FROM orders WHERE checkout_id = ? ORDER BY id",
     {},
     {kCheckout},
     Expect::kRow},
    {Phase::kConfirm,
     "orders.move",
     "UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
     {},
     {kPaid, kNow, kOrder, kPendingPayment},
     Expect::kOneChange},
    {Phase::kConfirm,
     "order_events.insert",
     kInsertEvent,
     {},
     {kOrder, kPendingPayment, kPaid, kNull, kPaidNote, kNow}},
    {Phase::kConfirm,
     "stats.order_sale",
     "SELECT i.sku_id, i.product_id, i.unit_price_fen, i.quantity, p.category_id, o.total_fen, "
     "o.ship_region_code, o.live_room_id, s.region_code, s.kind, s.poverty_relief "
     "FROM orders o JOIN shops s ON s.id = o.shop_id LEFT JOIN order_items i ON i.order_id = o.id "
     "LEFT JOIN products p ON p.id = i.product_id WHERE o.id = ? ORDER BY i.position",
     {},
     {kOrder},
     Expect::kRow,
     {{{4, kCategory}, {8, kShopRegion}, {9, kSellerKind}}},
     -1,
     "sale_",
     "sku_id, product_id, unit_price_fen, quantity, category_id, total_fen, ship_region_code, live_room_id, "
     "shop_region, seller_kind, poverty_relief"},
    {Phase::kConfirm,
     "skus.stock_sell",
     "UPDATE skus SET reserved = reserved - ?, sold = sold + ? WHERE id = ? AND reserved >= ?",
     {},
     {kQuantity, kQuantity, kSku, kQuantity},
     Expect::kOneChange},
    {Phase::kConfirm,
     "stock_movements.insert",
     kInsertMovement,
     {},
     {kSku, kSell, kQuantity, kCauseOrder, kOrder, kNull, kNow}},
    {Phase::kConfirm,
     "products.add_sales",
     "UPDATE products SET sales = sales + ? WHERE id = ?",
     {},
     {kQuantity, kProduct},
     Expect::kOneChange},
    {Phase::kConfirm,
     "stats.category_up",
     "SELECT c0.parent_id, c1.id, c1.parent_id, c2.id, c2.parent_id, c3.id, c3.parent_id "
     "FROM categories c0 LEFT JOIN categories c1 ON c1.id = c0.parent_id "
     "LEFT JOIN categories c2 ON c2.id = c1.parent_id "
     "LEFT JOIN categories c3 ON c3.id = c2.parent_id WHERE c0.id = ?",
     {},
     {kCategory},
     Expect::kRow,
     {{{2, kCategoryTop}}},
     -1,
     "top_",
     "p0, i1, p1, i2, p2, i3, p3"},
    {Phase::kConfirm,
     "stats.upsert_sales",
     "INSERT INTO sales_daily (day, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
     "refunds_fen, orders) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
     "ON CONFLICT (day, region_code, category_id, seller_kind, channel, poverty_relief) DO UPDATE SET "
     "gross_fen = sales_daily.gross_fen + excluded.gross_fen, "
     "refunds_fen = sales_daily.refunds_fen + excluded.refunds_fen, orders = sales_daily.orders + excluded.orders",
     {},
     {kDay, kShopRegion, kCategoryTop, kSellerKind, kChannelShop, kZero, kAmount, kZero, kOne},
     Expect::kOneChange},
    {Phase::kConfirm,
     "stats.upsert_consumption",
     "INSERT INTO consumption_daily (day, region_code, tier, gross_fen, refunds_fen, orders) "
     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day, region_code, tier) DO UPDATE SET "
     "gross_fen = consumption_daily.gross_fen + excluded.gross_fen, "
     "refunds_fen = consumption_daily.refunds_fen + excluded.refunds_fen, "
     "orders = consumption_daily.orders + excluded.orders",
     {},
     {kDay, kShipRegion, kTierLow, kAmount, kZero, kOne},
     Expect::kOneChange},
    {Phase::kConfirm,
     "stats.upsert_sales_monthly",
     "INSERT INTO sales_monthly (month, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen, "
     "refunds_fen, orders) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
     "ON CONFLICT (month, region_code, category_id, seller_kind, channel, poverty_relief) DO UPDATE SET "
     "gross_fen = sales_monthly.gross_fen + excluded.gross_fen, "
     "refunds_fen = sales_monthly.refunds_fen + excluded.refunds_fen, orders = sales_monthly.orders + excluded.orders",
     {},
     {kMonth, kShopRegion, kCategoryTop, kSellerKind, kChannelShop, kZero, kAmount, kZero, kOne},
     Expect::kOneChange},
    {Phase::kConfirm,
     "stats.upsert_consumption_monthly",
     "INSERT INTO consumption_monthly (month, region_code, tier, gross_fen, refunds_fen, orders) "
     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (month, region_code, tier) DO UPDATE SET "
     "gross_fen = consumption_monthly.gross_fen + excluded.gross_fen, "
     "refunds_fen = consumption_monthly.refunds_fen + excluded.refunds_fen, "
     "orders = consumption_monthly.orders + excluded.orders",
     {},
     {kMonth, kShipRegion, kTierLow, kAmount, kZero, kOne},
     Expect::kOneChange},
    // The sandbox's notifier, once Goji answered 2xx
    {Phase::kDelivered,
     "sandbox_charges.delivered",
     "UPDATE sandbox_charges SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?",
     {},
     {kNow, kCharge},
     Expect::kOneChange},
});

// Whether each statement writes the sandbox provider's own books.
inline constexpr auto kForProvider = [] {
    std::array<bool, kStatements.size()> out{};
    for (std::size_t i = 0; i < kStatements.size(); ++i) {
        for (const PhaseInfo& p : kPhases) {
            if (p.phase == kStatements[i].phase) out[i] = p.provider;
        }
    }
    return out;
}();

}  // namespace goji::bench
