// Package catalog imports ConnectParts' product catalog from spreadsheets
// (CSV or XLSX, read with internal/tabular) and from the JSON rows of the API,
// and reports the result line by line.
//
// An import is all or nothing. Every line is read and validated first; the
// catalog changes, in one transaction, only when no line has a problem. A file
// with a single bad line applies nothing, and the report lists every problem
// with its line number, so that the user fixes the file and sends it again
// whole. Applying the good lines of a partly wrong file would leave the
// catalog half updated, and the corrected file sent afterwards would mix
// changes with lines already applied.
//
// Each line upserts one product by SKU. Columns (or JSON keys) absent from
// the input leave an existing product's value as it is; a present but empty
// cell clears the value (or, for name and SKU, is a problem).
package catalog
