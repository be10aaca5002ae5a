package server

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

// reviewerCookie signs in a new federation reviewer and returns the cookie
// and the account's id.
func reviewerCookie(t *testing.T, h *harness, email string) (*http.Cookie, int64) {
	t.Helper()
	id := createUser(t, h, portal.RoleReviewer, 0, email, "审阅员")
	return h.sessionCookie(t, id), id
}

// auditActor is the actor of the latest audit entry of action on object id;
// 0 when there is none.
func auditActor(t *testing.T, h *harness, action string, id int64) int64 {
	t.Helper()
	var actor int64
	if err := h.db.Pool().QueryRow(t.Context(), `
		SELECT coalesce((SELECT actor_id FROM audit_log WHERE action = $1 AND object_id = $2 ORDER BY id DESC LIMIT 1), 0)`,
		action, id).Scan(&actor); err != nil {
		t.Fatal(err)
	}
	return actor
}

// A reviewer is told of a submission, returns the report with comments and
// accepts it after the resubmission, each step audited as the reviewer's.
func TestReviewerReviewsReports(t *testing.T) {
	t.Parallel()
	f := newRVFixture(t)
	h := f.h
	reviewer, reviewerID := reviewerCookie(t, h, "rv-reviewer@example.org")
	lawyers := f.ngo(t, "women-lawyers")
	r := f.submit(t, lawyers, time.Now())

	if n := cyQueryID(t, h, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND kind = 'report_submitted' AND object_id = $2`,
		reviewerID, r.ID); n != 1 {
		t.Errorf("the reviewer has %d notices of the submission, want 1", n)
	}

	page := h.as(t, reviewer, get(reviewReportPath(r.ID)))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.body, `action="`+reviewReturnPath(r.ID)+`"`, `formaction="`+reviewAcceptPath(r.ID)+`"`)

	res := h.as(t, reviewer, postForm(reviewReturnPath(r.ID), rvReturnForm(r.Version, "请补充活动成效。", nil)))
	wantStatus(t, res, http.StatusSeeOther)
	got, err := h.db.ReportByID(t.Context(), r.ID)
	if err != nil || got.Status != portal.ReportReturned {
		t.Fatalf("report after the reviewer's return: %s, %v", got.Status, err)
	}
	if actor := auditActor(t, h, portal.AuditReportReturned, r.ID); actor != reviewerID {
		t.Errorf("the return is audited as user %d, want the reviewer %d", actor, reviewerID)
	}

	cur, err := h.db.ReportFor(t.Context(), f.cycle, lawyers.id)
	if err != nil {
		t.Fatal(err)
	}
	cur.Declaration = true
	saved, err := h.db.SaveDraft(t.Context(), lawyers.staff, lawyers.id, cur, cur.Version)
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.db.SubmitReport(t.Context(), lawyers.staff, lawyers.id, saved, saved.Version, time.Now())
	if err != nil {
		t.Fatalf("resubmit: %v", err)
	}
	if n := cyQueryID(t, h, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND kind = 'report_resubmitted' AND object_id = $2`,
		reviewerID, r.ID); n != 1 {
		t.Errorf("the reviewer has %d notices of the resubmission, want 1", n)
	}
	res = h.as(t, reviewer, postForm(reviewAcceptPath(r.ID), url.Values{"version": {fmt.Sprint(again.Version)}}))
	wantStatus(t, res, http.StatusSeeOther)
	if actor := auditActor(t, h, portal.AuditReportAccepted, r.ID); actor != reviewerID {
		t.Errorf("the acceptance is audited as user %d, want the reviewer %d", actor, reviewerID)
	}
}

