package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
)

// ngoColumns is the column list every NGO read uses, in ngoScanArgs' order.
// Absent values come back as empty strings and 0, as portal.NGO holds them.
const ngoColumns = `n.id, n.slug, n.name_zh, n.name_en, n.short_name, n.active, n.show_in_directory,
	coalesce(n.credit_code, ''), n.focus_areas, coalesce(n.founded_year, 0), n.contact_person,
	n.phone, n.email, n.website, n.address, n.profile_zh, n.profile_en, n.version,
	n.created_at, n.updated_at, n.focus_areas_en, n.address_en`

func ngoScanArgs(n *portal.NGO) []any {
	return []any{&n.ID, &n.Slug, &n.NameZH, &n.NameEN, &n.ShortName, &n.Active, &n.ShowInDirectory,
		&n.CreditCode, &n.FocusAreas, &n.FoundedYear, &n.ContactPerson,
		&n.Phone, &n.Email, &n.Website, &n.Address, &n.ProfileZH, &n.ProfileEN, &n.Version,
		&n.CreatedAt, &n.UpdatedAt, &n.FocusAreasEN, &n.AddressEN}
}

// ngoNameColumns are the columns of an NGO named in both languages (the
// choices of a form), in ngoNameScanArgs' order; n is ngos.
const ngoNameColumns = `n.id, n.name_zh, n.name_en`

func ngoNameScanArgs(n *portal.NGO) []any { return []any{&n.ID, &n.NameZH, &n.NameEN} }

// NGOByID returns one NGO of the registry, active or not; ErrNotFound when
// there is none. Staff pages pass the signed-in user's own NGO id.
func (db *DB) NGOByID(ctx context.Context, id int64) (portal.NGO, error) {
	return ngoByID(ctx, db.pool, id, false)
}

func ngoByID(ctx context.Context, q querier, id int64, forUpdate bool) (portal.NGO, error) {
	sql := `SELECT ` + ngoColumns + ` FROM ngos n WHERE n.id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	var n portal.NGO
	if err := q.QueryRow(ctx, sql, id).Scan(ngoScanArgs(&n)...); err != nil {
		return portal.NGO{}, fmt.Errorf("NGO %d: %w", id, translate(err))
	}
	return n, nil
}

// ListNGOs returns one page of the registry by Chinese name (pinyin), and how
// many NGOs match the filter in all. The text search matches part of either
// name or the short name, ignoring case.
func (db *DB) ListNGOs(ctx context.Context, f portal.NGOFilter) ([]portal.NGOListItem, int, error) {
	pattern := likePattern(f.Query)
	status := f.Status
	if status == "" {
		status = portal.NGOStatusActive
	}
	const where = `
		WHERE ($1 = 'all' OR n.active = ($1 = 'active'))
		  AND ($2 = '' OR n.name_zh ILIKE $2 OR n.name_en ILIKE $2 OR n.short_name ILIKE $2)`
	var total int
	if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM ngos n`+where, string(status), pattern).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count NGOs: %w", err)
	}
	rows, err := db.pool.Query(ctx, `
		SELECT `+ngoColumns+`,
		       (SELECT count(*) FROM users u WHERE u.ngo_id = n.id AND u.status <> 'disabled')
		FROM ngos n`+where+`
		ORDER BY CASE WHEN $5 THEN n.name_en END, n.name_zh, n.id
		LIMIT $3 OFFSET $4`, string(status), pattern, f.Limit, f.Offset, f.English)
	if err != nil {
		return nil, 0, fmt.Errorf("list NGOs: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.NGOListItem, error) {
		var it portal.NGOListItem
		err := row.Scan(append(ngoScanArgs(&it.NGO), &it.StaffCount)...)
		return it, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list NGOs: %w", err)
	}
	return items, total, nil
}

