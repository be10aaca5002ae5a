package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// ScheduleName is the reminders' row in schedule_leases.
const ScheduleName = "reminders"

// ScheduleOptions tune the schedule; the zero value of a field takes its
// default.
type ScheduleOptions struct {
	Interval time.Duration // how often each instance tries to run it (5m)
	// How long a run keeps the other instances off while it runs (10m): a
	// run that dies leaves the lease to expire after this long.
	Lease time.Duration
}

func (o ScheduleOptions) withDefaults() ScheduleOptions {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Minute
	}
	if o.Lease <= 0 {
		o.Lease = 10 * time.Minute
	}
	return o
}

// Scheduler writes the reminders and digests that are due (see
// postgres.RunReminders) into the notifications' outbox, which the Worker
// delivers. Every portal instance runs one; a lease in PostgreSQL lets one
// at a time run the schedule, about once per Interval across all of them,
// and the first instance to start after downtime runs it at once: it
// catches up, and the notices' idempotence keeps it from writing anything
// twice.
type Scheduler struct {
	DB      *postgres.DB
	Rules   portal.ReminderRules
	Log     *slog.Logger
	Options ScheduleOptions
	Holder  string           // names this instance in the lease (InstanceName); required
	Now     func() time.Time // the clock; nil is time.Now
}

// Run runs the schedule at once and then every Interval until ctx is
// cancelled.
func (s *Scheduler) Run(ctx context.Context) {
	o := s.Options.withDefaults()
	t := time.NewTicker(o.Interval)
	defer t.Stop()
	for {
		now := time.Now()
		if s.Now != nil {
			now = s.Now()
		}
		if _, _, err := s.RunOnce(ctx, now); err != nil && ctx.Err() == nil {
			s.Log.Error("reminder schedule", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce runs the schedule as of now if this instance gets the lease,
// reporting whether it ran and how many notices it wrote by kind. After a
// run the lease is kept until the next run is due (nine tenths of Interval
// on: an instance whose ticker comes a little early still runs); after a
// failed one it is released, so the next try runs it again.
func (s *Scheduler) RunOnce(ctx context.Context, now time.Time) (bool, portal.ReminderRun, error) {
	o := s.Options.withDefaults()
	holder := s.Holder
	if holder == "" {
		return false, nil, errors.New("reminder schedule without a holder name")
	}
	ok, err := s.DB.TakeScheduleLease(ctx, ScheduleName, holder, now, now.Add(o.Lease))
	if err != nil || !ok {
		return false, nil, err
	}
	run, err := s.DB.RunReminders(ctx, now, s.rules())
	// The lease is settled even when ctx has ended, so that no instance
	// waits for it to expire.
	rctx := context.WithoutCancel(ctx)
	if err != nil {
		if rerr := s.DB.ReleaseScheduleLease(rctx, ScheduleName, holder, now); rerr != nil {
			s.Log.Error("reminder schedule: release lease", "err", rerr)
		}
		return true, run, err
	}
	if n := run.Total(); n > 0 {
		s.Log.Info("reminders written", "count", n, "by_kind", map[portal.NotificationKind]int(run))
	}
	return true, run, s.DB.FinishScheduleRun(rctx, ScheduleName, holder, now, now.Add(o.Interval*9/10))
}

// rules are s.Rules with the defaults of what configuration does not set.
func (s *Scheduler) rules() portal.ReminderRules {
	r := s.Rules
	if r.OverdueWithin <= 0 {
		r.OverdueWithin = portal.DefaultReminderRules().OverdueWithin
	}
	r.DigestHour = min(max(r.DigestHour, 0), 23)
	return r
}

// InstanceName names this process in a schedule's lease: its host, its
// process id and a random part, so that two instances never share a name.
func InstanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand never fails
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
