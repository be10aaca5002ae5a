package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// HashToken is how session ids and link tokens are stored: only their
// SHA-256, so a copy of the database opens no session and no link.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// SignInUser returns the account for a sign-in attempt, whatever its status,
// with the active flag of its NGO. ErrNotFound for an unknown email.
func (db *DB) SignInUser(ctx context.Context, email string) (portal.User, bool, error) {
	var u portal.User
	var ngoID *int64
	var ngoName *string
	var ngoActive *bool
	var hash *string
	err := db.pool.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.ngo_id, n.name_zh, n.active, u.status, u.password_hash, u.version
		FROM users u LEFT JOIN ngos n ON n.id = u.ngo_id
		WHERE u.email = $1`, email).Scan(&u.ID, &u.Email, &u.Name, &u.Role, &ngoID, &ngoName, &ngoActive, &u.Status, &hash, &u.Version)
	if err != nil {
		return portal.User{}, false, fmt.Errorf("sign-in user: %w", translate(err))
	}
	if ngoID != nil {
		u.NGOID, u.NGOName = *ngoID, *ngoName
	}
	if hash != nil {
		u.PasswordHash = *hash
	}
	return u, ngoActive == nil || *ngoActive, nil
}

// LoginSession is a login session as the request sees it.
type LoginSession struct {
	IDHash []byte
	Viewer portal.Viewer
	Flash  string
}

// CreateLoginSession records a new login session for user, ending the one
// the browser had (a new id at every sign-in: no fixation), and removes
// expired sessions. Audited as a sign-in.
func (db *DB) CreateLoginSession(ctx context.Context, a portal.Actor, userID int64, id string, oldID string, lifetime, idle time.Duration) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if oldID != "" {
			if _, err := tx.Exec(ctx, `DELETE FROM auth_sessions WHERE id_hash = $1`, HashToken(oldID)); err != nil {
				return fmt.Errorf("end previous login session: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `
			DELETE FROM auth_sessions WHERE expires_at < now() OR last_seen_at < now() - $1::interval`, idle); err != nil {
			return fmt.Errorf("remove expired login sessions: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO auth_sessions (id_hash, user_id, expires_at, client_addr)
			VALUES ($1, $2, now() + $3::interval, $4)`, HashToken(id), userID, lifetime, addrOrNil(a.ClientAddr)); err != nil {
			return fmt.Errorf("create login session: %w", err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditSignIn, ObjectType: portal.AuditObjectUser, ObjectID: userID})
	})
}

// LoginSessionByID returns the live login session with this id, re-reading
// the user, role and NGO; ErrNotFound when it has expired, been ended, or
// its user may no longer sign in. The same query counts the user's unread
// notifications for the header. It keeps the session alive, writing at
// most once a minute.
func (db *DB) LoginSessionByID(ctx context.Context, id string, idle time.Duration) (LoginSession, error) {
	var s LoginSession
	var ngoID *int64
	var ngoName *string
	s.IDHash = HashToken(id)
	var lastSeen time.Time
	err := db.pool.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.name_en, u.role, u.ngo_id, n.name_zh, s.flash, s.last_seen_at,
		       (SELECT count(*) FROM notifications x WHERE x.recipient_id = u.id AND x.read_at IS NULL)
		FROM auth_sessions s
		JOIN users u ON u.id = s.user_id
		LEFT JOIN ngos n ON n.id = u.ngo_id
		WHERE s.id_hash = $1
		  AND s.expires_at > now()
		  AND s.last_seen_at > now() - $2::interval
		  AND u.status = 'active'
		  AND (u.role <> 'staff' OR n.active)`, s.IDHash, idle).
		Scan(&s.Viewer.UserID, &s.Viewer.Email, &s.Viewer.Name, &s.Viewer.NameEN, &s.Viewer.Role, &ngoID, &ngoName, &s.Flash, &lastSeen, &s.Viewer.Unread)
	if err != nil {
		return LoginSession{}, fmt.Errorf("login session: %w", translate(err))
	}
	if ngoID != nil {
		s.Viewer.NGOID, s.Viewer.NGOName = *ngoID, *ngoName
	}
	if time.Since(lastSeen) > time.Minute {
		if _, err := db.pool.Exec(ctx, `UPDATE auth_sessions SET last_seen_at = now() WHERE id_hash = $1`, s.IDHash); err != nil {
			return LoginSession{}, fmt.Errorf("touch login session: %w", err)
		}
	}
	return s, nil
}

// EndLoginSession ends one login session (sign-out), audited.
func (db *DB) EndLoginSession(ctx context.Context, a portal.Actor, idHash []byte) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM auth_sessions WHERE id_hash = $1`, idHash); err != nil {
			return fmt.Errorf("end login session: %w", err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditSignOut, ObjectType: portal.AuditObjectUser, ObjectID: a.UserID})
	})
}

