package tabular

import (
	"errors"
	"fmt"
)

// Error is a problem found in the input, with a message in Brazilian
// Portuguese that can be shown to the user as is.
//
// Line is the spreadsheet row number (header = 1); it is 0 for problems that
// concern the whole file. Column is the column name as written in the file's
// header (or the expected name when the column is missing); it may be empty.
type Error struct {
	Line    int
	Column  string
	Message string

	cause error // value error kind for Row.Centavos/Row.Quantity
}

// Unwrap lets errors.Is match ErrEmpty, ErrInvalid, ... on the errors of
// Row.Centavos and Row.Quantity.
func (e *Error) Unwrap() error { return e.cause }

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("linha %d, coluna %q: %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("linha %d: %s", e.Line, e.Message)
	case e.Column != "":
		return fmt.Sprintf("coluna %q: %s", e.Column, e.Message)
	default:
		return e.Message
	}
}

func fileError(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Kinds of value errors returned by ParseCentavos, ParseQuantity and their
// Number variants. Test with errors.Is; the error text itself is a Portuguese
// message naming the field ("preço ...", "quantidade ...").
var (
	ErrEmpty     = errors.New("valor ausente")
	ErrInvalid   = errors.New("valor inválido")
	ErrNegative  = errors.New("valor negativo")
	ErrPrecision = errors.New("mais de duas casas decimais")
	ErrFraction  = errors.New("valor fracionado")
	ErrOverflow  = errors.New("valor grande demais")
)

// valueError carries a Portuguese message and one of the kinds above.
type valueError struct {
	kind error
	msg  string
}

func (e *valueError) Error() string { return e.msg }
func (e *valueError) Unwrap() error { return e.kind }
