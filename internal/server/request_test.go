package server

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
)

// requestHarness is a server over the demo data, the scheduled 2027 session
// (every demo NGO invited) and a signed-in admin.
type requestHarness struct {
	*harness
	admin     *http.Cookie
	sessionID int64
	chairID   int64
}

func newRequestHarness(t *testing.T) requestHarness {
	t.Helper()
	h := newHarness(t, nil)
	rh := requestHarness{harness: h, admin: asAdmin(t, h)}
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM sessions WHERE slug = '2027-municipal-leadership-session'`).Scan(&rh.sessionID); err != nil {
		t.Fatal(err)
	}
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM officials WHERE name_en = 'Xu Feng'`).Scan(&rh.chairID); err != nil {
		t.Fatal(err)
	}
	return rh
}

// zh is the Chinese text of a message key, as it appears in a page.
func (rh requestHarness) zh(key string, kv ...any) string {
	return html.EscapeString(rh.srv.cat.Translator(i18n.ZhCN).T(key, kv...))
}

// validRequest is a request form that passes validation.
func (rh requestHarness) validRequest(number string) url.Values {
	return url.Values{
		"number":       {number},
		"text_zh":      {"加强长三角女性人才交流合作。"},
		"text_en":      {"Strengthen exchange among women professionals in the Yangtze River Delta."},
		"made_by":      {strconv.FormatInt(rh.chairID, 10)},
		"addressed_to": {"all"},
	}
}

func (rh requestHarness) requestIDByNumber(t *testing.T, sessionID int64, number int) int64 {
	t.Helper()
	var id int64
	if err := rh.db.Pool().QueryRow(t.Context(), `SELECT id FROM session_requests WHERE session_id = $1 AND number = $2`, sessionID, number).Scan(&id); err != nil {
		t.Fatalf("request %d of session %d: %v", number, sessionID, err)
	}
	return id
}

func TestRequestCreate(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	list := adminRequestsPath(rh.sessionID)
	ngoA := ngoIDBySlug(t, rh.harness, "women-physicians")
	var outsider int64
	if err := rh.db.Pool().QueryRow(t.Context(), `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('outsider', '未受邀组织', 'Uninvited') RETURNING id`).Scan(&outsider); err != nil {
		t.Fatal(err)
	}

	t.Run("IndexSuggestsNumberOne", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(list))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, `name="number" value="1"`, rh.zh("request.list.empty"), rh.zh("request.form.new_title"), `value="`+fmt.Sprint(ngoA)+`"`)
		wantAbsent(t, res.body, `value="`+fmt.Sprint(outsider)+`"`)
	})

	tests := []struct {
		name    string
		change  func(url.Values)
		field   string // "" on success
		message string
	}{
		{"OK", func(url.Values) {}, "", ""},
		{"ErrNumberTaken", func(v url.Values) {}, "number", "request.error.number_taken"},
		{"ErrNumberRequired", func(v url.Values) { v.Set("number", "") }, "number", "request.error.number_required"},
		{"ErrNumberInvalid", func(v url.Values) { v.Set("number", "0") }, "number", "request.error.number_invalid"},
		{"ErrNumberNotWhole", func(v url.Values) { v.Set("number", "2.5") }, "number", "request.error.number_invalid"},
		{"ErrTextZHRequired", func(v url.Values) { v.Set("text_zh", "  ") }, "text_zh", "request.error.text_zh_required"},
		{"ErrTextTooLong", func(v url.Values) { v.Set("text_en", strings.Repeat("长", 2001)) }, "text_en", "request.error.text_too_long"},
		{"ErrMadeByRequired", func(v url.Values) { v.Del("made_by") }, "made_by", "request.error.made_by_required"},
		{"ErrMadeByInvalid", func(v url.Values) { v.Set("made_by", "999999") }, "made_by", "request.error.made_by_invalid"},
		{"ErrAddressedToRequired", func(v url.Values) { v.Del("addressed_to") }, "addressed_to", "request.error.addressed_to_required"},
		{"ErrRecipientsRequired", func(v url.Values) { v.Set("addressed_to", "named") }, "recipients", "request.error.recipients_required"},
		{"ErrRecipientsInvalid", func(v url.Values) {
			v.Set("number", "7")
			v.Set("addressed_to", "named")
			v["recipients"] = []string{fmt.Sprint(ngoA), fmt.Sprint(outsider)}
		}, "recipients", "request.error.recipients_invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := rh.validRequest("1")
			tt.change(form)
			res := rh.as(t, rh.admin, postForm(list, form))
			if tt.field == "" {
				if res.status != http.StatusSeeOther || res.header.Get("Location") != list {
					t.Fatalf("status %d → %q, want 303 to the list", res.status, res.header.Get("Location"))
				}
				return
			}
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			wantContains(t, res.body, rh.zh(tt.message), rh.zh("form.error_summary"), `id="f-`)
			if v := form.Get("text_zh"); v != "  " {
				wantContains(t, res.body, html.EscapeString(v)) // the typed values come back
			}
		})
	}

	var count int
	if err := rh.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM session_requests WHERE session_id = $1`, rh.sessionID).Scan(&count); err != nil || count != 1 {
		t.Fatalf("%d requests saved (%v), want only the OK one", count, err)
	}

	t.Run("ListShowsIt", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(list))
		wantContains(t, res.body, "加强长三角女性人才交流合作。", rh.zh("request.made_by", "Name", "徐枫", "Position", rh.zh("position.chairperson")),
			rh.zh("request.to_all"), `name="number" value="2"`, rh.zh("request.flash.created"))
	})

	t.Run("Audited", func(t *testing.T) {
		id := rh.requestIDByNumber(t, rh.sessionID, 1)
		var n int
		if err := rh.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE action = 'request.created' AND object_type = 'request' AND object_id = $1 AND changes ? 'text_zh'`, id).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d created audit rows (%v), want 1", n, err)
		}
	})
}

