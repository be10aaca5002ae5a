package server

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
)

// access says who may use a route.
type access int

const (
	anyone       access = iota // everyone, signed in or not; what it answers is in publicAnswers
	signedIn                   // any signed-in user
	officials                  // the federation's officials: admins and reviewers
	officialsOwn               // officials, on their own object: the matrix admin's, so the reviewer gets 404
	admins                     // federation admins only; a reviewer gets 403
	staff                      // NGO staff only, on their own NGO
	staffOfA                   // NGO staff, and only those of the NGO the object belongs to (NGO A)
)

// publicAnswer is the status a public route answers, with the matrix's
// fixtures and an empty form: out to the signed-out reader, in to every
// signed-in user (admin, reviewer or staff alike).
type publicAnswer struct{ out, in int }

// publicAnswers pins what every public route answers, so that a public
// page cannot start requiring sign-in, or answering 404, unnoticed. The
// tokens are fresh random ones, so their pages are 404 as designed.
var publicAnswers = map[string]publicAnswer{
	"GET /":                      {http.StatusOK, http.StatusOK},
	"GET /healthz":               {http.StatusOK, http.StatusOK},
	"GET /readyz":                {http.StatusOK, http.StatusOK},
	"GET /static/{file}":         {http.StatusOK, http.StatusOK},
	"POST /locale":               {http.StatusBadRequest, http.StatusBadRequest},                   // no language chosen
	"GET /login":                 {http.StatusOK, http.StatusSeeOther},                             // signed-in users are sent home
	"POST /login":                {http.StatusUnprocessableEntity, http.StatusUnprocessableEntity}, // no email or password
	"GET /invite/{token}":        {http.StatusNotFound, http.StatusNotFound},                       // an unknown token
	"POST /invite/{token}":       {http.StatusNotFound, http.StatusNotFound},
	"GET /reset/{token}":         {http.StatusNotFound, http.StatusNotFound},
	"POST /reset/{token}":        {http.StatusNotFound, http.StatusNotFound},
	"GET /login/code":            {http.StatusSeeOther, http.StatusSeeOther}, // no sign-in waiting: back to the sign-in page (signed in: home)
	"POST /login/code":           {http.StatusSeeOther, http.StatusSeeOther},
	"GET /login/enrol":           {http.StatusSeeOther, http.StatusSeeOther},
	"POST /login/enrol":          {http.StatusSeeOther, http.StatusSeeOther},
	"GET /sessions":              {http.StatusOK, http.StatusOK},
	"GET /sessions/{slug}":       {http.StatusOK, http.StatusOK}, // the matrix's published summary
	"GET /sessions/{slug}/cover": {http.StatusOK, http.StatusOK},
	"GET /ngos":                  {http.StatusOK, http.StatusOK},
	"GET /ngos/{slug}":           {http.StatusOK, http.StatusOK},
	"GET /search":                {http.StatusOK, http.StatusOK},
	"GET /feed.atom":             {http.StatusOK, http.StatusOK},
	"GET /sitemap.xml":           {http.StatusOK, http.StatusOK},
	"GET /robots.txt":            {http.StatusOK, http.StatusOK},
	"GET /privacy":               {http.StatusOK, http.StatusOK},
	"GET /accessibility":         {http.StatusOK, http.StatusOK},
}

