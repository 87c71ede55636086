package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/tabular"
)

// jsonNames maps every accepted key, normalized, to its column key.
var jsonNames = func() map[string]string {
	m := map[string]string{}
	for _, c := range columns {
		for _, n := range append([]string{c.Key}, c.Aliases...) {
			m[tabular.NormalizeHeader(n)] = c.Key
		}
	}
	return m
}()

func columnKeys() string {
	keys := make([]string, len(columns))
	for i, c := range columns {
		keys[i] = c.Key
	}
	return strings.Join(keys, ", ")
}

// ImportJSON reads a JSON array of catalog rows, [{"sku": "…", "name": "…",
// "supplier_cnpj": "…", "dropship": true}, …], and applies it like a file:
// same validation, same all-or-nothing rule. The keys are the column names
// of a file (any case); a missing or null key keeps the product's value. The
// "line" of a problem is the item's position in the array, from 1.
// Broken JSON is an EMALFORMED error.
func (s *Service) ImportJSON(ctx context.Context, r io.Reader, source string) (*Report, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, apperr.Errorf(apperr.EMALFORMED, `O corpo deve ser um array JSON de produtos: [{"sku": "…", "name": "…"}, …].`)
	}
	rep := &Report{Source: source, Format: "JSON"}
	err := s.importRows(ctx, rep, func(add func(inputRow) error) error {
		n := 0
		for dec.More() {
			if n >= MaxRows {
				return apperr.Invalid(fmt.Sprintf("A lista tem mais de %s produtos; divida-a em envios menores. Nenhum produto foi aplicado.", format.Int(MaxRows)))
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return malformedJSON(n+1, err)
			}
			n++
			if err := add(rowFromJSON(n, raw)); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return malformedJSON(n+1, err)
		}
		if _, err := dec.Token(); err != io.EOF {
			return apperr.Errorf(apperr.EMALFORMED, "JSON inválido: há conteúdo depois do fim do array.")
		}
		if n == 0 {
			return apperr.Invalid("A lista de produtos está vazia.")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func malformedJSON(item int, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return apperr.Wrap(err, apperr.EMALFORMED, fmt.Sprintf("JSON inválido no item %d: %v.", item, err))
	}
	return apperr.Wrap(err, apperr.EMALFORMED, fmt.Sprintf("JSON inválido no item %d.", item))
}

// rowFromJSON reads one item of the array into a inputRow; what is wrong with
// its shape becomes a problem of its line.
func rowFromJSON(line int, raw json.RawMessage) inputRow {
	row := inputRow{Line: line}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		row.Problems = append(row.Problems, "O item deve ser um objeto JSON com os campos do catálogo ("+columnKeys()+").")
		return row
	}
	names := make([]string, 0, len(obj))
	for k := range obj {
		names = append(names, k)
	}
	sort.Strings(names) // problems in a stable order
	for _, name := range names {
		key, ok := jsonNames[tabular.NormalizeHeader(name)]
		if !ok {
			row.Problems = append(row.Problems, fmt.Sprintf("Campo desconhecido: %q (campos aceitos: %s).", name, columnKeys()))
			continue
		}
		v := bytes.TrimSpace(obj[name])
		c := row.cell(key)
		switch {
		case len(v) == 0 || string(v) == "null":
			// absent: keep the current value
		case v[0] == '"':
			var str string
			if err := json.Unmarshal(v, &str); err != nil {
				row.Problems = append(row.Problems, fmt.Sprintf("Valor inválido no campo %s.", key))
				continue
			}
			*c = inputCell{Value: str, Present: true}
		case string(v) == "true" || string(v) == "false":
			*c = inputCell{Value: string(v), Present: true}
		case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
			*c = inputCell{Value: string(v), Present: true, Number: true}
		default:
			row.Problems = append(row.Problems, fmt.Sprintf("O campo %s deve ser texto, número ou booleano.", key))
		}
	}
	return row
}
