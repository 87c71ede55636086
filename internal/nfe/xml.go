package nfe

// Raw XML shapes. Tags carry local names only: encoding/xml then matches
// them in any namespace, so a document in the wrong namespace is still read
// (and reported once, by scan). Elements not listed here — signatures,
// most taxes, transport — are skipped by the decoder. The tax-reform groups
// (IBSCBS, IBSCBSTot) are read in ibscbs.go.

type xNFeProc struct {
	Versao string `xml:"versao,attr"`
	NFe    *xNFe  `xml:"NFe"`
	Prot   *xProt `xml:"protNFe"`
}

type xNFe struct {
	Inf *xInfNFe `xml:"infNFe"`
}

type xInfNFe struct {
	ID     string    `xml:"Id,attr"`
	Versao string    `xml:"versao,attr"`
	Ide    xIde      `xml:"ide"`
	Emit   *xEmit    `xml:"emit"`
	Dest   *xDest    `xml:"dest"`
	Det    []xDet    `xml:"det"`
	Total  *xTotal   `xml:"total"`
	Compra *xCompra  `xml:"compra"`
	InfAd  *xInfAdic `xml:"infAdic"`
}

type xIde struct {
	CUF    string `xml:"cUF"`
	CNF    string `xml:"cNF"`
	NatOp  string `xml:"natOp"`
	Mod    string `xml:"mod"`
	Serie  string `xml:"serie"`
	NNF    string `xml:"nNF"`
	DhEmi  string `xml:"dhEmi"`
	TpNF   string `xml:"tpNF"`
	TpEmis string `xml:"tpEmis"`
	CDV    string `xml:"cDV"`
	TpAmb  string `xml:"tpAmb"`
	FinNFe string `xml:"finNFe"`
}

type xEnder struct {
	XLgr    string `xml:"xLgr"`
	Nro     string `xml:"nro"`
	XCpl    string `xml:"xCpl"`
	XBairro string `xml:"xBairro"`
	CMun    string `xml:"cMun"`
	XMun    string `xml:"xMun"`
	UF      string `xml:"UF"`
	CEP     string `xml:"CEP"`
	CPais   string `xml:"cPais"`
	XPais   string `xml:"xPais"`
	Fone    string `xml:"fone"`
}

type xEmit struct {
	CNPJ  string `xml:"CNPJ"`
	CPF   string `xml:"CPF"`
	XNome string `xml:"xNome"`
	XFant string `xml:"xFant"`
	Ender xEnder `xml:"enderEmit"`
	IE    string `xml:"IE"`
	CRT   string `xml:"CRT"`
}

type xDest struct {
	CNPJ          string  `xml:"CNPJ"`
	CPF           string  `xml:"CPF"`
	IDEstrangeiro *string `xml:"idEstrangeiro"` // may be present and empty
	XNome         string  `xml:"xNome"`
	Ender         xEnder  `xml:"enderDest"`
	IndIEDest     string  `xml:"indIEDest"`
	IE            string  `xml:"IE"`
	ISUF          string  `xml:"ISUF"`
	Email         string  `xml:"email"`
}

type xDet struct {
	NItem     string    `xml:"nItem,attr"`
	Prod      xProd     `xml:"prod"`
	Imposto   *xImposto `xml:"imposto"`
	InfAdProd string    `xml:"infAdProd"`
}

type xProd struct {
	CProd    string     `xml:"cProd"`
	CEAN     string     `xml:"cEAN"`
	XProd    string     `xml:"xProd"`
	NCM      string     `xml:"NCM"`
	CEST     string     `xml:"CEST"`
	CFOP     string     `xml:"CFOP"`
	UCom     string     `xml:"uCom"`
	QCom     string     `xml:"qCom"`
	VUnCom   string     `xml:"vUnCom"`
	VProd    string     `xml:"vProd"`
	VFrete   string     `xml:"vFrete"`
	VSeg     string     `xml:"vSeg"`
	VDesc    string     `xml:"vDesc"`
	VOutro   string     `xml:"vOutro"`
	IndTot   string     `xml:"indTot"`
	XPed     string     `xml:"xPed"`
	NItemPed string     `xml:"nItemPed"`
	VeicProd *xVeicProd `xml:"veicProd"`
}

// xVeicProd is det/prod/veicProd (new vehicles); only tpOp matters here, for
// the vNF rule's direct-billing exception.
type xVeicProd struct {
	TpOp string `xml:"tpOp"`
}

type xTotal struct {
	ICMSTot   *xICMSTot   `xml:"ICMSTot"`
	ISSQNtot  *xISSQNtot  `xml:"ISSQNtot"`
	IBSCBSTot *xIBSCBSTot `xml:"IBSCBSTot"`
}

type xICMSTot struct {
	VBC        string `xml:"vBC"`
	VICMS      string `xml:"vICMS"`
	VICMSDeson string `xml:"vICMSDeson"`
	VFCP       string `xml:"vFCP"`
	VBCST      string `xml:"vBCST"`
	VST        string `xml:"vST"`
	VFCPST     string `xml:"vFCPST"`
	VProd      string `xml:"vProd"`
	VFrete     string `xml:"vFrete"`
	VSeg       string `xml:"vSeg"`
	VDesc      string `xml:"vDesc"`
	VII        string `xml:"vII"`
	VIPI       string `xml:"vIPI"`
	VIPIDevol  string `xml:"vIPIDevol"`
	VPIS       string `xml:"vPIS"`
	VCOFINS    string `xml:"vCOFINS"`
	VOutro     string `xml:"vOutro"`
	VNF        string `xml:"vNF"`
}

type xISSQNtot struct {
	VServ string `xml:"vServ"`
}

type xCompra struct {
	XPed string `xml:"xPed"`
}

type xInfAdic struct {
	InfCpl string `xml:"infCpl"`
}

type xProt struct {
	Versao string    `xml:"versao,attr"`
	Inf    *xInfProt `xml:"infProt"`
}

type xInfProt struct {
	TpAmb    string `xml:"tpAmb"`
	ChNFe    string `xml:"chNFe"`
	DhRecbto string `xml:"dhRecbto"`
	NProt    string `xml:"nProt"`
	CStat    string `xml:"cStat"`
	XMotivo  string `xml:"xMotivo"`
}
