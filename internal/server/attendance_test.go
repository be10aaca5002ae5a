package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

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
// Physicians).
func TestInvitationBoardsNameOrder(t *testing.T) {
	t.Parallel()
	f, _ := heldFixture(t)
	for _, tc := range []struct {
		name, lang string
		want       []string
	}{
		{"OKChineseByPinyin", "zh-CN", []string{"上海市女律师联谊会", "上海市女医师协会", "上海市女艺术家联谊会"}},
		{"OKEnglishAlphabetically", "en", []string{"Shanghai Women Artists Fellowship", "Shanghai Women Lawyers Fellowship", "Shanghai Women Physicians Association"}},
	} {
		for _, page := range []string{"/invitations", "/checkin"} {
			t.Run(tc.name+page, func(t *testing.T) {
				res := f.h.as(t, f.admin, get(f.path(page), "Accept-Language", tc.lang))
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
}
