-- Product search: the tokens the catalog computes (characters, bigrams,
-- pinyin, initials, words) taken as lexemes as they are, without a text
-- search parser, so both databases index exactly the same words.
ALTER TABLE products
    ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (array_to_tsvector(string_to_array(search_tokens, ' '))) STORED;
CREATE INDEX products_search ON products USING GIN (search_vector);

CREATE INDEX products_listing ON products (on_sale, id);
CREATE INDEX products_sales ON products (sales, id);
CREATE INDEX products_price ON products (min_price_fen, id);
