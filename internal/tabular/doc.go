// Package tabular reads spreadsheets the way Brazilian users really export
// them: CSV files saved by Excel or LibreOffice (UTF-8 with or without BOM,
// Windows-1252/ISO-8859-1, ";" "," or tab as delimiter) and .xlsx workbooks.
//
// The package is pure: no database, no HTTP. It is shared by the price-table
// upload, the catalog import and the supplier stock feed.
//
// Typical use:
//
//	rd, err := tabular.NewReader(file, size, tabular.Options{Columns: []tabular.Column{
//		{Key: "codigo", Aliases: []string{"cod", "sku", "cod fornecedor"}, Required: true},
//		{Key: "preco", Aliases: []string{"preço", "valor", "preco venda"}, Required: true},
//	}})
//	if err != nil { return err } // *tabular.Error, message in Portuguese
//	defer rd.Close()
//	for {
//		row, err := rd.Next()
//		if err == io.EOF { break }
//		if err != nil { return err } // fatal, stop reading
//		if len(row.Problems) > 0 || row.RaggedError() != nil { /* reject the row */ }
//		price, err := row.Centavos("preco") // *tabular.Error with line and column
//		...
//	}
//
// The format is decided by content (see [Sniff]), never by file name.
// CSV input is streamed: memory does not grow with the number of lines.
// XLSX input is read with excelize, whose memory is bounded by the
// compressed file size plus the unzip limits (big worksheets are spooled to
// a temporary file by excelize), and rows are streamed with excelize's Rows.
//
// Line numbers ([Row.Line], [Error.Line]) are the row numbers the user sees
// when opening the file in a spreadsheet program: the header is line 1 when
// it is the first line, blank lines count, and a CSV record whose quoted
// field contains line breaks occupies a single line (as in Excel).
package tabular
