package notify_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5/pgxpool"

	"ngoportal/internal/config"
	"ngoportal/internal/i18n"
	"ngoportal/internal/notify"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// mailbox is what the in-process SMTP server received, and how it treats
// the next messages.
type mailbox struct {
	mu     sync.Mutex
	msgs   []received
	reject atomic.Int32 // this many next messages are refused with 451
}

// received is one message as the server got it, decoded.
type received struct {
	To      string
	Subject string
	Lang    string
	Text    string
	HTML    string
}

func (b *mailbox) all() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.msgs)
}

type backend struct{ box *mailbox }

func (be backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: be.box}, nil }

type session struct {
	box *mailbox
	to  []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.box.reject.Add(-1) >= 0 {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.box.reject.Store(0)
	m, err := decode(raw)
	if err != nil {
		return err
	}
	m.To = strings.Join(s.to, ",")
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, m)
	s.box.mu.Unlock()
	return nil
}

// decode reads a multipart/alternative message into its subject, language
// and parts (multipart undoes the quoted-printable encoding).
func decode(raw []byte) (received, error) {
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return received{}, err
	}
	var m received
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return received{}, err
	}
	m.Lang = msg.Header.Get("Content-Language")
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		return received{}, fmt.Errorf("content type %q: %v", mt, err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return received{}, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return received{}, err
		}
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			m.Text = string(b)
		case "text/html":
			m.HTML = string(b)
		}
	}
	return m, nil
}

// smtpServer runs an SMTP server on addr ("127.0.0.1:0" for any port) until
// the test ends or stop is called.
func smtpServer(t *testing.T, box *mailbox, addr string) (string, func()) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := smtp.NewServer(backend{box})
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = s.Serve(ln) }()
	var once sync.Once
	// Closing the listener too: Close may run before Serve has started.
	stop := func() { once.Do(func() { _ = s.Close(); _ = ln.Close() }) }
	t.Cleanup(stop)
	return ln.Addr().String(), stop
}

// fixture is a database with an NGO and accounts, and a worker's parts.
type fixture struct {
	db    *postgres.DB
	ngo   int64
	cat   *i18n.Catalogue
	log   *slog.Logger
	base  *url.URL
	users map[string]int64 // by e-mail
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{db: pgtest.New(t), users: map[string]int64{}, log: slog.New(slog.DiscardHandler)}
	var err error
	if f.cat, err = i18n.Load(f.log); err != nil {
		t.Fatal(err)
	}
	f.base, _ = url.Parse("https://portal.example.org")
	f.ngo = f.scalar(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('women-lawyers', '上海市女律师联谊会', 'Shanghai Women Lawyers Association') RETURNING id`)
	return f
}

func (f *fixture) scalar(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// user adds an active account of role (staff of the fixture's NGO) with
// preferred language locale.
func (f *fixture) user(t *testing.T, email string, role portal.Role, locale string) int64 {
	t.Helper()
	var ngo any
	if role == portal.RoleStaff {
		ngo = f.ngo
	}
	id := f.scalar(t, `INSERT INTO users (email, name, name_en, role, ngo_id, status, password_hash, locale)
		VALUES ($1, '王芳', 'Wang Fang', $2, $3, 'active', 'x', $4) RETURNING id`, email, string(role), ngo, locale)
	f.users[email] = id
	return id
}

// notice writes the notice of kind about report reportID of the fixture's
// NGO, as the report's steps do.
func (f *fixture) notice(t *testing.T, kind portal.NotificationKind, reportID int64) {
	t.Helper()
	r := portal.Report{ID: reportID, NGOID: f.ngo, ReviewYear: 2026}
	if err := f.db.Load(t.Context(), func(tx postgres.Tx) error { return tx.NotifyReport(t.Context(), r, kind, "") }); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) worker(db *postgres.DB, smtpAddr string) *notify.Worker {
	w := &notify.Worker{
		DB:       db,
		Renderer: notify.Renderer{Catalogue: f.cat, BaseURL: f.base},
		Log:      f.log,
		Options:  notify.Options{Poll: 10 * time.Millisecond, Batch: 5, Backoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond, MaxAttempts: 5},
	}
	if smtpAddr != "" {
		host, port, _ := net.SplitHostPort(smtpAddr)
		var p int
		fmt.Sscan(port, &p)
		w.Sender = notify.SMTPSender{
			Config: config.SMTP{Host: host, Port: p, TLS: "none", From: "portal@example.org"},
			HELO:   "portal.example.org",
		}
	}
	return w
}

// statuses counts the deliveries by status.
func (f *fixture) statuses(t *testing.T) map[portal.DeliveryStatus]int {
	t.Helper()
	rows, err := f.db.Pool().Query(t.Context(), `SELECT status, count(*) FROM email_deliveries GROUP BY status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[portal.DeliveryStatus]int{}
	for rows.Next() {
		var s portal.DeliveryStatus
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			t.Fatal(err)
		}
		out[s] = n
	}
	return out
}

