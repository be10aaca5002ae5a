package demo_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// The themes of what the NGOs reported for 2020 (domain.md): epidemic
// response, career platforms, new media, lectures and themed activities.
var themes2020 = []string{"抗击疫情", "女性职业发展", "新媒体宣传倡导", "线上线下主题活动"}

func TestSeedReports(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, first := seeded(t)
	q := db.Pool()
	id := func(t *testing.T, sql string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := q.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return id
	}
	cycle2020 := id(t, `SELECT id FROM reporting_cycles WHERE review_year = 2020`)
	cycle2026 := id(t, `SELECT id FROM reporting_cycles WHERE review_year = 2026`)
	cycle2021 := id(t, `SELECT id FROM reporting_cycles WHERE review_year = 2021`)
	session2021 := sessionIDBySlug(t, db, "2021-municipal-leadership-session")
	adminID := id(t, `SELECT id FROM users WHERE email = $1`, demo.AdminEmail)
	// The demo NGOs in seed order, each with its staff member.
	type demoNGO struct {
		id, staffID int64
		slug, staff string
	}
	var ngos []demoNGO
	for n := 1; n <= 18; n++ {
		var g demoNGO
		g.staff = demo.StaffEmail(n)
		if err := q.QueryRow(ctx, `SELECT n.id, n.slug, u.id FROM users u JOIN ngos n ON n.id = u.ngo_id WHERE u.email = $1`,
			g.staff).Scan(&g.id, &g.slug, &g.staffID); err != nil {
			t.Fatal(err)
		}
		ngos = append(ngos, g)
	}
	sessionHeld := time.Date(2021, 1, 19, 0, 0, 0, 0, portal.FederationZone)
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, portal.FederationZone) // the demo's "now"
	// wantHistory checks a report's history: the actions in order, every
	// step at its time after the one before, by staff, but for a review
	// step (by the admin); a submission's snapshot is the stored content.
	wantHistory := func(t *testing.T, r portal.Report, staffID int64, after, before time.Time, actions ...portal.ReportEventAction) []portal.ReportEvent {
		t.Helper()
		events, err := db.ReportHistory(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []portal.ReportEventAction
		for _, e := range events {
			got = append(got, e.Action)
		}
		if !reflect.DeepEqual(got, actions) {
			t.Fatalf("history %v, want %v", got, actions)
		}
		prev := after
		for _, e := range events {
			if !e.At.After(prev) || !e.At.Before(before) {
				t.Errorf("%s at %v: not between %v and %v", e.Action, e.At, prev, before)
			}
			prev = e.At
			wantActor := staffID
			if e.Action == portal.EventAccepted || e.Action == portal.EventReturned {
				wantActor = adminID
			}
			if e.ActorID != wantActor {
				t.Errorf("%s by user %d, want %d", e.Action, e.ActorID, wantActor)
			}
			if (e.Snapshot != nil) != (e.Action == portal.EventSubmitted) {
				t.Errorf("%s: snapshot %v", e.Action, e.Snapshot != nil)
			}
			if e.Snapshot != nil {
				if changed := portal.ChangedSections(*e.Snapshot, r.ReportContent); len(changed) > 0 {
					t.Errorf("snapshot differs from the report in %v", changed)
				}
				if len(e.Snapshot.Activities) != len(r.Activities) || len(e.Snapshot.Answers) != len(r.Answers) ||
					(len(r.Answers) > 0 && e.Snapshot.Answers[0].TextZH == "") {
					t.Errorf("snapshot %+v is not the content as read back", e.Snapshot)
				}
			}
		}
		return events
	}
	// wantCover checks report r's cover page: a PDF by its staff member,
	// stored with its true size and checksum.
	wantCover := func(t *testing.T, r portal.Report, staffID int64) {
		t.Helper()
		list, err := db.ListAttachments(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Kind != portal.AttachmentCover || list[0].UploadedBy != staffID {
			t.Fatalf("attachments %+v, want one cover by user %d", list, staffID)
		}
		f, err := db.AttachmentForNGO(ctx, r.NGOID, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		sniffed, err := portal.SniffAttachment(f.Filename, f.Data)
		if err != nil || sniffed != portal.TypePDF || f.ContentType != portal.TypePDF || !strings.HasSuffix(f.Filename, ".pdf") ||
			!bytes.HasSuffix(f.Data, []byte("%%EOF\n")) || f.Size != int64(len(f.Data)) {
			t.Errorf("cover %s (%s, %d bytes): sniffed %s, %v", f.Filename, f.ContentType, f.Size, sniffed, err)
		}
		var sumOK bool
		if err := q.QueryRow(ctx, `SELECT sha256(data) = sha256 FROM report_attachments WHERE id = $1`, f.ID).Scan(&sumOK); err != nil || !sumOK {
			t.Errorf("cover checksum does not match: %v", err)
		}
	}

	reports2020 := map[string]portal.Report{}
	t.Run("Cycle2020Accepted", func(t *testing.T) {
		var n int
		if err := q.QueryRow(ctx, `SELECT count(*) FROM reports WHERE cycle_id = $1 AND status = 'accepted'`, cycle2020).Scan(&n); err != nil || n != 18 {
			t.Fatalf("%d accepted reports in 2020 (%v), want 18", n, err)
		}
		themeNGOs := map[int64]map[int64]bool{}
		requestItems := map[int64]int{}
		for _, g := range ngos {
			r, err := db.ReportFor(ctx, cycle2020, g.id)
			if err != nil {
				t.Fatalf("%s: %v", g.slug, err)
			}
			reports2020[g.slug] = r
			if r.Status != portal.ReportAccepted || !r.Declaration || r.DeclaredBy != g.staffID || r.Version != 4 {
				t.Errorf("%s: status %s, declared %v by %d, version %d", g.slug, r.Status, r.Declaration, r.DeclaredBy, r.Version)
			}
			if m := r.Missing(true); len(m) > 0 {
				t.Errorf("%s: missing %+v", g.slug, m)
			}
			if errs := r.Validate(); len(errs) > 0 || len(r.Incomplete(2020)) > 0 {
				t.Errorf("%s: invalid %v", g.slug, errs)
			}
			if len(r.Activities) < 2 || len(r.Activities) > 4 || len(r.Media) < 1 || len(r.Media) > 2 ||
				len(r.PlanItems) < 2 || len(r.PlanItems) > 3 {
				t.Errorf("%s: %d activities, %d media rows, %d plan items", g.slug, len(r.Activities), len(r.Media), len(r.PlanItems))
			}
			if len([]rune(r.Narrative)) < 80 || r.Highlight == "" || r.LegalRepresentative == "" {
				t.Errorf("%s: narrative %q, highlight %q, legal representative %q", g.slug, r.Narrative, r.Highlight, r.LegalRepresentative)
			}
			for _, a := range r.Activities {
				if a.StartsOn.Year() != 2020 || a.EndsOn.Year() != 2020 || a.EndsOn.Before(a.StartsOn) ||
					a.PeopleReached <= 0 || a.WomenReached > a.PeopleReached || len(a.ThemeIDs) == 0 {
					t.Errorf("%s: activity %+v", g.slug, a)
				}
				for _, th := range a.ThemeIDs {
					if themeNGOs[th] == nil {
						themeNGOs[th] = map[int64]bool{}
					}
					themeNGOs[th][g.id] = true
				}
			}
			// Every NGO answers at least one request addressed to it.
			addressed, err := db.RequestsForNGO(ctx, session2021, g.id)
			if err != nil {
				t.Fatal(err)
			}
			answers := 0
			for _, p := range r.PlanItems {
				if len(p.ThemeIDs) == 0 || p.Description == "" {
					t.Errorf("%s: plan item %+v without themes or description", g.slug, p)
				}
				for _, req := range p.RequestIDs {
					requestItems[req]++
					answers++
				}
			}
			if len(addressed) > 0 && answers == 0 {
				t.Errorf("%s: no plan item answers the %d requests addressed to it", g.slug, len(addressed))
			}
			wantHistory(t, r, g.staffID, time.Date(2020, 11, 16, 0, 0, 0, 0, portal.FederationZone), sessionHeld,
				portal.EventCreated, portal.EventSubmitted, portal.EventAccepted)
			if r.SubmittedAt.Year() != 2021 || !r.AcceptedAt.After(r.SubmittedAt) || !r.UpdatedAt.Equal(r.AcceptedAt) {
				t.Errorf("%s: submitted %v, accepted %v, updated %v", g.slug, r.SubmittedAt, r.AcceptedAt, r.UpdatedAt)
			}
			wantCover(t, r, g.staffID)
		}

		for _, name := range themes2020 {
			th := id(t, `SELECT id FROM themes WHERE name_zh = $1`, name)
			if len(themeNGOs[th]) < 3 {
				t.Errorf("theme %s tags activities of %d NGOs, want several", name, len(themeNGOs[th]))
			}
		}
		reqs, err := db.ListRequests(ctx, session2021)
		if err != nil || len(reqs) != 2 {
			t.Fatalf("requests %v, %v", reqs, err)
		}
		for _, req := range reqs {
			if requestItems[req.ID] == 0 {
				t.Errorf("request %d is answered by no plan item", req.Number)
			}
		}
	})

	t.Run("Cycle2020Indicators", func(t *testing.T) {
		ind, err := db.CycleIndicators(ctx, cycle2020)
		if err != nil {
			t.Fatal(err)
		}
		var activities, planItems int
		var people, women, items, reads int64
		if err := q.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM report_activities a JOIN reports r ON r.id = a.report_id WHERE r.cycle_id = $1),
			       (SELECT sum(people_reached) FROM report_activities a JOIN reports r ON r.id = a.report_id WHERE r.cycle_id = $1),
			       (SELECT sum(women_reached) FROM report_activities a JOIN reports r ON r.id = a.report_id WHERE r.cycle_id = $1),
			       (SELECT sum(items) FROM report_media m JOIN reports r ON r.id = m.report_id WHERE r.cycle_id = $1),
			       (SELECT sum(reads) FROM report_media m JOIN reports r ON r.id = m.report_id WHERE r.cycle_id = $1),
			       (SELECT count(*) FROM report_plan_items p JOIN reports r ON r.id = p.report_id WHERE r.cycle_id = $1)`,
			cycle2020).Scan(&activities, &people, &women, &items, &reads, &planItems); err != nil {
			t.Fatal(err)
		}
		tot := ind.Total
		if ind.NGOCount != 18 || tot.Activities != activities || tot.PeopleReached != people || tot.WomenReached != women ||
			tot.MediaItems != items || tot.MediaReads != reads || tot.PlanItems != planItems {
			t.Errorf("indicators: %d NGOs, %d activities, %d/%d people/women, %d items, %d reads, %d plan items;\n"+
				"want 18, %d, %d/%d, %d, %d, %d", ind.NGOCount, tot.Activities, tot.PeopleReached, tot.WomenReached,
				tot.MediaItems, tot.MediaReads, tot.PlanItems, activities, people, women, items, reads, planItems)
		}
		if activities < 36 || people == 0 || women == 0 || reads == 0 || len(ind.Requests) != 2 {
			t.Errorf("the 2020 figures are thin: %d activities, %d people, %d reads, %d requests answered",
				activities, people, reads, len(ind.Requests))
		}
	})

	t.Run("Cycle2026States", func(t *testing.T) {
		var n int
		if err := q.QueryRow(ctx, `SELECT count(*) FROM reports WHERE cycle_id = $1`, cycle2026).Scan(&n); err != nil || n != 3 {
			t.Fatalf("%d reports in 2026 (%v), want 3", n, err)
		}
		opens := time.Date(2026, 11, 2, 0, 0, 0, 0, portal.FederationZone)
		report := func(t *testing.T, g demoNGO, want portal.ReportStatus) portal.Report {
			t.Helper()
			r, err := db.ReportFor(ctx, cycle2026, g.id)
			if err != nil {
				t.Fatalf("%s: %v", g.slug, err)
			}
			if r.Status != want {
				t.Fatalf("%s: status %s, want %s", g.slug, r.Status, want)
			}
			if errs := r.Validate(); len(errs) > 0 || len(r.Incomplete(2026)) > 0 {
				t.Errorf("%s: invalid %v", g.slug, errs)
			}
			for _, a := range r.Activities {
				if a.EndsOn.After(today) || a.WomenReached > a.PeopleReached {
					t.Errorf("%s: activity %+v", g.slug, a)
				}
			}
			// Carried over as StartReport does from the latest earlier
			// cycle: the plan items of the accepted 2021 report, in order,
			// and the January 2022 session's requests.
			prev, err := db.ReportFor(ctx, cycle2021, g.id)
			if err != nil {
				t.Fatalf("%s: 2021 report: %v", g.slug, err)
			}
			if len(r.Progress) != len(prev.PlanItems) {
				t.Fatalf("%s: %d progress rows, want %d", g.slug, len(r.Progress), len(prev.PlanItems))
			}
			for i, p := range r.Progress {
				if p.PreviousPlanItemID != prev.PlanItems[i].ID || p.Title != prev.PlanItems[i].Title {
					t.Errorf("%s: progress %d = %+v, want plan item %+v", g.slug, i, p, prev.PlanItems[i])
				}
			}
			if len(r.Answers) != 2 || r.Answers[0].Number != 1 || r.Answers[1].Number != 2 {
				t.Errorf("%s: answers %+v, want the two 2022 requests", g.slug, r.Answers)
			}
			return r
		}

		draft := report(t, ngos[0], portal.ReportDraft)
		missing := map[string]bool{}
		for _, m := range draft.Missing(false) {
			missing[m.Key] = true
		}
		if len(draft.Activities) == 0 || draft.Narrative == "" || draft.Progress[0].Status == portal.ProgressUnanswered ||
			!missing["report.missing.progress"] || !missing["report.missing.answer"] || !missing["report.missing.cover"] ||
			!draft.SubmittedAt.IsZero() || draft.Declaration {
			t.Errorf("draft: partly filled expected; missing %v, %+v", missing, draft)
		}
		wantHistory(t, draft, ngos[0].staffID, opens, today, portal.EventCreated)

		submitted := report(t, ngos[1], portal.ReportSubmitted)
		if m := submitted.Missing(true); len(m) > 0 || !submitted.Declaration || submitted.DeclaredBy != ngos[1].staffID {
			t.Errorf("submitted: missing %+v, declared %v by %d", m, submitted.Declaration, submitted.DeclaredBy)
		}
		wantHistory(t, submitted, ngos[1].staffID, opens, today, portal.EventCreated, portal.EventSubmitted)
		wantCover(t, submitted, ngos[1].staffID)

		returned := report(t, ngos[2], portal.ReportReturned)
		if returned.Declaration || returned.DeclaredBy != 0 || returned.SubmittedAt.IsZero() {
			t.Errorf("returned: declared %v by %d, submitted %v", returned.Declaration, returned.DeclaredBy, returned.SubmittedAt)
		}
		events := wantHistory(t, returned, ngos[2].staffID, opens, today,
			portal.EventCreated, portal.EventSubmitted, portal.EventReturned)
		ret := events[2]
		if ret.Comment == "" || !strings.Contains(ret.SectionComments[portal.SectionActivities], "女性参与人数") || len(ret.SectionComments) != 1 {
			t.Errorf("return: comment %q, sections %v", ret.Comment, ret.SectionComments)
		}
		wantCover(t, returned, ngos[2].staffID)

		for _, g := range ngos[3:] {
			if _, err := db.ReportFor(ctx, cycle2026, g.id); !errors.Is(err, portal.ErrNotFound) {
				t.Errorf("%s has a 2026 report (%v), want not started", g.slug, err)
			}
		}
	})

	t.Run("SecondSeedChangesNothing", func(t *testing.T) {
		// The snapshot covers the report tables (it reads every table).
		rows := map[string]int{}
		for _, row := range first {
			rows[strings.SplitN(row, " ", 2)[0]]++
		}
		for _, table := range []string{"reports", "report_activities", "report_activity_themes", "report_media",
			"report_plan_items", "report_plan_item_themes", "report_plan_item_requests", "report_progress",
			"report_request_answers", "report_events", "report_attachments"} {
			if rows[table] == 0 {
				t.Errorf("the snapshot holds no rows of %s", table)
			}
		}
		wantReseedSame(t, db, first)
	})

	t.Run("ExistingReportUntouched", func(t *testing.T) {
		// Staff have been at work on the draft; a later seed keeps their work.
		if _, err := q.Exec(ctx, `
			UPDATE reports SET narrative = '员工改写的叙述', version = version + 1
			WHERE cycle_id = $1 AND ngo_id = $2`, cycle2026, ngos[0].id); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Exec(ctx, `DELETE FROM report_activities WHERE report_id IN (
			SELECT id FROM reports WHERE cycle_id = $1 AND ngo_id = $2)`, cycle2026, ngos[0].id); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, ctx, db)
		wantReseedSame(t, db, before)
	})
}
