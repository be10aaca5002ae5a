package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// Form fields that the user repository may report a problem with, as
// portal.ValidationError keys. The admin's forms use the same names.
const (
	UserFieldEmail  = "email"
	UserFieldName   = "name"
	UserFieldRole   = "role"
	UserFieldNGO    = "ngo"
	UserFieldStatus = "status" // a refused disable or enable
)

// adminsLockKey serialises every transaction that could leave the
// federation without an active admin (a demotion or a disabling). Row locks
// alone would let two admins demote each other at the same moment, each
// seeing the other still active.
const adminsLockKey int64 = 0x6e676f_61646d // "ngo" "adm"

// NGOChoice is one NGO as a select offers it.
type NGOChoice struct {
	ID     int64
	NameZH string
	NameEN string
	Active bool
}

// AdminNGOChoices lists every NGO for the admin's selects: active ones
// first, then by Chinese name (pinyin).
func (db *DB) AdminNGOChoices(ctx context.Context) ([]NGOChoice, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, name_zh, name_en, active FROM ngos ORDER BY active DESC, name_zh, id`)
	if err != nil {
		return nil, fmt.Errorf("NGO choices: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (NGOChoice, error) {
		var n NGOChoice
		err := row.Scan(&n.ID, &n.NameZH, &n.NameEN, &n.Active)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("NGO choices: %w", err)
	}
	return out, nil
}

// UserFilter selects accounts for the admin's list; zero values select all.
type UserFilter struct {
	Role   portal.Role
	NGOID  int64
	Status portal.UserStatus
	Query  string // part of the name or email, any case
	Limit  int
	Offset int
}

// UserListItem is one row of the admin's list of accounts.
type UserListItem struct {
	ID        int64
	Email     string
	Name      string
	NameEN    string
	Role      portal.Role
	NGOID     int64
	NGONameZH string
	NGONameEN string
	Status    portal.UserStatus
	UpdatedAt time.Time
}

// ListUsers returns one page of the accounts that match f, ordered by
// email, and how many match in all.
func (db *DB) ListUsers(ctx context.Context, f UserFilter) ([]UserListItem, int, error) {
	args := pgx.NamedArgs{
		"role":    string(f.Role),
		"ngo":     f.NGOID,
		"status":  string(f.Status),
		"pattern": likePattern(f.Query),
		"limit":   f.Limit,
		"offset":  f.Offset,
	}
	const where = `
		WHERE (@role::text = '' OR u.role = @role::text)
		  AND (@ngo::bigint = 0 OR u.ngo_id = @ngo::bigint)
		  AND (@status::text = '' OR u.status = @status::text)
		  AND (@pattern::text = '' OR u.name ILIKE @pattern::text ESCAPE '\' OR u.name_en ILIKE @pattern::text ESCAPE '\' OR u.email::text ILIKE @pattern::text ESCAPE '\')`
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM users u`+where, args).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT u.id, u.email, u.name, u.name_en, u.role, coalesce(u.ngo_id, 0), coalesce(n.name_zh, ''), coalesce(n.name_en, ''),
		       u.status, u.updated_at
		FROM users u LEFT JOIN ngos n ON n.id = u.ngo_id`+where+`
		ORDER BY u.email, u.id
		LIMIT @limit::int OFFSET @offset::int`, args)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (UserListItem, error) {
		var u UserListItem
		err := row.Scan(&u.ID, &u.Email, &u.Name, &u.NameEN, &u.Role, &u.NGOID, &u.NGONameZH, &u.NGONameEN, &u.Status, &u.UpdatedAt)
		return u, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	return users, total, nil
}

// UserLink is an open single-use link of a user: never its token, which
// is not stored.
type UserLink struct {
	Purpose   portal.TokenPurpose
	CreatedAt time.Time
	ExpiresAt time.Time
}

// UserDetail is one account as the admin's page shows it.
type UserDetail struct {
	portal.User                  // PasswordHash is never filled
	NGONameEN         string     // NGOName is the Chinese name
	HasPassword       bool       // false until the invitee sets one
	PasswordChangedAt *time.Time // nil while no password is set
	Links             []UserLink // open links: unused and unexpired
	SecondFactor      bool       // an authenticator is set up
}

// UserByID returns one account with its open links; ErrNotFound when it
// does not exist.
func (db *DB) UserByID(ctx context.Context, id int64) (UserDetail, error) {
	var u UserDetail
	err := db.pool.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.name_en, u.role, coalesce(u.ngo_id, 0), coalesce(n.name_zh, ''), coalesce(n.name_en, ''),
		       u.status, coalesce(u.password_hash, '') <> '', u.password_changed_at, u.version, u.created_at, u.updated_at,
		       EXISTS (SELECT 1 FROM user_second_factors f WHERE f.user_id = u.id)
		FROM users u LEFT JOIN ngos n ON n.id = u.ngo_id
		WHERE u.id = $1`, id).Scan(&u.ID, &u.Email, &u.Name, &u.NameEN, &u.Role, &u.NGOID, &u.NGOName, &u.NGONameEN,
		&u.Status, &u.HasPassword, &u.PasswordChangedAt, &u.Version, &u.CreatedAt, &u.UpdatedAt, &u.SecondFactor)
	if err != nil {
		return UserDetail{}, fmt.Errorf("user %d: %w", id, translate(err))
	}
	rows, err := db.pool.Query(ctx, `
		SELECT purpose, created_at, expires_at FROM user_tokens
		WHERE user_id = $1 AND used_at IS NULL AND expires_at > now()
		ORDER BY created_at DESC`, id)
	if err != nil {
		return UserDetail{}, fmt.Errorf("links of user %d: %w", id, err)
	}
	u.Links, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (UserLink, error) {
		var l UserLink
		err := row.Scan(&l.Purpose, &l.CreatedAt, &l.ExpiresAt)
		return l, err
	})
	if err != nil {
		return UserDetail{}, fmt.Errorf("links of user %d: %w", id, err)
	}
	return u, nil
}

// UserInvite is a new account as the admin invites it.
type UserInvite struct {
	Email  string
	Name   string
	NameEN string // "" when not given
	Role   portal.Role
	NGOID  int64 // staff only
}

// InviteUser creates an invited account (no password yet) with an
// invitation link stored as the hash of token, and audits it, in one
// transaction. An email already in use gives ErrConflict; an NGO that is
// missing or inactive, a ValidationError.
func (db *DB) InviteUser(ctx context.Context, a portal.Actor, in UserInvite, token string, ttl time.Duration) (int64, error) {
	var id int64
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		ngoName, err := ngoForStaff(ctx, tx, in.Role, in.NGOID)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO users (email, name, name_en, role, ngo_id, status)
			VALUES ($1, $2, $3, $4, $5, 'invited')
			RETURNING id`, in.Email, in.Name, in.NameEN, in.Role, nullIfZero(in.NGOID)).Scan(&id)
		if err != nil {
			return fmt.Errorf("invite %s: %w", in.Email, translate(err))
		}
		if err := createToken(ctx, tx, id, a.UserID, token, portal.TokenInvite, ttl); err != nil {
			return err
		}
		after := map[string]any{"email": in.Email, "name": in.Name, "role": string(in.Role), "status": string(portal.UserInvited)}
		if in.NameEN != "" {
			after["name_en"] = in.NameEN
		}
		if ngoName != "" {
			after["ngo"] = ngoName
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditUserInvited, ObjectType: portal.AuditObjectUser, ObjectID: id, NGOID: in.NGOID,
			Changes: portal.Diff(nil, after),
		})
	})
	return id, err
}

