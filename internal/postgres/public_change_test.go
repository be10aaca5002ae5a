package postgres_test

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// heard records what a listener is told.
type heard struct {
	mu        sync.Mutex
	listening int
	lost      int
	tables    []string
	synced    map[string]bool
}

func (h *heard) Listening()     { h.mu.Lock(); h.listening++; h.mu.Unlock() }
func (h *heard) Lost(err error) { h.mu.Lock(); h.lost++; h.mu.Unlock() }
func (h *heard) Changed(table string) {
	h.mu.Lock()
	h.tables = append(h.tables, table)
	h.mu.Unlock()
}
func (h *heard) Synced(token string) { h.mu.Lock(); h.synced[token] = true; h.mu.Unlock() }

// take returns the tables heard since the last take.
func (h *heard) take() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	t := h.tables
	h.tables = nil
	return t
}

func (h *heard) poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		h.mu.Lock()
		ok := cond()
		h.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// Writes a public page shows are heard, once per transaction and table,
// only once committed; writes no public page shows (a draft summary, an
// invitation's reply) are not. A lost connection is told and mended.
func TestListenPublicChanges(t *testing.T) {
	t.Parallel()
	d := newDemoDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	h := &heard{synced: map[string]bool{}}
	done := make(chan struct{})
	go func() { defer close(done); _ = d.db.ListenPublicChanges(ctx, h) }()
	t.Cleanup(func() { cancel(); <-done })
	h.poll(t, "LISTEN", func() bool { return h.listening == 1 })

	n := 0
	// after runs sql and returns the tables heard up to a sync token sent
	// after it.
	after := func(sql string, args ...any) []string {
		t.Helper()
		if sql != "" {
			if _, err := d.db.Pool().Exec(t.Context(), sql, args...); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		n++
		token := "t" + strconv.Itoa(n)
		if err := d.db.SyncPublicChanges(t.Context(), token); err != nil {
			t.Fatal(err)
		}
		h.poll(t, "the sync token", func() bool { return h.synced[token] })
		return h.take()
	}
	after("")
	session := d.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ('listen-2044', '监听会议', 'Listening session', 'municipal', '2044-01-19', 'held') RETURNING id`)
	after("") // the session's own notice

	for _, c := range []struct {
		name string
		sql  string
		want []string
	}{
		{"a draft summary", `INSERT INTO summaries (session_id, title_zh) VALUES ($1, '草稿')`, nil},
		{"a draft edited", `UPDATE summaries SET title_zh = '草稿二' WHERE session_id = $1`, nil},
		{"published", `UPDATE summaries SET status = 'published', title_zh = '纪要', title_en = 'Summary', body_zh = '正文',
			body_en = 'Body', first_published_at = now() WHERE session_id = $1`, []string{"summaries"}},
		{"unpublished", `UPDATE summaries SET status = 'draft' WHERE session_id = $1`, []string{"summaries"}},
		{"invited", `INSERT INTO invitations (session_id, ngo_id) SELECT $1, id FROM ngos`, []string{"invitations"}},
		{"a reply", `UPDATE invitations SET reply = 'confirmed' WHERE session_id = $1`, nil},
		{"present", `UPDATE invitations SET attendance = 'present' WHERE session_id = $1`, []string{"invitations"}},
		{"a request", `INSERT INTO session_requests (session_id, number, text_zh, made_by)
			SELECT $1, 1, '要求', id FROM officials ORDER BY id LIMIT 1`, []string{"session_requests"}},
		{"an official", `INSERT INTO session_officials (session_id, official_id) SELECT $1, id FROM officials ORDER BY id LIMIT 1`, []string{"session_officials"}},
		{"the session", `UPDATE sessions SET venue_zh = '会场' WHERE id = $1`, []string{"sessions"}},
	} {
		if got := after(c.sql, session); !slices.Equal(got, c.want) {
			t.Errorf("%s: heard %v, want %v", c.name, got, c.want)
		}
	}
	for _, c := range []struct{ name, sql, want string }{
		{"an NGO", `UPDATE ngos SET profile_zh = profile_zh || '。'`, "ngos"},
		{"an official's name", `UPDATE officials SET name_en = name_en || ' '`, "officials"},
		{"a cycle", `UPDATE reporting_cycles SET version = version + 1`, "reporting_cycles"},
	} {
		if got := after(c.sql); !slices.Equal(got, []string{c.want}) {
			t.Errorf("%s: heard %v, want [%s]", c.name, got, c.want)
		}
	}

	// Several writes in one transaction: each table once, and nothing
	// from a transaction rolled back.
	tx, err := d.db.Pool().Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := tx.Exec(t.Context(), `UPDATE ngos SET website = website WHERE true`); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := after(""); len(got) > 0 {
		t.Errorf("a rolled back transaction was heard: %v", got)
	}
	tx, err = d.db.Pool().Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := tx.Exec(t.Context(), `UPDATE ngos SET website = website WHERE true`); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := after(""); !slices.Equal(got, []string{"ngos"}) {
		t.Errorf("three writes in one transaction: heard %v, want [ngos]", got)
	}

	// A lost connection is told, and the listener listens again.
	if _, err := d.db.Pool().Exec(t.Context(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'portal public-change listener'`); err != nil {
		t.Fatal(err)
	}
	h.poll(t, "the loss and a new LISTEN", func() bool { return h.lost == 1 && h.listening == 2 })
	if got := after(`UPDATE ngos SET website = website`); !slices.Equal(got, []string{"ngos"}) {
		t.Errorf("after reconnecting: heard %v", got)
	}
}