// endUserSessions ends every login session of a user: after a password
// change, a role or NGO change, or disabling.
func endUserSessions(ctx context.Context, q querier, userID int64) error {
	if _, err := q.Exec(ctx, `DELETE FROM auth_sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}

// SetFlash stores a one-time message for the login session's next page.
func (db *DB) SetFlash(ctx context.Context, idHash []byte, flash string) error {
	if _, err := db.pool.Exec(ctx, `UPDATE auth_sessions SET flash = $2 WHERE id_hash = $1`, idHash, flash); err != nil {
		return fmt.Errorf("set flash: %w", err)
	}
	return nil
}

// TakeFlash clears the flash message once a page has shown it.
func (db *DB) TakeFlash(ctx context.Context, idHash []byte) error {
	if _, err := db.pool.Exec(ctx, `UPDATE auth_sessions SET flash = '' WHERE id_hash = $1 AND flash <> ''`, idHash); err != nil {
		return fmt.Errorf("clear flash: %w", err)
	}
	return nil
}

// ChangeOwnPassword sets a new password after the user proved the old one,
// ends every login session of the user and opens a new one for the browser
// that asked, in one transaction.
func (db *DB) ChangeOwnPassword(ctx context.Context, a portal.Actor, hash, newSessionID string, lifetime time.Duration) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now(), version = version + 1
			WHERE id = $1 AND status = 'active'`, a.UserID, hash)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("change password: %w", portal.ErrNotFound)
		}
		if err := endUserSessions(ctx, tx, a.UserID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO auth_sessions (id_hash, user_id, expires_at, client_addr)
			VALUES ($1, $2, now() + $3::interval, $4)`, HashToken(newSessionID), a.UserID, lifetime, addrOrNil(a.ClientAddr)); err != nil {
			return fmt.Errorf("new login session: %w", err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditPasswordChanged, ObjectType: portal.AuditObjectUser, ObjectID: a.UserID,
			Changes: map[string]portal.Change{"password": {Before: "(set)", After: "(changed)"}}})
	})
}

// Throttle is the verdict on a sign-in attempt before the password is
// checked: allowed, with the attempt recorded (as a failure until
// FinishSignInAttempt says otherwise), or refused until RetryAfter has
// passed.
type Throttle struct {
	Allowed    bool
	Attempt    int64 // the recorded attempt, when allowed
	RetryAfter time.Duration
}

// Throttling limits.
const (
	addrWindow       = 3 * time.Minute
	addrMaxFailures  = 10
	accountFreeTries = 5
	accountMaxDelay  = time.Minute
	accountHourMax   = 100
	trustedAddrAge   = 30 * 24 * time.Hour
)

// The first keys of the advisory locks that serialise sign-in attempts
// from one client network and for one account (the second key is a hash
// of the network or the email). Always taken in this order.
const (
	signInNetworkLockKey = 1401
	signInAccountLockKey = 1402
)

// throttleNetwork is the block of addresses that sign-in throttling counts
// as one client: an IPv4 address alone, an IPv6 address's /64 (a single
// subscriber gets a whole /64 and can use any address in it). An
// IPv4-mapped IPv6 address counts as its IPv4 address.
func throttleNetwork(addr netip.Addr) (netip.Prefix, error) {
	if !addr.IsValid() {
		return netip.Prefix{}, errors.New("no client address")
	}
	addr = addr.Unmap()
	bits := 64
	if addr.Is4() {
		bits = 32
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("client address %q: %w", addr, err)
	}
	return p, nil
}

// BeginSignInAttempt decides whether a sign-in from a.ClientAddr for email
// may be tried now and, when it may, records the attempt as a failure, in
// one transaction serialised on the client network and on the email: the
// check and the record are one step, so attempts sent at once, to one
// instance or to several, are counted one after the other. Call it before
// the password is checked, and FinishSignInAttempt afterwards.
//
// More than 10 failures from one client network (throttleNetwork) within 3
// minutes: wait. After 5 consecutive failures for an account, each further
// try waits twice as long as the one before, up to a minute, and an account
// takes at most 100 tries an hour. A network that signed in to the account
// within 30 days is spared the account's limits, so nobody can lock its
// owner out. An attempt under way counts as a failure until it is finished.
func (db *DB) BeginSignInAttempt(ctx context.Context, a portal.Actor, email string) (Throttle, error) {
	network, err := throttleNetwork(a.ClientAddr)
	if err != nil {
		return Throttle{}, fmt.Errorf("sign-in throttle: %w", err)
	}
	var verdict Throttle
	err = db.Transact(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_advisory_xact_lock($3, hashtext(lower($4)))`,
			signInNetworkLockKey, network.String(), signInAccountLockKey, email); err != nil {
			return fmt.Errorf("lock sign-in attempts: %w", err)
		}
		// The clock is read after the locks, so that attempts which waited
		// are recorded in the order they were let through.
		var now time.Time
		var netFailures, consecutive, lastHour int
		var netOldest, lastFailure, hourOldest *time.Time
		var trusted bool
		if err := tx.QueryRow(ctx, `
			WITH clock AS (
				SELECT clock_timestamp() AS now
			), net AS (
				SELECT count(*) AS failures, min(at) AS oldest
				FROM login_attempts, clock
				WHERE client_addr <<= $1::inet AND NOT succeeded AND at > clock.now - $3::interval
			), mine AS (
				SELECT at, succeeded, client_addr FROM login_attempts, clock
				WHERE email = $2 AND at > clock.now - $4::interval
			), last_ok AS (
				SELECT max(at) AS at FROM mine WHERE succeeded
			)
			SELECT clock.now, net.failures, net.oldest,
				EXISTS (SELECT 1 FROM mine WHERE succeeded AND client_addr <<= $1::inet),
				(SELECT count(*) FROM mine, last_ok WHERE NOT succeeded AND (last_ok.at IS NULL OR mine.at > last_ok.at)),
				(SELECT max(at) FROM mine WHERE NOT succeeded),
				(SELECT count(*) FROM mine WHERE at > clock.now - interval '1 hour'),
				(SELECT min(at) FROM mine WHERE at > clock.now - interval '1 hour')
			FROM clock, net`, network.String(), email, addrWindow, trustedAddrAge).
			Scan(&now, &netFailures, &netOldest, &trusted, &consecutive, &lastFailure, &lastHour, &hourOldest); err != nil {
			return fmt.Errorf("count sign-in attempts: %w", err)
		}
		verdict = signInVerdict(now, netFailures, netOldest, trusted, consecutive, lastFailure, lastHour, hourOldest)
		if !verdict.Allowed {
			return nil
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO login_attempts (at, client_addr, email, succeeded) VALUES ($1, $2, $3, false)
			RETURNING id`, now, a.ClientAddr.Unmap().WithZone("").String(), email).Scan(&verdict.Attempt); err != nil {
			return fmt.Errorf("record sign-in attempt: %w", err)
		}
		return nil
	})
	if err != nil {
		return Throttle{}, err
	}
	return verdict, nil
}

// signInVerdict applies the throttling rules to the counts, as of now.
func signInVerdict(now time.Time, netFailures int, netOldest *time.Time, trusted bool, consecutive int, lastFailure *time.Time, lastHour int, hourOldest *time.Time) Throttle {
	if netFailures >= addrMaxFailures {
		return Throttle{RetryAfter: netOldest.Add(addrWindow).Sub(now)}
	}
	if trusted {
		return Throttle{Allowed: true}
	}
	if lastHour >= accountHourMax {
		return Throttle{RetryAfter: hourOldest.Add(time.Hour).Sub(now)}
	}
	if consecutive >= accountFreeTries && lastFailure != nil {
		delay := accountMaxDelay
		if n := consecutive - accountFreeTries; n < 6 {
			delay = min(time.Duration(1<<n)*time.Second, accountMaxDelay)
		}
		if wait := lastFailure.Add(delay).Sub(now); wait > 0 {
			return Throttle{RetryAfter: wait}
		}
	}
	return Throttle{Allowed: true}
}

// FinishSignInAttempt settles an attempt BeginSignInAttempt let through:
// marked succeeded, or left a failure and audited as one. It also forgets
// attempts older than the longest window.
func (db *DB) FinishSignInAttempt(ctx context.Context, a portal.Actor, attempt int64, email string, succeeded bool, userID int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if succeeded {
			tag, err := tx.Exec(ctx, `UPDATE login_attempts SET succeeded = true WHERE id = $1 AND email = $2`, attempt, email)
			if err != nil {
				return fmt.Errorf("record sign-in: %w", err)
			}
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("record sign-in: attempt %d: %w", attempt, portal.ErrNotFound)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM login_attempts WHERE at < now() - $1::interval`, trustedAddrAge); err != nil {
			return fmt.Errorf("forget old sign-in attempts: %w", err)
		}
		if succeeded {
			return nil
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditSignInFailed, ObjectType: portal.AuditObjectUser, ObjectID: userID})
	})
}

