package postgres_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
)

// Each group of the message form names exactly the active NGOs it says,
// computed from the data; a group with no NGO sends nothing.
func TestMessageRecipients(t *testing.T) {
	t.Parallel()
	d := newDemoDB(t)
	ctx := t.Context()
	admin := d.actor(t, demo.AdminEmail)
	ngos := d.ids(t, `SELECT id FROM ngos WHERE active ORDER BY id LIMIT 5`)
	x, y, z, w := ngos[0], ngos[1], ngos[2], ngos[3]
	gone := ngos[4]
	d.exec(t, `UPDATE ngos SET active = false WHERE id = $1`, gone)
	active := d.ids(t, `SELECT id FROM ngos WHERE active ORDER BY id`)
	without := func(ids ...int64) []int64 {
		return slices.DeleteFunc(slices.Clone(active), func(id int64) bool { return slices.Contains(ids, id) })
	}

	cycle := d.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2045, 2046, '2045-11-01', '2046-01-08', 'open') RETURNING id`)
	d.exec(t, `INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at) VALUES
		($1, $2, 'submitted', now(), NULL), ($1, $3, 'accepted', now(), now()), ($1, $4, 'draft', NULL, NULL), ($1, $5, 'returned', now(), NULL)`,
		cycle, x, y, z, w)
	closed := d.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2046, 2047, '2046-11-01', '2047-01-08', 'closed') RETURNING id`)

	scheduled := d.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, reply_deadline)
		VALUES ('msg-2046', '2046年会议', '2046 session', 'municipal', '2046-01-19', 'scheduled', '2046-01-10') RETURNING id`)
	d.exec(t, `INSERT INTO invitations (session_id, ngo_id, reply, decline_reason, withdrawn_at) VALUES
		($1, $2, 'none', '', NULL), ($1, $3, 'confirmed', '', NULL), ($1, $4, 'declined', '另有安排', NULL), ($1, $5, 'none', '', now()), ($1, $6, 'none', '', NULL)`,
		scheduled, x, y, z, w, gone)

	held := d.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, responses_due_on)
		VALUES ('msg-2045', '2045年会议', '2045 session', 'municipal', '2045-01-19', 'held', '2045-03-31') RETURNING id`)
	d.exec(t, `INSERT INTO invitations (session_id, ngo_id) VALUES ($1, $2), ($1, $3), ($1, $4)`, held, x, y, z)
	q1 := d.id(t, `INSERT INTO session_requests (session_id, number, text_zh) VALUES ($1, 1, '要求一') RETURNING id`, held)
	q2 := d.id(t, `INSERT INTO session_requests (session_id, number, text_zh, addressed_to_all) VALUES ($1, 2, '要求二', false) RETURNING id`, held)
	d.exec(t, `INSERT INTO request_recipients (request_id, ngo_id) VALUES ($1, $2)`, q2, x)
	// y answered its one request; x answered q1 but not q2; z nothing.
	d.exec(t, `INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason) VALUES ($1, $2, true, '无'), ($1, $3, true, '无')`, q1, y, x)

	for _, tc := range []struct {
		name string
		a    portal.Audience
		want []int64
	}{
		{"All", portal.Audience{Kind: portal.AudienceAll}, active},
		{"NoReportSkipsSubmittedAndAccepted", portal.Audience{Kind: portal.AudienceNoReport, Ref: cycle}, without(x, y)},
		{"NoReportOfAClosedCycleIsNobody", portal.Audience{Kind: portal.AudienceNoReport, Ref: closed}, nil},
		{"NoReplyOnlyCurrentUnansweredInvitationsOfActiveNGOs", portal.Audience{Kind: portal.AudienceNoReply, Ref: scheduled}, []int64{x}},
		{"NoAnswerAnyRequestUnanswered", portal.Audience{Kind: portal.AudienceNoAnswer, Ref: held}, []int64{x, z}},
		{"NoAnswerOfASessionNotAskedIsNobody", portal.Audience{Kind: portal.AudienceNoAnswer, Ref: scheduled}, nil},
		{"ChosenActiveOnly", portal.Audience{Kind: portal.AudienceChosen, NGOIDs: []int64{z, gone, 999999}}, []int64{z}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.db.MessageRecipients(ctx, tc.a)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, n := range got {
				ids = append(ids, n.ID)
			}
			slices.Sort(ids)
			if !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
		})
	}

	t.Run("TheFormOffersOpenCyclesAndLiveSessions", func(t *testing.T) {
		groups, err := d.db.MessageAudiences(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range groups {
			got = append(got, g.Audience.String())
		}
		for _, want := range []string{"all", portal.Audience{Kind: portal.AudienceNoReport, Ref: cycle}.String(),
			portal.Audience{Kind: portal.AudienceNoReply, Ref: scheduled}.String(), portal.Audience{Kind: portal.AudienceNoAnswer, Ref: held}.String()} {
			if !slices.Contains(got, want) {
				t.Errorf("%s not offered: %v", want, got)
			}
		}
		if slices.Contains(got, portal.Audience{Kind: portal.AudienceNoReport, Ref: closed}.String()) {
			t.Errorf("a closed cycle is offered: %v", got)
		}
	})

	t.Run("ErrNoRecipientsWritesNothing", func(t *testing.T) {
		_, err := d.db.SendAdminMessage(ctx, admin, portal.MessageDraft{Subject: "主题", Body: "正文",
			Audience: portal.Audience{Kind: portal.AudienceNoReport, Ref: closed}}, "00000000000000000000000000000001")
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["audience"] != "message.error.no_recipients" {
			t.Fatalf("err %v, want the audience's field message", err)
		}
		if n := d.id(t, `SELECT count(*) FROM admin_messages`); n != 0 {
			t.Errorf("%d messages written", n)
		}
	})

	t.Run("SentToTheGroupAsItIsWhenSent", func(t *testing.T) {
		// z submits after the form was shown: it is not written to.
		d.exec(t, `UPDATE reports SET status = 'submitted', submitted_at = now() WHERE cycle_id = $1 AND ngo_id = $2`, cycle, z)
		id, err := d.db.SendAdminMessage(ctx, admin, portal.MessageDraft{Subject: "请尽快提交报告", Body: "截止日期将至。",
			Audience: portal.Audience{Kind: portal.AudienceNoReport, Ref: cycle}}, "00000000000000000000000000000002")
		if err != nil {
			t.Fatal(err)
		}
		got := d.ids(t, `SELECT ngo_id FROM admin_message_recipients WHERE message_id = $1 ORDER BY ngo_id`, id)
		if want := without(x, y, z); !reflect.DeepEqual(got, want) {
			t.Errorf("sent to %v, want %v", got, want)
		}
		staff := d.ids(t, `SELECT recipient_id FROM notifications WHERE kind = 'admin_message' AND object_id = $1 ORDER BY recipient_id`, id)
		want := d.ids(t, `SELECT id FROM users WHERE role = 'staff' AND status = 'active' AND ngo_id = ANY($1) ORDER BY id`, got)
		if !reflect.DeepEqual(staff, want) {
			t.Errorf("notified %v, want %v", staff, want)
		}
		m, err := d.db.AdminMessageByID(ctx, id)
		if err != nil || m.Recipients != len(got) || len(m.NGOs) != len(got) || m.Audience != "no_report:"+itoa(int(cycle)) {
			t.Errorf("message %+v, %v", m, err)
		}
		if _, err := d.db.NGOMessage(ctx, id, z); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("an NGO it did not go to reads it: %v", err)
		}
		if _, err := d.db.NGOMessage(ctx, id, w); err != nil {
			t.Errorf("an NGO it went to: %v", err)
		}
	})
}
