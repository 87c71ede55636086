package nfe_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/nfe"
	"github.com/connectparts/portal/internal/nfe/nfetest"
)

func codes(ps []nfe.Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func checkString(s string, opts nfe.Options) (*nfe.Document, []nfe.Problem) {
	return nfe.Check(strings.NewReader(s), opts)
}

func TestFixtures(t *testing.T) {
	const layout4Key = "43180906929383000163550010000000261000010301"
	tests := []struct {
		file       string
		problems   []nfe.Problem
		authorized bool
		key        string
		version    string
		totalCents int64
	}{
		{file: "nfephp-org__sped-nfe__nfe_layout4.xml", key: layout4Key, version: "4.00", totalCents: 50000},
		{file: "nfephp-org__sped-nfe__nfe_layout4_com_prot.xml", key: layout4Key, version: "4.00", totalCents: 50000, authorized: true},
		{file: "nfephp-org__sped-nfe__nfe_4.0.xml", key: "32191107670813000825550010059062251133037938", version: "4.00", totalCents: 4079,
			problems: []nfe.Problem{
				{Code: "key_check_digit", Message: "dígito verificador da chave é 8, esperado 3"},
				{Code: "key_mismatch_cnpj", Message: "a chave de acesso traz o CNPJ 07670813000825, mas o emitente (emit/CNPJ) é 07670813000823"},
				{Code: "issuer_cnpj_invalid", Message: "CNPJ do emitente 07670813000823 inválido: dígitos verificadores do CNPJ não conferem"},
				// The anonymised recipient CPF has 12 digits.
				{Code: "recipient_document_invalid", Message: "CPF do destinatário 014345733812 inválido"},
			}},
		{file: "nfephp-org__sped-nfe__2017protocoled.xml", key: "35170358716523000119550010000000301000000300", version: "3.10", totalCents: 1946630,
			authorized: true, // a genuine 3.10 protocol; the version is what is refused
			problems: []nfe.Problem{
				{Code: "unsupported_version", Message: "versão 3.10 do leiaute da NF-e não é aceita; só a 4.00"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			doc, problems := nfe.Check(f, nfe.Options{})
			if doc == nil {
				t.Fatalf("no document; problems %v", problems)
			}
			if want := tt.problems; !slices.Equal(problems, want) && !(len(problems) == 0 && len(want) == 0) {
				t.Errorf("problems\n got %q\nwant %q", problems, want)
			}
			if doc.Key != tt.key || doc.Version != tt.version || doc.Totals.InvoiceCents != tt.totalCents {
				t.Errorf("key %s version %s total %d", doc.Key, doc.Version, doc.Totals.InvoiceCents)
			}
			if doc.Authorized() != tt.authorized {
				t.Errorf("authorized = %v, want %v", doc.Authorized(), tt.authorized)
			}
		})
	}
}

func TestFixtureWithProtocolDetails(t *testing.T) {
	data, err := os.ReadFile("testdata/nfephp-org__sped-nfe__nfe_layout4_com_prot.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc, problems := nfe.Parse(data, nfe.Options{RequireProtocol: true})
	if len(problems) != 0 {
		t.Fatalf("problems: %v", problems)
	}
	p := doc.Protocol
	if p == nil || p.Status != 100 || p.Number != "143180006932433" || p.Key != doc.Key || p.Environment != 2 ||
		!p.ReceivedAt.Equal(time.Date(2018, 9, 25, 19, 21, 5, 0, time.UTC)) {
		t.Errorf("protocol %+v", p)
	}
	if doc.Model != 55 || doc.Series != 1 || doc.Number != 26 || doc.Code != "00001030" || doc.Environment != 2 ||
		doc.IssuedAt.Format(time.RFC3339) != "2018-09-25T00:00:00-03:00" {
		t.Errorf("ide: %+v", doc)
	}
	if doc.Issuer.CNPJ != "06929383000163" || doc.Issuer.IE != "0018000762" || doc.Issuer.Address.UF != "RS" ||
		doc.Recipient.CNPJ != "58716523000119" || doc.Recipient.IEIndicator != 1 || doc.Recipient.Address.CityCode != "3550308" {
		t.Errorf("parties: %+v / %+v", doc.Issuer, doc.Recipient)
	}
	it := doc.Items[0]
	if len(doc.Items) != 1 || it.N != 1 || it.Code != "11007" || it.EAN != "SEM GTIN" || it.GTIN() != "" || it.CFOP != "6101" ||
		it.Quantity.String() != "10.0000" || it.UnitPrice.String() != "50" || it.TotalCents != 50000 || !it.InTotal {
		t.Errorf("item %+v", it)
	}
	if doc.Totals != (nfe.Totals{ProductsCents: 50000, InvoiceCents: 50000}) {
		t.Errorf("totals %+v", doc.Totals)
	}
	// The bare NFe has no protocol: valid, unless a protocol is required.
	data, _ = os.ReadFile("testdata/nfephp-org__sped-nfe__nfe_layout4.xml")
	if _, problems := nfe.Parse(data, nfe.Options{RequireProtocol: true}); !slices.Equal(codes(problems), []string{"not_authorized"}) {
		t.Errorf("bare NFe with RequireProtocol: %v", problems)
	}
}

func TestGeneratedValid(t *testing.T) {
	for _, tt := range []struct {
		name       string
		edit       func(*fakeNFe)
		authorized bool
	}{
		{"bare NFe", func(f *fakeNFe) {}, false},
		{"nfeProc authorised", func(f *fakeNFe) { f.Proc = true }, true},
		{"authorised late (150)", func(f *fakeNFe) { f.Proc, f.CStat = true, "150" }, true},
		{"alphanumeric issuer CNPJ", func(f *fakeNFe) { f.Proc, f.EmitCNPJ = true, alphaCNPJ }, true},
		{"issuer with CPF", func(f *fakeNFe) { f.EmitCNPJ, f.EmitCPF = "", validCPF }, false},
		{"recipient with CPF", func(f *fakeNFe) { f.DestCNPJ, f.DestCPF = "", validCPF }, false},
		{"discount and IPI in vNF", func(f *fakeNFe) { f.VDesc, f.VIPI = "10.00", "7.25" }, false},
		{"item total within R$ 0,01", func(f *fakeNFe) { f.Items[0].VProd = "179.81" }, false},
		{"unknown elements (other groups, other namespaces) beside the tax reform's", func(f *fakeNFe) {
			f.Proc = true
			nfetest.WithIBSCBS(t, f)
			f.ExtraDet = `<impostoDevol><pDevol>0.00</pDevol></impostoDevol><infAdProd>lote 7</infAdProd>`
			f.ExtraTotal = `<retTrib><vRetPIS>0.00</vRetPIS></retTrib>`
			f.ExtraInf = `<infAdic><infCpl>Pedido PC-000123</infCpl></infAdic><compra><xPed>PC-000123</xPed></compra>` +
				`<infRespTec><CNPJ>` + issuerCNPJ + `</CNPJ><xContato>Suporte</xContato></infRespTec>` +
				`<x:extensao xmlns:x="urn:example:outro" x:attr="1"><x:qualquer>1</x:qualquer></x:extensao>`
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := validNFe()
			tt.edit(f)
			doc, problems := checkString(f.XML(t), nfe.Options{})
			if len(problems) != 0 {
				t.Fatalf("problems: %q", problems)
			}
			if doc.Authorized() != tt.authorized {
				t.Errorf("authorized = %v", doc.Authorized())
			}
			if doc.Key != f.Key() || nfe.CheckKey(doc.Key) != "" {
				t.Errorf("key %s", doc.Key)
			}
		})
	}
}

func TestGeneratedExtraction(t *testing.T) {
	f := validNFe()
	f.Proc, f.EmitCNPJ = true, alphaCNPJ
	doc, problems := checkString(f.XML(t), nfe.Options{})
	if len(problems) != 0 {
		t.Fatal(problems)
	}
	if !strings.Contains(doc.Key, alphaCNPJ) || doc.Issuer.CNPJ != alphaCNPJ || doc.Issuer.Name != "FREIOS & CIA LTDA" {
		t.Errorf("issuer %+v key %s", doc.Issuer, doc.Key)
	}
	if doc.IssuedAt.Format(time.RFC3339) != "2026-07-10T10:30:00-03:00" || doc.Number != 1234 || doc.Series != 1 {
		t.Errorf("ide %v %d %d", doc.IssuedAt, doc.Number, doc.Series)
	}
	want := nfe.Totals{ProductsCents: 18080, FreightCents: 1550, InvoiceCents: 19630}
	if doc.Totals != want {
		t.Errorf("totals %+v", doc.Totals)
	}
	it := doc.Items[1]
	if it.N != 2 || it.Quantity.String() != "3" || it.UnitPrice.String() != "0.3333333333" || it.TotalCents != 100 ||
		it.OrderRef != "PC-000123" || it.OrderItem != "2" || it.GTIN() != "" || it.Unit != "UN" {
		t.Errorf("item %+v", it)
	}
	if q, ok := doc.Items[0].Quantity.Int64(); !ok || q != 2 {
		t.Errorf("quantity as integer: %d %v", q, ok)
	}
	if c, ok := doc.Items[0].UnitPrice.Cents(); !ok || c != 8990 {
		t.Errorf("unit price in cents: %d %v", c, ok)
	}
	if refs := doc.OrderRefs(); !slices.Equal(refs, []string{"PC-000123"}) {
		t.Errorf("order refs %v", refs)
	}
	if !nfe.IsSupplierSale(it.CFOP) {
		t.Errorf("CFOP %s", it.CFOP)
	}
}

// TestGeneratedProblems breaks a correct NF-e in one way at a time and
// expects exactly the matching problems, nothing else.
func TestGeneratedProblems(t *testing.T) {
	otherDigit := func(c byte) string { return strconv.Itoa((int(c-'0') + 1) % 10) }
	tests := []struct {
		name string
		edit func(*fakeNFe)
		opts nfe.Options
		want []string
		msg  string // the first problem's exact message, when set
	}{
		{name: "wrong namespace", edit: func(f *fakeNFe) { f.NS = "http://www.portalfiscal.inf.br/nfe/v2" },
			want: []string{"wrong_namespace"},
			msg:  `o elemento <NFe> está no namespace "http://www.portalfiscal.inf.br/nfe/v2"; esperado http://www.portalfiscal.inf.br/nfe`},
		{name: "no namespace", edit: func(f *fakeNFe) { f.NS, f.Proc = "", true }, want: []string{"wrong_namespace"},
			msg: "o elemento <nfeProc> está sem namespace; esperado http://www.portalfiscal.inf.br/nfe"},
		{name: "NFC-e (model 65)", edit: func(f *fakeNFe) { f.Mod = "65" }, want: []string{"wrong_model"},
			msg: "modelo 65 (NFC-e) não é aceito; envie NF-e modelo 55"},
		{name: "model 57", edit: func(f *fakeNFe) { f.Mod = "57" }, want: []string{"wrong_model"},
			msg: "modelo 57 não é aceito; envie NF-e modelo 55"},
		{name: "version 3.10", edit: func(f *fakeNFe) { f.Version, f.Proc = "3.10", true }, want: []string{"unsupported_version"},
			msg: "versão 3.10 do leiaute da NF-e não é aceita; só a 4.00"},
		{name: "bad check digit", edit: func(f *fakeNFe) {
			f.EditKey = func(k string) string { return k[:43] + otherDigit(k[43]) }
		}, want: []string{"key_check_digit"}},
		{name: "key without NFe prefix", edit: func(f *fakeNFe) {
			f.EditKey = func(k string) string { return k[:43] } // 43 characters
		}, want: []string{"key_format"}},
		{name: "lower-case letter in key", edit: func(f *fakeNFe) {
			f.EmitCNPJ = alphaCNPJ
			f.EditKey = func(k string) string { return strings.Replace(k, "ABC", "aBC", 1) }
		}, want: []string{"key_format"}},
		{name: "key cUF", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.UF = "43" } },
			want: []string{"key_mismatch_cuf"}, msg: "a chave de acesso traz cUF 43, mas ide/cUF é 35"},
		{name: "key AAMM", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.YearMonth = "2606" } },
			want: []string{"key_mismatch_aamm"}, msg: "a chave de acesso traz o ano e mês (AAMM) 2606, mas ide/dhEmi é de 07/2026"},
		{name: "key CNPJ", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.Issuer = buyerCNPJ } },
			want: []string{"key_mismatch_cnpj"}},
		{name: "key CPF", edit: func(f *fakeNFe) {
			f.EmitCNPJ, f.EmitCPF = "", validCPF
			f.KeyParts = func(p *nfe.KeyParts) { p.Issuer = "00152998224726" }
		}, want: []string{"key_mismatch_cnpj"}},
		{name: "key mod", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.Model = "65" } },
			want: []string{"key_mismatch_mod"}},
		{name: "key serie", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.Series = "002" } },
			want: []string{"key_mismatch_serie"}, msg: "a chave de acesso traz a série 002, mas ide/serie é 1"},
		{name: "key nNF", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.Number = "000001235" } },
			want: []string{"key_mismatch_nnf"}},
		{name: "key tpEmis", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.EmissionType = "9" } },
			want: []string{"key_mismatch_tpemis"}},
		{name: "key cNF", edit: func(f *fakeNFe) { f.KeyParts = func(p *nfe.KeyParts) { p.Code = "87654321" } },
			want: []string{"key_mismatch_cnf"}},
		{name: "ide cDV", edit: func(f *fakeNFe) { f.CDV = otherDigit(f.Key()[43]) }, want: []string{"key_mismatch_cdv"}},
		{name: "protocol of another key", edit: func(f *fakeNFe) {
			f.Proc = true
			g := validNFe()
			g.NNF = "999"
			f.ProtKey = g.Key()
		}, want: []string{"protocol_key_mismatch"}},
		{name: "use denied (110)", edit: func(f *fakeNFe) { f.Proc, f.CStat = true, "110" }, want: []string{"protocol_status"},
			msg: "a NF-e não está autorizada: a SEFAZ respondeu 110 (Uso Denegado)"},
		{name: "nfeProc without protNFe", edit: func(f *fakeNFe) { f.Proc, f.NoProt = true, true }, want: []string{"missing_field"},
			msg: "campo obrigatório ausente: protNFe (protocolo de autorização)"},
		{name: "bare NFe when a protocol is required", edit: func(f *fakeNFe) {}, opts: nfe.Options{RequireProtocol: true},
			want: []string{"not_authorized"}},
		{name: "item total off by R$ 0,02", edit: func(f *fakeNFe) { f.Items[0].VProd = "179.82" }, want: []string{"item_total_mismatch"},
			msg: "item 1: vProd é R$ 179,82, mas qCom × vUnCom = 2.0000 × 89.9000000000 = R$ 179,80 (tolerância de R$ 0,01)"},
		{name: "products total off", edit: func(f *fakeNFe) { f.VProd, f.VNF = "180.90", "196.40" }, want: []string{"total_mismatch"},
			msg: "a soma dos itens (vProd) é R$ 180,80, mas o total dos produtos (ICMSTot/vProd) é R$ 180,90"},
		{name: "vNF off", edit: func(f *fakeNFe) { f.VNF = "196.31" }, want: []string{"total_mismatch"},
			msg: "o valor total da nota (vNF) é R$ 196,31, mas vProd + vFrete = R$ 196,30"},
		{name: "missing emit CNPJ", edit: func(f *fakeNFe) { f.EmitCNPJ = "" }, want: []string{"missing_field"},
			msg: "campo obrigatório ausente: emit/CNPJ (ou emit/CPF)"},
		{name: "issuer CNPJ check digits", edit: func(f *fakeNFe) { f.EmitCNPJ = "12ABC34501DE36" }, want: []string{"issuer_cnpj_invalid"},
			msg: "CNPJ do emitente 12ABC34501DE36 inválido: dígitos verificadores do CNPJ não conferem"},
		{name: "issuer CPF check digits", edit: func(f *fakeNFe) { f.EmitCNPJ, f.EmitCPF = "", "52998224726" },
			want: []string{"issuer_cpf_invalid"}},
		{name: "recipient CNPJ check digits", edit: func(f *fakeNFe) { f.DestCNPJ = "58716523000118" },
			want: []string{"recipient_document_invalid"}},
		{name: "no recipient document", edit: func(f *fakeNFe) { f.DestCNPJ = "" }, want: []string{"missing_field"}},
		{name: "money with 3 decimals", edit: func(f *fakeNFe) { f.Items[0].VProd = "179.800" }, want: []string{"too_many_decimals"},
			msg: `item 1: prod/vProd: "179.800" tem 3 casas decimais; o máximo é 2`},
		{name: "quantity with 5 decimals", edit: func(f *fakeNFe) { f.Items[0].Q = "2.00000" }, want: []string{"too_many_decimals"}},
		{name: "decimal comma", edit: func(f *fakeNFe) { f.Items[1].V = "0,3333333333" }, want: []string{"invalid_field"}},
		{name: "exponent", edit: func(f *fakeNFe) { f.Items[1].Q = "3e0" }, want: []string{"invalid_field"}},
		{name: "negative amount", edit: func(f *fakeNFe) { f.VNF = "-196.30" }, want: []string{"invalid_field"}},
		{name: "duplicate nItem", edit: func(f *fakeNFe) { f.Items[1].NItem = "1" }, want: []string{"item_number_invalid"}},
		{name: "bad CFOP", edit: func(f *fakeNFe) { f.Items[0].CFOP = "4119" }, want: []string{"invalid_field"}},
		{name: "many faults at once", edit: func(f *fakeNFe) {
			f.Mod = "65"
			f.EmitCNPJ = "12ABC34501DE36"
			f.Items[0].VProd = "179.82"
		}, want: []string{"wrong_model", "issuer_cnpj_invalid", "item_total_mismatch"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validNFe()
			tt.edit(f)
			doc, problems := checkString(f.XML(t), tt.opts)
			if doc == nil {
				t.Fatalf("no document: %v", problems)
			}
			if got := codes(problems); !slices.Equal(got, append([]string{}, tt.want...)) {
				t.Fatalf("codes %q, want %q\n%q", got, tt.want, problems)
			}
			if tt.msg != "" && problems[0].Message != tt.msg {
				t.Errorf("message\n got %q\nwant %q", problems[0].Message, tt.msg)
			}
		})
	}
}