// TokenUser returns the user a live single-use link belongs to; ErrNotFound
// when the link is unknown, used or expired.
func (db *DB) TokenUser(ctx context.Context, token string, purpose portal.TokenPurpose) (portal.User, error) {
	var u portal.User
	err := db.pool.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, coalesce(u.ngo_id, 0), u.status
		FROM user_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
		  AND u.status <> 'disabled'`, HashToken(token), purpose).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.NGOID, &u.Status)
	if err != nil {
		return portal.User{}, fmt.Errorf("link: %w", translate(err))
	}
	return u, nil
}

// UseToken sets the password chosen through a single-use link, marks the
// link used (and every other open link of the user), activates an invited
// account and ends the user's login sessions, in one transaction. A link
// used twice at once: the second gets ErrNotFound.
func (db *DB) UseToken(ctx context.Context, a portal.Actor, token string, purpose portal.TokenPurpose, hash string) (portal.User, error) {
	var u portal.User
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			UPDATE user_tokens SET used_at = now()
			WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
			RETURNING user_id`, HashToken(token), purpose).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("use link: %w", translate(err))
		}
		var before portal.UserStatus
		err = tx.QueryRow(ctx, `
			SELECT status FROM users WHERE id = $1 AND status <> 'disabled' FOR UPDATE`, u.ID).Scan(&before)
		if err != nil {
			return fmt.Errorf("use link: %w", translate(err))
		}
		err = tx.QueryRow(ctx, `
			UPDATE users SET password_hash = $2, password_changed_at = now(), status = 'active',
			       updated_at = now(), version = version + 1
			WHERE id = $1
			RETURNING email, name, role, coalesce(ngo_id, 0), status`, u.ID, hash).
			Scan(&u.Email, &u.Name, &u.Role, &u.NGOID, &u.Status)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`, u.ID); err != nil {
			return fmt.Errorf("close other links: %w", err)
		}
		if err := endUserSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		action := portal.AuditPasswordReset
		if purpose == portal.TokenInvite {
			action = portal.AuditInviteAccepted
		}
		changes := map[string]portal.Change{"password": {Before: "(old)", After: "(new)"}}
		if before != portal.UserActive {
			changes["status"] = portal.Change{Before: string(before), After: string(portal.UserActive)}
		}
		a.UserID, a.Email = u.ID, u.Email
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: action, ObjectType: portal.AuditObjectUser, ObjectID: u.ID, NGOID: u.NGOID, Changes: changes})
	})
	return u, err
}

// createToken stores a new single-use link for a user.
func createToken(ctx context.Context, q querier, userID, createdBy int64, token string, purpose portal.TokenPurpose, ttl time.Duration) error {
	if _, err := q.Exec(ctx, `
		INSERT INTO user_tokens (token_hash, user_id, purpose, created_by, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)`, HashToken(token), userID, purpose, nullIfZero(createdBy), ttl); err != nil {
		return fmt.Errorf("create %s link: %w", purpose, err)
	}
	return nil
}
