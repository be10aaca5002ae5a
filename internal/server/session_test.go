package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

// sessionFormValues is a session form with two agenda rows that passes
// validation.
func sessionFormValues(op string) url.Values {
	return url.Values{
		"op": {op}, "title_zh": {"2030年度联席会议"}, "title_en": {"2030 Leadership Session"},
		"level": {"municipal"}, "held_on": {"2030-01-18"}, "starts_at": {"14:00"},
		"venue_zh": {"妇联三楼"}, "venue_en": {"3rd floor"},
		"deadline_date": {"2030-01-10"}, "deadline_time": {"17:00"},
		"agenda_rows":       {"2"},
		"agenda_0_title_zh": {"开幕"}, "agenda_0_title_en": {"Opening"}, "agenda_0_minutes": {"10"},
		"agenda_1_title_zh": {"交流"}, "agenda_1_title_en": {"Exchange"}, "agenda_1_minutes": {"60"},
	}
}

func sessionTestCount(t *testing.T, h *harness, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := h.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// createTestSession posts the form and returns the new session's id.
func createTestSession(t *testing.T, h *harness, c *http.Cookie) int64 {
	t.Helper()
	res := h.as(t, c, postForm(adminSessionsPath, sessionFormValues("save")))
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d\n%s", res.status, res.body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(res.header.Get("Location"), adminSessionsPath+"/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", res.header.Get("Location"))
	}
	return id
}

func TestSessionAgendaPostBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	before := sessionTestCount(t, h, `SELECT count(*) FROM sessions`)
	tests := []struct {
		name, op string
		want     []string
		absent   []string
	}{
		{"AddRow", "add-row", []string{`name="agenda_2_title_zh"`, `value="开幕"`, `value="交流"`}, nil},
		{"RemoveRow", "remove-row-1", []string{`name="agenda_0_title_zh" value="交流"`}, []string{`value="开幕"`}},
		{"MoveUp", "up-2", []string{`name="agenda_0_title_zh" value="交流"`, `name="agenda_1_title_zh" value="开幕"`}, nil},
		{"MoveDown", "down-1", []string{`name="agenda_0_title_zh" value="交流"`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, c, postForm(adminSessionsPath, sessionFormValues(tc.op)))
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			wantContains(t, res.body, tc.want...)
			wantContains(t, res.body, `value="2030年度联席会议"`)
			wantAbsent(t, res.body, tc.absent...)
		})
	}
	if after := sessionTestCount(t, h, `SELECT count(*) FROM sessions`); after != before {
		t.Errorf("post-backs saved: %d sessions, want %d", after, before)
	}
}

func TestSessionValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	tests := []struct {
		name, field, value, zh, en string
	}{
		{"ErrTitleZHRequired", "title_zh", "", "请填写中文标题", "Enter the title in Chinese"},
		{"ErrLevelInvalid", "level", "national", "请选择会议级别", "Choose a level"},
		{"ErrDateInvalid", "held_on", "2030-02-30", "请填写有效日期", "Enter a valid date"},
		{"ErrTimeInvalid", "starts_at", "25:00", "请填写有效时间", "Enter a valid time"},
		{"ErrDeadlineAfterSession", "deadline_date", "2030-01-19", "回复截止日期不能晚于会议日期", "The reply deadline must be on or before the session date"},
		{"ErrMinutesInvalid", "agenda_1_minutes", "601", "时长须为 1 到 600", "The duration must be a whole number"},
		{"ErrAgendaTitleRequired", "agenda_0_title_zh", "", "请填写议程标题", "Enter the item title in Chinese"},
		{"ErrCycleInvalid", "cycle", "999999", "请从列表中选择一个未被其他会议关联的报告周期", "Choose a reporting cycle"},
		{"ErrOfficialInvalid", "officials", "999999", "请只从名册中选择在任领导", "Choose officials from the roster only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, lang := range []string{"zh-CN", "en"} {
				f := sessionFormValues("save")
				f.Set(tc.field, tc.value)
				res := h.as(t, c, postForm(adminSessionsPath, f, "Accept-Language", lang))
				if res.status != http.StatusUnprocessableEntity {
					t.Fatalf("%s: status %d", lang, res.status)
				}
				want := tc.zh
				if lang == "en" {
					want = tc.en
				}
				wantContains(t, res.body, want, `class="error-summary"`, `value="2030 Leadership Session"`)
			}
		})
	}
	t.Run("ErrAgendaTooMany", func(t *testing.T) {
		f := sessionFormValues("save")
		f.Set("agenda_rows", "31")
		for i := 0; i < 31; i++ {
			f.Set(portal.AgendaField(i, "title_zh"), "议程")
		}
		res := h.as(t, c, postForm(adminSessionsPath, f))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "议程最多 30 项")
	})
}

func TestSessionLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	all := []portal.SessionStatus{portal.SessionDraft, portal.SessionScheduled, portal.SessionHeld, portal.SessionClosed, portal.SessionCancelled}
	for _, from := range all {
		for _, to := range all {
			name := "Refused"
			if portal.CanStep(from, to) {
				name = "OK"
			}
			t.Run(name+"_"+string(from)+"_to_"+string(to), func(t *testing.T) {
				id := createTestSession(t, h, c)
				if _, err := h.db.Pool().Exec(t.Context(), `UPDATE sessions SET status = $2 WHERE id = $1`, id, string(from)); err != nil {
					t.Fatal(err)
				}
				res := h.as(t, c, postForm(adminSessionStatusPath(id), url.Values{"to": {string(to)}, "reason": {"场地调整"}}))
				var got string
				_ = h.db.Pool().QueryRow(t.Context(), `SELECT status FROM sessions WHERE id = $1`, id).Scan(&got)
				audits := sessionTestCount(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditSessionStatus, id)
				if portal.CanStep(from, to) {
					if res.status != http.StatusSeeOther || got != string(to) || audits != 1 {
						t.Fatalf("status %d, now %s, audits %d", res.status, got, audits)
					}
					return
				}
				if res.status != http.StatusConflict || got != string(from) || audits != 0 {
					t.Fatalf("status %d, now %s, audits %d", res.status, got, audits)
				}
				wantContains(t, res.body, "会议当前的状态不允许这一步操作")
			})
		}
	}
	t.Run("ErrScheduleWithoutDeadline", func(t *testing.T) {
		f := sessionFormValues("save")
		f.Del("deadline_date")
		f.Del("deadline_time")
		res := h.as(t, c, postForm(adminSessionsPath, f))
		id, _ := strconv.ParseInt(strings.TrimPrefix(res.header.Get("Location"), adminSessionsPath+"/"), 10, 64)
		res = h.as(t, c, postForm(adminSessionStatusPath(id), url.Values{"to": {"scheduled"}}))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "排定会议前，请先编辑会议并填写回复截止日期")
	})
	t.Run("ErrCancelWithoutReason", func(t *testing.T) {
		id := createTestSession(t, h, c)
		res := h.as(t, c, postForm(adminSessionStatusPath(id), url.Values{"to": {"cancelled"}}))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
	})
}

func TestSessionEdit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	t.Run("OK", func(t *testing.T) {
		id := createTestSession(t, h, c)
		f := sessionFormValues("save")
		f.Set("version", "1")
		f.Set("title_en", "2030 Session, renamed")
		res := h.as(t, c, postForm(adminSessionPath(id), f))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2 AND changes ? 'title_en'`, portal.AuditSessionUpdated, id); n != 1 {
			t.Errorf("audit rows %d", n)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM agenda_items WHERE session_id = $1`, id); n != 2 {
			t.Errorf("agenda rows %d", n)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		id := createTestSession(t, h, c)
		f := sessionFormValues("save")
		f.Set("version", "1")
		h.as(t, c, postForm(adminSessionPath(id), f))
		f.Set("title_en", "Stale save")
		res := h.as(t, c, postForm(adminSessionPath(id), f))
		if res.status != http.StatusConflict {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, `value="Stale save"`)
	})
	t.Run("ErrHeldReadOnly", func(t *testing.T) {
		id := createTestSession(t, h, c)
		h.db.Pool().Exec(t.Context(), `UPDATE sessions SET status = 'held' WHERE id = $1`, id)
		f := sessionFormValues("save")
		f.Set("version", "1")
		res := h.as(t, c, postForm(adminSessionPath(id), f))
		if res.status != http.StatusConflict {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "会议已召开、已结束或已取消，不能再修改")
		if res := h.as(t, c, get(adminSessionEditPath(id))); res.status != http.StatusConflict {
			t.Errorf("edit page status %d", res.status)
		}
	})
}

