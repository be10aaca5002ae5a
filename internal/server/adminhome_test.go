package server

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

// The admin home's figures against counts made by hand from the demo data
// and the changes below, and its latest entries.
func TestAdminHome(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, admin := uaAdmin(t, h)
	ngoID := ngoIDBySlug(t, h, "women-physicians")
	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE ngos SET active = false WHERE slug IN ('women-lawyers', 'women-artists')`); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		form := url.Values{"email": {fmt.Sprintf("home%d@example.org", i)}, "name": {"新人"}, "role": {"staff"}, "ngo": {strconv.FormatInt(ngoID, 10)}}
		uaWantStatus(t, h.as(t, admin, postForm("/admin/users", form)), http.StatusSeeOther)
	}
	for _, email := range []string{"ngo05@example.org", "ngo06@example.org"} {
		var id int64
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT id FROM users WHERE email = $1`, email).Scan(&id); err != nil {
			t.Fatal(err)
		}
		uaWantStatus(t, h.as(t, admin, postForm(adminUserActionPath(id, "disable"), nil)), http.StatusSeeOther)
	}
	// By hand: 18 demo NGOs less 2 deactivated; 20 demo accounts (all
	// active) less 2 disabled; 3 invited.
	res := h.as(t, admin, get("/admin"))
	uaWantStatus(t, res, http.StatusOK)
	wantContains(t, res.body, "<h1>管理后台</h1>",
		`<p class="figure">16</p><p><a href="/admin/ngos">`,
		`<p class="figure">18</p><p><a href="/admin/users?status=active">`,
		`<p class="figure">3</p><p><a href="/admin/users?status=invited">`,
		`<p class="figure">2</p><p><a href="/admin/users?status=disabled">`,
		`<a href="/admin/users">账号管理</a>`, `<a href="/admin/audit">审计日志</a>`)
	// One sign-in, three invitations, two disablings: six entries, the
	// newest (a disabling) first.
	if rows := len(regexp.MustCompile(`<tr><td data-label="时间">`).FindAllString(res.body, -1)); rows != 6 {
		t.Errorf("%d latest entries, want 6", rows)
	}
	first := regexp.MustCompile(`<tbody><tr>.*?</tr>`).FindString(res.body)
	wantContains(t, first, "停用账号", "admin@example.org")

	uaSeedAudit(t, h, ngoID, ngoID)
	res = h.as(t, admin, get("/admin", "Accept-Language", "en"))
	if rows := len(uaAuditRowEN.FindAllString(res.body, -1)); rows != 10 {
		t.Errorf("%d latest entries, want 10", rows)
	}
	wantContains(t, res.body, "<h1>Administration</h1>", "The 10 latest audit entries", "Disabled an account")
}
