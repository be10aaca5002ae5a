package demo_test

import (
	"testing"

	"ngoportal/internal/postgres"
)

func TestSeedSessions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db, first := seeded(t)
	q := db.Pool()

	t.Run("Session2021", func(t *testing.T) {
		var invited, confirmed, present, withReps, repsAttended, reps, agenda, slots int
		var deadline string
		err := q.QueryRow(ctx, `
			SELECT count(*), count(*) FILTER (WHERE i.reply = 'confirmed'), count(*) FILTER (WHERE i.attendance = 'present'),
			       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM representatives r WHERE r.invitation_id = i.id)),
			       (SELECT count(*) FILTER (WHERE r.attended) FROM representatives r JOIN invitations j ON j.id = r.invitation_id WHERE j.session_id = s.id),
			       (SELECT count(*) FROM representatives r JOIN invitations j ON j.id = r.invitation_id WHERE j.session_id = s.id),
			       (SELECT count(*) FROM agenda_items a WHERE a.session_id = s.id),
			       (SELECT count(*) FROM agenda_items a WHERE a.session_id = s.id AND a.ngo_id IS NOT NULL AND a.duration_minutes = 8),
			       to_char(s.reply_deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
			FROM sessions s JOIN invitations i ON i.session_id = s.id
			WHERE s.slug = '2021-municipal-leadership-session'
			GROUP BY s.id`).Scan(&invited, &confirmed, &present, &withReps, &repsAttended, &reps, &agenda, &slots, &deadline)
		if err != nil {
			t.Fatal(err)
		}
		if invited != 18 || confirmed != 18 || present != 18 || withReps != 18 {
			t.Errorf("invited %d, confirmed %d, present %d, with representatives %d; want 18 each", invited, confirmed, present, withReps)
		}
		if reps < 18 || reps > 36 || repsAttended != reps {
			t.Errorf("%d representatives, %d attended; want 18–36, all attended", reps, repsAttended)
		}
		if agenda < 5 || slots < 2 {
			t.Errorf("agenda has %d items, %d NGO slots of 8 minutes", agenda, slots)
		}
		if deadline != "2021-01-12 18:00" {
			t.Errorf("reply deadline %s, want 2021-01-12 18:00 Shanghai", deadline)
		}

		sessionID := sessionIDBySlug(t, db, "2021-municipal-leadership-session")
		reqs, err := db.ListRequests(ctx, sessionID)
		if err != nil {
			t.Fatal(err)
		}
		if len(reqs) != 2 {
			t.Fatalf("%d requests, want 2", len(reqs))
		}
		for i, r := range reqs {
			if r.Number != i+1 || !r.AddressedToAll || r.MadeByNameEN != "Xu Feng" || r.TextZH == "" || r.TextEN == "" {
				t.Errorf("request %d = %+v", i+1, r)
			}
		}
		// Addressed to all: every one of the 18 invited NGOs gets both.
		var ngoIDs []int64
		rows, err := q.Query(ctx, `SELECT id FROM ngos`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ngoIDs = append(ngoIDs, id)
		}
		if err := rows.Err(); err != nil || len(ngoIDs) != 18 {
			t.Fatalf("NGOs: %d, %v", len(ngoIDs), err)
		}
		for _, id := range ngoIDs {
			got, err := db.RequestsForNGO(ctx, sessionID, id)
			if err != nil || len(got) != 2 {
				t.Errorf("NGO %d sees %d requests (%v), want 2", id, len(got), err)
			}
		}
	})

	t.Run("Session2027", func(t *testing.T) {
		var status, deadline, heldOn string
		var review, plan, officials, agenda int
		err := q.QueryRow(ctx, `
			SELECT s.status, to_char(s.reply_deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
			       to_char(s.held_on, 'YYYY-MM-DD'), c.review_year, c.plan_year,
			       (SELECT count(*) FROM session_officials so WHERE so.session_id = s.id),
			       (SELECT count(*) FROM agenda_items a WHERE a.session_id = s.id)
			FROM sessions s JOIN reporting_cycles c ON c.id = s.cycle_id
			WHERE s.slug = '2027-municipal-leadership-session'`).Scan(&status, &deadline, &heldOn, &review, &plan, &officials, &agenda)
		if err != nil {
			t.Fatal(err)
		}
		if status != "scheduled" || deadline != "2027-01-12 18:00" || heldOn != "2027-01-19" || review != 2026 || plan != 2027 || officials != 3 || agenda < 5 {
			t.Errorf("2027 session: %s, deadline %s, on %s, cycle %d→%d, %d officials, %d agenda items",
				status, deadline, heldOn, review, plan, officials, agenda)
		}
		rows, err := q.Query(ctx, `
			SELECT u.email, i.reply, i.decline_reason <> '',
			       (SELECT count(*) FROM representatives r WHERE r.invitation_id = i.id)
			FROM invitations i
			JOIN sessions s ON s.id = i.session_id
			JOIN users u ON u.ngo_id = i.ngo_id AND u.role = 'staff'
			WHERE s.slug = '2027-municipal-leadership-session'
			ORDER BY u.email`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var email, reply string
			var reason bool
			var reps int
			if err := rows.Scan(&email, &reply, &reason, &reps); err != nil {
				t.Fatal(err)
			}
			n++
			want := "none"
			switch email {
			case "ngo02@example.org", "ngo03@example.org", "ngo04@example.org", "ngo05@example.org":
				want = "confirmed"
				if reps < 1 {
					t.Errorf("%s confirmed without representatives", email)
				}
			case "ngo06@example.org":
				want = "declined"
				if !reason {
					t.Errorf("%s declined without a reason", email)
				}
			}
			if reply != want {
				t.Errorf("%s replied %s, want %s", email, reply, want)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != 18 {
			t.Errorf("%d NGOs invited to 2027, want 18", n)
		}
	})

	t.Run("Idempotent", func(t *testing.T) {
		wantReseedSame(t, db, first)
	})
}

// sessionIDBySlug returns a session's id.
func sessionIDBySlug(t *testing.T, db *postgres.DB, slug string) int64 {
	t.Helper()
	var id int64
	if err := db.Pool().QueryRow(t.Context(), `SELECT id FROM sessions WHERE slug = $1`, slug).Scan(&id); err != nil {
		t.Fatalf("session %s: %v", slug, err)
	}
	return id
}
