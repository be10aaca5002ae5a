package demo

import (
	"context"
	"fmt"

	"ngoportal/internal/postgres"
)

// The demo's leadership sessions beyond the bare 2021 session row that
// Seed inserts: its agenda, invitations, attendance and the chair's two
// requests, and a next session that is still open for replies.
//
// Why 2027 and not 2022 for "the next year's session": the demo is tried
// today (late 2026), and a session of January 2022 would have a reply
// deadline long past, so nobody could answer an invitation. The 2027
// session (cycle 2026 → 2027) keeps replies open, so every state shows:
// confirmed, declined and no reply yet (ngo01 has deliberately not replied,
// so the demo staff sign-in ngo01@example.org can answer it).

const (
	session2020 = "2020-municipal-leadership-session"
	session2021 = "2021-municipal-leadership-session"
	session2022 = "2022-municipal-leadership-session"
	session2027 = "2027-municipal-leadership-session"
)

// rep is one representative an NGO names: name, job title in the NGO.
type rep struct{ name, title string }

// reps are the representatives of the demo NGOs, in seed order (the
// same people stand for their NGO at both sessions). Invented names.
var reps = [][]rep{
	{{"林晓燕", "会长"}, {"邵佳怡", "秘书长"}},
	{{"钱文慧", "会长"}},
	{{"蒋丽华", "会长"}, {"沈雅琴", "秘书长"}},
	{{"韩敏洁", "会长"}},
	{{"冯秀英", "会长"}, {"许诗涵", "秘书长"}},
	{{"曹玉梅", "理事长"}},
	{{"彭晓岚", "会长"}, {"吕欣怡", "副秘书长"}},
	{{"苏婉清", "会长"}},
	{{"蔡静宜", "会长"}, {"潘思远", "秘书长"}},
	{{"袁淑芬", "理事长"}, {"罗嘉欣", "秘书长"}},
	{{"唐雪梅", "主任"}},
	{{"董怡然", "会长"}, {"梁晓慧", "秘书长"}},
	{{"程雅丽", "会长"}},
	{{"范晓虹", "会长"}, {"方紫薇", "秘书长"}},
	{{"谢蕴仪", "会长"}},
	{{"邹婷婷", "会长"}, {"石慧敏", "秘书长"}},
	{{"金美玲", "会长"}, {"姚文静", "秘书长"}},
	{{"叶舒婷", "主任"}},
}

// mobile is the invented mobile number of the rep-th representative of
// the n-th demo NGO (both 1-based).
func mobile(n, rep int) string { return fmt.Sprintf("1391620%02d%02d", n, rep) }

// agendaItem is one agenda item; speaker is the index (1-based) of the
// demo NGO that speaks, 0 for none.
type agendaItem struct {
	titleZH, titleEN string
	speaker          int
	minutes          int
}

// agenda builds a session's agenda: the chairperson's opening, a few NGO
// reports of 8 minutes each, the chair's requests and the close.
func agenda(speakers []int) []agendaItem {
	items := []agendaItem{{"开幕致辞（徐枫主席）", "Opening remarks by Chairperson Xu Feng", 0, 10}}
	for _, n := range speakers {
		items = append(items, agendaItem{"社会组织年度工作交流", "NGO report on the year's work and plans", n, 8})
	}
	return append(items,
		agendaItem{"主席提出工作要求", "The Chairperson's requests for the coming year", 0, 15},
		agendaItem{"会议总结", "Closing", 0, 5})
}

// The chair's two requests at the 2021 session, made by Xu Feng, addressed
// to all invited NGOs.
var requests2021 = []struct{ zh, en string }{
	{
		"拓宽上海女性发展的引领服务平台：搭建更多职业女性交流分享的平台，为女性创业就业和事业发展提供支持。",
		"Broaden the platforms that guide and serve women's development in Shanghai: create more places where working women can meet and share experience, and support women in their careers.",
	},
	{
		"讲好中国故事和上海女性故事：向世界展示上海女性真实、积极的形象，展现人民参与社会治理的成果，积极参与民间外交。",
		"Tell the story of China and of Shanghai women well: show the world a true and positive image of Shanghai women and of people taking part in social governance, and play an active part in people-to-people diplomacy.",
	},
}