// drain runs w until no delivery is pending, or fails after a while.
func drain(t *testing.T, f *fixture, w *notify.Worker) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for f.statuses(t)[portal.DeliveryPending] > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("deliveries still pending: %v", f.statuses(t))
		}
		if _, err := w.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var linkRE = regexp.MustCompile(`https://portal\.example\.org/(admin|ngo)/reports/(\d+)`)

// Each kind reaches its recipients in their own language, as a plain-text
// and an HTML part with an absolute link back and nothing that tracks.
func TestWorkerSendsInTheRecipientsLanguage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	box := &mailbox{}
	addr, _ := smtpServer(t, box, "127.0.0.1:0")
	f.user(t, "admin-zh@example.org", portal.RoleAdmin, "zh-CN")
	f.user(t, "admin-en@example.org", portal.RoleAdmin, "en")
	f.user(t, "staff-zh@example.org", portal.RoleStaff, "zh-CN")
	f.user(t, "staff-en@example.org", portal.RoleStaff, "en")
	f.notice(t, portal.NotifyReportSubmitted, 41)
	f.notice(t, portal.NotifyReportReturned, 41)

	drain(t, f, f.worker(f.db, addr))

	got := box.all()
	if len(got) != 4 {
		t.Fatalf("received %d messages, want 4: %+v", len(got), got)
	}
	byTo := map[string]received{}
	for _, m := range got {
		byTo[m.To] = m
	}
	for _, tc := range []struct {
		to, lang, subject, greeting, link string
	}{
		{"admin-zh@example.org", "zh-CN", "【女性社会组织工作平台】上海市女律师联谊会提交了2026年度工作报告", "王芳，您好", "https://portal.example.org/admin/reports/41"},
		{"admin-en@example.org", "en", "[Women's NGO Portal] Shanghai Women Lawyers Association submitted its work report for 2026", "Dear Wang Fang,", "https://portal.example.org/admin/reports/41"},
		{"staff-zh@example.org", "zh-CN", "上海市女律师联谊会的2026年度工作报告已退回修改", "王芳，您好", "https://portal.example.org/ngo/reports/41"},
		{"staff-en@example.org", "en", "The work report of Shanghai Women Lawyers Association for 2026 was returned with comments", "Dear Wang Fang,", "https://portal.example.org/ngo/reports/41"},
	} {
		t.Run(tc.to, func(t *testing.T) {
			m, ok := byTo[tc.to]
			if !ok {
				t.Fatalf("nothing received for %s", tc.to)
			}
			if !strings.Contains(m.Subject, tc.subject) || m.Lang != tc.lang {
				t.Errorf("subject %q (%s), want one containing %q (%s)", m.Subject, m.Lang, tc.subject, tc.lang)
			}
			for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
				if !strings.Contains(body, tc.greeting) || !strings.Contains(body, tc.link) {
					t.Errorf("%s part lacks the greeting %q or the link %q:\n%s", part, tc.greeting, tc.link, body)
				}
				if !strings.Contains(body, "https://portal.example.org/") || !strings.Contains(body, "/notifications/preferences") {
					t.Errorf("%s part lacks the link to the settings:\n%s", part, body)
				}
			}
			if strings.Contains(m.HTML, "<img") || strings.Contains(m.HTML, "<script") {
				t.Errorf("HTML part loads something:\n%s", m.HTML)
			}
		})
	}
	// The log keeps each message as sent.
	var subject, text, html, to string
	if err := f.db.Pool().QueryRow(t.Context(), `
		SELECT d.subject, d.body_text, d.body_html, d.to_address FROM email_deliveries d
		JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = $1 AND d.status = 'sent' AND d.sent_at IS NOT NULL`,
		f.users["admin-en@example.org"]).Scan(&subject, &text, &html, &to); err != nil {
		t.Fatal(err)
	}
	if subject != byTo["admin-en@example.org"].Subject || to != "admin-en@example.org" || text == "" || html == "" {
		t.Errorf("kept %q to %q", subject, to)
	}
}