func TestSessionCopyAndDelete(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	t.Run("CopyOK", func(t *testing.T) {
		id := createTestSession(t, h, c)
		var official int64
		h.db.Pool().QueryRow(t.Context(), `SELECT id FROM officials WHERE active LIMIT 1`).Scan(&official)
		h.db.Pool().Exec(t.Context(), `INSERT INTO session_officials VALUES ($1, $2)`, id, official)
		h.db.Pool().Exec(t.Context(), `INSERT INTO invitations (session_id, ngo_id, reply, decline_reason)
			SELECT $1, id, 'declined', '有事' FROM ngos WHERE active LIMIT 3`, id)
		res := h.as(t, c, postForm(adminSessionCopyPath(id), nil))
		if res.status != http.StatusSeeOther || !strings.HasSuffix(res.header.Get("Location"), "/edit") {
			t.Fatalf("status %d, location %q", res.status, res.header.Get("Location"))
		}
		var newID int64
		var title, held string
		h.db.Pool().QueryRow(t.Context(), `SELECT id, title_zh, held_on::text FROM sessions WHERE copied_from = $1`, id).Scan(&newID, &title, &held)
		if title != "2031年度联席会议" || held != "2031-01-18" {
			t.Errorf("copy: %q on %s", title, held)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM agenda_items WHERE session_id = $1`, newID); n != 2 {
			t.Errorf("agenda %d", n)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM session_officials WHERE session_id = $1`, newID); n != 1 {
			t.Errorf("officials %d", n)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM invitations WHERE session_id = $1 AND reply = 'none'`, newID); n != 3 {
			t.Errorf("invitations without reply %d", n)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditSessionCopied, newID); n != 1 {
			t.Errorf("audit %d", n)
		}
	})
	t.Run("ErrDeleteWithInvitations", func(t *testing.T) {
		id := createTestSession(t, h, c)
		h.db.Pool().Exec(t.Context(), `INSERT INTO invitations (session_id, ngo_id) SELECT $1, id FROM ngos LIMIT 1`, id)
		res := h.as(t, c, postForm(adminSessionDeletePath(id), nil))
		if res.status != http.StatusConflict {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "已发出邀请的会议不能删除，只能取消")
	})
	t.Run("DeleteOK", func(t *testing.T) {
		id := createTestSession(t, h, c)
		res := h.as(t, c, postForm(adminSessionDeletePath(id), nil))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM sessions WHERE id = $1`, id); n != 0 {
			t.Errorf("still there")
		}
	})
	t.Run("PagesOK", func(t *testing.T) {
		id := createTestSession(t, h, c)
		for _, p := range []string{adminSessionsPath, adminSessionPath(id), adminSessionEditPath(id), adminSessionNewPath, adminOfficialsPath, adminOfficialNewPath} {
			if res := h.as(t, c, get(p)); res.status != http.StatusOK {
				t.Errorf("%s: status %d", p, res.status)
			}
		}
	})
}

