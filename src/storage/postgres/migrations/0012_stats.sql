-- Statistics: daily figures kept in the same transaction as the payment or
-- refund that changes them, so a dashboard sums a few rows per day instead
-- of scanning orders. `day` is the Asia/Shanghai calendar day as YYYYMMDD.

-- Sales by the shop's side: its region (township or village code), the
-- top-level category of the order, the shop's kind, the channel and the
-- poverty-relief flag. Refunds land on the day the money went back.
CREATE TABLE sales_daily (
    day INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    category_id INTEGER NOT NULL,
    seller_kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('shop', 'live')),
    poverty_relief INTEGER NOT NULL,
    gross_fen BIGINT NOT NULL DEFAULT 0,
    refunds_fen BIGINT NOT NULL DEFAULT 0,
    orders BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, category_id, seller_kind, channel, poverty_relief)
);

-- Residents' online consumption: orders shipped into a region, by the
-- order's price tier (its highest unit price).
CREATE TABLE consumption_daily (
    day INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('low', 'medium', 'high')),
    gross_fen BIGINT NOT NULL DEFAULT 0,
    refunds_fen BIGINT NOT NULL DEFAULT 0,
    orders BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, region_code, tier)
);

-- Historical sales imported from CSV, once per external id.
CREATE TABLE imported_orders (
    external_id TEXT PRIMARY KEY,
    shop_id BIGINT NOT NULL REFERENCES shops(id),
    paid_at BIGINT NOT NULL,
    total_fen BIGINT NOT NULL CHECK (total_fen >= 0),
    refunded_fen BIGINT NOT NULL CHECK (refunded_fen >= 0 AND refunded_fen <= total_fen),
    refunded_at BIGINT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    buyer_region_code TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('shop', 'live')),
    max_unit_price_fen BIGINT NOT NULL CHECK (max_unit_price_fen >= 0),
    imported_at BIGINT NOT NULL
);
