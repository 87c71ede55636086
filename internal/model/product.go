package model

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/gtin"
)

// Product is one item of ConnectParts' catalog. SKU is ConnectParts' own code
// (the refId of the VTEX store); SupplierCode is the supplier's code for the
// same product, the common key of price tables and stock feeds.
type Product struct {
	ID           int64
	SKU          string `gorm:"column:sku"`
	Name         string
	Brand        string
	EAN          string `gorm:"column:ean"` // GTIN-8/12/13/14, or "" when the product has none
	NCM          string `gorm:"column:ncm"` // 8 digits, no punctuation
	SupplierID   *int64
	SupplierCode string
	Dropship     bool // sold by the supplier shipping straight to the customer
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Supplier *Supplier `gorm:"foreignKey:SupplierID"`
}

// Field limits of a product.
const (
	MaxSKULen          = 60
	MaxProductNameLen  = 200
	MaxBrandLen        = 100
	MaxSupplierCodeLen = 60
)

// Normalize trims the product's fields and brings EAN and NCM to their plain
// form: "SEM GTIN" (the NF-e placeholder) means no EAN, and the NCM loses the
// dots of its usual "8421.31.00" spelling.
func (p *Product) Normalize() {
	p.SKU = strings.TrimSpace(p.SKU)
	p.Name = strings.TrimSpace(p.Name)
	p.Brand = strings.TrimSpace(p.Brand)
	p.EAN = gtin.Normalize(p.EAN)
	if gtin.IsNone(p.EAN) {
		p.EAN = ""
	}
	p.NCM = NormalizeNCM(p.NCM)
	p.SupplierCode = strings.TrimSpace(p.SupplierCode)
}

// NormalizeNCM removes the spaces, dots and dashes people write in an NCM.
func NormalizeNCM(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '-', ' ':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// Validate checks a product and lists every problem by field.
func (p *Product) Validate() error {
	d := p.Problems()
	if len(d) > 0 {
		return apperr.Invalid("Corrija os campos destacados.", d...)
	}
	return nil
}

// Problems lists what is wrong with the product, one detail per field (the
// catalog import reports them per line).
func (p *Product) Problems() []apperr.Detail {
	var d []apperr.Detail
	add := func(field, msg string) { d = append(d, apperr.Detail{Field: field, Message: msg}) }
	switch {
	case p.SKU == "":
		add("sku", "Informe o SKU.")
	case utf8.RuneCountInString(p.SKU) > MaxSKULen:
		add("sku", fmt.Sprintf("O SKU deve ter no máximo %d caracteres.", MaxSKULen))
	case strings.IndexFunc(p.SKU, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		add("sku", "O SKU não pode conter espaços nem caracteres especiais invisíveis.")
	}
	switch {
	case p.Name == "":
		add("name", "Informe o nome do produto.")
	case utf8.RuneCountInString(p.Name) > MaxProductNameLen:
		add("name", fmt.Sprintf("O nome deve ter no máximo %d caracteres.", MaxProductNameLen))
	}
	if utf8.RuneCountInString(p.Brand) > MaxBrandLen {
		add("brand", fmt.Sprintf("A marca deve ter no máximo %d caracteres.", MaxBrandLen))
	}
	if msg := CheckEAN(p.EAN); msg != "" {
		add("ean", msg)
	}
	if p.NCM != "" && !ValidNCM(p.NCM) {
		add("ncm", fmt.Sprintf("O NCM deve ter exatamente 8 dígitos (recebido: %q).", p.NCM))
	}
	switch {
	case utf8.RuneCountInString(p.SupplierCode) > MaxSupplierCodeLen:
		add("supplier_code", fmt.Sprintf("O código do fornecedor deve ter no máximo %d caracteres.", MaxSupplierCodeLen))
	case p.SupplierCode != "" && p.SupplierID == nil:
		add("supplier_id", "Informe o fornecedor a que pertence o código do fornecedor.")
	}
	if p.Dropship {
		if p.SupplierID == nil && p.SupplierCode == "" {
			add("supplier_id", "Produto dropship precisa de fornecedor e do código do produto no fornecedor.")
		} else if p.SupplierID == nil {
			add("supplier_id", "Produto dropship precisa de fornecedor.")
		} else if p.SupplierCode == "" {
			add("supplier_code", "Produto dropship precisa do código do produto no fornecedor.")
		}
	}
	return d
}

// CheckEAN returns "" for an empty or valid GTIN, or a Portuguese explanation.
func CheckEAN(ean string) string {
	if ean == "" || gtin.Valid(ean) {
		return ""
	}
	for i := 0; i < len(ean); i++ {
		if ean[i] < '0' || ean[i] > '9' {
			return fmt.Sprintf("EAN/GTIN inválido (%q): use apenas dígitos.", ean)
		}
	}
	switch len(ean) {
	case 8, 12, 13, 14:
		if strings.Trim(ean, "0") == "" {
			return "EAN/GTIN inválido: um código só de zeros não identifica produto."
		}
		return fmt.Sprintf("EAN/GTIN inválido (%s): o dígito verificador não confere.", ean)
	}
	return fmt.Sprintf("EAN/GTIN inválido (%s): deve ter 8, 12, 13 ou 14 dígitos, e tem %d.", ean, len(ean))
}

// ValidNCM reports whether s is an NCM code: exactly 8 digits.
func ValidNCM(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
