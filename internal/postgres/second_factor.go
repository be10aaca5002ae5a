package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// SecondFactor is where a user stands with the second factor.
type SecondFactor struct {
	Enrolled      bool
	EnrolledAt    time.Time // zero when not enrolled
	RecoveryLeft  int       // unused recovery codes
	PendingSecret string    // a secret shown but not yet confirmed; "" when none
	Secret        string    // the enrolled secret; "" when not enrolled
}

// SecondFactorOf returns the user's second factor, in one statement.
func (db *DB) SecondFactorOf(ctx context.Context, userID int64) (SecondFactor, error) {
	var f SecondFactor
	var at *time.Time
	err := db.pool.QueryRow(ctx, `
		SELECT (SELECT enrolled_at FROM user_second_factors WHERE user_id = $1),
		       coalesce((SELECT totp_secret FROM user_second_factors WHERE user_id = $1), ''),
		       (SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL),
		       coalesce((SELECT totp_secret FROM second_factor_enrolments WHERE user_id = $1), '')`, userID).
		Scan(&at, &f.Secret, &f.RecoveryLeft, &f.PendingSecret)
	if err != nil {
		return SecondFactor{}, fmt.Errorf("second factor of user %d: %w", userID, err)
	}
	if at != nil {
		f.Enrolled, f.EnrolledAt = true, *at
	}
	return f, nil
}

// Challenge is a sign-in waiting for its second step: the password was
// right, the code (or setting up an authenticator) is still to come.
type Challenge struct {
	IDHash  []byte
	UserID  int64
	Email   string
	Role    portal.Role
	Purpose portal.ChallengePurpose
	Next    string
	// Secret is the authenticator's secret the code is checked against:
	// the enrolled one for a code, the one being set up for an enrolment.
	Secret string
}

