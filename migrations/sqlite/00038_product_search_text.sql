-- +goose Up
-- PostgreSQL stores the catalog's search text in a generated column; SQLite
-- searches through products_fts (00034) and needs nothing here.
SELECT 1;

-- +goose Down
SELECT 1;
