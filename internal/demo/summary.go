package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// summary2021 is the demo's public summary of the 19 January 2021 session,
// written for the demo from the session's facts and published the day
// after.
var summary2021 = struct{ zh, en portal.SummaryText }{
	zh: portal.SummaryText{
		Title: "市妇联召开2021年女性社会组织负责人年度工作会议",
		Lead:  "2021年1月19日，上海市妇联召开市级女性社会组织负责人年度工作会议。18家女性社会组织参加会议，交流2020年工作情况和2021年工作计划。市妇联主席徐枫出席会议并讲话，副主席翁文磊、王剑璋出席。",
		Body: `## 2020年：在抗疫和服务中发挥专业优势

会上，各女性社会组织逐一汇报了2020年的工作。面对突如其来的新冠肺炎疫情，各组织发挥专业优势和组织动员能力，积极投身疫情防控；围绕妇女成长需求，线上线下相结合，开展了一系列讲座和主题活动；运用新媒体开展妇女议题的宣传和倡导，扩大了社会影响。

## 2021年：围绕中心、服务大局

在2021年工作计划中，各组织表示将按照市妇联的总体部署，围绕庆祝中国共产党成立100周年这一主题，开展形式多样的助力女性成长活动；为市妇联重点项目贡献社会资源和力量；在长三角一体化发展中发挥作用，凝聚区域女性精英，支持长三角地区的产业交流与合作。
`,
	},
	en: portal.SummaryText{
		Title: "Shanghai Women's Federation holds its 2021 leadership session with women's NGOs",
		Lead:  "On 19 January 2021 the Shanghai Women's Federation held its municipal annual leadership session with the city's women's NGOs. Eighteen NGOs attended, each reporting on its work in 2020 and its plans for 2021. Chairperson Xu Feng attended and spoke; Vice Chairpersons Weng Wenlei and Wang Jianzhang were also present.",
		Body: `## 2020: expertise put to work in the epidemic and in service

One by one, the NGOs reported on their work in 2020. When the coronavirus epidemic broke out, they brought their professional expertise and their ability to organise to the fight against it. Around the needs of women's growth they ran a series of lectures and themed activities, online and offline, and they used new media for advocacy and communication on women's issues, reaching a wider public.

## 2021: serving the federation's overall plan

In their plans for 2021 the NGOs said they would follow the federation's general plan and hold activities of many kinds for women's growth around the year's theme, the 100th anniversary of the Communist Party of China; contribute social resources and forces to the federation's key projects; and play their part in the integration of the Yangtze River Delta, gathering women leaders of the region and supporting industrial exchange and cooperation across it.
`,
	},
}

// seedSummary publishes the demo session's summary with its two
// versions (written, then published, by the demo admin) and its body's
// HTML (rendered after the session's requests were seeded). Idempotent: a
// session that has a summary is left alone, and every date is fixed.
func seedSummary(ctx context.Context, tx postgres.Tx) error {
	zh, en := summary2021.zh, summary2021.en
	var summaryID, sessionID int64
	err := tx.QueryRow(ctx, `
		INSERT INTO summaries (session_id, title_zh, lead_zh, body_zh, title_en, lead_en, body_en,
		                       status, first_published_at, public_hash, version, created_at, updated_at)
		SELECT s.id, $2, $3, $4, $5, $6, $7, 'published',
		       '2021-01-20 10:00:00+08', $8, 2, '2021-01-20 09:00:00+08', '2021-01-20 10:00:00+08'
		FROM sessions s WHERE s.slug = $1
		ON CONFLICT (session_id) DO NOTHING
		RETURNING id, session_id`, session2021, zh.Title, zh.Lead, zh.Body, en.Title, en.Lead, en.Body,
		portal.SummaryTextHash(zh, en)).Scan(&summaryID, &sessionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the session has its summary already
	}
	if err != nil {
		return fmt.Errorf("seed the demo summary: %w", err)
	}
	if err := tx.RenderSummaryHTML(ctx, sessionID); err != nil {
		return err
	}
	versions := []struct {
		number int
		action portal.SummaryVersionAction
		status portal.SummaryStatus
		at     string
	}{
		{1, portal.VersionEdited, portal.SummaryDraft, "2021-01-20 09:00:00+08"},
		{2, portal.VersionPublished, portal.SummaryPublished, "2021-01-20 10:00:00+08"},
	}
	for _, v := range versions {
		if _, err := tx.Exec(ctx, `
			INSERT INTO summary_versions (summary_id, number, action, status, title_zh, title_en, lead_zh, lead_en,
			                              body_zh, body_en, actor_id, at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, u.id, $11
			FROM users u WHERE u.email = $12`,
			summaryID, v.number, string(v.action), string(v.status), zh.Title, en.Title, zh.Lead, en.Lead,
			zh.Body, en.Body, v.at, AdminEmail); err != nil {
			return fmt.Errorf("seed the demo summary's version %d: %w", v.number, err)
		}
	}
	return nil
}
