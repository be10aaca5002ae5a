package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The demo federation, built on the facts of the real 2021 session. It lives
// in one place; later features extend it here.

type demoNGO struct{ slug, nameZH, nameEN, short string }

var demoNGOs = []demoNGO{
	{"women-entrepreneurship", "上海市女性创业促进会", "Shanghai Association for Women's Entrepreneurship", "女创会"},
	{"women-in-science", "上海市女科技工作者联谊会", "Shanghai Women Scientists and Technologists Fellowship", "女科技联谊会"},
	{"women-physicians", "上海市女医师协会", "Shanghai Women Physicians Association", "女医师协会"},
	{"women-lawyers", "上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "女律师联谊会"},
	{"women-professors", "上海市女教授联谊会", "Shanghai Women Professors Fellowship", "女教授联谊会"},
	{"family-education", "上海市家庭教育研究会", "Shanghai Family Education Research Society", "家教研究会"},
	{"women-volunteers", "上海市巾帼志愿者协会", "Shanghai Women Volunteers Association", "巾帼志愿者协会"},
	{"women-journalists", "上海市女记者协会", "Shanghai Women Journalists Association", "女记者协会"},
	{"women-architects", "上海市女建筑师联谊会", "Shanghai Women Architects Fellowship", "女建筑师联谊会"},
	{"women-children-foundation", "上海市妇女儿童发展基金会", "Shanghai Women and Children Development Foundation", "妇儿基金会"},
	{"women-org-service-centre", "上海市女性社会组织服务中心", "Shanghai Service Centre for Women's Social Organisations", "女性社会组织中心"},
	{"women-mental-health", "上海市女性心理健康促进会", "Shanghai Association for Women's Mental Health", "女性心理健康促进会"},
	{"women-in-finance", "上海市女金融家联谊会", "Shanghai Women in Finance Fellowship", "女金融家联谊会"},
	{"women-artists", "上海市女艺术家联谊会", "Shanghai Women Artists Fellowship", "女艺术家联谊会"},
	{"returned-women-scholars", "上海市归国留学女性联谊会", "Shanghai Fellowship of Women Scholars Returned from Abroad", "留学女性联谊会"},
	{"women-sports", "上海市女性体育健身协会", "Shanghai Women's Sports and Fitness Association", "女性体育协会"},
	{"yrd-women-development", "上海市长三角女性发展促进会", "Shanghai Association for Women's Development in the Yangtze River Delta", "长三角女促会"},
	{"women-digital-skills", "上海市女性数字技能培训中心", "Shanghai Women's Digital Skills Training Centre", "女性数字技能中心"},
}

type demoOfficial struct{ nameZH, nameEN, position string }

var demoOfficials = []demoOfficial{
	{"徐枫", "Xu Feng", "chairperson"},
	{"翁文磊", "Weng Wenlei", "vice_chairperson"},
	{"王剑璋", "Wang Jianzhang", "vice_chairperson"},
}

var demoTermStart = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)

// SeedDemo loads the demo federation in one transaction. It is idempotent:
// every row is keyed by its natural key and inserted only when missing, so a
// second run changes nothing.
func (db *DB) SeedDemo(ctx context.Context) error {
	return db.Transact(ctx, func(tx pgx.Tx) error {
		for _, n := range demoNGOs {
			if _, err := tx.Exec(ctx, `
				INSERT INTO ngos (slug, name_zh, name_en, short_name, active, show_in_directory)
				VALUES ($1, $2, $3, $4, true, true)
				ON CONFLICT (slug) DO NOTHING`,
				n.slug, n.nameZH, n.nameEN, n.short); err != nil {
				return fmt.Errorf("seed NGO %s: %w", n.slug, err)
			}
		}
		for _, o := range demoOfficials {
			if _, err := tx.Exec(ctx, `
				INSERT INTO officials (name_zh, name_en, position, term_start)
				VALUES ($1, $2, $3, $4)
				ON CONFLICT (name_zh, position, term_start) DO NOTHING`,
				o.nameZH, o.nameEN, o.position, demoTermStart); err != nil {
				return fmt.Errorf("seed official %s: %w", o.nameEN, err)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
			VALUES (2020, 2021, '2020-11-16', '2021-01-08', 'closed')
			ON CONFLICT (review_year) DO NOTHING`); err != nil {
			return fmt.Errorf("seed reporting cycle 2020: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO sessions (slug, title_zh, title_en, level, held_on, starts_at,
			                      venue_zh, venue_en, cycle_id, status)
			SELECT '2021-municipal-leadership-session',
			       '2021年上海市女性社会组织负责人年度会议',
			       '2021 Annual Leadership Session of Shanghai Women''s NGOs',
			       'municipal', '2021-01-19', '14:00',
			       '上海市妇女联合会三楼会议室', 'Conference Room, 3rd Floor, Shanghai Women''s Federation',
			       c.id, 'held'
			FROM reporting_cycles c WHERE c.review_year = 2020
			ON CONFLICT (slug) DO NOTHING`); err != nil {
			return fmt.Errorf("seed session 2021: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO session_officials (session_id, official_id)
			SELECT s.id, o.id
			FROM sessions s, officials o
			WHERE s.slug = '2021-municipal-leadership-session'
			  AND o.term_start = $1 AND o.name_zh = ANY($2)
			ON CONFLICT DO NOTHING`,
			demoTermStart, []string{"徐枫", "翁文磊", "王剑璋"}); err != nil {
			return fmt.Errorf("seed officials present: %w", err)
		}
		return nil
	})
}
