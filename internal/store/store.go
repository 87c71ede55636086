// Package store persists the domain through GORM, one file per aggregate.
// Every write that changes state records an audit entry in the same transaction.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/connectparts/portal/internal/apperr"
	"github.com/connectparts/portal/internal/database"
	"github.com/connectparts/portal/internal/model"
)

// Store is the persistence entry point.
type Store struct {
	db      *gorm.DB
	dialect database.Dialect
	now     func() time.Time
	// stockHook runs inside the transaction of every stock change, once, at
	// its end (the sync engine enqueues its stock pushes there); nil:
	// nothing runs.
	stockHook func(ctx context.Context) error
	// publishing: the base URL of links, whether SMTP is configured and
	// the queue of the e-mail and webhook jobs (see Publish).
	publishing PublishOptions
	// dayFlights: one computation at a time of each dashboard day;
	// dayMemo: the days this process last read or computed, by generation
	// (dashboard_cache.go)
	dayFlights *dayFlights
	dayMemo    *dayMemo
}

// New builds a Store on an open database, with no hooks (tests, the CLI's
// one-off commands, the job queue's own reads).
func New(db *database.DB) *Store { return NewWith(db, Options{}) }

// Options are what the store runs beyond persisting, given at construction.
type Options struct {
	// StockHook runs in the transaction of every stock change, once, after
	// every other statement of the transaction (the sync engine enqueues its
	// stock pushes there: the unique push job's row is locked last, see
	// stockChangedAtCommit): an error rolls the change back. nil: nothing
	// runs.
	StockHook func(ctx context.Context) error
	// Publishing configures Publish beyond the in-app notification.
	Publishing PublishOptions
}

// NewWith builds a Store with its hooks (app wiring).
func NewWith(db *database.DB, o Options) *Store {
	return &Store{db: db.Gorm, dialect: db.Dialect, dayFlights: &dayFlights{}, dayMemo: &dayMemo{}, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		stockHook: o.StockHook, publishing: o.Publishing}
}

// SetClock replaces the clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Clock returns the clock SetClock replaced (the demo seed runs its story on
// a clock of its own and puts this one back).
func (s *Store) Clock() func() time.Time { return s.now }

// Now returns the store's current time in UTC.
func (s *Store) Now() time.Time { return s.now() }

type txKey struct{}

// conn returns the transaction in ctx, or the pool.
func (s *Store) conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return s.db.WithContext(ctx)
}

// Tx runs fn in a transaction; nested calls join the outer transaction.
// The ctx passed to fn carries the transaction, so store calls inside join it.
func (s *Store) Tx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ctx = context.WithValue(ctx, txKey{}, tx)
		once := &txOnce{}
		ctx = context.WithValue(ctx, txOnceKey{}, once)
		if err := fn(ctx); err != nil {
			return err
		}
		return once.runBeforeCommit(ctx)
	})
}

type txOnceKey struct{}

// txOnce remembers the keys FirstInTx saw in one transaction, and the work
// deferred to its end (beforeCommit).
type txOnce struct {
	mu     sync.Mutex
	seen   map[string]bool
	before []func(ctx context.Context) error
}

// beforeCommit defers fn to the end of the transaction of ctx: it runs, in
// the transaction, once the outermost Tx's function has returned without
// error, before the commit (an error rolls everything back). Outside a
// transaction fn runs at once.
func beforeCommit(ctx context.Context, fn func(ctx context.Context) error) error {
	o, ok := ctx.Value(txOnceKey{}).(*txOnce)
	if !ok {
		return fn(ctx)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.before = append(o.before, fn)
	return nil
}

// runBeforeCommit runs the deferred work in order; work deferred meanwhile
// runs too.
func (o *txOnce) runBeforeCommit(ctx context.Context) error {
	for i := 0; ; i++ {
		o.mu.Lock()
		if i >= len(o.before) {
			o.mu.Unlock()
			return nil
		}
		fn := o.before[i]
		o.mu.Unlock()
		if err := fn(ctx); err != nil {
			return err
		}
	}
}

// FirstInTx reports whether key is seen for the first time in the
// transaction of ctx (always true outside a transaction): work that a
// transaction needs once, however many changes it makes — queueing one job —
// is done once.
func FirstInTx(ctx context.Context, key string) bool {
	o, ok := ctx.Value(txOnceKey{}).(*txOnce)
	if !ok {
		return true
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen[key] {
		return false
	}
	if o.seen == nil {
		o.seen = map[string]bool{}
	}
	o.seen[key] = true
	return true
}

// SQLTx returns the *sql.Tx of the transaction in ctx, for River's InsertTx.
func SQLTx(ctx context.Context) (*sql.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil, false
	}
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	return sqlTx, ok
}

// audit writes one audit entry with the actor of ctx.
func (s *Store) audit(ctx context.Context, action, entity string, entityID any, supplierID *int64, details any) error {
	a := model.ActorFrom(ctx)
	var d string
	switch v := details.(type) {
	case nil:
	case string:
		d = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		d = string(b)
	}
	e := model.AuditEntry{
		At: s.now(), UserID: a.UserID, Actor: a.Label, IP: a.IP,
		Action: action, Entity: entity, EntityID: toString(entityID), SupplierID: supplierID, Details: d,
	}
	return s.conn(ctx).Create(&e).Error
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return strings.Trim(string(b), `"`)
	}
}

// translate maps database errors onto application errors.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return apperr.Errorf(apperr.ENOTFOUND, "%s não encontrado(a).", what)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return apperr.Wrap(err, apperr.ECONFLICT, what+" já existe.")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return apperr.Wrap(err, apperr.ECONFLICT, what+" está em uso ou referencia um registro inexistente.")
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(err, apperr.EINTERNAL, "erro no banco de dados")
}

// Page selects one page of a list.
type Page struct {
	Number int // 1-based
	Size   int
}

// Normalize clamps the page into sane bounds.
func (p Page) Normalize() Page {
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Size < 1 || p.Size > 200 {
		p.Size = 25
	}
	return p
}

func (p Page) offset() int { return (p.Number - 1) * p.Size }

// likePattern escapes a user search for LIKE, case-insensitively.
func likePattern(q string) string {
	q = strings.ToLower(strings.TrimSpace(q))
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}