// ngoForStaff checks that a staff account's NGO exists and is active, and
// returns its Chinese name; an admin must have no NGO, and gets "". It
// takes a share lock so the NGO cannot be deactivated before the
// transaction commits.
func ngoForStaff(ctx context.Context, q querier, role portal.Role, ngoID int64) (string, error) {
	if role != portal.RoleStaff {
		if ngoID != 0 {
			return "", refuse(UserFieldNGO, "user.error.ngo_for_admin")
		}
		return "", nil
	}
	var name string
	var active bool
	err := q.QueryRow(ctx, `SELECT name_zh, active FROM ngos WHERE id = $1 FOR SHARE`, ngoID).Scan(&name, &active)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !active {
		return "", &portal.ValidationError{Fields: map[string]string{UserFieldNGO: "user.error.ngo_inactive"}}
	}
	if err != nil {
		return "", fmt.Errorf("NGO %d: %w", ngoID, err)
	}
	return name, nil
}

// lockedUser is an account as a write sees it, its row locked.
type lockedUser struct {
	email       string
	name        string
	nameEN      string
	role        portal.Role
	ngoID       int64
	ngoName     string
	status      portal.UserStatus
	hasPassword bool
	version     int
}

// lockUser reads and locks one account for a write; ErrNotFound when it
// does not exist.
func lockUser(ctx context.Context, q querier, id int64) (lockedUser, error) {
	var u lockedUser
	err := q.QueryRow(ctx, `
		SELECT u.email, u.name, u.name_en, u.role, coalesce(u.ngo_id, 0), coalesce(n.name_zh, ''), u.status,
		       coalesce(u.password_hash, '') <> '', u.version
		FROM users u LEFT JOIN ngos n ON n.id = u.ngo_id
		WHERE u.id = $1
		FOR UPDATE OF u`, id).Scan(&u.email, &u.name, &u.nameEN, &u.role, &u.ngoID, &u.ngoName, &u.status, &u.hasPassword, &u.version)
	if err != nil {
		return lockedUser{}, fmt.Errorf("user %d: %w", id, translate(err))
	}
	return u, nil
}

