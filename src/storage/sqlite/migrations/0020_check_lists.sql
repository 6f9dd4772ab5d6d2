-- The CHECKs that name a column's allowed values are spelled as comparisons
-- joined by OR instead of `IN (…)` on the tables every order writes. SQLite
-- evaluates an IN list of more than two values by building a temporary table
-- of them in each statement that checks it: two per stock movement, one per
-- order inserted or moved and one per consumption row, about 5 µs each, a
-- fifth of the time of an order's statements. The values allowed are the same.
-- SQLite cannot change a CHECK in place, so the tables are rebuilt (with
-- foreign keys off, checked before the commit: see RunSchemaChange).

CREATE TABLE orders_new (
    id INTEGER PRIMARY KEY,
    buyer_id INTEGER NOT NULL REFERENCES users(id),
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    checkout_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status = 'pending_payment' OR status = 'paid' OR status = 'shipped' OR
                                status = 'delivered' OR status = 'completed' OR status = 'cancelled' OR
                                status = 'refunding' OR status = 'refunded'),
    goods_fen INTEGER NOT NULL CHECK (goods_fen >= 0),
    shipping_fen INTEGER NOT NULL CHECK (shipping_fen >= 0),
    discount_fen INTEGER NOT NULL CHECK (discount_fen >= 0),
    total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
    ship_name TEXT NOT NULL,
    ship_phone TEXT NOT NULL,
    ship_region_code TEXT NOT NULL,
    ship_detail TEXT NOT NULL,
    live_room_id INTEGER,
    expires_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    carrier TEXT NOT NULL DEFAULT '',
    tracking_no TEXT NOT NULL DEFAULT '',
    shipped_at INTEGER NOT NULL DEFAULT 0,
    delivered_at INTEGER NOT NULL DEFAULT 0,
    refunded_fen INTEGER NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
    flash_sale_id INTEGER REFERENCES flash_sales(id)
);
INSERT INTO orders_new (id, buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, total_fen,
                        ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, expires_at, created_at,
                        updated_at, carrier, tracking_no, shipped_at, delivered_at, refunded_fen, flash_sale_id)
SELECT id, buyer_id, shop_id, checkout_id, status, goods_fen, shipping_fen, discount_fen, total_fen,
       ship_name, ship_phone, ship_region_code, ship_detail, live_room_id, expires_at, created_at,
       updated_at, carrier, tracking_no, shipped_at, delivered_at, refunded_fen, flash_sale_id
FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_buyer ON orders (buyer_id, id);
CREATE INDEX orders_shop ON orders (shop_id, id);
CREATE INDEX orders_checkout ON orders (checkout_id);
CREATE INDEX orders_flash_sale ON orders (flash_sale_id) WHERE flash_sale_id IS NOT NULL;
CREATE INDEX orders_live_room ON orders (live_room_id) WHERE live_room_id IS NOT NULL;
CREATE INDEX orders_unpaid ON orders (expires_at) WHERE status = 'pending_payment';
CREATE INDEX orders_shipped ON orders (shipped_at) WHERE status = 'shipped';
CREATE INDEX orders_delivered ON orders (delivered_at) WHERE status = 'delivered';

CREATE TABLE stock_movements_new (
    id INTEGER PRIMARY KEY,
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    kind TEXT NOT NULL CHECK (kind = 'receive' OR kind = 'adjust' OR kind = 'reserve' OR kind = 'release' OR
                              kind = 'sell' OR kind = 'return'),
    quantity INTEGER NOT NULL CHECK (quantity <> 0 AND (kind = 'adjust' OR quantity > 0)),
    cause TEXT NOT NULL CHECK (cause = 'staff' OR cause = 'order' OR cause = 'refund' OR cause = 'flash_sale'),
    cause_id INTEGER,
    actor_id INTEGER REFERENCES users(id),
    at INTEGER NOT NULL
);
INSERT INTO stock_movements_new (id, sku_id, kind, quantity, cause, cause_id, actor_id, at)
SELECT id, sku_id, kind, quantity, cause, cause_id, actor_id, at FROM stock_movements;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_sku ON stock_movements (sku_id, id);

CREATE TABLE consumption_daily_new (
    day INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier = 'low' OR tier = 'medium' OR tier = 'high'),
    gross_fen INTEGER NOT NULL DEFAULT 0,
    refunds_fen INTEGER NOT NULL DEFAULT 0,
    orders INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, tier)
);
INSERT INTO consumption_daily_new (day, region_code, tier, gross_fen, refunds_fen, orders)
SELECT day, region_code, tier, gross_fen, refunds_fen, orders FROM consumption_daily;
DROP TABLE consumption_daily;
ALTER TABLE consumption_daily_new RENAME TO consumption_daily;

CREATE TABLE consumption_monthly_new (
    month INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier = 'low' OR tier = 'medium' OR tier = 'high'),
    gross_fen INTEGER NOT NULL DEFAULT 0,
    refunds_fen INTEGER NOT NULL DEFAULT 0,
    orders INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, region_code, tier)
) WITHOUT ROWID;
INSERT INTO consumption_monthly_new (month, region_code, tier, gross_fen, refunds_fen, orders)
SELECT month, region_code, tier, gross_fen, refunds_fen, orders FROM consumption_monthly;
DROP TABLE consumption_monthly;
ALTER TABLE consumption_monthly_new RENAME TO consumption_monthly;
