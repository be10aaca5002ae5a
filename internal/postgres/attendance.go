package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// NGOAttendanceHistory lists every session an NGO was invited to and not
// withdrawn from, newest first, with its reply and attendance.
func (db *DB) NGOAttendanceHistory(ctx context.Context, ngoID int64) ([]portal.SessionInvitation, error) {
	return db.sessionInvitations(ctx, ngoID, false)
}

// RecordAttendance records one invited NGO's attendance and which of its
// representatives came. Allowed while the session is scheduled and it is
// the session's day in Shanghai, or once it is held (corrections until it
// is closed); otherwise a ValidationError. A tap that changes nothing
// writes nothing.
func (db *DB) RecordAttendance(ctx context.Context, a portal.Actor, sessionID, invID int64, c portal.CheckIn, now time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		inv, err := lockCheckin(ctx, tx, sessionID, invID, now)
		if err != nil {
			return err
		}
		reps, err := representativesOf(ctx, tx, []int64{invID})
		if err != nil {
			return err
		}
		inv.Representatives = reps[invID]
		if c.Attendance != portal.AttendanceExcused {
			c.ExcuseReason = ""
		}
		present := map[int64]bool{}
		if c.Attendance == portal.AttendancePresent {
			for _, id := range c.Present {
				present[id] = true
			}
		}
		var namesBefore, namesAfter []string
		for _, r := range inv.Representatives {
			if r.Attended {
				namesBefore = append(namesBefore, r.Name)
			}
			if present[r.ID] {
				namesAfter = append(namesAfter, r.Name)
			}
		}
		changes := portal.Diff(
			map[string]any{"attendance": string(inv.Attendance), "excuse_reason": inv.ExcuseReason,
				"representatives_present": nonNil(namesBefore)},
			map[string]any{"attendance": string(c.Attendance), "excuse_reason": c.ExcuseReason,
				"representatives_present": nonNil(namesAfter)})
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE invitations SET attendance = $2, excuse_reason = $3, checked_in_at = now(), checked_in_by = $4,
			       version = version + 1
			WHERE id = $1`, invID, c.Attendance, c.ExcuseReason, nullIfZero(a.UserID)); err != nil {
			return fmt.Errorf("attendance of invitation %d: %w", invID, err)
		}
		ids := make([]int64, 0, len(present))
		for id := range present {
			ids = append(ids, id)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE representatives SET attended = (id = ANY($2)) WHERE invitation_id = $1`, invID, ids); err != nil {
			return fmt.Errorf("representatives present of invitation %d: %w", invID, err)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAttendanceRecorded, ObjectType: portal.AuditObjectInvitation,
			ObjectID: invID, NGOID: inv.NGOID, Changes: changes,
		})
	})
}

// RecordWalkIn records a person who came for an invited NGO without being
// named in its reply, and so records the NGO as present. The same window
// as RecordAttendance applies (a ValidationError outside it); version is
// the invitation's version when the page was loaded, and a check-in saved
// meanwhile makes this one ErrConflict, so that two officials at the door
// do not record the same person twice. The invitation's row lock orders
// concurrent walk-ins, so the limit of portal.MaxWalkIns is checked on
// what is really there (the schema's positions 4–6 hold it as well).
func (db *DB) RecordWalkIn(ctx context.Context, a portal.Actor, sessionID, invID int64, version int, w portal.WalkIn, now time.Time) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		inv, err := lockCheckin(ctx, tx, sessionID, invID, now)
		if err != nil {
			return err
		}
		if inv.Version != version {
			return fmt.Errorf("walk-in for invitation %d at version %d, now %d: %w", invID, version, inv.Version, portal.ErrConflict)
		}
		reps, err := representativesOf(ctx, tx, []int64{invID})
		if err != nil {
			return err
		}
		if errs := w.CheckAgainst(reps[invID]); len(errs) > 0 {
			return &portal.ValidationError{Fields: errs}
		}
		var walkInsBefore []portal.Representative
		for _, r := range reps[invID] {
			if r.WalkIn {
				walkInsBefore = append(walkInsBefore, r)
			}
		}
		// Walk-ins take the positions after the named ones (4–6).
		if _, err := tx.Exec(ctx, `
			INSERT INTO representatives (invitation_id, position, name, title, mobile, attended, walk_in)
			SELECT $1, greatest($2, max(position)) + 1, $3, $4, $5, true, true
			FROM representatives WHERE invitation_id = $1`,
			invID, portal.MaxRepresentatives, w.Name, w.Title, w.Mobile); err != nil {
			return fmt.Errorf("walk-in for invitation %d: %w", invID, translate(err))
		}
		if _, err := tx.Exec(ctx, `
			UPDATE invitations SET attendance = 'present', excuse_reason = '', checked_in_at = now(), checked_in_by = $2,
			       version = version + 1
			WHERE id = $1`, invID, nullIfZero(a.UserID)); err != nil {
			return fmt.Errorf("attendance of invitation %d: %w", invID, err)
		}
		walkInsAfter := append(slices.Clone(walkInsBefore), portal.Representative{Name: w.Name, Title: w.Title, Mobile: w.Mobile})
		changes := portal.Diff(
			map[string]any{"attendance": string(inv.Attendance), "excuse_reason": inv.ExcuseReason,
				"walk_ins": portal.RepresentativeLabels(walkInsBefore)},
			map[string]any{"attendance": string(portal.AttendancePresent), "excuse_reason": "",
				"walk_ins": portal.RepresentativeLabels(walkInsAfter)})
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAttendanceRecorded, ObjectType: portal.AuditObjectInvitation,
			ObjectID: invID, NGOID: inv.NGOID, Changes: changes,
		})
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// RecordAttendanceExport writes the audit row of one attendance export.
func (db *DB) RecordAttendanceExport(ctx context.Context, a portal.Actor, sessionID int64, rows int) error {
	return writeAudit(ctx, db.pool, a, portal.AuditEvent{
		Action: portal.AuditAttendanceExported, ObjectType: portal.AuditObjectSession, ObjectID: sessionID,
		Changes: map[string]portal.Change{"rows": {After: rows}},
	})
}

// lockCheckin locks the session and the invitation a check-in write acts
// on, in that order, and refuses when check-in is not open: the first step
// of every write on the day.
func lockCheckin(ctx context.Context, tx pgx.Tx, sessionID, invID int64, now time.Time) (portal.Invitation, error) {
	var inv portal.Invitation
	status, heldOn, err := lockSession(ctx, tx, sessionID)
	if err != nil {
		return inv, err
	}
	err = scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+invitationFrom+`
		WHERE i.id = $1 AND i.session_id = $2 AND i.withdrawn_at IS NULL
		FOR UPDATE OF i`, invID, sessionID), &inv)
	if err != nil {
		return inv, fmt.Errorf("invitation %d of session %d: %w", invID, sessionID, translate(err))
	}
	if !portal.CheckinOpen(status, heldOn, now) {
		return inv, &portal.ValidationError{Fields: map[string]string{"attendance": MsgCheckInClosed}}
	}
	return inv, nil
}
