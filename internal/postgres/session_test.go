package postgres_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// The demo's sessions, by slug.
const (
	slug2021 = "2021-municipal-leadership-session"
	slug2027 = "2027-municipal-leadership-session"
)

// sessionID returns the id of the session with slug.
func sessionID(t *testing.T, db *postgres.DB, slug string) int64 {
	t.Helper()
	var id int64
	if err := db.Pool().QueryRow(t.Context(), `SELECT id FROM sessions WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("session %s: %v", slug, err)
	}
	return id
}

// activeOfficialIDs returns the ids of the roster's active officials, in
// order of precedence.
func activeOfficialIDs(t *testing.T, db *postgres.DB) []int64 {
	t.Helper()
	list, err := db.ListOfficials(t.Context(), true)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, o := range list {
		ids = append(ids, o.ID)
	}
	return ids
}

// newPlan is a draft plan for a session on day (yyyy-mm-dd) with a reply
// deadline a week before at 18:00 Shanghai time, a two-item agenda and the
// given officials.
func newPlan(day string, officials []int64) portal.SessionPlan {
	held := isoDate(day)
	deadline := time.Date(held.Year(), held.Month(), held.Day()-7, 18, 0, 0, 0, portal.FederationZone)
	return portal.SessionPlan{
		Session: portal.Session{
			TitleZH: fmt.Sprintf("%d年上海市女性社会组织负责人年度会议", held.Year()),
			TitleEN: fmt.Sprintf("%d Annual Leadership Session", held.Year()),
			Level:   portal.LevelMunicipal, HeldOn: held, StartsAt: "14:00",
			VenueZH: "妇联三楼会议室", VenueEN: "Conference Room, 3rd Floor",
			ReplyDeadline: &deadline,
		},
		Agenda: []portal.AgendaItem{
			{TitleZH: "开幕致辞", TitleEN: "Opening remarks", DurationMinutes: 10},
			{TitleZH: "会议总结", TitleEN: "Closing"},
		},
		OfficialIDs: officials,
	}
}

func agendaTitles(items []portal.AgendaItem) []string {
	out := make([]string, 0, len(items))
	for _, a := range items {
		out = append(out, a.TitleZH)
	}
	return out
}

// setStatus forces a session's status, for tests of what each status
// allows.
func setStatus(t *testing.T, db *postgres.DB, id int64, s portal.SessionStatus) {
	t.Helper()
	if _, err := db.Pool().Exec(t.Context(), `UPDATE sessions SET status = $2 WHERE id = $1`, id, string(s)); err != nil {
		t.Fatal(err)
	}
}

func TestSessionByID(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t)
	ctx := t.Context()

	tests := []struct {
		name                 string
		slug                 string
		status               portal.SessionStatus
		reviewYear, planYear int
		deadline             time.Time
		invited, confirmed   int
		agenda               int
	}{
		{"Held2021", slug2021, portal.SessionHeld, 2020, 2021, time.Date(2021, 1, 12, 18, 0, 0, 0, portal.FederationZone), 18, 18, 7},
		{"Scheduled2027", slug2027, portal.SessionScheduled, 2026, 2027, time.Date(2027, 1, 12, 18, 0, 0, 0, portal.FederationZone), 18, 4, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := sessionID(t, db, tc.slug)
			s, err := db.SessionByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if s.ID != id || s.Slug != tc.slug || s.Status != tc.status || s.StartsAt != "14:00" || s.Version < 1 {
				t.Errorf("session %+v", s)
			}
			// The years come from the cycle, not from the date.
			if s.CycleID == 0 || s.ReviewYear != tc.reviewYear || s.PlanYear != tc.planYear {
				t.Errorf("cycle %d, years %d → %d; want %d → %d", s.CycleID, s.ReviewYear, s.PlanYear, tc.reviewYear, tc.planYear)
			}
			if s.ReplyDeadline == nil || !s.ReplyDeadline.Equal(tc.deadline) {
				t.Errorf("reply deadline %v, want %v", s.ReplyDeadline, tc.deadline)
			}
			d, err := db.SessionDetail(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if d.InvitedCount != tc.invited || d.ConfirmedCount != tc.confirmed {
				t.Errorf("%d invited, %d confirmed; want %d, %d", d.InvitedCount, d.ConfirmedCount, tc.invited, tc.confirmed)
			}
			if len(d.Agenda) != tc.agenda {
				t.Errorf("%d agenda items, want %d", len(d.Agenda), tc.agenda)
			}
			for i, a := range d.Agenda {
				if a.Position != i+1 {
					t.Errorf("agenda item %d has position %d", i+1, a.Position)
				}
			}
			got := officialNames(d.Officials)
			if len(got) != 3 || got[0] != "Xu Feng" || !slices.Contains(got, "Wang Jianzhang") || !slices.Contains(got, "Weng Wenlei") {
				t.Errorf("officials present %v, want the chairperson first, then the two vice chairpersons", got)
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.SessionByID(ctx, 1<<40); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
		if _, err := db.SessionDetail(ctx, 1<<40); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("detail err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ListNewestFirst", func(t *testing.T) {
		list, err := db.ListSessions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, l := range list {
			slugs = append(slugs, l.Slug)
		}
		want := []string{slug2027, "2022-municipal-leadership-session", slug2021, "2020-municipal-leadership-session"}
		if !slices.Equal(slugs, want) {
			t.Fatalf("list %v, want %v", slugs, want)
		}
		if list[0].InvitedCount != 18 || list[0].ConfirmedCount != 4 || list[0].ReviewYear != 2026 {
			t.Errorf("2027 row %+v", list[0])
		}
	})
	t.Run("LatestHeld", func(t *testing.T) {
		// The demo's session of January 2022, held (and closed) after the
		// real one.
		s, err := db.LatestHeldSession(ctx)
		if err != nil || s.Slug != "2022-municipal-leadership-session" || len(s.Officials) != 3 {
			t.Errorf("latest held %+v, %v", s, err)
		}
	})
}

func TestCreateSession(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	officials := activeOfficialIDs(t, db)

	p := newPlan("2028-01-18", officials[:2])
	p.Agenda[1].NGOID = 0
	id, err := db.CreateSession(ctx, actor, p)
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.SessionDetail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Slug != "2028-municipal-leadership-session" || d.Status != portal.SessionDraft || d.Version != 1 ||
		d.TitleZH != p.TitleZH || d.StartsAt != "14:00" || d.CycleID != 0 || d.ReviewYear != 0 ||
		d.ReplyDeadline == nil || !d.ReplyDeadline.Equal(*p.ReplyDeadline) || !d.HeldOn.Equal(p.HeldOn) {
		t.Errorf("created %+v", d.Session)
	}
	if got := agendaTitles(d.Agenda); !reflect.DeepEqual(got, []string{"开幕致辞", "会议总结"}) {
		t.Errorf("agenda %v", got)
	}
	if d.Agenda[0].DurationMinutes != 10 || d.Agenda[1].DurationMinutes != 0 {
		t.Errorf("durations %d, %d", d.Agenda[0].DurationMinutes, d.Agenda[1].DurationMinutes)
	}
	if got := officialIDs(d.Officials); !sameIDs(got, officials[:2]) {
		t.Errorf("officials %v, want %v", got, officials[:2])
	}
	audit := objectAudit(t, db, portal.AuditObjectSession, id)
	if len(audit) != 1 || audit[0].Action != portal.AuditSessionCreated {
		t.Fatalf("audit %+v", audit)
	}
	if c := audit[0].Changes["title_zh"]; c.Before != nil || c.After != p.TitleZH {
		t.Errorf("audit title change %+v", c)
	}
	if c, ok := audit[0].Changes["agenda"].After.([]any); !ok || len(c) != 2 {
		t.Errorf("audit agenda %+v", audit[0].Changes["agenda"])
	}

	t.Run("SlugSuffix", func(t *testing.T) {
		for _, want := range []string{"2028-municipal-leadership-session-2", "2028-municipal-leadership-session-3"} {
			id, err := db.CreateSession(ctx, actor, newPlan("2028-06-01", nil))
			if err != nil {
				t.Fatal(err)
			}
			s, err := db.SessionByID(ctx, id)
			if err != nil || s.Slug != want {
				t.Errorf("slug %q (%v), want %q", s.Slug, err, want)
			}
		}
		dp := newPlan("2028-06-01", nil)
		dp.Level = portal.LevelDistrict
		id, err := db.CreateSession(ctx, actor, dp)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := db.SessionByID(ctx, id); s.Slug != "2028-district-leadership-session" {
			t.Errorf("district slug %q", s.Slug)
		}
	})
	t.Run("ErrCycleTaken", func(t *testing.T) {
		taken, err := db.SessionByID(ctx, sessionID(t, db, slug2021))
		if err != nil {
			t.Fatal(err)
		}
		cp := newPlan("2029-01-20", nil)
		cp.CycleID = taken.CycleID
		_, err = db.CreateSession(ctx, actor, cp)
		if f := validationField(err); f["cycle"] != "session.err.cycle_taken" {
			t.Errorf("err = %v, want a validation error on cycle", err)
		}
		var n int
		if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM sessions WHERE held_on = '2029-01-20'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d sessions written by the refused create (%v)", n, err)
		}
	})
	t.Run("RetiredOfficialNotAdded", func(t *testing.T) {
		end := isoDate("2025-12-31")
		o, err := db.CreateOfficial(ctx, actor, portal.Official{NameZH: "赵前", NameEN: "Zhao Qian",
			Position: portal.PositionOther, TermStart: isoDate("2015-01-01"), TermEnd: &end})
		if err != nil {
			t.Fatal(err)
		}
		id, err := db.CreateSession(ctx, actor, newPlan("2030-01-20", []int64{officials[0], o.ID}))
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionOfficials(ctx, id)
		if err != nil || !reflect.DeepEqual(officialIDs(got), officials[:1]) {
			t.Errorf("officials %v (%v), want only the active %v", officialIDs(got), err, officials[:1])
		}
	})
}

func officialIDs(list []portal.Official) []int64 {
	ids := []int64{}
	for _, o := range list {
		ids = append(ids, o.ID)
	}
	return ids
}

// sameIDs reports whether a and b hold the same ids in any order: officials
// of the same post may come in either order.
func sameIDs(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestAvailableCycles(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()

	// Both demo cycles are closed by a session already.
	if list, err := db.AvailableCycles(ctx, 0); err != nil || len(list) != 0 {
		t.Fatalf("cycles for a new session %+v, %v; want none", list, err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline)
		VALUES (2027, 2028, '2027-11-01', '2028-01-07')`); err != nil {
		t.Fatal(err)
	}
	list, err := db.AvailableCycles(ctx, 0)
	if err != nil || len(list) != 1 || list[0].ReviewYear != 2027 || list[0].PlanYear != 2028 {
		t.Fatalf("cycles %+v, %v; want 2027 → 2028", list, err)
	}
	free := list[0].ID

	// A session may keep the cycle it closes.
	own, err := db.AvailableCycles(ctx, sessionID(t, db, slug2027))
	if err != nil || len(own) != 2 || own[0].ReviewYear != 2027 || own[1].ReviewYear != 2026 {
		t.Errorf("cycles for the 2027 session %+v, %v", own, err)
	}

	p := newPlan("2028-01-18", nil)
	p.CycleID = free
	id, err := db.CreateSession(ctx, actor, p)
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.SessionByID(ctx, id)
	if err != nil || s.ReviewYear != 2027 || s.PlanYear != 2028 {
		t.Errorf("session years %d → %d (%v), want 2027 → 2028", s.ReviewYear, s.PlanYear, err)
	}
	if list, err := db.AvailableCycles(ctx, 0); err != nil || len(list) != 0 {
		t.Errorf("after linking, cycles %+v, %v; want none", list, err)
	}
}

