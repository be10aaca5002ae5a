package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
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
