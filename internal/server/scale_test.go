package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"ngoportal/internal/config"
	"ngoportal/internal/i18n"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
	"ngoportal/internal/scale"
	"ngoportal/web/ui"
)

// The pages of "From requests to results" that must stay fast whatever the
// number of NGOs: every figure from a fixed number of SQL statements. Both
// TestScaleStatementCounts (make test) and BenchmarkScalePages
// (make bench-scale) go through this table.

// scaleIDs are the rows of the scale data a page's address names: the
// latest cycle, its session, one NGO and the admin.
type scaleIDs struct {
	Cycle, Session, NGO, Admin int64
	SessionBefore              int64 // the session of the cycle before the latest
	Request                    int64 // SessionBefore's first request (addressed to every NGO)
	NGOs                       int   // how many NGOs there are
}

// lastPage is the page=N query of the last page of 100 NGOs.
func (ids scaleIDs) lastPage() string {
	return "page=" + strconv.Itoa(max(1, (ids.NGOs+99)/100))
}

// scalePage is one page measured at scale: a name for the benchmark and the
// address of the page in the scale data.
type scalePage struct {
	name string
	path func(ids scaleIDs) string
}

// scalePages is the table: the five pages issue 12 names, and the answers
// overview. Results are measured on the session before the latest, whose
// plan year the latest cycle's reports give outcomes for.
var scalePages = []scalePage{
	{"Indicators", func(ids scaleIDs) string { return adminCycleIndicatorsPath(ids.Cycle) }},
	{"Readiness", func(ids scaleIDs) string { return adminSessionPath(ids.Session) + "/readiness" }},
	{"Results", func(ids scaleIDs) string { return adminSessionPath(ids.SessionBefore) + "/results" }},
	{"Responses", func(ids scaleIDs) string { return adminSessionPath(ids.SessionBefore) + "/responses" }},
	{"Timeline", func(ids scaleIDs) string { return adminNGOPath(ids.NGO) + "/timeline" }},
	{"Trends", func(scaleIDs) string { return "/admin/trends" }},
	// The same pages as readers also use them: the last page, in English,
	// sorted by another column, filtered, searched; and the pages one link
	// further.
	{"IndicatorsLastPageEN", func(ids scaleIDs) string {
		return adminCycleIndicatorsPath(ids.Cycle) + "?" + ids.lastPage() + "&lang=en"
	}},
	{"ReadinessByReportDesc", func(ids scaleIDs) string {
		return adminSessionPath(ids.Session) + "/readiness?sort=report&dir=desc"
	}},
	{"ReadinessNotReadyEN", func(ids scaleIDs) string {
		return adminSessionPath(ids.Session) + "/readiness?show=not_ready&lang=en"
	}},
	{"ReadinessSearch", func(ids scaleIDs) string { return adminSessionPath(ids.Session) + "/readiness?q=00017" }},
	{"ReadinessLastPage", func(ids scaleIDs) string { return adminSessionPath(ids.Session) + "/readiness?" + ids.lastPage() }},
	{"ResultsByRateLastPage", func(ids scaleIDs) string { return adminResultsPath(ids.SessionBefore) + "?sort=rate&" + ids.lastPage() }},
	{"ResultsRequest", func(ids scaleIDs) string { return adminResultsRequestPath(ids.SessionBefore, ids.Request) }},
	{"ResultsNGO", func(ids scaleIDs) string { return adminResultsNGOPath(ids.SessionBefore, ids.NGO) }},
	{"ResponsesLastPageEN", func(ids scaleIDs) string {
		return adminSessionPath(ids.SessionBefore) + "/responses?" + ids.lastPage() + "&lang=en"
	}},
}

// loadScaleIDs reads the ids the pages' addresses need from scale data.
func loadScaleIDs(tb testing.TB, db *postgres.DB) scaleIDs {
	tb.Helper()
	var ids scaleIDs
	err := db.Pool().QueryRow(tb.Context(), `
		SELECT c.id, s.id, (SELECT id FROM ngos WHERE slug = 'scale-ngo-00001'),
		       (SELECT id FROM users WHERE email = $1),
		       coalesce(b.id, 0),
		       coalesce((SELECT q.id FROM session_requests q WHERE q.session_id = b.id ORDER BY q.number LIMIT 1), 0),
		       (SELECT count(*) FROM ngos)
		FROM reporting_cycles c JOIN sessions s ON s.cycle_id = c.id
		LEFT JOIN LATERAL (
			SELECT s2.id FROM sessions s2 JOIN reporting_cycles c2 ON c2.id = s2.cycle_id
			WHERE c2.review_year < c.review_year ORDER BY c2.review_year DESC LIMIT 1) b ON true
		ORDER BY c.review_year DESC LIMIT 1`, scale.AdminEmail).Scan(&ids.Cycle, &ids.Session, &ids.NGO, &ids.Admin, &ids.SessionBefore, &ids.Request, &ids.NGOs)
	if err != nil {
		tb.Fatalf("scale data ids: %v", err)
	}
	return ids
}

// statementCounter counts the statements a pool's connections send (BEGIN
// and COMMIT included), as a pgx.QueryTracer.
type statementCounter struct {
	mu  sync.Mutex
	sql []string
}

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sql = append(c.sql, d.SQL)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// take returns the statements sent since the last take and forgets them.
func (c *statementCounter) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.sql
	c.sql = nil
	return out
}

// scaleServer is a server over the database at url, as `portal serve` runs
// it (access log at info, thrown away), whose pool counts its statements,
// with a signed-in admin's cookie.
type scaleServer struct {
	h      *harness
	count  *statementCounter
	cookie *http.Cookie
	ids    scaleIDs
}

