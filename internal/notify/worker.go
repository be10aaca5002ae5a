package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	mail "github.com/wneessen/go-mail"

	"ngoportal/internal/config"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// Sender hands one rendered email to a mail server.
type Sender interface {
	Send(ctx context.Context, m postgres.Rendered) error
}

// PermanentError is a refusal that sending again will not change (an SMTP
// 5xx): the delivery fails at once instead of being retried.
type PermanentError struct{ Err error }

func (e PermanentError) Error() string { return e.Err.Error() }
func (e PermanentError) Unwrap() error { return e.Err }

// SMTPSender sends through the configured SMTP server with go-mail, one
// connection per message.
type SMTPSender struct {
	Config config.SMTP
	HELO   string // the name the client gives in HELO/EHLO; the portal's host
}

// Send implements Sender.
func (s SMTPSender) Send(ctx context.Context, m postgres.Rendered) error {
	msg := mail.NewMsg()
	if err := msg.From(s.Config.From); err != nil {
		return PermanentError{fmt.Errorf("sender %q: %w", s.Config.From, err)}
	}
	if err := msg.To(m.To); err != nil {
		return PermanentError{fmt.Errorf("recipient %q: %w", m.To, err)}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetGenHeader(mail.HeaderContentLang, m.Locale)
	// Tell auto-responders this is an automatic message (RFC 3834).
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)

	opts := []mail.Option{mail.WithPort(s.Config.Port), mail.WithTimeout(30 * time.Second)}
	if s.HELO != "" {
		opts = append(opts, mail.WithHELO(s.HELO))
	}
	switch s.Config.TLS {
	case "tls":
		opts = append(opts, mail.WithSSL())
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if s.Config.User != "" {
		auth := mail.SMTPAuthPlain
		if s.Config.TLS == "none" {
			auth = mail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(s.Config.User), mail.WithPassword(s.Config.Password))
	}
	c, err := mail.NewClient(s.Config.Host, opts...)
	if err != nil {
		return PermanentError{fmt.Errorf("SMTP client: %w", err)}
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *mail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 {
			return PermanentError{err}
		}
		return err
	}
	return nil
}

// Options tune the worker; the zero value of a field takes its default.
type Options struct {
	Poll        time.Duration // how often to look for due messages (5s)
	Batch       int           // how many messages one claim takes at most (20)
	Lease       time.Duration // how long a claim keeps other workers off (5m)
	Backoff     time.Duration // the wait after the first failure, doubled after each (1m)
	MaxBackoff  time.Duration // the longest wait between attempts (1h)
	MaxAttempts int           // attempts before a message fails for good (8)
}

func (o Options) withDefaults() Options {
	if o.Poll <= 0 {
		o.Poll = 5 * time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 20
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	return o
}

// Worker delivers the outbox. Several may run at once, in one process or
// in several: each message is claimed by one of them.
type Worker struct {
	DB       *postgres.DB
	Renderer Renderer
	Sender   Sender // nil: no SMTP server; messages are rendered and logged
	Log      *slog.Logger
	Options  Options
}

// Run delivers due messages until ctx is cancelled.
func (w *Worker) Run(ctx context.Context) {
	o := w.Options.withDefaults()
	t := time.NewTicker(o.Poll)
	defer t.Stop()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.Log.Error("deliver notifications", "err", err)
		}
		if n == o.Batch && err == nil {
			continue // there may be more due now
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce claims one batch of due messages and delivers each, returning how
// many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	o := w.Options.withDefaults()
	items, err := w.DB.ClaimDeliveries(ctx, o.Batch, o.Lease)
	if err != nil {
		return 0, err
	}
	for _, it := range items {
		if err := w.deliver(ctx, o, it); err != nil {
			return len(items), err
		}
	}
	return len(items), nil
}

// deliver sends (or logs) one claimed message and records the outcome.
func (w *Worker) deliver(ctx context.Context, o Options, it postgres.OutboxItem) error {
	// The outcome is recorded even when ctx ends mid-send: a message sent
	// must not stay pending for its lease.
	rctx := context.WithoutCancel(ctx)
	if !it.Active {
		return w.DB.RecordDeliveryFailure(rctx, it.DeliveryID, it.Attempt, "account not active", time.Time{}, postgres.Rendered{})
	}
	m, err := w.Renderer.Render(it)
	if err != nil {
		return w.DB.RecordDeliveryFailure(rctx, it.DeliveryID, it.Attempt, "render: "+err.Error(), time.Time{}, postgres.Rendered{})
	}
	if w.Sender == nil {
		return w.DB.RecordDelivered(rctx, it.DeliveryID, it.Attempt, portal.DeliveryLogged, m)
	}
	sctx, cancel := context.WithTimeout(ctx, o.Lease/2)
	err = w.Sender.Send(sctx, m)
	cancel()
	if err == nil {
		return w.DB.RecordDelivered(rctx, it.DeliveryID, it.Attempt, portal.DeliverySent, m)
	}
	var retryAt time.Time
	var perm PermanentError
	if !errors.As(err, &perm) && it.Attempt < o.MaxAttempts {
		retryAt = time.Now().Add(backoff(o, it.Attempt))
	}
	w.Log.Warn("email not delivered", "delivery", it.DeliveryID, "attempt", it.Attempt, "retry", !retryAt.IsZero(), "err", err)
	return w.DB.RecordDeliveryFailure(rctx, it.DeliveryID, it.Attempt, truncate(err.Error(), 1000), retryAt, m)
}

// backoff is the wait after failed attempt n (from 1): Backoff doubled
// n-1 times, at most MaxBackoff.
func backoff(o Options, n int) time.Duration {
	d := o.Backoff
	for i := 1; i < n && d < o.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, o.MaxBackoff)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