func TestCheckDigitMessage(t *testing.T) {
	f := validNFe()
	good := f.Key()
	bad := good[:43] + strconv.Itoa((int(good[43]-'0')+1)%10)
	f.EditKey = func(string) string { return bad }
	_, problems := checkString(f.XML(t), nfe.Options{})
	want := fmt.Sprintf("dígito verificador da chave é %c, esperado %c", bad[43], good[43])
	if len(problems) != 1 || problems[0].Message != want {
		t.Errorf("%q, want %q", problems, want)
	}
}

func TestDhEmiWithoutOffset(t *testing.T) {
	f := validNFe()
	s := strings.Replace(f.XML(t), "<dhEmi>2026-07-10T10:30:00-03:00</dhEmi>", "<dhEmi>2026-07-10T10:30:00</dhEmi>", 1)
	_, problems := checkString(s, nfe.Options{})
	if !slices.Equal(codes(problems), []string{"invalid_field"}) {
		t.Errorf("%q", problems)
	}
}

// endless is an input that never ends: the size limit must stop reading.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestHostileAndBrokenInput(t *testing.T) {
	valid := validNFe().XML(t)
	manyItems := func(n int) string {
		f := validNFe()
		f.Items = nil
		for i := 0; i < n; i++ {
			f.Items = append(f.Items, fakeItem{Code: "X" + strconv.Itoa(i), Desc: "PECA", NCM: "87083090", CFOP: "6119",
				Unit: "UN", Q: "1", V: "1.00", VProd: "1.00"})
		}
		return f.XML(t)
	}
	deep := `<NFe xmlns="` + testNS + `">` + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + `</NFe>`
	laughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe>&lol9;</infNFe></NFe>`
	xxe := `<?xml version="1.0"?><!DOCTYPE NFe [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><NFe>&xxe;</NFe>`

	tests := []struct {
		name  string
		input io.Reader
		opts  nfe.Options
		want  string
		msg   string
	}{
		{"empty file", strings.NewReader(""), nfe.Options{}, "empty_file", "o arquivo está vazio"},
		{"only white space", strings.NewReader(" \n\t "), nfe.Options{}, "empty_file", ""},
		{"not XML", strings.NewReader("%PDF-1.7 this is a DANFE"), nfe.Options{}, "malformed_xml", ""},
		{"JSON", strings.NewReader(`{"nfe": 1}`), nfe.Options{}, "malformed_xml", ""},
		{"truncated", strings.NewReader(valid[:len(valid)/2]), nfe.Options{}, "malformed_xml", ""},
		{"undeclared entity", strings.NewReader(`<NFe xmlns="` + testNS + `">&lol;</NFe>`), nfe.Options{}, "malformed_xml", ""},
		{"two roots", strings.NewReader(valid + "<NFe/>"), nfe.Options{}, "malformed_xml", "XML malformado (linha 2): mais de um elemento raiz"},
		{"Latin-1", strings.NewReader(strings.Replace(valid, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1)), nfe.Options{},
			"malformed_xml", `codificação "ISO-8859-1" não aceita; a NF-e deve estar em UTF-8`},
		{"other root", strings.NewReader(`<procEventoNFe xmlns="` + testNS + `" versao="1.00"/>`), nfe.Options{}, "not_nfe",
			"o arquivo não é uma NF-e: o elemento raiz é <procEventoNFe>; esperado <NFe> ou <nfeProc>"},
		{"NFe without infNFe", strings.NewReader(`<NFe xmlns="` + testNS + `"><x/></NFe>`), nfe.Options{}, "not_nfe", ""},
		{"deep nesting", strings.NewReader(deep), nfe.Options{}, "xml_too_deep", "o XML tem elementos aninhados em mais de 64 níveis"},
		{"billion laughs", strings.NewReader(laughs), nfe.Options{}, "doctype_forbidden", "declarações <!DOCTYPE> e <!ENTITY> não são aceitas em NF-e"},
		{"external entity", strings.NewReader(xxe), nfe.Options{}, "doctype_forbidden", ""},
		{"endless input", io.MultiReader(strings.NewReader(valid), endless{}), nfe.Options{}, "xml_too_large", "o arquivo passa do limite de 5 MiB"},
		{"over a custom limit", strings.NewReader(valid), nfe.Options{MaxBytes: 1024}, "xml_too_large", "o arquivo passa do limite de 1 KiB"},
		{"1000 items", strings.NewReader(manyItems(1000)), nfe.Options{}, "too_many_items", "a NF-e tem mais de 990 itens (det), o máximo do leiaute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, problems := nfe.Check(tt.input, tt.opts)
			if doc != nil || len(problems) != 1 || problems[0].Code != tt.want {
				t.Fatalf("doc %v, problems %q; want only %s", doc != nil, problems, tt.want)
			}
			if tt.msg != "" && problems[0].Message != tt.msg {
				t.Errorf("message\n got %q\nwant %q", problems[0].Message, tt.msg)
			}
		})
	}

	// The limits are inclusive, and a byte-order mark is harmless.
	for name, in := range map[string]string{"990 items": manyItems(990), "BOM": "\uFEFF" + valid} {
		if _, problems := checkString(in, nfe.Options{}); len(problems) != 0 {
			t.Errorf("%s: %q", name, problems)
		}
	}
	if _, problems := nfe.Parse([]byte(valid), nfe.Options{MaxBytes: int64(len(valid))}); len(problems) != 0 {
		t.Errorf("exactly at the size limit: %q", problems)
	}
	if _, problems := nfe.Parse([]byte(valid), nfe.Options{MaxDepth: 3}); !slices.Equal(codes(problems), []string{"xml_too_deep"}) {
		t.Errorf("custom depth: %q", problems)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disco indisponível") }

func TestReadError(t *testing.T) {
	_, problems := nfe.Check(failingReader{}, nfe.Options{})
	want := []nfe.Problem{{Code: "read_error", Message: "não foi possível ler o arquivo: disco indisponível"}}
	if !slices.Equal(problems, want) {
		t.Errorf("%q", problems)
	}
}

func TestReportJSON(t *testing.T) {
	f := validNFe()
	f.Proc = true
	doc, problems := checkString(f.XML(t), nfe.Options{})
	b, err := json.Marshal(nfe.NewReport("a.xml", doc, problems))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"file":"a.xml","valid":true,"authorized":true,"key":"` + f.Key() + `","model":55,"version":"4.00",` +
		`"series":1,"number":1234,"issued_at":"2026-07-10T10:30:00-03:00",` +
		`"issuer":{"cnpj":"06929383000163","name":"FREIOS \u0026 CIA LTDA"},` +
		`"recipient":{"document":"58716523000119","name":"CONNECTPARTS COMERCIO LTDA"},"total_cents":19630,"items":[` +
		`{"n":1,"code":"PF-100","ean":"7891234567895","description":"PASTILHA DE FREIO DIANTEIRA","ncm":"87083090","cfop":"6119",` +
		`"quantity":"2.0000","unit_price":"89.9000000000","total_cents":17980,"order_ref":"PC-000123","ibs_cbs":null},` +
		`{"n":2,"code":"DF-200","ean":"","description":"DISCO DE FREIO","ncm":"87083090","cfop":"6119",` +
		`"quantity":"3","unit_price":"0.3333333333","total_cents":100,"order_ref":"PC-000123","ibs_cbs":null}],"problems":[],"ibs_cbs_total":null}`
	if string(b) != want {
		t.Errorf("report\n got %s\nwant %s", b, want)
	}

	// A file that is not an NF-e still has every key, with empty values.
	b, _ = json.Marshal(nfe.NewReport("x.xml", nil, []nfe.Problem{{Code: "empty_file", Message: "o arquivo está vazio"}}))
	want = `{"file":"x.xml","valid":false,"authorized":false,"key":"","model":0,"version":"","series":0,"number":0,` +
		`"issued_at":"","issuer":{"cnpj":"","name":""},"recipient":{"document":"","name":""},"total_cents":0,"items":[],` +
		`"problems":[{"code":"empty_file","message":"o arquivo está vazio"}],"ibs_cbs_total":null}`
	if string(b) != want {
		t.Errorf("empty report\n got %s\nwant %s", b, want)
	}

	// Without an item-level xPed, order_ref falls back to compra/xPed.
	f = validNFe()
	f.Items[1].XPed = ""
	f.ExtraInf = `<compra><xPed>PC-777</xPed></compra>`
	doc, _ = checkString(f.XML(t), nfe.Options{})
	r := nfe.NewReport("b.xml", doc, nil)
	if r.Items[0].OrderRef != "PC-000123" || r.Items[1].OrderRef != "PC-777" || !slices.Equal(doc.OrderRefs(), []string{"PC-777", "PC-000123"}) {
		t.Errorf("order refs %+v %v", r.Items, doc.OrderRefs())
	}
}

