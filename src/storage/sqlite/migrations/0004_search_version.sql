-- A counter of changes that can change search results (which products match,
-- in which order, with which facet counts). Searches cache their results
-- under it; item details (stock, pictures, names) are always read fresh.
CREATE TABLE search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO search_version (id, n) VALUES (1, 0);

CREATE TRIGGER search_version_product_insert AFTER INSERT ON products BEGIN
    UPDATE search_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER search_version_product_delete AFTER DELETE ON products BEGIN
    UPDATE search_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER search_version_product_update
AFTER UPDATE OF search_tokens, category_id, on_sale, min_price_fen, shop_id ON products BEGIN
    UPDATE search_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER search_version_shop_update AFTER UPDATE OF status, kind, region_code ON shops BEGIN
    UPDATE search_version SET n = n + 1 WHERE id = 1;
END;

-- Facet counts read only the products' own columns, grouped per shop.
CREATE INDEX products_facets ON products (on_sale, shop_id, category_id, min_price_fen);