// A reviewer runs a session's check-in, audited as the reviewer's, but
// cannot invite.
func TestReviewerChecksIn(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday(), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	inv := f.invitationID(t, f.ngoA)
	reviewer, reviewerID := reviewerCookie(t, f.h, "ci-reviewer@example.org")

	page := f.h.as(t, reviewer, get(f.path("/checkin")))
	wantStatus(t, page, http.StatusOK)
	wantContains(t, page.body, fmt.Sprintf(`action="%s"`, f.path(fmt.Sprintf("/checkin/%d", inv))))

	res := f.h.as(t, reviewer, postForm(f.path(fmt.Sprintf("/checkin/%d", inv)), url.Values{"attendance": {"excused"}, "excuse_reason": {"出差"}}))
	wantStatus(t, res, http.StatusSeeOther)
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE id = $1 AND attendance = 'excused'`, inv); n != 1 {
		t.Error("the reviewer's check-in was not recorded")
	}
	if actor := auditActor(t, f.h, portal.AuditAttendanceRecorded, inv); actor != reviewerID {
		t.Errorf("the check-in is audited as user %d, want the reviewer %d", actor, reviewerID)
	}

	// The board shows the invitations but neither the invite form nor
	// the withdraw buttons; sending an invitation anyway is forbidden.
	board := f.h.as(t, reviewer, get(f.path("/invitations")))
	wantStatus(t, board, http.StatusOK)
	wantAbsent(t, board.body, `action="`+f.path("/invitations")+`"`, "/withdraw")
	wantContains(t, f.h.as(t, f.admin, get(f.path("/invitations"))).body, `action="`+f.path("/invitations")+`"`, "/withdraw")
	res = f.h.as(t, reviewer, postForm(f.path("/invitations"), url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoB)}}))
	wantStatus(t, res, http.StatusForbidden)
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND ngo_id = $2`, f.session, f.ngoB); n != 0 {
		t.Error("the reviewer's invitation was sent")
	}
}

// What a reviewer may not do answers 403 and changes nothing, and the
// federation's pages do not offer it: no edit or publish buttons, no
// accounts.
func TestReviewerManagesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	reviewer, _ := reviewerCookie(t, h, "mn-reviewer@example.org")
	admin := h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "mn-admin@example.org", "管理员"))
	ngo := ngoIDBySlug(t, h, "women-lawyers")
	session := cyQueryID(t, h, `SELECT session_id FROM summaries WHERE status = 'published' ORDER BY session_id LIMIT 1`)
	version := cyQueryID(t, h, `SELECT version FROM summaries WHERE session_id = $1`, session)
	publish := adminSummaryPath(session) + "/publish"
	unpublish := adminSummaryPath(session) + "/unpublish"

	t.Run("ErrForbiddenWrites", func(t *testing.T) {
		for _, tc := range []struct {
			path string
			form url.Values
		}{
			{adminNGOPath(ngo), url.Values{"version": {"1"}, "name_zh": {"审阅员改的名字"}}},
			{adminNGODeactivatePath(ngo), url.Values{}},
			{unpublish, url.Values{"version": {fmt.Sprint(version)}}},
			{publish, url.Values{"version": {fmt.Sprint(version)}}},
			{adminUsersPath, url.Values{"email": {"new@example.org"}, "name": {"新"}, "role": {"admin"}}},
		} {
			res := h.as(t, reviewer, postForm(tc.path, tc.form))
			if res.status != http.StatusForbidden {
				t.Errorf("POST %s as a reviewer: %d, want 403", tc.path, res.status)
			}
		}
		if n := cyQueryID(t, h, `SELECT count(*) FROM ngos WHERE id = $1 AND active AND name_zh <> '审阅员改的名字'`, ngo); n != 1 {
			t.Error("the reviewer changed the NGO")
		}
		if n := cyQueryID(t, h, `SELECT count(*) FROM summaries WHERE session_id = $1 AND status = 'published'`, session); n != 1 {
			t.Error("the reviewer unpublished the summary")
		}
		for _, path := range []string{adminUsersPath, adminNGOEditPath(ngo), adminSummaryEditPath(session), adminMailPath} {
			if res := h.as(t, reviewer, get(path)); res.status != http.StatusForbidden {
				t.Errorf("GET %s as a reviewer: %d, want 403", path, res.status)
			}
		}
	})

	t.Run("NoManagementButtons", func(t *testing.T) {
		for _, tc := range []struct {
			path   string
			shared []string // what both see
			admin  []string // what only the admin sees
		}{
			{adminNGOPath(ngo), []string{`href="` + adminNGOTimelinePath(ngo) + `"`},
				[]string{`href="` + adminNGOEditPath(ngo) + `"`, `action="` + adminNGODeactivatePath(ngo) + `"`, `href="/admin/users/`}},
			{adminSummaryPath(session), []string{`href="` + adminSummaryVersionsPath(session) + `"`},
				[]string{`href="` + adminSummaryEditPath(session) + `"`, `action="` + unpublish + `"`}},
			{adminHomePath, []string{`href="/admin/sessions"`, `href="` + adminAuditPath + `"`},
				[]string{`href="` + adminUsersPath + `"`}},
			{adminNGOsPath, []string{`href="` + adminNGOPath(ngo) + `"`}, []string{`href="` + adminNGOsPath + `/new"`}},
			{adminSessionPath(session), []string{`href="` + adminSummaryPath(session) + `"`},
				[]string{`action="` + adminSessionPath(session) + `/copy"`}},
		} {
			asAdmin, asReviewer := h.as(t, admin, get(tc.path)), h.as(t, reviewer, get(tc.path))
			wantStatus(t, asAdmin, http.StatusOK)
			wantStatus(t, asReviewer, http.StatusOK)
			wantContains(t, asAdmin.body, append(tc.shared, tc.admin...)...)
			wantContains(t, asReviewer.body, tc.shared...)
			wantAbsent(t, asReviewer.body, tc.admin...)
		}
		// The reviewer's header leads to the federation's area.
		home := h.as(t, reviewer, get(adminHomePath))
		wantContains(t, home.body, `<a href="/admin"`, cyText(h, i18n.ZhCN, "admin.home.title"))
	})

	t.Run("StaffStillGet404", func(t *testing.T) {
		staff := h.sessionCookie(t, createUser(t, h, portal.RoleStaff, ngo, "mn-staff@example.org", "员工"))
		for _, path := range []string{adminHomePath, adminNGOPath(ngo), adminUsersPath} {
			if res := h.as(t, staff, get(path)); res.status != http.StatusNotFound {
				t.Errorf("GET %s as staff: %d, want 404", path, res.status)
			}
		}
	})
}

