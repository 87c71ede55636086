-- +goose Up
-- A price table read from an ERP's export: the XLSX sheet read and the lines
-- left out of the data (a title above the header, summary lines after the
-- data), shown with the preview.
ALTER TABLE price_tables ADD COLUMN file_sheet TEXT NOT NULL DEFAULT '';
ALTER TABLE price_tables ADD COLUMN ignored_lines TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE price_tables DROP COLUMN ignored_lines;
ALTER TABLE price_tables DROP COLUMN file_sheet;
