package model

import (
	"reflect"
	"testing"
)

// Each staff role sees in the inbox only the kinds whose fix it may run;
// suppliers and viewers see none.
func TestExceptionKindsPerRole(t *testing.T) {
	cases := map[Role][]ExceptionKind{
		RoleAdmin:      ExceptionKinds,
		RolePurchasing: {ExcBlockedSKU, ExcNoPrice, ExcBackordered, ExcCancelledAfter},
		RoleFiscal:     {ExcInvoiceDivergent},
		RoleLogistics:  {ExcLate},
		RoleViewer:     nil,
		RoleSupplier:   nil,
	}
	for role, want := range cases {
		u := &User{Role: role, Active: true}
		if got := u.ExceptionKinds(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", role, got, want)
		}
		for _, k := range ExceptionKinds {
			in := false
			for _, w := range want {
				in = in || w == k
			}
			if u.CanFix(k) != in {
				t.Errorf("%s CanFix(%s) = %v", role, k, !in)
			}
		}
	}
	if (&User{Role: RoleAdmin}).ExceptionKinds() != nil {
		t.Error("an inactive admin sees the inbox")
	}
}