// CreateSignInChallenge records the state between a right password and
// the second step for userID, keyed by the hash of id, for ttl; forgets
// expired challenges, and sets aside the password's sign-in attempt
// (attempt, from BeginSignInAttempt for a.Email). An enrolment also gets a
// fresh secret to set up (newSecret), replacing one left unconfirmed.
func (db *DB) CreateSignInChallenge(ctx context.Context, a portal.Actor, attempt int64, userID int64, id string, purpose portal.ChallengePurpose, next, newSecret string, ttl time.Duration) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		// The password was right, but the sign-in is not done: the
		// attempt BeginSignInAttempt recorded (as a failure) is set aside,
		// neither a failure nor a success that would make the address
		// trusted; the second step counts as an attempt of its own.
		if _, err := tx.Exec(ctx, `DELETE FROM login_attempts WHERE id = $1 AND email = $2`, attempt, a.Email); err != nil {
			return fmt.Errorf("set aside the password's sign-in attempt: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sign_in_challenges WHERE expires_at < now()`); err != nil {
			return fmt.Errorf("forget expired sign-in challenges: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO sign_in_challenges (id_hash, user_id, purpose, next_path, client_addr, expires_at)
			VALUES ($1, $2, $3, $4, $5, now() + $6::interval)`,
			HashToken(id), userID, purpose, next, addrOrNil(a.ClientAddr), ttl); err != nil {
			return fmt.Errorf("create sign-in challenge: %w", err)
		}
		if purpose != portal.ChallengeEnrol {
			return nil
		}
		return startEnrolment(ctx, tx, userID, newSecret)
	})
}

func startEnrolment(ctx context.Context, q querier, userID int64, secret string) error {
	if _, err := q.Exec(ctx, `
		INSERT INTO second_factor_enrolments (user_id, totp_secret) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET totp_secret = excluded.totp_secret, created_at = now()`, userID, secret); err != nil {
		return fmt.Errorf("start second-factor enrolment: %w", err)
	}
	return nil
}

// SignInChallenge returns the live challenge with this id; ErrNotFound when
// it is unknown, expired or used, or its user may no longer sign in.
func (db *DB) SignInChallenge(ctx context.Context, id string) (Challenge, error) {
	c := Challenge{IDHash: HashToken(id)}
	err := db.pool.QueryRow(ctx, `
		SELECT c.user_id, u.email, u.role, c.purpose, c.next_path,
		       coalesce(CASE c.purpose WHEN 'code' THEN f.totp_secret ELSE e.totp_secret END, '')
		FROM sign_in_challenges c
		JOIN users u ON u.id = c.user_id
		LEFT JOIN ngos n ON n.id = u.ngo_id
		LEFT JOIN user_second_factors f ON f.user_id = c.user_id
		LEFT JOIN second_factor_enrolments e ON e.user_id = c.user_id
		WHERE c.id_hash = $1 AND c.expires_at > now()
		  AND u.status = 'active' AND (u.ngo_id IS NULL OR n.active)`, c.IDHash).
		Scan(&c.UserID, &c.Email, &c.Role, &c.Purpose, &c.Next, &c.Secret)
	if err != nil {
		return Challenge{}, fmt.Errorf("sign-in challenge: %w", translate(err))
	}
	if c.Secret == "" {
		// The factor was reset, or the enrolment confirmed elsewhere,
		// since the password step: start again from the password.
		return Challenge{}, fmt.Errorf("sign-in challenge: %w", portal.ErrNotFound)
	}
	return c, nil
}

// SignInProof is what the second step offers: the time step of a right
// one-time code, or a recovery code's hash.
type SignInProof struct {
	Step         int64
	RecoveryHash []byte
}

// CompleteSignIn ends a challenge with a second factor and opens the login
// session, in one transaction: the one-time code's step must be later than
// the last one accepted for the user (else ErrCodeReused), a recovery code
// must be unused (else ErrCodeRejected), and the challenge must still be
// live (else ErrNotFound). Two requests with the same code: one wins. The
// sign-in is audited, and a recovery code's use with it.
func (db *DB) CompleteSignIn(ctx context.Context, a portal.Actor, c Challenge, p SignInProof, sessionID, oldID string, lifetime time.Duration) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if err := useChallenge(ctx, tx, c); err != nil {
			return err
		}
		if p.RecoveryHash != nil {
			tag, err := tx.Exec(ctx, `
				UPDATE recovery_codes SET used_at = now()
				WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`, c.UserID, p.RecoveryHash)
			if err != nil {
				return fmt.Errorf("use recovery code: %w", err)
			}
			if tag.RowsAffected() != 1 {
				return portal.ErrCodeRejected
			}
			var left int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, c.UserID).Scan(&left); err != nil {
				return fmt.Errorf("count recovery codes: %w", err)
			}
			if err := writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditRecoveryCodeUsed, ObjectType: portal.AuditObjectUser, ObjectID: c.UserID,
				Changes: map[string]portal.Change{"recovery_codes_left": {Before: left + 1, After: left}}}); err != nil {
				return err
			}
		} else if err := useStep(ctx, tx, c.UserID, p.Step); err != nil {
			return err
		}
		return openLoginSession(ctx, tx, a, c.UserID, sessionID, oldID, lifetime)
	})
}

// useChallenge deletes a live challenge; ErrNotFound when another request
// already took it or it expired.
func useChallenge(ctx context.Context, q querier, c Challenge) error {
	tag, err := q.Exec(ctx, `DELETE FROM sign_in_challenges WHERE id_hash = $1 AND user_id = $2 AND expires_at > now()`, c.IDHash, c.UserID)
	if err != nil {
		return fmt.Errorf("use sign-in challenge: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("use sign-in challenge: %w", portal.ErrNotFound)
	}
	return nil
}

// useStep accepts a one-time code's time step only when it is later than
// the last one accepted for the user, in one statement: of two requests
// with the same code, the second finds the step taken.
func useStep(ctx context.Context, q querier, userID, step int64) error {
	tag, err := q.Exec(ctx, `UPDATE user_second_factors SET last_step = $2 WHERE user_id = $1 AND last_step < $2`, userID, step)
	if err != nil {
		return fmt.Errorf("use one-time code: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return portal.ErrCodeReused
	}
	return nil
}

// openLoginSession is CreateLoginSession inside a transaction that has
// just checked a second factor.
func openLoginSession(ctx context.Context, q querier, a portal.Actor, userID int64, id, oldID string, lifetime time.Duration) error {
	if oldID != "" {
		if _, err := q.Exec(ctx, `DELETE FROM auth_sessions WHERE id_hash = $1`, HashToken(oldID)); err != nil {
			return fmt.Errorf("end previous login session: %w", err)
		}
	}
	if _, err := q.Exec(ctx, `
		INSERT INTO auth_sessions (id_hash, user_id, expires_at, client_addr)
		VALUES ($1, $2, now() + $3::interval, $4)`, HashToken(id), userID, lifetime, addrOrNil(a.ClientAddr)); err != nil {
		return fmt.Errorf("create login session: %w", err)
	}
	a.UserID = userID
	return writeAudit(ctx, q, a, portal.AuditEvent{Action: portal.AuditSignIn, ObjectType: portal.AuditObjectUser, ObjectID: userID})
}

// CompleteEnrolmentSignIn ends an enrolment challenge: the code proved the
// user's authenticator holds the secret being set up, which becomes the
// user's second factor with a fresh set of recovery codes (their hashes),
// and the login session opens; one transaction, audited.
func (db *DB) CompleteEnrolmentSignIn(ctx context.Context, a portal.Actor, c Challenge, step int64, recoveryHashes [][]byte, sessionID, oldID string, lifetime time.Duration) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if err := useChallenge(ctx, tx, c); err != nil {
			return err
		}
		a.UserID, a.Email = c.UserID, c.Email
		if err := enrol(ctx, tx, a, c.UserID, c.Secret, step, recoveryHashes); err != nil {
			return err
		}
		return openLoginSession(ctx, tx, a, c.UserID, sessionID, oldID, lifetime)
	})
}

// StartEnrolment keeps secret as the one the signed-in user is setting up,
// replacing one left unconfirmed.
func (db *DB) StartEnrolment(ctx context.Context, userID int64, secret string) error {
	return startEnrolment(ctx, db.pool, userID, secret)
}

// ConfirmEnrolment makes secret, which a code has just proved, the
// signed-in user's second factor, with fresh recovery codes; audited.
// ErrConflict when the user is already enrolled or set up another secret
// meanwhile.
func (db *DB) ConfirmEnrolment(ctx context.Context, a portal.Actor, secret string, step int64, recoveryHashes [][]byte) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		return enrol(ctx, tx, a, a.UserID, secret, step, recoveryHashes)
	})
}

// enrol turns the pending secret into the user's factor, its code's step
// already used, and replaces the user's recovery codes.
func enrol(ctx context.Context, q querier, a portal.Actor, userID int64, secret string, step int64, recoveryHashes [][]byte) error {
	tag, err := q.Exec(ctx, `
		INSERT INTO user_second_factors (user_id, totp_secret, last_step)
		SELECT user_id, totp_secret, $3 FROM second_factor_enrolments WHERE user_id = $1 AND totp_secret = $2
		ON CONFLICT (user_id) DO NOTHING`, userID, secret, step)
	if err != nil {
		return fmt.Errorf("enrol second factor: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("enrol second factor: %w", portal.ErrConflict)
	}
	if _, err := q.Exec(ctx, `DELETE FROM second_factor_enrolments WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("end enrolment: %w", err)
	}
	if err := replaceRecoveryCodes(ctx, q, userID, recoveryHashes); err != nil {
		return err
	}
	return writeAudit(ctx, q, a, portal.AuditEvent{Action: portal.AuditSecondFactorEnrolled, ObjectType: portal.AuditObjectUser, ObjectID: userID,
		Changes: map[string]portal.Change{"recovery_codes_left": {Before: 0, After: len(recoveryHashes)}}})
}

func replaceRecoveryCodes(ctx context.Context, q querier, userID int64, hashes [][]byte) error {
	if _, err := q.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("remove recovery codes: %w", err)
	}
	if _, err := q.Exec(ctx, `
		INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, h FROM unnest($2::bytea[]) AS h`, userID, hashes); err != nil {
		return fmt.Errorf("store recovery codes: %w", err)
	}
	return nil
}

