-- After the payment: shipping, receipt, refunds and reviews.
ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN tracking_no TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN shipped_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN delivered_at INTEGER NOT NULL DEFAULT 0;
-- Σ approved refunds of the order; never above total_fen.
ALTER TABLE orders ADD COLUMN refunded_fen INTEGER NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0);
-- The settling job: shipped orders received automatically, delivered ones completed.
CREATE INDEX orders_settle ON orders (status, updated_at);

-- A refund remembers the state its order was in, to go back there when it
-- is refused or partial; decided_at is when the money went back (approved).
ALTER TABLE refunds ADD COLUMN prior_status TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN restocked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN decided_by INTEGER REFERENCES users(id);
ALTER TABLE refunds ADD COLUMN decided_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN note TEXT NOT NULL DEFAULT '';
UPDATE refunds SET decided_at = created_at WHERE status = 'approved';
CREATE INDEX refunds_status ON refunds (status, id);

-- One review per order item, after delivery.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    sku_id INTEGER NOT NULL REFERENCES skus(id),
    product_id INTEGER NOT NULL REFERENCES products(id),
    buyer_id INTEGER NOT NULL REFERENCES users(id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (order_id, sku_id)
);
CREATE INDEX reviews_product ON reviews (product_id, id);
ALTER TABLE products ADD COLUMN review_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN rating_sum INTEGER NOT NULL DEFAULT 0;

INSERT INTO job_leases (name, holder, expires_at) VALUES ('settle_orders', '', 0);
INSERT INTO job_leases (name, holder, expires_at) VALUES ('reconcile_payments', '', 0);
