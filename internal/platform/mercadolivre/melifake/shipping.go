package melifake

// Mercado Envios 2 as meli-invoice-and-labels.json (importar-nota-fiscal,
// upload-invoices, mercadoenvios-modo-2) describes it:
//
//   - POST /shipments/{id}/invoice_data/ releases the label of drop_off,
//     xd_drop_off, xd_same_day and cross_docking shipments waiting in
//     ready_to_ship/invoice_pending: the substatus becomes ready_to_print.
//     The pages do not say when tracking_number is filled; the fake fills it
//     with the release (ML's own tracking, "ME" + shipment id).
//   - POST /packs/{pack or order id}/fiscal_documents takes the NF-e
//     (multipart field fiscal_document, pdf or xml) for the buyer and answers
//     {"ids": [...]}; it does not move the shipment.
//   - GET /shipment_labels?shipment_ids=…&response_type=pdf|zpl2 answers a
//     PDF, or a ZIP holding the ZPL text, for me2 shipments of the label
//     types in ready_to_ship (not invoice_pending, not buffered); otherwise a
//     JSON error with failed_shipments[].message (its exact status code is
//     not documented: 400 here). Several ids at once are served
//     (shipmentLabels). Downloading marks the shipment printed (substatus
//     printed).
//   - The seller does not report ME2 pick-up or drop-off: Mercado Livre
//     does. Tests play that part with SetShipmentState (ready_to_ship/
//     dropped_off, picked_up, shipped …).

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/connectparts/portal/internal/pdflabel"
)

// Endpoint names of this file, for Fail and Count.
const (
	EndpointLabels          = "shipment-labels"
	EndpointFiscalDocuments = "fiscal-documents"
)

type shipState struct {
	set map[string]any // top-level keys replaced in the served shipment
}

// shipmentKeys returns the overridden keys of a shipment. Caller holds mu.
func (s *Server) shipmentKeys(id string) map[string]any {
	if s.shipSet == nil {
		s.shipSet = map[string]*shipState{}
	}
	st, ok := s.shipSet[id]
	if !ok {
		st = &shipState{set: map[string]any{}}
		s.shipSet[id] = st
	}
	return st.set
}

// SetShipmentState sets a shipment's status and substatus ("" is null), as
// Mercado Livre moves it (drop-off at the agency, pick-up, delivery).
func (s *Server) SetShipmentState(id, status, substatus string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.shipmentKeys(id)
	k["status"] = status
	if substatus == "" {
		k["substatus"] = nil
	} else {
		k["substatus"] = substatus
	}
}

// SetLogisticType makes a shipment of another logistic type (mode me2):
// drop_off, xd_drop_off, cross_docking, self_service, fulfillment…
func (s *Server) SetLogisticType(id, typ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shipmentKeys(id)["logistic"] = map[string]any{"mode": "me2", "type": typ, "direction": "forward"}
}

// FiscalDocuments returns the files received for a pack (or order) id.
func (s *Server) FiscalDocuments(pack string) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.fiscalDocs[pack]...)
}

// LabelPDF is the PDF the fake serves as the label of a shipment asked alone.
func LabelPDF(shipmentID string) []byte { return pdflabel.TextPages(labelLines(shipmentID)) }

func labelLines(shipmentID string) []string {
	return []string{"MERCADO ENVIOS", "Envio " + shipmentID, "Rastreio ME" + shipmentID}
}

// LabelZPL is the ZPL text inside the zpl2 ZIP of a shipment.
func LabelZPL(shipmentID string) []byte {
	return []byte(fmt.Sprintf("^XA\n^CF0,40\n^FO40,40^FDMERCADO ENVIOS^FS\n^FO40,100^FDEnvio %s^FS\n^BY3\n^FO40,160^BCN,120,Y,N,N^FDME%s^FS\n^XZ\n", shipmentID, shipmentID))
}

// labelZip is the zpl2 answer: a ZIP holding one .txt with the labels of the
// shipments, one after the other.
func labelZip(shipmentIDs ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("Etiqueta de envio " + strings.Join(shipmentIDs, "-") + ".txt")
	must(err)
	for _, id := range shipmentIDs {
		_, err = w.Write(LabelZPL(id))
		must(err)
	}
	must(zw.Close())
	return buf.Bytes()
}