// A kind turned off by a user reaches them in the portal only.
func TestWorkerRespectsOptOut(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	box := &mailbox{}
	addr, _ := smtpServer(t, box, "127.0.0.1:0")
	out := f.user(t, "quiet@example.org", portal.RoleStaff, "zh-CN")
	f.user(t, "loud@example.org", portal.RoleStaff, "zh-CN")
	if _, err := f.db.Pool().Exec(t.Context(), `INSERT INTO notification_email_optouts (user_id, kind) VALUES ($1, 'report_accepted')`, out); err != nil {
		t.Fatal(err)
	}
	f.notice(t, portal.NotifyReportAccepted, 7)
	f.notice(t, portal.NotifyReportReturned, 7)
	drain(t, f, f.worker(f.db, addr))

	var to []string
	for _, m := range box.all() {
		to = append(to, m.To+" "+m.Subject)
	}
	slices.Sort(to)
	if len(to) != 3 || !strings.HasPrefix(to[0], "loud@example.org") || !strings.Contains(to[0]+to[1], "已通过审核") ||
		strings.Contains(to[2], "已通过审核") {
		t.Errorf("received %q; want the acceptance for loud only and the return for both", to)
	}
	if n := f.scalar(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1`, out); n != 2 {
		t.Errorf("the opted-out user has %d notices in the portal, want 2", n)
	}
}

// Two workers on two pools (as two portal instances) deliver each message
// once.
func TestTwoWorkersSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	box := &mailbox{}
	addr, _ := smtpServer(t, box, "127.0.0.1:0")
	f.user(t, "admin@example.org", portal.RoleAdmin, "en")
	const n = 60
	for i := 1; i <= n; i++ {
		f.notice(t, portal.NotifyReportSubmitted, int64(i))
	}
	pool, err := pgxpool.New(t.Context(), f.db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	other := postgres.New(pool)

	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for _, db := range []*postgres.DB{f.db, other} {
		w := f.worker(db, addr)
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(ctx) }()
	}
	deadline := time.Now().Add(30 * time.Second)
	for f.statuses(t)[portal.DeliverySent] < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()

	seen := map[string]int{}
	for _, m := range box.all() {
		seen[linkRE.FindString(m.Text)]++
	}
	if len(box.all()) != n || len(seen) != n {
		t.Errorf("received %d messages for %d reports, want %d each once", len(box.all()), len(seen), n)
	}
	for link, c := range seen {
		if c != 1 || link == "" {
			t.Errorf("%q received %d times", link, c)
		}
	}
	if s := f.statuses(t); s[portal.DeliverySent] != n || len(s) != 1 {
		t.Errorf("statuses %v, want all %d sent", s, n)
	}
	if bad := f.scalar(t, `SELECT count(*) FROM email_deliveries WHERE attempts <> 1`); bad != 0 {
		t.Errorf("%d messages were attempted more than once", bad)
	}
}

// An SMTP server that refuses for a while, or is down, delays the mail;
// nothing is lost, and each attempt is on record.
func TestWorkerRetriesThroughAnOutage(t *testing.T) {
	t.Parallel()

	t.Run("Refused451", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		box := &mailbox{}
		box.reject.Store(2)
		addr, _ := smtpServer(t, box, "127.0.0.1:0")
		f.user(t, "admin@example.org", portal.RoleAdmin, "zh-CN")
		f.notice(t, portal.NotifyReportSubmitted, 1)
		w := f.worker(f.db, addr)
		if _, err := w.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
		var attempts int
		var lastErr string
		if err := f.db.Pool().QueryRow(t.Context(), `SELECT attempts, last_error FROM email_deliveries`).Scan(&attempts, &lastErr); err != nil {
			t.Fatal(err)
		}
		if s := f.statuses(t); s[portal.DeliveryPending] != 1 || attempts != 1 || !strings.Contains(lastErr, "451") {
			t.Fatalf("after a 451: %v, %d attempts, error %q; want pending with the error", s, attempts, lastErr)
		}
		drain(t, f, w)
		if got := box.all(); len(got) != 1 {
			t.Fatalf("received %d, want 1", len(got))
		}
		if err := f.db.Pool().QueryRow(t.Context(), `SELECT attempts, last_error FROM email_deliveries WHERE status = 'sent'`).Scan(&attempts, &lastErr); err != nil {
			t.Fatal(err)
		}
		if attempts != 3 || lastErr != "" {
			t.Errorf("sent after %d attempts (error %q), want 3", attempts, lastErr)
		}
	})

	t.Run("ServerDown", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		box := &mailbox{}
		addr, stop := smtpServer(t, box, "127.0.0.1:0")
		stop()
		f.user(t, "admin@example.org", portal.RoleAdmin, "zh-CN")
		f.user(t, "staff@example.org", portal.RoleStaff, "en")
		f.notice(t, portal.NotifyReportSubmitted, 1)
		f.notice(t, portal.NotifyReportAccepted, 1)
		w := f.worker(f.db, addr)
		for range 2 {
			if _, err := w.RunOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(30 * time.Millisecond)
		}
		if s := f.statuses(t); s[portal.DeliveryPending] != 2 {
			t.Fatalf("with the server down: %v, want both pending", s)
		}
		if n := f.scalar(t, `SELECT count(*) FROM email_deliveries WHERE attempts >= 1 AND last_error <> ''`); n != 2 {
			t.Errorf("%d deliveries record a failed attempt, want 2", n)
		}
		smtpServer(t, box, addr) // back up, on the same address
		drain(t, f, w)
		if got := box.all(); len(got) != 2 {
			t.Errorf("received %d after the outage, want 2", len(got))
		}
	})

	t.Run("GivesUpAfterMaxAttempts", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		box := &mailbox{}
		box.reject.Store(1000)
		addr, _ := smtpServer(t, box, "127.0.0.1:0")
		f.user(t, "admin@example.org", portal.RoleAdmin, "zh-CN")
		f.notice(t, portal.NotifyReportSubmitted, 1)
		drain(t, f, f.worker(f.db, addr))
		var attempts int
		var status, lastErr string
		if err := f.db.Pool().QueryRow(t.Context(), `SELECT status, attempts, last_error FROM email_deliveries`).Scan(&status, &attempts, &lastErr); err != nil {
			t.Fatal(err)
		}
		if status != "failed" || attempts != 5 || !strings.Contains(lastErr, "451") {
			t.Errorf("%s after %d attempts (%q), want failed after 5", status, attempts, lastErr)
		}
		// An admin's retry puts it back; the next run sends it.
		box.reject.Store(0)
		var admin int64 = f.users["admin@example.org"]
		id := f.scalar(t, `SELECT id FROM email_deliveries`)
		if err := f.db.RetryDelivery(t.Context(), portal.Actor{UserID: admin}, id); err != nil {
			t.Fatal(err)
		}
		drain(t, f, f.worker(f.db, addr))
		if len(box.all()) != 1 || f.statuses(t)[portal.DeliverySent] != 1 {
			t.Errorf("after the retry: %d received, %v", len(box.all()), f.statuses(t))
		}
	})
}

// Without SMTP every message is rendered and kept as logged.
func TestWorkerWithoutSMTPLogs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.user(t, "admin@example.org", portal.RoleAdmin, "en")
	f.notice(t, portal.NotifyReportSubmitted, 3)
	drain(t, f, f.worker(f.db, ""))
	d, err := f.db.DeliveryByID(t.Context(), f.scalar(t, `SELECT id FROM email_deliveries`))
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != portal.DeliveryLogged || d.SentAt.IsZero() || d.Locale != "en" ||
		!strings.Contains(d.Subject, "submitted its work report for 2026") ||
		!strings.Contains(d.BodyText, "https://portal.example.org/admin/reports/3") || !strings.Contains(d.BodyHTML, "<html lang=\"en\">") {
		t.Errorf("logged %+v", d)
	}
}
