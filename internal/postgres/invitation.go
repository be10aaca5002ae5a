package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// Validation keys the invitation repository hands back for rules that
// depend on the session's state, checked under lock.
const (
	MsgInvitationsClosed = "invitation.error.invitations_closed"
	MsgRepliesClosed     = "invitation.error.replies_closed"
	MsgCheckInClosed     = "invitation.error.checkin_closed"
	MsgWithdrawClosed    = "invitation.error.withdraw_closed"
)

// invitationColumns are read by scanInvitation, from invitations i joined
// with ngos n and users u (who replied).
const invitationColumns = `
	i.id, i.session_id, i.ngo_id, n.name_zh, n.name_en, i.invited_at, i.late, i.withdrawn_at,
	i.reply, i.decline_reason, i.replied_at, coalesce(u.name, ''), i.attendance, i.excuse_reason,
	i.checked_in_at, i.version`

const invitationFrom = `
	FROM invitations i
	JOIN ngos n ON n.id = i.ngo_id
	LEFT JOIN users u ON u.id = i.replied_by`

func scanInvitation(row pgx.Row, inv *portal.Invitation) error {
	return row.Scan(&inv.ID, &inv.SessionID, &inv.NGOID, &inv.NGONameZH, &inv.NGONameEN, &inv.InvitedAt,
		&inv.Late, &inv.WithdrawnAt, &inv.Reply, &inv.DeclineReason, &inv.RepliedAt, &inv.RepliedByName,
		&inv.Attendance, &inv.ExcuseReason, &inv.CheckedInAt, &inv.Version)
}

// lockSession reads a session's status and date, locking the row against
// a concurrent lifecycle step for the rest of the transaction.
func lockSession(ctx context.Context, tx pgx.Tx, id int64) (portal.SessionStatus, time.Time, error) {
	var status portal.SessionStatus
	var heldOn time.Time
	err := tx.QueryRow(ctx, `SELECT status, held_on FROM sessions WHERE id = $1 FOR SHARE`, id).Scan(&status, &heldOn)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("session %d: %w", id, translate(err))
	}
	return status, heldOn, nil
}

