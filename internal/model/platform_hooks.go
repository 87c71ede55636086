package model

// HookStatus is what the platform page shows of a platform's notification hook.
func (p *Platform) HookStatus() string {
	switch {
	case p.HookRegisteredAt != nil:
		return "Registrado"
	case p.HookError != "":
		return "Falhou: " + p.HookError
	}
	return "Não registrado"
}
