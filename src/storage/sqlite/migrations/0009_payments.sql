-- One payment per checkout: what the buyer pays for all of its orders.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    checkout_id INTEGER NOT NULL UNIQUE REFERENCES checkouts(id),
    buyer_id INTEGER NOT NULL REFERENCES users(id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    provider TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'paid')),
    provider_ref TEXT NOT NULL DEFAULT '',
    paid_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX payments_pending ON payments (status, created_at);

-- Money owed back to a buyer: asked for, or automatic (a payment that
-- arrived after its order was cancelled).
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'refused', 'paid_back')),
    automatic INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);

-- The sandbox payment provider's own books (a stand-in for the outside
-- world): charges the payer made and the notifications it still owes Goji.
CREATE TABLE sandbox_charges (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL UNIQUE,
    amount_fen INTEGER NOT NULL,
    paid_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sandbox_charges_due ON sandbox_charges (delivered_at, next_attempt_at);

-- The sandbox's notification sender runs on one node at a time.
INSERT INTO job_leases (name, holder, expires_at) VALUES ('sandbox_notify', '', 0);
