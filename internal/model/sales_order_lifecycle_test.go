package model_test

import (
	"testing"

	"github.com/connectparts/portal/internal/model"
)

func TestSalesOrderStatusGroups(t *testing.T) {
	paid := map[model.SOStatus]bool{model.SOPaymentApproved: true, model.SOReadyForHandling: true, model.SOHandling: true,
		model.SOInvoiced: true, model.SODispatched: true, model.SODelivered: true}
	invoiced := map[model.SOStatus]bool{model.SOInvoiced: true, model.SODispatched: true, model.SODelivered: true}
	dispatched := map[model.SOStatus]bool{model.SODispatched: true, model.SODelivered: true}
	for _, s := range append(model.SOStatuses, model.SOUnknown) {
		if s.PaymentApproved() != paid[s] || s.Invoiced() != invoiced[s] || s.Dispatched() != dispatched[s] {
			t.Errorf("%q: paid %v invoiced %v dispatched %v", s, s.PaymentApproved(), s.Invoiced(), s.Dispatched())
		}
	}
}
