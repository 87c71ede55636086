package model_test

import (
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
)

func TestPersonalDataWindow(t *testing.T) {
	shipped := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
	cancelled := shipped.Add(48 * time.Hour)
	cases := []struct {
		name string
		po   model.PurchaseOrder
		now  time.Time
		days int
		want bool
	}{
		{"open, a year later", model.PurchaseOrder{}, shipped.AddDate(1, 0, 0), 7, false},
		{"shipped, within the days", model.PurchaseOrder{ShippedAt: &shipped}, shipped.AddDate(0, 0, 7), 7, false},
		{"shipped, just past the days", model.PurchaseOrder{ShippedAt: &shipped}, shipped.AddDate(0, 0, 7).Add(time.Second), 7, true},
		{"shipped, 0 days", model.PurchaseOrder{ShippedAt: &shipped}, shipped.Add(time.Second), 0, true},
		{"cancelled, past the days", model.PurchaseOrder{CancelledAt: &cancelled}, cancelled.AddDate(0, 0, 3), 2, true},
		{"delivered without shipment, within", model.PurchaseOrder{DeliveredAt: &cancelled}, cancelled.AddDate(0, 0, 1), 2, false},
	}
	for _, c := range cases {
		if got := c.po.PersonalDataExpired(c.now, c.days); got != c.want {
			t.Errorf("%s: expired = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestMaskPersonalData(t *testing.T) {
	po := model.PurchaseOrder{CustomerName: "João da Silva", CustomerDocument: "12345678909", CustomerEmail: "joao@exemplo.com.br",
		CustomerPhones: "(11) 98765-4321, 1133334444", CustomerStateRegistration: "ISENTO", DeliveryRecipient: "João da Silva",
		DeliveryStreet: "Rua Augusta", DeliveryNumber: "1500", DeliveryComplement: "ap 12", DeliveryDistrict: "Consolação",
		DeliveryCEP: "01304001", DeliveryCity: "São Paulo", DeliveryState: "SP", CustomerType: model.PersonIndividual, TotalCents: 1234}
	po.MaskPersonalData()
	if po.CustomerName != "J*** d*** S***" || po.CustomerDocument != "***.456.789-**" || po.CustomerEmail != "j***@***" ||
		po.CustomerPhones != "(**) *****-**21, (**) *****-**44" || po.DeliveryRecipient != "J*** d*** S***" {
		t.Errorf("masked customer: %+v", po)
	}
	if po.DeliveryCity != "São Paulo" || po.DeliveryState != "SP" || po.TotalCents != 1234 || po.CustomerType != model.PersonIndividual || !po.PersonalDataMasked {
		t.Errorf("masking removed what is not personal: %+v", po)
	}
	all := strings.Join([]string{po.CustomerName, po.CustomerDocument, po.CustomerEmail, po.CustomerPhones, po.CustomerStateRegistration,
		po.DeliveryStreet, po.DeliveryNumber, po.DeliveryComplement, po.DeliveryDistrict, po.DeliveryCEP}, "|")
	for _, s := range []string{"João", "Silva", "12345678909", "joao@", "98765", "Augusta", "1500", "Consolação", "01304001", "ISENTO"} {
		if strings.Contains(all, s) {
			t.Errorf("%q left after masking: %s", s, all)
		}
	}
	if got := model.MaskDocument("11.222.333/0001-81"); got != "**.222.333/****-**" {
		t.Errorf("CNPJ masked as %q", got)
	}
}
