// Package privacy applies the LGPD rule to what suppliers see: the customer's
// personal data on a purchase order is shown to its supplier while the PO is
// open and for a configurable number of days after it is closed, masked after
// that, and every unmasked sight by a supplier user is logged. Staff are
// never masked nor logged. Every page, API answer, export and search result
// that shows a PO's customer goes through here, so the rule lives in one
// place (the masking itself is model.PurchaseOrder.MaskPersonalData).
package privacy

import (
	"context"
	"time"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/format"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/nfe"
)

// Store is what the rule needs: the setting, the clock and the log.
type Store interface {
	PersonalDataDays(ctx context.Context) (int, error)
	CreatePersonalDataViews(ctx context.Context, views []model.PersonalDataView) error
	Now() time.Time
}

// Service applies the rule.
type Service struct {
	store Store
}

// New returns the service.
func New(st Store) *Service { return &Service{store: st} }

// Sight is one look at purchase orders by a user: begun with Begin, each PO
// passed to Apply (masked in place when its window is over), the unmasked
// ones logged by Flush. For staff every step does nothing.
type Sight struct {
	user    *model.User
	channel string
	path    string
	ip      string
	days    int
	now     time.Time
	seen    []model.PersonalDataView
	logged  map[int64]bool
}

// Begin starts a sight of POs by u through channel (model.ViewChannel…) at
// path; the client address comes from the actor in ctx.
func (s *Service) Begin(ctx context.Context, u *model.User, channel, path string) (*Sight, error) {
	sg := &Sight{user: u, channel: channel, path: path, ip: model.ActorFrom(ctx).IP, logged: map[int64]bool{}}
	if !supplierUser(u) {
		return sg, nil
	}
	days, err := s.store.PersonalDataDays(ctx)
	if err != nil {
		return nil, err
	}
	sg.days, sg.now = days, s.store.Now()
	return sg, nil
}

func supplierUser(u *model.User) bool { return u != nil && u.Role == model.RoleSupplier }

// Apply masks po when u is a supplier user and the PO's window is over, and
// otherwise remembers the sight of its customer's data (for a supplier).
// It reports whether po was masked.
func (sg *Sight) Apply(po *model.PurchaseOrder) bool {
	if !supplierUser(sg.user) {
		return false
	}
	if po.PersonalDataExpired(sg.now, sg.days) {
		po.MaskPersonalData()
		return true
	}
	if !sg.logged[po.ID] {
		sg.logged[po.ID] = true
		sg.seen = append(sg.seen, model.PersonalDataView{UserID: sg.user.ID, Actor: sg.user.Email, SupplierID: po.SupplierID,
			POID: po.ID, PONumber: po.Number, Channel: sg.channel, Path: sg.path, IP: sg.ip})
	}
	return false
}

// Expired reports, without masking or logging, whether po's customer data is
// past its window for the user.
func (sg *Sight) Expired(po *model.PurchaseOrder) bool {
	return supplierUser(sg.user) && po.PersonalDataExpired(sg.now, sg.days)
}

// Flush writes the sights remembered since the last Flush.
func (s *Service) Flush(ctx context.Context, sg *Sight) error {
	if len(sg.seen) == 0 {
		return nil
	}
	err := s.store.CreatePersonalDataViews(ctx, sg.seen)
	sg.seen = nil
	return err
}

// Protect applies the rule to pos as one sight and logs it.
func (s *Service) Protect(ctx context.Context, u *model.User, channel, path string, pos ...*model.PurchaseOrder) error {
	sg, err := s.Begin(ctx, u, channel, path)
	if err != nil {
		return err
	}
	for _, po := range pos {
		sg.Apply(po)
	}
	return s.Flush(ctx, sg)
}

// ProtectList is Protect over a slice of POs, masked in place.
func (s *Service) ProtectList(ctx context.Context, u *model.User, channel, path string, pos []model.PurchaseOrder) error {
	ptrs := make([]*model.PurchaseOrder, len(pos))
	for i := range pos {
		ptrs[i] = &pos[i]
	}
	return s.Protect(ctx, u, channel, path, ptrs...)
}

// ProtectDocument applies the rule to an NF-e to the PO's customer (the
// billing invoice's DANFE): its recipient is masked like the PO.
func (s *Service) ProtectDocument(ctx context.Context, u *model.User, channel, path string, po *model.PurchaseOrder, doc *nfe.Document) error {
	if err := s.Protect(ctx, u, channel, path, po); err != nil {
		return err
	}
	if po.PersonalDataMasked {
		MaskParty(&doc.Recipient)
	}
	return nil
}

// MaskParty masks an NF-e party the way MaskPersonalData masks a PO's
// customer: name, document, contacts, and the address reduced to city/UF.
func MaskParty(p *nfe.Party) {
	p.Name, p.TradeName = model.MaskName(p.Name), model.MaskName(p.TradeName)
	if p.CNPJ != "" {
		p.CNPJ = model.MaskDocument(p.CNPJ)
	}
	if p.CPF != "" {
		p.CPF = model.MaskDocument(p.CPF)
	}
	if p.ForeignID != "" {
		p.ForeignID = "***"
	}
	if p.IE != "" && p.IE != "ISENTO" {
		p.IE = "***"
	}
	if p.SUFRAMA != "" {
		p.SUFRAMA = "***"
	}
	p.Email = model.MaskEmail(p.Email)
	a := &p.Address
	a.Street, a.Number, a.Complement, a.District, a.CEP = "", "", "", "", ""
	if a.Phone != "" {
		a.Phone = model.MaskPhone(a.Phone)
	}
}

// AllowFile answers whether u may download a file holding the PO's customer
// data as it was issued (the billing NF-e XML, a shipping label): staff
// always; the supplier within the window (and the download is logged), after
// it EFORBIDDEN saying why.
func (s *Service) AllowFile(ctx context.Context, u *model.User, path string, po *model.PurchaseOrder) error {
	sg, err := s.Begin(ctx, u, model.ViewChannelFile, path)
	if err != nil {
		return err
	}
	if sg.Expired(po) {
		return apperr.Errorf(apperr.EFORBIDDEN,
			"Os dados pessoais do cliente do pedido %s deixaram de estar disponíveis ao fornecedor em %s (LGPD): este arquivo os contém. Se precisar dele, peça à ConnectParts.",
			po.Number, format.DateTime(*po.PersonalDataUntil(sg.days)))
	}
	sg.Apply(po)
	return s.Flush(ctx, sg)
}
