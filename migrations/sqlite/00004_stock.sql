-- +goose Up
-- Stock (issue 4): locations, balances and the movement ledger they sum up.
-- A balance row always equals the sum of its movements; `portal stock verify`
-- and the tests check it.
CREATE TABLE stock_locations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    supplier_id INTEGER UNIQUE REFERENCES suppliers(id),
    created_at  DATETIME NOT NULL
);

CREATE TABLE stock_balances (
    product_id  INTEGER NOT NULL REFERENCES products(id),
    location_id INTEGER NOT NULL REFERENCES stock_locations(id),
    physical    INTEGER NOT NULL DEFAULT 0,
    reserved    INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (product_id, location_id)
);
CREATE INDEX stock_balances_location ON stock_balances (location_id);

CREATE TABLE stock_movements (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id     INTEGER NOT NULL REFERENCES products(id),
    location_id    INTEGER NOT NULL REFERENCES stock_locations(id),
    source         TEXT NOT NULL CHECK (source IN ('invoice_entry','order','purchase_order','picking','spreadsheet','manual','inventory')),
    physical_delta INTEGER NOT NULL,
    reserved_delta INTEGER NOT NULL,
    physical_after INTEGER NOT NULL,
    reserved_after INTEGER NOT NULL,
    reference      TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    user_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor          TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL
);
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_reference ON stock_movements (reference);

-- Products whose available stock changed and must be pushed to the platforms.
-- One row per product however many changes happened: pushes are coalesced.
CREATE TABLE stock_changes (
    product_id INTEGER PRIMARY KEY REFERENCES products(id),
    changed_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE stock_changes;
DROP TABLE stock_movements;
DROP TABLE stock_balances;
DROP TABLE stock_locations;
