-- +goose Up
-- A platform SKU that names an existing catalog product under another code
-- (vínculo de SKU): an order whose item carries the platform SKU imports as
-- that product instead of blocking as an unknown SKU. One product per
-- platform SKU on each platform; a product may have several.
CREATE TABLE sku_aliases (
    id           BIGSERIAL PRIMARY KEY,
    platform_id  BIGINT NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,
    platform_sku TEXT NOT NULL,
    product_id   BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (platform_id, platform_sku)
);
CREATE INDEX sku_aliases_product ON sku_aliases (product_id);

-- +goose Down
DROP TABLE sku_aliases;