func TestRequestNamedRecipients(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	ngoA := ngoIDBySlug(t, rh.harness, "women-physicians")
	ngoB := ngoIDBySlug(t, rh.harness, "women-lawyers")
	form := rh.validRequest("1")
	form.Set("addressed_to", "named")
	form["recipients"] = []string{fmt.Sprint(ngoA)}
	if res := rh.as(t, rh.admin, postForm(adminRequestsPath(rh.sessionID), form)); res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d", res.status)
	}
	all := rh.validRequest("2")
	if res := rh.as(t, rh.admin, postForm(adminRequestsPath(rh.sessionID), all)); res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d", res.status)
	}
	tests := []struct {
		name string
		ngo  int64
		want int
	}{
		{"NamedSeesBoth", ngoA, 2},
		{"OtherSeesOnlyAll", ngoB, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rh.db.RequestsForNGO(t.Context(), rh.sessionID, tt.ngo)
			if err != nil || len(got) != tt.want {
				t.Errorf("%d requests (%v), want %d", len(got), err, tt.want)
			}
		})
	}
	res := rh.as(t, rh.admin, get(adminRequestsPath(rh.sessionID)))
	wantContains(t, res.body, "上海市女医师协会")
}

func TestRequestUpdate(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	list := adminRequestsPath(rh.sessionID)
	for _, n := range []string{"1", "2"} {
		if res := rh.as(t, rh.admin, postForm(list, rh.validRequest(n))); res.status != http.StatusSeeOther {
			t.Fatalf("create %s: status %d", n, res.status)
		}
	}
	id := rh.requestIDByNumber(t, rh.sessionID, 1)
	edit := func(version string, change func(url.Values)) response {
		form := rh.validRequest("1")
		form.Set("version", version)
		form.Set("text_zh", "修改后的要求。")
		change(form)
		return rh.as(t, rh.admin, postForm(adminRequestPath(rh.sessionID, id), form))
	}

	t.Run("EditForm", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(adminRequestEditPath(rh.sessionID, id)))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, `name="version" value="1"`, "加强长三角女性人才交流合作。")
	})
	t.Run("ErrNumberTaken", func(t *testing.T) {
		res := edit("1", func(v url.Values) { v.Set("number", "2") })
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.status)
		}
		wantContains(t, res.body, rh.zh("request.error.number_taken"), "修改后的要求。")
	})
	t.Run("OK", func(t *testing.T) {
		res := edit("1", func(url.Values) {})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != list {
			t.Fatalf("status %d → %q", res.status, res.header.Get("Location"))
		}
		var text string
		var version int
		if err := rh.db.Pool().QueryRow(t.Context(), `SELECT text_zh, version FROM session_requests WHERE id = $1`, id).Scan(&text, &version); err != nil || text != "修改后的要求。" || version != 2 {
			t.Errorf("saved %q version %d (%v)", text, version, err)
		}
		var changes string
		if err := rh.db.Pool().QueryRow(t.Context(), `SELECT changes::text FROM audit_log WHERE action = 'request.updated' AND object_id = $1`, id).Scan(&changes); err != nil {
			t.Fatalf("update audit row: %v", err)
		}
		wantContains(t, changes, `"text_zh"`)
		wantAbsent(t, changes, `"number"`, `"made_by"`)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		res := edit("1", func(v url.Values) { v.Set("text_en", "A stale edit.") })
		if res.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", res.status)
		}
		wantContains(t, res.body, rh.zh("form.conflict"), "A stale edit.", `name="version" value="2"`, "修改后的要求。")
	})
	t.Run("ErrBadVersion", func(t *testing.T) {
		if res := edit("x", func(url.Values) {}); res.status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", res.status)
		}
	})
}

