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

// invSession makes a scheduled session held today in Shanghai, with
// replies open, and invites the first demo NGO (ngo01's).
func invSession(t *testing.T, p *browsertest.Portal) (sessionID, invID int64) {
	t.Helper()
	today := time.Now().In(portal.FederationZone).Format(time.DateOnly)
	err := p.DB.Pool().QueryRow(t.Context(), `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at, venue_zh, venue_en, status, reply_deadline)
		VALUES ('browser-session', '浏览器测试会议', 'Browser Test Session', 'municipal', $1, '14:00',
		        '测试会场', 'Test Hall', 'scheduled', now() + interval '1 day')
		RETURNING id`, today).Scan(&sessionID)
	if err != nil {
		t.Fatal(err)
	}
	err = p.DB.Pool().QueryRow(t.Context(), `
		INSERT INTO invitations (session_id, ngo_id)
		SELECT $1, u.ngo_id FROM users u WHERE u.email = $2
		RETURNING id`, sessionID, demo.StaffEmail(1)).Scan(&invID)
	if err != nil {
		t.Fatal(err)
	}
	return sessionID, invID
}

// Staff of ngo01 confirm with two representatives; the admin, on a phone,
// checks the NGO in with one of them; every page on the way passes axe in
// Chinese and English.
func TestInvitationJourney(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang, confirmed, present string
	}{
		{"zh-CN", "已确认出席，代表名单已保存。", "1 家组织中 1 家已到"},
		{"en", "Attendance confirmed and representatives saved.", "1 of 1 NGOs present"},
	}
	for _, tc := range cases {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			sessionID, invID := invSession(t, p)
			staffCtx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: 1280, Height: 900})
			browsertest.SignIn(t, staffCtx, p.URL, demo.StaffEmail(1), demo.Password)

			browsertest.Navigate(t, staffCtx, p.URL+"/ngo/sessions")
			browsertest.CheckPage(t, staffCtx, "staff session list "+tc.lang, false)
			browsertest.ClickAndWait(t, staffCtx, chromedp.CSS(fmt.Sprintf(`main a[href="/ngo/sessions/%d"]`, sessionID)))
			browsertest.CheckPage(t, staffCtx, "staff session "+tc.lang, false)
			if _, err := chromedp.Run(staffCtx, chromedp.Click(chromedp.CSS("#f-reply-confirmed"))); err != nil {
				t.Fatal(err)
			}
			browsertest.Fill(t, staffCtx, [][2]string{
				{"#f-rep_name_1", "李华"}, {"#f-rep_title_1", "秘书长"}, {"#f-rep_mobile_1", "13912345678"},
				{"#f-rep_name_2", "王芳"}, {"#f-rep_mobile_2", "13812345678"},
			})

			browsertest.ClickAndWait(t, staffCtx, `main form button[type="submit"].primary`)
			if body := browsertest.Text(t, staffCtx, "body"); !strings.Contains(body, tc.confirmed) || !strings.Contains(body, "王芳") {
				t.Fatalf("after the reply the page says: %s", body)
			}

			adminCtx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: 390, Height: 844})
			browsertest.SignIn(t, adminCtx, p.URL, demo.AdminEmail, demo.Password)
			base := fmt.Sprintf("%s/admin/sessions/%d", p.URL, sessionID)
			browsertest.Navigate(t, adminCtx, base+"/invitations")
			browsertest.CheckPage(t, adminCtx, "invitation board "+tc.lang, true)
			browsertest.Navigate(t, adminCtx, base+"/checkin")
			browsertest.CheckPage(t, adminCtx, "checkin "+tc.lang, true)
			block := fmt.Sprintf("#ngo-%d", invID)
			for _, sel := range []string{block + " summary", block + ` input[name="present_rep"]`,
				fmt.Sprintf(`%s label[for="checkin-%d-present"]`, block, invID)} {
				if _, err := chromedp.Run(adminCtx, chromedp.Click(chromedp.CSS(sel))); err != nil {
					t.Fatalf("click %s: %v", sel, err)
				}
			}
			browsertest.ClickAndWait(t, adminCtx, chromedp.CSS(block+` .checkin-tap button[type="submit"]`))
			if got := browsertest.Text(t, adminCtx, ".checkin-count"); got != tc.present {
				t.Errorf("count = %q, want %q", got, tc.present)
			}
			browsertest.CheckPage(t, adminCtx, "checkin after "+tc.lang, true)
			var attended int
			if err := p.DB.Pool().QueryRow(context.Background(), `
				SELECT count(*) FROM representatives r JOIN invitations i ON i.id = r.invitation_id
				WHERE i.id = $1 AND i.attendance = 'present' AND r.attended`, invID).Scan(&attended); err != nil || attended != 1 {
				t.Errorf("representatives marked present: %d, %v", attended, err)
			}
			browsertest.Navigate(t, adminCtx, base+"/attendance")
			browsertest.CheckPage(t, adminCtx, "attendance review "+tc.lang, true)
		})
	}
}
