package nfe_test

import "github.com/connectparts/portal/internal/nfe/nfetest"

// The documents these tests write come from nfetest, shared with the
// purchase-order tests; the short names keep the tables readable.
type (
	fakeItem = nfetest.Item
	fakeNFe  = nfetest.Doc
)

func validNFe() *fakeNFe { return nfetest.Valid() }

const (
	testNS     = nfetest.Namespace
	issuerCNPJ = nfetest.IssuerCNPJ
	alphaCNPJ  = nfetest.AlphaCNPJ
	buyerCNPJ  = nfetest.BuyerCNPJ
	validCPF   = nfetest.ValidCPF
)
