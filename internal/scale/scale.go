// Package scale fills an empty, migrated database with a federation the size
// of a large city's: by default 2,000 NGOs and 10 years of closed reporting
// cycles, held sessions, accepted reports, the chair's requests and the NGOs'
// answers (`portal seed --scale`). It is what the performance figures of
// docs/benchmarks.md are measured on, and like the demo it is for
// development only.
//
// Every table is filled by one set-based INSERT … SELECT over
// generate_series, in one transaction: nothing is written row by row from
// Go. The data is deterministic: every choice (kind, mode, date, people
// reached, late or on time, answered or not) is arithmetic on the NGO's
// number k (1…NGOs) and the year, so two runs with the same options make
// the same rows (ids included, on a fresh database).
package scale

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/password"
	"ngoportal/internal/postgres"
)

// Options size the federation.
type Options struct {
	NGOs  int // NGOs, each reporting every year
	Years int // consecutive closed reporting cycles, each with its held session
	// FirstYear is the year under review of the first cycle; 0 means
	// DefaultFirstYear.
	FirstYear int
}

// The defaults: the size the issue asks the pages to be fast at.
const (
	DefaultNGOs      = 2000
	DefaultYears     = 10
	DefaultFirstYear = 2015
)

// AdminEmail and Password sign in to the scale data's one account, a
// federation admin, whose second step is a code from the authenticator key
// TOTPSecret: the demo's published key (password.DemoTOTPSecret), refused
// in production like the rest of the generated data.
const (
	AdminEmail = "scale-admin@example.org"
	Password   = "scale-only-lantern-harbour-7"
	TOTPSecret = password.DemoTOTPSecret
)

// Step is one statement of the seeding: what it filled, how many rows and
// how long it took.
type Step struct {
	Name     string
	Rows     int64
	Duration time.Duration
}

// Result is what Seed made.
type Result struct {
	Steps    []Step
	Duration time.Duration
}

// Rows is the number of rows written in all.
func (r Result) Rows() int64 {
	var n int64
	for _, s := range r.Steps {
		n += s.Rows
	}
	return n
}

// ErrNotEmpty is returned when the database already holds NGOs: the scale
// data is made on an empty database only, so that it never mixes with real
// or demo data.
var ErrNotEmpty = errors.New("the database already holds NGOs; seed --scale fills an empty, migrated database only")

func (o Options) withDefaults() (Options, error) {
	if o.FirstYear == 0 {
		o.FirstYear = DefaultFirstYear
	}
	if o.NGOs < 1 || o.NGOs > 99999 {
		return o, fmt.Errorf("scale: %d NGOs: between 1 and 99999", o.NGOs)
	}
	if o.Years < 1 || o.Years > 50 {
		return o, fmt.Errorf("scale: %d years: between 1 and 50", o.Years)
	}
	if o.FirstYear < 1950 || o.FirstYear+o.Years > 2199 {
		return o, fmt.Errorf("scale: first year %d out of range", o.FirstYear)
	}
	return o, nil
}

