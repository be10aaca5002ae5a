package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// invFixture is a session of the test's own with an admin and the staff
// of two NGOs.
type invFixture struct {
	h              *harness
	session        int64
	ngoA, ngoB     int64
	admin          *http.Cookie
	staffA, staffB *http.Cookie
	staffAID       int64
}

var fixtureSeq atomic.Int64

// newInvFixture makes a session in status with the given date and reply
// deadline (nil: none).
func newInvFixture(t *testing.T, status portal.SessionStatus, heldOn time.Time, deadline *time.Time) invFixture {
	t.Helper()
	h := newHarness(t, nil)
	f := invFixture{h: h, ngoA: ngoIDBySlug(t, h, "women-physicians"), ngoB: ngoIDBySlug(t, h, "women-lawyers")}
	f.session = invCreateSession(t, h, status, heldOn, deadline)
	f.admin = h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "inv-admin@example.org", "管理员"))
	f.staffAID = createUser(t, h, portal.RoleStaff, f.ngoA, "inv-a@example.org", "甲员工")
	f.staffA = h.sessionCookie(t, f.staffAID)
	f.staffB = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, f.ngoB, "inv-b@example.org", "乙员工"))
	return f
}

// createSession inserts a session directly, as the tests need one in a
// given state.
func invCreateSession(t *testing.T, h *harness, status portal.SessionStatus, heldOn time.Time, deadline *time.Time) int64 {
	t.Helper()
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at, venue_zh, venue_en, status, reply_deadline)
		VALUES ($1, '测试年度会议', 'Test Annual Session', 'municipal', $2, '14:00', '测试会场', 'Test Hall', $3, $4)
		RETURNING id`, fmt.Sprintf("test-session-%d-%d", time.Now().UnixNano(), fixtureSeq.Add(1)),
		heldOn.Format(time.DateOnly), status, deadline).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func invToday() time.Time { return time.Now().In(federationZone) }

func (f invFixture) path(suffix string) string { return adminSessionPath(f.session) + suffix }

// invite posts the invite form as the admin.
func (f invFixture) invite(t *testing.T, form url.Values) response {
	t.Helper()
	return f.h.as(t, f.admin, postForm(f.path("/invitations"), form))
}

func (f invFixture) invitationID(t *testing.T, ngoID int64) int64 {
	t.Helper()
	var id int64
	if err := f.h.db.Pool().QueryRow(t.Context(),
		`SELECT id FROM invitations WHERE session_id = $1 AND ngo_id = $2`, f.session, ngoID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (f invFixture) setStatus(t *testing.T, s portal.SessionStatus) {
	t.Helper()
	if _, err := f.h.db.Pool().Exec(t.Context(), `UPDATE sessions SET status = $2 WHERE id = $1`, f.session, s); err != nil {
		t.Fatal(err)
	}
}

func invReplyForm(version int, reply string, reps ...[3]string) url.Values {
	v := url.Values{"version": {fmt.Sprint(version)}, "reply": {reply}}
	for i, r := range reps {
		n := fmt.Sprint(i + 1)
		v.Set("rep_name_"+n, r[0])
		v.Set("rep_title_"+n, r[1])
		v.Set("rep_mobile_"+n, r[2])
	}
	return v
}

// TestInvitationReplyCheckinFlow follows one NGO from invitation to
// check-in: invite, confirm with two representatives, check in present
// with one of them, and the audit rows of each step.
func TestInvitationReplyCheckinFlow(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionDraft, invToday(), nil)

	res := f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	if res.status != http.StatusSeeOther || res.header.Get("Location") != f.path("/invitations") {
		t.Fatalf("invite: %d %q", res.status, res.header.Get("Location"))
	}
	invID := f.invitationID(t, f.ngoA)
	if n := auditCount(t, f.h, portal.AuditInvitationSent, invID); n != 1 {
		t.Errorf("invitation.sent audit rows = %d", n)
	}
	// Drafts are not shown to the NGO yet.
	if res := f.h.as(t, f.staffA, get("/ngo/sessions/"+fmt.Sprint(f.session))); res.status != http.StatusNotFound {
		t.Errorf("draft session for staff: %d, want 404", res.status)
	}
	f.setStatus(t, portal.SessionScheduled)

	res = f.h.as(t, f.staffA, get("/ngo/sessions"))
	wantContains(t, res.body, "测试年度会议", "未答复")
	res = f.h.as(t, f.staffA, get(staffSessionPath(f.session)))
	if res.status != http.StatusOK {
		t.Fatalf("staff session: %d", res.status)
	}
	wantContains(t, res.body, "测试会场", `name="version" value="1"`, "rep_mobile_3")

	res = f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"李华", "秘书长", "13912345678"}, [3]string{"王芳", "", "13812345678"})))
	if res.status != http.StatusSeeOther || res.header.Get("Location") != staffSessionPath(f.session) {
		t.Fatalf("reply: %d %q %s", res.status, res.header.Get("Location"), res.body)
	}
	var replyAuditNGO int64
	if err := f.h.db.Pool().QueryRow(t.Context(), `SELECT ngo_id FROM audit_log WHERE action = $1 AND object_id = $2`,
		portal.AuditInvitationReplied, invID).Scan(&replyAuditNGO); err != nil || replyAuditNGO != f.ngoA {
		t.Errorf("invitation.replied audit NGO = %d, %v", replyAuditNGO, err)
	}

	board := f.h.as(t, f.admin, get(f.path("/invitations")))
	wantContains(t, board.body, "李华", "王芳", "确认出席")

	var repLi, repWang int64
	if err := f.h.db.Pool().QueryRow(t.Context(), `
		SELECT (SELECT id FROM representatives WHERE invitation_id = $1 AND name = '李华'),
		       (SELECT id FROM representatives WHERE invitation_id = $1 AND name = '王芳')`, invID).Scan(&repLi, &repWang); err != nil {
		t.Fatal(err)
	}
	res = f.h.as(t, f.admin, get(f.path("/checkin")))
	wantContains(t, res.body, "1 家组织中 0 家已到", fmt.Sprintf(`id="ngo-%d"`, invID))
	res = f.h.as(t, f.admin, postForm(f.path(fmt.Sprintf("/checkin/%d", invID)),
		url.Values{"attendance": {"present"}, "present_rep": {fmt.Sprint(repLi)}}))
	if want := f.path(fmt.Sprintf("/checkin#ngo-%d", invID)); res.status != http.StatusSeeOther || res.header.Get("Location") != want {
		t.Fatalf("check-in: %d %q, want %q", res.status, res.header.Get("Location"), want)
	}
	var att string
	var li, wang bool
	if err := f.h.db.Pool().QueryRow(t.Context(), `
		SELECT i.attendance, (SELECT attended FROM representatives WHERE id = $2), (SELECT attended FROM representatives WHERE id = $3)
		FROM invitations i WHERE i.id = $1`, invID, repLi, repWang).Scan(&att, &li, &wang); err != nil {
		t.Fatal(err)
	}
	if att != "present" || !li || wang {
		t.Errorf("after check-in: attendance %s, 李华 %v, 王芳 %v", att, li, wang)
	}
	var changes string
	if err := f.h.db.Pool().QueryRow(t.Context(), `SELECT changes::text FROM audit_log WHERE action = $1 AND object_id = $2`,
		portal.AuditAttendanceRecorded, invID).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	wantContains(t, changes, `"attendance": {"after": "present", "before": "unknown"}`, `"李华"`)
	res = f.h.as(t, f.admin, get(f.path("/checkin")))
	wantContains(t, res.body, "1 家组织中 1 家已到", "已登记为出席")
	// The same tap again changes nothing and writes no audit row.
	f.h.as(t, f.admin, postForm(f.path(fmt.Sprintf("/checkin/%d", invID)),
		url.Values{"attendance": {"present"}, "present_rep": {fmt.Sprint(repLi)}}))
	if n := auditCount(t, f.h, portal.AuditAttendanceRecorded, invID); n != 1 {
		t.Errorf("attendance.recorded rows = %d, want 1", n)
	}
}

func TestInvitationLateAndAll(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionDraft, invToday().AddDate(0, 1, 0), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	f.setStatus(t, portal.SessionScheduled)
	res := f.invite(t, url.Values{"scope": {"all"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("invite all: %d", res.status)
	}
	var total, late int
	var lateA bool
	if err := f.h.db.Pool().QueryRow(t.Context(), `
		SELECT count(*), count(*) FILTER (WHERE late), bool_or(late) FILTER (WHERE ngo_id = $2)
		FROM invitations WHERE session_id = $1`, f.session, f.ngoA).Scan(&total, &late, &lateA); err != nil {
		t.Fatal(err)
	}
	var active int
	if err := f.h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM ngos WHERE active`).Scan(&active); err != nil {
		t.Fatal(err)
	}
	if total != active || late != active-1 || lateA {
		t.Errorf("invitations %d (active NGOs %d), late %d, A late %v", total, active, late, lateA)
	}
	res = f.h.as(t, f.admin, get(f.path("/invitations")))
	wantContains(t, res.body, "补发", "所有在册组织均已邀请")

	t.Run("ErrChooseNGOs", func(t *testing.T) {
		res := f.invite(t, url.Values{"scope": {"chosen"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "请至少选择一家组织")
	})
	t.Run("ErrBadScope", func(t *testing.T) {
		if res := f.invite(t, url.Values{"scope": {"everyone"}}); res.status != http.StatusBadRequest {
			t.Errorf("status %d", res.status)
		}
	})
	t.Run("ErrInvitationsClosed", func(t *testing.T) {
		f.setStatus(t, portal.SessionHeld)
		defer f.setStatus(t, portal.SessionScheduled)
		before := invCount(t, f.h, `SELECT count(*) FROM invitations`)
		res := f.invite(t, url.Values{"scope": {"all"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "只有草稿或已排定的会议才能发出邀请")
		if after := invCount(t, f.h, `SELECT count(*) FROM invitations`); after != before {
			t.Errorf("invitations %d → %d", before, after)
		}
	})
	t.Run("ErrNotFoundUnknownSession", func(t *testing.T) {
		if res := f.h.as(t, f.admin, get(adminSessionPath(999999)+"/invitations")); res.status != http.StatusNotFound {
			t.Errorf("status %d", res.status)
		}
	})
}

func TestInvitationWithdrawAndReinvite(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 1, 0), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA), fmt.Sprint(f.ngoB)}})
	invA := f.invitationID(t, f.ngoA)

	res := f.h.as(t, f.admin, postForm(f.path(fmt.Sprintf("/invitations/%d/withdraw", invA)), url.Values{}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.status)
	}
	if n := auditCount(t, f.h, portal.AuditInvitationWithdrawn, invA); n != 1 {
		t.Errorf("withdrawn audit rows %d", n)
	}
	board := f.h.as(t, f.admin, get(f.path("/invitations")))
	withdrawn := board.body[strings.Index(board.body, "已撤回的邀请"):]
	wantContains(t, withdrawn, "上海市女医师协会")
	// Staff of A no longer see the session.
	if res := f.h.as(t, f.staffA, get(staffSessionPath(f.session))); res.status != http.StatusNotFound {
		t.Errorf("withdrawn invitation for staff: %d", res.status)
	}
	// "Invite all" leaves a deliberate withdrawal alone.
	f.invite(t, url.Values{"scope": {"all"}})
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE id = $1 AND withdrawn_at IS NOT NULL`, invA); n != 1 {
		t.Errorf("invite all re-invited a withdrawn NGO")
	}
	// Choosing it again reuses the row.
	res = f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("re-invite: %d", res.status)
	}
	if got := f.invitationID(t, f.ngoA); got != invA {
		t.Errorf("re-invite made row %d, want %d", got, invA)
	}
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND ngo_id = $2 AND withdrawn_at IS NULL`, f.session, f.ngoA); n != 1 {
		t.Errorf("current invitations of A: %d", n)
	}
	if res := f.h.as(t, f.staffA, get(staffSessionPath(f.session))); res.status != http.StatusOK {
		t.Errorf("re-invited staff: %d", res.status)
	}
	t.Run("ErrNotFoundOtherSession", func(t *testing.T) {
		other := invCreateSession(t, f.h, portal.SessionScheduled, invToday(), nil)
		res := f.h.as(t, f.admin, postForm(adminSessionPath(other)+fmt.Sprintf("/invitations/%d/withdraw", invA), url.Values{}))
		if res.status != http.StatusNotFound {
			t.Errorf("status %d", res.status)
		}
	})
}

func invCount(t *testing.T, h *harness, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := h.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
