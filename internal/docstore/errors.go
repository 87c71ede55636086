package docstore

import (
	"errors"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/connectparts/portal/internal/apperr"
)

// StorageError turns a full disk or quota (ENOSPC, EDQUOT, PostgreSQL's
// disk_full, SQLite's "database or disk is full") into ENOSPACE and a
// read-only file system or database into EUNAVAILABLE, each with a message
// that says nothing was recorded. Other errors pass unchanged.
func StorageError(err error) error {
	if err == nil || apperr.Code(err) != apperr.EINTERNAL {
		return err
	}
	var pg *pgconn.PgError
	msg := strings.ToLower(err.Error())
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT),
		errors.As(err, &pg) && pg.Code == "53100",
		strings.Contains(msg, "database or disk is full"):
		return apperr.Wrap(err, apperr.ENOSPACE, "Não há espaço no armazenamento para guardar o arquivo; nada foi registrado. Tente novamente mais tarde e, se persistir, avise o suporte da ConnectParts.")
	case errors.Is(err, syscall.EROFS),
		errors.As(err, &pg) && pg.Code == "25006",
		strings.Contains(msg, "readonly database"):
		return apperr.Wrap(err, apperr.EUNAVAILABLE, "O armazenamento de arquivos está somente para leitura no momento; nada foi registrado. Tente novamente em instantes.")
	}
	return err
}
