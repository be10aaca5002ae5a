package federationjourney

import (
	"fmt"
	"testing"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// The federation's summary pages — the summary, the editor, the version
// history, one version's diff and the preview — pass axe in both
// languages, on a desktop and on a phone, where they also fit the screen.
// The demo's published summary gets one edit first, so the history has a
// diff to show.
func TestSummaryAdminPagesAccessible(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	ctx := t.Context()
	var session int64
	if err := p.DB.Pool().QueryRow(ctx, `SELECT id FROM sessions WHERE slug = '2021-municipal-leadership-session'`).Scan(&session); err != nil {
		t.Fatal(err)
	}
	a := portal.Actor{RequestID: "browsertest-summary"}
	if err := p.DB.Pool().QueryRow(ctx, `SELECT id, email FROM users WHERE email = $1`, demo.AdminEmail).
		Scan(&a.UserID, &a.Email); err != nil {
		t.Fatal(err)
	}
	s, err := p.DB.SummaryForSession(ctx, session)
	if err != nil {
		t.Fatalf("the demo summary: %v", err)
	}
	in := s.Input()
	in.ZH.Body += "\n会后，各组织将会议精神传达到全体会员。\n"
	in.EN.Body += "\nAfter the session, the NGOs passed its messages on to their members.\n"
	if s, err = p.DB.SaveSummary(ctx, a, session, in, s.Version); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/admin/sessions/%d/summary", session)
	pages := []struct{ name, path, has string }{
		{"summary", base, ""},
		{"edit", base + "/edit", ""},
		{"versions", base + "/versions", ""},
		{"version", fmt.Sprintf("%s/versions/%d", base, s.Version), "ins"},
		{"preview-zh", base + "/preview?lang=zh-CN", ""},
		{"preview-en", base + "/preview?lang=en", ""},
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		for _, lang := range []string{"zh-CN", "en"} {
			t.Run(size.name+"/"+lang, func(t *testing.T) {
				b := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: size.width, Height: size.height})
				browsertest.SignIn(t, b, p.URL, demo.AdminEmail, demo.Password)
				for _, pg := range pages {
					browsertest.Navigate(t, b, p.URL+pg.path)
					if loc := browsertest.Location(t, b); loc != p.URL+pg.path {
						t.Fatalf("%s: the browser is at %s", pg.name, loc)
					}
					if h1 := browsertest.Text(t, b, "h1"); h1 == "" {
						t.Errorf("%s: empty h1", pg.name)
					}
					if pg.has != "" && browsertest.Count(t, b, pg.has) == 0 {
						t.Errorf("%s: no %s element: the diff shows no insertion", pg.name, pg.has)
					}
					browsertest.CheckPage(t, b, "summary admin "+pg.name+" "+lang+" "+size.name, size.width < 500)
				}
			})
		}
	}
}
