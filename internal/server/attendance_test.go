package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

// heldFixture is a held session with three NGOs: A present with one of two
// representatives, B excused with a reason that looks like a formula, C
// with no record.
func heldFixture(t *testing.T) (invFixture, int64) {
	t.Helper()
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 1, 0), nil)
	ngoC := ngoIDBySlug(t, f.h, "women-artists")
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA), fmt.Sprint(f.ngoB), fmt.Sprint(ngoC)}})
	res := f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"@李华", "秘书长", "13912345678"}, [3]string{"王芳", "", "13812345678"})))
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply: %d", res.status)
	}
	f.setStatus(t, portal.SessionHeld)
	invA, invB := f.invitationID(t, f.ngoA), f.invitationID(t, f.ngoB)
	var rep int64
	if err := f.h.db.Pool().QueryRow(t.Context(), `SELECT id FROM representatives WHERE invitation_id = $1 AND position = 1`, invA).Scan(&rep); err != nil {
		t.Fatal(err)
	}
	for inv, form := range map[int64]url.Values{
		invA: {"attendance": {"present"}, "present_rep": {fmt.Sprint(rep)}},
		invB: {"attendance": {"excused"}, "excuse_reason": {"=HYPERLINK(\"http://x\")"}},
	} {
		if res := f.h.as(t, f.admin, postForm(f.path(fmt.Sprintf("/checkin/%d", inv)), form)); res.status != http.StatusSeeOther {
			t.Fatalf("check-in %d: %d %s", inv, res.status, res.body)
		}
	}
	return f, ngoC
}

