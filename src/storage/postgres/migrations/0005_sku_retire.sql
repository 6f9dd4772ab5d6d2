-- SKUs a seller removes are retired, not deleted: orders (and their
-- history) keep pointing at them. 0 = on offer.
ALTER TABLE skus ADD COLUMN retired_at BIGINT NOT NULL DEFAULT 0;