// RenewRecoveryCodes replaces the signed-in user's recovery codes with new
// ones (their hashes); audited. ErrNotFound when the user has no second
// factor.
func (db *DB) RenewRecoveryCodes(ctx context.Context, a portal.Actor, hashes [][]byte) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		var left int
		err := tx.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM recovery_codes r WHERE r.user_id = f.user_id AND r.used_at IS NULL)
			FROM user_second_factors f WHERE f.user_id = $1 FOR UPDATE`, a.UserID).Scan(&left)
		if err != nil {
			return fmt.Errorf("renew recovery codes: %w", translate(err))
		}
		if err := replaceRecoveryCodes(ctx, tx, a.UserID, hashes); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditRecoveryCodesRenewed, ObjectType: portal.AuditObjectUser, ObjectID: a.UserID,
			Changes: map[string]portal.Change{"recovery_codes_left": {Before: left, After: len(hashes)}}})
	})
}

// DisableSecondFactor turns off the signed-in user's second factor after
// they proved it is them: with their password (step 0), or with a one-time
// code of that step, which is then used. Refused for a role that requires
// a second factor (ErrSecondFactorRequired); ErrNotFound when there is none.
func (db *DB) DisableSecondFactor(ctx context.Context, a portal.Actor, step int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		var role portal.Role
		if err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1 FOR UPDATE`, a.UserID).Scan(&role); err != nil {
			return fmt.Errorf("turn off second factor: %w", translate(err))
		}
		if role.RequiresSecondFactor() {
			return portal.ErrSecondFactorRequired
		}
		if step != 0 {
			if err := useStep(ctx, tx, a.UserID, step); err != nil {
				return err
			}
		}
		removed, err := removeSecondFactor(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		if !removed {
			return fmt.Errorf("turn off second factor: %w", portal.ErrNotFound)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditSecondFactorDisabled, ObjectType: portal.AuditObjectUser, ObjectID: a.UserID})
	})
}

