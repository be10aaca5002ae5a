package federationjourney

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// auditShortestPiece measures, in the audit table, every e-mail address
// and URL: it finds the line each character is laid out on (by its
// Range.getClientRects box) and returns the fewest characters any piece
// of one token has on a line, with the token, and how many tokens it
// measured.
const auditShortestPiece = `(() => {
	const tokens = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|https?:\/\/[^\s，。、）]+/g;
	const walker = document.createTreeWalker(document.querySelector('table.audit-table'), NodeFilter.SHOW_TEXT);
	let shortest = 1e9, which = '', measured = 0;
	for (let node = walker.nextNode(); node; node = walker.nextNode()) {
		for (const m of node.data.matchAll(tokens)) {
			const lines = new Map();
			for (let i = m.index; i < m.index + m[0].length; i++) {
				const r = document.createRange();
				r.setStart(node, i);
				r.setEnd(node, i + 1);
				const box = r.getClientRects()[0];
				if (!box) continue;
				const top = Math.round(box.top);
				lines.set(top, (lines.get(top) || 0) + 1);
			}
			measured++;
			for (const n of lines.values()) {
				if (n < shortest && n < m[0].length) { shortest = n; which = m[0]; }
			}
		}
	}
	return {shortest: shortest, which: which, measured: measured};
})()`

type auditPieces struct {
	Shortest int    `json:"shortest"`
	Which    string `json:"which"`
	Measured int    `json:"measured"`
}

// The audit log's long tokens (the actors' e-mails, e-mails and a website
// in the details) stay whole, or break into pieces of at least 6
// characters, on a phone and on a desktop, in Chinese and English; the
// page passes axe and is no wider than the window.
func TestAuditWrap(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	if _, err := p.DB.Pool().Exec(t.Context(), `
		INSERT INTO audit_log (actor_email, action, object_type, object_id, client_addr, changes) VALUES
		('programme.coordinator@women-lawyers-fellowship.example.org', 'ngo.updated', 'ngo', 1, '2001:db8:85a3::8a2e:370:7334',
		 '{"email": {"before": "contact-office@women-lawyers-fellowship.example.org", "after": "secretariat@women-lawyers-fellowship.example.org"},
		   "website": {"before": "", "after": "https://www.women-lawyers-fellowship.example.org/about/members"},
		   "address": {"before": "上海市黄浦区南京西路99号", "after": "上海市徐汇区淮海中路1634号"},
		   "profile_zh": {"before": "", "after": "`+strings.Repeat("联谊会团结上海女律师，开展公益法律服务、普法宣传和专业交流，维护妇女儿童合法权益。", 3)+`"},
		   "profile_en": {"before": "", "after": "`+strings.Repeat("The fellowship brings together the women lawyers of Shanghai for pro bono legal services, legal education and professional exchange. ", 2)+`"}}')`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name          string
		lang          string
		width, height int
	}{
		{"phone zh", "zh-CN", 390, 844},
		{"desktop zh", "zh-CN", 1280, 900},
		{"phone en", "en", 390, 844},
		{"desktop en", "en", 1280, 900},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: c.lang, Width: c.width, Height: c.height})
			browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			browsertest.Navigate(t, ctx, p.URL+"/admin/audit")
			got, err := chromedp.Run(ctx, chromedp.Evaluate[auditPieces](auditShortestPiece))
			if err != nil {
				t.Fatal(err)
			}
			if got.Measured < 4 {
				t.Fatalf("measured %d tokens in the audit table, want at least 4", got.Measured)
			}
			t.Logf("shortest piece: %+v", got)
			if got.Shortest < 6 {
				t.Errorf("%q wraps with a piece of %d characters on a line", got.Which, got.Shortest)
			}
			uaCheckAdminPage(t, ctx, "audit wrap "+c.name, c.lang)
		})
	}
}
