package views

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/model"
)

// The inbox's empty row spans every column the table shows.
func TestPurchaseOrderListColumns(t *testing.T) {
	for _, c := range []struct {
		p    PurchaseOrderListProps
		want int
	}{
		{PurchaseOrderListProps{IsSupplier: true}, 7},
		{PurchaseOrderListProps{}, 8},
		{PurchaseOrderListProps{CanFiscal: true}, 8},
		{PurchaseOrderListProps{CanFiscal: true, Status: string(model.POSupplierInvoiced)}, 9},
	} {
		if got := c.p.columns(); got != c.want {
			t.Errorf("%+v: %d columns, want %d", c.p, got, c.want)
		}
	}
}

// A queue longer than its page says so.
func TestQueueMore(t *testing.T) {
	var b strings.Builder
	if err := queueMore(200, 230, "no-price").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Mostrando os 200 pedidos mais recentes de 230.") {
		t.Errorf("long queue: %q", b.String())
	}
	b.Reset()
	if err := queueMore(3, 3, "no-price").Render(context.Background(), &b); err != nil || b.Len() != 0 {
		t.Errorf("whole queue: %q %v", b.String(), err)
	}
}

// Backorder dates are stored as YYYY-MM-DD and counted in São Paulo days.
func TestBackorderDates(t *testing.T) {
	now := time.Date(2026, 11, 26, 2, 30, 0, 0, time.UTC) // 25/11 23:30 in São Paulo
	for in, want := range map[string]string{"2026-11-25": "hoje", "2026-11-26": "amanhã", "2026-11-30": "em 5 dias", "2026-11-23": "há 2 dias", "": "—"} {
		if got := daysUntil(in, now); got != want {
			t.Errorf("daysUntil(%q) = %q, want %q", in, got, want)
		}
	}
	if got := isoDate("2026-11-25"); got != "25/11/2026" {
		t.Errorf("isoDate %q", got)
	}
}
