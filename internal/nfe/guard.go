package nfe

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Namespace is the XML namespace of NF-e documents.
const Namespace = "http://www.portalfiscal.inf.br/nfe"

// Defaults for Options.
const (
	DefaultMaxBytes = 5 << 20 // 5 MiB; real NF-e files with 990 items stay well below
	DefaultMaxDepth = 64      // the layout nests about 8 levels; the signature about 6
	DefaultMaxItems = 990     // the layout's maximum number of det elements
)

// Options tune Check and Parse. The zero value uses the defaults above.
type Options struct {
	MaxBytes int64 // larger input is refused without being read to its end
	MaxDepth int   // maximum element nesting
	MaxItems int   // maximum number of det elements
	// RequireProtocol makes a bare NFe (no protNFe) a problem, not_authorized.
	// Without it the document is still valid and Document.Authorized is false.
	RequireProtocol bool
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxItems <= 0 {
		o.MaxItems = DefaultMaxItems
	}
	return o
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// read takes at most o.MaxBytes from r.
func read(r io.Reader, o Options) ([]byte, *Problem) {
	data, err := io.ReadAll(io.LimitReader(r, o.MaxBytes+1))
	if err != nil {
		return nil, &Problem{CodeReadError, fmt.Sprintf("não foi possível ler o arquivo: %v", err)}
	}
	if int64(len(data)) > o.MaxBytes {
		return nil, &Problem{CodeTooLarge, fmt.Sprintf("o arquivo passa do limite de %s", byteSize(o.MaxBytes))}
	}
	return data, nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

type encodingError struct{ label string }

func (e encodingError) Error() string {
	return fmt.Sprintf("codificação %q não aceita; a NF-e deve estar em UTF-8", e.label)
}

func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// Only UTF-8 (which the decoder reads without asking) is accepted.
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		return nil, encodingError{label}
	}
	return d
}

// scanned is what the token pre-pass learnt about a well-formed document.
type scanned struct {
	root     xml.Name
	wrongNS  string // "<NFe> no namespace \"x\"" for the first NF-e element outside Namespace
	detCount int
}

// nsChecked are the elements whose namespace must be Namespace; descendants
// inherit it unless they declare another one, which the layout never does
// except for the signature.
var nsChecked = map[string]bool{"nfeProc": true, "NFe": true, "infNFe": true, "protNFe": true, "infProt": true}

// scan walks every token before anything is decoded into structs, so that
// hostile input is refused cheaply: declarations (DOCTYPE, ENTITY: no entity
// is ever expanded), excessive nesting, too many items, and anything that is
// not well-formed UTF-8 XML with a single root.
func scan(data []byte, o Options) (scanned, *Problem) {
	var s scanned
	d := newDecoder(data)
	var stack []string
	roots := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, malformed(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= o.MaxDepth {
				return s, &Problem{CodeTooDeep, fmt.Sprintf("o XML tem elementos aninhados em mais de %d níveis", o.MaxDepth)}
			}
			if len(stack) == 0 {
				if roots++; roots > 1 {
					return s, &Problem{CodeMalformed, fmt.Sprintf("XML malformado (linha %d): mais de um elemento raiz", inputLine(d))}
				}
				s.root = t.Name
			}
			if t.Name.Local == "det" && len(stack) > 0 && stack[len(stack)-1] == "infNFe" {
				if s.detCount++; s.detCount > o.MaxItems {
					return s, &Problem{CodeTooManyItems, fmt.Sprintf("a NF-e tem mais de %d itens (det), o máximo do leiaute", o.MaxItems)}
				}
			}
			if len(stack) < 3 && nsChecked[t.Name.Local] && t.Name.Space != Namespace && s.wrongNS == "" {
				ns := t.Name.Space
				if ns == "" {
					s.wrongNS = fmt.Sprintf("o elemento <%s> está sem namespace; esperado %s", t.Name.Local, Namespace)
				} else {
					s.wrongNS = fmt.Sprintf("o elemento <%s> está no namespace %q; esperado %s", t.Name.Local, ns, Namespace)
				}
			}
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.Directive:
			return s, &Problem{CodeDoctype, "declarações <!DOCTYPE> e <!ENTITY> não são aceitas em NF-e"}
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return s, &Problem{CodeMalformed, fmt.Sprintf("XML malformado (linha %d): texto fora do elemento raiz", inputLine(d))}
			}
		}
	}
	if roots == 0 {
		return s, &Problem{CodeMalformed, "o arquivo não contém nenhum elemento XML"}
	}
	return s, nil
}

func malformed(err error) *Problem {
	var enc encodingError
	if errors.As(err, &enc) {
		return &Problem{CodeMalformed, enc.Error()}
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Problem{CodeMalformed, fmt.Sprintf("XML malformado (linha %d): %s", se.Line, strings.TrimPrefix(se.Msg, "xml: "))}
	}
	return &Problem{CodeMalformed, fmt.Sprintf("XML malformado: %v", err)}
}

func inputLine(d *xml.Decoder) int {
	l, _ := d.InputPos()
	return l
}
