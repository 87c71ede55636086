package model

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Personal data (LGPD): a supplier sees the customer's name, documents,
// contacts and delivery address of a purchase order while it needs them to
// invoice and ship, and for a number of days after the PO is closed (shipped,
// delivered or cancelled); after that it sees them masked. Staff are never
// masked. The number of days is a setting staff admins change.

// DefaultPersonalDataDays is the days after the PO is closed during which its
// supplier still sees the customer's personal data, when no setting says
// otherwise.
const DefaultPersonalDataDays = 7

// MaxPersonalDataDays bounds the setting (a little over a year).
const MaxPersonalDataDays = 400

// PersonalData channels: where a supplier saw a customer's personal data.
const (
	ViewChannelPage   = "page"   // the PO page or the PO list
	ViewChannelAPI    = "api"    // GET /api/v1/purchase-orders…
	ViewChannelExport = "export" // the PO list as CSV/XLSX
	ViewChannelSearch = "search" // search results
	ViewChannelDANFE  = "danfe"  // the billing invoice's DANFE page
	ViewChannelFile   = "file"   // the billing NF-e XML or a label file
)

// ViewChannelLabel is the channel in Portuguese.
func ViewChannelLabel(ch string) string {
	switch ch {
	case ViewChannelPage:
		return "Página"
	case ViewChannelAPI:
		return "API"
	case ViewChannelExport:
		return "Exportação"
	case ViewChannelSearch:
		return "Busca"
	case ViewChannelDANFE:
		return "DANFE"
	case ViewChannelFile:
		return "Arquivo (XML/etiqueta)"
	}
	return ch
}

// ViewChannels lists the channels in the order the filters show them.
var ViewChannels = []string{ViewChannelPage, ViewChannelAPI, ViewChannelExport, ViewChannelSearch, ViewChannelDANFE, ViewChannelFile}

// PersonalDataView is one sight of a customer's personal data by a supplier
// user: who, which PO, when and where.
type PersonalDataView struct {
	ID         int64
	At         time.Time
	UserID     int64
	Actor      string // the user's e-mail at the time
	SupplierID int64
	POID       int64 `gorm:"column:po_id"`
	PONumber   string
	Channel    string
	Path       string // the URL path asked for
	IP         string
}

// ClosedAt is when the PO stopped needing its customer's data: shipped,
// else delivered, else cancelled; nil while it is open.
func (po *PurchaseOrder) ClosedAt() *time.Time {
	for _, t := range []*time.Time{po.ShippedAt, po.DeliveredAt, po.CancelledAt} {
		if t != nil {
			return t
		}
	}
	return nil
}

// PersonalDataUntil is the last moment the supplier sees the customer's
// personal data: closed plus days; nil while the PO is open (never masked).
func (po *PurchaseOrder) PersonalDataUntil(days int) *time.Time {
	closed := po.ClosedAt()
	if closed == nil {
		return nil
	}
	if days < 0 {
		days = 0
	}
	t := closed.AddDate(0, 0, days)
	return &t
}

// PersonalDataExpired reports whether, at now, the PO's supplier no longer
// sees the customer's personal data.
func (po *PurchaseOrder) PersonalDataExpired(now time.Time, days int) bool {
	until := po.PersonalDataUntil(days)
	return until != nil && now.After(*until)
}

// MaskPersonalData replaces the customer's personal data on the PO by its
// masked form (name "J*** S***", CPF "***.456.789-**", address reduced to
// city/UF) and marks it PersonalDataMasked. What is not personal (items,
// money, city, state, person type, ICMS contributor) stays.
func (po *PurchaseOrder) MaskPersonalData() {
	po.CustomerName = MaskName(po.CustomerName)
	po.CustomerTradeName = MaskName(po.CustomerTradeName)
	po.CustomerDocument = MaskDocument(po.CustomerDocument)
	po.CustomerStateRegistration = maskAll(po.CustomerStateRegistration)
	po.CustomerSuframa = maskAll(po.CustomerSuframa)
	po.CustomerEmail = MaskEmail(po.CustomerEmail)
	phones := strings.Split(po.CustomerPhones, ",")
	for i, ph := range phones {
		phones[i] = MaskPhone(strings.TrimSpace(ph))
	}
	po.CustomerPhones = strings.Join(phones, ", ")
	po.DeliveryRecipient = MaskName(po.DeliveryRecipient)
	po.DeliveryStreet, po.DeliveryNumber, po.DeliveryComplement = "", "", ""
	po.DeliveryReference, po.DeliveryDistrict, po.DeliveryCEP = "", "", ""
	po.PersonalDataMasked = true
}

// MaskName keeps the first letter of each word: "João da Silva" →
// "J*** d*** S***".
func MaskName(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		words[i] = string(r) + "***"
	}
	return strings.Join(words, " ")
}

// MaskDocument keeps the middle digits of a CPF ("***.456.789-**") or of a
// CNPJ ("**.345.678/****-**"); anything else is hidden whole.
func MaskDocument(doc string) string {
	var d []byte
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') {
			d = append(d, c)
		}
	}
	switch len(d) {
	case 0:
		return ""
	case 11:
		return "***." + string(d[3:6]) + "." + string(d[6:9]) + "-**"
	case 14:
		return "**." + string(d[2:5]) + "." + string(d[5:8]) + "/****-**"
	}
	return "***"
}

// MaskEmail keeps the first letter of the mailbox: "joao@x.com" → "j***@***".
func MaskEmail(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(s)
	return string(r) + "***@***"
}

// MaskPhone keeps the last two digits: "(11) 98765-4321" → "(**) *****-**21".
func MaskPhone(s string) string {
	var digits []rune
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits = append(digits, r)
		}
	}
	if len(digits) < 2 {
		return maskAll(s)
	}
	return "(**) *****-**" + string(digits[len(digits)-2:])
}

func maskAll(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "***"
}
