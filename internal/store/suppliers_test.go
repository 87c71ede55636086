package store_test

import (
	"testing"

	"github.com/connectparts/portal/internal/store"
)

// A CNPJ typed with its punctuation, numeric or alphanumeric, in any case,
// finds its supplier.
func TestListSuppliersFindsAFormattedCNPJ(t *testing.T) {
	f := newProductFixture(t)
	for q, want := range map[string]int64{
		"11.222.333/0001-81": f.a.ID,
		"222.333":            f.a.ID,
		"12.abc.345/01de-35": f.b.ID,
		"Fornecedor B":       f.b.ID,
	} {
		got, total, err := f.st.ListSuppliers(f.ctx, store.SupplierFilter{Query: q}, store.Page{Size: 10})
		if err != nil || total != 1 || got[0].ID != want {
			t.Errorf("search %q: %+v %d %v", q, got, total, err)
		}
	}
}