// NGOStaff returns the staff accounts of one NGO by name; disabled accounts
// only when withDisabled (the admin's view).
func (db *DB) NGOStaff(ctx context.Context, ngoID int64, withDisabled bool) ([]portal.User, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT id, email, name, name_en, role, ngo_id, status
		FROM users
		WHERE ngo_id = $1 AND role = 'staff' AND ($2 OR status <> 'disabled')
		ORDER BY name, id`, ngoID, withDisabled)
	if err != nil {
		return nil, fmt.Errorf("staff of NGO %d: %w", ngoID, err)
	}
	staff, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.User, error) {
		var u portal.User
		err := row.Scan(&u.ID, &u.Email, &u.Name, &u.NameEN, &u.Role, &u.NGOID, &u.Status)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("staff of NGO %d: %w", ngoID, err)
	}
	return staff, nil
}

// CreateNGO adds an NGO to the registry, active, and audits it. Its slug
// comes from the English name; a taken slug gets -2, -3 … (see below). A
// Chinese name or credit code already registered comes back as a
// *portal.ValidationError naming the field.
func (db *DB) CreateNGO(ctx context.Context, a portal.Actor, n portal.NGO) (portal.NGO, error) {
	base := portal.Slugify(n.NameEN)
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		// The slug is chosen, not typed: an admin should not have to think
		// of URLs. ON CONFLICT (slug) DO NOTHING lets the unique constraint
		// decide, so two admins creating "Women Lawyers" at once get
		// women-lawyers and women-lawyers-2 without a check-then-insert
		// race; any other conflict (name, credit code) still raises.
		for i := 1; ; i++ {
			slug := base
			if i > 1 {
				slug = fmt.Sprintf("%s-%d", base, i)
			}
			if i > 1000 {
				return fmt.Errorf("create NGO: no free slug for %q", base)
			}
			err := tx.QueryRow(ctx, `
				INSERT INTO ngos (slug, name_zh, name_en, short_name, active, show_in_directory,
				                  credit_code, focus_areas, founded_year, contact_person, phone,
				                  email, website, address, profile_zh, profile_en, focus_areas_en, address_en)
				VALUES ($1, $2, $3, $4, true, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
				ON CONFLICT (slug) DO NOTHING
				RETURNING id`,
				slug, n.NameZH, n.NameEN, n.ShortName, n.ShowInDirectory,
				nullIfZero(n.CreditCode), ngoTags(n.FocusAreas), nullIfZero(n.FoundedYear), n.ContactPerson, n.Phone,
				n.Email, n.Website, n.Address, n.ProfileZH, n.ProfileEN, ngoTags(n.FocusAreasEN), n.AddressEN).Scan(&n.ID)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("create NGO: %w", ngoWriteError(err))
			}
			break
		}
		created, err := ngoByID(ctx, tx, n.ID, false)
		if err != nil {
			return err
		}
		after := created.AuditFields()
		after["slug"], after["active"] = created.Slug, true
		n = created
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditNGOCreated, ObjectType: portal.AuditObjectNGO, ObjectID: n.ID, NGOID: n.ID,
			Changes: portal.Diff(map[string]any{}, ngoWithoutEmpty(after)),
		})
	})
	if err != nil {
		return portal.NGO{}, err
	}
	return n, nil
}

// UpdateNGO saves the registry fields of NGO id, if nobody has changed it
// since the form was loaded at n.Version: otherwise ErrConflict. The slug
// stays as it was: the public address must not move when a name is
// corrected. Only the fields that changed are audited; a save that changes
// nothing writes nothing. It returns the NGO as saved.
func (db *DB) UpdateNGO(ctx context.Context, a portal.Actor, id int64, n portal.NGO) (portal.NGO, error) {
	var saved portal.NGO
	err := db.Transact(ctx, func(tx pgx.Tx) (err error) {
		saved, err = saveVersioned(ctx, tx, a, versionedUpdate[portal.NGO]{
			what: fmt.Sprintf("NGO %d", id), version: n.Version,
			load:      func(lock bool) (portal.NGO, error) { return ngoByID(ctx, tx, id, lock) },
			versionOf: func(n portal.NGO) int { return n.Version },
			after:     func(portal.NGO) map[string]any { return n.AuditFields() },
			write: func() (pgconn.CommandTag, error) {
				tag, err := tx.Exec(ctx, `
					UPDATE ngos SET name_zh = $3, name_en = $4, short_name = $5, show_in_directory = $6,
					       credit_code = $7, focus_areas = $8, founded_year = $9, contact_person = $10,
					       phone = $11, email = $12, website = $13, address = $14, profile_zh = $15,
					       profile_en = $16, focus_areas_en = $17, address_en = $18,
					       version = version + 1, updated_at = now()
					WHERE id = $1 AND version = $2`,
					id, n.Version, n.NameZH, n.NameEN, n.ShortName, n.ShowInDirectory,
					nullIfZero(n.CreditCode), ngoTags(n.FocusAreas), nullIfZero(n.FoundedYear), n.ContactPerson,
					n.Phone, n.Email, n.Website, n.Address, n.ProfileZH, n.ProfileEN, ngoTags(n.FocusAreasEN), n.AddressEN)
				return tag, ngoWriteError(err)
			},
			event: portal.AuditEvent{Action: portal.AuditNGOUpdated, ObjectType: portal.AuditObjectNGO, ObjectID: id, NGOID: id},
		})
		return err
	})
	if err != nil {
		return portal.NGO{}, err
	}
	return saved, nil
}

// DeactivateNGO takes an NGO out of service: every row it owns stays, its
// staff can no longer sign in (the login-session query requires an active
// NGO) and their open login sessions end now, in the same transaction.
// Deactivating an inactive NGO changes nothing and is not an error.
func (db *DB) DeactivateNGO(ctx context.Context, a portal.Actor, id int64) error {
	return db.setNGOActive(ctx, a, id, false)
}

// ReactivateNGO puts an NGO back into service; its staff may sign in again.
func (db *DB) ReactivateNGO(ctx context.Context, a portal.Actor, id int64) error {
	return db.setNGOActive(ctx, a, id, true)
}

func (db *DB) setNGOActive(ctx context.Context, a portal.Actor, id int64, active bool) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE ngos SET active = $2, version = version + 1, updated_at = now()
			WHERE id = $1 AND active <> $2`, id, active)
		if err != nil {
			return fmt.Errorf("set NGO %d active=%v: %w", id, active, err)
		}
		if tag.RowsAffected() == 0 {
			// Already so, or missing: only the latter is an error.
			_, err := ngoByID(ctx, tx, id, false)
			return err
		}
		changes := map[string]portal.Change{"active": {Before: !active, After: active}}
		action := portal.AuditNGOReactivated
		if !active {
			action = portal.AuditNGODeactivated
			tag, err := tx.Exec(ctx, `
				DELETE FROM auth_sessions WHERE user_id IN (SELECT id FROM users WHERE ngo_id = $1)`, id)
			if err != nil {
				return fmt.Errorf("end login sessions of NGO %d: %w", id, err)
			}
			if n := tag.RowsAffected(); n > 0 {
				changes["login_sessions"] = portal.Change{Before: n, After: 0}
			}
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: action, ObjectType: portal.AuditObjectNGO, ObjectID: id, NGOID: id, Changes: changes,
		})
	})
}

// ngoWriteError turns a broken uniqueness rule into a field message: the
// constraint decides, so two admins saving the same code at once cannot
// both succeed.
func ngoWriteError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		switch pgErr.ConstraintName {
		case "ngos_credit_code_key":
			return &portal.ValidationError{Fields: map[string]string{"credit_code": portal.MsgNGOCreditCodeTaken}}
		case "ngos_name_zh_key":
			return &portal.ValidationError{Fields: map[string]string{"name_zh": portal.MsgNGONameZHTaken}}
		}
	}
	return translate(err)
}

// ngoWithoutEmpty drops absent values, so that a creation's audit row lists
// what was entered rather than every blank field.
func ngoWithoutEmpty(m map[string]any) map[string]any {
	for k, v := range m {
		switch v := v.(type) {
		case nil:
			delete(m, k)
		case string:
			if v == "" {
				delete(m, k)
			}
		case []string:
			if len(v) == 0 {
				delete(m, k)
			}
		}
	}
	return m
}

func ngoTags(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
