package views

import (
	"strconv"

	"github.com/connectparts/portal/internal/model"
)

// PersonalDataViewsProps is the log of the suppliers' sights of customers'
// personal data (LGPD), for admins.
type PersonalDataViewsProps struct {
	Rows      []model.PersonalDataView
	Suppliers []model.Supplier
	Users     []model.User // the supplier users that appear in the log
	Days      int          // the setting in force, shown above the list
	// Filters as typed (kept in the URL).
	SupplierID, UserID, PONumber, Channel, From, To string
	Error                                           string
	Pager                                           Pagination
}

// supplierName names a row's supplier from the filter's list.
func (p PersonalDataViewsProps) supplierName(id int64) string {
	for _, s := range p.Suppliers {
		if s.ID == id {
			return s.DisplayName()
		}
	}
	return "#" + strconv.FormatInt(id, 10)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// poStreet is the delivery street line, "Rua X, 10 apto 2"; "—" when masked.
func poStreet(po model.PurchaseOrder) string {
	if po.DeliveryStreet == "" && po.DeliveryNumber == "" {
		return "—"
	}
	s := po.DeliveryStreet + ", " + po.DeliveryNumber
	if po.DeliveryComplement != "" {
		s += " " + po.DeliveryComplement
	}
	return s
}