// ResetSecondFactor is an admin removing another user's second factor (a
// lost phone): the secret, the recovery codes, and every login session of
// the user end, in one transaction, audited. The user sets up a new one at
// the next sign-in if the role requires it. Refused (a ValidationError on
// UserFieldStatus) for one's own account and for a user without one.
func (db *DB) ResetSecondFactor(ctx context.Context, a portal.Actor, userID int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if userID == a.UserID {
			return refuse(UserFieldStatus, "user.error.second_factor_reset_self")
		}
		removed, err := removeSecondFactor(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !removed {
			return refuse(UserFieldStatus, "user.error.second_factor_none")
		}
		if err := endUserSessions(ctx, tx, userID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{Action: portal.AuditSecondFactorReset, ObjectType: portal.AuditObjectUser, ObjectID: userID, NGOID: u.ngoID})
	})
}

// removeSecondFactor deletes a user's factor, recovery codes, unconfirmed
// setup and waiting sign-ins; false when there was no factor.
func removeSecondFactor(ctx context.Context, q querier, userID int64) (bool, error) {
	tag, err := q.Exec(ctx, `DELETE FROM user_second_factors WHERE user_id = $1`, userID)
	if err != nil {
		return false, fmt.Errorf("remove second factor: %w", err)
	}
	for _, table := range []string{"recovery_codes", "second_factor_enrolments", "sign_in_challenges"} {
		if _, err := q.Exec(ctx, `DELETE FROM `+table+` WHERE user_id = $1`, userID); err != nil {
			return false, fmt.Errorf("remove second factor (%s): %w", table, err)
		}
	}
	return tag.RowsAffected() == 1, nil
}