func TestAttendanceCSV(t *testing.T) {
	t.Parallel()
	f, _ := heldFixture(t)
	res := f.h.as(t, f.admin, get(f.path("/attendance.csv"), "Accept-Language", "en"))
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	cd := res.header.Get("Content-Disposition")
	wantContains(t, cd, "attachment; ", fmt.Sprintf(`filename="attendance-session-%d.csv"`, f.session), "filename*=UTF-8''Attendance%20-%20Test%20Annual%20Session.csv")
	body, ok := strings.CutPrefix(res.body, "\uFEFF")
	if !ok {
		t.Fatal("no BOM")
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// By Chinese name (pinyin): 女律师 lǜshī, 女医师 yīshī, 女艺术家 yìshùjiā;
	// registration order puts the physicians first.
	want := [][]string{
		{"NGO name (Chinese)", "NGO name (English)", "Reply", "Representatives named", "Attendance", "Representatives present", "Excuse"},
		{"上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "No reply", "", "Excused", "", `'=HYPERLINK("http://x")`},
		{"上海市女医师协会", "Shanghai Women Physicians Association", "Confirmed", "'@李华 (秘书长); 王芳", "Present", "'@李华", ""},
	}
	if len(recs) != 4 {
		t.Fatalf("%d records: %q", len(recs), recs)
	}
	for i, w := range want {
		if strings.Join(recs[i], "|") != strings.Join(w, "|") {
			t.Errorf("row %d = %q\n want %q", i, recs[i], w)
		}
	}
	if recs[3][4] != "Not recorded" {
		t.Errorf("row 3 attendance %q", recs[3][4])
	}
	if n := invCount(t, f.h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditAttendanceExported, f.session); n != 1 {
		t.Errorf("export audit rows %d", n)
	}
	t.Run("ChineseHeader", func(t *testing.T) {
		res := f.h.as(t, f.admin, get(f.path("/attendance.csv")))
		wantContains(t, res.body, "\uFEFF组织名称（中文）,组织名称（英文）,答复,指派代表,出席情况,到场代表,请假原因")
	})
}

func TestAttendanceReviewAndHistory(t *testing.T) {
	t.Parallel()
	f, _ := heldFixture(t)
	res := f.h.as(t, f.admin, get(f.path("/attendance")))
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	// 1 of 3 present: 33 %; came: A; did not: B (excused, reason) and C.
	wantContains(t, res.body, "1 / 3 出席", "出席率 33%", "出席的组织（1）", "未出席的组织（2）",
		"=HYPERLINK(&#34;http://x&#34;)", "上海市女艺术家联谊会")
	board := f.h.as(t, f.admin, get(f.path("/invitations")))
	wantContains(t, board.body, "出席率 33%", "请假")
	wantAbsent(t, board.body, "撤回邀请") // held: no more withdrawing

	hist := f.h.as(t, f.admin, get(adminNGOAttendancePath(f.ngoA)))
	if hist.status != http.StatusOK {
		t.Fatalf("history: %d", hist.status)
	}
	wantContains(t, hist.body, "测试年度会议", "确认出席", "出席")
	if res := f.h.as(t, f.admin, get(adminNGOAttendancePath(999999))); res.status != http.StatusNotFound {
		t.Errorf("unknown NGO: %d", res.status)
	}
}

func TestCheckinRules(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday().AddDate(0, 0, 3), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	inv := f.invitationID(t, f.ngoA)
	tap := func(form url.Values) response {
		return f.h.as(t, f.admin, postForm(f.path(fmt.Sprintf("/checkin/%d", inv)), form))
	}
	t.Run("ErrNotTheDay", func(t *testing.T) {
		res := tap(url.Values{"attendance": {"present"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "会议当天（已排定）或会议举行后才能登记出席")
	})
	f.setStatus(t, portal.SessionHeld)
	t.Run("ErrExcuseReasonRequired", func(t *testing.T) {
		res := tap(url.Values{"attendance": {"excused"}, "excuse_reason": {"  "}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "请假须填写原因", fmt.Sprintf(`href="#f-excuse_reason-%d"`, inv))
	})
	t.Run("ErrBadAttendance", func(t *testing.T) {
		if res := tap(url.Values{"attendance": {"maybe"}}); res.status != http.StatusBadRequest {
			t.Errorf("status %d", res.status)
		}
	})
	if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE id = $1 AND attendance = 'unknown'`, inv); n != 1 {
		t.Errorf("a refused tap changed attendance")
	}
	t.Run("OKExcused", func(t *testing.T) {
		if res := tap(url.Values{"attendance": {"excused"}, "excuse_reason": {"出差"}}); res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE id = $1 AND attendance = 'excused' AND excuse_reason = '出差'`, inv); n != 1 {
			t.Errorf("excuse not saved")
		}
	})
	t.Run("ErrClosedSession", func(t *testing.T) {
		f.setStatus(t, portal.SessionClosed)
		if res := tap(url.Values{"attendance": {"present"}}); res.status != http.StatusUnprocessableEntity {
			t.Errorf("status %d", res.status)
		}
	})
}

// The invitation board and the check-in page list NGOs by Chinese name
// (pinyin: 女律师 lǜshī, 女医师 yīshī, 女艺术家 yìshùjiā) and, for an
// English reader, by English name alphabetically (Artists, Lawyers,
// Physicians). The check-in page does so within each reply: the
// physicians, who confirmed, come before the two that never replied.
func TestInvitationBoardsNameOrder(t *testing.T) {
	t.Parallel()
	f, _ := heldFixture(t)
	for _, tc := range []struct {
		name, lang, page string
		want             []string
	}{
		{"OKChineseByPinyin", "zh-CN", "/invitations", []string{"上海市女律师联谊会", "上海市女医师协会", "上海市女艺术家联谊会"}},
		{"OKEnglishAlphabetically", "en", "/invitations", []string{"Shanghai Women Artists Fellowship", "Shanghai Women Lawyers Fellowship", "Shanghai Women Physicians Association"}},
		{"OKChineseByPinyin", "zh-CN", "/checkin", []string{"已确认出席（1）", "上海市女医师协会", "尚未答复（2）", "上海市女律师联谊会", "上海市女艺术家联谊会"}},
		{"OKEnglishAlphabetically", "en", "/checkin", []string{"Accepted (1)", "Shanghai Women Physicians Association", "No reply yet (2)", "Shanghai Women Artists Fellowship", "Shanghai Women Lawyers Fellowship"}},
	} {
		t.Run(tc.name+tc.page, func(t *testing.T) {
			res := f.h.as(t, f.admin, get(f.path(tc.page), "Accept-Language", tc.lang))
			wantStatus(t, res, http.StatusOK)
			main := res.body[strings.Index(res.body, "<main"):]
			at := -1
			for _, name := range tc.want {
				i := strings.Index(main, name)
				if i < 0 || i < at {
					t.Fatalf("%s at %d, after the previous name at %d; want the order %q", name, i, at, tc.want)
				}
				at = i
			}
		})
	}
}

// When check-in is not open, the page says why in the reader's language and
// shows no control at all; on the day it shows the segmented controls.
func TestCheckinClosedSaysWhy(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday(), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA)}})
	before, after := invToday().AddDate(0, 0, 3), invToday().AddDate(0, 0, -2)
	zhDate := func(d time.Time) string { return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day()) }
	review := fmt.Sprintf(`href="%s"`, adminAttendancePath(f.session))
	cases := []struct {
		name       string
		status     portal.SessionStatus
		heldOn     time.Time
		lang       string
		want       string
		open       bool
		wantReview bool
	}{
		{"OKOpenOnTheDay", portal.SessionScheduled, invToday(), "zh-CN", "上海市女医师协会", true, false},
		{"BeforeTheDay", portal.SessionScheduled, before, "zh-CN", "签到将于" + zhDate(before) + "会议当天开放。", false, false},
		{"BeforeTheDayEnglish", portal.SessionScheduled, before, "en",
			"Check-in opens on the day of the session, " + before.Format("2 January 2006") + ".", false, false},
		{"DayPassed", portal.SessionScheduled, after, "zh-CN", "会议日（" + zhDate(after) + "）已过，签到已关闭。", false, true},
		{"Closed", portal.SessionClosed, after, "en", "The session is closed: its attendance is final and check-in is over.", false, true},
		{"Cancelled", portal.SessionCancelled, invToday(), "zh-CN", "会议尚未排定或已取消，没有签到。", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := f.h.db.Pool().Exec(t.Context(), `UPDATE sessions SET status = $2, held_on = $3 WHERE id = $1`,
				f.session, tc.status, tc.heldOn.Format(time.DateOnly)); err != nil {
				t.Fatal(err)
			}
			res := f.h.as(t, f.admin, get(f.path("/checkin"), "Accept-Language", tc.lang))
			wantStatus(t, res, http.StatusOK)
			main := res.body[strings.Index(res.body, "<main"):]
			wantContains(t, main, tc.want)
			controls := []string{`name="attendance"`, `name="walkin_name"`, "<form", "<button"}
			if tc.open {
				wantContains(t, main, controls...)
			} else {
				wantAbsent(t, main, controls...)
			}
			if got := strings.Contains(main, review); got != tc.wantReview {
				t.Errorf("link to the attendance review shown: %v, want %v", got, tc.wantReview)
			}
		})
	}
}

