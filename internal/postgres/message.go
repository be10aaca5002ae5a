package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// Admins' messages to chosen NGOs: each kept once in admin_messages with
// the NGOs it went to (admin_message_recipients), and told to each active
// staff account of those NGOs as a notice of kind admin_message.

// ErrMessageResent is returned by SendAdminMessage, with the id of the
// message already sent, when its form was sent before: the message went
// out once.
var ErrMessageResent = errors.New("message already sent")

// audienceSQL selects the ids of the active NGOs audience $1 and $2 (the
// group's cycle or session, and the ticked NGOs) name: each group computed
// from the data as it is now.
const audienceSQL = `
	SELECT n.id FROM ngos n
	WHERE n.active AND CASE $1::text
		WHEN 'all' THEN true
		WHEN 'chosen' THEN n.id = ANY($3::bigint[])
		WHEN 'no_report' THEN
			EXISTS (SELECT 1 FROM reporting_cycles c WHERE c.id = $2 AND c.status = 'open')
			AND NOT EXISTS (SELECT 1 FROM reports r
			                WHERE r.cycle_id = $2 AND r.ngo_id = n.id AND r.status IN ('submitted', 'accepted'))
		WHEN 'no_reply' THEN
			EXISTS (SELECT 1 FROM invitations i JOIN sessions s ON s.id = i.session_id
			        WHERE i.session_id = $2 AND i.ngo_id = n.id AND i.withdrawn_at IS NULL
			          AND i.reply = 'none' AND s.status = 'scheduled')
		WHEN 'no_answer' THEN
			EXISTS (SELECT 1 FROM request_addressees a
			        JOIN sessions s ON s.id = a.session_id AND s.responses_due_on IS NOT NULL
			        WHERE a.session_id = $2 AND a.ngo_id = n.id
			          AND NOT EXISTS (SELECT 1 FROM report_plan_item_requests l
			                          WHERE l.request_id = a.request_id AND l.ngo_id = n.id)
			          AND NOT EXISTS (SELECT 1 FROM request_responses rr
			                          WHERE rr.request_id = a.request_id AND rr.ngo_id = n.id AND rr.nothing_planned))
		ELSE false END`

func audienceArgs(a portal.Audience) []any {
	return []any{string(a.Kind), a.Ref, a.NGOIDs}
}

// MessageAudiences lists the groups the message form offers: every active
// NGO; for each open cycle, the NGOs without a submitted report; for each
// scheduled session, the invited NGOs without a reply; for each session
// whose answers are asked for, the NGOs with requests unanswered. Newest
// first within each.
func (db *DB) MessageAudiences(ctx context.Context) ([]portal.AudienceOption, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT 'no_report', c.id, c.review_year, '', '', 1 AS g, c.deadline AS d
		FROM reporting_cycles c WHERE c.status = 'open'
		UNION ALL
		SELECT 'no_reply', s.id, 0, s.title_zh, s.title_en, 2, s.held_on
		FROM sessions s WHERE s.status = 'scheduled'
		UNION ALL
		SELECT 'no_answer', s.id, 0, s.title_zh, s.title_en, 3, s.held_on
		FROM sessions s WHERE s.status IN ('held', 'closed') AND s.responses_due_on IS NOT NULL
		ORDER BY g, d DESC, 2 DESC`)
	if err != nil {
		return nil, fmt.Errorf("message audiences: %w", err)
	}
	groups, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.AudienceOption, error) {
		var o portal.AudienceOption
		var g int
		var d any
		err := row.Scan(&o.Kind, &o.Ref, &o.Year, &o.SessionZH, &o.SessionEN, &g, &d)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("message audiences: %w", err)
	}
	out := []portal.AudienceOption{{Audience: portal.Audience{Kind: portal.AudienceAll}}}
	return append(out, groups...), nil
}

// MessageRecipients lists the active NGOs audience a names now, by Chinese
// name (pinyin): who a message sent now would reach.
func (db *DB) MessageRecipients(ctx context.Context, a portal.Audience) ([]portal.NGO, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+ngoNameColumns+` FROM ngos n WHERE n.id IN (`+audienceSQL+`)
		ORDER BY n.name_zh, n.id`, audienceArgs(a)...)
	if err != nil {
		return nil, fmt.Errorf("recipients of %s: %w", a, err)
	}
	ngos, err := pgx.CollectRows(rows, rowTo(ngoNameScanArgs))
	if err != nil {
		return nil, fmt.Errorf("recipients of %s: %w", a, err)
	}
	return ngos, nil
}

// ActiveNGONames lists every active NGO by Chinese name (pinyin), for
// ticking a message's recipients.
func (db *DB) ActiveNGONames(ctx context.Context) ([]portal.NGO, error) {
	return db.MessageRecipients(ctx, portal.Audience{Kind: portal.AudienceAll})
}

// SendAdminMessage sends message d to the active NGOs its audience names
// when it is sent, in one audited transaction: the message, its NGOs, and
// a notice (with its email) to each active staff account of each. token is
// the form's: a second send of the same form (a double click, a resent
// request, even at the same moment) sends nothing and returns the first
// message's id with ErrMessageResent. An audience that names no NGO is a
// *portal.ValidationError. The caller has validated d.
func (db *DB) SendAdminMessage(ctx context.Context, a portal.Actor, d portal.MessageDraft, token string) (int64, error) {
	var id int64
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		// A concurrent send of the same token waits here for the first to
		// commit, then inserts nothing.
		err := tx.QueryRow(ctx, `
			INSERT INTO admin_messages (subject, body, audience, form_token, sent_by)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (form_token) DO NOTHING
			RETURNING id`, d.Subject, d.Body, d.Audience.String(), token, nullIfZero(a.UserID)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			if err := tx.QueryRow(ctx, `SELECT id FROM admin_messages WHERE form_token = $1`, token).Scan(&id); err != nil {
				return fmt.Errorf("message of form %s: %w", token, translate(err))
			}
			return ErrMessageResent
		}
		if err != nil {
			return fmt.Errorf("send message: %w", translate(err))
		}
		rows, err := tx.Query(ctx, `
			INSERT INTO admin_message_recipients (message_id, ngo_id)
			SELECT $4, id FROM (`+audienceSQL+`) AS g
			RETURNING ngo_id`, append(audienceArgs(d.Audience), id)...)
		if err != nil {
			return fmt.Errorf("recipients of message %d: %w", id, err)
		}
		ngos, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("recipients of message %d: %w", id, err)
		}
		if len(ngos) == 0 {
			field := "audience"
			if d.Audience.Kind == portal.AudienceChosen {
				field = "ngos"
			}
			return &portal.ValidationError{Fields: map[string]string{field: "message.error.no_recipients"}}
		}
		n := portal.Notice{Kind: portal.NotifyAdminMessage, ObjectID: id, Link: "/ngo/messages/" + strconv.FormatInt(id, 10),
			Params: portal.NotificationParams{Subject: d.Subject}}
		if err := insertNotices(ctx, tx, n, `$4::jsonb`,
			`u.role = 'staff' AND u.ngo_id IN (SELECT ngo_id FROM admin_message_recipients WHERE message_id = $6)`, id); err != nil {
			return err
		}
		var staff int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE kind = $1 AND object_id = $2`,
			string(portal.NotifyAdminMessage), id).Scan(&staff); err != nil {
			return fmt.Errorf("notices of message %d: %w", id, err)
		}
		recipients := make([]string, len(ngos))
		for i, ngo := range ngos {
			recipients[i] = strconv.FormatInt(ngo, 10)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditMessageSent, ObjectType: portal.AuditObjectMessage, ObjectID: id,
			Changes: map[string]portal.Change{
				"subject":        {After: d.Subject},
				"recipients":     {After: recipients},
				"staff_notified": {After: staff},
			},
		})
	})
	if err != nil && !errors.Is(err, ErrMessageResent) {
		return 0, err
	}
	return id, err
}

