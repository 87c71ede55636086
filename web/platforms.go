package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/model"
	"github.com/connectparts/portal/internal/store"
	"github.com/connectparts/portal/internal/syncengine"
	"github.com/connectparts/portal/views"
)

func (s *Server) handlePlatformList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, f := platformListFilter(c)
	items, err := s.store.SearchPlatforms(ctx, f)
	if err != nil {
		return err
	}
	latest, err := s.store.LatestSyncRuns(ctx)
	if err != nil {
		return err
	}
	if fm, ok := exportFormat(c); ok {
		return s.exportPlatforms(c, fm, items, latest)
	}
	p.Items, p.Latest = items, latest
	p.Pager = pager(c, store.Page{Number: 1, Size: max(len(items), 1)}, int64(len(items)))
	return s.render(c, views.PlatformsPage(p))
}

func platformKind(v string) string {
	for _, k := range views.PlatformKinds {
		if k == v {
			return k
		}
	}
	return model.PlatformVTEX
}

func (s *Server) handlePlatformNew(c *fiber.Ctx) error {
	return s.render(c, views.PlatformNewPage(views.PlatformFormProps{
		Kind: platformKind(c.Query("kind")), ImportFrom: string(model.ImportFromAwaitingPayment), POAt: string(model.POAtReadyForHandling),
		Interval: strconv.Itoa(int(model.DefaultImportInterval.Minutes())), Errors: views.FieldErrors{},
	}))
}

// settingsFromForm reads the kind's settings (inputs named s_<key>); blank
// ones are left out.
func settingsFromForm(c *fiber.Ctx, kind string) map[string]string {
	out := map[string]string{}
	for _, f := range views.PlatformSettingFields[kind] {
		if v := strings.TrimSpace(c.FormValue("s_" + f.Key)); v != "" {
			out[f.Key] = copyString(v)
		}
	}
	return out
}

// intervalFromForm reads the import interval in minutes.
func intervalFromForm(c *fiber.Ctx) (time.Duration, string, views.FieldErrors) {
	raw := copyString(strings.TrimSpace(c.FormValue("interval")))
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, raw, views.FieldErrors{"interval": "Informe um número inteiro de minutos."}
	}
	d := time.Duration(n) * time.Minute
	if err := syncengine.CheckImportInterval(d); err != nil {
		_, fe := fieldErrors(err)
		return 0, raw, fe
	}
	return d, raw, nil
}

// platformFieldErrors maps the service's field names to the form's inputs.
func platformFieldErrors(err error, kind string) views.FieldErrors {
	_, fe := fieldErrors(err)
	out := views.FieldErrors{}
	settingKeys := map[string]bool{}
	for _, f := range views.PlatformSettingFields[kind] {
		settingKeys[f.Key] = true
	}
	for k, v := range fe {
		if settingKeys[k] {
			out["s_"+k] = v
		} else {
			out[k] = v
		}
	}
	return out
}

// publicSettings keeps the values that may be shown again (never secrets).
func publicSettings(kind string, settings map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range views.PlatformSettingFields[kind] {
		if !f.Secret {
			out[f.Key] = settings[f.Key]
		}
	}
	return out
}

func (s *Server) handlePlatformCreate(c *fiber.Ctx) error {
	kind := platformKind(c.FormValue("kind"))
	in := syncengine.NewPlatform{
		Kind: kind, Name: copyString(strings.TrimSpace(c.FormValue("name"))),
		BaseURL: copyString(strings.TrimSpace(c.FormValue("base_url"))), Settings: settingsFromForm(c, kind),
	}
	from := copyString(c.FormValue("import_from"))
	in.Settings["import_from"] = from
	poAt := copyString(strings.TrimSpace(c.FormValue("po_at")))
	in.Settings["po_at"] = poAt
	interval, rawInterval, fe := intervalFromForm(c)
	in.ImportInterval = interval
	var p *model.Platform
	var err error
	if fe == nil {
		p, err = s.syncEngine.AddPlatform(c.UserContext(), in)
	} else {
		// Check the rest too, so that every problem shows at once.
		err = syncengine.ValidateSettings(kind, in.BaseURL, in.Settings)
		if err == nil {
			err = apperr.Invalid("Corrija os campos destacados.")
		}
	}
	if err != nil || fe != nil {
		if !isUserError(err) {
			return err
		}
		errs := platformFieldErrors(err, kind)
		for k, v := range fe {
			errs[k] = v
		}
		msg := apperr.Message(err)
		if apperr.Is(err, apperr.ECONFLICT) {
			errs["name"] = msg
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return s.render(c, views.PlatformNewPage(views.PlatformFormProps{
			Kind: kind, Name: in.Name, BaseURL: in.BaseURL, Settings: publicSettings(kind, in.Settings),
			ImportFrom: from, POAt: poAt, Interval: rawInterval, Errors: errs, Error: msg,
		}))
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), "success", "Plataforma "+p.Name+" conectada. Vincule as formas de envio às transportadoras para importar os pedidos.")
}

