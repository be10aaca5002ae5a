package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/portal"
)

// ErrRequestsReadOnly is returned by the request writes when the session is
// not scheduled or held: a closed or cancelled session's requests are part of
// the record and a draft session has not been announced yet.
var ErrRequestsReadOnly = fmt.Errorf("requests are read-only: %w", portal.ErrForbidden)

// ErrRequestInUse is returned by DeleteRequest when NGOs' reports list the
// request for an answer or link plan items to it (RequestUse).
var ErrRequestInUse = fmt.Errorf("request is referred to by reports: %w", portal.ErrConflict)

// requestColumns is the column list every request read uses, in
// requestScanArgs' order; r is session_requests, o the official who made it.
const requestColumns = `r.id, r.session_id, r.number, r.text_zh, r.text_en, coalesce(r.made_by, 0),
	coalesce(o.name_zh, ''), coalesce(o.name_en, ''), coalesce(o.position, ''),
	r.addressed_to_all, r.version`

const requestFrom = ` FROM session_requests r LEFT JOIN officials o ON o.id = r.made_by`

func requestScanArgs(q *portal.Request) []any {
	return []any{&q.ID, &q.SessionID, &q.Number, &q.TextZH, &q.TextEN, &q.MadeBy,
		&q.MadeByNameZH, &q.MadeByNameEN, &q.MadeByPosition, &q.AddressedToAll, &q.Version}
}

// addressedToNGO is the condition on session_requests r of the requests of
// session $1 addressed to NGO $2: those addressed to all invited NGOs (when
// the NGO has an unwithdrawn invitation) and those naming it.
const addressedToNGO = ` r.session_id = $1 AND` + addressedTo

// addressedTo is addressedToNGO without the session: the condition that
// request r (of whatever session) is addressed to NGO $2.
const addressedTo = `
	((r.addressed_to_all AND EXISTS (
	        SELECT 1 FROM invitations i
	        WHERE i.session_id = r.session_id AND i.ngo_id = $2 AND i.withdrawn_at IS NULL))
	     OR EXISTS (
	        SELECT 1 FROM request_recipients rr
	        WHERE rr.request_id = r.id AND rr.ngo_id = $2))`

// RequestsForNGO returns the requests of a session addressed to the NGO: those
// addressed to all invited NGOs (when the NGO has an unwithdrawn invitation)
// and those naming it; by number.
func (db *DB) RequestsForNGO(ctx context.Context, sessionID, ngoID int64) ([]portal.Request, error) {
	return requestsForNGO(ctx, db.pool, sessionID, ngoID)
}

// RequestsForNGO is DB.RequestsForNGO, read in the transaction.
func (tx Tx) RequestsForNGO(ctx context.Context, sessionID, ngoID int64) ([]portal.Request, error) {
	return requestsForNGO(ctx, tx, sessionID, ngoID)
}

func requestsForNGO(ctx context.Context, q querier, sessionID, ngoID int64) ([]portal.Request, error) {
	rows, err := q.Query(ctx, `
		SELECT `+requestColumns+requestFrom+`
		WHERE`+addressedToNGO+`
		ORDER BY r.number, r.id`, sessionID, ngoID)
	if err != nil {
		return nil, fmt.Errorf("requests of session %d for NGO %d: %w", sessionID, ngoID, err)
	}
	reqs, err := pgx.CollectRows(rows, rowTo(requestScanArgs))
	if err != nil {
		return nil, fmt.Errorf("requests of session %d for NGO %d: %w", sessionID, ngoID, err)
	}
	if err := loadRecipients(ctx, q, reqs); err != nil {
		return nil, err
	}
	return reqs, nil
}

// ListRequests returns all requests of a session by number, with their
// recipients.
func (db *DB) ListRequests(ctx context.Context, sessionID int64) ([]portal.Request, error) {
	reqs, err := sessionRequests(ctx, db.pool, sessionID)
	if err != nil {
		return nil, err
	}
	if err := loadRecipients(ctx, db.pool, reqs); err != nil {
		return nil, err
	}
	return reqs, nil
}

