-- Stock as an append-only ledger of movements per SKU, with the current
-- figures kept beside it in the same transaction:
--   skus.stock     available to buy
--   skus.reserved  held by unpaid orders
--   skus.sold      paid for
-- receive/adjust add to (or take from) available; reserve moves available →
-- reserved; release reserved → available; sell reserved → sold; return
-- sold → available. So available + reserved + sold = what was received and
-- adjusted, and each figure equals the sum of its movements (`goji check
-- stock` verifies both).
ALTER TABLE skus ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0);
ALTER TABLE skus ADD COLUMN sold INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0);

CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY,
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    kind TEXT NOT NULL CHECK (kind IN ('receive', 'adjust', 'reserve', 'release', 'sell', 'return')),
    quantity INTEGER NOT NULL CHECK (quantity <> 0 AND (kind = 'adjust' OR quantity > 0)),
    cause TEXT NOT NULL CHECK (cause IN ('staff', 'order', 'refund')),
    cause_id INTEGER,
    actor_id INTEGER REFERENCES users(id),
    at INTEGER NOT NULL
);
CREATE INDEX stock_movements_sku ON stock_movements (sku_id, id);

-- Stock that existed before the ledger: received by the shop's staff.
INSERT INTO stock_movements (sku_id, kind, quantity, cause, at)
SELECT id, 'receive', stock, 'staff', 0 FROM skus WHERE stock > 0;
