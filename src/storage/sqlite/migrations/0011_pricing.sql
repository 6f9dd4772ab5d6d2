-- Shipping-fee templates: one per shop, a rule per group of provinces and
-- one default rule (provinces '') for every province no other rule names.
CREATE TABLE shipping_templates (
    shop_id INTEGER PRIMARY KEY REFERENCES shops(id),
    free_over_fen INTEGER NOT NULL CHECK (free_over_fen >= 0),
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL
);

CREATE TABLE shipping_rules (
    shop_id INTEGER NOT NULL REFERENCES shipping_templates(shop_id),
    position INTEGER NOT NULL,
    provinces TEXT NOT NULL,  -- two-digit province codes separated by commas; '' is the default rule
    first_weight_g INTEGER NOT NULL CHECK (first_weight_g > 0),
    first_fen INTEGER NOT NULL CHECK (first_fen >= 0),
    additional_weight_g INTEGER NOT NULL CHECK (additional_weight_g > 0),
    additional_fen INTEGER NOT NULL CHECK (additional_fen >= 0),
    remote INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, position)
);

-- Coupons of a shop (shop_id) or of the platform (shop_id NULL). Claims are
-- issued by a conditional update of issued_count, so never more than
-- total_count exist.
CREATE TABLE coupons (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    shop_id INTEGER REFERENCES shops(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('fixed', 'percent')),
    amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    percent_off INTEGER NOT NULL DEFAULT 0 CHECK (percent_off >= 0 AND percent_off < 100),
    max_discount_fen INTEGER NOT NULL DEFAULT 0 CHECK (max_discount_fen >= 0),
    min_spend_fen INTEGER NOT NULL DEFAULT 0 CHECK (min_spend_fen >= 0),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    per_user_limit INTEGER NOT NULL CHECK (per_user_limit > 0),
    total_count INTEGER NOT NULL CHECK (total_count > 0),
    issued_count INTEGER NOT NULL DEFAULT 0 CHECK (issued_count >= 0 AND issued_count <= total_count),
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX coupons_shop ON coupons (shop_id, id);

-- A buyer's claim of a coupon; used while checkout_id is set (order_id: the
-- order a shop coupon discounted; a platform coupon names only the checkout).
CREATE TABLE coupon_claims (
    id INTEGER PRIMARY KEY,
    coupon_id INTEGER NOT NULL REFERENCES coupons(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    claimed_at INTEGER NOT NULL,
    order_id INTEGER REFERENCES orders(id),
    checkout_id INTEGER REFERENCES checkouts(id),
    discount_fen INTEGER NOT NULL DEFAULT 0 CHECK (discount_fen >= 0)
);
CREATE INDEX coupon_claims_coupon_user ON coupon_claims (coupon_id, user_id);
CREATE INDEX coupon_claims_user ON coupon_claims (user_id, id);
CREATE INDEX coupon_claims_order ON coupon_claims (order_id);
CREATE INDEX coupon_claims_checkout ON coupon_claims (checkout_id);
