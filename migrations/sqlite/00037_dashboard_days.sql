-- +goose Up
-- The dashboard's figures of past days (issue 13): placed_at, created_at,
-- dispatched_at and shipped_at are set once, so a past São Paulo day's
-- counts are kept in dashboard_days (store.DashboardFigures) and read
-- instead of counting the day's rows again on every view. Each past day has
-- a generation in dashboard_day_gens, bumped by the triggers below when a
-- write touches that day's figures; cached rows of another generation are
-- recomputed. Days from today on are never bumped (never cached), so the
-- everyday write path writes nothing more.
CREATE TABLE dashboard_days (
    day         TEXT    NOT NULL,
    figure      TEXT    NOT NULL,
    supplier_id INTEGER NOT NULL DEFAULT 0,
    n           INTEGER NOT NULL,
    gen         INTEGER NOT NULL,
    PRIMARY KEY (day, figure, supplier_id)
);
CREATE TABLE dashboard_day_gens (
    day TEXT PRIMARY KEY,
    gen INTEGER NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER dashboard_sales_orders_insert AFTER INSERT ON sales_orders BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', NEW.placed_at, '-3 hours') AS d)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dashboard_sales_orders_delete AFTER DELETE ON sales_orders BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', OLD.placed_at, '-3 hours') AS d)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', dispatched_at, '-3 hours') AS d FROM purchase_orders WHERE sales_order_id = OLD.id UNION SELECT strftime('%Y-%m-%d', shipped_at, '-3 hours') FROM purchase_orders WHERE sales_order_id = OLD.id)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dashboard_sales_orders_placed AFTER UPDATE OF placed_at ON sales_orders
WHEN OLD.placed_at IS NOT NEW.placed_at BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', OLD.placed_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', NEW.placed_at, '-3 hours') AS d)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dashboard_sales_orders_paid AFTER UPDATE OF paid_at ON sales_orders
WHEN OLD.paid_at IS NOT NEW.paid_at BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', dispatched_at, '-3 hours') AS d FROM purchase_orders WHERE sales_order_id = NEW.id UNION SELECT strftime('%Y-%m-%d', shipped_at, '-3 hours') FROM purchase_orders WHERE sales_order_id = NEW.id)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dashboard_purchase_orders_insert AFTER INSERT ON purchase_orders BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', NEW.created_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', NEW.dispatched_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', NEW.shipped_at, '-3 hours') AS d)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dashboard_purchase_orders_delete AFTER DELETE ON purchase_orders BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', OLD.created_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', OLD.dispatched_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', OLD.shipped_at, '-3 hours') AS d)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER dashboard_purchase_orders_update AFTER UPDATE OF created_at, dispatched_at, shipped_at, billed_at, dispatch_hours, supplier_id, sales_order_id ON purchase_orders
WHEN OLD.created_at IS NOT NEW.created_at
    OR OLD.dispatched_at IS NOT NEW.dispatched_at
    OR OLD.shipped_at IS NOT NEW.shipped_at
    OR OLD.billed_at IS NOT NEW.billed_at
    OR OLD.dispatch_hours IS NOT NEW.dispatch_hours
    OR OLD.supplier_id IS NOT NEW.supplier_id
    OR OLD.sales_order_id IS NOT NEW.sales_order_id BEGIN
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT d, 1 FROM (SELECT strftime('%Y-%m-%d', OLD.created_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', OLD.dispatched_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', OLD.shipped_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', NEW.created_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', NEW.dispatched_at, '-3 hours') AS d UNION SELECT strftime('%Y-%m-%d', NEW.shipped_at, '-3 hours') AS d)
    WHERE d IS NOT NULL AND d < strftime('%Y-%m-%d', 'now', '-3 hours')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1;
END;
-- +goose StatementEnd


-- +goose Down
DROP TRIGGER dashboard_purchase_orders_update;
DROP TRIGGER dashboard_purchase_orders_delete;
DROP TRIGGER dashboard_purchase_orders_insert;
DROP TRIGGER dashboard_sales_orders_paid;
DROP TRIGGER dashboard_sales_orders_placed;
DROP TRIGGER dashboard_sales_orders_delete;
DROP TRIGGER dashboard_sales_orders_insert;
DROP TABLE dashboard_day_gens;
DROP TABLE dashboard_days;
