-- Statistics by calendar month, kept beside the daily figures in the same
-- transaction. Every period a dashboard asks for (month, quarter, year) is
-- whole months, so a year of a county sums twelve months of rows instead of
-- 365 days of them. `month` is the Asia/Shanghai month as YYYYMM.
CREATE TABLE sales_monthly (
    month INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    category_id INTEGER NOT NULL,
    seller_kind TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('shop', 'live')),
    poverty_relief INTEGER NOT NULL,
    gross_fen BIGINT NOT NULL DEFAULT 0,
    refunds_fen BIGINT NOT NULL DEFAULT 0,
    orders BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, region_code, category_id, seller_kind, channel, poverty_relief)
);

CREATE TABLE consumption_monthly (
    month INTEGER NOT NULL,
    region_code TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('low', 'medium', 'high')),
    gross_fen BIGINT NOT NULL DEFAULT 0,
    refunds_fen BIGINT NOT NULL DEFAULT 0,
    orders BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, region_code, tier)
);

INSERT INTO sales_monthly (month, region_code, category_id, seller_kind, channel, poverty_relief, gross_fen,
                           refunds_fen, orders)
SELECT day / 100, region_code, category_id, seller_kind, channel, poverty_relief, SUM(gross_fen), SUM(refunds_fen),
       SUM(orders)
FROM sales_daily GROUP BY day / 100, region_code, category_id, seller_kind, channel, poverty_relief;

INSERT INTO consumption_monthly (month, region_code, tier, gross_fen, refunds_fen, orders)
SELECT day / 100, region_code, tier, SUM(gross_fen), SUM(refunds_fen), SUM(orders)
FROM consumption_daily GROUP BY day / 100, region_code, tier;
