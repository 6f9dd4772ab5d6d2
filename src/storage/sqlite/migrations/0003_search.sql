-- Product search: an FTS5 index over the tokens the catalog computes
-- (characters, bigrams, pinyin, initials, words), kept in step by triggers.
CREATE VIRTUAL TABLE products_fts USING fts5(
    search_tokens,
    content = 'products',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (rowid, search_tokens) VALUES (new.id, new.search_tokens);
END;

CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens);
END;

CREATE TRIGGER products_fts_update AFTER UPDATE OF search_tokens ON products BEGIN
    INSERT INTO products_fts (products_fts, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens);
    INSERT INTO products_fts (rowid, search_tokens) VALUES (new.id, new.search_tokens);
END;

INSERT INTO products_fts (products_fts) VALUES ('rebuild');

CREATE INDEX products_listing ON products (on_sale, id);
CREATE INDEX products_sales ON products (sales, id);
CREATE INDEX products_price ON products (min_price_fen, id);
