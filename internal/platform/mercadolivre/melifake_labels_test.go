package mercadolivre_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/platform/mercadolivre/melifake"
)

// The double's /shipment_labels takes several ids, as meli-invoice-and-
// labels.json documents (shipment_ids=ID1,ID2): one PDF with a page per
// shipment, or a ZIP whose .txt holds every ZPL label; one shipment that
// cannot be printed refuses the request, naming it in failed_shipments.
func TestFakeShipmentLabelsTakesSeveralIDs(t *testing.T) {
	c, fake, _, _ := newClient(t)
	ctx := context.Background()
	var ships []string
	for _, id := range fake.AddOrders(2, now.Add(-time.Hour), time.Second) {
		o, err := c.GetOrder(ctx, id) // also gets the fake an access token
		if err != nil {
			t.Fatal(err)
		}
		ships = append(ships, o.ShipmentID)
	}
	get := func(format string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, fake.URL+"/shipment_labels?shipment_ids="+strings.Join(ships, ",")+"&response_type="+format, nil)
		req.Header.Set("Authorization", "Bearer "+fake.AccessToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	fake.SetShipmentState(ships[0], "ready_to_ship", "ready_to_print")
	status, body := get("pdf") // the second is still invoice_pending
	var refusal struct {
		Failed []struct {
			ID json.Number `json:"shipment_id"`
		} `json:"failed_shipments"`
	}
	if err := json.Unmarshal(body, &refusal); status != http.StatusBadRequest || err != nil || len(refusal.Failed) != 1 || refusal.Failed[0].ID.String() != ships[1] {
		t.Fatalf("one shipment not ready: %d %s", status, body)
	}

	fake.SetShipmentState(ships[1], "ready_to_ship", "ready_to_print")
	status, pdf := get("pdf")
	if status != http.StatusOK || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/Count 2")) {
		t.Fatalf("PDF of two labels: %d %.80q", status, pdf)
	}
	for _, s := range ships {
		if !bytes.Contains(pdf, []byte("(Envio "+s+") Tj")) {
			t.Errorf("PDF has no page for shipment %s", s)
		}
	}
	status, z := get("zpl2")
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if status != http.StatusOK || err != nil || len(zr.File) != 1 {
		t.Fatalf("ZPL of two labels: %d %v", status, err)
	}
	rc, _ := zr.File[0].Open()
	txt, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(txt, append(melifake.LabelZPL(ships[0]), melifake.LabelZPL(ships[1])...)) {
		t.Errorf("ZPL text:\n%s", txt)
	}
}
