package vtex_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/platform/vtex/vtexfake"
)

// The double reads dateUtcOnBalanceSystem as the Logistics API defines it:
// the moment the quantity written corresponds to (the request's time when
// null or empty). A quantity update zeroes the reservations acknowledged up
// to that moment; an order that entered handling after it keeps its
// reservation. A value that is not a date is a 400.
func TestFakeInventoryUpdateHonoursDateUtcOnBalanceSystem(t *testing.T) {
	fake := vtexfake.New()
	t.Cleanup(fake.Close)
	fake.SetSKU("CP-001", "501")
	id, _ := fake.AddOrder("ready-for-handling", []vtexfake.Item{{RefID: "CP-001", Quantity: 2, Price: 1000}})
	beforeHandling := time.Now().UTC()
	time.Sleep(2 * time.Millisecond)
	fake.SetStatus(id, "handling")
	if got := fake.Reserved("501")[vtexfake.ReservationAcknowledged]; got != 2 {
		t.Fatalf("acknowledged %d, want 2", got)
	}
	put := func(body string) int {
		req, _ := http.NewRequest(http.MethodPut, fake.URL+"/api/logistics/pvt/inventory/skus/501/warehouses/1_1", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-VTEX-API-AppKey", vtexfake.AppKey)
		req.Header.Set("X-VTEX-API-AppToken", vtexfake.AppToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := put(`{"quantity": 8, "unlimitedQuantity": false, "dateUtcOnBalanceSystem": "ontem"}`); st != http.StatusBadRequest {
		t.Errorf("malformed date: %d, want 400", st)
	}
	// A count taken before the order entered handling does not include it.
	if st := put(`{"quantity": 8, "unlimitedQuantity": false, "dateUtcOnBalanceSystem": "` + beforeHandling.Format(time.RFC3339Nano) + `"}`); st != http.StatusOK {
		t.Fatalf("PUT: %d", st)
	}
	if got := fake.Reserved("501")[vtexfake.ReservationAcknowledged]; got != 2 {
		t.Errorf("after a count older than the handling: acknowledged %d, want 2 (kept)", got)
	}
	if got := fake.Storefront("501"); got != 6 {
		t.Errorf("storefront %d, want 8 − 2", got)
	}
	// Null: the request's time, after the handling: zeroed.
	if st := put(`{"quantity": 6, "unlimitedQuantity": false, "dateUtcOnBalanceSystem": null}`); st != http.StatusOK {
		t.Fatalf("PUT: %d", st)
	}
	if got := fake.Reserved("501")[vtexfake.ReservationAcknowledged]; got != 0 {
		t.Errorf("after a count of now: acknowledged %d, want 0", got)
	}
	if w := fake.StockWrites(); len(w) != 2 || !w[0].BalanceAt.Equal(beforeHandling) || w[1].BalanceAt.Before(beforeHandling) {
		t.Errorf("writes recorded: %+v", w)
	}
}
