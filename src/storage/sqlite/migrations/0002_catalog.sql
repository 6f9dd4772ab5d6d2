-- Catalog: categories (seeded), shops and their staff, products with SKUs,
-- images and traceable batches.
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES categories(id),
    slug TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_ug TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort INTEGER NOT NULL DEFAULT 0
);

INSERT INTO categories (id, parent_id, slug, name_zh, name_ug, name_en, sort) VALUES
    (1, NULL, 'dried-fruit', '干果', 'قۇرۇق مېۋە', 'Dried fruit', 1),
    (11, 1, 'wolfberry', '枸杞', 'گوجى مېۋىسى', 'Wolfberry (goji)', 1),
    (111, 11, 'wolfberry-red', '红枸杞', 'قىزىل گوجى', 'Red wolfberry', 1),
    (112, 11, 'wolfberry-black', '黑枸杞', 'قارا گوجى', 'Black wolfberry', 2),
    (12, 1, 'jujube', '红枣', 'چىلان', 'Jujube', 2),
    (13, 1, 'raisins', '葡萄干', 'مەيىز', 'Raisins', 3),
    (14, 1, 'dried-apricots', '杏干', 'ئۆرۈك قېقى', 'Dried apricots', 4),
    (2, NULL, 'nuts', '坚果', 'ياڭاق-مېغىز', 'Nuts', 2),
    (21, 2, 'walnuts', '核桃', 'ياڭاق', 'Walnuts', 1),
    (22, 2, 'almonds', '巴旦木', 'بادام', 'Almonds', 2),
    (3, NULL, 'honey', '蜂蜜', 'ھەسەل', 'Honey', 3),
    (4, NULL, 'lamb-beef', '牛羊肉', 'قوي ۋە كالا گۆشى', 'Lamb and beef', 4),
    (41, 4, 'lamb', '羊肉', 'قوي گۆشى', 'Lamb', 1),
    (42, 4, 'beef', '牛肉', 'كالا گۆشى', 'Beef', 2),
    (5, NULL, 'grains-oils', '粮油', 'ئاشلىق ۋە ياغ', 'Grains and oils', 5),
    (51, 5, 'rice', '大米', 'گۈرۈچ', 'Rice', 1),
    (52, 5, 'flour', '面粉', 'ئۇن', 'Flour', 2),
    (53, 5, 'cooking-oil', '食用油', 'يېمەكلىك ياغ', 'Cooking oil', 3),
    (6, NULL, 'cotton-goods', '棉制品', 'پاختا بۇيۇملىرى', 'Cotton goods', 6),
    (7, NULL, 'handicrafts', '手工艺品', 'قول ھۈنەر بۇيۇملىرى', 'Handicrafts', 7),
    (8, NULL, 'general-goods', '日用百货', 'كۈندىلىك بۇيۇملار', 'General goods', 8),
    (81, 8, 'phones', '手机', 'يانفون', 'Phones', 1),
    (82, 8, 'furniture', '家具', 'ئۆي جاھازلىرى', 'Furniture', 2),
    (83, 8, 'lighting', '灯具', 'چىراغلار', 'Lighting', 3),
    (84, 8, 'appliances', '家用电器', 'ئائىلە ئېلېكتر سايمانلىرى', 'Home appliances', 4),
    (85, 8, 'clothing', '服装', 'كىيىم-كېچەك', 'Clothing', 5);

CREATE TABLE shops (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('farmer', 'cooperative', 'company', 'wholesaler')),
    region_code TEXT NOT NULL,
    poverty_relief INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    reject_reason TEXT NOT NULL DEFAULT '',
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX shops_status_region ON shops (status, region_code);
CREATE INDEX shops_owner ON shops (owner_id);

CREATE TABLE shop_staff (
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, user_id)
);
CREATE INDEX shop_staff_user ON shop_staff (user_id);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    origin_region_code TEXT NOT NULL,
    on_sale INTEGER NOT NULL DEFAULT 1,
    min_price_fen INTEGER NOT NULL,
    sales INTEGER NOT NULL DEFAULT 0,
    search_tokens TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX products_shop ON products (shop_id, id);

CREATE TABLE skus (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    spec TEXT NOT NULL,
    price_fen INTEGER NOT NULL CHECK (price_fen > 0),
    stock INTEGER NOT NULL CHECK (stock >= 0),
    weight_g INTEGER NOT NULL CHECK (weight_g > 0),
    position INTEGER NOT NULL
);
CREATE INDEX skus_product ON skus (product_id, position);

CREATE TABLE product_images (
    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    position INTEGER NOT NULL,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, content_hash)
);

CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    product_id INTEGER NOT NULL REFERENCES products(id),
    harvested_on TEXT NOT NULL,
    origin_region_code TEXT NOT NULL,
    certification TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX batches_product ON batches (product_id);