// shipmentJSON is the shipment as served, overrides applied. Caller holds mu.
func (s *Server) shipmentJSON(id string) ([]byte, bool) {
	b, ok := s.shipments[id]
	if !ok && s.genShipments[id] {
		b, ok = bytes.Replace(s.genShipment, []byte(`"id": 41297142475`), []byte(`"id": `+id), 1), true
	}
	if !ok {
		return nil, false
	}
	st, has := s.shipSet[id]
	if !has || len(st.set) == 0 {
		return b, true
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	must(dec.Decode(&m))
	for k, v := range st.set {
		m[k] = v
	}
	out, err := json.Marshal(m)
	must(err)
	return out, true
}

type shipView struct {
	Status    string `json:"status"`
	Substatus string `json:"substatus"`
	Logistic  struct {
		Mode string `json:"mode"`
		Type string `json:"type"`
	} `json:"logistic"`
}

// view reads a shipment's state. Caller holds mu.
func (s *Server) view(id string) (shipView, bool) {
	b, ok := s.shipmentJSON(id)
	if !ok {
		return shipView{}, false
	}
	var v shipView
	_ = json.Unmarshal(b, &v)
	return v, true
}

var invoiceDataTypes = map[string]bool{"drop_off": true, "xd_drop_off": true, "xd_same_day": true, "cross_docking": true}

// labelTypes are the logistic types meli-invoice-and-labels.json's labels
// _preconditions list (xd_same_day takes invoice_data but is not among them).
var labelTypes = map[string]bool{"drop_off": true, "xd_drop_off": true, "cross_docking": true, "self_service": true}

// releaseLabel is invoice_data's effect on the shipment. Caller holds mu.
func (s *Server) releaseLabel(id string) {
	v, ok := s.view(id)
	if !ok || v.Status != "ready_to_ship" || v.Substatus != "invoice_pending" {
		return
	}
	k := s.shipmentKeys(id)
	k["substatus"] = "ready_to_print"
	k["tracking_number"] = "ME" + id
}

// shipmentLabels serves GET /shipment_labels. meli-invoice-and-labels.json
// documents several ids (shipment_ids=ID1,ID2&response_type=zpl2) and one
// answer: a PDF, or a ZIP holding "the ZPL .txt". The page is silent on how
// several labels are laid out and on a request where only some shipments
// can be printed; the fake answers one PDF with a page per shipment, in the
// order asked, or a ZIP with one .txt holding each label (^XA…^XZ) in that
// order — and refuses the whole request, listing every failing shipment in
// failed_shipments, when any of them cannot be printed (nothing is marked
// printed then).
func (s *Server) shipmentLabels(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ids := strings.Split(q.Get("shipment_ids"), ",")
	format := q.Get("response_type")
	if slices.Contains(ids, "") || (format != "pdf" && format != "zpl2") {
		writeJSON(w, http.StatusBadRequest, `{"message":"shipment_ids and response_type pdf|zpl2 required","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var failed []map[string]any
	for _, id := range ids {
		v, ok := s.view(id)
		msg := ""
		switch {
		case !ok:
			msg = "shipment not found"
		case v.Logistic.Mode != "me2" || !labelTypes[v.Logistic.Type]:
			msg = "logistic type " + v.Logistic.Type + " has no Mercado Envios label"
		case v.Status != "ready_to_ship" || v.Substatus == "invoice_pending" || v.Substatus == "buffered":
			msg = "shipment status " + v.Status + "/" + v.Substatus + ": label not available"
		}
		if msg != "" {
			failed = append(failed, map[string]any{"shipment_id": json.Number(id), "message": msg})
		}
	}
	if len(failed) > 0 {
		b, _ := json.Marshal(map[string]any{"failed_shipments": failed})
		writeJSON(w, http.StatusBadRequest, string(b))
		return
	}
	for _, id := range ids {
		if v, _ := s.view(id); v.Substatus == "ready_to_print" {
			s.shipmentKeys(id)["substatus"] = "printed"
		}
	}
	if format == "pdf" {
		pages := make([][]string, len(ids))
		for i, id := range ids {
			pages[i] = labelLines(id)
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(pdflabel.TextPages(pages...))
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(labelZip(ids...))
}

func (s *Server) fiscalDocuments(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(2 << 20); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"message":"multipart/form-data with fiscal_document required","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	f, hdr, err := r.FormFile("fiscal_document")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, `{"message":"fiscal_document required","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	defer f.Close()
	ct := hdr.Header.Get("Content-Type")
	if ct != "application/pdf" && ct != "application/xml" && ct != "text/xml" {
		writeJSON(w, http.StatusBadRequest, `{"message":"fiscal_document must be application/pdf, application/xml or text/xml","error":"bad_request","status":400,"cause":[]}`)
		return
	}
	b, _ := io.ReadAll(f)
	pack := r.PathValue("id")
	s.mu.Lock()
	known := false
	for _, o := range s.orders {
		var v struct {
			ID     json.Number `json:"id"`
			PackID json.Number `json:"pack_id"`
		}
		_ = json.Unmarshal(o.render(), &v)
		// meli-invoice-and-labels.json attach_invoice_to_pack_buyer_only:
		// the pack's id, or the order's id only when its pack_id is null.
		if string(v.PackID) == pack || (string(v.PackID) == "" && string(v.ID) == pack) {
			known = true
			break
		}
	}
	if !known {
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, `{"message":"pack not found","error":"not_found","status":404,"cause":[]}`)
		return
	}
	if s.fiscalDocs == nil {
		s.fiscalDocs = map[string][][]byte{}
	}
	s.fiscalDocs[pack] = append(s.fiscalDocs[pack], b)
	n := len(s.fiscalDocs[pack])
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, fmt.Sprintf(`{"ids":["%s_fake-%d"]}`, pack, n))
}
