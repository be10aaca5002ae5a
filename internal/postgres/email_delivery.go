package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// OutboxItem is one email a worker has claimed: the delivery, the notice it
// carries and its recipient as they are now.
type OutboxItem struct {
	DeliveryID int64
	Attempt    int // this attempt's number, from 1
	Notice     portal.Notification
	To         string // the recipient's address
	Name       string // the recipient's display name in Chinese
	NameEN     string // in English; "" when not given
	Locale     string // the recipient's preferred language
	Active     bool   // whether the recipient's account is still active
	// Body is the text (Markdown) of the admin's message an admin_message
	// notice carries, for the mail; "" for every other kind.
	Body string
}

// Rendered is an email as it was (or would have been) sent.
type Rendered struct {
	To, Locale, Subject, Text, HTML string
}

// ClaimDeliveries claims up to limit pending deliveries that are due, oldest
// first, for lease: in one short transaction it locks them (skipping rows
// another worker holds), counts the attempt and moves their next attempt
// lease ahead, so that no other worker takes them while this one sends.
// A worker that dies mid-send leaves its rows to be claimed again once the
// lease has run out: delivery is at least once.
func (db *DB) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]OutboxItem, error) {
	rows, err := db.pool.Query(ctx, `
		WITH due AS (
			SELECT id FROM email_deliveries
			WHERE status = 'pending' AND next_attempt_at <= now()
			ORDER BY next_attempt_at, id
			LIMIT $1
			FOR UPDATE SKIP LOCKED),
		claimed AS (
			UPDATE email_deliveries d
			SET attempts = d.attempts + 1, next_attempt_at = now() + $2::interval, updated_at = now()
			FROM due WHERE d.id = due.id
			RETURNING d.id, d.attempts, d.notification_id)
		SELECT c.id, c.attempts, `+notificationColumns+`,
		       u.email, u.name, u.name_en, u.locale, u.status = 'active', coalesce(m.body, '')
		FROM claimed c
		JOIN notifications n ON n.id = c.notification_id
		JOIN users u ON u.id = n.recipient_id
		LEFT JOIN admin_messages m ON n.kind = 'admin_message' AND m.id = n.object_id
		ORDER BY c.id`, limit, lease)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OutboxItem, error) {
		var it OutboxItem
		args := append([]any{&it.DeliveryID, &it.Attempt}, notificationScanArgs(&it.Notice)...)
		args = append(args, &it.To, &it.Name, &it.NameEN, &it.Locale, &it.Active, &it.Body)
		return it, row.Scan(args...)
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return items, nil
}

// RecordDelivered records attempt of delivery id as done: status sent, or
// logged when no SMTP server is configured, with the message as rendered.
// A claim that is no longer this worker's (its lease ran out and another
// attempt started) changes nothing.
func (db *DB) RecordDelivered(ctx context.Context, id int64, attempt int, status portal.DeliveryStatus, m Rendered) error {
	_, err := db.pool.Exec(ctx, `
		UPDATE email_deliveries
		SET status = $3, sent_at = now(), last_error = '', to_address = $4, locale = $5,
		    subject = $6, body_text = $7, body_html = $8, updated_at = now()
		WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
		id, attempt, string(status), m.To, m.Locale, m.Subject, m.Text, m.HTML)
	if err != nil {
		return fmt.Errorf("record delivery %d: %w", id, err)
	}
	return nil
}

// RecordDeliveryFailure records that attempt of delivery id failed with
// errText: due again at retryAt, or, when retryAt is zero, given up
// (status failed). The message as rendered is kept, when there is one.
func (db *DB) RecordDeliveryFailure(ctx context.Context, id int64, attempt int, errText string, retryAt time.Time, m Rendered) error {
	status := portal.DeliveryPending
	if retryAt.IsZero() {
		status = portal.DeliveryFailed
	}
	_, err := db.pool.Exec(ctx, `
		UPDATE email_deliveries
		SET status = $3, next_attempt_at = coalesce($4, next_attempt_at), last_error = $5,
		    to_address = coalesce(nullif($6, ''), to_address), locale = coalesce(nullif($7, ''), locale),
		    subject = coalesce(nullif($8, ''), subject), body_text = coalesce(nullif($9, ''), body_text),
		    body_html = coalesce(nullif($10, ''), body_html), updated_at = now()
		WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
		id, attempt, string(status), optionalTime(retryAt), errText, m.To, m.Locale, m.Subject, m.Text, m.HTML)
	if err != nil {
		return fmt.Errorf("record failure of delivery %d: %w", id, err)
	}
	return nil
}

