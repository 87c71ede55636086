package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/internal/apperr"
)

// Shutdown with uploads in flight. At SIGTERM the listener closes (no new
// connections) and the requests in flight get the grace. A handler still
// running keeps it whole; a request whose body is still arriving when the
// grace is nearly over would be cut by the exit (a connection reset, the
// client cannot tell what happened), so drainMargin before the end the
// reads of every connection are stopped: fasthttp then answers the request
// with a timeout, which handleError turns into 503 "reiniciando, envie de
// novo" with Retry-After, and closes the connection.

// drainMargin is how long before the end of the grace reads are stopped, at
// most: the time to write the 503 answers (a fifth of shorter graces).
const drainMargin = 5 * time.Second

// restartMessage answers a request cut by a shutdown.
const restartMessage = "O portal está reiniciando e o envio não terminou a tempo; envie de novo em instantes."

// drain tracks the server's connections so that their reads can be stopped.
type drain struct {
	draining atomic.Bool
	mu       sync.Mutex
	conns    map[*drainConn]struct{}
	cut      bool
}

func (s *Server) listen(addr string) error {
	network := s.app.Config().Network
	if network == "" {
		network = fiber.NetworkTCP4
	}
	ln, err := net.Listen(network, addr)
	if err != nil {
		return err
	}
	return s.app.Listener(&drainListener{Listener: ln, d: &s.drain})
}

func (s *Server) shutdown(ctx context.Context) error {
	s.drain.draining.Store(true)
	if end, ok := ctx.Deadline(); ok {
		left := time.Until(end)
		t := time.AfterFunc(left-min(drainMargin, left/5), s.drain.cutReads)
		defer t.Stop()
	}
	return s.app.ShutdownWithContext(ctx)
}

// drainError turns the timeout of a request whose reads were stopped by
// the shutdown into 503.
func (s *Server) drainError(err error) error {
	var fe *fiber.Error
	if s.drain.draining.Load() && errors.As(err, &fe) && fe.Code == http.StatusRequestTimeout {
		return apperr.Errorf(apperr.EUNAVAILABLE, "%s", restartMessage)
	}
	return err
}

// cutReads makes every connection's reads, now and later, fail at once.
func (d *drain) cutReads() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cut = true
	for c := range d.conns {
		_ = c.Conn.SetReadDeadline(time.Now())
	}
}

type drainListener struct {
	net.Listener
	d *drain
}

func (l *drainListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	dc := &drainConn{Conn: c, d: l.d}
	l.d.mu.Lock()
	defer l.d.mu.Unlock()
	if l.d.conns == nil {
		l.d.conns = map[*drainConn]struct{}{}
	}
	l.d.conns[dc] = struct{}{}
	if l.d.cut {
		_ = c.SetReadDeadline(time.Now())
	}
	return dc, nil
}

type drainConn struct {
	net.Conn
	d    *drain
	once sync.Once
}

// SetReadDeadline keeps a stopped connection stopped: fasthttp sets its own
// deadline before each request.
func (c *drainConn) SetReadDeadline(t time.Time) error {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	if c.d.cut {
		t = time.Now()
	}
	return c.Conn.SetReadDeadline(t)
}

// SetDeadline is SetReadDeadline and SetWriteDeadline.
func (c *drainConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

func (c *drainConn) Close() error {
	c.once.Do(func() {
		c.d.mu.Lock()
		delete(c.d.conns, c)
		c.d.mu.Unlock()
	})
	return c.Conn.Close()
}
