// SQLite's own schema rules: the tables an order writes check their allowed
// values without SQLite building a temporary table in each statement, and
// the migration that rebuilt them kept every row, reference and rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/storage.hpp"
#include "support/backends.hpp"

namespace goji {
namespace {

using storage::Query;
using storage::Tx;
using storage::TxMode;

Status Write(storage::Storage& st, const char* sql) {
    const Query q{"test.sql", sql};
    return st.Sql().Run(TxMode::kWrite, [&](Tx& tx) -> Status {
        auto n = tx.Exec(q, {});
        if (!n) return std::move(n).error();
        return {};
    });
}

std::vector<std::string> Column(storage::Storage& st, const char* sql, std::size_t column = 0) {
    const Query q{"test.read", sql};
    std::vector<std::string> out;
    const Status s = st.Sql().Run(TxMode::kRead, [&](Tx& tx) -> Status {
        auto rows = tx.Query(q, {});
        if (!rows) return std::move(rows).error();
        for (const storage::Row& r : *rows) out.push_back(r.Text(column));
        return {};
    });
    EXPECT_TRUE(s) << sql << ": " << (s ? "" : s.error().internal);
    return out;
}

std::unique_ptr<storage::Storage> Open(const testing::TestDatabase& db) {
    auto st = storage::Storage::Open({db.url(), 2, true});
    EXPECT_TRUE(st) << st.error().internal;
    return st ? std::move(st).value() : nullptr;
}

// The statements of an order's path that check a list of allowed values.
TEST(SqliteSchema, OrdersPathChecksItsValuesWithoutTemporaryTables_sqlite) {
    const testing::TestDatabase db("sqlite");
    auto st = Open(db);
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->Migrate(1));
    for (const char* sql : {
             "EXPLAIN INSERT INTO stock_movements (sku_id, kind, quantity, cause, cause_id, actor_id, at) "
             "VALUES (1, 'reserve', 1, 'order', 1, 1, 1)",
             "EXPLAIN UPDATE orders SET status = 'paid', updated_at = 1 WHERE id = 1 AND status = 'pending_payment'",
             "EXPLAIN INSERT INTO orders (buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, "
             "discount_fen, total_fen, ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, "
             "expires_at, created_at, updated_at) VALUES (1, 1, 1, 'pending_payment', 1, 0, 0, 1, 'n', 'p', "
             "'652722', 'd', NULL, 1, 1, 1)",
             "EXPLAIN INSERT INTO consumption_daily (day, region_code, tier, gross_fen, refunds_fen, orders) "
             "VALUES (1, '652722', 'low', 1, 0, 1)",
             "EXPLAIN INSERT INTO consumption_monthly (month, region_code, tier, gross_fen, refunds_fen, orders) "
             "VALUES (1, '652722', 'low', 1, 0, 1)",
         }) {
        const std::vector<std::string> ops = Column(*st, sql, 1);
        EXPECT_FALSE(ops.empty()) << sql;
        EXPECT_EQ(std::count(ops.begin(), ops.end(), "OpenEphemeral"), 0) << sql;
    }
}

// A database made before migration 0020, with an order and its lines, stock
// movements and consumption rows: after it, every row is there as it was,
// the lines still refer to their order, the indexes are back and the
// allowed values are still the only ones allowed.
TEST(SqliteSchema, RebuildingTablesKeepsRowsReferencesIndexesAndRules_sqlite) {
    const testing::TestDatabase db("sqlite");
    auto st = Open(db);
    ASSERT_TRUE(st);
    auto before = st->Migrate(1, 19);
    ASSERT_TRUE(before) << before.error().internal;
    for (const char* sql : {
             "INSERT INTO users (id, login, password_hash, display_name, created_at, updated_at) "
             "VALUES (7, 'buyer', 'h', 'Buyer', 1, 1)",
             "INSERT INTO shops (id, owner_id, name, kind, region_code, status, created_at, updated_at) "
             "VALUES (3, 7, 'Shop', 'farmer', '652722', 'verified', 1, 1)",
             "INSERT INTO products (id, shop_id, title, description, category_id, origin_region_code, "
             "min_price_fen, created_at, updated_at) VALUES (5, 3, 'Wolfberry', '', 1, '652722', 100, 1, 1)",
             "INSERT INTO skus (id, product_id, spec, price_fen, stock, weight_g, position) "
             "VALUES (11, 5, '500 g', 100, 8, 500, 0)",
             "INSERT INTO orders (id, buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, "
             "total_fen, ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, expires_at, created_at, "
             "updated_at, carrier, tracking_no, shipped_at) VALUES (21, 7, 3, 1, 'shipped', 200, 10, 0, 210, "
             "'名字', '139', '652722', 'Detail', NULL, 9, 2, 3, 'SF', 'SF123', 4)",
             "INSERT INTO orders (id, buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, "
             "total_fen, ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, expires_at, created_at, "
             "updated_at) VALUES (22, 7, 3, 2, 'pending_payment', 100, 0, 0, 100, 'n', 'p', '652722', 'd', NULL, 9, "
             "5, 5)",
             "INSERT INTO order_items (order_id, position, sku_id, product_id, title, spec, unit_price_fen, quantity, "
             "weight_g) VALUES (21, 0, 11, 5, 'Wolfberry', '500 g', 100, 2, 500)",
             "INSERT INTO stock_movements (sku_id, kind, quantity, cause, cause_id, actor_id, at) "
             "VALUES (11, 'receive', 10, 'staff', NULL, 7, 1), (11, 'reserve', 2, 'order', 21, 7, 2), "
             "(11, 'sell', 2, 'order', 21, NULL, 3)",
             "INSERT INTO consumption_daily (day, region_code, tier, gross_fen, refunds_fen, orders) "
             "VALUES (20260101, '652722', 'medium', 210, 0, 1)",
             "INSERT INTO consumption_monthly (month, region_code, tier, gross_fen, refunds_fen, orders) "
             "VALUES (202601, '652722', 'medium', 210, 0, 1)",
         }) {
        ASSERT_TRUE(Write(*st, sql)) << sql;
    }
    const char* kRows[] = {
        "SELECT id || '|' || buyer_id || '|' || status || '|' || total_fen || '|' || ship_name || '|' || carrier || "
        "'|' || tracking_no || '|' || shipped_at || '|' || delivered_at || '|' || refunded_fen || '|' || "
        "COALESCE(flash_sale_id, '-') FROM orders ORDER BY id",
        "SELECT order_id || '|' || sku_id || '|' || quantity FROM order_items ORDER BY order_id, position",
        "SELECT id || '|' || kind || '|' || quantity || '|' || cause || '|' || COALESCE(actor_id, '-') "
        "FROM stock_movements ORDER BY id",
        "SELECT day || '|' || tier || '|' || gross_fen FROM consumption_daily",
        "SELECT month || '|' || tier || '|' || gross_fen FROM consumption_monthly",
    };
    std::vector<std::vector<std::string>> old;
    for (const char* sql : kRows) old.push_back(Column(*st, sql));
    ASSERT_EQ(old[0].size(), 2U);
    ASSERT_EQ(old[2].size(), 3U);

    auto applied = st->Migrate(2);
    ASSERT_TRUE(applied) << applied.error().internal;
    EXPECT_EQ(*applied, 1);
    for (std::size_t i = 0; i < std::size(kRows); ++i) EXPECT_EQ(Column(*st, kRows[i]), old[i]) << kRows[i];
    EXPECT_TRUE(Column(*st, "PRAGMA foreign_key_check").empty());
    EXPECT_EQ(Column(*st, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
    EXPECT_EQ(Column(*st,
                     "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'orders' "
                     "AND name NOT LIKE 'sqlite_%' ORDER BY name"),
              (std::vector<std::string>{"orders_buyer", "orders_checkout", "orders_delivered", "orders_flash_sale",
                                        "orders_live_room", "orders_shipped", "orders_shop", "orders_unpaid"}));
    EXPECT_EQ(Column(*st, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stock_movements'"),
              std::vector<std::string>{"stock_movements_sku"});
    // The lines still belong to their order: it cannot go while they are there.
    EXPECT_FALSE(Write(*st, "DELETE FROM orders WHERE id = 21"));
    // The rules still hold.
    EXPECT_FALSE(Write(*st, "UPDATE orders SET status = 'lost' WHERE id = 22"));
    EXPECT_TRUE(Write(*st, "UPDATE orders SET status = 'paid' WHERE id = 22"));
    EXPECT_FALSE(Write(*st,
                       "INSERT INTO stock_movements (sku_id, kind, quantity, cause, at) "
                       "VALUES (11, 'gift', 1, 'staff', 1)"));
    EXPECT_FALSE(Write(*st,
                       "INSERT INTO stock_movements (sku_id, kind, quantity, cause, at) "
                       "VALUES (11, 'receive', 1, 'luck', 1)"));
    EXPECT_FALSE(Write(*st,
                       "INSERT INTO stock_movements (sku_id, kind, quantity, cause, at) "
                       "VALUES (11, 'sell', -1, 'order', 1)"));
    EXPECT_FALSE(Write(*st,
                       "INSERT INTO stock_movements (sku_id, kind, quantity, cause, at) "
                       "VALUES (99, 'receive', 1, 'staff', 1)"));
    EXPECT_FALSE(Write(*st, "INSERT INTO consumption_daily (day, region_code, tier) VALUES (1, '652722', 'huge')"));
    EXPECT_FALSE(Write(*st, "INSERT INTO consumption_monthly (month, region_code, tier) VALUES (1, '652722', 'huge')"));
    EXPECT_TRUE(Write(*st,
                      "INSERT INTO stock_movements (sku_id, kind, quantity, cause, cause_id, at) "
                      "VALUES (11, 'release', 1, 'flash_sale', 1, 1)"));
    // Nothing left to apply.
    auto again = st->Migrate(3);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, 0);
}

// The sandbox provider keeps its books in a file of its own beside the
// database; charges a database made before that still owed notifications
// for move there when it is migrated, once.
TEST(SqliteSchema, SandboxBooksLiveInTheirOwnFile_sqlite) {
    const testing::TestDatabase db("sqlite");
    auto st = Open(db);
    ASSERT_TRUE(st);
    ASSERT_TRUE(st->Migrate(1, 19));
    ASSERT_TRUE(Write(*st,
                      "INSERT INTO sandbox_charges (id, payment_id, amount_fen, paid_at, attempts, "
                      "next_attempt_at, delivered_at) VALUES (41, 501, 1200, 10, 2, 20, 0), "
                      "(42, 502, 900, 10, 1, 20, 15)"));
    auto applied = st->Migrate(2);
    ASSERT_TRUE(applied) << applied.error().internal;
    auto due = st->SandboxCharges().Due(100, 10);
    ASSERT_TRUE(due);
    ASSERT_EQ(due->size(), 1U);  // the delivered one stays behind as it was
    EXPECT_EQ((*due)[0].id, 41);
    EXPECT_EQ((*due)[0].payment_id.value, 501);
    EXPECT_EQ((*due)[0].amount_fen, 1200);
    EXPECT_EQ((*due)[0].attempts, 2);
    EXPECT_EQ(Column(*st, "SELECT id FROM sandbox_charges"), std::vector<std::string>{"42"});
    // A new charge goes to the books' file only, and a second one of the
    // same payment changes nothing.
    ASSERT_TRUE(st->SandboxCharges().Record(PaymentId{503}, 700, 30));
    ASSERT_TRUE(st->SandboxCharges().Record(PaymentId{503}, 700, 31));
    EXPECT_EQ(Column(*st, "SELECT id FROM sandbox_charges"), std::vector<std::string>{"42"});
    auto found = st->SandboxCharges().Find(PaymentId{503});
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->amount_fen, 700);
    EXPECT_EQ((*found)->paid_at, 30);
    ASSERT_TRUE(st->SandboxCharges().Delivered({41, (*found)->id}, 200));
    due = st->SandboxCharges().Due(1000, 10);
    ASSERT_TRUE(due);
    EXPECT_TRUE(due->empty());
    // Opened again (as after a restart), migrating again moves nothing twice.
    st.reset();
    st = Open(db);
    ASSERT_TRUE(st);
    auto again = st->Migrate(3);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, 0);
    auto charge = st->SandboxCharges().Find(PaymentId{501});
    ASSERT_TRUE(charge && *charge);
    EXPECT_EQ((*charge)->id, 41);
    due = st->SandboxCharges().Due(1000, 10);
    ASSERT_TRUE(due);
    EXPECT_TRUE(due->empty());
}

}  // namespace
}  // namespace goji
