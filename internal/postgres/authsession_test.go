package postgres_test

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

func actorAt(addr string) portal.Actor {
	return portal.Actor{ClientAddr: netip.MustParseAddr(addr)}
}

// beginAll begins one sign-in attempt for each (address, email) pair, all
// at once, and returns how many were let through.
func beginAll(t *testing.T, db *postgres.DB, addrs, emails []string) int {
	t.Helper()
	verdicts := make([]postgres.Throttle, len(addrs))
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range addrs {
		wg.Go(func() {
			<-start
			verdicts[i], errs[i] = db.BeginSignInAttempt(t.Context(), actorAt(addrs[i]), emails[i])
		})
	}
	close(start)
	wg.Wait()
	allowed := 0
	for i, v := range verdicts {
		if errs[i] != nil {
			t.Fatalf("BeginSignInAttempt: %v", errs[i])
		}
		if v.Allowed {
			allowed++
			if v.Attempt == 0 {
				t.Errorf("an allowed attempt without its id")
			}
		} else if v.RetryAfter <= 0 {
			t.Errorf("a refused attempt with RetryAfter %v", v.RetryAfter)
		}
	}
	return allowed
}

func begin(t *testing.T, db *postgres.DB, addr, email string) postgres.Throttle {
	t.Helper()
	v, err := db.BeginSignInAttempt(t.Context(), actorAt(addr), email)
	if err != nil {
		t.Fatalf("BeginSignInAttempt(%s, %s): %v", addr, email, err)
	}
	return v
}

func TestBeginSignInAttemptAtOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)

	t.Run("ErrOneAddress", func(t *testing.T) {
		var addrs, emails []string
		for i := range 40 {
			addrs = append(addrs, "198.51.100.1")
			emails = append(emails, fmt.Sprintf("guess%d@example.org", i))
		}
		if n := beginAll(t, db, addrs, emails); n != 10 {
			t.Errorf("%d of 40 attempts from one address let through, want 10", n)
		}
	})

	t.Run("ErrOneAccount", func(t *testing.T) {
		var addrs, emails []string
		for i := range 20 {
			addrs = append(addrs, fmt.Sprintf("203.0.113.%d", i+1))
			emails = append(emails, "Target@example.org") // the account's email in any case
		}
		if n := beginAll(t, db, addrs, emails); n != 5 {
			t.Errorf("%d of 20 attempts for one account let through, want 5", n)
		}
		if v := begin(t, db, "192.0.2.1", "target@EXAMPLE.org"); v.Allowed {
			t.Error("the account's email in other letters escapes its limit")
		}
	})
}

func TestBeginSignInAttemptNetwork(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)

	t.Run("ErrIPv6CountedBySlash64", func(t *testing.T) {
		for i := range 10 {
			if v := begin(t, db, fmt.Sprintf("2001:db8:aa:1:%x::1", i), fmt.Sprintf("v6-%d@example.org", i)); !v.Allowed {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		if v := begin(t, db, "2001:db8:aa:1:ffff::9", "v6-next@example.org"); v.Allowed {
			t.Error("an 11th address in the same /64 is let through")
		}
		if v := begin(t, db, "2001:db8:aa:2::1", "v6-next@example.org"); !v.Allowed {
			t.Error("another /64 is refused")
		}
	})

	t.Run("OKIPv4MappedCountsAsIPv4", func(t *testing.T) {
		for i := range 10 {
			if v := begin(t, db, "::ffff:198.51.100.50", fmt.Sprintf("v4m-%d@example.org", i)); !v.Allowed {
				t.Fatalf("attempt %d refused", i+1)
			}
		}
		if v := begin(t, db, "::ffff:198.51.100.50", "v4m-next@example.org"); v.Allowed {
			t.Error("an 11th attempt from the mapped address is let through")
		}
		if v := begin(t, db, "198.51.100.50", "v4m-next@example.org"); v.Allowed {
			t.Error("the mapped address and the IPv4 address are counted apart")
		}
		// IPv4 stays per address: a mapped address is not lumped with the
		// rest of IPv4 in ::ffff:0:0/64.
		if v := begin(t, db, "::ffff:198.51.100.51", "v4m-next@example.org"); !v.Allowed {
			t.Error("a neighbouring IPv4 address is refused")
		}
	})
}

func TestFinishSignInAttempt(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := t.Context()
	d := testDB{db: db}

	t.Run("OKSucceededFreesTheAddress", func(t *testing.T) {
		const addr = "198.51.100.60"
		var first int64
		for i := range 10 {
			v := begin(t, db, addr, fmt.Sprintf("user%d@example.org", i))
			if i == 0 {
				first = v.Attempt
			}
		}
		if v := begin(t, db, addr, "user10@example.org"); v.Allowed {
			t.Fatal("an 11th attempt under way is let through")
		}
		if err := db.FinishSignInAttempt(ctx, actorAt(addr), first, "user0@example.org", true, 0); err != nil {
			t.Fatal(err)
		}
		if v := begin(t, db, addr, "user10@example.org"); !v.Allowed {
			t.Error("a sign-in that succeeded still counts as a failure")
		}
	})

	t.Run("OKFailureAudited", func(t *testing.T) {
		a := actorAt("198.51.100.61")
		a.Email = "nobody@example.org"
		v := begin(t, db, "198.51.100.61", a.Email)
		if err := db.FinishSignInAttempt(ctx, a, v.Attempt, a.Email, false, 0); err != nil {
			t.Fatal(err)
		}
		if n := d.id(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_email = $2`, portal.AuditSignInFailed, a.Email); n != 1 {
			t.Errorf("%d failures audited, want 1", n)
		}
		if n := d.id(t, `SELECT count(*) FROM login_attempts WHERE id = $1 AND NOT succeeded`, v.Attempt); n != 1 {
			t.Errorf("the failed attempt is not kept as a failure")
		}
	})

	t.Run("ErrAnotherEmailsAttempt", func(t *testing.T) {
		v := begin(t, db, "198.51.100.62", "owner@example.org")
		err := db.FinishSignInAttempt(ctx, actorAt("198.51.100.62"), v.Attempt, "someone-else@example.org", true, 0)
		if !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}
