package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// The NGOs' answers to the chair's requests, session by session. After the
// session each NGO a request is addressed to answers it: with plan items
// (items of its report of the session's cycle linked to the request, or
// the items of a plan addendum it adds) or by saying it plans nothing for
// it, with a reason. Each answer is a request_responses row naming who
// answered and when; whether items were planned is read from the links.
//
// After the real session of 19 January 2021 (answers due 28 February 2021,
// a date invented for the demo) every NGO answered both requests in the
// end: most with items of their 2020 reports, eight with an addendum made
// in February 2021, two saying they plan nothing for the second request;
// women-in-finance answered late, after a reminder and an extension. After
// the January 2020 and January 2022 sessions (both invented) the answers
// come from the reports' items; in 2022 a few NGOs have not answered yet.

// addendum is the plan addendum NGO n (1-based) made after a session.
type addendum struct {
	n     int
	at    string
	items []planRow
}

// sessionResponses is how the NGOs answered one session's requests.
type sessionResponses struct {
	slug string
	// answeredAt is when NGO n answered ("" when it has not).
	answeredAt func(n int) string
	// nothing are the reasons of the NGOs that plan nothing for a
	// request, by NGO and request number.
	nothing  map[[2]int]string
	addenda  []addendum
	extended []responseExtension
	reminded []reminder
}

type responseExtension struct {
	n             int
	dueOn, reason string
	at            string
}

type reminder struct {
	n  int
	at string
}

// The demo NGO (1-based) that answered the 2021 session's requests late.
const lateResponder2021 = 13

var responses2020 = sessionResponses{
	slug:       session2020,
	answeredAt: func(n int) string { return fmt.Sprintf("2020-02-%02d 10:%02d:00+08", 10+n%12, 2*n) },
	nothing: map[[2]int]string{
		{2, req2020Delta}: "本会2020年与长三角同行的合作以会员个人学术交流为主，暂未列入组织计划，将在下一年度统筹考虑。",
	},
}

var responses2021 = sessionResponses{
	slug: session2021,
	answeredAt: func(n int) string {
		if n == lateResponder2021 {
			return "2021-03-12 16:20:00+08"
		}
		return fmt.Sprintf("2021-02-%02d 14:%02d:00+08", 3+n, 3*n)
	},
	nothing: map[[2]int]string{
		{16, reqStories}: "本会的业务集中在社区全民健身，2021年没有对外交流的渠道和安排，将把力量放在建党百年健身展演和职场女性健康促进上。",
		{18, reqStories}: "本中心2021年集中力量开展女性数字就业技能培训，暂无国际交流的条件和安排；如有合适项目，将在下一年度计划中考虑。",
	},
	addenda: []addendum{
		{4, "2021-02-08 15:30:00+08", []planRow{{"涉外婚姻家庭法律服务双语宣传", "编写中英双语妇女权益法律指南，在涉外婚姻家庭咨询和国际交流中介绍上海的妇女权益保障。", 3, kpStories, tags(thMedia), []int{reqStories}}}},
		{6, "2021-02-10 10:15:00+08", []planRow{{"“上海家风故事”双语绘本", "编印中英双语家风故事绘本，赠送外国驻沪机构和国际学校的家长。", 4, kpStories, tags(thMedia), []int{reqStories}}}},
		{7, "2021-02-09 16:40:00+08", []planRow{{"职业女性志愿服务交流平台", "组建职场女性志愿者分队，每季度举办志愿服务交流分享会。", 2, kpMentor, tags(thCareer), []int{reqPlatforms}}}},
		{9, "2021-02-12 11:00:00+08", []planRow{{"社区微更新案例国际分享", "在国际建筑论坛和友好城市交流中，以中英双语介绍女建筑师参与社区微更新的案例。", 4, kpStories, tags(thMedia), []int{reqStories}}}},
		{11, "2021-02-14 09:45:00+08", []planRow{{"女性社会组织故事双语汇编", "汇编女性社会组织参与社区治理的案例，以中英双语发布。", 4, kpStories, tags(thMedia), []int{reqStories}}}},
		{12, "2021-02-15 14:10:00+08", []planRow{{"心理援助经验国际交流", "在国际心理学线上会议上分享疫情期间为女性提供心理援助的经验。", 3, kpStories, tags(thMedia), []int{reqStories}}}},
		{lateResponder2021, "2021-03-10 10:30:00+08", []planRow{{"向海外同行讲述上海女性金融人才故事", "在陆家嘴论坛等活动中组织女金融家与外国同行交流，介绍上海女性金融人才的成长。", 2, kpStories, tags(thMedia), []int{reqStories}}}},
		{14, "2021-02-17 17:00:00+08", []planRow{{"女艺术家职业发展沙龙", "为青年女艺术家举办职业发展沙龙和作品推介会。", 3, kpMentor, tags(thCareer), []int{reqPlatforms}}}},
	},
	reminded: []reminder{{lateResponder2021, "2021-03-01 09:30:00+08"}},
	extended: []responseExtension{{lateResponder2021, "2021-03-15",
		"协会换届，新一届理事会需审议后再答复，申请延期两周。", "2021-03-02 11:00:00+08"}},
}

