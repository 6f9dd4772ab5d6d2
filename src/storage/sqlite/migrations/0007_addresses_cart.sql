-- Buyers' address books and carts.
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    region_code TEXT NOT NULL,
    detail TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id, id);

CREATE TABLE cart_items (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, sku_id)
);