func TestRequestDelete(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	list := adminRequestsPath(rh.sessionID)
	if res := rh.as(t, rh.admin, postForm(list, rh.validRequest("1"))); res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d", res.status)
	}
	id := rh.requestIDByNumber(t, rh.sessionID, 1)

	t.Run("ErrStaleVersion", func(t *testing.T) {
		res := rh.as(t, rh.admin, postForm(adminRequestDeletePath(rh.sessionID, id), url.Values{"version": {"7"}}))
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d", res.status)
		}
		rh.requestIDByNumber(t, rh.sessionID, 1) // still there
	})
	t.Run("OK", func(t *testing.T) {
		res := rh.as(t, rh.admin, postForm(adminRequestDeletePath(rh.sessionID, id), url.Values{"version": {"1"}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != list {
			t.Fatalf("status %d → %q", res.status, res.header.Get("Location"))
		}
		var left, audited int
		if err := rh.db.Pool().QueryRow(t.Context(), `
			SELECT (SELECT count(*) FROM session_requests WHERE id = $1),
			       (SELECT count(*) FROM audit_log WHERE action = 'request.deleted' AND object_id = $1)`, id).Scan(&left, &audited); err != nil {
			t.Fatal(err)
		}
		if left != 0 || audited != 1 {
			t.Errorf("%d rows left, %d delete audit rows; want 0 and 1", left, audited)
		}
	})
}

// TestRequestOtherSession: a request id under another session's path is
// not found, whatever the action.
// Deleting a request asks first: the confirmation page quotes it and
// changes nothing; a request NGOs' reports use cannot be deleted, and the
// page says how they use it.
func TestRequestDeleteConfirm(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	list := adminRequestsPath(rh.sessionID)
	if res := rh.as(t, rh.admin, postForm(list, rh.validRequest("1"))); res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d", res.status)
	}
	id := rh.requestIDByNumber(t, rh.sessionID, 1)
	confirm := adminRequestDeletePath(rh.sessionID, id)
	deleted := func(t *testing.T, requestID int64) (left, audited int) {
		t.Helper()
		if err := rh.db.Pool().QueryRow(t.Context(), `
			SELECT (SELECT count(*) FROM session_requests WHERE id = $1),
			       (SELECT count(*) FROM audit_log WHERE action = 'request.deleted' AND object_id = $1)`, requestID).Scan(&left, &audited); err != nil {
			t.Fatal(err)
		}
		return left, audited
	}

	t.Run("ListLinksToConfirmation", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(list))
		wantContains(t, res.body, `href="`+confirm+`"`, rh.zh("request.list.delete", "Number", 1))
		wantAbsent(t, res.body, `action="`+confirm+`"`)
	})
	t.Run("ConfirmChangesNothing", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(confirm))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, rh.zh("request.confirm.title", "Number", 1), "加强长三角女性人才交流合作。",
			html.EscapeString("Strengthen exchange among women professionals in the Yangtze River Delta."),
			rh.zh("request.confirm.body", "Number", 1), rh.zh("request.confirm.unused"),
			`action="`+confirm+`"`, `name="version" value="1"`, `href="`+list+`"`)
		en := rh.as(t, rh.admin, get(confirm, "Accept-Language", "en"))
		wantContains(t, en.body, "Delete request 1?", "Cancel and keep the request")
		if left, audited := deleted(t, id); left != 1 || audited != 0 {
			t.Errorf("after the confirmation: %d rows, %d delete audit rows; want 1 and 0", left, audited)
		}
	})
	t.Run("InUse", func(t *testing.T) {
		var other int64
		if err := rh.db.Pool().QueryRow(t.Context(), `
			UPDATE sessions SET status = 'held' WHERE slug = '2021-municipal-leadership-session' RETURNING id`).Scan(&other); err != nil {
			t.Fatal(err)
		}
		used := rh.requestIDByNumber(t, other, 1)
		var reports, answered, items int
		if err := rh.db.Pool().QueryRow(t.Context(), `
			SELECT (SELECT count(*) FROM report_request_answers WHERE request_id = $1),
			       (SELECT count(*) FROM report_request_answers WHERE request_id = $1 AND answer <> ''),
			       (SELECT count(*) FROM report_plan_item_requests WHERE request_id = $1)`, used).Scan(&reports, &answered, &items); err != nil {
			t.Fatal(err)
		}
		if reports+items == 0 {
			t.Fatal("the demo's 2021 request 1 is used by no report")
		}
		path := adminRequestDeletePath(other, used)
		res := rh.as(t, rh.admin, get(path))
		wantContains(t, res.body, rh.zh("request.confirm.in_use", "Reports", reports, "Answered", answered, "PlanItems", items),
			rh.zh("request.confirm.in_use_advice"))
		wantAbsent(t, res.body, `action="`+path+`"`)
		res = rh.as(t, rh.admin, postForm(path, url.Values{"version": {"1"}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != adminRequestsPath(other) {
			t.Fatalf("delete of a used request: status %d → %q", res.status, res.header.Get("Location"))
		}
		res = rh.as(t, rh.admin, get(adminRequestsPath(other)))
		wantContains(t, res.body, rh.zh("request.flash.delete_in_use"))
		if left, audited := deleted(t, used); left != 1 || audited != 0 {
			t.Errorf("a used request: %d rows, %d delete audit rows; want 1 and 0", left, audited)
		}
	})
	t.Run("OK", func(t *testing.T) {
		res := rh.as(t, rh.admin, postForm(confirm, url.Values{"version": {"1"}}))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != list {
			t.Fatalf("status %d → %q", res.status, res.header.Get("Location"))
		}
		if left, audited := deleted(t, id); left != 0 || audited != 1 {
			t.Errorf("%d rows left, %d delete audit rows; want 0 and 1", left, audited)
		}
	})
}

func TestRequestOtherSession(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	var other int64
	if err := rh.db.Pool().QueryRow(t.Context(), `SELECT id FROM sessions WHERE slug = '2021-municipal-leadership-session'`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	foreign := rh.requestIDByNumber(t, other, 1) // a seeded request of 2021
	// Open the 2021 session's requests to writes, so only the session
	// mismatch can refuse.
	if _, err := rh.db.Pool().Exec(t.Context(), `UPDATE sessions SET status = 'held' WHERE id = $1`, other); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  *http.Request
	}{
		{"Edit", get(adminRequestEditPath(rh.sessionID, foreign))},
		{"Update", postForm(adminRequestPath(rh.sessionID, foreign), func() url.Values {
			v := rh.validRequest("5")
			v.Set("version", "1")
			return v
		}())},
		{"Delete", postForm(adminRequestDeletePath(rh.sessionID, foreign), url.Values{"version": {"1"}})},
		{"DeleteConfirm", get(adminRequestDeletePath(rh.sessionID, foreign))},
		{"UnknownSession", get(adminRequestsPath(999999))},
		{"MalformedRequestID", get(adminRequestsPath(rh.sessionID) + "/01/edit")},
	}
	for _, tt := range tests {
		t.Run("ErrNotFound"+tt.name, func(t *testing.T) {
			if res := rh.as(t, rh.admin, tt.req); res.status != http.StatusNotFound {
				t.Errorf("status %d, want 404", res.status)
			}
		})
	}
	var n int
	if err := rh.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM session_requests WHERE id = $1 AND number = 1`, foreign).Scan(&n); err != nil || n != 1 {
		t.Errorf("the other session's request changed: %d, %v", n, err)
	}
}

// TestRequestReadOnly: once a session is closed its requests are shown
// but cannot be added, changed or deleted.
func TestRequestReadOnly(t *testing.T) {
	t.Parallel()
	rh := newRequestHarness(t)
	var closed int64
	if err := rh.db.Pool().QueryRow(t.Context(), `UPDATE sessions SET status = 'closed' WHERE slug = '2021-municipal-leadership-session' RETURNING id`).Scan(&closed); err != nil {
		t.Fatal(err)
	}
	id := rh.requestIDByNumber(t, closed, 1)

	t.Run("IndexReadOnly", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(adminRequestsPath(closed)))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, rh.zh("request.readonly.closed"), "拓宽上海女性发展的引领服务平台")
		wantAbsent(t, res.body, rh.zh("request.form.new_title"), adminRequestEditPath(closed, id))
	})
	t.Run("ErrCreateRefused", func(t *testing.T) {
		res := rh.as(t, rh.admin, postForm(adminRequestsPath(closed), rh.validRequest("3")))
		if res.status != http.StatusConflict {
			t.Errorf("status %d, want 409", res.status)
		}
		wantContains(t, res.body, rh.zh("request.readonly.closed"))
	})
	t.Run("ErrEditRefused", func(t *testing.T) {
		res := rh.as(t, rh.admin, get(adminRequestEditPath(closed, id)))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != adminRequestsPath(closed) {
			t.Errorf("status %d → %q, want 303 to the list", res.status, res.header.Get("Location"))
		}
	})
	t.Run("ErrUpdateRefused", func(t *testing.T) {
		form := rh.validRequest("1")
		form.Set("version", "1")
		res := rh.as(t, rh.admin, postForm(adminRequestPath(closed, id), form))
		if res.status != http.StatusSeeOther {
			t.Errorf("status %d, want 303", res.status)
		}
	})
	t.Run("ErrDeleteRefused", func(t *testing.T) {
		res := rh.as(t, rh.admin, postForm(adminRequestDeletePath(closed, id), url.Values{"version": {"1"}}))
		if res.status != http.StatusSeeOther {
			t.Errorf("status %d, want 303", res.status)
		}
	})
	var n, audits int
	if err := rh.db.Pool().QueryRow(t.Context(), `
		SELECT (SELECT count(*) FROM session_requests WHERE session_id = $1),
		       (SELECT count(*) FROM audit_log WHERE object_type = 'request')`, closed).Scan(&n, &audits); err != nil {
		t.Fatal(err)
	}
	if n != 2 || audits != 0 {
		t.Errorf("closed session: %d requests, %d request audit rows; want 2 and 0", n, audits)
	}
}