func TestOfficialForm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	valid := func() url.Values {
		return url.Values{"name_zh": {"李华"}, "name_en": {"Li Hua"}, "position": {"other"}, "term_start": {"2024-01-01"}, "active": {"on"}}
	}
	tests := []struct{ name, field, value, want string }{
		{"ErrNameZHRequired", "name_zh", "", "请填写中文姓名"},
		{"ErrPositionInvalid", "position", "king", "请选择职务"},
		{"ErrTermEndBeforeStart", "term_end", "2023-01-01", "任期结束日期不能早于开始日期"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			f.Set(tc.field, tc.value)
			res := h.as(t, c, postForm(adminOfficialsPath, f))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.status)
			}
			wantContains(t, res.body, tc.want)
		})
	}
	t.Run("OK", func(t *testing.T) {
		res := h.as(t, c, postForm(adminOfficialsPath, valid()))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		var id int64
		h.db.Pool().QueryRow(t.Context(), `SELECT id FROM officials WHERE name_en = 'Li Hua'`).Scan(&id)
		f := valid()
		f.Set("version", "1")
		f.Set("term_end", "2025-01-01")
		f.Del("active")
		if res := h.as(t, c, postForm(adminOfficialPath(id), f)); res.status != http.StatusSeeOther {
			t.Fatalf("update status %d", res.status)
		}
		if res := h.as(t, c, postForm(adminOfficialPath(id), f)); res.status != http.StatusConflict {
			t.Fatalf("stale update status %d", res.status)
		}
		if n := sessionTestCount(t, h, `SELECT count(*) FROM audit_log WHERE object_type = 'official' AND object_id = $1`, id); n != 2 {
			t.Errorf("audit rows %d", n)
		}
	})
}

// Copying a session for next year advances the years of its titles and
// its date, and the page after it says what was copied, in both languages.
func TestSessionCopySaysWhatItCopied(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	c := asAdmin(t, h)
	form := sessionFormValues("save")
	form.Set("title_zh", "2029年工作总结和2030年工作计划交流会")
	form.Set("title_en", "Review of 2029 and Plans for 2030")
	res := h.as(t, c, postForm(adminSessionsPath, form))
	wantStatusCode(t, res, http.StatusSeeOther)
	id, err := strconv.ParseInt(strings.TrimPrefix(res.header.Get("Location"), adminSessionsPath+"/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", res.header.Get("Location"))
	}
	srExec(t, h, `INSERT INTO session_officials (session_id, official_id) SELECT $1, id FROM officials WHERE active ORDER BY id LIMIT 2`, id)
	srExec(t, h, `INSERT INTO invitations (session_id, ngo_id) SELECT $1, id FROM ngos WHERE active ORDER BY id LIMIT 4`, id)
	// Since then one official has retired and one invited NGO has closed.
	srExec(t, h, `UPDATE officials SET active = false WHERE id = (SELECT max(official_id) FROM session_officials WHERE session_id = $1)`, id)
	srExec(t, h, `UPDATE ngos SET active = false WHERE id = (SELECT max(ngo_id) FROM invitations WHERE session_id = $1)`, id)

	for _, lang := range []string{"zh-CN", "en"} {
		res := h.as(t, c, postForm(adminSessionCopyPath(id), nil))
		wantStatusCode(t, res, http.StatusSeeOther)
		page := h.as(t, c, get(res.header.Get("Location"), "Accept-Language", lang))
		wantStatusCode(t, page, http.StatusOK)
		if lang == "zh-CN" {
			wantContains(t, page.body, "已复制：议程 2 项、出席官员 1 位、受邀组织 3 家；会议日期顺延一年，标题中的年份改为下一年。",
				"已卸任的 1 位官员未复制。", "已停用的 1 家组织未邀请。",
				`value="2030年工作总结和2031年工作计划交流会"`, `value="Review of 2030 and Plans for 2031"`, `value="2031-01-18"`)
		} else {
			wantContains(t, page.body, "Copied: agenda items 2, officials present 1, organisations invited 3; the session date moved a year later and the years in the titles advanced by one.",
				"Officials left out because they have retired: 1.", "Organisations not invited because they are no longer active: 1.")
		}
	}
	if n := sessionTestCount(t, h, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id IN (SELECT id FROM sessions WHERE copied_from = $2)`,
		portal.AuditSessionCopied, id); n != 2 {
		t.Errorf("%d copies audited, want 2", n)
	}
}