// platformProps loads what the platform page shows besides the form.
func (s *Server) platformProps(c *fiber.Ctx, p *model.Platform) (views.PlatformProps, error) {
	ctx := c.UserContext()
	props := views.PlatformProps{
		Platform: *p, BaseURL: p.BaseURL, Enabled: p.Enabled, ImportFrom: string(p.ImportFrom), POAt: string(p.POAt),
		Interval: strconv.Itoa(p.ImportIntervalSeconds / 60), Errors: views.FieldErrors{},
		Configured: map[string]bool{},
	}
	settings, err := s.syncEngine.Registry().Settings(p)
	if err != nil {
		return props, err
	}
	for k, v := range settings {
		props.Configured[k] = v != ""
	}
	props.Settings = publicSettings(p.Kind, settings)
	if props.Mappings, err = s.store.ListCarrierMappings(ctx, p.ID); err != nil {
		return props, err
	}
	if props.Carriers, err = s.store.ListCarriers(ctx); err != nil {
		return props, err
	}
	if props.Runs, err = s.store.ListSyncRuns(ctx, p.ID, 10); err != nil {
		return props, err
	}
	props.HookURL = s.hookURL(p.HookURL, syncengine.HookPath(p))
	props.BackfillDays = strconv.Itoa(syncengine.DefaultBackfillDays)
	return props, nil
}

func (s *Server) loadPlatform(c *fiber.Ctx) (*model.Platform, error) {
	id, err := paramID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.store.FindPlatform(c.UserContext(), id)
}

func (s *Server) handlePlatformShow(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	props, err := s.platformProps(c, p)
	if err != nil {
		return err
	}
	return s.render(c, views.PlatformPage(props))
}

func (s *Server) handlePlatformUpdate(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	ch := syncengine.PlatformChange{
		BaseURL: copyString(strings.TrimSpace(c.FormValue("base_url"))), Enabled: c.FormValue("enabled") == "1",
		ImportFrom: copyString(c.FormValue("import_from")), POAt: copyString(strings.TrimSpace(c.FormValue("po_at"))),
		Settings: settingsFromForm(c, p.Kind),
	}
	interval, rawInterval, fe := intervalFromForm(c)
	ch.ImportInterval = interval
	if fe == nil {
		_, err = s.syncEngine.UpdatePlatform(c.UserContext(), p.ID, ch)
		if err == nil {
			return redirectWith(c, "/platforms/"+itoa(p.ID), "success", "Plataforma atualizada.")
		}
		if !isUserError(err) {
			return err
		}
	}
	props, perr := s.platformProps(c, p)
	if perr != nil {
		return perr
	}
	props.Errors = views.FieldErrors{}
	props.Error = "Corrija os campos destacados."
	if err != nil {
		props.Errors = platformFieldErrors(err, p.Kind)
		props.Error = apperr.Message(err)
	}
	for k, v := range fe {
		props.Errors[k] = v
	}
	// Show what was typed, except secrets.
	props.BaseURL, props.Enabled, props.ImportFrom, props.POAt, props.Interval = ch.BaseURL, ch.Enabled, ch.ImportFrom, ch.POAt, rawInterval
	for k, v := range publicSettings(p.Kind, ch.Settings) {
		if v != "" {
			props.Settings[k] = v
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return s.render(c, views.PlatformPage(props))
}

func (s *Server) handlePlatformCarrierMap(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	method := copyString(strings.TrimSpace(c.FormValue("method")))
	carrier := copyString(strings.TrimSpace(c.FormValue("carrier")))
	back := "/platforms/" + itoa(p.ID)
	if _, err := s.syncEngine.MapCarrier(c.UserContext(), p.Name, method, carrier); err != nil {
		if !isUserError(err) {
			return err
		}
		return redirectWith(c, back, "error", apperr.Message(err))
	}
	return redirectWith(c, back, "success", "Forma de envio "+method+" vinculada a "+carrier+".")
}

func (s *Server) handlePlatformCarrierUnmap(c *fiber.Ctx) error {
	p, err := s.loadPlatform(c)
	if err != nil {
		return err
	}
	method := copyString(strings.TrimSpace(c.FormValue("method")))
	if err := s.syncEngine.UnmapCarrier(c.UserContext(), p.ID, method); err != nil {
		return err
	}
	return redirectWith(c, "/platforms/"+itoa(p.ID), "success", "Vínculo da forma de envio "+method+" removido.")
}
