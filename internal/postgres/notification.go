package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// insertNotices writes notice n, inside the caller's transaction, to every
// user that recipientsWhere (a condition on users u, with args from $6 on)
// selects, with the parameters the SQL expression paramsSQL computes ($4 is
// n.Params; a producer may add what the database knows without a statement
// of its own), and queues an email for each new notice whose recipient has
// not turned email off for its kind. A notice the recipient already has
// (same kind, object and occasion) is neither written nor mailed again.
func insertNotices(ctx context.Context, q querier, n portal.Notice, paramsSQL, recipientsWhere string, args ...any) error {
	params, err := json.Marshal(n.Params)
	if err != nil {
		return fmt.Errorf("notice %s of %d: %w", n.Kind, n.ObjectID, err)
	}
	all := append([]any{string(n.Kind), n.ObjectID, n.Occasion, params, n.Link}, args...)
	if _, err := q.Exec(ctx, `
		WITH ins AS (
			INSERT INTO notifications (recipient_id, kind, object_id, occasion, params, link)
			SELECT u.id, $1, $2, $3, `+paramsSQL+`, $5 FROM users u
			WHERE u.status = 'active' AND `+recipientsWhere+`
			ON CONFLICT (recipient_id, kind, object_id, occasion) DO NOTHING
			RETURNING id, recipient_id)
		INSERT INTO email_deliveries (notification_id)
		SELECT ins.id FROM ins
		WHERE NOT EXISTS (SELECT 1 FROM notification_email_optouts o WHERE o.user_id = ins.recipient_id AND o.kind = $1)`,
		all...); err != nil {
		return fmt.Errorf("notice %s of %d: %w", n.Kind, n.ObjectID, translate(err))
	}
	return nil
}

// officialsSQL is the condition on users u that names the federation's
// officials, to whom the federation's notices go: admins and reviewers
// alike (reviewers review the reports and run the sessions' check-in).
const officialsSQL = `u.role IN ('admin', 'reviewer')`

// notifyReport writes the notice of kind about report r (of NGO r.NGOID,
// in the cycle of r.ReviewYear) to those it concerns: every active official
// (admin or reviewer) of a submission, the NGO's active staff of a review. occasion is "" for
// a step that happens once to a report, else what tells its repeats apart.
// One statement: the NGO's names are read by the insert itself.
func notifyReport(ctx context.Context, q querier, r portal.Report, kind portal.NotificationKind, occasion string) error {
	n := portal.Notice{Kind: kind, ObjectID: r.ID, Occasion: occasion, Params: portal.NotificationParams{Year: r.ReviewYear}}
	const withNGO = `$4::jsonb || (SELECT jsonb_build_object('ngo_zh', g.name_zh, 'ngo_en', g.name_en) FROM ngos g WHERE g.id = $6)`
	id := strconv.FormatInt(r.ID, 10)
	switch kind {
	case portal.NotifyReportSubmitted, portal.NotifyReportResubmitted:
		n.Link = "/admin/reports/" + id
		return insertNotices(ctx, q, n, withNGO, officialsSQL, r.NGOID)
	default:
		n.Link = "/ngo/reports/" + id
		return insertNotices(ctx, q, n, withNGO, `u.role = 'staff' AND u.ngo_id = $6`, r.NGOID)
	}
}

// notifyDeclined tells every active official (admin or reviewer) that NGO ngoID declined its
// invitation invitationID to session sessionID, in the reply's
// transaction; occasion is the invitation's version the reply made, so a
// decline after a confirmation is told again. One statement: the NGO's
// and the session's names are read by the insert itself.
func notifyDeclined(ctx context.Context, q querier, sessionID, ngoID, invitationID int64, version int) error {
	n := portal.Notice{Kind: portal.NotifyInvitationDeclined, ObjectID: invitationID,
		Occasion: portal.VersionOccasion(version), Link: "/admin/sessions/" + strconv.FormatInt(sessionID, 10) + "/invitations"}
	const names = `$4::jsonb
		|| (SELECT jsonb_build_object('ngo_zh', g.name_zh, 'ngo_en', g.name_en) FROM ngos g WHERE g.id = $6)
		|| (SELECT jsonb_build_object('session_zh', s.title_zh, 'session_en', s.title_en) FROM sessions s WHERE s.id = $7)`
	return insertNotices(ctx, q, n, names, officialsSQL+` AND $6::bigint IS NOT NULL AND $7::bigint IS NOT NULL`, ngoID, sessionID)
}

