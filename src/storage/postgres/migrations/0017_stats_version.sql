-- A counter of changes to the statistics of months that are over. Payments
-- and refunds only ever add to the current month, so the sums of finished
-- months are kept in memory under this counter; the historical import and
-- `goji stats verify --rebuild` (which can change any month) bump it, and so
-- does renaming a category (the groups carry its names).
CREATE TABLE stats_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO stats_version (id, n) VALUES (1, 0);

CREATE FUNCTION stats_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE stats_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER stats_version_category_update AFTER UPDATE OF name_zh, name_ug, name_en ON categories
FOR EACH STATEMENT EXECUTE FUNCTION stats_version_bump();
