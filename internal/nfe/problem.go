package nfe

import (
	"fmt"

	"github.com/connectparts/portal/internal/apperr"
)

// Problem is one thing wrong with an NF-e file: a stable code for programs
// and a Portuguese message for people.
type Problem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Problem codes. They are part of the portal's stable surface (the CLI and
// the API show them): add new ones, never rename.
const (
	// The file could not be read or is not an XML document we will look into.
	CodeReadError    = "read_error"        // the reader failed (or the CLI could not open the file)
	CodeEmptyFile    = "empty_file"        // nothing but white space
	CodeTooLarge     = "xml_too_large"     // over Options.MaxBytes
	CodeTooDeep      = "xml_too_deep"      // elements nested deeper than Options.MaxDepth
	CodeDoctype      = "doctype_forbidden" // any <!DOCTYPE …>/<!ENTITY …> declaration
	CodeTooManyItems = "too_many_items"    // more than Options.MaxItems det elements
	CodeMalformed    = "malformed_xml"     // not well-formed XML, or not UTF-8
	CodeNotNFe       = "not_nfe"           // the root is not <NFe> or <nfeProc>, or there is no infNFe

	// The document is an NF-e, with problems.
	CodeWrongNamespace     = "wrong_namespace"     // NFe/nfeProc/protNFe outside http://www.portalfiscal.inf.br/nfe
	CodeUnsupportedVersion = "unsupported_version" // layout other than 4.00
	CodeWrongModel         = "wrong_model"         // mod other than 55 (65 is NFC-e)
	CodeMissingField       = "missing_field"       // a required element is absent or empty
	CodeInvalidField       = "invalid_field"       // a value that does not fit its layout type
	CodeTooManyDecimals    = "too_many_decimals"   // more decimal places than the layout allows

	CodeKeyFormat        = "key_format"      // infNFe@Id is not "NFe" + 44 valid characters
	CodeKeyCheckDigit    = "key_check_digit" // the key's last digit is not its cDV
	CodeKeyMismatchUF    = "key_mismatch_cuf"
	CodeKeyMismatchAAMM  = "key_mismatch_aamm" // against the year and month of dhEmi
	CodeKeyMismatchCNPJ  = "key_mismatch_cnpj" // against emit/CNPJ (or "000" + emit/CPF)
	CodeKeyMismatchModel = "key_mismatch_mod"
	CodeKeyMismatchSerie = "key_mismatch_serie"
	CodeKeyMismatchNNF   = "key_mismatch_nnf"
	CodeKeyMismatchTpEm  = "key_mismatch_tpemis"
	CodeKeyMismatchCNF   = "key_mismatch_cnf"
	CodeKeyMismatchCDV   = "key_mismatch_cdv" // against ide/cDV

	CodeIssuerCNPJ        = "issuer_cnpj_invalid"
	CodeIssuerCPF         = "issuer_cpf_invalid"
	CodeRecipientDocument = "recipient_document_invalid" // dest/CNPJ or dest/CPF fails its check digits

	CodeItemNumber    = "item_number_invalid"   // det@nItem not 1..990 or repeated
	CodeItemTotal     = "item_total_mismatch"   // qCom × vUnCom differs from vProd by more than R$ 0,01
	CodeTotalMismatch = "total_mismatch"        // ICMSTot/vProd ≠ Σ item vProd, or vNF ≠ its formula
	CodeIBSCBSTotal   = "ibscbs_total_mismatch" // a total/IBSCBSTot amount ≠ the sum of the items' IBSCBS

	CodeProtocolKey    = "protocol_key_mismatch" // protNFe/infProt/chNFe ≠ the key
	CodeProtocolStatus = "protocol_status"       // cStat other than 100 or 150
	CodeNotAuthorized  = "not_authorized"        // no protocol, only when Options.RequireProtocol
)

// Err turns problems into an application error for the API (422, or 413 for
// an oversized file): nil when there are none. Each problem becomes a
// detail whose Field is the problem code.
func Err(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	code := apperr.EINVALID
	details := make([]apperr.Detail, len(problems))
	for i, p := range problems {
		details[i] = apperr.Detail{Field: p.Code, Message: p.Message}
		if p.Code == CodeTooLarge {
			code = apperr.ETOOLARGE
		}
	}
	// The summary counts; the problems themselves are the details, which
	// every page and API answer lists (a summary quoting the first one made
	// the page say it twice).
	msg := "A NF-e foi recusada: 1 problema."
	if len(problems) > 1 {
		msg = fmt.Sprintf("A NF-e foi recusada: %d problemas.", len(problems))
	}
	return &apperr.Error{Code: code, Message: msg, Details: details}
}

// problems collects every problem found; validation never stops at the first.
type problems []Problem

func (ps *problems) add(code, format string, args ...any) {
	*ps = append(*ps, Problem{Code: code, Message: fmt.Sprintf(format, args...)})
}
