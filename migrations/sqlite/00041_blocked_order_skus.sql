-- +goose Up
-- Every SKU an order was blocked for, not only the first (blocked_orders.sku
-- keeps the first): the blocked queue groups the orders under each missing
-- SKU, and an order is fixed when all of its SKUs exist (model.BlockedOrder).
CREATE TABLE blocked_order_skus (
    platform_id INTEGER NOT NULL,
    external_id TEXT NOT NULL,
    sku         TEXT NOT NULL,
    PRIMARY KEY (platform_id, external_id, sku),
    FOREIGN KEY (platform_id, external_id) REFERENCES blocked_orders (platform_id, external_id) ON DELETE CASCADE
);
INSERT INTO blocked_order_skus (platform_id, external_id, sku)
SELECT platform_id, external_id, sku FROM blocked_orders WHERE reason = 'unknown_sku' AND sku <> '';

-- +goose Down
DROP TABLE blocked_order_skus;