// routeRules is the rule for every route the router has. A route missing
// here fails TestRouteRoleMatrix: a new route must say who may use it.
var routeRules = map[string]access{
	"GET /":                                                  anyone,
	"GET /healthz":                                           anyone,
	"GET /readyz":                                            anyone,
	"GET /static/{file}":                                     anyone,
	"POST /locale":                                           anyone,
	"GET /login":                                             anyone,
	"POST /login":                                            anyone,
	"GET /invite/{token}":                                    anyone,
	"POST /invite/{token}":                                   anyone,
	"GET /reset/{token}":                                     anyone,
	"POST /reset/{token}":                                    anyone,
	"POST /logout":                                           signedIn,
	"GET /account/password":                                  signedIn,
	"POST /account/password":                                 signedIn,
	"GET /login/code":                                        anyone,
	"POST /login/code":                                       anyone,
	"GET /login/enrol":                                       anyone,
	"POST /login/enrol":                                      anyone,
	"GET /account/two-step":                                  signedIn,
	"POST /account/two-step/setup":                           signedIn,
	"GET /account/two-step/setup":                            signedIn,
	"POST /account/two-step/enable":                          signedIn,
	"POST /account/two-step/recovery-codes":                  signedIn,
	"POST /account/two-step/disable":                         signedIn,
	"POST /admin/users/{id}/second-factor/reset":             admins,
	"GET /admin/":                                            officials,
	"GET /admin/ngos":                                        officials,
	"GET /admin/officials":                                   officials,
	"GET /admin/officials/new":                               admins,
	"POST /admin/officials":                                  admins,
	"GET /admin/officials/{id}/edit":                         admins,
	"POST /admin/officials/{id}":                             admins,
	"GET /admin/sessions":                                    officials,
	"GET /admin/sessions/new":                                admins,
	"POST /admin/sessions":                                   admins,
	"GET /admin/sessions/{id}":                               officials,
	"GET /admin/sessions/{id}/edit":                          admins,
	"POST /admin/sessions/{id}":                              admins,
	"POST /admin/sessions/{id}/status":                       admins,
	"POST /admin/sessions/{id}/delete":                       admins,
	"POST /admin/sessions/{id}/copy":                         admins,
	"GET /admin/ngos/new":                                    admins,
	"POST /admin/ngos":                                       admins,
	"GET /admin/ngos/{id}":                                   officials,
	"GET /admin/ngos/{id}/edit":                              admins,
	"POST /admin/ngos/{id}":                                  admins,
	"POST /admin/ngos/{id}/deactivate":                       admins,
	"POST /admin/ngos/{id}/reactivate":                       admins,
	"GET /admin/users":                                       admins,
	"GET /admin/users/new":                                   admins,
	"POST /admin/users":                                      admins,
	"GET /admin/users/{id}":                                  admins,
	"POST /admin/users/{id}":                                 admins,
	"POST /admin/users/{id}/disable":                         admins,
	"POST /admin/users/{id}/enable":                          admins,
	"POST /admin/users/{id}/reset":                           admins,
	"POST /admin/users/{id}/reinvite":                        admins,
	"GET /admin/audit":                                       officials,
	"GET /ngo/":                                              staff,
	"GET /admin/sessions/{id}/requests":                      officials,
	"POST /admin/sessions/{id}/requests":                     admins,
	"GET /admin/sessions/{id}/requests/{reqID}/edit":         admins,
	"POST /admin/sessions/{id}/requests/{reqID}":             admins,
	"GET /admin/sessions/{id}/requests/{reqID}/delete":       admins,
	"POST /admin/sessions/{id}/requests/{reqID}/delete":      admins,
	"GET /admin/sessions/{id}/invitations":                   officials,
	"POST /admin/sessions/{id}/invitations":                  admins,
	"POST /admin/sessions/{id}/invitations/{invID}/withdraw": admins,
	"GET /admin/sessions/{id}/checkin":                       officials,
	"POST /admin/sessions/{id}/checkin/{invID}":              officials,
	"POST /admin/sessions/{id}/checkin/{invID}/walk-ins":     officials,
	"GET /admin/sessions/{id}/attendance":                    officials,
	"GET /admin/sessions/{id}/attendance.csv":                officials,
	"GET /admin/ngos/{id}/attendance":                        officials,
	"GET /ngo/sessions":                                      staff,
	"GET /ngo/sessions/{id}":                                 staffOfA,
	"POST /ngo/sessions/{id}/reply":                          staffOfA,
	"GET /admin/cycles":                                      officials,
	"GET /admin/cycles/new":                                  admins,
	"POST /admin/cycles":                                     admins,
	"GET /admin/cycles/{id}":                                 officials,
	"GET /admin/cycles/{id}/edit":                            admins,
	"POST /admin/cycles/{id}":                                admins,
	"POST /admin/cycles/{id}/close":                          admins,
	"POST /admin/cycles/{id}/extensions":                     admins,
	"POST /admin/cycles/{id}/extensions/{ngoID}/delete":      admins,
	"GET /admin/vocabulary":                                  officials,
	"GET /admin/vocabulary/themes/new":                       admins,
	"POST /admin/vocabulary/themes":                          admins,
	"GET /admin/vocabulary/themes/{id}/edit":                 admins,
	"POST /admin/vocabulary/themes/{id}":                     admins,
	"POST /admin/vocabulary/themes/{id}/retire":              admins,
	"POST /admin/vocabulary/themes/{id}/restore":             admins,
	"POST /admin/vocabulary/themes/{id}/up":                  admins,
	"POST /admin/vocabulary/themes/{id}/down":                admins,
	"GET /admin/vocabulary/projects/new":                     admins,
	"POST /admin/vocabulary/projects":                        admins,
	"GET /admin/vocabulary/projects/{id}/edit":               admins,
	"POST /admin/vocabulary/projects/{id}":                   admins,
	"POST /admin/vocabulary/projects/{id}/retire":            admins,
	"POST /admin/vocabulary/projects/{id}/restore":           admins,
	"POST /admin/vocabulary/projects/{id}/up":                admins,
	"POST /admin/vocabulary/projects/{id}/down":              admins,
}

