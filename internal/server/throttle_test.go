package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"ngoportal/internal/portal"
)

func retryAfter(t *testing.T, res response) int {
	t.Helper()
	n, err := strconv.Atoi(res.header.Get("Retry-After"))
	if err != nil {
		t.Fatalf("Retry-After %q", res.header.Get("Retry-After"))
	}
	return n
}

func TestThrottle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-in-finance")
	createUser(t, h, portal.RoleStaff, ngoA, "banker@example.org", "银行家")
	createUser(t, h, portal.RoleStaff, ngoA, "teller@example.org", "柜员")
	createUser(t, h, portal.RoleStaff, ngoA, "auditor@example.org", "审计")

	t.Run("ErrTooManyFailuresFromOneAddress", func(t *testing.T) {
		const addr = "198.51.100.7:5555"
		for i := range 10 {
			res := h.signIn(t, fmt.Sprintf("guess%d@example.org", i), "wrong-password-here", "remote", addr)
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d: status %d", i+1, res.status)
			}
		}
		res := h.signIn(t, "banker@example.org", testPassword, "remote", addr)
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("11th attempt from the address: status %d, want 429", res.status)
		}
		if n := retryAfter(t, res); n < 1 || n > 180 {
			t.Errorf("Retry-After %d, want 1..180 seconds", n)
		}
		wantContains(t, res.body, "尝试登录的次数过多")
		if other := h.signIn(t, "banker@example.org", testPassword, "remote", "198.51.100.8:1"); other.status != http.StatusSeeOther {
			t.Errorf("another address is refused too: %d", other.status)
		}
	})

	t.Run("ErrGrowingDelayForOneAccount", func(t *testing.T) {
		for i := range 5 {
			res := h.signIn(t, "teller@example.org", "wrong-password-here", "remote", fmt.Sprintf("203.0.113.%d:1", i+1))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d: status %d", i+1, res.status)
			}
		}
		res := h.signIn(t, "teller@example.org", testPassword, "remote", "203.0.113.50:1")
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("6th try at once: status %d, want 429", res.status)
		}
		if n := retryAfter(t, res); n < 1 || n > 2 {
			t.Errorf("first delay %d s, want 1", n)
		}
		// Not a lock-out: once the delay has passed, the right password works.
		if _, err := h.db.Pool().Exec(t.Context(), `UPDATE login_attempts SET at = at - interval '2 seconds' WHERE email = 'teller@example.org'`); err != nil {
			t.Fatal(err)
		}
		if res := h.signIn(t, "teller@example.org", testPassword, "remote", "203.0.113.50:1"); res.status != http.StatusSeeOther {
			t.Errorf("after the delay: status %d, want 303", res.status)
		}
	})

	t.Run("OKKnownAddressIsSparedTheAccountLimits", func(t *testing.T) {
		const home = "203.0.113.200:1"
		if res := h.signIn(t, "auditor@example.org", testPassword, "remote", home); res.status != http.StatusSeeOther {
			t.Fatalf("first sign-in: %d", res.status)
		}
		for i := range 8 {
			h.signIn(t, "auditor@example.org", "attacker-guess-123", "remote", fmt.Sprintf("192.0.2.%d:1", 100+i))
		}
		if res := h.signIn(t, "auditor@example.org", testPassword, "remote", "192.0.2.150:1"); res.status != http.StatusTooManyRequests {
			t.Errorf("a new address during the attack: %d, want 429", res.status)
		}
		if res := h.signIn(t, "auditor@example.org", testPassword, "remote", home); res.status != http.StatusSeeOther {
			t.Errorf("the owner's usual address is locked out: %d", res.status)
		}
	})

	t.Run("ErrHundredTriesAnHour", func(t *testing.T) {
		createUser(t, h, portal.RoleStaff, ngoA, "target@example.org", "目标")
		if _, err := h.db.Pool().Exec(t.Context(), `
			INSERT INTO login_attempts (at, client_addr, email, succeeded)
			SELECT now() - interval '58 minutes' + (i * interval '30 seconds'), ('10.9.' || (i / 250) || '.' || (i % 250))::inet, 'target@example.org', false
			FROM generate_series(1, 100) AS i`); err != nil {
			t.Fatal(err)
		}
		// The last failure was over a minute ago, so only the hourly cap applies.
		res := h.signIn(t, "target@example.org", testPassword, "remote", "192.0.2.77:1")
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("101st try within the hour: %d, want 429", res.status)
		}
		if n := retryAfter(t, res); n < 1 || n > 3600 {
			t.Errorf("Retry-After %d", n)
		}
	})
}