// Seed fills db, which must be migrated and hold no NGO, in one transaction,
// then vacuums and analyses the database so the planner sees its size.
func Seed(ctx context.Context, db *postgres.DB, o Options) (Result, error) {
	o, err := o.withDefaults()
	if err != nil {
		return Result{}, err
	}
	hash, err := password.Hash(Password)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	var res Result
	err = pgx.BeginFunc(ctx, db.Pool(), func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM ngos)`).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return ErrNotEmpty
		}
		if _, err := tx.Exec(ctx, `
			CREATE TEMP TABLE scale_params ON COMMIT DROP AS
			SELECT $1::int AS ngos, $2::int AS years, $3::int AS first_year, $4::text AS admin_email, $5::text AS hash`,
			o.NGOs, o.Years, o.FirstYear, AdminEmail, hash); err != nil {
			return fmt.Errorf("scale parameters: %w", err)
		}
		for _, s := range steps {
			t := time.Now()
			tag, err := tx.Exec(ctx, s.sql)
			if err != nil {
				return fmt.Errorf("scale: %s: %w", s.name, err)
			}
			if s.name != "" {
				res.Steps = append(res.Steps, Step{Name: s.name, Rows: tag.RowsAffected(), Duration: time.Since(t)})
			}
		}
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	t := time.Now()
	// VACUUM too: the visibility map lets the pages' covering indexes
	// answer without the heap, as autovacuum would in a while.
	if _, err := db.Pool().Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return Result{}, fmt.Errorf("scale: vacuum: %w", err)
	}
	res.Steps = append(res.Steps, Step{Name: "VACUUM (ANALYZE)", Duration: time.Since(t)})
	res.Duration = time.Since(start)
	return res, nil
}

// Fingerprint changes whenever the seeding's statements do: with the
// options and the migrations' hash it names a cached copy of the data (the
// benchmarks' template databases).
func Fingerprint() string {
	h := sha256.New()
	for _, s := range steps {
		h.Write([]byte(s.name))
		h.Write([]byte{0})
		h.Write([]byte(s.sql))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// step is one statement; an empty name is bookkeeping (temporary tables of
// the ids the later statements join on) and is not reported.
type step struct{ name, sql string }

// The statements, in order. Conventions: k is an NGO's number (1…ngos), y a
// cycle's year under review; the session of cycle y is held on 19 January
// y+1 and its requests are answered by plan items of the report of cycle y
// (whose plan year is y+1) and by addenda; the report of cycle y+1 gives
// their outcomes. Every "some" is a residue of k (and y), so about the same
// share of NGOs falls in it every year.
var steps = []step{
	// Dates and times are the federation's (timestamps without a zone below
	// are read in it), whatever the server's TimeZone.
	{"", `SET LOCAL TimeZone = 'Asia/Shanghai'`},
	{"users (one admin)", `
		INSERT INTO users (email, name, name_en, role, status, password_hash, password_changed_at)
		SELECT admin_email, '规模测试管理员', 'Scale admin', 'admin', 'active', hash, '2015-01-01T00:00:00+08:00' FROM scale_params`},
	{"the admin's authenticator", `
		INSERT INTO user_second_factors (user_id, totp_secret)
		SELECT u.id, '` + TOTPSecret + `' FROM users u JOIN scale_params p ON p.admin_email = u.email`},
	{"officials", `
		INSERT INTO officials (name_zh, name_en, position, term_start)
		VALUES ('徐枫', 'Xu Feng', 'chairperson', '2010-01-01'),
		       ('翁文磊', 'Weng Wenlei', 'vice_chairperson', '2010-01-01')`},
	{"themes", `
		INSERT INTO themes (name_zh, name_en, position)
		SELECT t.zh, t.en, t.pos
		FROM (VALUES (1, '疫情防控', 'Epidemic response'), (2, '女性职业发展', 'Women''s career development'),
		             (3, '家庭教育', 'Family education'), (4, '长三角一体化', 'Yangtze River Delta integration'),
		             (5, '新媒体传播', 'New-media communication'), (6, '民间外交', 'People-to-people diplomacy')) AS t (pos, zh, en)`},
	{"key projects", `
		INSERT INTO key_projects (name_zh, name_en, position)
		SELECT p.zh, p.en, p.pos
		FROM (VALUES (1, '女性职业导师计划', 'Women''s Career Mentoring Programme'), (2, '巾帼建功行动', 'Women''s Achievement Campaign'),
		             (3, '家庭文明建设', 'Family Civility Programme'), (4, '长三角女性人才交流', 'Delta Women''s Talent Exchange')) AS p (pos, zh, en)`},
	{"NGOs", `
		INSERT INTO ngos (slug, name_zh, name_en, short_name, founded_year, show_in_directory, created_at, updated_at)
		SELECT 'scale-ngo-' || lpad(k::text, 5, '0'),
		       '上海市规模测试妇女组织' || lpad(k::text, 5, '0') || '号',
		       'Scale Test Women''s Organisation No. ' || lpad(k::text, 5, '0'),
		       '规模' || k, 1980 + k % 40, k % 2 = 0, '2014-06-01T09:00:00+08:00', '2014-06-01T09:00:00+08:00'
		FROM scale_params, generate_series(1, ngos) AS k`},
	{"", `
		CREATE TEMP TABLE scale_ngos ON COMMIT DROP AS
		SELECT id AS ngo_id, substring(slug FROM 11)::int AS k FROM ngos`},
	{"reporting cycles", `
		INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status, created_at, updated_at)
		SELECT y, y + 1, make_date(y, 11, 1), make_date(y + 1, 1, 10), 'closed',
		       make_date(y, 10, 20)::timestamptz, make_date(y + 1, 2, 1)::timestamptz
		FROM scale_params, generate_series(first_year, first_year + years - 1) AS y`},
	{"sessions", `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at, venue_zh, venue_en, cycle_id, status,
		                      reply_deadline, responses_due_on, created_at, updated_at)
		SELECT (c.plan_year)::text || '-scale-leadership-session',
		       c.plan_year || '年度女性社会组织负责人工作会议', c.plan_year || ' leadership session of the women''s NGOs',
		       'municipal', make_date(c.plan_year, 1, 19), '14:00', '上海市妇女联合会', 'Shanghai Women''s Federation',
		       c.id, 'held', make_date(c.plan_year, 1, 12)::timestamptz, make_date(c.plan_year, 3, 31),
		       make_date(c.review_year, 12, 1)::timestamptz, make_date(c.plan_year, 1, 20)::timestamptz
		FROM reporting_cycles c`},
	{"", `
		CREATE TEMP TABLE scale_cycles ON COMMIT DROP AS
		SELECT c.id AS cycle_id, c.review_year AS y, s.id AS session_id
		FROM reporting_cycles c JOIN sessions s ON s.cycle_id = c.id`},
	{"session officials", `
		INSERT INTO session_officials (session_id, official_id)
		SELECT c.session_id, o.id FROM scale_cycles c CROSS JOIN officials o`},
	// Every NGO is invited; one in twenty declines, one in seventeen of
	// those who confirm does not come.
	{"invitations", `
		INSERT INTO invitations (session_id, ngo_id, invited_at, reply, decline_reason, replied_at, attendance, checked_in_at)
		SELECT c.session_id, n.ngo_id, make_date(c.y, 12, 1)::timestamptz,
		       CASE WHEN (n.k + c.y) % 20 = 0 THEN 'declined' ELSE 'confirmed' END,
		       CASE WHEN (n.k + c.y) % 20 = 0 THEN '工作安排冲突，无法参会。' ELSE '' END,
		       make_date(c.y, 12, 5)::timestamptz + (n.k % 600) * interval '1 hour',
		       CASE WHEN (n.k + c.y) % 20 = 0 THEN 'unknown' WHEN (n.k + c.y) % 17 = 0 THEN 'absent' ELSE 'present' END,
		       CASE WHEN (n.k + c.y) % 20 <> 0 AND (n.k + c.y) % 17 <> 0
		            THEN make_date(c.y + 1, 1, 19) + time '13:30' + (n.k % 30) * interval '1 minute' END
		FROM scale_cycles c CROSS JOIN scale_ngos n`},
	{"representatives", `
		INSERT INTO representatives (invitation_id, position, name, title, mobile, attended)
		SELECT i.id, 1, '代表' || n.k, '秘书长', '138' || lpad((n.k * 7919 % 100000000)::text, 8, '0'), i.attendance = 'present'
		FROM invitations i JOIN scale_ngos n ON n.ngo_id = i.ngo_id
		WHERE i.reply = 'confirmed'`},
	// Two requests per session: the first to every NGO invited, the second
	// to about a third of them.
	{"session requests", `
		INSERT INTO session_requests (session_id, number, text_zh, text_en, made_by, addressed_to_all, created_at, updated_at)
		SELECT c.session_id, q.number, q.zh || '（' || (c.y + 1) || '年）', q.en || ' (' || (c.y + 1) || ')',
		       (SELECT id FROM officials WHERE position = 'chairperson'), q.number = 1,
		       make_date(c.y + 1, 1, 19)::timestamptz, make_date(c.y + 1, 1, 19)::timestamptz
		FROM scale_cycles c
		CROSS JOIN (VALUES (1, '拓宽上海女性发展的指导服务平台', 'Broaden the guidance and service platform for women''s development'),
		                   (2, '讲好中国故事和上海女性故事', 'Tell the story of China and of Shanghai women well')) AS q (number, zh, en)`},
	{"", `
		CREATE TEMP TABLE scale_requests ON COMMIT DROP AS
		SELECT q.id AS request_id, q.number, c.y FROM session_requests q JOIN scale_cycles c ON c.session_id = q.session_id`},
	{"request recipients", `
		INSERT INTO request_recipients (request_id, ngo_id)
		SELECT q.request_id, n.ngo_id FROM scale_requests q CROSS JOIN scale_ngos n
		WHERE q.number = 2 AND (n.k + q.y) % 3 = 0`},
	// Who each request is addressed to, with the NGO's answer: k+y ≡ 0
	// (mod 7) did not answer, ≡ 3 planned nothing, the rest linked items.
	{"", `
		CREATE TEMP TABLE scale_addressed ON COMMIT DROP AS
		SELECT q.request_id, q.number, q.y, n.ngo_id, n.k,
		       CASE (n.k + q.y) % 7 WHEN 0 THEN 'none' WHEN 3 THEN 'nothing' ELSE 'planned' END AS answer
		FROM scale_requests q CROSS JOIN scale_ngos n
		WHERE q.number = 1 OR (n.k + q.y) % 3 = 0`},
	// One report per NGO and cycle (accepted at the end); one in eight submitted after the
	// deadline (10 January).
	{"reports", `
		INSERT INTO reports (cycle_id, ngo_id, status, narrative, highlight, legal_representative, declaration, declared_by,
		                     submitted_at, accepted_at, created_at, updated_at)
		SELECT c.cycle_id, n.ngo_id, 'submitted',
		       c.y || '年，本组织围绕联合会总体部署开展讲座、主题活动和线上传播，服务妇女发展。',
		       c.y || '年度重点工作', '负责人' || n.k, true, (SELECT id FROM users WHERE role = 'admin'),
		       make_date(c.y + 1, 1, CASE WHEN (n.k + c.y) % 8 = 3 THEN 14 ELSE 1 + n.k % 9 END) + time '10:00',
		       NULL, make_date(c.y, 11, 2) + time '09:00', make_date(c.y + 1, 1, 16) + time '15:00' + (n.k % 300) * interval '1 minute'
		FROM scale_cycles c CROSS JOIN scale_ngos n`},
	{"", `
		CREATE TEMP TABLE scale_reports ON COMMIT DROP AS
		SELECT r.id AS report_id, r.ngo_id, n.k, r.cycle_id, c.y, c.session_id, r.submitted_at,
		       make_date(c.y + 1, 1, 16) + time '15:00' + (n.k % 300) * interval '1 minute' AS accepted_at
		FROM reports r JOIN scale_ngos n ON n.ngo_id = r.ngo_id JOIN scale_cycles c ON c.cycle_id = r.cycle_id`},
	{"", `CREATE INDEX ON scale_reports (ngo_id, y)`},
	{"report events", `
		INSERT INTO report_events (report_id, at, actor_id, action, snapshot)
		SELECT r.report_id, e.at, (SELECT id FROM users WHERE role = 'admin'), e.action, e.snapshot
		FROM scale_reports r
		CROSS JOIN LATERAL (VALUES (make_date(r.y, 11, 2) + time '09:00', 'created', NULL::jsonb),
		                           (r.submitted_at, 'submitted', '{}'::jsonb),
		                           (r.accepted_at, 'accepted', NULL::jsonb)) AS e (at, action, snapshot)`},
	// 20 activities per report, every kind and mode, dates inside the year.
	{"report activities", `
		INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached, partners)
		SELECT r.report_id, p, '活动' || p || '：' || (ARRAY['讲座', '主题活动', '培训', '服务', '宣传', '疫情防控', '交流'])[1 + (r.k + p) % 7],
		       (ARRAY['lecture', 'themed_activity', 'training', 'service', 'campaign', 'epidemic_response', 'other'])[1 + (r.k + p) % 7],
		       (ARRAY['online', 'offline', 'hybrid'])[1 + (r.k + 2 * p) % 3],
		       make_date(r.y, 1, 1) + (p * 17 + r.k) % 360,
		       make_date(r.y, 1, 1) + (p * 17 + r.k) % 360 + p % 3,
		       20 + (r.k * 7 + p * 13 + r.y) % 300,
		       (20 + (r.k * 7 + p * 13 + r.y) % 300) * (5 + (r.k + p) % 5) / 10,
		       CASE WHEN p % 4 = 0 THEN '社区街道' ELSE '' END
		FROM scale_reports r CROSS JOIN generate_series(1, 20) AS p`},
	{"report activity themes", `
		INSERT INTO report_activity_themes (activity_id, theme_id)
		SELECT a.id, t.id FROM report_activities a JOIN themes t ON t.position = 1 + (a.report_id + a.position) % 6`},
	// Two or three media channels per report.
	{"report media", `
		INSERT INTO report_media (report_id, position, channel, items, reads)
		SELECT r.report_id, m.pos, m.channel, 5 + (r.k + m.pos * 3) % 40, (100 + (r.k * 31 + r.y) % 5000) * m.pos
		FROM scale_reports r
		CROSS JOIN (VALUES (1, 'wechat'), (2, 'weibo'), (3, 'douyin')) AS m (pos, channel)
		WHERE m.pos < 3 OR r.k % 2 = 0`},
	// 10 plan items per report, for the plan year; a third on a key project.
	{"report plan items", `
		INSERT INTO report_plan_items (report_id, position, title, description, quarter, key_project_id)
		SELECT r.report_id, p, (r.y + 1) || '年计划' || p, '围绕联合会重点工作开展。',
		       nullif(p % 5, 0), (SELECT id FROM key_projects WHERE position = 1 + (r.k + p) % 4 AND p % 3 = 0)
		FROM scale_reports r CROSS JOIN generate_series(1, 10) AS p`},
	// Plan addenda: one NGO in six adds two items after each session, for
	// the first request.
	{"plan addenda", `
		INSERT INTO plan_addenda (session_id, ngo_id, created_at, updated_at)
		SELECT a.session_id, a.ngo_id, make_date(a.y + 1, 2, 20)::timestamptz, make_date(a.y + 1, 2, 20)::timestamptz
		FROM (SELECT DISTINCT c.session_id, c.y, s.ngo_id, s.k
		      FROM scale_addressed s JOIN scale_cycles c ON c.y = s.y
		      WHERE s.number = 1 AND s.answer = 'planned' AND (s.k + s.y) % 6 = 1) AS a`},
	{"addendum plan items", `
		INSERT INTO report_plan_items (addendum_id, position, title, description, quarter, key_project_id)
		SELECT d.id, p, '补充计划' || p, '落实会议要求的补充计划。', 2 + p, NULL
		FROM plan_addenda d CROSS JOIN generate_series(1, 2) AS p`},
	{"", `
		CREATE TEMP TABLE scale_items ON COMMIT DROP AS
		SELECT p.id AS plan_item_id, p.position, p.title, coalesce(r.ngo_id, d.ngo_id) AS ngo_id,
		       coalesce(r.k, n.k) AS k, coalesce(r.y, c.y) AS y, p.addendum_id IS NOT NULL AS addendum
		FROM report_plan_items p
		LEFT JOIN scale_reports r ON r.report_id = p.report_id
		LEFT JOIN plan_addenda d ON d.id = p.addendum_id
		LEFT JOIN scale_ngos n ON n.ngo_id = d.ngo_id
		LEFT JOIN scale_cycles c ON c.session_id = d.session_id`},
	{"plan item themes", `
		INSERT INTO report_plan_item_themes (plan_item_id, theme_id)
		SELECT i.plan_item_id, t.id FROM scale_items i JOIN themes t
		  ON t.position = 1 + (i.k + i.position) % 6 OR (i.position % 4 = 0 AND t.position = 1 + (i.k + i.position + 3) % 6)`},
	// Items that answer a request: item 1 the first request, item 2 the
	// second (addressed NGOs only), addendum items the first; only for NGOs
	// that answered "planned".
	{"plan item request links", `
		INSERT INTO report_plan_item_requests (plan_item_id, request_id)
		SELECT i.plan_item_id, s.request_id
		FROM scale_items i JOIN scale_addressed s ON s.ngo_id = i.ngo_id AND s.y = i.y AND s.answer = 'planned'
		WHERE (i.addendum AND s.number = 1) OR (NOT i.addendum AND i.position = s.number)`},
	{"request responses", `
		INSERT INTO request_responses (request_id, ngo_id, nothing_planned, reason, responded_by, responded_at)
		SELECT s.request_id, s.ngo_id, s.answer = 'nothing',
		       CASE WHEN s.answer = 'nothing' THEN '本年度资源有限，已在其他项目中统筹。' ELSE '' END,
		       NULL, make_date(s.y + 1, 2, 1) + time '10:00' + (s.k % 50) * interval '1 day'
		FROM scale_addressed s WHERE s.answer <> 'none'`},
	{"response extensions", `
		INSERT INTO response_extensions (session_id, ngo_id, due_on, reason, created_at)
		SELECT c.session_id, s.ngo_id, make_date(s.y + 1, 4, 30), '换届期间，延期答复。', make_date(s.y + 1, 3, 20)::timestamptz
		FROM scale_addressed s JOIN scale_cycles c ON c.y = s.y
		WHERE s.number = 1 AND s.k % 50 = 0`},
	{"response reminders", `
		INSERT INTO response_reminders (session_id, ngo_id, sent_at)
		SELECT c.session_id, s.ngo_id, make_date(s.y + 1, 3, 25)::timestamptz
		FROM scale_addressed s JOIN scale_cycles c ON c.y = s.y
		WHERE s.number = 1 AND s.answer = 'none'`},
	// The next year's report gives the outcome of each item of the year
	// before (its report's and its addendum's), in their order.
	{"report progress", `
		INSERT INTO report_progress (report_id, position, previous_plan_item_id, title, status, note)
		SELECT r.report_id, row_number() OVER (PARTITION BY r.report_id ORDER BY i.addendum, i.position),
		       i.plan_item_id, i.title,
		       (ARRAY['done', 'done', 'partly', 'not_done', ''])[1 + (i.k + i.position + i.y) % 5], ''
		FROM scale_items i JOIN scale_reports r ON r.ngo_id = i.ngo_id AND r.y = i.y + 1`},
	// Accepted last, in one statement: the figures of accepted reports
	// (report_figures, cycle_figures) are kept by triggers, which then
	// count each report once instead of once per statement above.
	{"reports accepted", `
		UPDATE reports r SET status = 'accepted', accepted_at = s.accepted_at
		FROM scale_reports s WHERE s.report_id = r.id`},
	{"report request answers", `
		INSERT INTO report_request_answers (report_id, request_id, answer)
		SELECT r.report_id, s.request_id,
		       CASE s.answer WHEN 'planned' THEN '已按计划落实。' WHEN 'nothing' THEN '本年度未安排相关工作。' ELSE '' END
		FROM scale_addressed s JOIN scale_reports r ON r.ngo_id = s.ngo_id AND r.y = s.y + 1`},
}