// sessionRequests returns a session's requests by number, without their
// recipients.
func sessionRequests(ctx context.Context, q querier, sessionID int64) ([]portal.Request, error) {
	rows, err := q.Query(ctx, `
		SELECT `+requestColumns+requestFrom+`
		WHERE r.session_id = $1
		ORDER BY r.number, r.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("requests of session %d: %w", sessionID, err)
	}
	reqs, err := pgx.CollectRows(rows, rowTo(requestScanArgs))
	if err != nil {
		return nil, fmt.Errorf("requests of session %d: %w", sessionID, err)
	}
	return reqs, nil
}

// RequestByID returns one request of a session; ErrNotFound when there is
// none or it belongs to another session.
func (db *DB) RequestByID(ctx context.Context, sessionID, requestID int64) (portal.Request, error) {
	return requestByID(ctx, db.pool, sessionID, requestID)
}

func requestByID(ctx context.Context, q querier, sessionID, requestID int64) (portal.Request, error) {
	var req portal.Request
	err := q.QueryRow(ctx, `
		SELECT `+requestColumns+requestFrom+`
		WHERE r.session_id = $1 AND r.id = $2`, sessionID, requestID).Scan(requestScanArgs(&req)...)
	if err != nil {
		return portal.Request{}, fmt.Errorf("request %d of session %d: %w", requestID, sessionID, translate(err))
	}
	reqs := []portal.Request{req}
	if err := loadRecipients(ctx, q, reqs); err != nil {
		return portal.Request{}, err
	}
	return reqs[0], nil
}

// loadRecipients fills in the named NGOs of the requests not addressed to
// all, by Chinese name (pinyin).
func loadRecipients(ctx context.Context, q querier, reqs []portal.Request) error {
	var ids []int64
	for _, r := range reqs {
		if !r.AddressedToAll {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.Query(ctx, `
		SELECT rr.request_id, n.id, n.name_zh, n.name_en
		FROM request_recipients rr
		JOIN ngos n ON n.id = rr.ngo_id
		WHERE rr.request_id = ANY($1)
		ORDER BY rr.request_id, n.name_zh, n.id`, ids)
	if err != nil {
		return fmt.Errorf("request recipients: %w", err)
	}
	type recipient struct {
		requestID      int64
		ngoID          int64
		nameZH, nameEN string
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (recipient, error) {
		var r recipient
		err := row.Scan(&r.requestID, &r.ngoID, &r.nameZH, &r.nameEN)
		return r, err
	})
	if err != nil {
		return fmt.Errorf("request recipients: %w", err)
	}
	for i := range reqs {
		for _, r := range recs {
			if r.requestID == reqs[i].ID {
				reqs[i].Recipients = append(reqs[i].Recipients, r.ngoID)
				reqs[i].RecipientNamesZH = append(reqs[i].RecipientNamesZH, r.nameZH)
				reqs[i].RecipientNamesEN = append(reqs[i].RecipientNamesEN, r.nameEN)
			}
		}
	}
	return nil
}

// NextRequestNumber is the number a new request of the session gets by
// default: one more than the highest so far.
func (db *DB) NextRequestNumber(ctx context.Context, sessionID int64) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `
		SELECT coalesce(max(number), 0) + 1 FROM session_requests WHERE session_id = $1`, sessionID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("next request number of session %d: %w", sessionID, err)
	}
	return n, nil
}

// RequestRecipientOption is an NGO a request may be addressed to: one with an
// unwithdrawn invitation to the session.
type RequestRecipientOption struct {
	NGOID  int64
	NameZH string
	NameEN string
}

// RequestRecipientOptions lists the NGOs invited to the session (invitation
// not withdrawn), by Chinese name (pinyin).
func (db *DB) RequestRecipientOptions(ctx context.Context, sessionID int64) ([]RequestRecipientOption, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT n.id, n.name_zh, n.name_en
		FROM invitations i
		JOIN ngos n ON n.id = i.ngo_id
		WHERE i.session_id = $1 AND i.withdrawn_at IS NULL
		ORDER BY n.name_zh, n.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("invited NGOs of session %d: %w", sessionID, err)
	}
	opts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (RequestRecipientOption, error) {
		var o RequestRecipientOption
		err := row.Scan(&o.NGOID, &o.NameZH, &o.NameEN)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("invited NGOs of session %d: %w", sessionID, err)
	}
	return opts, nil
}

// lockSessionForRequests locks the session's row so that its status cannot
// change while a request is written, and refuses when requests are
// read-only. ErrNotFound when the session does not exist.
func lockSessionForRequests(ctx context.Context, tx pgx.Tx, sessionID int64) error {
	var status portal.SessionStatus
	err := tx.QueryRow(ctx, `SELECT status FROM sessions WHERE id = $1 FOR SHARE`, sessionID).Scan(&status)
	if err != nil {
		return fmt.Errorf("session %d: %w", sessionID, translate(err))
	}
	if !portal.RequestsEditable(status) {
		return ErrRequestsReadOnly
	}
	// The (session, number) constraint is deferred (so numbers can be
	// swapped in one transaction); checking it at once lets a duplicate
	// surface at the statement that caused it, as a field message.
	if _, err := tx.Exec(ctx, `SET CONSTRAINTS ALL IMMEDIATE`); err != nil {
		return fmt.Errorf("set constraints: %w", err)
	}
	return nil
}

// requestWriteError turns a duplicate number into a field message.
func requestWriteError(err error) error {
	err = translate(err)
	if errors.Is(err, portal.ErrConflict) {
		return &portal.ValidationError{Fields: map[string]string{"number": "request.error.number_taken"}}
	}
	return err
}

// writeRecipients replaces the request's named NGOs. Only NGOs with an
// unwithdrawn invitation to the session count; naming any other is a field
// message.
func writeRecipients(ctx context.Context, tx pgx.Tx, req portal.Request) error {
	if _, err := tx.Exec(ctx, `DELETE FROM request_recipients WHERE request_id = $1`, req.ID); err != nil {
		return fmt.Errorf("clear recipients of request %d: %w", req.ID, err)
	}
	if req.AddressedToAll {
		return nil
	}
	tag, err := tx.Exec(ctx, `
		INSERT INTO request_recipients (request_id, ngo_id)
		SELECT $1, i.ngo_id
		FROM invitations i
		WHERE i.session_id = $2 AND i.withdrawn_at IS NULL AND i.ngo_id = ANY($3)`,
		req.ID, req.SessionID, req.Recipients)
	if err != nil {
		return fmt.Errorf("recipients of request %d: %w", req.ID, err)
	}
	if tag.RowsAffected() == 0 || int(tag.RowsAffected()) != len(uniqueIDs(req.Recipients)) {
		return &portal.ValidationError{Fields: map[string]string{"recipients": "request.error.recipients_invalid"}}
	}
	return nil
}

func uniqueIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// CreateRequest records a request of the chair at a session and audits it.
// The session's summary, if it has one, is rendered again: its public body
// depends on the number of requests (summaryBodyHTML).
// A number the session already has comes back as a *portal.ValidationError;
// ErrRequestsReadOnly when the session is not scheduled or held.
func (db *DB) CreateRequest(ctx context.Context, a portal.Actor, req portal.Request) (portal.Request, error) {
	var created portal.Request
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		if err := lockSessionForRequests(ctx, tx, req.SessionID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by, addressed_to_all)
			VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			req.SessionID, req.Number, req.TextZH, req.TextEN, nullIfZero(req.MadeBy), req.AddressedToAll).Scan(&req.ID)
		if err != nil {
			return fmt.Errorf("create request: %w", requestWriteError(err))
		}
		if err := writeRecipients(ctx, tx, req); err != nil {
			return err
		}
		if err := notifyNewlyAddressed(ctx, tx, req, nil); err != nil {
			return err
		}
		if err := renderSummaryHTML(ctx, tx, req.SessionID); err != nil {
			return err
		}
		if created, err = requestByID(ctx, tx, req.SessionID, req.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditRequestCreated, ObjectType: portal.AuditObjectRequest, ObjectID: created.ID,
			Changes: portal.Diff(nil, created.AuditFields()),
		})
	})
	if err != nil {
		return portal.Request{}, err
	}
	return created, nil
}

// UpdateRequest saves an edited request if nobody saved it since req.Version
// was read, and audits what changed. ErrNotFound when the request is not the
// session's, ErrConflict on a stale version, a *portal.ValidationError for a
// taken number, ErrRequestsReadOnly when the session is closed or cancelled.
// Saving unchanged values changes nothing, not even the version. The
// session's summary is not rendered again: its public body depends only on
// the number of requests, which an edit leaves as it was.
func (db *DB) UpdateRequest(ctx context.Context, a portal.Actor, req portal.Request) (portal.Request, error) {
	var saved portal.Request
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		if err := lockSessionForRequests(ctx, tx, req.SessionID); err != nil {
			return err
		}
		before, err := requestByID(ctx, tx, req.SessionID, req.ID)
		if err != nil {
			return err
		}
		if before.Version != req.Version {
			return fmt.Errorf("request %d: version %d, form has %d: %w", req.ID, before.Version, req.Version, portal.ErrConflict)
		}
		req.Recipients = uniqueIDs(req.Recipients)
		if req.AddressedToAll {
			req.Recipients = nil
		}
		changes := portal.Diff(before.AuditFields(), req.AuditFields())
		if len(changes) == 0 {
			saved = before
			return nil
		}
		addressed, err := requestAddressees(ctx, tx, req.ID)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `
			UPDATE session_requests
			SET number = $4, text_zh = $5, text_en = $6, made_by = $7, addressed_to_all = $8,
			    version = version + 1, updated_at = now()
			WHERE session_id = $1 AND id = $2 AND version = $3`,
			req.SessionID, req.ID, req.Version, req.Number, req.TextZH, req.TextEN, nullIfZero(req.MadeBy), req.AddressedToAll)
		if err != nil {
			return fmt.Errorf("update request %d: %w", req.ID, requestWriteError(err))
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("request %d: %w", req.ID, portal.ErrConflict)
		}
		if err := writeRecipients(ctx, tx, req); err != nil {
			return err
		}
		if err := notifyNewlyAddressed(ctx, tx, req, addressed); err != nil {
			return err
		}
		if saved, err = requestByID(ctx, tx, req.SessionID, req.ID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditRequestUpdated, ObjectType: portal.AuditObjectRequest, ObjectID: req.ID,
			Changes: portal.Diff(before.AuditFields(), saved.AuditFields()),
		})
	})
	if err != nil {
		return portal.Request{}, err
	}
	return saved, nil
}

// RequestUse says how the NGOs' reports refer to request requestID of
// session sessionID; ErrNotFound when it is not the session's.
func (db *DB) RequestUse(ctx context.Context, sessionID, requestID int64) (portal.RequestUse, error) {
	if _, err := requestByID(ctx, db.pool, sessionID, requestID); err != nil {
		return portal.RequestUse{}, err
	}
	return requestUse(ctx, db.pool, requestID)
}

func requestUse(ctx context.Context, q querier, requestID int64) (portal.RequestUse, error) {
	var u portal.RequestUse
	err := q.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM report_request_answers WHERE request_id = $1),
		       (SELECT count(*) FROM report_request_answers WHERE request_id = $1 AND answer <> ''),
		       (SELECT count(*) FROM report_plan_item_requests WHERE request_id = $1),
		       (SELECT count(*) FROM request_responses WHERE request_id = $1),
		       (SELECT count(*) FROM report_plan_item_requests l JOIN report_plan_items p ON p.id = l.plan_item_id
		        WHERE l.request_id = $1 AND p.addendum_id IS NOT NULL)`, requestID).
		Scan(&u.Reports, &u.Answered, &u.PlanItems, &u.Responses, &u.AddendumItems)
	if err != nil {
		return u, fmt.Errorf("use of request %d: %w", requestID, err)
	}
	return u, nil
}

