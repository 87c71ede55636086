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
    day         TEXT   NOT NULL,
    figure      TEXT   NOT NULL,
    supplier_id BIGINT NOT NULL DEFAULT 0,
    n           BIGINT NOT NULL,
    gen         BIGINT NOT NULL,
    PRIMARY KEY (day, figure, supplier_id)
);
CREATE TABLE dashboard_day_gens (
    day TEXT PRIMARY KEY,
    gen BIGINT NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION dashboard_bump(stamps timestamptz[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO dashboard_day_gens (day, gen)
    SELECT DISTINCT to_char(t AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM-DD'), 1 FROM unnest(stamps) AS t
    WHERE t IS NOT NULL
      AND to_char(t AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM-DD') < to_char(now() AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM-DD')
    ON CONFLICT (day) DO UPDATE SET gen = dashboard_day_gens.gen + 1
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION dashboard_sales_orders_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stamps timestamptz[] := ARRAY[]::timestamptz[];
    so_id  BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        stamps := stamps || OLD.placed_at;
        so_id := OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        stamps := stamps || NEW.placed_at;
        so_id := NEW.id;
    END IF;
    -- the payment time is where the lead times of the order's POs start
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.paid_at IS DISTINCT FROM NEW.paid_at) THEN
        stamps := stamps || ARRAY(SELECT dispatched_at FROM purchase_orders WHERE sales_order_id = so_id)
                         || ARRAY(SELECT shipped_at FROM purchase_orders WHERE sales_order_id = so_id);
    END IF;
    PERFORM dashboard_bump(stamps);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER dashboard_sales_orders_write AFTER INSERT OR DELETE ON sales_orders
    FOR EACH ROW EXECUTE FUNCTION dashboard_sales_orders_bump();
CREATE TRIGGER dashboard_sales_orders_update AFTER UPDATE OF placed_at, paid_at ON sales_orders
    FOR EACH ROW WHEN (OLD.placed_at IS DISTINCT FROM NEW.placed_at OR OLD.paid_at IS DISTINCT FROM NEW.paid_at)
    EXECUTE FUNCTION dashboard_sales_orders_bump();

-- +goose StatementBegin
CREATE FUNCTION dashboard_purchase_orders_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    stamps timestamptz[] := ARRAY[]::timestamptz[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        stamps := stamps || ARRAY[OLD.created_at, OLD.dispatched_at, OLD.shipped_at];
    END IF;
    IF TG_OP <> 'DELETE' THEN
        stamps := stamps || ARRAY[NEW.created_at, NEW.dispatched_at, NEW.shipped_at];
    END IF;
    PERFORM dashboard_bump(stamps);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER dashboard_purchase_orders_write AFTER INSERT OR DELETE ON purchase_orders
    FOR EACH ROW EXECUTE FUNCTION dashboard_purchase_orders_bump();
CREATE TRIGGER dashboard_purchase_orders_update
    AFTER UPDATE OF created_at, dispatched_at, shipped_at, billed_at, dispatch_hours, supplier_id, sales_order_id ON purchase_orders
    FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.dispatched_at IS DISTINCT FROM NEW.dispatched_at
        OR OLD.shipped_at IS DISTINCT FROM NEW.shipped_at OR OLD.billed_at IS DISTINCT FROM NEW.billed_at
        OR OLD.dispatch_hours IS DISTINCT FROM NEW.dispatch_hours OR OLD.supplier_id IS DISTINCT FROM NEW.supplier_id
        OR OLD.sales_order_id IS DISTINCT FROM NEW.sales_order_id)
    EXECUTE FUNCTION dashboard_purchase_orders_bump();

-- +goose Down
DROP TRIGGER dashboard_purchase_orders_update ON purchase_orders;
DROP TRIGGER dashboard_purchase_orders_write ON purchase_orders;
DROP FUNCTION dashboard_purchase_orders_bump();
DROP TRIGGER dashboard_sales_orders_update ON sales_orders;
DROP TRIGGER dashboard_sales_orders_write ON sales_orders;
DROP FUNCTION dashboard_sales_orders_bump();
DROP FUNCTION dashboard_bump(timestamptz[]);
DROP TABLE dashboard_day_gens;
DROP TABLE dashboard_days;