// The check-in page groups the NGOs by reply, in words: accepted, no reply
// yet, declined with the reason.
func TestCheckinGroupsByReply(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday(), nil)
	ngoC := ngoIDBySlug(t, f.h, "women-artists")
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA), fmt.Sprint(f.ngoB), fmt.Sprint(ngoC)}})
	wantStatus(t, f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"李华", "秘书长", "13912345678"}))), http.StatusSeeOther)
	wantStatus(t, f.h.as(t, f.staffB, postForm(staffSessionReplyPath(f.session),
		url.Values{"version": {"1"}, "reply": {"declined"}, "decline_reason": {"同日举办公益讲座"}})), http.StatusSeeOther)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"zh-CN", []string{"已确认出席（1）", "上海市女医师协会", "尚未答复（1）", "上海市女艺术家联谊会",
			"已婉拒（1）", "上海市女律师联谊会", "婉拒原因：同日举办公益讲座"}},
		{"en", []string{"Accepted (1)", "Shanghai Women Physicians Association", "No reply yet (1)", "Shanghai Women Artists Fellowship",
			"Declined (1)", "Shanghai Women Lawyers Fellowship", "Reason for declining: 同日举办公益讲座"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			res := f.h.as(t, f.admin, get(f.path("/checkin"), "Accept-Language", tc.lang))
			wantStatus(t, res, http.StatusOK)
			main := res.body[strings.Index(res.body, "<main"):]
			at := -1
			for _, s := range tc.want {
				i := strings.Index(main, s)
				if i < 0 || i < at {
					t.Fatalf("%q at %d, after the previous text at %d; want the order %q", s, i, at, tc.want)
				}
				at = i
			}
		})
	}
}

