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

func invToday() time.Time { return time.Now().In(portal.FederationZone) }

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

func TestStaffReplyValidation(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 1, 0), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	long := strings.Repeat("长", 51)
	cases := []struct {
		name string
		form url.Values
		want string // message shown; "" for success
	}{
		{"ErrReplyRequired", invReplyForm(1, ""), "请选择出席或不能出席"},
		{"ErrRepsRequired", invReplyForm(1, "confirmed"), "确认出席须至少填写一位代表"},
		{"ErrNameRequired", invReplyForm(1, "confirmed", [3]string{"", "秘书长", "13912345678"}), "请填写代表姓名"},
		{"ErrNameTooLong", invReplyForm(1, "confirmed", [3]string{long, "", "13912345678"}), "姓名不能超过 50 个字"},
		{"ErrTitleTooLong", invReplyForm(1, "confirmed", [3]string{"李华", long, "13912345678"}), "职务不能超过 50 个字"},
		{"ErrMobileRequired", invReplyForm(1, "confirmed", [3]string{"李华", "", ""}), "请填写代表的手机号"},
		{"ErrMobileInvalid", invReplyForm(1, "confirmed", [3]string{"李华", "", "12912345678"}), "请填写 11 位中国大陆手机号"},
		{"ErrMobileShort", invReplyForm(1, "confirmed", [3]string{"李华", "", "1391234567"}), "请填写 11 位中国大陆手机号"},
		{"ErrDuplicateMobile", invReplyForm(1, "confirmed", [3]string{"李华", "", "13912345678"}, [3]string{"王芳", "", "13912345678"}), "该手机号已在上面填写过"},
		{"ErrDuplicateName", invReplyForm(1, "confirmed", [3]string{"李华", "", "13912345678"}, [3]string{"李华", "", "13812345678"}), "同一代表不能重复填写"},
		{"ErrDeclineReasonRequired", invReplyForm(1, "declined"), "请填写不能出席的原因"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session), c.form))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.status)
			}
			wantContains(t, res.body, c.want, `class="error-summary"`)
			// Every typed value comes back.
			for _, k := range []string{"rep_name_1", "rep_mobile_1"} {
				if v := c.form.Get(k); v != "" {
					wantContains(t, res.body, `value="`+v+`"`)
				}
			}
		})
	}
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND reply <> 'none'`, f.session); n != 0 {
		t.Errorf("a refused reply was saved")
	}
	t.Run("OKThreeRepsEmptyRowIgnored", func(t *testing.T) {
		form := invReplyForm(1, "confirmed", [3]string{"李华", "", "139 1234 5678"}, [3]string{"", "", ""}, [3]string{"王芳", "副会长", "13812345678"})
		res := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session), form))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d %s", res.status, res.body)
		}
		if n := invCount(t, f.h, `SELECT count(*) FROM representatives r JOIN invitations i ON i.id = r.invitation_id
			WHERE i.session_id = $1 AND r.mobile IN ('13912345678', '13812345678')`, f.session); n != 2 {
			t.Errorf("representatives saved: %d", n)
		}
	})
	t.Run("OKDecline", func(t *testing.T) {
		res := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
			url.Values{"version": {"2"}, "reply": {"declined"}, "decline_reason": {"同日有培训"}}))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		if n := invCount(t, f.h, `SELECT count(*) FROM representatives r JOIN invitations i ON i.id = r.invitation_id WHERE i.session_id = $1`, f.session); n != 0 {
			t.Errorf("representatives left after declining: %d", n)
		}
		res = f.h.as(t, f.staffA, get(staffSessionPath(f.session)))
		wantContains(t, res.body, "不能出席", "同日有培训")
	})
	t.Run("ErrBadRequestNoVersion", func(t *testing.T) {
		res := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session), url.Values{"reply": {"declined"}, "decline_reason": {"x"}}))
		if res.status != http.StatusBadRequest {
			t.Errorf("status %d", res.status)
		}
	})
}

func TestStaffReplyAfterDeadline(t *testing.T) {
	t.Parallel()
	past := time.Now().Add(-time.Hour)
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 0, 7), &past)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	page := f.h.as(t, f.staffA, get(staffSessionPath(f.session)))
	wantContains(t, page.body, "答复已截止")
	wantAbsent(t, page.body, `name="rep_name_1"`)
	res := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"李华", "", "13912345678"})))
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.status)
	}
	wantContains(t, res.body, "答复截止时间已过")
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND reply = 'none' AND version = 1`, f.session); n != 1 {
		t.Errorf("the late reply changed the invitation")
	}
}

// TestStaffOtherNGO: staff of B can neither see nor answer A's invitation,
// and nothing changes.
func TestStaffOtherNGO(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 1, 0), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	if res := f.h.as(t, f.staffB, get(staffSessionPath(f.session))); res.status != http.StatusNotFound {
		t.Errorf("B sees A's session: %d", res.status)
	}
	res := f.h.as(t, f.staffB, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"冒名", "", "13912345678"})))
	if res.status != http.StatusNotFound {
		t.Errorf("B answers A's invitation: %d", res.status)
	}
	list := f.h.as(t, f.staffB, get("/ngo/sessions"))
	wantAbsent(t, list.body, "测试年度会议")
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND (reply <> 'none' OR version <> 1)`, f.session); n != 0 {
		t.Errorf("B's reply changed something")
	}
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND ngo_id = $2`, f.session, f.ngoB); n != 0 {
		t.Errorf("B's reply created an invitation")
	}
}

// TestStaffReplyConflict: two staff of one NGO load the form at version 1;
// the later save gets 409 with the current reply and its own input kept.
func TestStaffReplyConflict(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 1, 0), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	colleague := f.h.sessionCookie(t, createUser(t, f.h, portal.RoleStaff, f.ngoA, "inv-a2@example.org", "丙同事"))
	first := f.h.as(t, colleague, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"赵敏", "会长", "13700000001"})))
	if first.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", first.status)
	}
	second := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"钱伟", "", "13600000002"})))
	if second.status != http.StatusConflict {
		t.Fatalf("second save: %d", second.status)
	}
	wantContains(t, second.body, "丙同事 已提交以下答复", "赵敏", `value="钱伟"`, `value="13600000002"`, `name="version" value="2"`)
	if n := invCount(t, f.h, `SELECT count(*) FROM representatives WHERE name = '钱伟'`); n != 0 {
		t.Errorf("the later save overwrote the reply")
	}
}
