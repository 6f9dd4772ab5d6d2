-- Flash sales in live rooms (domain/live/flash_sale*). A sale takes its
-- units out of the SKU's available stock at creation (a `reserve` movement
-- with cause `flash_sale`), so they sit in the SKU's reserved figure while
-- the sale holds them. A buy only counts them against the sale (`sold`);
-- paying the order sells them from reserved as for any order; an unpaid
-- order gives them back to the sale (`sold` goes down). When the sale ends,
-- what it still holds goes back to the SKU (`returned`, a `release`).
--   left = quantity - sold - returned   (0 once the sale is closed)
CREATE TABLE flash_sales (
    id INTEGER PRIMARY KEY,
    room_id INTEGER NOT NULL REFERENCES live_rooms(id),
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    price_fen INTEGER NOT NULL CHECK (price_fen >= 1),
    quantity INTEGER NOT NULL CHECK (quantity >= 1),
    sold INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    returned INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0),
    per_user_limit INTEGER NOT NULL CHECK (per_user_limit >= 1 AND per_user_limit <= quantity),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    -- When the unsold units went back to the SKU; 0: not yet.
    closed_at INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    CHECK (sold + returned <= quantity)
);
CREATE INDEX flash_sales_room ON flash_sales (room_id, starts_at, id);
CREATE INDEX flash_sales_open ON flash_sales (closed_at, ends_at);
CREATE INDEX flash_sales_start ON flash_sales (starts_at);

-- Units each buyer holds in a sale's live orders (not cancelled), for the
-- per-user limit; changed by a conditional upsert in the buy's transaction.
CREATE TABLE flash_sale_buyers (
    sale_id INTEGER NOT NULL REFERENCES flash_sales(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    bought INTEGER NOT NULL CHECK (bought >= 0),
    PRIMARY KEY (sale_id, user_id)
);

ALTER TABLE orders ADD COLUMN flash_sale_id INTEGER REFERENCES flash_sales(id);
CREATE INDEX orders_flash_sale ON orders (flash_sale_id) WHERE flash_sale_id IS NOT NULL;
CREATE INDEX orders_live_room ON orders (live_room_id) WHERE live_room_id IS NOT NULL;

-- The stock ledger learns a new cause: a flash sale (cause_id is the sale).
-- SQLite cannot change a CHECK in place, so the table is rebuilt.
CREATE TABLE stock_movements_new (
    id INTEGER PRIMARY KEY,
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    kind TEXT NOT NULL CHECK (kind IN ('receive', 'adjust', 'reserve', 'release', 'sell', 'return')),
    quantity INTEGER NOT NULL CHECK (quantity <> 0 AND (kind = 'adjust' OR quantity > 0)),
    cause TEXT NOT NULL CHECK (cause IN ('staff', 'order', 'refund', 'flash_sale')),
    cause_id INTEGER,
    actor_id INTEGER REFERENCES users(id),
    at INTEGER NOT NULL
);
INSERT INTO stock_movements_new (id, sku_id, kind, quantity, cause, cause_id, actor_id, at)
SELECT id, sku_id, kind, quantity, cause, cause_id, actor_id, at FROM stock_movements;
DROP TABLE stock_movements;
ALTER TABLE stock_movements_new RENAME TO stock_movements;
CREATE INDEX stock_movements_sku ON stock_movements (sku_id, id);

-- The lease on starting and ending flash sales on time (one node at a time).
INSERT INTO job_leases (name, holder, expires_at) VALUES ('flash_sales', '', 0);
