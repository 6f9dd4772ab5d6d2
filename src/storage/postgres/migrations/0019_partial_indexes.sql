-- The jobs' indexes hold only the rows the jobs look for. Each of them used
-- to hold every row with its status in front, so a payment moved an order's
-- entries in two of them, a payment's in one and a notification's in one,
-- and every new row added them all; now a row enters the index it waits in
-- and leaves it when it stops waiting.
DROP INDEX orders_unpaid;
CREATE INDEX orders_unpaid ON orders (expires_at) WHERE status = 'pending_payment';
DROP INDEX orders_settle;
CREATE INDEX orders_shipped ON orders (shipped_at) WHERE status = 'shipped';
CREATE INDEX orders_delivered ON orders (delivered_at) WHERE status = 'delivered';
DROP INDEX payments_pending;
CREATE INDEX payments_pending ON payments (created_at) WHERE status = 'pending';
DROP INDEX sandbox_charges_due;
CREATE INDEX sandbox_charges_due ON sandbox_charges (next_attempt_at) WHERE delivered_at = 0;