// signInAtOnce sends one sign-in for each (email, remote) pair at the same
// time and counts the answers by status.
func signInAtOnce(t *testing.T, h *harness, emails, remotes []string, pw string) map[int]int {
	t.Helper()
	statuses := make([]int, len(emails))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range emails {
		wg.Go(func() {
			<-start
			statuses[i] = h.signIn(t, emails[i], pw, "remote", remotes[i]).status
		})
	}
	close(start)
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	return counts
}

// attemptsFrom counts the recorded sign-in attempts from inside network.
func attemptsFrom(t *testing.T, h *harness, network string) int {
	t.Helper()
	var n int
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT count(*) FROM login_attempts WHERE client_addr <<= $1::inet`, network).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestThrottleAtOnce sends attempts in parallel: the throttle must count
// each before any password is checked, so exactly the limit gets through.
func TestThrottleAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-in-finance")
	cashier := createUser(t, h, portal.RoleStaff, ngoA, "cashier@example.org", "出纳")

	t.Run("ErrFortyFromOneAddress", func(t *testing.T) {
		var emails, remotes []string
		for i := range 40 {
			emails = append(emails, fmt.Sprintf("burst%d@example.org", i))
			remotes = append(remotes, "198.51.100.40:1")
		}
		got := signInAtOnce(t, h, emails, remotes, "wrong-password-here")
		if got[http.StatusUnprocessableEntity] != 10 || got[http.StatusTooManyRequests] != 30 {
			t.Errorf("statuses %v, want 10 × 422 and 30 × 429", got)
		}
		if n := attemptsFrom(t, h, "198.51.100.40/32"); n != 10 {
			t.Errorf("%d attempts recorded, want 10", n)
		}
	})

	t.Run("ErrTwentyForOneAccountFromTwentyAddresses", func(t *testing.T) {
		var emails, remotes []string
		for i := range 20 {
			emails = append(emails, "cashier@example.org")
			remotes = append(remotes, fmt.Sprintf("203.0.113.%d:1", 100+i))
		}
		got := signInAtOnce(t, h, emails, remotes, "wrong-password-here")
		if got[http.StatusUnprocessableEntity] != 5 || got[http.StatusTooManyRequests] != 15 {
			t.Errorf("statuses %v, want 5 × 422 and 15 × 429", got)
		}
		if n := auditCount(t, h, portal.AuditSignInFailed, cashier); n != 5 {
			t.Errorf("%d failures audited, want 5", n)
		}
	})
}

// TestThrottleIPv6Network counts an IPv6 client by its /64: an attacker
// who rotates addresses inside it is one client.
func TestThrottleIPv6Network(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ngoA := ngoIDBySlug(t, h, "women-in-finance")
	createUser(t, h, portal.RoleStaff, ngoA, "clerk@example.org", "文员")

	for i := range 10 {
		remote := fmt.Sprintf("[2001:db8:1:2:%x::%x]:443", i, i+1)
		if res := h.signIn(t, fmt.Sprintf("v6guess%d@example.org", i), "wrong-password-here", "remote", remote); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d", i+1, res.status)
		}
	}
	if res := h.signIn(t, "clerk@example.org", testPassword, "remote", "[2001:db8:1:2:ffff:ffff:ffff:ffff]:443"); res.status != http.StatusTooManyRequests {
		t.Errorf("another address in the same /64: status %d, want 429", res.status)
	}
	if res := h.signIn(t, "clerk@example.org", testPassword, "remote", "[2001:db8:1:3::1]:443"); res.status != http.StatusSeeOther {
		t.Errorf("the next /64: status %d, want 303", res.status)
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, map[string]string{"PORTAL_TRUSTED_PROXIES": "10.0.0.0/8"}, nil, nil)
	cases := []struct {
		name, remote, xff, want string
	}{
		{"OKPeer", "192.0.2.1:1234", "", "192.0.2.1"},
		{"ErrForwardedFromUntrustedIgnored", "192.0.2.1:1234", "203.0.113.9", "192.0.2.1"},
		{"OKForwardedFromTrustedProxy", "10.1.2.3:80", "203.0.113.9", "203.0.113.9"},
		{"OKNearestUntrustedHop", "10.1.2.3:80", "198.51.100.1, 203.0.113.9, 10.0.0.5", "203.0.113.9"},
		{"ErrMalformedChain", "10.1.2.3:80", "not-an-ip", "10.1.2.3"},
		{"OKIPv6Peer", "[2001:db8::1]:443", "", "2001:db8::1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := h.srv.clientAddr(r).String(); got != tc.want {
				t.Errorf("clientAddr = %s, want %s", got, tc.want)
			}
		})
	}
}