const messageColumns = `m.id, m.subject, m.body, m.audience, coalesce(u.name, ''), m.sent_at,
	(SELECT count(*) FROM admin_message_recipients r WHERE r.message_id = m.id)`

func messageScanArgs(m *portal.AdminMessage) []any {
	return []any{&m.ID, &m.Subject, &m.Body, &m.Audience, &m.SentByName, &m.SentAt, &m.Recipients}
}

// AdminMessages returns a page of the messages sent, newest first, and how
// many there are in all.
func (db *DB) AdminMessages(ctx context.Context, limit, offset int) ([]portal.AdminMessage, int, error) {
	var total int
	var out []portal.AdminMessage
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM admin_messages`).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT `+messageColumns+` FROM admin_messages m LEFT JOIN users u ON u.id = m.sent_by
			ORDER BY m.sent_at DESC, m.id DESC
			LIMIT $1 OFFSET $2`, limit, offset)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, rowTo(messageScanArgs))
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("messages: %w", err)
	}
	return out, total, nil
}

// AdminMessageByID returns a message sent, with the NGOs it went to by
// Chinese name (pinyin); ErrNotFound when there is none.
func (db *DB) AdminMessageByID(ctx context.Context, id int64) (portal.AdminMessage, error) {
	var m portal.AdminMessage
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT `+messageColumns+` FROM admin_messages m LEFT JOIN users u ON u.id = m.sent_by
			WHERE m.id = $1`, id).Scan(messageScanArgs(&m)...); err != nil {
			return translate(err)
		}
		rows, err := tx.Query(ctx, `
			SELECT `+ngoNameColumns+` FROM admin_message_recipients r JOIN ngos n ON n.id = r.ngo_id
			WHERE r.message_id = $1 ORDER BY n.name_zh, n.id`, id)
		if err != nil {
			return err
		}
		m.NGOs, err = pgx.CollectRows(rows, rowTo(ngoNameScanArgs))
		return err
	})
	if err != nil {
		return portal.AdminMessage{}, fmt.Errorf("message %d: %w", id, err)
	}
	return m, nil
}

// NGOMessage returns message id as NGO ngoID's staff read it; ErrNotFound
// when there is none or it did not go to that NGO: the scope is in the
// query. Staff pages pass the signed-in user's NGO.
func (db *DB) NGOMessage(ctx context.Context, id, ngoID int64) (portal.AdminMessage, error) {
	var m portal.AdminMessage
	err := db.pool.QueryRow(ctx, `SELECT `+messageColumns+` FROM admin_messages m
		JOIN admin_message_recipients r ON r.message_id = m.id AND r.ngo_id = $2
		LEFT JOIN users u ON u.id = m.sent_by
		WHERE m.id = $1`, id, ngoID).Scan(messageScanArgs(&m)...)
	if err != nil {
		return portal.AdminMessage{}, fmt.Errorf("message %d of NGO %d: %w", id, ngoID, translate(err))
	}
	return m, nil
}
