package model

// Label is the run's outcome in Portuguese.
func (s SyncRunStatus) Label() string {
	switch s {
	case SyncRunning:
		return "Em andamento"
	case SyncOK:
		return "Concluída"
	case SyncFailed:
		return "Falhou"
	case SyncInterrupted:
		return "Interrompida"
	}
	return string(s)
}

// SyncKindLabel is a sync run kind in Portuguese.
func SyncKindLabel(kind string) string {
	switch kind {
	case SyncKindImport:
		return "Importação de pedidos"
	case "stock_push":
		return "Envio de estoque"
	case "status_push":
		return "Envio de status"
	}
	return kind
}

// ImportFromLabel is the import_from setting in Portuguese.
func ImportFromLabel(f ImportFrom) string {
	switch f {
	case ImportFromAwaitingPayment:
		return "Aguardando pagamento"
	case ImportFromPaymentConfirmed:
		return "Pagamento confirmado"
	}
	return string(f)
}

// PlatformKindLabel is a platform kind as the pages show it.
func PlatformKindLabel(kind string) string {
	switch kind {
	case PlatformSandbox:
		return "Demonstração (sandbox)"
	}
	return PlatformName(kind)
}

// PersonTypeLabel is PF/PJ spelled out.
func PersonTypeLabel(t PersonType) string {
	switch t {
	case PersonIndividual:
		return "Pessoa física (PF)"
	case PersonCompany:
		return "Pessoa jurídica (PJ)"
	}
	return "—"
}