// representativesOf loads the representatives of the given invitations,
// keyed by invitation id.
func representativesOf(ctx context.Context, q querier, ids []int64) (map[int64][]portal.Representative, error) {
	out := map[int64][]portal.Representative{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `
		SELECT invitation_id, id, position, name, title, mobile, attended, walk_in
		FROM representatives WHERE invitation_id = ANY($1)
		ORDER BY invitation_id, position`, ids)
	if err != nil {
		return nil, fmt.Errorf("representatives: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var invID int64
		var r portal.Representative
		if err := rows.Scan(&invID, &r.ID, &r.Position, &r.Name, &r.Title, &r.Mobile, &r.Attended, &r.WalkIn); err != nil {
			return nil, fmt.Errorf("representatives: %w", err)
		}
		out[invID] = append(out[invID], r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("representatives: %w", err)
	}
	return out, nil
}

// withRepresentatives fills in each invitation's representatives.
func withRepresentatives(ctx context.Context, q querier, invs []portal.Invitation) error {
	ids := make([]int64, len(invs))
	for i, inv := range invs {
		ids[i] = inv.ID
	}
	reps, err := representativesOf(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range invs {
		invs[i].Representatives = reps[invs[i].ID]
	}
	return nil
}

// SessionInvitations lists every invitation of a session, withdrawn ones
// included, by Chinese name (pinyin), with representatives.
func (db *DB) SessionInvitations(ctx context.Context, sessionID int64) ([]portal.Invitation, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+invitationColumns+invitationFrom+`
		WHERE i.session_id = $1
		ORDER BY n.name_zh, n.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("invitations of session %d: %w", sessionID, err)
	}
	invs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Invitation, error) {
		var inv portal.Invitation
		err := scanInvitation(row, &inv)
		return inv, err
	})
	if err != nil {
		return nil, fmt.Errorf("invitations of session %d: %w", sessionID, err)
	}
	if err := withRepresentatives(ctx, db.pool, invs); err != nil {
		return nil, err
	}
	return invs, nil
}

// UninvitedNGOs lists the active NGOs that hold no current invitation to a
// session (a withdrawn one counts as none), for the admin's invite form.
func (db *DB) UninvitedNGOs(ctx context.Context, sessionID int64) ([]portal.NGO, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+ngoNameColumns+`
		FROM ngos n
		WHERE n.active
		  AND NOT EXISTS (SELECT 1 FROM invitations i
		                  WHERE i.session_id = $1 AND i.ngo_id = n.id AND i.withdrawn_at IS NULL)
		ORDER BY n.name_zh, n.id`, sessionID)
	if err != nil {
		return nil, fmt.Errorf("uninvited NGOs of session %d: %w", sessionID, err)
	}
	ngos, err := pgx.CollectRows(rows, rowTo(ngoNameScanArgs))
	if err != nil {
		return nil, fmt.Errorf("uninvited NGOs of session %d: %w", sessionID, err)
	}
	return ngos, nil
}

// InviteNGOs invites NGOs to a session: every active NGO not yet invited
// when all is true (a withdrawn one stays withdrawn: a bulk action must not
// undo a deliberate withdrawal), plus the active ones among ngoIDs (which
// may re-invite a withdrawn NGO). Invitations sent
// once the session is scheduled are marked late; a withdrawn invitation is
// reused rather than duplicated (the (session, NGO) constraint decides).
// Inviting is allowed in draft and scheduled only: otherwise a
// ValidationError. It returns how many NGOs were invited.
func (db *DB) InviteNGOs(ctx context.Context, a portal.Actor, sessionID int64, all bool, ngoIDs []int64) (int, error) {
	count := 0
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		status, _, err := lockSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if status != portal.SessionDraft && status != portal.SessionScheduled {
			return &portal.ValidationError{Fields: map[string]string{"scope": MsgInvitationsClosed}}
		}
		late := status == portal.SessionScheduled
		rows, err := tx.Query(ctx, `
			INSERT INTO invitations (session_id, ngo_id, late)
			SELECT $1, n.id, $2
			FROM ngos n
			WHERE n.active
			  AND ($3 AND NOT EXISTS (SELECT 1 FROM invitations x WHERE x.session_id = $1 AND x.ngo_id = n.id)
			       OR n.id = ANY($4))
			ORDER BY n.id
			ON CONFLICT (session_id, ngo_id) DO UPDATE
			SET withdrawn_at = NULL, late = EXCLUDED.late, invited_at = now(),
			    -- A new invitation asks for a new answer: the withdrawn
			    -- one's reply and attendance do not carry over.
			    reply = 'none', decline_reason = '', replied_at = NULL, replied_by = NULL,
			    attendance = 'unknown', excuse_reason = '', checked_in_at = NULL, checked_in_by = NULL,
			    version = invitations.version + 1
			WHERE invitations.withdrawn_at IS NOT NULL
			RETURNING id, ngo_id, (xmax <> 0)`, sessionID, late, all, ngoIDs)
		if err != nil {
			return fmt.Errorf("invite to session %d: %w", sessionID, err)
		}
		type sent struct {
			id, ngoID int64
			reused    bool
		}
		invited, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (sent, error) {
			var s sent
			err := row.Scan(&s.id, &s.ngoID, &s.reused)
			return s, err
		})
		if err != nil {
			return fmt.Errorf("invite to session %d: %w", sessionID, err)
		}
		for _, s := range invited {
			changes := map[string]portal.Change{
				"session_id": {After: sessionID},
				"late":       {After: late},
			}
			if s.reused {
				changes["withdrawn"] = portal.Change{Before: true, After: false}
				changes["reply"] = portal.Change{After: string(portal.ReplyNone)}
				if _, err := tx.Exec(ctx, `DELETE FROM representatives WHERE invitation_id = $1`, s.id); err != nil {
					return fmt.Errorf("reset representatives of invitation %d: %w", s.id, err)
				}
			}
			if err := writeAudit(ctx, tx, a, portal.AuditEvent{
				Action: portal.AuditInvitationSent, ObjectType: portal.AuditObjectInvitation,
				ObjectID: s.id, NGOID: s.ngoID, Changes: changes,
			}); err != nil {
				return err
			}
		}
		count = len(invited)
		if !late || count == 0 {
			// A draft's invitations are told when it is scheduled.
			return nil
		}
		ids := make([]int64, len(invited))
		for i, s := range invited {
			ids[i] = s.id
		}
		return notifyInvited(ctx, tx, `i.id = ANY($2)`, ids)
	})
	return count, err
}

// notifyInvited tells the active staff of each NGO whose invitation where
// selects (a condition on invitations i, with its argument as $2) that it
// is invited, in the transaction that sent the invitation or scheduled its
// session: only current invitations to a scheduled session, the ones the
// NGO can see. The occasion is the invitation's version, so an NGO
// re-invited after a withdrawal is told again, and a session scheduled a
// second time (after a step back to draft) tells no one twice.
func notifyInvited(ctx context.Context, q querier, where string, arg any) error {
	_, err := insertNoticeRows(ctx, q, portal.NotifySessionInvited, `
		SELECT u.id, i.id, 'v' || i.version,
		       jsonb_build_object('ngo_zh', g.name_zh, 'ngo_en', g.name_en,
		                          'session_zh', s.title_zh, 'session_en', s.title_en,
		                          'date', to_char(s.held_on, 'YYYY-MM-DD'),
		                          'due', coalesce(to_char(s.reply_deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), '')),
		       '/ngo/sessions/' || s.id
		FROM invitations i
		JOIN sessions s ON s.id = i.session_id
		JOIN ngos g ON g.id = i.ngo_id
		JOIN users u ON u.ngo_id = i.ngo_id AND u.role = 'staff'
		WHERE `+where+` AND i.withdrawn_at IS NULL AND s.status = 'scheduled'`, arg)
	return err
}

// WithdrawInvitation withdraws one invitation of a session; its row, reply
// and representatives stay (re-inviting starts a fresh answer). Allowed in draft and scheduled only.
// Withdrawing a withdrawn invitation changes nothing.
func (db *DB) WithdrawInvitation(ctx context.Context, a portal.Actor, sessionID, invID int64) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		status, _, err := lockSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		var ngoID int64
		var withdrawn *time.Time
		err = tx.QueryRow(ctx, `
			SELECT ngo_id, withdrawn_at FROM invitations WHERE id = $1 AND session_id = $2 FOR UPDATE`,
			invID, sessionID).Scan(&ngoID, &withdrawn)
		if err != nil {
			return fmt.Errorf("invitation %d of session %d: %w", invID, sessionID, translate(err))
		}
		if status != portal.SessionDraft && status != portal.SessionScheduled {
			return &portal.ValidationError{Fields: map[string]string{"scope": MsgWithdrawClosed}}
		}
		if withdrawn != nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE invitations SET withdrawn_at = now(), version = version + 1 WHERE id = $1`, invID); err != nil {
			return fmt.Errorf("withdraw invitation %d: %w", invID, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditInvitationWithdrawn, ObjectType: portal.AuditObjectInvitation,
			ObjectID: invID, NGOID: ngoID,
			Changes: map[string]portal.Change{"withdrawn": {Before: false, After: true}},
		})
	})
}

