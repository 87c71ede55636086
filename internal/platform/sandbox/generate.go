package sandbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/platform"
)

// newOrder draws the next order from the generator. Caller holds mu. Every
// random choice goes through p.rng in a fixed order, so a seed (with the same
// products and start) always yields the same orders.
func (p *Platform) newOrder() *platform.Order {
	p.seq++
	r := p.rng
	created := p.cfg.Start.Add(time.Duration(p.seq-1)*p.cfg.Interval + time.Duration(r.IntN(600))*time.Second).UTC()

	o := &platform.Order{
		Platform:   model.PlatformSandbox,
		ExternalID: fmt.Sprintf("SBX-%06d", p.seq),
		Number:     fmt.Sprintf("%06d", p.seq),
		CreatedAt:  created,
		UpdatedAt:  created,
	}

	c := cities[r.IntN(len(cities))]
	st := c.streets[r.IntN(len(c.streets))]
	person := pick(r, firstNames) + " " + pick(r, lastNames) + " " + pick(r, lastNames)
	cu := platform.Customer{
		Email:  emailFor(person, p.seq),
		Phones: []string{fmt.Sprintf("+55%s9%08d", c.ddd, r.IntN(100000000))},
	}
	if r.IntN(100) < 15 {
		surname := person[strings.LastIndexByte(person, ' ')+1:]
		cu.Type = model.PersonCompany
		cu.Name = fmt.Sprintf("%s %s Ltda", pick(r, companyKinds), surname)
		cu.TradeName = fmt.Sprintf("%s %s", pick(r, companyKinds), surname)
		cu.Document = newCNPJ(r)
		if r.IntN(5) == 0 {
			cu.StateRegistration = "ISENTO"
		} else {
			cu.StateRegistration = digits(r, 9+r.IntN(4))
			cu.ICMSContributor = true
		}
		if c.uf == "AM" {
			cu.Suframa = digits(r, 9)
		}
	} else {
		cu.Type = model.PersonIndividual
		cu.Name = person
		cu.Document = newCPF(r)
	}
	o.Customer = cu
	o.Address = platform.Address{
		Recipient:    person,
		Street:       st.name,
		Number:       fmt.Sprint(1 + r.IntN(2999)),
		Complement:   pick(r, complements),
		District:     st.district,
		CEP:          st.cep,
		City:         c.name,
		State:        c.uf,
		Country:      "BR",
		IBGECityCode: c.ibge,
	}

	total := 0
	for _, m := range shippingMethods {
		total += m.weight
	}
	w := r.IntN(total)
	for _, m := range shippingMethods {
		if w < m.weight {
			o.ShippingMethod, o.Carrier, o.ShippingCents = m.method, m.carrier, m.cents
			break
		}
		w -= m.weight
	}

	lines := 1 + r.IntN(min(3, len(p.cfg.Products)))
	perm := r.Perm(len(p.cfg.Products))[:lines]
	for _, i := range perm {
		prod := p.cfg.Products[i]
		price := prod.PriceCents
		if price <= 0 {
			price = int64(19+r.IntN(481))*100 + 90 // R$ 19,90 … R$ 499,90
		}
		qty := int64(1 + r.IntN(3))
		name := prod.Name
		if name == "" {
			name = prod.SKU
		}
		o.Items = append(o.Items, platform.Item{
			SKU: prod.SKU, PlatformItemID: prod.SKU, Name: name,
			Quantity: qty, UnitCents: price, TotalCents: price * qty,
		})
		o.ItemsCents += price * qty
	}
	o.TotalCents = o.ItemsCents + o.ShippingCents

	// Most orders arrive paid and released for handling, as the dropship
	// flow expects; a few are still awaiting payment or were cancelled.
	var s model.SOStatus
	switch n := r.IntN(100); {
	case n < 10:
		s = model.SOAwaitingPayment
	case n < 25:
		s = model.SOPaymentApproved
	case n < 95:
		s = model.SOReadyForHandling
	default:
		s = model.SOCancelled
	}
	o.Status, o.ChannelStatus = s, string(s)
	o.Reserve = reserves(s)
	if o.Reserve {
		paid := created.Add(time.Duration(5+r.IntN(55)) * time.Minute)
		o.PaidAt, o.UpdatedAt = &paid, paid
	}
	if s == model.SOCancelled {
		o.CancelReason = "Pagamento não aprovado"
		o.UpdatedAt = created.Add(2 * time.Hour)
	}
	return o
}

type intner interface{ IntN(int) int }

func pick(r intner, list []string) string { return list[r.IntN(len(list))] }

func digits(r intner, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// newCPF draws nine digits (not all equal) and appends the two check digits.
func newCPF(r intner) string {
	for {
		base := digits(r, 9)
		if strings.Count(base, base[:1]) == 9 {
			continue
		}
		d1 := cpfDigit(base)
		d2 := cpfDigit(base + string(rune('0'+d1)))
		return base + string(rune('0'+d1)) + string(rune('0'+d2))
	}
}

// cpfDigit: weights n+1 … 2 over the n digits; r = 10·sum mod 11; 10 → 0.
func cpfDigit(base string) int {
	sum := 0
	for i := 0; i < len(base); i++ {
		sum += int(base[i]-'0') * (len(base) + 1 - i)
	}
	d := sum * 10 % 11
	if d == 10 {
		d = 0
	}
	return d
}

var (
	cnpjWeights1 = []int{5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
	cnpjWeights2 = []int{6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2}
)

// newCNPJ draws an eight-digit root, branch 0001 and appends the check digits.
func newCNPJ(r intner) string {
	base := digits(r, 8) + "0001"
	d1 := cnpjDigit(base, cnpjWeights1)
	d2 := cnpjDigit(base+string(rune('0'+d1)), cnpjWeights2)
	return base + string(rune('0'+d1)) + string(rune('0'+d2))
}

func cnpjDigit(base string, weights []int) int {
	sum := 0
	for i := 0; i < len(base); i++ {
		sum += int(base[i]-'0') * weights[i]
	}
	if r := sum % 11; r >= 2 {
		return 11 - r
	}
	return 0
}

// emailFor builds an address on example.com (reserved for examples, so demo
// data never reaches a real mailbox).
func emailFor(name string, seq int) string {
	parts := strings.Fields(platform.Fold(name))
	return fmt.Sprintf("%s.%s%d@example.com", parts[0], parts[len(parts)-1], seq)
}