func newScaleServer(tb testing.TB, url string) *scaleServer {
	tb.Helper()
	ctx := tb.Context()
	count := &statementCounter{}
	pcfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		tb.Fatal(err)
	}
	pcfg.ConnConfig.Tracer = count
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	db := postgres.New(pool)
	m, err := db.NewMigrator()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cat, err := i18n.Load(log)
	if err != nil {
		tb.Fatal(err)
	}
	assets, err := ui.LoadAssets()
	if err != nil {
		tb.Fatal(err)
	}
	s := New(Deps{Config: cfg, Log: log, DB: db, Readiness: NewReadiness(db, m), Catalogue: cat, Assets: assets})
	ss := &scaleServer{h: &harness{srv: s, db: db}, count: count, ids: loadScaleIDs(tb, db)}

	id := newToken()
	a := portal.Actor{UserID: ss.ids.Admin, ClientAddr: netip.MustParseAddr("192.0.2.1"), RequestID: "scale"}
	if err := db.CreateLoginSession(ctx, a, ss.ids.Admin, id, "", 12*time.Hour, 30*time.Minute); err != nil {
		tb.Fatal(err)
	}
	v, err := s.cookies.Codecs[0].Encode(sessionCookie, map[any]any{sessionIDKey: id})
	if err != nil {
		tb.Fatal(err)
	}
	ss.cookie = &http.Cookie{Name: sessionCookie, Value: v}
	count.take()
	return ss
}

// request is a GET of path as the signed-in admin.
func (ss *scaleServer) request(path string) *http.Request {
	r := get(path)
	r.AddCookie(ss.cookie)
	return r
}

// statements sends one request for path and returns its status and the
// statements it sent.
func (ss *scaleServer) statements(path string) (int, []string) {
	ss.count.take()
	w := &benchWriter{h: http.Header{}}
	ss.h.srv.ServeHTTP(w, ss.request(path))
	return w.status, ss.count.take()
}

// TestScaleStatementCounts: each page of scalePages sends the same number
// of SQL statements over scale data of 3 NGOs × 2 years and of 12 NGOs ×
// 3 years: no statement per NGO, per report or per row.
func TestScaleStatementCounts(t *testing.T) {
	t.Parallel()
	sizes := []scale.Options{{NGOs: 3, Years: 2}, {NGOs: 12, Years: 3}}
	counts := make([][]int, len(sizes))
	for i, o := range sizes {
		db := pgtest.New(t)
		if _, err := scale.Seed(t.Context(), db, o); err != nil {
			t.Fatal(err)
		}
		ss := newScaleServer(t, db.Pool().Config().ConnString())
		for _, p := range scalePages {
			status, sql := ss.statements(p.path(ss.ids))
			if status != http.StatusOK {
				t.Fatalf("%s at %d NGOs: status %d", p.name, o.NGOs, status)
			}
			counts[i] = append(counts[i], len(sql))
			if i == len(sizes)-1 && len(sql) != counts[0][len(counts[i])-1] {
				t.Errorf("%s: %d statements at %d NGOs × %d years, %d at %d × %d; the statements at the larger size:\n%q",
					p.name, counts[0][len(counts[i])-1], sizes[0].NGOs, sizes[0].Years, len(sql), o.NGOs, o.Years, sql)
			}
		}
	}
	for j, p := range scalePages {
		t.Logf("%s: %d statements per request", p.name, counts[0][j])
	}
}

// TestCycleIndicatorsPaged: with more NGOs than a page holds, the per-NGO
// tables list 100 NGOs a page, by name, while their total row counts every
// NGO; a page past the last is not found.
func TestCycleIndicatorsPaged(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	if _, err := scale.Seed(t.Context(), db, scale.Options{NGOs: indicatorNGOsPerPage + 5, Years: 1}); err != nil {
		t.Fatal(err)
	}
	ss := newScaleServer(t, db.Pool().Config().ConnString())
	path := adminCycleIndicatorsPath(ss.ids.Cycle)
	var total string
	for page, want := range map[string][2]string{
		"":        {"Scale Test Women's Organisation No. 00001", "Scale Test Women's Organisation No. 00100"},
		"?page=2": {"Scale Test Women's Organisation No. 00101", "Scale Test Women's Organisation No. 00105"},
	} {
		r := ss.request(path + page)
		r.Header.Set("Accept-Language", "en")
		res := ss.h.do(t, r)
		if res.status != http.StatusOK {
			t.Fatalf("%s: status %d", page, res.status)
		}
		rows := exTable(t, res.body, "ind-ngo-activities")
		if wantRows := map[string]int{"": 100, "?page=2": 5}[page]; len(rows) != wantRows+2 { // with the header and total rows
			t.Errorf("%s: %d rows, want %d NGOs", page, len(rows)-2, wantRows)
		}
		if rows[1][0] != want[0] || rows[len(rows)-2][0] != want[1] {
			t.Errorf("%s: NGOs %q to %q, want %q to %q", page, rows[1][0], rows[len(rows)-2][0], want[0], want[1])
		}
		last := rows[len(rows)-1]
		if total != "" && last[1] != total {
			t.Errorf("%s: total %q, other page %q", page, last[1], total)
		}
		total = last[1]
		wantContains(t, res.body, "Page ", "105 in all")
	}
	if total != "2,100" { // 105 NGOs × 20 activities
		t.Errorf("total activities %q, want 2,100", total)
	}
	if status, _ := ss.statements(path + "?page=3"); status != http.StatusNotFound {
		t.Errorf("page 3: status %d, want 404", status)
	}
}
