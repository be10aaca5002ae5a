package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

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