// insertNoticeRows writes, in one statement (inside the caller's
// transaction when q is one), the notices of kind that rowsSQL selects,
// one per row of (recipient_id, object_id, occasion, params, link), to
// those of the recipients whose account is active, and queues an email for
// each new notice whose recipient has not turned email off for kind:
// insertNotices for a producer that tells many NGOs or objects at once
// (every invitation of a session being scheduled, a reminder run).
// rowsSQL's own arguments start at $2. A notice the recipient already has
// is neither written nor mailed again; it returns how many are new.
func insertNoticeRows(ctx context.Context, q querier, kind portal.NotificationKind, rowsSQL string, args ...any) (int, error) {
	var n int
	err := q.QueryRow(ctx, `
		WITH ins AS (
			INSERT INTO notifications (recipient_id, kind, object_id, occasion, params, link)
			SELECT r.recipient_id, $1, r.object_id, r.occasion, r.params, r.link
			FROM (`+rowsSQL+`) AS r (recipient_id, object_id, occasion, params, link)
			JOIN users u ON u.id = r.recipient_id AND u.status = 'active'
			ORDER BY r.object_id, r.recipient_id
			ON CONFLICT (recipient_id, kind, object_id, occasion) DO NOTHING
			RETURNING id, recipient_id),
		mail AS (
			INSERT INTO email_deliveries (notification_id)
			SELECT ins.id FROM ins
			WHERE NOT EXISTS (SELECT 1 FROM notification_email_optouts o WHERE o.user_id = ins.recipient_id AND o.kind = $1))
		SELECT count(*) FROM ins`, append([]any{string(kind)}, args...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("notices %s: %w", kind, translate(err))
	}
	return n, nil
}

const notificationColumns = `n.id, n.recipient_id, n.kind, n.object_id, n.occasion, n.params, n.link, n.created_at, n.read_at`

func notificationScanArgs(n *portal.Notification) []any {
	return []any{&n.ID, &n.RecipientID, &n.Kind, &n.ObjectID, &n.Occasion, &n.Params, &n.Link, &n.CreatedAt, &timeOrZero{&n.ReadAt}}
}

// timeOrZero scans a timestamptz that may be NULL into a time.Time, zero
// for NULL.
type timeOrZero struct{ t *time.Time }

// Scan implements sql.Scanner.
func (z *timeOrZero) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*z.t = time.Time{}
	case time.Time:
		*z.t = v
	default:
		return fmt.Errorf("cannot scan %T into a time", src)
	}
	return nil
}