// seedSessions fills in the 2021 session and adds the 2027 one. Every
// row is keyed by its natural key and inserted only when missing, so a
// second run changes nothing. Timestamps are fixed, not now(), so the demo
// tells a plausible story.
func seedSessions(ctx context.Context, tx postgres.Tx) error {
	// 2021: held, everyone came.
	if _, err := tx.Exec(ctx, `
		UPDATE sessions SET reply_deadline = '2021-01-12 18:00:00+08'
		WHERE slug = $1 AND reply_deadline IS NULL`, session2021); err != nil {
		return fmt.Errorf("seed 2021 reply deadline: %w", err)
	}
	// The date for answering the chair's two requests (invented: the real
	// account gives none).
	if _, err := tx.Exec(ctx, `
		UPDATE sessions SET responses_due_on = '2021-02-28'
		WHERE slug = $1 AND responses_due_on IS NULL`, session2021); err != nil {
		return fmt.Errorf("seed 2021 responses date: %w", err)
	}
	if err := seedAgenda(ctx, tx, session2021, agenda([]int{1, 7, 8, 17})); err != nil {
		return err
	}
	for i := range ngos {
		err := seedInvitation(ctx, tx, session2021, i+1, invitation{
			invitedAt: "2020-12-18 10:00:00+08", reply: "confirmed", repliedAt: "2021-01-06 15:30:00+08",
			attendance: "present", checkedInAt: "2021-01-19 13:40:00+08", reps: reps[i], attended: true,
		})
		if err != nil {
			return err
		}
	}
	for i, r := range requests2021 {
		if _, err := tx.Exec(ctx, `
			INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by, addressed_to_all,
			                              created_at, updated_at)
			SELECT s.id, $2, $3, $4, o.id, true, '2021-01-19 17:00:00+08', '2021-01-19 17:00:00+08'
			FROM sessions s, officials o
			WHERE s.slug = $1 AND o.name_zh = '徐枫' AND o.position = 'chairperson' AND o.term_start = $5
			  AND NOT EXISTS (SELECT 1 FROM session_requests r WHERE r.session_id = s.id AND r.number = $2)`,
			session2021, i+1, r.zh, r.en, termStart); err != nil {
			return fmt.Errorf("seed 2021 request %d: %w", i+1, err)
		}
	}

	// 2027: scheduled, replies open, a few in.
	if _, err := tx.Exec(ctx, `
		INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2026, 2027, '2026-11-02', '2027-01-08', 'open')
		ON CONFLICT (review_year) DO NOTHING`); err != nil {
		return fmt.Errorf("seed reporting cycle 2026: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at,
		                      venue_zh, venue_en, cycle_id, status, reply_deadline)
		SELECT $1,
		       '2027年上海市女性社会组织负责人年度会议',
		       '2027 Annual Leadership Session of Shanghai Women''s NGOs',
		       'municipal', '2027-01-19', '14:00',
		       '上海市妇女联合会三楼会议室', 'Conference Room, 3rd Floor, Shanghai Women''s Federation',
		       c.id, 'scheduled', '2027-01-12 18:00:00+08'
		FROM reporting_cycles c WHERE c.review_year = 2026
		ON CONFLICT (slug) DO NOTHING`, session2027); err != nil {
		return fmt.Errorf("seed session 2027: %w", err)
	}
	if err := seedOfficialsPresent(ctx, tx, session2027); err != nil {
		return err
	}
	if err := seedAgenda(ctx, tx, session2027, agenda([]int{2, 10, 15, 16})); err != nil {
		return err
	}
	for i := range ngos {
		n := i + 1
		inv := invitation{invitedAt: "2026-11-20 10:00:00+08", reply: "none", attendance: "unknown"}
		switch {
		case n >= 2 && n <= 5:
			inv.reply, inv.repliedAt, inv.reps = "confirmed", fmt.Sprintf("2026-11-%02d 09:30:00+08", 20+n), reps[i]
		case n == 6:
			inv.reply, inv.repliedAt = "declined", "2026-11-24 16:00:00+08"
			inv.declineReason = "会议当天本会承办的家庭教育公益讲座已对外公布，负责人无法出席，特此请假。"
		}
		if err := seedInvitation(ctx, tx, session2027, n, inv); err != nil {
			return err
		}
	}
	return nil
}

// seedOfficialsPresent records the three demo officials as present at the
// session with that slug (the chairperson and both vice chairpersons
// attend both demo sessions).
func seedOfficialsPresent(ctx context.Context, tx postgres.Tx, slug string) error {
	names := make([]string, len(officials))
	for i, o := range officials {
		names[i] = o.nameZH
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO session_officials (session_id, official_id)
		SELECT s.id, o.id
		FROM sessions s, officials o
		WHERE s.slug = $1 AND o.term_start = $2 AND o.name_zh = ANY($3)
		ON CONFLICT DO NOTHING`, slug, termStart, names); err != nil {
		return fmt.Errorf("seed officials present at %s: %w", slug, err)
	}
	return nil
}