// DeleteRequest removes a request of a session and audits what it said.
// ErrNotFound when it is not the session's; ErrConflict when the version is
// stale; ErrRequestsReadOnly when the session is closed or cancelled;
// ErrRequestInUse when reports refer to it. Like CreateRequest, it renders
// the session's summary again.
func (db *DB) DeleteRequest(ctx context.Context, a portal.Actor, sessionID, requestID int64, version int) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		if err := lockSessionForRequests(ctx, tx, sessionID); err != nil {
			return err
		}
		before, err := requestByID(ctx, tx, sessionID, requestID)
		if err != nil {
			return err
		}
		if before.Version != version {
			return fmt.Errorf("request %d: %w", requestID, portal.ErrConflict)
		}
		// Locked before its use is counted: an NGO's answer written meanwhile
		// (request_responses cascades on delete) either is counted or waits
		// and then fails its foreign key.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM session_requests WHERE id = $1 FOR UPDATE`, requestID); err != nil {
			return fmt.Errorf("lock request %d: %w", requestID, err)
		}
		use, err := requestUse(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if use.InUse() {
			return fmt.Errorf("delete request %d (%+v): %w", requestID, use, ErrRequestInUse)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM session_requests WHERE session_id = $1 AND id = $2 AND version = $3`,
			sessionID, requestID, version)
		var pe *pgconn.PgError
		switch {
		case errors.As(err, &pe) && pe.Code == "23503":
			// A report listed the request after requestUse read.
			return fmt.Errorf("delete request %d: %w: %w", requestID, ErrRequestInUse, err)
		case err != nil:
			return fmt.Errorf("delete request %d: %w", requestID, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("request %d: %w", requestID, portal.ErrConflict)
		}
		if err := renderSummaryHTML(ctx, tx, sessionID); err != nil {
			return err
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditRequestDeleted, ObjectType: portal.AuditObjectRequest, ObjectID: requestID,
			Changes: portal.Diff(before.AuditFields(), nil),
		})
	})
}