// A walk-in is recorded on the day for an NGO, marks it present, is audited
// and shown as a walk-in on the check-in page, the review and the CSV; bad
// input comes back with 422 and the values kept.
func TestCheckinWalkIn(t *testing.T) {
	t.Parallel()
	f := newInvFixture(t, portal.SessionScheduled, invToday(), nil)
	f.invite(t, url.Values{"scope": {"chosen"}, "ngo": {fmt.Sprint(f.ngoA), fmt.Sprint(f.ngoB)}})
	wantStatus(t, f.h.as(t, f.staffA, postForm(staffSessionReplyPath(f.session),
		invReplyForm(1, "confirmed", [3]string{"李华", "秘书长", "13912345678"}))), http.StatusSeeOther)
	invA, invB := f.invitationID(t, f.ngoA), f.invitationID(t, f.ngoB)
	version := func(inv int64) int {
		return invCount(t, f.h, `SELECT version FROM invitations WHERE id = $1`, inv)
	}
	walkIn := func(inv int64, name, title, mobile string) url.Values {
		return url.Values{"version": {fmt.Sprint(version(inv))}, "walkin_name": {name}, "walkin_title": {title}, "walkin_mobile": {mobile}}
	}
	post := func(inv int64, form url.Values) response {
		return f.h.as(t, f.admin, postForm(f.path(fmt.Sprintf("/checkin/%d/walk-ins", inv)), form))
	}
	walkIns := func() int {
		return invCount(t, f.h, `SELECT count(*) FROM representatives r JOIN invitations i ON i.id = r.invitation_id
			WHERE i.session_id = $1 AND r.walk_in`, f.session)
	}
	for _, tc := range []struct {
		name         string
		inv          int64
		form         url.Values
		status       int
		want         []string
		detailsOpen  bool
		wantErrorRef string
	}{
		{"ErrNameRequired", invB, walkIn(invB, " ", "顾问", ""), http.StatusUnprocessableEntity,
			[]string{"请填写代表姓名。", `value="顾问"`}, true, "walkin_name"},
		{"ErrNameTooLong", invB, walkIn(invB, strings.Repeat("张", 51), "", ""), http.StatusUnprocessableEntity,
			[]string{"姓名不能超过 50 个字。"}, true, "walkin_name"},
		{"ErrMobileInvalid", invB, walkIn(invB, "张敏", "", "12345"), http.StatusUnprocessableEntity,
			[]string{"请填写 11 位中国大陆手机号", `value="张敏"`, `value="12345"`}, true, "walkin_mobile"},
		{"ErrAlreadyNamed", invA, walkIn(invA, "李华", "", ""), http.StatusUnprocessableEntity,
			[]string{"此人已在该组织的代表名单中"}, true, "walkin_name"},
		{"ErrMobileOfANamedOne", invA, walkIn(invA, "赵静", "", "139 1234 5678"), http.StatusUnprocessableEntity,
			[]string{"该手机号已属于名单中的一位代表。"}, true, "walkin_mobile"},
		{"ErrStaleVersion", invB, url.Values{"version": {"99"}, "walkin_name": {"张敏"}}, http.StatusConflict,
			[]string{"该组织的签到信息刚被他人更新", `value="张敏"`, fmt.Sprintf(`name="version" value="%d"`, version(invB))}, true, "walkin_name"},
		{"ErrNoVersion", invB, url.Values{"walkin_name": {"张敏"}}, http.StatusBadRequest, nil, false, ""},
		{"ErrBadVersion", invB, url.Values{"version": {"x"}, "walkin_name": {"张敏"}}, http.StatusBadRequest, nil, false, ""},
		{"ErrUnknownInvitation", 999999, walkIn(invB, "张敏", "", ""), http.StatusNotFound, nil, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := post(tc.inv, tc.form)
			wantStatus(t, res, tc.status)
			wantContains(t, res.body, tc.want...)
			if tc.detailsOpen {
				wantContains(t, res.body, `<details class="checkin-details" open>`)
			}
			if tc.wantErrorRef != "" {
				wantContains(t, res.body, fmt.Sprintf(`href="#f-%s-%d"`, tc.wantErrorRef, tc.inv))
			}
		})
	}
	t.Run("ErrOtherSession", func(t *testing.T) {
		other := invCreateSession(t, f.h, portal.SessionScheduled, invToday(), nil)
		res := f.h.as(t, f.admin, postForm(adminCheckinWalkInPath(other, invB), walkIn(invB, "张敏", "", "")))
		wantStatus(t, res, http.StatusNotFound)
	})
	if n := walkIns(); n != 0 {
		t.Fatalf("refused walk-ins wrote %d rows", n)
	}

	t.Run("OKRecordedAndPresent", func(t *testing.T) {
		before := version(invB)
		res := post(invB, walkIn(invB, "张敏", "", ""))
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != fmt.Sprintf("%s#ngo-%d", adminCheckinPath(f.session), invB) {
			t.Errorf("Location %q", loc)
		}
		if n := invCount(t, f.h, `SELECT count(*) FROM representatives
			WHERE invitation_id = $1 AND walk_in AND attended AND name = '张敏' AND mobile = '' AND position = 4`, invB); n != 1 {
			t.Errorf("walk-in rows %d", n)
		}
		if n := invCount(t, f.h, `SELECT count(*) FROM invitations WHERE id = $1 AND attendance = 'present' AND version = $2`, invB, before+1); n != 1 {
			t.Errorf("the NGO is not present at version %d", before+1)
		}
		if n := invCount(t, f.h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2
			AND changes->'walk_ins'->'after' = '["张敏"]' AND changes->'attendance'->>'after' = 'present'`,
			portal.AuditAttendanceRecorded, invB); n != 1 {
			t.Errorf("audit rows %d", n)
		}
		page := f.h.as(t, f.admin, get(f.path("/checkin")))
		wantContains(t, page.body, "2 家组织中 1 家已到", "张敏", "临时到场")
		audit := f.h.as(t, f.admin, get("/admin/audit"))
		wantContains(t, audit.body, "临时到场代表", "张敏")
	})
	t.Run("OKKeptWhenTheNGORepliesLater", func(t *testing.T) {
		wantStatus(t, f.h.as(t, f.staffB, postForm(staffSessionReplyPath(f.session),
			invReplyForm(version(invB), "confirmed", [3]string{"陈雪", "", "13712345678"}))), http.StatusSeeOther)
		if n := invCount(t, f.h, `SELECT count(*) FROM representatives WHERE invitation_id = $1 AND walk_in AND name = '张敏'`, invB); n != 1 {
			t.Errorf("the reply removed the walk-in")
		}
	})
	t.Run("ErrLimit", func(t *testing.T) {
		for _, name := range []string{"周丽", "吴娟"} {
			wantStatus(t, post(invB, walkIn(invB, name, "", "")), http.StatusSeeOther)
		}
		res := post(invB, walkIn(invB, "郑红", "", ""))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "每家组织最多登记 3 位临时到场代表。")
		if n := walkIns(); n != 3 {
			t.Errorf("walk-ins %d, want 3", n)
		}
	})
	t.Run("OKShownInReviewAndCSV", func(t *testing.T) {
		review := f.h.as(t, f.admin, get(f.path("/attendance")))
		wantContains(t, review.body, "张敏（临时到场）")
		csv := f.h.as(t, f.admin, get(f.path("/attendance.csv"), "Accept-Language", "en"))
		wantContains(t, csv.body, "陈雪; 张敏 (walk-in); 周丽 (walk-in); 吴娟 (walk-in)")
	})
	t.Run("ErrNotTheDay", func(t *testing.T) {
		if _, err := f.h.db.Pool().Exec(t.Context(), `UPDATE sessions SET held_on = held_on + 1 WHERE id = $1`, f.session); err != nil {
			t.Fatal(err)
		}
		res := post(invA, walkIn(invA, "赵静", "", ""))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res.body, "会议当天（已排定）或会议举行后才能登记出席")
		wantAbsent(t, res.body, `name="walkin_name"`)
	})
}
