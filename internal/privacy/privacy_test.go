package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/privacy"
)

type fakeStore struct {
	days int
	now  time.Time
	log  []model.PersonalDataView
}

func (f *fakeStore) PersonalDataDays(context.Context) (int, error) { return f.days, nil }
func (f *fakeStore) Now() time.Time                                { return f.now }
func (f *fakeStore) CreatePersonalDataViews(_ context.Context, v []model.PersonalDataView) error {
	f.log = append(f.log, v...)
	return nil
}

func pos(now time.Time) (open, recent, old model.PurchaseOrder) {
	r, o := now.AddDate(0, 0, -2), now.AddDate(0, 0, -9)
	open = model.PurchaseOrder{ID: 1, Number: "PC-1", SupplierID: 5, CustomerName: "Ana Souza", CustomerDocument: "12345678909"}
	recent, old = open, open
	recent.ID, recent.Number, recent.ShippedAt = 2, "PC-2", &r
	old.ID, old.Number, old.ShippedAt = 3, "PC-3", &o
	return
}

func TestProtectSupplierAndStaff(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	st := &fakeStore{days: 7, now: now}
	svc := privacy.New(st)
	supplierID := int64(5)
	sup := &model.User{ID: 9, Email: "f@x.test", Role: model.RoleSupplier, SupplierID: &supplierID}
	ctx := model.WithActor(context.Background(), model.UserActor(sup, "203.0.113.7"))

	open, recent, old := pos(now)
	list := []model.PurchaseOrder{open, recent, old, open}
	if err := svc.ProtectList(ctx, sup, model.ViewChannelPage, "/purchase-orders", list); err != nil {
		t.Fatal(err)
	}
	if list[0].PersonalDataMasked || list[1].PersonalDataMasked || !list[2].PersonalDataMasked || list[2].CustomerName != "A*** S***" {
		t.Errorf("supplier: masked %v %v %v (%q)", list[0].PersonalDataMasked, list[1].PersonalDataMasked, list[2].PersonalDataMasked, list[2].CustomerName)
	}
	if len(st.log) != 2 || st.log[0].PONumber != "PC-1" || st.log[1].PONumber != "PC-2" || st.log[0].IP != "203.0.113.7" ||
		st.log[0].UserID != 9 || st.log[0].Channel != model.ViewChannelPage {
		t.Errorf("supplier log (the unmasked POs once each): %+v", st.log)
	}
	if err := svc.AllowFile(ctx, sup, "/x/label", &old); !apperr.Is(err, apperr.EFORBIDDEN) {
		t.Errorf("file of a PO past the window: %v", err)
	}
	if err := svc.AllowFile(ctx, sup, "/x/label", &recent); err != nil || len(st.log) != 3 {
		t.Errorf("file within the window: %v, %d logged", err, len(st.log))
	}

	st.log = nil
	staff := &model.User{ID: 1, Role: model.RolePurchasing}
	open, recent, old = pos(now)
	if err := svc.Protect(ctx, staff, model.ViewChannelAPI, "/api", &open, &recent, &old); err != nil {
		t.Fatal(err)
	}
	if old.PersonalDataMasked || old.CustomerName != "Ana Souza" || len(st.log) != 0 {
		t.Errorf("staff: masked %v, %d logged", old.PersonalDataMasked, len(st.log))
	}
	if err := svc.AllowFile(ctx, staff, "/x/label", &old); err != nil {
		t.Errorf("staff file: %v", err)
	}
}
