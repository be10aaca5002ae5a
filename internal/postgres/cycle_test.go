package postgres_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// cyFixture is a seeded database and the demo admin as the actor.
type cyFixture struct {
	testDB
	actor portal.Actor
}

func newCyFixture(t *testing.T) cyFixture {
	t.Helper()
	f := cyFixture{testDB: newDemoDB(t)}
	f.actor = f.testDB.actor(t, demo.AdminEmail)
	return f
}

// newSession adds a draft session tied to no cycle.
func (f cyFixture) newSession(t *testing.T, slug string) int64 {
	t.Helper()
	return f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on) VALUES ($1, '测试会议', 'Test session', 'municipal', '2028-01-18') RETURNING id`, slug)
}

// audits reads the audit rows whose action starts with prefix.
func (f cyFixture) audits(t *testing.T, prefix string) []auditRow {
	t.Helper()
	return f.testDB.audits(t, `action LIKE $1 || '%'`, prefix)
}

func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	var ve *portal.ValidationError
	if !errors.As(err, &ve) || ve.Fields[field] != key {
		t.Fatalf("err = %v, want a validation error %s: %s", err, field, key)
	}
}

func TestCycleLifecycle(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	f := newCyFixture(t)
	sess := f.newSession(t, "cycle-test-session")

	c, err := f.db.CreateCycle(ctx, f.actor, portal.Cycle{ReviewYear: 2027, OpensOn: isoDate("2027-11-01"),
		Deadline: isoDate("2028-01-07"), Status: portal.CycleDraft, SessionID: sess})
	if err != nil {
		t.Fatalf("CreateCycle: %v", err)
	}
	if c.PlanYear != 2028 || c.SessionID != sess || c.SessionTitleZH != "测试会议" || c.Version != 1 || c.Status != portal.CycleDraft {
		t.Errorf("created %+v", c)
	}
	var cycleOfSession int64
	if err := f.db.Pool().QueryRow(ctx, `SELECT cycle_id FROM sessions WHERE id = $1`, sess).Scan(&cycleOfSession); err != nil || cycleOfSession != c.ID {
		t.Errorf("session's cycle_id = %d (%v), want %d", cycleOfSession, err, c.ID)
	}
	a := f.audits(t, "cycle.")
	if len(a) != 1 || a[0].Action != portal.AuditCycleCreated || a[0].ObjectID != c.ID ||
		a[0].Changes["review_year"].After != float64(2027) || a[0].Changes["session_id"].After != float64(sess) {
		t.Errorf("audit after create = %+v", a)
	}
	if s := f.audits(t, "session.updated"); len(s) != 1 || s[0].ObjectID != sess || s[0].Changes["cycle_id"].After != float64(c.ID) {
		t.Errorf("session audit after create = %+v", s)
	}

	t.Run("ErrDuplicateYear", func(t *testing.T) {
		_, err := f.db.CreateCycle(ctx, f.actor, portal.Cycle{ReviewYear: 2027, OpensOn: isoDate("2027-11-01"), Deadline: isoDate("2028-01-07"), Status: portal.CycleOpen})
		wantField(t, err, "review_year", "cycle.err.review_year_taken")
	})
	t.Run("ErrSessionTaken", func(t *testing.T) {
		_, err := f.db.CreateCycle(ctx, f.actor, portal.Cycle{ReviewYear: 2030, OpensOn: isoDate("2030-11-01"), Deadline: isoDate("2031-01-07"), Status: portal.CycleOpen, SessionID: sess})
		wantField(t, err, "session", "cycle.err.session_taken")
		var n int
		if err := f.db.Pool().QueryRow(ctx, `SELECT count(*) FROM reporting_cycles WHERE review_year = 2030`).Scan(&n); err != nil || n != 0 {
			t.Errorf("the refused cycle was half-saved: %d rows (%v)", n, err)
		}
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		stale := c
		stale.Version = 0
		if _, err := f.db.UpdateCycle(ctx, f.actor, c.ID, stale); !errors.Is(err, portal.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("ErrUpdateToTakenYear", func(t *testing.T) {
		taken := c
		taken.ReviewYear = 2020
		_, err := f.db.UpdateCycle(ctx, f.actor, c.ID, taken)
		wantField(t, err, "review_year", "cycle.err.review_year_taken")
	})

	// Edit: open it, move the deadline and tie it to another session; the
	// first session is freed and both sessions' versions move on.
	other := f.newSession(t, "cycle-test-other")
	var sessVersion int
	if err := f.db.Pool().QueryRow(ctx, `SELECT version FROM sessions WHERE id = $1`, sess).Scan(&sessVersion); err != nil {
		t.Fatal(err)
	}
	edit := c
	edit.Status, edit.Deadline, edit.SessionID = portal.CycleOpen, isoDate("2028-01-10"), other
	saved, err := f.db.UpdateCycle(ctx, f.actor, c.ID, edit)
	if err != nil {
		t.Fatalf("UpdateCycle: %v", err)
	}
	if saved.Version != 2 || saved.Status != portal.CycleOpen || saved.SessionID != other || saved.Deadline.Format(time.DateOnly) != "2028-01-10" {
		t.Errorf("saved %+v", saved)
	}
	var freed *int64
	var newVersion int
	if err := f.db.Pool().QueryRow(ctx, `SELECT cycle_id, version FROM sessions WHERE id = $1`, sess).Scan(&freed, &newVersion); err != nil || freed != nil || newVersion != sessVersion+1 {
		t.Errorf("first session: cycle_id %v, version %d → %d (%v); want freed and bumped", freed, sessVersion, newVersion, err)
	}
	a = f.audits(t, "cycle.updated")
	if len(a) != 1 || a[0].Changes["status"].Before != "draft" || a[0].Changes["status"].After != "open" ||
		a[0].Changes["deadline"].After != "2028-01-10" || a[0].Changes["session_id"].After != float64(other) {
		t.Errorf("update audit = %+v", a)
	}
	if _, ok := a[0].Changes["opens_on"]; ok {
		t.Error("the audit records an unchanged field")
	}
	if s := f.audits(t, "session.updated"); len(s) != 3 {
		t.Errorf("%d session audits, want 3 (tie, untie, tie)", len(s))
	}

	t.Run("SaveWithoutChangeWritesNothing", func(t *testing.T) {
		again, err := f.db.UpdateCycle(ctx, f.actor, c.ID, saved)
		if err != nil || again.Version != saved.Version {
			t.Errorf("unchanged save: version %d (%v), want %d", again.Version, err, saved.Version)
		}
	})

	t.Run("ListNewestFirst", func(t *testing.T) {
		list, err := f.db.ListCycles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var years []int
		for _, l := range list {
			years = append(years, l.ReviewYear)
		}
		if want := []int{2027, 2026, 2021, 2020, 2019}; !slices.Equal(years, want) {
			t.Errorf("years = %v, want %v", years, want)
		}
		if list[1].ExtensionCount != 1 || list[1].SessionTitleEN == "" {
			t.Errorf("2026 cycle = %+v, want its demo extension and session", list[1])
		}
	})

	t.Run("SessionOptions", func(t *testing.T) {
		opts, err := f.db.CycleSessionOptions(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		ids := map[int64]bool{}
		for _, o := range opts {
			ids[o.ID] = true
		}
		// Its own session and the freed one; never the demo's, which are tied.
		if len(opts) != 2 || !ids[sess] || !ids[other] {
			t.Errorf("options = %+v", opts)
		}
		none, err := f.db.CycleSessionOptions(ctx, 0)
		if err != nil || len(none) != 1 || none[0].ID != sess {
			t.Errorf("options for a new cycle = %+v (%v), want only the free session", none, err)
		}
	})

	// Close: final.
	if err := f.db.CloseCycle(ctx, f.actor, c.ID, 1); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("close at a stale version: %v, want ErrConflict", err)
	}
	if err := f.db.CloseCycle(ctx, f.actor, c.ID, saved.Version); err != nil {
		t.Fatalf("CloseCycle: %v", err)
	}
	closed, err := f.db.CycleByID(ctx, c.ID)
	if err != nil || closed.Status != portal.CycleClosed {
		t.Fatalf("after close: %+v %v", closed, err)
	}
	if a := f.audits(t, "cycle.closed"); len(a) != 1 || a[0].Changes["status"].Before != "open" || a[0].Changes["status"].After != "closed" {
		t.Errorf("close audit = %+v", a)
	}
	if err := f.db.CloseCycle(ctx, f.actor, c.ID, closed.Version); !errors.Is(err, portal.ErrCycleClosed) {
		t.Errorf("close again: %v, want ErrCycleClosed", err)
	}
	if _, err := f.db.UpdateCycle(ctx, f.actor, c.ID, closed); !errors.Is(err, portal.ErrCycleClosed) {
		t.Errorf("edit a closed cycle: %v, want ErrCycleClosed", err)
	}
	ngo := f.id(t, `SELECT id FROM ngos WHERE slug = 'women-lawyers'`)
	if err := f.db.GrantExtension(ctx, f.actor, portal.Extension{CycleID: c.ID, NGOID: ngo, Deadline: isoDate("2028-02-01"), Reason: "x"}); !errors.Is(err, portal.ErrCycleClosed) {
		t.Errorf("extend a closed cycle: %v, want ErrCycleClosed", err)
	}
	if _, err := f.db.CycleByID(ctx, 999999); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("unknown cycle: %v, want ErrNotFound", err)
	}
}

func TestCycleExtensions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	f := newCyFixture(t)
	cycle := f.id(t, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
	extended := f.id(t, `SELECT id FROM ngos WHERE slug = 'family-education'`)
	lawyers := f.id(t, `SELECT id FROM ngos WHERE slug = 'women-lawyers'`)

	deadline := func(ngo int64) string {
		t.Helper()
		d, err := f.db.NGODeadline(ctx, cycle, ngo)
		if err != nil {
			t.Fatalf("NGODeadline: %v", err)
		}
		return d.Format(time.DateOnly)
	}
	if got := deadline(extended); got != "2027-01-15" {
		t.Errorf("the demo's extended NGO: deadline %s, want 2027-01-15", got)
	}
	if got := deadline(lawyers); got != "2027-01-08" {
		t.Errorf("an NGO without extension: deadline %s, want the cycle's 2027-01-08", got)
	}
	if _, err := f.db.NGODeadline(ctx, 999999, lawyers); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("unknown cycle: %v, want ErrNotFound", err)
	}

	t.Run("ErrNotLater", func(t *testing.T) {
		err := f.db.GrantExtension(ctx, f.actor, portal.Extension{CycleID: cycle, NGOID: lawyers, Deadline: isoDate("2027-01-08"), Reason: "原因"})
		wantField(t, err, "deadline", "cycle.err.extension_not_later")
	})
	if err := f.db.GrantExtension(ctx, f.actor, portal.Extension{CycleID: cycle, NGOID: lawyers, Deadline: isoDate("2027-01-20"), Reason: "负责人出国交流"}); err != nil {
		t.Fatalf("GrantExtension: %v", err)
	}
	if got := deadline(lawyers); got != "2027-01-20" {
		t.Errorf("after the extension: deadline %s, want 2027-01-20", got)
	}
	t.Run("ErrSecondExtension", func(t *testing.T) {
		err := f.db.GrantExtension(ctx, f.actor, portal.Extension{CycleID: cycle, NGOID: lawyers, Deadline: isoDate("2027-01-25"), Reason: "再延"})
		wantField(t, err, "ngo", "cycle.err.extension_exists")
	})
	list, err := f.db.ListExtensions(ctx, cycle)
	if err != nil || len(list) != 2 {
		t.Fatalf("extensions = %+v (%v), want 2", list, err)
	}
	for _, e := range list {
		if e.NGOID == lawyers && (e.Reason != "负责人出国交流" || e.CreatedByEmail != demo.AdminEmail || e.NGONameZH != "上海市女律师联谊会") {
			t.Errorf("extension = %+v", e)
		}
	}
	candidates, err := f.db.ExtensionCandidates(ctx, cycle)
	if err != nil || len(candidates) != 16 {
		t.Errorf("%d candidates (%v), want the 16 NGOs without an extension", len(candidates), err)
	}
	for _, n := range candidates {
		if n.ID == lawyers || n.ID == extended {
			t.Errorf("an NGO with an extension is offered again: %d", n.ID)
		}
	}

	if err := f.db.RemoveExtension(ctx, f.actor, cycle, lawyers); err != nil {
		t.Fatalf("RemoveExtension: %v", err)
	}
	if got := deadline(lawyers); got != "2027-01-08" {
		t.Errorf("after removing the extension: deadline %s, want 2027-01-08", got)
	}
	if err := f.db.RemoveExtension(ctx, f.actor, cycle, lawyers); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("remove again: %v, want ErrNotFound", err)
	}

	a := f.audits(t, "cycle.extension")
	if len(a) != 2 {
		t.Fatalf("audits = %+v, want granted and removed", a)
	}
	if a[0].Action != portal.AuditCycleExtensionGranted || a[0].ObjectID != cycle || a[0].NGOID != lawyers ||
		a[0].Changes["extended_to"].After != "2027-01-20" || a[0].Changes["reason"].After != "负责人出国交流" {
		t.Errorf("grant audit = %+v", a[0])
	}
	if a[1].Action != portal.AuditCycleExtensionRemoved || a[1].NGOID != lawyers || a[1].Changes["extended_to"].Before != "2027-01-20" || a[1].Changes["extended_to"].After != nil {
		t.Errorf("remove audit = %+v", a[1])
	}
}
