package store

import (
	"context"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// CaptureSQL runs fn with a context whose store calls build their
// statements without running them (GORM's dry run) and returns those
// statements with their arguments inlined: the very queries of the store's
// methods, for EXPLAIN (the plan test) and for operators.
func (s *Store) CaptureSQL(ctx context.Context, fn func(ctx context.Context) error) ([]string, error) {
	c := &sqlCapture{}
	dry := s.db.Session(&gorm.Session{DryRun: true, Logger: c, NewDB: true})
	err := fn(context.WithValue(ctx, txKey{}, dry))
	return c.sql, err
}

// TraceSQL runs fn for real and returns the statements it executed, with
// their arguments inlined (tests: the plan of a statement whose shape
// depends on what an earlier one found).
func (s *Store) TraceSQL(ctx context.Context, fn func(ctx context.Context) error) ([]string, error) {
	c := &sqlCapture{}
	traced := s.db.Session(&gorm.Session{Logger: c, NewDB: true})
	err := fn(context.WithValue(ctx, txKey{}, traced))
	return c.sql, err
}

// Explain returns PostgreSQL's plan of a statement (EXPLAIN, not ANALYZE).
func (s *Store) Explain(ctx context.Context, sql string) (string, error) {
	var lines []string
	if err := s.conn(ctx).Raw("EXPLAIN " + sql).Scan(&lines).Error; err != nil {
		return "", translate(err, "Plano")
	}
	return strings.Join(lines, "\n"), nil
}

// sqlCapture is a GORM logger keeping every traced statement.
type sqlCapture struct {
	mu  sync.Mutex
	sql []string
}

func (c *sqlCapture) LogMode(logger.LogLevel) logger.Interface      { return c }
func (c *sqlCapture) Info(context.Context, string, ...interface{})  {}
func (c *sqlCapture) Warn(context.Context, string, ...interface{})  {}
func (c *sqlCapture) Error(context.Context, string, ...interface{}) {}
func (c *sqlCapture) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	c.mu.Lock()
	c.sql = append(c.sql, sql)
	c.mu.Unlock()
}
