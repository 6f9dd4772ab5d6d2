// Which PostgreSQL statements are prepared once per connection (and may run
// on a generic plan) and which are planned on every call.
#include <gtest/gtest.h>

#include "storage/postgres/pg_database.hpp"

namespace goji::storage::postgres {
namespace {

TEST(PgStatements, LookupsAndWritesByKeyArePreparedOnce) {
    EXPECT_TRUE(ReusesPlan("SELECT id, status, total_fen FROM orders WHERE checkout_id = $1 ORDER BY id"));
    EXPECT_TRUE(
        ReusesPlan("INSERT INTO checkouts (buyer_id, amount_fen, created_at) VALUES ($1, $2, $3) RETURNING id"));
    EXPECT_TRUE(
        ReusesPlan("UPDATE skus SET stock = stock - $1, reserved = reserved + $2 WHERE id = $3 AND stock >= $4"));
    EXPECT_TRUE(ReusesPlan("DELETE FROM cart_items WHERE user_id = $1 AND sku_id = $2"));
}

TEST(PgStatements, PlansThatDependOnTheValuesAreMadeOnEveryCall) {
    // An optional filter: with a buyer, the buyer's index; without, another plan.
    EXPECT_FALSE(
        ReusesPlan("SELECT o.id FROM orders o WHERE ($1::bigint = 0 OR o.buyer_id = $2) AND o.id < $3 "
                   "ORDER BY o.id DESC LIMIT $4"));
    EXPECT_FALSE(ReusesPlan("SELECT id FROM shops WHERE region_code LIKE $1::text || '%'"));
    EXPECT_FALSE(ReusesPlan("SELECT id FROM products p WHERE strpos($1::text, ',' || p.category_id::text || ',') > 0"));
    EXPECT_FALSE(ReusesPlan("SELECT id FROM products p WHERE p.id = ANY($1::text::bigint[])"));
    EXPECT_FALSE(ReusesPlan("SELECT id FROM products p WHERE p.search @@ to_tsquery('simple', $1)"));
}

TEST(PgStatements, OtherStatementsAreNotPrepared) {
    EXPECT_FALSE(ReusesPlan("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"));
    EXPECT_FALSE(ReusesPlan("WITH x AS (SELECT 1) SELECT * FROM x"));
}

}  // namespace
}  // namespace goji::storage::postgres
