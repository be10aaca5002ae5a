package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"ngoportal/internal/portal"
)

var uaAuditRowEN = regexp.MustCompile(`<tr><td data-label="Time">`)

// uaSeedAudit writes 60 audit rows at known instants: from 2021-01-18
// 23:30 Shanghai time, one every 10 minutes; even rows by the admin about
// ngoA, odd ones by ngo02@example.org about ngoB; every third a failed
// sign-in, the others account changes.
func uaSeedAudit(t *testing.T, h *harness, ngoA, ngoB int64) {
	t.Helper()
	start := time.Date(2021, 1, 18, 23, 30, 0, 0, portal.FederationZone)
	for i := range 60 {
		actor, ngoID, action := "admin@example.org", ngoA, portal.AuditUserUpdated
		if i%2 == 1 {
			actor, ngoID = "ngo02@example.org", ngoB
		}
		if i%3 == 0 {
			action = portal.AuditSignInFailed
		}
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO audit_log (at, actor_email, action, object_type, object_id, ngo_id, client_addr, changes)
			VALUES ($1, $2, $3, 'user', $4, $5, '203.0.113.9',
			        '{"name": {"before": "甲", "after": "乙"}, "status": {"before": "active", "after": "disabled"}}')`,
			start.Add(time.Duration(i)*10*time.Minute), actor, action, 1000+i, ngoID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditIndex(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, admin := uaAdmin(t, h) // writes one sign-in row, now
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	ngoB := ngoIDBySlug(t, h, "women-lawyers")
	uaSeedAudit(t, h, ngoA, ngoB)
	a := strconv.FormatInt(ngoA, 10)

	cases := []struct {
		name  string
		query url.Values
		total int
	}{
		{"All", nil, 61},
		{"ActorPartAnyCase", url.Values{"actor": {"NGO02"}}, 30},
		{"NGO", url.Values{"ngo": {a}}, 30},
		{"Action", url.Values{"action": {portal.AuditSignInFailed}}, 20},
		{"UnknownActionIgnored", url.Values{"action": {"user.deleted"}}, 61},
		// Rows 0..2 fall on 18 January Shanghai time (15:30..15:50 UTC);
		// the dates are the federation's calendar days.
		{"OneDayInclusive", url.Values{"from": {"2021-01-19"}, "to": {"2021-01-19"}}, 57},
		{"UntilDay", url.Values{"to": {"2021-01-18"}}, 3},
		{"FromDay", url.Values{"from": {"2021-01-19"}}, 58},
		{"Combined", url.Values{"actor": {"admin@"}, "action": {portal.AuditSignInFailed}, "from": {"2021-01-19"}}, 9},
		{"InjectionIsText", url.Values{"actor": {"' OR ''='"}}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, admin, get("/admin/audit?"+tc.query.Encode(), "Accept-Language", "en"))
			uaWantStatus(t, res, http.StatusOK)
			if rows := len(uaAuditRowEN.FindAllString(res.body, -1)); rows != min(50, tc.total) {
				t.Errorf("%d rows, want %d", rows, min(50, tc.total))
			}
			if tc.total > 50 {
				wantContains(t, res.body, fmt.Sprintf("Page 1 of 2 (%d in all)", tc.total))
			} else if tc.total > 0 {
				wantContains(t, res.body, fmt.Sprintf("%d in all", tc.total))
			} else {
				wantContains(t, res.body, "No entry matches.")
			}
		})
	}

	t.Run("OKSecondPageKeepsFilters", func(t *testing.T) {
		first := h.as(t, admin, get("/admin/audit?from=2021-01-19", "Accept-Language", "en"))
		wantContains(t, first.body, `href="/admin/audit?from=2021-01-19&amp;page=2" rel="next"`, `value="2021-01-19"`)
		second := h.as(t, admin, get("/admin/audit?from=2021-01-19&page=2", "Accept-Language", "en"))
		if rows := len(uaAuditRowEN.FindAllString(second.body, -1)); rows != 8 {
			t.Errorf("page 2: %d rows, want 8", rows)
		}
	})

	t.Run("OKEntryShown", func(t *testing.T) {
		res := h.as(t, admin, get("/admin/audit?to=2021-01-18&action=user.updated", "Accept-Language", "en"))
		uaWantStatus(t, res, http.StatusOK)
		// Row 1 (23:40 Shanghai time) is the only account change on the 18th.
		wantContains(t, res.body,
			`<time datetime="2021-01-18T23:40:00+08:00">18 January 2021 23:40</time>`,
			"ngo02@example.org", "Changed an account", `<a href="/admin/users/1001">User #1001</a>`,
			"Shanghai Women Lawyers Fellowship", "203.0.113.9",
			"<li>Name: changed from 甲 to 乙</li>", "<li>Status: changed from Active to Disabled</li>",
			`<option value="user.updated" selected>Changed an account</option>`)
		zh := h.as(t, admin, get("/admin/audit?to=2021-01-18&action=user.updated"))
		wantContains(t, zh.body, "2021年1月18日 23:40", "修改账号", "上海市女律师联谊会", "<li>姓名：由甲改为乙</li>", "<li>状态：由正常改为已停用</li>")
	})

	dateErrors := []struct {
		name    string
		query   string
		message string
	}{
		{"ErrFromMalformed", "from=2021-13-01", "Enter the date as year-month-day"},
		{"ErrToMalformed", "to=yesterday", "Enter the date as year-month-day"},
		{"ErrFromYearLast", "from=19/01/2021", "Enter the date as year-month-day"},
		{"ErrToBeforeFrom", "from=2021-02-01&to=2021-01-01", "The end date cannot be before the start date."},
	}
	for _, tc := range dateErrors {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, admin, get("/admin/audit?"+tc.query, "Accept-Language", "en"))
			uaWantStatus(t, res, http.StatusUnprocessableEntity)
			wantContains(t, res.body, tc.message, `class="error-summary"`, `aria-invalid="true"`)
			wantAbsent(t, res.body, "<table", "parsing time")
		})
	}
}