// otherActiveAdmins counts the active admins besides userID. The caller
// holds adminsLockKey.
func otherActiveAdmins(ctx context.Context, q querier, userID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, `
		SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active' AND id <> $1`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count admins: %w", err)
	}
	return n, nil
}

func lockAdmins(ctx context.Context, q querier) error {
	if _, err := q.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, adminsLockKey); err != nil {
		return fmt.Errorf("lock admins: %w", err)
	}
	return nil
}

func refuse(field, key string) error {
	return &portal.ValidationError{Fields: map[string]string{field: key}}
}

// UserUpdate is the admin's edit of an account.
type UserUpdate struct {
	ID      int64
	Version int
	Name    string
	NameEN  string // "" when not given
	Role    portal.Role
	NGOID   int64 // staff only
}

// UpdateUser changes an account's name, role and NGO if its version is
// still in.Version (else ErrConflict), audited with the changed fields. A
// change of role or NGO ends the user's login sessions in the same
// transaction. Refused with a ValidationError: an admin changing their own
// role, demoting the last active admin, a missing or inactive NGO.
func (db *DB) UpdateUser(ctx context.Context, a portal.Actor, in UserUpdate) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if err := lockAdmins(ctx, tx); err != nil {
			return err
		}
		before, err := lockUser(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if before.version != in.Version {
			return fmt.Errorf("update user %d: %w", in.ID, portal.ErrConflict)
		}
		if in.Role != before.role {
			if before.role == portal.RoleAdmin && before.status == portal.UserActive {
				n, err := otherActiveAdmins(ctx, tx, in.ID)
				if err != nil {
					return err
				}
				if n == 0 {
					return refuse(UserFieldRole, "user.error.last_admin")
				}
			}
			if in.ID == a.UserID {
				return refuse(UserFieldRole, "user.error.own_role")
			}
		}
		ngoName := before.ngoName
		if in.Role != portal.RoleStaff || in.Role != before.role || in.NGOID != before.ngoID {
			if ngoName, err = ngoForStaff(ctx, tx, in.Role, in.NGOID); err != nil {
				return err
			}
		}
		changes := portal.Diff(
			map[string]any{"name": before.name, "name_en": before.nameEN, "role": string(before.role), "ngo": nullIfZero(before.ngoName)},
			map[string]any{"name": in.Name, "name_en": in.NameEN, "role": string(in.Role), "ngo": nullIfZero(ngoName)})
		if len(changes) == 0 {
			return nil
		}
		tag, err := tx.Exec(ctx, `
			UPDATE users SET name = $3, role = $4, ngo_id = $5, name_en = $6, updated_at = now(), version = version + 1
			WHERE id = $1 AND version = $2`, in.ID, in.Version, in.Name, in.Role, nullIfZero(in.NGOID), in.NameEN)
		if err != nil {
			return fmt.Errorf("update user %d: %w", in.ID, err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("update user %d: %w", in.ID, portal.ErrConflict)
		}
		_, roleChanged := changes["role"]
		_, ngoChanged := changes["ngo"]
		if roleChanged || ngoChanged {
			// What the user may see has changed: their open pages must not
			// keep the old role's or NGO's access.
			if err := endUserSessions(ctx, tx, in.ID); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditUserUpdated, ObjectType: portal.AuditObjectUser, ObjectID: in.ID,
			NGOID: firstNonZero(in.NGOID, before.ngoID), Changes: changes,
		})
	})
}

// DisableUser stops an account from signing in: it ends the user's login
// sessions and closes their open links, audited. ErrConflict when it is
// already disabled; a ValidationError when admins disable themselves or the
// last active admin.
func (db *DB) DisableUser(ctx context.Context, a portal.Actor, id int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if err := lockAdmins(ctx, tx); err != nil {
			return err
		}
		before, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.status == portal.UserDisabled {
			return fmt.Errorf("disable user %d: %w", id, portal.ErrConflict)
		}
		if before.role == portal.RoleAdmin && before.status == portal.UserActive {
			n, err := otherActiveAdmins(ctx, tx, id)
			if err != nil {
				return err
			}
			if n == 0 {
				return refuse(UserFieldStatus, "user.error.last_admin_disable")
			}
		}
		if id == a.UserID {
			return refuse(UserFieldStatus, "user.error.disable_self")
		}
		if _, err := tx.Exec(ctx, `
			UPDATE users SET status = 'disabled', updated_at = now(), version = version + 1
			WHERE id = $1`, id); err != nil {
			return fmt.Errorf("disable user %d: %w", id, err)
		}
		if err := endUserSessions(ctx, tx, id); err != nil {
			return err
		}
		closed, err := closeLinks(ctx, tx, id)
		if err != nil {
			return err
		}
		changes := map[string]portal.Change{"status": {Before: string(before.status), After: string(portal.UserDisabled)}}
		if closed > 0 {
			changes["open_links"] = portal.Change{Before: closed, After: 0}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditUserDisabled, ObjectType: portal.AuditObjectUser, ObjectID: id, NGOID: before.ngoID, Changes: changes,
		})
	})
}