// NGOInvitations lists an NGO's current invitations, newest session first.
// Sessions still in draft are not shown: the federation has not sent them.
func (db *DB) NGOInvitations(ctx context.Context, ngoID int64) ([]portal.SessionInvitation, error) {
	return db.sessionInvitations(ctx, ngoID, true)
}

func (db *DB) sessionInvitations(ctx context.Context, ngoID int64, hideDrafts bool) ([]portal.SessionInvitation, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+sessionColumns+`,`+invitationColumns+invitationFrom+`
		JOIN sessions s ON s.id = i.session_id
		LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
		WHERE i.ngo_id = $1 AND i.withdrawn_at IS NULL AND NOT ($2 AND s.status = 'draft')
		ORDER BY s.held_on DESC, s.id DESC`, ngoID, hideDrafts)
	if err != nil {
		return nil, fmt.Errorf("invitations of NGO %d: %w", ngoID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.SessionInvitation, error) {
		var si portal.SessionInvitation
		err := scanSessionInvitation(row, &si)
		return si, err
	})
	if err != nil {
		return nil, fmt.Errorf("invitations of NGO %d: %w", ngoID, err)
	}
	return out, nil
}

func scanSessionInvitation(row pgx.Row, si *portal.SessionInvitation) error {
	inv := &si.Invitation
	dest := sessionScanArgs(&si.Session)
	dest = append(dest, &inv.ID, &inv.SessionID, &inv.NGOID, &inv.NGONameZH, &inv.NGONameEN, &inv.InvitedAt,
		&inv.Late, &inv.WithdrawnAt, &inv.Reply, &inv.DeclineReason, &inv.RepliedAt, &inv.RepliedByName,
		&inv.Attendance, &inv.ExcuseReason, &inv.CheckedInAt, &inv.Version)
	return row.Scan(dest...)
}

// InvitedSession returns a session as one NGO sees it: the session, the
// NGO's invitation with its representatives, and the agenda. A session the
// NGO holds no current invitation to, or one still in draft, is
// ErrNotFound: the scope is in the query.
func (db *DB) InvitedSession(ctx context.Context, sessionID, ngoID int64) (portal.SessionInvitation, []portal.AgendaItem, error) {
	si, err := invitedSession(ctx, db.pool, sessionID, ngoID, false)
	if err != nil {
		return portal.SessionInvitation{}, nil, err
	}
	agenda, err := sessionAgenda(ctx, db.pool, sessionID)
	if err != nil {
		return portal.SessionInvitation{}, nil, err
	}
	return si, agenda, nil
}