// unanswered2022 are the NGOs that have not answered the January 2022
// session's requests at all; yrd-women-development has answered only the
// first.
var unanswered2022 = map[int]bool{10: true, 14: true, 16: true}

var responses2022 = sessionResponses{
	slug: session2022,
	answeredAt: func(n int) string {
		if unanswered2022[n] {
			return ""
		}
		return fmt.Sprintf("2022-02-%02d 10:%02d:00+08", 7+n, 3*n)
	},
	nothing: map[[2]int]string{
		{9, req2022Digital}: "本会会员的专业是建筑设计，2022年没有数字就业方面的计划，力量集中在适老化和儿童友好社区设计上。",
		{5, req2022Care}:    "本会会员以高校教师为主，2022年未安排社区养老和托育方面的服务，将在女大学生就业指导上回应第一项要求。",
	},
}

// seedResponses writes the answers of one session's addressees: for each
// request and each NGO it is addressed to that has answered, a response
// row, after the NGO's addendum if it made one. An NGO that has answered
// but neither linked items to a request nor says it plans nothing for it
// has not answered that request. Idempotent: rows are keyed by (request,
// NGO) and (session, NGO).
func seedResponses(ctx context.Context, tx postgres.Tx, refs seedRefs, sr sessionResponses) error {
	var sessionID int64
	if err := tx.QueryRow(ctx, `SELECT id FROM sessions WHERE slug = $1`, sr.slug).Scan(&sessionID); err != nil {
		return fmt.Errorf("seed responses to %s: %w", sr.slug, err)
	}
	for _, a := range sr.addenda {
		if err := seedAddendum(ctx, tx, refs, sessionID, a); err != nil {
			return fmt.Errorf("seed addendum of %s after %s: %w", ngos[a.n-1].slug, sr.slug, err)
		}
	}
	adminID := refs.users[AdminEmail]
	for _, r := range sr.reminded {
		if _, err := tx.Exec(ctx, `
			INSERT INTO response_reminders (session_id, ngo_id, sent_by, sent_at)
			SELECT $1, $2, $3, $4
			WHERE NOT EXISTS (SELECT 1 FROM response_reminders
			                  WHERE session_id = $1 AND ngo_id = $2 AND sent_at = $4)`,
			sessionID, refs.ngos[ngos[r.n-1].slug], adminID, r.at); err != nil {
			return fmt.Errorf("seed reminder to %s: %w", ngos[r.n-1].slug, err)
		}
	}
	for _, e := range sr.extended {
		if _, err := tx.Exec(ctx, `
			INSERT INTO response_extensions (session_id, ngo_id, due_on, reason, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (session_id, ngo_id) DO NOTHING`,
			sessionID, refs.ngos[ngos[e.n-1].slug], e.dueOn, e.reason, adminID, e.at); err != nil {
			return fmt.Errorf("seed response extension of %s: %w", ngos[e.n-1].slug, err)
		}
	}

	// Each addressee's requests and whether it linked items to them.
	rows, err := tx.Query(ctx, `
		SELECT a.ngo_id, q.id, q.number,
		       EXISTS (SELECT 1 FROM report_plan_item_requests l
		               JOIN plan_item_owners o ON o.plan_item_id = l.plan_item_id
		               WHERE l.request_id = q.id AND o.ngo_id = a.ngo_id)
		FROM request_addressees a JOIN session_requests q ON q.id = a.request_id
		WHERE a.session_id = $1
		ORDER BY a.ngo_id, q.number`, sessionID)
	if err != nil {
		return fmt.Errorf("seed responses to %s: %w", sr.slug, err)
	}
	type pending struct {
		ngoID, requestID int64
		number           int
		planned          bool
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (pending, error) {
		var p pending
		return p, row.Scan(&p.ngoID, &p.requestID, &p.number, &p.planned)
	})
	if err != nil {
		return fmt.Errorf("seed responses to %s: %w", sr.slug, err)
	}
	byID := map[int64]int{}
	for i, g := range ngos {
		byID[refs.ngos[g.slug]] = i + 1
	}
	for _, p := range list {
		n := byID[p.ngoID]
		at := sr.answeredAt(n)
		reason, nothing := sr.nothing[[2]int{n, p.number}]
		if at == "" || (!p.planned && !nothing) {
			continue // not answered (yet)
		}
		if p.planned && nothing {
			return fmt.Errorf("seed responses to %s: %s both planned and plans nothing for request %d",
				sr.slug, ngos[n-1].slug, p.number)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason, responded_by, responded_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (request_id, ngo_id) DO NOTHING`,
			p.requestID, p.ngoID, nothing, reason, refs.users[StaffEmail(n)], at); err != nil {
			return fmt.Errorf("seed response of %s to request %d of %s: %w", ngos[n-1].slug, p.number, sr.slug, err)
		}
	}
	return nil
}

// seedAddendum writes NGO a.n's plan addendum to the session with its
// items, tagged and linked to the requests they answer, unless the NGO
// has one already.
func seedAddendum(ctx context.Context, tx postgres.Tx, refs seedRefs, sessionID int64, a addendum) error {
	ngoID := refs.ngos[ngos[a.n-1].slug]
	at, err := time.Parse("2006-01-02 15:04:05-07", a.at)
	if err != nil {
		return err
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO plan_addenda (session_id, ngo_id, version, created_at, updated_at)
		VALUES ($1, $2, 1, $3, $3)
		ON CONFLICT (session_id, ngo_id) DO NOTHING
		RETURNING id`, sessionID, ngoID, at).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the NGO has its addendum already
	}
	if err != nil {
		return err
	}
	allowed, err := requestsByNumber(ctx, tx, sessionID, ngoID)
	if err != nil {
		return err
	}
	// The items go through the report's validation, as the addendum's
	// form would put them.
	var r portal.Report
	if err := fillReport(&r, reportContent{plan: a.items}, refs, allowed); err != nil {
		return err
	}
	if errs := r.Validate(); len(errs) > 0 {
		return fmt.Errorf("invalid demo addendum: %v", errs)
	}
	for i, p := range r.PlanItems {
		var itemID int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO report_plan_items (addendum_id, position, title, description, quarter, key_project_id)
			VALUES ($1, $2, $3, $4, nullif($5, 0), nullif($6, 0))
			RETURNING id`, id, i+1, p.Title, p.Description, p.Quarter, p.KeyProjectID).Scan(&itemID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_plan_item_themes (plan_item_id, theme_id)
			SELECT $1, unnest($2::bigint[])`, itemID, p.ThemeIDs); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_plan_item_requests (plan_item_id, request_id)
			SELECT $1, unnest($2::bigint[])`, itemID, p.RequestIDs); err != nil {
			return err
		}
	}
	return nil
}