// seedAgenda adds a session's agenda items that are missing. The
// (session, position) constraint is deferrable, which ON CONFLICT cannot
// use, hence NOT EXISTS.
func seedAgenda(ctx context.Context, tx postgres.Tx, slug string, items []agendaItem) error {
	for i, it := range items {
		var speaker any
		if it.speaker > 0 {
			speaker = ngos[it.speaker-1].slug
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO agenda_items (session_id, position, title_zh, title_en, ngo_id, duration_minutes)
			SELECT s.id, $2, $3, $4, (SELECT n.id FROM ngos n WHERE n.slug = $5), $6
			FROM sessions s
			WHERE s.slug = $1
			  AND NOT EXISTS (SELECT 1 FROM agenda_items a WHERE a.session_id = s.id AND a.position = $2)`,
			slug, i+1, it.titleZH, it.titleEN, speaker, it.minutes); err != nil {
			return fmt.Errorf("seed agenda item %d of %s: %w", i+1, slug, err)
		}
	}
	return nil
}

// invitation is one demo NGO's invitation, reply and attendance; empty
// timestamps are NULL.
type invitation struct {
	invitedAt, reply, repliedAt, declineReason string
	attendance, excuseReason, checkedInAt      string
	reps                                       []rep
	attended                                   bool
}

// seedInvitation adds the n-th demo NGO's invitation to the session and
// its representatives, when missing.
func seedInvitation(ctx context.Context, tx postgres.Tx, slug string, n int, inv invitation) error {
	nullTime := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	ngo := ngos[n-1].slug
	if _, err := tx.Exec(ctx, `
		INSERT INTO invitations (session_id, ngo_id, invited_at, reply, decline_reason, replied_at,
		                         replied_by, attendance, excuse_reason, checked_in_at, checked_in_by)
		SELECT s.id, g.id, $3, $4, $5, $6::timestamptz,
		       CASE WHEN $6::timestamptz IS NULL THEN NULL ELSE (SELECT u.id FROM users u WHERE u.email = $7) END,
		       $8, $11, $9::timestamptz,
		       CASE WHEN $9::timestamptz IS NULL THEN NULL ELSE (SELECT u.id FROM users u WHERE u.email = $10) END
		FROM sessions s, ngos g
		WHERE s.slug = $1 AND g.slug = $2
		ON CONFLICT (session_id, ngo_id) DO NOTHING`,
		slug, ngo, inv.invitedAt, inv.reply, inv.declineReason, nullTime(inv.repliedAt),
		StaffEmail(n), inv.attendance, nullTime(inv.checkedInAt), AdminEmail, inv.excuseReason); err != nil {
		return fmt.Errorf("seed invitation of %s to %s: %w", ngo, slug, err)
	}
	for j, r := range inv.reps {
		if _, err := tx.Exec(ctx, `
			INSERT INTO representatives (invitation_id, position, name, title, mobile, attended)
			SELECT i.id, $3, $4, $5, $6, $7
			FROM invitations i
			JOIN sessions s ON s.id = i.session_id
			JOIN ngos g ON g.id = i.ngo_id
			WHERE s.slug = $1 AND g.slug = $2
			ON CONFLICT (invitation_id, position) DO NOTHING`,
			slug, ngo, j+1, r.name, r.title, mobile(n, j+1), inv.attended); err != nil {
			return fmt.Errorf("seed representative %d of %s at %s: %w", j+1, ngo, slug, err)
		}
	}
	return nil
}

// The sessions either side of the real one. Everything about them is
// invented for the demo (dates, attendance, the chair's requests), so that
// the figures of the 2021 session have a year before and a year after to
// be compared with; none of it is published (they have no summary).

// demoRequest is one request of the chair: its text and, when it is not
// addressed to all invited NGOs, the NGOs (1-based, seed order) it names.
type demoRequest struct {
	zh, en string
	to     []int
}

// requests2020 are the chair's requests at the January 2020 session.
// Invented for the demo.
var requests2020 = []demoRequest{
	{
		zh: "发挥各自专业优势，把服务延伸到社区，为妇女和家庭提供就近、便利的公益服务。",
		en: "Bring your expertise to the city's neighbourhoods: offer women and families free services close to home.",
	},
	{
		zh: "主动对接长三角一体化发展战略，联络区域女性人才，开展跨区域的交流与合作。",
		en: "Take part in the integration of the Yangtze River Delta: connect women professionals across the region and work with partners beyond Shanghai.",
		to: []int{1, 2, 13, 15},
	},
}

// requests2022 are the chair's requests at the January 2022 session.
// Invented for the demo.
var requests2022 = []demoRequest{
	{
		zh: "助力女性在数字经济中就业创业：帮助女性提升数字技能，拓展灵活就业和新业态就业的渠道。",
		en: "Help women find work and start businesses in the digital economy: teach digital skills and open the way to flexible and new forms of work.",
	},
	{
		zh: "服务“一老一小”：参与社区治理，为老年人、儿童和家庭提供贴近需求的服务。",
		en: "Serve older people and children: take part in community governance with services that meet the needs of older people, children and families.",
	},
}

// pastSession is one held and closed demo session of a past year and the
// closed reporting cycle tied to it.
type pastSession struct {
	slug                       string
	reviewYear                 int
	opensOn, deadline          string
	heldOn, replyDeadline      string
	invitedAt, repliedAt       string
	checkedInAt                string
	invited                    int // NGOs 1…invited are invited
	absent, excused            int // an NGO absent and one excused
	excuse                     string
	speakers                   []int
	requests                   []demoRequest
	requestsAt, responsesDueOn string
}

var pastSessions = []pastSession{
	{
		// The two NGOs founded last are not yet invited; the service centre
		// confirmed but did not come; the architects were excused.
		slug: session2020, reviewYear: 2019, opensOn: "2019-11-18", deadline: "2020-01-10",
		heldOn: "2020-01-16", replyDeadline: "2020-01-09 18:00:00+08",
		invitedAt: "2019-12-16 10:00:00+08", repliedAt: "2020-01-06 11:00:00+08", checkedInAt: "2020-01-16 13:45:00+08",
		invited: 16, absent: 11, excused: 9,
		excuse:   "负责人当天在外地参加全国行业会议，无法出席，特此请假。",
		speakers: []int{2, 6, 15}, requests: requests2020,
		requestsAt: "2020-01-16 17:00:00+08", responsesDueOn: "2020-02-28",
	},
	{
		slug: session2022, reviewYear: 2021, opensOn: "2021-11-15", deadline: "2022-01-07",
		heldOn: "2022-01-18", replyDeadline: "2022-01-11 18:00:00+08",
		invitedAt: "2021-12-17 10:00:00+08", repliedAt: "2022-01-05 15:00:00+08", checkedInAt: "2022-01-18 13:40:00+08",
		invited: 18, absent: 10, excused: 14,
		excuse:   "本会承办的迎新春公益展演当天下午开幕，负责人无法出席，特此请假。",
		speakers: []int{3, 11, 13, 18}, requests: requests2022,
		requestsAt: "2022-01-18 17:00:00+08", responsesDueOn: "2022-02-28",
	},
}

// seedPastSessions adds the cycles of 2019 and 2021 (both closed) and the
// sessions tied to them, held in January 2020 and January 2022: agenda,
// invitations, attendance and the chair's requests. Idempotent like
// seedSessions.
func seedPastSessions(ctx context.Context, tx postgres.Tx) error {
	for _, p := range pastSessions {
		if _, err := tx.Exec(ctx, `
			INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES ($1, $1 + 1, $2, $3, 'closed')
			ON CONFLICT (review_year) DO NOTHING`, p.reviewYear, p.opensOn, p.deadline); err != nil {
			return fmt.Errorf("seed reporting cycle %d: %w", p.reviewYear, err)
		}
		year := p.reviewYear + 1
		if _, err := tx.Exec(ctx, `
			INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at,
			                      venue_zh, venue_en, cycle_id, status, reply_deadline, responses_due_on)
			SELECT $1, $2, $3, 'municipal', $4, '14:00',
			       '上海市妇女联合会三楼会议室', 'Conference Room, 3rd Floor, Shanghai Women''s Federation',
			       c.id, 'closed', $5, $7
			FROM reporting_cycles c WHERE c.review_year = $6
			ON CONFLICT (slug) DO NOTHING`, p.slug,
			fmt.Sprintf("%d年上海市女性社会组织负责人年度会议", year),
			fmt.Sprintf("%d Annual Leadership Session of Shanghai Women's NGOs", year),
			p.heldOn, p.replyDeadline, p.reviewYear, p.responsesDueOn); err != nil {
			return fmt.Errorf("seed session %s: %w", p.slug, err)
		}
		if err := seedOfficialsPresent(ctx, tx, p.slug); err != nil {
			return err
		}
		if err := seedAgenda(ctx, tx, p.slug, agenda(p.speakers)); err != nil {
			return err
		}
		for n := 1; n <= p.invited; n++ {
			inv := invitation{
				invitedAt: p.invitedAt, reply: "confirmed", repliedAt: p.repliedAt,
				attendance: "present", checkedInAt: p.checkedInAt, reps: reps[n-1], attended: true,
			}
			switch n {
			case p.absent: // confirmed, named representatives, did not come
				inv.attendance, inv.checkedInAt, inv.attended = "absent", "", false
			case p.excused: // declined in good time
				inv = invitation{invitedAt: p.invitedAt, reply: "declined", repliedAt: p.repliedAt,
					declineReason: p.excuse, attendance: "excused", excuseReason: p.excuse}
			}
			if err := seedInvitation(ctx, tx, p.slug, n, inv); err != nil {
				return err
			}
		}
		if err := seedRequests(ctx, tx, p.slug, p.requestsAt, p.requests); err != nil {
			return err
		}
	}
	return nil
}

// seedRequests adds the chair's requests at the session with that slug,
// made by Xu Feng at time at, with the NGOs each names when it is not
// addressed to all.
func seedRequests(ctx context.Context, tx postgres.Tx, slug, at string, reqs []demoRequest) error {
	for i, r := range reqs {
		if _, err := tx.Exec(ctx, `
			INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by, addressed_to_all,
			                              created_at, updated_at)
			SELECT s.id, $2, $3, $4, o.id, $6, $7, $7
			FROM sessions s, officials o
			WHERE s.slug = $1 AND o.name_zh = '徐枫' AND o.position = 'chairperson' AND o.term_start = $5
			  AND NOT EXISTS (SELECT 1 FROM session_requests r WHERE r.session_id = s.id AND r.number = $2)`,
			slug, i+1, r.zh, r.en, termStart, len(r.to) == 0, at); err != nil {
			return fmt.Errorf("seed request %d of %s: %w", i+1, slug, err)
		}
		for _, n := range r.to {
			if _, err := tx.Exec(ctx, `
				INSERT INTO request_recipients (request_id, ngo_id)
				SELECT q.id, g.id
				FROM session_requests q JOIN sessions s ON s.id = q.session_id, ngos g
				WHERE s.slug = $1 AND q.number = $2 AND g.slug = $3
				ON CONFLICT DO NOTHING`, slug, i+1, ngos[n-1].slug); err != nil {
				return fmt.Errorf("seed recipients of request %d of %s: %w", i+1, slug, err)
			}
		}
	}
	return nil
}