// matrixFixtures let a feature's test file prepare the objects its routes
// act on: each gets NGO A's id and fills ids (a path prefix such as
// "/ngo/reports/{id}" → the id to put in it) and objectIDs (a parameter
// such as "{attID}" → its value). Objects named for staffOfA routes must
// belong to NGO A. Register one from an init function.
var matrixFixtures []func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string)

// TestRouteRoleMatrix sends every route of the router as the public, staff
// of NGO A, staff of NGO B, a reviewer and an admin, and checks each answer
// against the route's rule; a public route's answer against publicAnswers.
func TestRouteRoleMatrix(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-physicians")
	ngoB := ngoIDBySlug(t, h, "women-lawyers")
	ngoC := ngoIDBySlug(t, h, "women-artists") // the object admin routes act on
	staffA := createUser(t, h, portal.RoleStaff, ngoA, "matrix-a@example.org", "甲")
	staffB := createUser(t, h, portal.RoleStaff, ngoB, "matrix-b@example.org", "乙")
	admin := createUser(t, h, portal.RoleAdmin, 0, "matrix-admin@example.org", "管理员")
	reviewer := createUser(t, h, portal.RoleReviewer, 0, "matrix-reviewer@example.org", "审阅员")
	target := createUser(t, h, portal.RoleStaff, ngoC, "matrix-target@example.org", "丙")

	ids := map[string]string{
		"/admin/ngos/{id}":  fmt.Sprint(ngoC),
		"/admin/users/{id}": fmt.Sprint(target),
		// Officials and sessions: the first of the demo data.
		"/admin/officials/{id}": fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM officials`)),
		"/admin/sessions/{id}":  fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM sessions`)),
		// Cycles and vocabulary: the first of the demo data (the 2020 cycle is
		// closed, so its writes answer 409; that is still "allowed").
		"/admin/cycles/{id}":              fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM reporting_cycles`)),
		"/admin/vocabulary/themes/{id}":   fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM themes`)),
		"/admin/vocabulary/projects/{id}": fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM key_projects`)),
		// A session only NGO A is invited to: NGO B's staff must get 404.
		"/ngo/sessions/{id}": fmt.Sprint(sessionTestCount(t, h, `
			WITH s AS (
				INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline)
				VALUES ('matrix-session', '矩阵测试会议', 'Matrix session', 'district', now() + interval '30 days', 'scheduled', now() + interval '20 days')
				RETURNING id
			), i AS (
				INSERT INTO invitations (session_id, ngo_id) SELECT id, `+fmt.Sprint(ngoA)+` FROM s
			)
			SELECT id FROM s`)),
	}
	objectIDs := map[string]string{
		"{invID}": fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM invitations WHERE session_id = (SELECT min(id) FROM sessions)`)),
		"{reqID}": fmt.Sprint(sessionTestCount(t, h, `SELECT min(id) FROM session_requests WHERE session_id = (SELECT min(id) FROM sessions)`)),
		"{ngoID}": fmt.Sprint(sessionTestCount(t, h, `SELECT min(ngo_id) FROM cycle_extensions`)),
	}
	for _, fixture := range matrixFixtures {
		fixture(t, h, ngoA, ids, objectIDs)
	}
	// The public pages of one published summary and one NGO in the
	// directory, so that they answer 200.
	// The summary fixture left a composed draft (with a cover) on the
	// admins' session: publish it. Every GET runs before any POST, so the
	// public pages see it published.
	var publishedSlug string
	var summaryVersion int
	if err := h.db.Pool().QueryRow(t.Context(), `
		SELECT s.slug, m.version FROM sessions s JOIN summaries m ON m.session_id = s.id
		WHERE s.id = $1::bigint`, ids["/admin/sessions/{id}"]).Scan(&publishedSlug, &summaryVersion); err != nil {
		t.Fatalf("the matrix's summary: %v", err)
	}
	sessionID, _ := strconv.ParseInt(ids["/admin/sessions/{id}"], 10, 64)
	if _, err := h.db.PublishSummary(t.Context(), portal.Actor{RequestID: "matrix"}, sessionID, summaryVersion); err != nil {
		t.Fatalf("publish the matrix's summary: %v", err)
	}
	slugs := map[string]string{
		"/sessions/{slug}": publishedSlug,
		"/ngos/{slug}":     "women-physicians",
	}
	fill := func(pattern string) string {
		p := pattern
		for prefix, slug := range slugs {
			p = strings.Replace(p, prefix, strings.Replace(prefix, "{slug}", slug, 1), 1)
		}
		for prefix, id := range ids {
			p = strings.Replace(p, prefix, strings.Replace(prefix, "{id}", id, 1), 1)
		}
		for param, id := range objectIDs {
			p = strings.Replace(p, param, id, 1)
		}
		p = strings.Replace(p, "{token}", newToken(), 1)
		p = strings.Replace(p, "{file}", strings.TrimPrefix(h.srv.assets.URL("app.css"), "/static/"), 1)
		return p
	}

	var routes []string
	if err := chi.Walk(h.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, method+" "+route)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(routes)
	if len(routes) < len(routeRules) {
		t.Errorf("the router has %d routes, the rules name %d: a rule for a route that is gone?", len(routes), len(routeRules))
	}

	type who struct {
		name   string
		cookie func() *http.Cookie
		role   portal.Role
		ngo    int64
	}
	viewers := []who{
		{"public", func() *http.Cookie { return nil }, portal.RolePublic, 0},
		{"staffA", func() *http.Cookie { return h.sessionCookie(t, staffA) }, portal.RoleStaff, ngoA},
		{"staffB", func() *http.Cookie { return h.sessionCookie(t, staffB) }, portal.RoleStaff, ngoB},
		// The reviewer before the admin: what the reviewer may change
		// (a review, a check-in) the admin may change after.
		{"reviewer", func() *http.Cookie { return h.sessionCookie(t, reviewer) }, portal.RoleReviewer, 0},
		{"admin", func() *http.Cookie { return h.sessionCookie(t, admin) }, portal.RoleAdmin, 0},
	}
	for _, route := range routes {
		rule, ok := routeRules[route]
		if !ok {
			t.Errorf("route %s has no rule in routeRules: say who may use it", route)
			continue
		}
		method, pattern, _ := strings.Cut(route, " ")
		for _, v := range viewers {
			t.Run(route+" as "+v.name, func(t *testing.T) {
				var r *http.Request
				if method == http.MethodGet {
					r = get(fill(pattern))
				} else {
					r = postForm(fill(pattern), url.Values{})
				}
				res := h.as(t, v.cookie(), r)
				loc := res.header.Get("Location")
				toLogin := res.status == http.StatusSeeOther && (loc == "/login" || strings.HasPrefix(loc, "/login?next="))
				denied := res.status == http.StatusNotFound || res.status == http.StatusForbidden
				allowed := !denied && !toLogin && res.status < 500

				if res.status >= 500 {
					t.Fatalf("status %d", res.status)
				}
				if method == http.MethodGet && res.status == http.StatusOK && strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
					checkDates(t, res.body)
				}
				switch official := v.role == portal.RoleAdmin || v.role == portal.RoleReviewer; {
				case rule == anyone:
					want, ok := publicAnswers[route]
					if !ok {
						t.Fatalf("public route %s has no answer in publicAnswers", route)
					}
					status := want.in
					if v.role == portal.RolePublic {
						status = want.out
					}
					if res.status != status || toLogin {
						t.Errorf("%s: %d %q, want %d (no sign-in needed)", v.name, res.status, loc, status)
					}
				case v.role == portal.RolePublic:
					if !toLogin {
						t.Errorf("signed out: %d %q, want a redirect to /login", res.status, loc)
					}
				case rule == signedIn, rule == officials && official, rule == officialsOwn && v.role == portal.RoleAdmin,
					rule == admins && v.role == portal.RoleAdmin, rule == staff && v.role == portal.RoleStaff,
					rule == staffOfA && v.role == portal.RoleStaff && v.ngo == ngoA:
					if !allowed {
						t.Errorf("%s may use this route but got %d %q", v.name, res.status, loc)
					}
				case rule == admins && v.role == portal.RoleReviewer:
					// A reviewer in the federation's area, on an admin's page
					// or action: forbidden, not hidden.
					if res.status != http.StatusForbidden {
						t.Errorf("a reviewer may not use this route but got %d %q, want 403", res.status, loc)
					}
				default:
					if res.status != http.StatusNotFound {
						t.Errorf("%s may not use this route but got %d, want 404", v.name, res.status)
					}
				}
			})
		}
		// Admin actions above may have changed the target NGO or user; put
		// them back so every route starts from the same state.
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE ngos SET active = true`); err != nil {
			t.Fatal(err)
		}
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE users SET status = 'active', role = 'staff', ngo_id = $2 WHERE id = $1`, target, ngoC); err != nil {
			t.Fatal(err)
		}
	}
	for route := range publicAnswers {
		if rule, ok := routeRules[route]; !ok || rule != anyone {
			t.Errorf("publicAnswers names %s, which is not a public route", route)
		}
	}
	for rule := range routeRules {
		found := false
		for _, r := range routes {
			found = found || r == rule
		}
		if !found {
			t.Errorf("routeRules names %s, which the router does not have", rule)
		}
	}
}
