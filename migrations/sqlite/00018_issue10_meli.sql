-- +goose Up
-- po_at: the sales-order status at which purchase orders are raised
-- (issue 10, CONTRACT.md). Existing platforms take the default, after the
-- platform's cancellation window.
ALTER TABLE platforms ADD COLUMN po_at TEXT NOT NULL DEFAULT 'ready_for_handling'
    CHECK (po_at IN ('ready_for_handling','payment_approved'));

-- logistics: who ships a sales order and with whose label (model.Logistics):
-- '' the supplier, 'platform_label' Mercado Envios 2 / Flex, 'platform_fulfils'
-- Mercado Livre Full (no PO, no supplier stock).
ALTER TABLE sales_orders ADD COLUMN logistics TEXT NOT NULL DEFAULT ''
    CHECK (logistics IN ('','platform_label','platform_fulfils'));

-- po_platform_labels: the shipment label the platform issued for a PO's
-- sales order (Mercado Envios 2: /shipment_labels after the billing NF-e),
-- one row per format, the file kept under the data directory like the
-- suppliers' labels (po_shipments.label_path).
CREATE TABLE po_platform_labels (
    po_id       INTEGER NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    format      TEXT NOT NULL CHECK (format IN ('pdf','zpl')),
    shipment_id TEXT NOT NULL,
    kind        TEXT NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    fetched_at  DATETIME NOT NULL,
    PRIMARY KEY (po_id, format)
);

-- +goose Down
DROP TABLE po_platform_labels;
ALTER TABLE sales_orders DROP COLUMN logistics;
ALTER TABLE platforms DROP COLUMN po_at;
