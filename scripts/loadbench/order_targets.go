package main

import (
	"net/http"
	"net/url"
)

// orderKeys are the search keys of one dispatched order and one shipped PO
// of the bench's supplier, read through the API before measuring.
type orderKeys struct {
	number, external, document, tracking string
	po, supplierKey, billingKey          string
}

// readOrderKeys fetches a shipped PO of the supplier with its invoices and
// its supplier invoice's NF-e key (supplier token); keys the API does not
// give are left empty and their pages skipped.
func readOrderKeys(c *http.Client, base string, supplier http.Header) orderKeys {
	var k orderKeys
	var pos struct {
		Items []struct {
			Number     string `json:"number"`
			SalesOrder struct {
				ID int64 `json:"id"`
			} `json:"sales_order"`
		} `json:"items"`
	}
	getJSON(c, base+"/api/v1/purchase-orders?status=shipped&limit=1", supplier, &pos)
	if len(pos.Items) == 0 {
		return k
	}
	k.po = pos.Items[0].Number
	var po struct {
		Invoices []struct {
			AccessKey string `json:"access_key"`
		} `json:"invoices"`
	}
	getJSON(c, base+"/api/v1/purchase-orders/"+url.PathEscape(k.po), supplier, &po)
	if len(po.Invoices) > 0 {
		k.supplierKey = po.Invoices[0].AccessKey
	}
	return k
}

// orderTargets are the pages of the order and PO lists beyond the first
// screen: sorted lists, page 2, the staff PO list with its dashboard
// filters, order search by NF-e key, the filtered PO exports and the API
// search by each key type.
func orderTargets(k orderKeys, st, sp, api func(int) *http.Client, admin, supplier http.Header) []target {
	q := url.QueryEscape
	ts := []target{
		{name: "/orders?sort=customer", path: "/orders?sort=customer&dir=asc", client: st},
		{name: "/orders?sort=total&dir=desc page 2", path: "/orders?sort=total&dir=desc&page=2", client: st},
		{name: "/orders?status=delivered&sort=number", path: "/orders?status=delivered&sort=number&dir=desc", client: st},
		{name: "/orders page 2", path: "/orders?page=2", client: st},
		{name: "/purchase-orders (staff)", path: "/purchase-orders", client: st},
		{name: "/purchase-orders (staff) page 2", path: "/purchase-orders?page=2", client: st},
		{name: "/purchase-orders (staff) sort=due", path: "/purchase-orders?sort=due&dir=asc", client: st},
		{name: "/purchase-orders (staff) created month", path: "/purchase-orders?date=created&from=2026-06-01&to=2026-06-30", client: st},
		{name: "/purchase-orders (supplier) sort=total", path: "/purchase-orders?sort=total&dir=desc", client: sp},
		{name: "/purchase-orders (staff) created day CSV", path: "/purchase-orders?date=created&from=2026-06-01&to=2026-06-01&format=csv", client: st},
		{name: "/purchase-orders (staff) created day XLSX", path: "/purchase-orders?date=created&from=2026-06-01&to=2026-06-01&format=xlsx", client: st},
		{name: "GET /api/v1/orders?sort=total", path: "/api/v1/orders?sort=total&dir=desc", client: api, header: admin},
		{name: "GET /api/v1/purchase-orders?sort=status (staff)", path: "/api/v1/purchase-orders?sort=status", client: api, header: admin},
		{name: "GET /api/v1/search?q=<number>", path: "/api/v1/search?q=" + q(k.number), client: api, header: admin},
		{name: "GET /api/v1/search?q=<platform id>", path: "/api/v1/search?q=" + q(k.external), client: api, header: admin},
		{name: "GET /api/v1/search?q=<tracking>", path: "/api/v1/search?q=" + q(k.tracking), client: api, header: admin},
		{name: "GET /api/v1/search?q=<CPF/CNPJ> (supplier)", path: "/api/v1/search?q=" + q(k.document), client: api, header: supplier},
	}
	if k.po != "" {
		ts = append(ts, target{name: "GET /api/v1/search?q=<PO number>", path: "/api/v1/search?q=" + q(k.po), client: api, header: admin})
	}
	if k.supplierKey != "" {
		ts = append(ts,
			target{name: "/orders?q=<NF-e key>", path: "/orders?q=" + q(k.supplierKey), client: st},
			target{name: "GET /api/v1/search?q=<NF-e key>", path: "/api/v1/search?q=" + q(k.supplierKey), client: api, header: admin})
	}
	return ts
}
