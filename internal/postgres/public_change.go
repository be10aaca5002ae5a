package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Changes to what the public pages show. Migration 00027's triggers send a
// NOTIFY on PublicChangeChannel in the transaction of every write that can
// change a public page; ListenPublicChanges hears them on a connection of
// its own, outside the pool. A sync token (SyncPublicChanges) goes through
// the same channel: PostgreSQL delivers notifications in the order their
// transactions committed, so once a listener has heard a token it has heard
// every change committed before the token was sent.

// PublicChangeChannel is the channel of migration 00027's triggers.
const PublicChangeChannel = "portal_public_change"

// syncPrefix starts the payload of a sync token; a table's name never does.
const syncPrefix = "sync:"

// PublicChangeListener is told what ListenPublicChanges hears.
type PublicChangeListener interface {
	// Listening: LISTEN is in place, on a new connection. Changes made
	// while nobody listened were not heard.
	Listening()
	// Lost: the connection is gone; changes are not heard until the next
	// Listening.
	Lost(err error)
	// Changed: a write to table committed.
	Changed(table string)
	// Synced: the token sent by SyncPublicChanges arrived.
	Synced(token string)
}

// Timing of the listener. idleCheck is how long it waits for a
// notification before asking the server whether the connection still
// works (a network that dropped it silently would otherwise keep it
// deaf); retry bounds the pause before connecting again.
const (
	listenIdleCheck = 30 * time.Second
	listenPingLimit = 5 * time.Second
	listenRetryMin  = 100 * time.Millisecond
	listenRetryMax  = 5 * time.Second
)

// ListenPublicChanges listens on PublicChangeChannel until ctx ends,
// telling l what it hears, connecting again (after a pause that doubles
// up to 5 s) whenever the connection is lost. It returns ctx's error.
func (db *DB) ListenPublicChanges(ctx context.Context, l PublicChangeListener) error {
	pause := listenRetryMin
	for {
		heard, err := db.listenOnce(ctx, l)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.Lost(err)
		if heard {
			pause = listenRetryMin
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		pause = min(pause*2, listenRetryMax)
	}
}

// listenOnce connects, listens and passes on notifications until the
// connection fails; heard reports whether LISTEN got in place.
func (db *DB) listenOnce(ctx context.Context, l PublicChangeListener) (heard bool, err error) {
	cfg := db.pool.Config().ConnConfig.Copy()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "portal public-change listener"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("connect the public-change listener: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, `LISTEN `+PublicChangeChannel); err != nil {
		return false, fmt.Errorf("listen for public changes: %w", err)
	}
	l.Listening()
	for {
		wctx, cancel := context.WithTimeout(ctx, listenIdleCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			if token, ok := strings.CutPrefix(n.Payload, syncPrefix); ok {
				l.Synced(token)
			} else {
				l.Changed(n.Payload)
			}
		case ctx.Err() != nil:
			return true, ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			pctx, cancel := context.WithTimeout(ctx, listenPingLimit)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return true, fmt.Errorf("public-change listener: connection check: %w", err)
			}
		default:
			return true, fmt.Errorf("public-change listener: %w", err)
		}
	}
}

// SyncPublicChanges sends token through PublicChangeChannel (see above).
func (db *DB) SyncPublicChanges(ctx context.Context, token string) error {
	if _, err := db.pool.Exec(ctx, `SELECT pg_notify($1, $2)`, PublicChangeChannel, syncPrefix+token); err != nil {
		return fmt.Errorf("sync public changes: %w", err)
	}
	return nil
}