// Notifications returns a page of user userID's notifications, newest
// first, and how many there are in all.
func (db *DB) Notifications(ctx context.Context, userID int64, limit, offset int) ([]portal.Notification, int, error) {
	var total int
	var out []portal.Notification
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, userID).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT `+notificationColumns+` FROM notifications n
			WHERE n.recipient_id = $1
			ORDER BY n.created_at DESC, n.id DESC
			LIMIT $2 OFFSET $3`, userID, limit, offset)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, rowTo(notificationScanArgs))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("notifications of user %d: %w", userID, err)
	}
	return out, total, nil
}

// MarkNotificationRead marks user userID's notification id read (once: a
// read one keeps its time) and returns its link; ErrNotFound when the user
// has no such notification.
func (db *DB) MarkNotificationRead(ctx context.Context, userID, id int64) (string, error) {
	var link string
	err := db.pool.QueryRow(ctx, `
		UPDATE notifications SET read_at = coalesce(read_at, now())
		WHERE id = $1 AND recipient_id = $2
		RETURNING link`, id, userID).Scan(&link)
	if err != nil {
		return "", fmt.Errorf("notification %d of user %d: %w", id, userID, translate(err))
	}
	return link, nil
}

// MarkAllNotificationsRead marks every unread notification of user userID
// read and returns how many there were.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, userID int64) (int64, error) {
	tag, err := db.pool.Exec(ctx, `
		UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL`, userID)
	if err != nil {
		return 0, fmt.Errorf("mark notifications of user %d read: %w", userID, err)
	}
	return tag.RowsAffected(), nil
}

// NotificationPrefs returns user userID's language and the kinds they get
// no email about.
func (db *DB) NotificationPrefs(ctx context.Context, userID int64) (portal.NotificationPrefs, error) {
	return notificationPrefs(ctx, db.pool, userID, false)
}

func notificationPrefs(ctx context.Context, q querier, userID int64, forUpdate bool) (portal.NotificationPrefs, error) {
	p := portal.NotificationPrefs{EmailOff: map[portal.NotificationKind]bool{}}
	sql := `SELECT locale, daily_digest FROM users WHERE id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	if err := q.QueryRow(ctx, sql, userID).Scan(&p.Locale, &p.Digest); err != nil {
		return p, fmt.Errorf("preferences of user %d: %w", userID, translate(err))
	}
	rows, err := q.Query(ctx, `SELECT kind FROM notification_email_optouts WHERE user_id = $1`, userID)
	if err != nil {
		return p, fmt.Errorf("preferences of user %d: %w", userID, err)
	}
	kinds, err := pgx.CollectRows(rows, pgx.RowTo[portal.NotificationKind])
	if err != nil {
		return p, fmt.Errorf("preferences of user %d: %w", userID, err)
	}
	for _, k := range kinds {
		p.EmailOff[k] = true
	}
	return p, nil
}

// SaveNotificationPrefs stores user userID's language, an admin's opt-in
// to the daily digest and, of the kinds that concern role, which ones they
// get no email about (the others keep theirs). One audited transaction; a save that changes nothing writes
// nothing. The caller has checked p.Locale.
func (db *DB) SaveNotificationPrefs(ctx context.Context, a portal.Actor, userID int64, role portal.Role, p portal.NotificationPrefs) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := notificationPrefs(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		changes := map[string]portal.Change{}
		if before.Locale != p.Locale {
			changes["language"] = portal.Change{Before: before.Locale, After: p.Locale}
			if _, err := tx.Exec(ctx, `UPDATE users SET locale = $2, updated_at = now() WHERE id = $1`, userID, p.Locale); err != nil {
				return fmt.Errorf("language of user %d: %w", userID, err)
			}
		}
		// The daily digest is the admins' only (see the schedule); staff keep theirs off.
		if role.Official() && before.Digest != p.Digest {
			changes["daily_digest"] = portal.Change{Before: before.Digest, After: p.Digest}
			if _, err := tx.Exec(ctx, `UPDATE users SET daily_digest = $2, updated_at = now() WHERE id = $1`, userID, p.Digest); err != nil {
				return fmt.Errorf("daily digest of user %d: %w", userID, err)
			}
		}
		kinds := portal.KindsFor(role)
		sort.Slice(kinds, func(i, j int) bool { return kinds[i] < kinds[j] })
		for _, k := range kinds {
			was, now := before.EmailOff[k], p.EmailOff[k]
			if was == now {
				continue
			}
			// Recorded as "email on": yes/no reads better than a double negative.
			changes["email."+string(k)] = portal.Change{Before: !was, After: !now}
			sql := `DELETE FROM notification_email_optouts WHERE user_id = $1 AND kind = $2`
			if now {
				sql = `INSERT INTO notification_email_optouts (user_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING`
			}
			if _, err := tx.Exec(ctx, sql, userID, string(k)); err != nil {
				return fmt.Errorf("email of %s for user %d: %w", k, userID, err)
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditNotificationPrefs, ObjectType: portal.AuditObjectUser, ObjectID: userID, Changes: changes,
		})
	})
}

// NotifyReport writes, as the report's lifecycle steps do, the notice of
// kind about report r to those it concerns, with occasion as the step's
// repeat (see notifyReport): for a loader whose rows must look as the
// portal's own steps leave them.
func (tx Tx) NotifyReport(ctx context.Context, r portal.Report, kind portal.NotificationKind, occasion string) error {
	return notifyReport(ctx, tx, r, kind, occasion)
}
