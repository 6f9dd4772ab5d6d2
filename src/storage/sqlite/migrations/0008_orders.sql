-- Orders: one per shop per checkout, with the items' prices and the address
-- as they were at checkout, and a timeline of every change of state.
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    buyer_id INTEGER NOT NULL REFERENCES users(id),
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    checkout_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed',
                                           'cancelled', 'refunding', 'refunded')),
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
    updated_at INTEGER NOT NULL
);
CREATE INDEX orders_buyer ON orders (buyer_id, id);
CREATE INDEX orders_shop ON orders (shop_id, id);
CREATE INDEX orders_unpaid ON orders (status, expires_at);
CREATE INDEX orders_checkout ON orders (checkout_id);

CREATE TABLE order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id),
    position INTEGER NOT NULL,
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    title TEXT NOT NULL,
    spec TEXT NOT NULL,
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen > 0),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    weight_g INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE order_events (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- A checkout's number, shared by its orders (and, later, its payment).
CREATE TABLE checkouts (
    id INTEGER PRIMARY KEY,
    buyer_id INTEGER NOT NULL REFERENCES users(id),
    amount_fen INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- Replies to retried writes: the same key from the same caller with the same
-- request gets the first reply back; kept at least 24 hours.
CREATE TABLE idempotency_keys (
    user_id INTEGER NOT NULL REFERENCES users(id),
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- The lease on cancelling unpaid orders (job_leases comes from 0001).
INSERT INTO job_leases (name, holder, expires_at) VALUES ('expire_unpaid_orders', '', 0);
