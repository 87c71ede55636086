package model_test

import (
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
)

func TestProductValidate(t *testing.T) {
	sup := int64(7)
	valid := func() model.Product {
		return model.Product{SKU: "CP-1", Name: "Filtro de óleo", EAN: "7891000000014", NCM: "84212300",
			SupplierID: &sup, SupplierCode: "F-1", Dropship: true, Active: true}
	}
	cases := []struct {
		name   string
		change func(p *model.Product)
		field  string // "" = valid
		msg    string
	}{
		{"valid", func(p *model.Product) {}, "", ""},
		{"no EAN", func(p *model.Product) { p.EAN = "" }, "", ""},
		{"SEM GTIN means none", func(p *model.Product) { p.EAN = " sem gtin " }, "", ""},
		{"NCM with dots", func(p *model.Product) { p.NCM = "8421.23.00" }, "", ""},
		{"own stock without supplier", func(p *model.Product) { p.Dropship, p.SupplierID, p.SupplierCode = false, nil, "" }, "", ""},
		{"missing SKU", func(p *model.Product) { p.SKU = "  " }, "sku", "Informe o SKU."},
		{"SKU with space", func(p *model.Product) { p.SKU = "CP 1" }, "sku", "espaços"},
		{"long SKU", func(p *model.Product) { p.SKU = strings.Repeat("A", 61) }, "sku", "60"},
		{"missing name", func(p *model.Product) { p.Name = "" }, "name", "Informe o nome"},
		{"bad check digit", func(p *model.Product) { p.EAN = "7891000000015" }, "ean", "dígito verificador"},
		{"EAN length", func(p *model.Product) { p.EAN = "78910000" + "001" }, "ean", "8, 12, 13 ou 14"},
		{"EAN letters", func(p *model.Product) { p.EAN = "789100000001X" }, "ean", "apenas dígitos"},
		{"EAN zeros", func(p *model.Product) { p.EAN = "0000000000000" }, "ean", "zeros"},
		{"NCM short", func(p *model.Product) { p.NCM = "8421230" }, "ncm", "8 dígitos"},
		{"NCM letters", func(p *model.Product) { p.NCM = "8421230A" }, "ncm", "8 dígitos"},
		{"dropship without supplier", func(p *model.Product) { p.SupplierID = nil; p.SupplierCode = "" }, "supplier_id", "fornecedor"},
		{"dropship without code", func(p *model.Product) { p.SupplierCode = "" }, "supplier_code", "código"},
		{"code without supplier", func(p *model.Product) { p.Dropship, p.SupplierID = false, nil }, "supplier_id", "fornecedor"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := valid()
			tc.change(&p)
			p.Normalize()
			err := p.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v %+v", err, apperr.Details(err))
				}
				return
			}
			if !apperr.Is(err, apperr.EINVALID) {
				t.Fatalf("want EINVALID, got %v", err)
			}
			for _, d := range apperr.Details(err) {
				if d.Field == tc.field && strings.Contains(d.Message, tc.msg) {
					return
				}
			}
			t.Fatalf("no %s detail containing %q in %+v", tc.field, tc.msg, apperr.Details(err))
		})
	}
}

func TestProductNormalize(t *testing.T) {
	p := model.Product{SKU: " CP-9 ", Name: " Vela ", EAN: "\u00a07891000000021 ", NCM: "8511.10.00", SupplierCode: " X "}
	p.Normalize()
	if p.SKU != "CP-9" || p.Name != "Vela" || p.EAN != "7891000000021" || p.NCM != "85111000" || p.SupplierCode != "X" {
		t.Fatalf("normalized: %+v", p)
	}
}
