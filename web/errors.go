package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/views"
)

// statusFor maps application error codes to HTTP statuses, in this one place.
func statusFor(code string) int {
	switch code {
	case apperr.EINVALID:
		return http.StatusUnprocessableEntity
	case apperr.EMALFORMED:
		return http.StatusBadRequest
	case apperr.ENOTFOUND:
		return http.StatusNotFound
	case apperr.ECONFLICT:
		return http.StatusConflict
	case apperr.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case apperr.EFORBIDDEN:
		return http.StatusForbidden
	case apperr.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case apperr.ERATELIMIT, apperr.ELOCKED:
		return http.StatusTooManyRequests
	case apperr.ENOSPACE:
		return http.StatusInsufficientStorage
	case apperr.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fromFiber turns Fiber's own errors (body too large, bad request…) into application errors.
func fromFiber(err error) error {
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return err
	}
	switch fe.Code {
	case http.StatusRequestEntityTooLarge:
		return apperr.Errorf(apperr.ETOOLARGE, "O envio é grande demais.")
	case http.StatusNotFound:
		return apperr.Errorf(apperr.ENOTFOUND, "Página não encontrada.")
	case http.StatusMethodNotAllowed:
		return apperr.Errorf(apperr.ENOTFOUND, "Página não encontrada.")
	case http.StatusBadRequest:
		return apperr.Errorf(apperr.EMALFORMED, "Requisição malformada.")
	case http.StatusRequestTimeout:
		return apperr.Errorf(apperr.EMALFORMED, "A requisição demorou demais para chegar.")
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return apperr.Errorf(apperr.EMALFORMED, "Requisição inválida.")
	}
	return apperr.Wrap(err, apperr.EINTERNAL, "")
}

var errorTitles = map[int]string{
	400: "Requisição inválida", 401: "Entre para continuar", 403: "Acesso negado", 404: "Página não encontrada",
	409: "Conflito", 413: "Envio grande demais", 422: "Dados inválidos", 429: "Muitas tentativas",
	500: "Erro interno", 503: "Temporariamente indisponível", 507: "Armazenamento cheio",
}

// handleError is Fiber's error handler: JSON under /api, a Portuguese page elsewhere.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	err = s.drainError(err)
	var fe *fiber.Error
	bodyLimit := errors.As(err, &fe) && fe.Code == http.StatusRequestEntityTooLarge
	err = fromFiber(err)
	if statusFor(apperr.Code(err)) == http.StatusInternalServerError {
		err = s.asOutage(c.UserContext(), err)
	}
	code := apperr.Code(err)
	status := statusFor(code)
	msg := apperr.Message(err)
	if status == http.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
	}
	if bodyLimit { // a service's own size limit keeps its message
		msg = "O envio é grande demais: o limite é de " + mb(s.cfg.MaxBodyBytes) + "."
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", status, "err", err, "request_id", c.Locals(localRequestID))
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		details := apperr.Details(err)
		if details == nil {
			details = []apperr.Detail{}
		}
		return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": msg, "details": details}})
	}
	if c.Get("HX-Request") == "true" {
		return c.Status(status).SendString(msg)
	}
	title := errorTitles[status]
	if title == "" {
		title = "Erro"
	}
	c.Status(status)
	return s.render(c, views.ErrorPage(views.ErrorProps{Status: status, Title: title, Message: msg}))
}

func mb(n int) string {
	return strings.TrimSuffix(strings.TrimSuffix(fmtFloat(float64(n)/(1<<20)), "0"), ",") + " MB"
}

func fmtFloat(f float64) string {
	whole := int64(f)
	frac := int64((f-float64(whole))*10 + 0.5)
	if frac == 10 {
		whole, frac = whole+1, 0
	}
	return itoa(whole) + "," + itoa(frac)
}

func (s *Server) handleNotFound(c *fiber.Ctx) error {
	return apperr.Errorf(apperr.ENOTFOUND, "A página %s não existe ou foi removida.", c.Path())
}

func (s *Server) handleAPINotFound(c *fiber.Ctx) error {
	return apperr.Errorf(apperr.ENOTFOUND, "Recurso não encontrado: %s %s.", c.Method(), c.Path())
}
