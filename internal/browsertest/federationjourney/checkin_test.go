package federationjourney

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// ciDemoSession moves the demo 2027 session (18 NGOs invited: four
// confirmed, one declined, the rest without a reply) to a day days from
// today in Shanghai and returns its id.
func ciDemoSession(t *testing.T, p *browsertest.Portal, days int) int64 {
	t.Helper()
	var id int64
	day := time.Now().In(portal.FederationZone).AddDate(0, 0, days).Format(time.DateOnly)
	if err := p.DB.Pool().QueryRow(t.Context(), `
		UPDATE sessions SET held_on = $1, reply_deadline = NULL
		WHERE slug = '2027-municipal-leadership-session' RETURNING id`, day).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// pageHeight is the height of the whole page in CSS pixels.
func pageHeight(t *testing.T, ctx context.Context) int {
	t.Helper()
	h, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Before the session's day the check-in page of the demo session says when
// check-in opens, in the reader's language, and offers no button, form or
// control to tap.
func TestCheckinClosedBeforeTheDay(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			id := ciDemoSession(t, p, 30)
			day := time.Now().In(portal.FederationZone).AddDate(0, 0, 30)
			want := fmt.Sprintf("签到将于%d年%d月%d日会议当天开放。", day.Year(), int(day.Month()), day.Day())
			if lang == "en" {
				want = "Check-in opens on the day of the session, " + day.Format("2 January 2006") + "."
			}
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: lang, Width: 390, Height: 844})
			browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			browsertest.Navigate(t, ctx, fmt.Sprintf("%s/admin/sessions/%d/checkin", p.URL, id))
			if got := browsertest.Text(t, ctx, ".checkin-closed"); got != want {
				t.Errorf("the page says %q, want %q", got, want)
			}
			for _, sel := range []string{"main form", "main button", "main input", "main select", "main textarea"} {
				if n := browsertest.Count(t, ctx, sel); n != 0 {
					t.Errorf("%d × %s on a closed check-in page", n, sel)
				}
			}
			if n := browsertest.Count(t, ctx, "main .checkin-ngo"); n != 18 {
				t.Errorf("%d NGOs listed, want the 18 invited", n)
			}
			browsertest.CheckPage(t, ctx, "checkin closed "+lang, true)
		})
	}
}

// On the day, on a phone and without JavaScript, the demo session's 18
// NGOs fit in under four screens; an official records a walk-in for an
// NGO that never replied, and after a reload the NGO shows as present
// with the person marked as a walk-in.
func TestCheckinWalkInRecorded(t *testing.T) {
	t.Parallel()
	cases := []struct{ lang, count, walkIn, walkInCount string }{
		{"zh-CN", "18 家组织中 1 家已到", "临时到场", "临时到场 1 人"},
		{"en", "1 of 18 NGOs present", "Walk-in", "walk-ins: 1"},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			id := ciDemoSession(t, p, 0)
			var invID int64
			if err := p.DB.Pool().QueryRow(t.Context(), `
				SELECT i.id FROM invitations i JOIN users u ON u.ngo_id = i.ngo_id
				WHERE i.session_id = $1 AND u.email = $2 AND i.reply = 'none'`, id, demo.StaffEmail(7)).Scan(&invID); err != nil {
				t.Fatal(err)
			}
			const screen = 844
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: 390, Height: screen})
			browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			browsertest.SetJavaScript(t, ctx, false)
			page := fmt.Sprintf("%s/admin/sessions/%d/checkin", p.URL, id)
			browsertest.Navigate(t, ctx, page)
			h := pageHeight(t, ctx)
			t.Logf("the check-in page of 18 NGOs is %d px tall at 390 px", h)
			if h >= 4*screen {
				t.Errorf("the check-in page of 18 NGOs is %d px tall on a phone, want under %d (4 screens)", h, 4*screen)
			}
			browsertest.CheckPageNoJS(t, ctx, "checkin "+tc.lang, true)

			block := fmt.Sprintf("#ngo-%d", invID)
			if _, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(block+" summary"))); err != nil {
				t.Fatal(err)
			}
			browsertest.Fill(t, ctx, [][2]string{
				{fmt.Sprintf("#f-walkin_name-%d", invID), "张敏"},
				{fmt.Sprintf("#f-walkin_title-%d", invID), "志愿者"},
			})

			browsertest.CheckPageNoJS(t, ctx, "checkin walk-in form "+tc.lang, true)
			browsertest.ClickAndWait(t, ctx, chromedp.CSS(block+" .checkin-walkin button[type=submit]"))

			browsertest.SetJavaScript(t, ctx, true)
			browsertest.Navigate(t, ctx, page)
			if got := browsertest.Text(t, ctx, ".checkin-count"); got != tc.count {
				t.Errorf("count = %q, want %q", got, tc.count)
			}
			if !browsertest.Checked(t, ctx, fmt.Sprintf("#checkin-%d-present", invID)) {
				t.Error("the NGO's segmented control does not show it present")
			}
			if summary := browsertest.Text(t, ctx, chromedp.CSS(block+" summary")); !strings.Contains(summary, tc.walkInCount) {
				t.Errorf("the NGO's summary %q lacks %q", summary, tc.walkInCount)
			}
			if _, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(block+" summary"))); err != nil {
				t.Fatal(err)
			}
			row := browsertest.Text(t, ctx, chromedp.CSS(block))
			for _, s := range []string{"张敏", "志愿者", tc.walkIn} {
				if !strings.Contains(row, s) {
					t.Errorf("the NGO's row lacks %q: %s", s, row)
				}
			}
			var n int
			if err := p.DB.Pool().QueryRow(t.Context(), `
				SELECT count(*) FROM representatives r JOIN invitations i ON i.id = r.invitation_id
				WHERE i.id = $1 AND i.attendance = 'present' AND r.walk_in AND r.attended AND r.name = '张敏'`, invID).Scan(&n); err != nil || n != 1 {
				t.Errorf("walk-ins recorded: %d, %v", n, err)
			}
		})
	}
}
