package postgres

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// ConnectionLost reports whether err is a connection that broke under a
// statement: the server ended it (a restart, a crash, pg_terminate_backend:
// SQLSTATE 57P01/57P02, or class 08), or the socket closed or reset. The
// pool holds on to other connections of the same server that may be as
// dead: Reset drops them, and a read may then run once more. Whether the
// statement reached the server before the connection broke
// (pgconn.SafeToRetry) does not matter to a read; writes are never run
// twice, so it is not asked. A cancelled or timed-out request is not a lost
// connection: its context is done, and running it again cannot help.
func ConnectionLost(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return false // no connection was had: nothing was lost
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "57P01" || pgErr.Code == "57P02" || strings.HasPrefix(pgErr.Code, "08")
	}
	var netErr *net.OpError
	return errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &netErr)
}

// Unavailable reports whether err means the database cannot be reached or
// used for now: a connection that broke (ConnectionLost), or none to be had
// (the server is down, refusing, starting up or shutting down: 57P03, or
// out of connection slots). Such a request may succeed in a few seconds.
func Unavailable(err error) bool {
	if ConnectionLost(err) {
		return true
	}
	var connect *pgconn.ConnectError
	if errors.As(err, &connect) {
		return true
	}
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "57P03" || pgErr.Code == "53300")
}

// InvalidText reports whether PostgreSQL refused a value's characters: a
// NUL byte (22021) or one the database encoding cannot hold (22P05). The
// server refuses such input at its edge; this is the backstop.
func InvalidText(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "22021" || pgErr.Code == "22P05")
}

// Reset closes the pool's idle connections, and the busy ones as they come
// back: after a lost connection (a database restart, a terminated backend)
// the others to the same server are usually dead too, and the next
// statement should get a fresh one rather than find that out.
func (db *DB) Reset() { db.pool.Reset() }
