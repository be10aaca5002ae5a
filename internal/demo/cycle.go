package demo

import (
	"context"
	"fmt"

	"ngoportal/internal/postgres"
)

// The demo's vocabulary and deadline extensions. The themes are those of
// the 2021 session's account (what the NGOs reported for 2020 and planned
// for 2021); the key projects are invented, each answering a part of the
// federation's plan or the chair's requests.

type term struct{ nameZH, nameEN, descZH, descEN string }

var themeTerms = []term{
	{"抗击疫情", "Epidemic response",
		"发挥专业优势和组织动员能力，参与新冠肺炎疫情防控。",
		"Using professional expertise and the ability to organise in the fight against COVID-19."},
	{"女性职业发展", "Women's career development",
		"为职业女性搭建交流分享平台，支持女性职业成长。",
		"Platforms where career women meet and share, supporting their careers."},
	{"新媒体宣传倡导", "New-media advocacy",
		"运用新媒体开展妇女议题的宣传和倡导。",
		"Advocacy and communication on women's issues through new media."},
	{"庆祝建党100周年", "The CPC's 100th anniversary",
		"围绕建党100周年主题开展形式多样的活动。",
		"Activities of many kinds on the theme of the centenary of the Communist Party of China."},
	{"长三角一体化", "Yangtze River Delta integration",
		"联络区域女性精英，支持长三角产业交流与合作。",
		"Connecting women leaders across the region and supporting industrial exchange in the Yangtze River Delta."},
	{"线上线下主题活动", "Online and offline themed activities",
		"线上线下相结合的系列讲座和主题活动。",
		"Series of lectures and themed activities, online and offline."},
}

var projectTerms = []term{
	{"巾帼职场导师计划", "Women's Career Mentoring Programme",
		"组织资深职业女性与青年女性结对，提供职业发展指导。",
		"Pairs experienced professional women with young women for career guidance."},
	{"家庭教育指导服务项目", "Family Education Guidance Project",
		"在社区开展家庭教育讲座和亲子咨询服务。",
		"Family education talks and parent–child counselling in the city's communities."},
	{"长三角女性精英联谊网络", "Yangtze River Delta Women's Elite Network",
		"联络沪苏浙皖女性企业家和专业人士，促进产业交流。",
		"Links women entrepreneurs and professionals of Shanghai, Jiangsu, Zhejiang and Anhui for industrial exchange."},
	{"讲好上海女性故事", "Telling the Stories of Shanghai Women",
		"面向海内外讲述上海女性参与社会治理和民间外交的故事。",
		"Tells audiences at home and abroad how Shanghai women take part in social governance and people-to-people diplomacy."},
}

// extensionNGO is the demo NGO (6th in seed order) that has a later
// deadline in the open 2026 cycle.
const extensionNGO = "family-education"

// seedCycles adds the themes, the key projects and one deadline
// extension. Idempotent: terms are keyed by their Chinese name, the
// extension by (cycle, NGO), and nothing present is touched.
func seedCycles(ctx context.Context, tx postgres.Tx) error {
	lists := []struct {
		table string
		terms []term
	}{{"themes", themeTerms}, {"key_projects", projectTerms}}
	for _, l := range lists {
		table := l.table
		for _, t := range l.terms {
			if _, err := tx.Exec(ctx, `
				INSERT INTO `+table+` (name_zh, name_en, description_zh, description_en, position,
				                       created_at, updated_at)
				SELECT $1, $2, $3, $4, coalesce(max(position), 0) + 1, '2020-11-02 09:00:00+08', '2020-11-02 09:00:00+08'
				FROM `+table+`
				HAVING NOT EXISTS (SELECT 1 FROM `+table+` WHERE name_zh = $1)`,
				t.nameZH, t.nameEN, t.descZH, t.descEN); err != nil {
				return fmt.Errorf("seed %s %s: %w", table, t.nameEN, err)
			}
		}
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO cycle_extensions (cycle_id, ngo_id, deadline, reason, created_by, created_at)
		SELECT c.id, n.id, '2027-01-15',
		       '年度理事会换届，负责人交接期间报告需延后一周提交。',
		       (SELECT u.id FROM users u WHERE u.email = $2), '2026-12-01 10:00:00+08'
		FROM reporting_cycles c, ngos n
		WHERE c.review_year = 2026 AND n.slug = $1
		ON CONFLICT (cycle_id, ngo_id) DO NOTHING`, extensionNGO, AdminEmail); err != nil {
		return fmt.Errorf("seed extension: %w", err)
	}
	return nil
}