// Admins make reviewers, by invitation or by changing an account's role,
// and back; each change is audited and ends the user's login sessions.
func TestReviewerAccounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	adminID, admin := uaAdmin(t, h)
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	edit := func(id int64, role string, ngoID int64) *http.Request {
		f := url.Values{"version": {uaUserVersion(t, h, id)}, "name": {"审阅员"}, "role": {role}, "ngo": {""}}
		if ngoID != 0 {
			f.Set("ngo", fmt.Sprint(ngoID))
		}
		return postForm(adminUserPath(id), f)
	}

	t.Run("OKInvite", func(t *testing.T) {
		form := h.as(t, admin, get(adminUsersPath+"/new"))
		wantContains(t, form.body, `<option value="reviewer">联合会审阅员</option>`)
		res := h.as(t, admin, postForm(adminUsersPath, url.Values{"email": {"new.reviewer@example.org"}, "name": {"新审阅员"}, "role": {"reviewer"}, "ngo": {""}}))
		uaWantStatus(t, res, http.StatusSeeOther)
		wantContains(t, h.as(t, admin, get(res.header.Get("Location"))).body, "<dd>联合会审阅员</dd>")
	})
	t.Run("ErrReviewerWithNGO", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "ngo-reviewer@example.org", "审阅员")
		res := h.as(t, admin, edit(id, "reviewer", ngoA))
		uaWantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "user.error.ngo_for_admin"))
	})
	t.Run("OKStaffToReviewerAndToAdmin", func(t *testing.T) {
		id := createUser(t, h, portal.RoleStaff, ngoA, "to-reviewer@example.org", "审阅员")
		c := h.sessionCookie(t, id)
		uaWantRedirect(t, h.as(t, admin, edit(id, "reviewer", 0)), adminUserPath(id))
		// Had the session survived, the user, now a reviewer, would be let in.
		if !uaSignedOut(t, h, c, "/admin") {
			t.Error("after becoming a reviewer the old cookie still works")
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserUpdated, map[string]portal.Change{
			"role": {Before: "staff", After: "reviewer"},
			"ngo":  {Before: "上海市女医师协会", After: nil},
		})
		c = h.sessionCookie(t, id)
		if res := h.as(t, c, get(adminHomePath)); res.status != http.StatusOK {
			t.Fatalf("the new reviewer's home: %d", res.status)
		}
		uaWantRedirect(t, h.as(t, admin, edit(id, "admin", 0)), adminUserPath(id))
		if !uaSignedOut(t, h, c, "/admin") {
			t.Error("after becoming an admin the reviewer's cookie still works")
		}
		uaWantAudit(t, h, id, adminID, portal.AuditUserUpdated, map[string]portal.Change{"role": {Before: "reviewer", After: "admin"}})
	})
}