func TestUpdateSession(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	officials := activeOfficialIDs(t, db)
	id, err := db.CreateSession(ctx, actor, newPlan("2028-01-18", officials))
	if err != nil {
		t.Fatal(err)
	}

	// Reorder and extend the agenda, drop an official, move the date.
	p := newPlan("2028-01-25", officials[1:])
	p.Version = 1
	p.TitleEN = "2028 Session (moved)"
	p.Agenda = []portal.AgendaItem{
		{TitleZH: "会议总结", TitleEN: "Closing"},
		{TitleZH: "开幕致辞", TitleEN: "Opening remarks", DurationMinutes: 10},
		{TitleZH: "社会组织年度工作交流", TitleEN: "NGO reports", NGOID: ngoIDBySlugForSession(t, db), DurationMinutes: 8},
	}
	if err := db.UpdateSession(ctx, actor, id, p); err != nil {
		t.Fatal(err)
	}
	d, err := db.SessionDetail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != 2 || d.TitleEN != "2028 Session (moved)" || !d.HeldOn.Equal(isoDate("2028-01-25")) ||
		d.Slug != "2028-municipal-leadership-session" {
		t.Errorf("saved %+v", d.Session)
	}
	if got := agendaTitles(d.Agenda); !reflect.DeepEqual(got, []string{"会议总结", "开幕致辞", "社会组织年度工作交流"}) {
		t.Errorf("agenda %v", got)
	}
	if d.Agenda[2].NGOID == 0 || d.Agenda[2].NGONameZH == "" {
		t.Errorf("speaking slot %+v", d.Agenda[2])
	}
	if got := officialIDs(d.Officials); !sameIDs(got, officials[1:]) {
		t.Errorf("officials %v, want %v", got, officials[1:])
	}
	audit := objectAudit(t, db, portal.AuditObjectSession, id)
	if len(audit) != 2 || audit[1].Action != portal.AuditSessionUpdated {
		t.Fatalf("audit %+v", audit)
	}
	for _, field := range []string{"title_en", "held_on", "agenda", "officials", "reply_deadline"} {
		if _, ok := audit[1].Changes[field]; !ok {
			t.Errorf("the audit does not record the change of %s: %+v", field, audit[1].Changes)
		}
	}
	for _, field := range []string{"title_zh", "level", "venue_zh"} {
		if c, ok := audit[1].Changes[field]; ok {
			t.Errorf("the audit records unchanged %s: %+v", field, c)
		}
	}

	t.Run("ErrConflict", func(t *testing.T) {
		stale := p // version 1, now 2
		stale.TitleEN = "stale"
		if err := db.UpdateSession(ctx, actor, id, stale); !errorsIs(err, portal.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
		if s, _ := db.SessionByID(ctx, id); s.TitleEN != "2028 Session (moved)" || s.Version != 2 {
			t.Errorf("after the stale save %+v", s)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := db.UpdateSession(ctx, actor, 1<<40, p); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("RetiredOfficialStays", func(t *testing.T) {
		// An official present who has retired since stays on the session;
		// one who was not present cannot be added.
		retire := func(oid int64) {
			if _, err := db.Pool().Exec(ctx, `UPDATE officials SET active = false WHERE id = $1`, oid); err != nil {
				t.Fatal(err)
			}
		}
		sid, err := db.CreateSession(ctx, actor, newPlan("2031-01-20", officials[:1]))
		if err != nil {
			t.Fatal(err)
		}
		retire(officials[0])
		retire(officials[2])
		defer func() {
			_, _ = db.Pool().Exec(ctx, `UPDATE officials SET active = true WHERE id = ANY($1)`, officials)
		}()
		up := newPlan("2031-01-20", []int64{officials[0], officials[2]})
		up.Version = 1
		if err := db.UpdateSession(ctx, actor, sid, up); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionOfficials(ctx, sid)
		if err != nil || !reflect.DeepEqual(officialIDs(got), officials[:1]) {
			t.Errorf("officials %v (%v), want %v", officialIDs(got), err, officials[:1])
		}
	})
	for _, status := range []portal.SessionStatus{portal.SessionHeld, portal.SessionClosed, portal.SessionCancelled} {
		t.Run("ErrSessionReadOnly/"+string(status), func(t *testing.T) {
			sid, err := db.CreateSession(ctx, actor, newPlan("2032-01-20", nil))
			if err != nil {
				t.Fatal(err)
			}
			setStatus(t, db, sid, status)
			up := newPlan("2032-01-20", nil)
			up.Version, up.TitleEN = 1, "changed"
			if err := db.UpdateSession(ctx, actor, sid, up); !errorsIs(err, portal.ErrSessionReadOnly) {
				t.Errorf("err = %v, want ErrSessionReadOnly", err)
			}
			if s, _ := db.SessionByID(ctx, sid); s.TitleEN == "changed" {
				t.Error("a read-only session was changed")
			}
		})
	}
	t.Run("ScheduledEditable", func(t *testing.T) {
		sid, err := db.CreateSession(ctx, actor, newPlan("2033-01-20", nil))
		if err != nil {
			t.Fatal(err)
		}
		setStatus(t, db, sid, portal.SessionScheduled)
		up := newPlan("2033-01-20", nil)
		up.Version, up.TitleEN = 1, "changed"
		if err := db.UpdateSession(ctx, actor, sid, up); err != nil {
			t.Errorf("editing a scheduled session: %v", err)
		}
	})
}

// ngoIDBySlugForSession is the id of the first demo NGO.
func ngoIDBySlugForSession(t *testing.T, db *postgres.DB) int64 {
	t.Helper()
	list, err := db.SpeakingSlotNGOs(t.Context())
	if err != nil || len(list) == 0 {
		t.Fatalf("speaking-slot NGOs %v, %v", list, err)
	}
	return list[0].ID
}

func TestSetSessionStatus(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	statuses := []portal.SessionStatus{portal.SessionDraft, portal.SessionScheduled, portal.SessionHeld,
		portal.SessionClosed, portal.SessionCancelled}
	legal := map[[2]portal.SessionStatus]bool{
		{portal.SessionDraft, portal.SessionScheduled}:     true,
		{portal.SessionDraft, portal.SessionCancelled}:     true,
		{portal.SessionScheduled, portal.SessionHeld}:      true,
		{portal.SessionScheduled, portal.SessionCancelled}: true,
		{portal.SessionScheduled, portal.SessionDraft}:     true,
		{portal.SessionHeld, portal.SessionClosed}:         true,
	}
	day := 0
	for _, from := range statuses {
		for _, to := range statuses {
			name := string(from) + "→" + string(to)
			if !legal[[2]portal.SessionStatus{from, to}] {
				name += "/ErrIllegalStep"
			}
			t.Run(name, func(t *testing.T) {
				day++
				id, err := db.CreateSession(ctx, actor, newPlan(fmt.Sprintf("2040-01-%02d", day), nil))
				if err != nil {
					t.Fatal(err)
				}
				setStatus(t, db, id, from)
				err = db.SetSessionStatus(ctx, actor, id, to, "会议延期")
				s, gerr := db.SessionByID(ctx, id)
				if gerr != nil {
					t.Fatal(gerr)
				}
				audit := objectAudit(t, db, portal.AuditObjectSession, id)
				if !legal[[2]portal.SessionStatus{from, to}] {
					if !errorsIs(err, portal.ErrIllegalStep) {
						t.Errorf("err = %v, want ErrIllegalStep", err)
					}
					if s.Status != from || len(audit) != 1 {
						t.Errorf("after the refusal: status %s, %d audit rows", s.Status, len(audit))
					}
					return
				}
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if s.Status != to || s.Version != 2 {
					t.Errorf("status %s version %d, want %s 2", s.Status, s.Version, to)
				}
				if len(audit) != 2 || audit[1].Action != portal.AuditSessionStatus {
					t.Fatalf("audit %+v", audit)
				}
				if c := audit[1].Changes["status"]; c.Before != string(from) || c.After != string(to) {
					t.Errorf("audit status change %+v", c)
				}
				if to == portal.SessionCancelled {
					if s.CancelReason != "会议延期" || audit[1].Changes["cancel_reason"].After != "会议延期" {
						t.Errorf("cancel reason %q, audit %+v", s.CancelReason, audit[1].Changes)
					}
				} else if s.CancelReason != "" {
					t.Errorf("a %s step recorded the reason %q", to, s.CancelReason)
				}
			})
		}
	}
	t.Run("ErrScheduleIncomplete", func(t *testing.T) {
		p := newPlan("2041-01-20", nil)
		p.ReplyDeadline = nil
		id, err := db.CreateSession(ctx, actor, p)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetSessionStatus(ctx, actor, id, portal.SessionScheduled, ""); !errorsIs(err, portal.ErrScheduleIncomplete) {
			t.Errorf("err = %v, want ErrScheduleIncomplete", err)
		}
		if s, _ := db.SessionByID(ctx, id); s.Status != portal.SessionDraft {
			t.Errorf("status %s, want draft", s.Status)
		}
		// Cancelling does not need a deadline.
		if err := db.SetSessionStatus(ctx, actor, id, portal.SessionCancelled, "取消"); err != nil {
			t.Errorf("cancel without a deadline: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := db.SetSessionStatus(ctx, actor, 1<<40, portal.SessionScheduled, ""); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteSession(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()

	t.Run("OK", func(t *testing.T) {
		id, err := db.CreateSession(ctx, actor, newPlan("2028-01-18", activeOfficialIDs(t, db)))
		if err != nil {
			t.Fatal(err)
		}
		// A copy made from it survives, without the link.
		copied, err := db.CopySession(ctx, actor, id)
		if err != nil {
			t.Fatal(err)
		}
		copyID := copied.ID
		if err := db.DeleteSession(ctx, actor, id); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByID(ctx, id); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("after deleting, err = %v, want ErrNotFound", err)
		}
		var rows int
		if err := db.Pool().QueryRow(ctx, `
			SELECT (SELECT count(*) FROM agenda_items WHERE session_id = $1) +
			       (SELECT count(*) FROM session_officials WHERE session_id = $1)`, id).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("%d agenda or official rows left (%v)", rows, err)
		}
		cp, err := db.SessionByID(ctx, copyID)
		if err != nil || cp.CopiedFrom != 0 {
			t.Errorf("the copy %+v (%v) should survive without its link", cp, err)
		}
		audit := objectAudit(t, db, portal.AuditObjectSession, id)
		last := audit[len(audit)-1]
		if last.Action != portal.AuditSessionDeleted || last.Changes["slug"].Before != "2028-municipal-leadership-session" ||
			last.Changes["slug"].After != nil {
			t.Errorf("delete audit %+v", last)
		}
	})
	t.Run("ErrSessionHasInvitations", func(t *testing.T) {
		id, err := db.CreateSession(ctx, actor, newPlan("2029-01-18", nil))
		if err != nil {
			t.Fatal(err)
		}
		if has, err := db.SessionHasInvitations(ctx, id); err != nil || has {
			t.Fatalf("a new session has invitations: %v, %v", has, err)
		}
		// A withdrawn invitation still counts: its row stays.
		if _, err := db.Pool().Exec(ctx, `
			INSERT INTO invitations (session_id, ngo_id, withdrawn_at)
			SELECT $1, id, now() FROM ngos ORDER BY id LIMIT 1`, id); err != nil {
			t.Fatal(err)
		}
		if has, err := db.SessionHasInvitations(ctx, id); err != nil || !has {
			t.Fatalf("SessionHasInvitations = %v, %v; want true", has, err)
		}
		if err := db.DeleteSession(ctx, actor, id); !errorsIs(err, portal.ErrSessionHasInvitations) {
			t.Errorf("err = %v, want ErrSessionHasInvitations", err)
		}
		if _, err := db.SessionByID(ctx, id); err != nil {
			t.Errorf("the session is gone: %v", err)
		}
	})
	for _, status := range []portal.SessionStatus{portal.SessionScheduled, portal.SessionHeld, portal.SessionClosed, portal.SessionCancelled} {
		t.Run("ErrIllegalStep/"+string(status), func(t *testing.T) {
			id, err := db.CreateSession(ctx, actor, newPlan("2030-01-18", nil))
			if err != nil {
				t.Fatal(err)
			}
			setStatus(t, db, id, status)
			if err := db.DeleteSession(ctx, actor, id); !errorsIs(err, portal.ErrIllegalStep) {
				t.Errorf("err = %v, want ErrIllegalStep", err)
			}
			if _, err := db.SessionByID(ctx, id); err != nil {
				t.Errorf("the session is gone: %v", err)
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := db.DeleteSession(ctx, actor, 1<<40); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestCopySession(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	srcID := sessionID(t, db, slug2027)
	src, err := db.SessionDetail(ctx, srcID)
	if err != nil {
		t.Fatal(err)
	}
	// Since the 2027 session: one invited NGO has closed, and one official
	// present has retired. Neither is carried over.
	var closedNGO int64
	if err := db.Pool().QueryRow(ctx, `
		UPDATE ngos SET active = false
		WHERE id = (SELECT ngo_id FROM invitations WHERE session_id = $1 ORDER BY ngo_id DESC LIMIT 1)
		RETURNING id`, srcID).Scan(&closedNGO); err != nil {
		t.Fatal(err)
	}
	retired := src.Officials[len(src.Officials)-1].ID
	if _, err := db.Pool().Exec(ctx, `UPDATE officials SET active = false WHERE id = $1`, retired); err != nil {
		t.Fatal(err)
	}

	copied, err := db.CopySession(ctx, actor, srcID)
	if err != nil {
		t.Fatal(err)
	}
	id := copied.ID
	cp, err := db.SessionDetail(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if cp.Status != portal.SessionDraft || cp.CopiedFrom != srcID || cp.CycleID != 0 || cp.ReplyDeadline != nil ||
		cp.Slug != "2028-municipal-leadership-session" || !cp.HeldOn.Equal(isoDate("2028-01-19")) ||
		cp.StartsAt != src.StartsAt || cp.VenueZH != src.VenueZH || cp.VenueEN != src.VenueEN || cp.Level != src.Level {
		t.Errorf("copy %+v", cp.Session)
	}
	if cp.TitleZH != "2028年上海市女性社会组织负责人年度会议" ||
		cp.TitleEN != "2028 Annual Leadership Session of Shanghai Women's NGOs" {
		t.Errorf("titles %q / %q, want the year bumped", cp.TitleZH, cp.TitleEN)
	}
	if !reflect.DeepEqual(agendaTitles(cp.Agenda), agendaTitles(src.Agenda)) {
		t.Errorf("agenda %v, want %v", agendaTitles(cp.Agenda), agendaTitles(src.Agenda))
	}
	for i := range cp.Agenda {
		if cp.Agenda[i].NGOID != src.Agenda[i].NGOID || cp.Agenda[i].DurationMinutes != src.Agenda[i].DurationMinutes {
			t.Errorf("agenda item %d: %+v, want %+v", i+1, cp.Agenda[i], src.Agenda[i])
		}
	}
	if want := (portal.SessionCopy{ID: id, Agenda: len(src.Agenda), Officials: len(src.Officials) - 1, Invitations: 17,
		OfficialsLeftOut: 1, NGOsLeftOut: 1, TitlesChanged: true, HeldOn: isoDate("2028-01-19")}); !reflect.DeepEqual(copied, want) {
		t.Errorf("CopySession says %+v, want %+v", copied, want)
	}
	wantOfficials := officialIDs(src.Officials[:len(src.Officials)-1])
	if got := officialIDs(cp.Officials); !sameIDs(got, wantOfficials) {
		t.Errorf("officials %v, want %v (the retired one left out)", got, wantOfficials)
	}

	// Invitations: the still-active NGOs, with no replies, no
	// representatives and no attendance.
	var invited, replied, reps, closed int
	if err := db.Pool().QueryRow(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE i.reply <> 'none' OR i.replied_at IS NOT NULL OR i.attendance <> 'unknown'),
		       (SELECT count(*) FROM representatives r JOIN invitations j ON j.id = r.invitation_id WHERE j.session_id = $1),
		       count(*) FILTER (WHERE i.ngo_id = $2)
		FROM invitations i WHERE i.session_id = $1`, id, closedNGO).Scan(&invited, &replied, &reps, &closed); err != nil {
		t.Fatal(err)
	}
	if invited != 17 || replied != 0 || reps != 0 || closed != 0 {
		t.Errorf("copied invitations: %d invited (want 17), %d with replies, %d representatives, %d to the closed NGO",
			invited, replied, reps, closed)
	}

	// The source is untouched.
	after, err := db.SessionDetail(ctx, srcID)
	if err != nil || after.Version != src.Version || after.ConfirmedCount != 4 || len(after.Agenda) != len(src.Agenda) {
		t.Errorf("the source changed: %+v (%v)", after.Session, err)
	}

	audit := objectAudit(t, db, portal.AuditObjectSession, id)
	if len(audit) != 1 || audit[0].Action != portal.AuditSessionCopied {
		t.Fatalf("audit %+v", audit)
	}
	if c := audit[0].Changes["copied_from"]; c.After != float64(srcID) {
		t.Errorf("audit copied_from %+v, want %d", c, srcID)
	}
	if c := audit[0].Changes["invitations"]; c.After != float64(17) {
		t.Errorf("audit invitations %+v, want 17", c)
	}

	t.Run("SecondCopyGetsSuffix", func(t *testing.T) {
		second, err := db.CopySession(ctx, actor, srcID)
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := db.SessionByID(ctx, second.ID); s.Slug != "2028-municipal-leadership-session-2" {
			t.Errorf("slug %q", s.Slug)
		}
	})
	t.Run("LeapDayAndTwoYears", func(t *testing.T) {
		plan := newPlan("2028-02-29", activeOfficialIDs(t, db))
		plan.TitleZH, plan.TitleEN = "2027年工作总结和2028年工作计划会议", "Review of 2027 and Plans for 2028"
		leap, err := db.CreateSession(ctx, actor, plan)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.CopySession(ctx, actor, leap)
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.SessionByID(ctx, got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s.TitleZH != "2028年工作总结和2029年工作计划会议" || s.TitleEN != "Review of 2028 and Plans for 2029" ||
			!s.HeldOn.Equal(isoDate("2029-02-28")) || !got.HeldOn.Equal(isoDate("2029-02-28")) || !got.TitlesChanged {
			t.Errorf("copy of the 29 February session: %q / %q on %s (%+v)", s.TitleZH, s.TitleEN, s.HeldOn, got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.CopySession(ctx, actor, 1<<40); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestSpeakingSlotNGOs(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t)
	ctx := t.Context()
	list, err := db.SpeakingSlotNGOs(ctx)
	if err != nil || len(list) != 18 {
		t.Fatalf("%d NGOs (%v), want 18", len(list), err)
	}
	if _, err := db.Pool().Exec(ctx, `UPDATE ngos SET active = false WHERE id = $1`, list[0].ID); err != nil {
		t.Fatal(err)
	}
	after, err := db.SpeakingSlotNGOs(ctx)
	if err != nil || len(after) != 17 || after[0].ID == list[0].ID {
		t.Errorf("after closing one: %d NGOs (%v)", len(after), err)
	}
}

func TestLatestHeldSessionNone(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	if _, err := db.LatestHeldSession(t.Context()); !errorsIs(err, portal.ErrNotFound) {
		t.Errorf("empty database: err = %v, want ErrNotFound", err)
	}
}
