-- A counter of changes that can change search results (which products match,
-- in which order, with which facet counts). Searches cache their results
-- under it; item details (stock, pictures, names) are always read fresh.
CREATE TABLE search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO search_version (id, n) VALUES (1, 0);

CREATE FUNCTION search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER search_version_product_change
AFTER INSERT OR DELETE OR UPDATE OF search_tokens, category_id, on_sale, min_price_fen, shop_id ON products
FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump();
CREATE TRIGGER search_version_shop_change AFTER UPDATE OF status, kind, region_code ON shops
FOR EACH STATEMENT EXECUTE FUNCTION search_version_bump();

-- Facet counts read only the products' own columns, grouped per shop.
CREATE INDEX products_facets ON products (on_sale, shop_id, category_id, min_price_fen);