func invitedSession(ctx context.Context, q querier, sessionID, ngoID int64, lock bool) (portal.SessionInvitation, error) {
	sql := `SELECT ` + sessionColumns + `,` + invitationColumns + invitationFrom + `
		JOIN sessions s ON s.id = i.session_id
		LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
		WHERE i.session_id = $1 AND i.ngo_id = $2 AND i.withdrawn_at IS NULL AND s.status <> 'draft'`
	if lock {
		sql += ` FOR UPDATE OF i`
	}
	var si portal.SessionInvitation
	if err := scanSessionInvitation(q.QueryRow(ctx, sql, sessionID, ngoID), &si); err != nil {
		return portal.SessionInvitation{}, fmt.Errorf("invitation of NGO %d to session %d: %w", ngoID, sessionID, translate(err))
	}
	reps, err := representativesOf(ctx, q, []int64{si.Invitation.ID})
	if err != nil {
		return portal.SessionInvitation{}, err
	}
	si.Invitation.Representatives = reps[si.Invitation.ID]
	return si, nil
}

// ReplyToInvitation saves an NGO's reply to its invitation: confirmed with
// the representatives (replacing any named before), or declined with a
// reason. The NGO comes from the signed-in user, never the form; version
// is the invitation's version when the form was loaded, and a reply saved
// meanwhile makes this one ErrConflict. After the reply deadline it is a
// ValidationError. The caller has validated the reply itself.
func (db *DB) ReplyToInvitation(ctx context.Context, a portal.Actor, sessionID, ngoID int64, version int,
	reply portal.Reply, reason string, reps []portal.Representative, now time.Time,
) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		// Hold the session still: a status change (held, cancelled) or a
		// new deadline must not slip in between the check and the write.
		if _, _, err := lockSession(ctx, tx, sessionID); err != nil {
			return err
		}
		si, err := invitedSession(ctx, tx, sessionID, ngoID, true)
		if err != nil {
			return err
		}
		if !si.Session.RepliesOpen(now) {
			return &portal.ValidationError{Fields: map[string]string{"reply": MsgRepliesClosed}}
		}
		before := si.Invitation
		if before.Version != version {
			return fmt.Errorf("reply to invitation %d at version %d, now %d: %w", before.ID, version, before.Version, portal.ErrConflict)
		}
		if reply != portal.ReplyDeclined {
			reason = ""
		}
		if reply != portal.ReplyConfirmed {
			reps = nil
		}
		tag, err := tx.Exec(ctx, `
			UPDATE invitations SET reply = $3, decline_reason = $4, replied_at = now(), replied_by = $5,
			       version = version + 1
			WHERE id = $1 AND version = $2`, before.ID, version, reply, reason, nullIfZero(a.UserID))
		if err != nil {
			return fmt.Errorf("reply to invitation %d: %w", before.ID, err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("reply to invitation %d: %w", before.ID, portal.ErrConflict)
		}
		// The walk-ins recorded at check-in stay: they came, whatever the
		// NGO names now.
		if _, err := tx.Exec(ctx, `DELETE FROM representatives WHERE invitation_id = $1 AND NOT walk_in`, before.ID); err != nil {
			return fmt.Errorf("representatives of invitation %d: %w", before.ID, err)
		}
		for i, r := range reps {
			if _, err := tx.Exec(ctx, `
				INSERT INTO representatives (invitation_id, position, name, title, mobile)
				VALUES ($1, $2, $3, $4, $5)`, before.ID, i+1, r.Name, r.Title, r.Mobile); err != nil {
				return fmt.Errorf("representative of invitation %d: %w", before.ID, translate(err))
			}
		}
		if reply == portal.ReplyDeclined && before.Reply != portal.ReplyDeclined {
			if err := notifyDeclined(ctx, tx, sessionID, ngoID, before.ID, version+1); err != nil {
				return err
			}
		}
		changes := portal.Diff(
			map[string]any{"reply": string(before.Reply), "decline_reason": before.DeclineReason,
				"representatives": portal.RepresentativeLabels(before.Registered())},
			map[string]any{"reply": string(reply), "decline_reason": reason,
				"representatives": portal.RepresentativeLabels(reps)})
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditInvitationReplied, ObjectType: portal.AuditObjectInvitation,
			ObjectID: before.ID, NGOID: ngoID, Changes: changes,
		})
	})
}