func TestErr(t *testing.T) {
	if nfe.Err(nil) != nil {
		t.Error("no problems, no error")
	}
	err := nfe.Err([]nfe.Problem{{Code: "wrong_model", Message: "m"}, {Code: "key_format", Message: "k"}})
	if err == nil || !strings.Contains(err.Error(), "invalid") || !strings.Contains(err.Error(), "2 problemas") {
		t.Errorf("%v", err)
	}
	if err := nfe.Err([]nfe.Problem{{Code: "xml_too_large", Message: "x"}}); !strings.HasPrefix(err.Error(), "too_large") {
		t.Errorf("%v", err)
	}
}

// vICMSDeson is deducted from vNF only for some operations: both forms pass,
// anything else does not.
func TestICMSExemptionInTotal(t *testing.T) {
	for vNF, valid := range map[string]bool{"196.30": true, "191.30": true, "186.30": false} {
		f := validNFe()
		f.VNF = vNF
		s := strings.Replace(f.XML(t), "<vICMSDeson>0.00</vICMSDeson>", "<vICMSDeson>5.00</vICMSDeson>", 1)
		doc, problems := checkString(s, nfe.Options{})
		if (len(problems) == 0) != valid || (!valid && !slices.Equal(codes(problems), []string{"total_mismatch"})) {
			t.Errorf("vNF %s: %q", vNF, problems)
		}
		if doc.Totals.ICMSExemptCents != 500 {
			t.Errorf("vICMSDeson %d", doc.Totals.ICMSExemptCents)
		}
	}
}