// EnableUser lets a disabled account back in: active again, or invited
// when no password was ever set (the admin then sends a fresh invitation).
// ErrConflict when it is not disabled.
func (db *DB) EnableUser(ctx context.Context, a portal.Actor, id int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.status != portal.UserDisabled {
			return fmt.Errorf("enable user %d: %w", id, portal.ErrConflict)
		}
		after := portal.UserActive
		if !before.hasPassword {
			after = portal.UserInvited
		}
		if _, err := tx.Exec(ctx, `
			UPDATE users SET status = $2, updated_at = now(), version = version + 1
			WHERE id = $1`, id, after); err != nil {
			return fmt.Errorf("enable user %d: %w", id, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditUserEnabled, ObjectType: portal.AuditObjectUser, ObjectID: id, NGOID: before.ngoID,
			Changes: map[string]portal.Change{"status": {Before: string(before.status), After: string(after)}},
		})
	})
}

// IssueLink closes the user's open links and stores a new single-use link
// (its token hashed), audited: a password reset for an active account, a
// fresh invitation for an invited one; ErrConflict for any other status.
// It returns the account, to address the link to.
func (db *DB) IssueLink(ctx context.Context, a portal.Actor, id int64, purpose portal.TokenPurpose, token string, ttl time.Duration) (portal.User, error) {
	var u portal.User
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := lockUser(ctx, tx, id)
		if err != nil {
			return err
		}
		action := portal.AuditResetIssued
		want := portal.UserActive
		if purpose == portal.TokenInvite {
			action, want = portal.AuditUserInvited, portal.UserInvited
		}
		if before.status != want {
			return fmt.Errorf("%s link for user %d (%s): %w", purpose, id, before.status, portal.ErrConflict)
		}
		closed, err := closeLinks(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := createToken(ctx, tx, id, a.UserID, token, purpose, ttl); err != nil {
			return err
		}
		u = portal.User{ID: id, Email: before.email, Name: before.name, Role: before.role, NGOID: before.ngoID, NGOName: before.ngoName, Status: before.status}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: action, ObjectType: portal.AuditObjectUser, ObjectID: id, NGOID: before.ngoID,
			Changes: map[string]portal.Change{"open_links": {Before: closed, After: 1}},
		})
	})
	return u, err
}

// closeLinks makes every open link of a user unusable and returns how many
// were still live.
func closeLinks(ctx context.Context, q querier, userID int64) (int, error) {
	var live int
	err := q.QueryRow(ctx, `
		WITH closed AS (
			UPDATE user_tokens SET used_at = now()
			WHERE user_id = $1 AND used_at IS NULL
			RETURNING expires_at
		)
		SELECT count(*) FILTER (WHERE expires_at > now()) FROM closed`, userID).Scan(&live)
	if err != nil {
		return 0, fmt.Errorf("close links of user %d: %w", userID, err)
	}
	return live, nil
}

// AdminCounts are the figures on the admin's home page.
type AdminCounts struct {
	ActiveNGOs    int
	UsersActive   int
	UsersInvited  int
	UsersDisabled int
}

// AdminOverview counts the active NGOs and the accounts by status.
func (db *DB) AdminOverview(ctx context.Context) (AdminCounts, error) {
	var c AdminCounts
	err := db.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM ngos WHERE active),
		       count(*) FILTER (WHERE status = 'active'),
		       count(*) FILTER (WHERE status = 'invited'),
		       count(*) FILTER (WHERE status = 'disabled')
		FROM users`).Scan(&c.ActiveNGOs, &c.UsersActive, &c.UsersInvited, &c.UsersDisabled)
	if err != nil {
		return AdminCounts{}, fmt.Errorf("admin overview: %w", err)
	}
	return c, nil
}

func firstNonZero(ids ...int64) int64 {
	for _, id := range ids {
		if id != 0 {
			return id
		}
	}
	return 0
}
