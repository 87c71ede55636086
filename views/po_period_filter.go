package views

import "strings"

// POPeriodProps are the PO list's period filters as given in the URL.
type POPeriodProps struct {
	Date     string // created, dispatched, shipped
	From, To string // YYYY-MM-DD
	Lead     string // dispatched, shipped
	LeadMin  string // hours
	LeadMax  string
	Shipped  string // any, on_time, late
	Error    string
}

// Active reports whether a lead or shipped filter narrows the list (shown
// as a note with a link that removes it).
func (p POPeriodProps) Active() bool { return p.Lead != "" || p.Shipped != "" }

// Summary says in Portuguese what the lead and shipped filters keep.
func (p POPeriodProps) Summary() string {
	var parts []string
	if p.Lead != "" {
		step := "o despacho"
		if p.Lead == "shipped" {
			step = "o envio"
		}
		s := "tempo da aprovação do pagamento até " + step
		switch {
		case p.LeadMin != "" && p.LeadMax != "":
			s += " de " + p.LeadMin + " h a menos de " + p.LeadMax + " h"
		case p.LeadMin != "":
			s += " de " + p.LeadMin + " h ou mais"
		case p.LeadMax != "":
			s += " abaixo de " + p.LeadMax + " h"
		}
		parts = append(parts, s)
	}
	switch p.Shipped {
	case "any":
		parts = append(parts, "enviados")
	case "on_time":
		parts = append(parts, "enviados no prazo")
	case "late":
		parts = append(parts, "enviados após o prazo")
	}
	return strings.Join(parts, "; ")
}