// DeliveryFilter selects the mail log's rows.
type DeliveryFilter struct {
	Status        portal.DeliveryStatus // "": every status
	Limit, Offset int
}

const deliveryColumns = `d.id, d.notification_id, n.kind, n.recipient_id, u.name, u.email, d.status, d.attempts,
	d.next_attempt_at, d.last_error, d.sent_at, d.to_address, d.locale, d.subject, d.body_text, d.body_html,
	d.created_at, d.updated_at`

const deliveryFrom = ` FROM email_deliveries d
	JOIN notifications n ON n.id = d.notification_id
	JOIN users u ON u.id = n.recipient_id`

func deliveryScanArgs(d *portal.Delivery) []any {
	return []any{&d.ID, &d.NotificationID, &d.Kind, &d.RecipientID, &d.RecipientName, &d.RecipientEmail, &d.Status,
		&d.Attempts, &d.NextAttemptAt, &d.LastError, &timeOrZero{&d.SentAt}, &d.ToAddress, &d.Locale, &d.Subject,
		&d.BodyText, &d.BodyHTML, &d.CreatedAt, &d.UpdatedAt}
}

// ListDeliveries returns a page of the mail log, newest first, how many
// rows match f, and how many deliveries there are of each status.
func (db *DB) ListDeliveries(ctx context.Context, f DeliveryFilter) ([]portal.Delivery, int, map[portal.DeliveryStatus]int, error) {
	var out []portal.Delivery
	var total int
	counts := map[portal.DeliveryStatus]int{}
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT status, count(*) FROM email_deliveries GROUP BY status`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s portal.DeliveryStatus
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				return err
			}
			counts[s] = n
			if f.Status == "" || f.Status == s {
				total += n
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `
			SELECT `+deliveryColumns+deliveryFrom+`
			WHERE ($1 = '' OR d.status = $1)
			ORDER BY d.created_at DESC, d.id DESC
			LIMIT $2 OFFSET $3`, string(f.Status), f.Limit, f.Offset)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, rowTo(deliveryScanArgs))
		return err
	})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("mail log: %w", err)
	}
	return out, total, counts, nil
}

// DeliveryByID returns delivery id; ErrNotFound when there is none.
func (db *DB) DeliveryByID(ctx context.Context, id int64) (portal.Delivery, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+deliveryColumns+deliveryFrom+` WHERE d.id = $1`, id)
	if err != nil {
		return portal.Delivery{}, fmt.Errorf("delivery %d: %w", id, err)
	}
	d, err := pgx.CollectExactlyOneRow(rows, rowTo(deliveryScanArgs))
	if err != nil {
		return portal.Delivery{}, fmt.Errorf("delivery %d: %w", id, translate(err))
	}
	return d, nil
}

// RetryDelivery puts failed delivery id back in the outbox, due now, with
// its attempts counted from zero again; audited. ErrNotFound when there is
// no such delivery, ErrConflict when it has not failed.
func (db *DB) RetryDelivery(ctx context.Context, a portal.Actor, id int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		var status portal.DeliveryStatus
		var attempts int
		if err := tx.QueryRow(ctx, `SELECT status, attempts FROM email_deliveries WHERE id = $1 FOR UPDATE`, id).Scan(&status, &attempts); err != nil {
			return fmt.Errorf("retry delivery %d: %w", id, translate(err))
		}
		if status != portal.DeliveryFailed {
			return fmt.Errorf("retry delivery %d, %s: %w", id, status, portal.ErrConflict)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE email_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
			WHERE id = $1`, id); err != nil {
			return fmt.Errorf("retry delivery %d: %w", id, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditMailRetried, ObjectType: portal.AuditObjectDelivery, ObjectID: id,
			Changes: map[string]portal.Change{
				"status":   {Before: string(status), After: string(portal.DeliveryPending)},
				"attempts": {Before: attempts, After: 0},
			},
		})
	})
}
