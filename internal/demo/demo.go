// Package demo loads the demo federation: a portal built on the facts of the
// Shanghai Women's Federation's leadership session of 19 January 2021
// (18 NGOs, the chair's two requests, their reports and the published
// summary), the invented years around it (the 2019 and 2021 cycles, the
// sessions of January 2020 and January 2022, the NGOs' answers to each
// session's requests and the outcomes of the 2021 plans) and a 2027
// session still open for replies, with an account for the federation's
// admin and for the staff of each NGO. It is for
// development and demonstrations only: `portal seed --demo` refuses to run
// in production.
//
// Seed writes every row with SQL in one transaction of the caller's
// database (postgres.DB.Load); where a row must be what a repository would
// have stored (a report's sections and history), it runs the repository's
// own steps (postgres.Tx).
package demo

import (
	"context"
	"fmt"
	"time"

	"ngoportal/internal/password"
	"ngoportal/internal/postgres"
)

// The demo federation, built on the facts of the real 2021 session. It lives
// in this package; later features extend it here.

// ngoEntry is one demo NGO's registry entry. Credit codes are invented but
// valid (their check characters are computed; a test proves it); email and
// website come from the slug.
type ngoEntry struct {
	slug, nameZH, nameEN, short string
	creditCode                  string
	founded                     int
	areas                       []string
	contact, phone, address     string
	profileZH, profileEN        string
}

var ngos = []ngoEntry{
	{"women-entrepreneurship", "上海市女性创业促进会", "Shanghai Association for Women's Entrepreneurship", "女创会",
		"51310000501830272K", 2003, []string{"女性创业", "创业培训", "小微企业扶持", "长三角交流"}, "李静", "021-6321 5801", "上海市黄浦区延安东路618号",
		"为上海女性创业者提供培训、导师结对和融资对接服务，帮助初创企业成长。",
		"Supports women entrepreneurs in Shanghai with training, mentoring and introductions to investors, helping start-ups grow."},
	{"women-in-science", "上海市女科技工作者联谊会", "Shanghai Women Scientists and Technologists Fellowship", "女科技联谊会",
		"513100005021746339", 1996, []string{"科技创新", "女性科技人才", "科普教育"}, "王芳", "021-6470 2312", "上海市徐汇区淮海中路1634号",
		"联系在沪女科技工作者，开展学术交流和科普活动，推动女性科技人才成长。",
		"Brings together women scientists and engineers working in Shanghai for academic exchange and science outreach, and helps women in science advance."},
	{"women-physicians", "上海市女医师协会", "Shanghai Women Physicians Association", "女医师协会",
		"51310000425013966R", 1990, []string{"妇女健康", "医学交流", "健康科普", "公益义诊"}, "张敏", "021-6385 1290", "上海市静安区北京西路1320号",
		"组织女医师开展学术交流、健康讲座和义诊，守护妇女儿童健康。",
		"Organises women doctors for medical exchange, health talks and free clinics, caring for the health of women and children."},
	{"women-lawyers", "上海市女律师联谊会", "Shanghai Women Lawyers Fellowship", "女律师联谊会",
		"513100005039051867", 1998, []string{"法律援助", "婚姻家庭", "妇女权益保障"}, "刘洋", "021-5238 0916", "上海市长宁区延安西路889号",
		"为妇女提供公益法律咨询和援助，参与妇女权益保障的宣传与倡导。",
		"Offers free legal advice and aid to women and takes part in advocacy for women's rights."},
	{"women-professors", "上海市女教授联谊会", "Shanghai Women Professors Fellowship", "女教授联谊会",
		"5131000042507681XA", 1994, []string{"高等教育", "学术交流", "青年女教师培养"}, "陈丽", "021-6564 3170", "上海市杨浦区国权路525号",
		"团结在沪高校女教授，开展学术沙龙，培养青年女教师，服务社会发展。",
		"Unites women professors from Shanghai's universities through academic salons and the mentoring of young women teachers."},
	{"family-education", "上海市家庭教育研究会", "Shanghai Family Education Research Society", "家教研究会",
		"51310000501312942A", 1988, []string{"家庭教育", "亲子关系", "家风建设"}, "杨雪", "021-6248 7735", "上海市静安区常德路1211号",
		"研究和推广科学的家庭教育方法，为家长提供讲座和咨询。",
		"Researches and promotes sound approaches to family education, and offers talks and counselling to parents."},
	{"women-volunteers", "上海市巾帼志愿者协会", "Shanghai Women Volunteers Association", "巾帼志愿者协会",
		"5131000050742083X8", 2001, []string{"志愿服务", "社区服务", "疫情防控", "关爱老人"}, "赵倩", "021-6358 6620", "上海市黄浦区西藏中路336号",
		"组织巾帼志愿者参与社区服务、关爱帮扶和应急志愿行动。",
		"Organises women volunteers for community service, care for people in need and emergency relief."},
	{"women-journalists", "上海市女记者协会", "Shanghai Women Journalists Association", "女记者协会",
		"513100005051837622", 1992, []string{"新媒体传播", "女性议题", "媒介素养"}, "黄婷", "021-6279 3048", "上海市静安区威海路755号",
		"联系在沪女新闻工作者，讲好上海女性故事，开展媒介素养培训。",
		"Connects women journalists in Shanghai, tells the stories of Shanghai women and runs media literacy training."},
	{"women-architects", "上海市女建筑师联谊会", "Shanghai Women Architects Fellowship", "女建筑师联谊会",
		"513100005032674951", 2005, []string{"城市建设", "社区微更新", "专业交流"}, "周慧", "021-6437 1582", "上海市徐汇区宛平南路75号",
		"为女建筑师搭建专业交流平台，参与社区微更新等公益设计项目。",
		"Gives women architects a platform for professional exchange and takes part in pro bono design such as small-scale community renewal."},
	{"women-children-foundation", "上海市妇女儿童发展基金会", "Shanghai Women and Children Development Foundation", "妇儿基金会",
		"53310000500491723W", 1995, []string{"公益募捐", "儿童关爱", "妇女发展项目"}, "吴佳", "021-6358 9301", "上海市黄浦区淮海中路145号",
		"募集社会资金，资助促进妇女儿童发展的公益项目。",
		"Raises funds from the public and supports charitable projects for the development of women and children."},
	{"women-org-service-centre", "上海市女性社会组织服务中心", "Shanghai Service Centre for Women's Social Organisations", "女性社会组织中心",
		"52310000MJ49210686", 2014, []string{"社会组织培育", "能力建设", "项目孵化"}, "徐燕", "021-5308 2276", "上海市黄浦区南京西路99号",
		"为女性社会组织提供孵化、培训和项目对接服务，提升组织能力。",
		"Incubates and trains women's social organisations and connects them with projects, building their capacity."},
	{"women-mental-health", "上海市女性心理健康促进会", "Shanghai Association for Women's Mental Health", "女性心理健康促进会",
		"513100005028715431", 2010, []string{"心理健康", "心理咨询", "压力疏导"}, "孙琳", "021-6431 8857", "上海市徐汇区零陵路399号",
		"普及心理健康知识，为女性提供心理咨询和互助小组服务。",
		"Spreads knowledge about mental health and offers women counselling and support groups."},
	{"women-in-finance", "上海市女金融家联谊会", "Shanghai Women in Finance Fellowship", "女金融家联谊会",
		"51310000504639182D", 2007, []string{"金融知识普及", "女性职业发展", "长三角交流"}, "马晓", "021-5036 4412", "上海市浦东新区东方路800号",
		"汇聚金融行业女性人才，开展金融知识普及和职业发展交流。",
		"Brings together women in finance for financial literacy outreach and career development."},
	{"women-artists", "上海市女艺术家联谊会", "Shanghai Women Artists Fellowship", "女艺术家联谊会",
		"51310000505712361A", 1999, []string{"文化艺术", "公益展演", "艺术教育"}, "朱红", "021-6253 7719", "上海市静安区延安中路1000号",
		"组织女艺术家开展创作交流和公益展演，丰富市民文化生活。",
		"Brings women artists together for creative exchange, and for free performances and exhibitions across the city."},
	{"returned-women-scholars", "上海市归国留学女性联谊会", "Shanghai Fellowship of Women Scholars Returned from Abroad", "留学女性联谊会",
		"51310000506948202F", 2009, []string{"国际交流", "民间外交", "人才服务"}, "胡蓉", "021-6217 5093", "上海市长宁区愚园路1088号",
		"联系归国留学女性，开展国际交流，讲好中国故事和上海女性故事。",
		"Connects women who studied abroad, fosters international exchange and tells the story of China and of Shanghai women."},
	{"women-sports", "上海市女性体育健身协会", "Shanghai Women's Sports and Fitness Association", "女性体育协会",
		"513100005037821554", 2006, []string{"全民健身", "女性健康", "社区体育"}, "郭颖", "021-6427 6635", "上海市徐汇区中山南二路800号",
		"推广适合女性的健身项目，组织社区健身活动和赛事。",
		"Promotes sport and fitness for women, and organises community exercise sessions and events."},
	{"yrd-women-development", "上海市长三角女性发展促进会", "Shanghai Association for Women's Development in the Yangtze River Delta", "长三角女促会",
		"51310000505028439N", 2019, []string{"长三角一体化", "女性精英联谊", "产业交流"}, "何萍", "021-6887 2150", "上海市青浦区盈港东路1000号",
		"服务长三角一体化发展，联络区域女性精英，促进产业交流与合作。",
		"Serves the integration of the Yangtze River Delta by connecting women leaders across the region and fostering industrial exchange."},
	{"women-digital-skills", "上海市女性数字技能培训中心", "Shanghai Women's Digital Skills Training Centre", "女性数字技能中心",
		"52310000MJ5193269T", 2018, []string{"数字技能", "就业培训", "数字助老"}, "高岚", "021-5422 8093", "上海市闵行区七莘路1500号",
		"开展数字技能培训，帮助女性提升就业能力、跨越数字鸿沟。",
		"Teaches digital skills that help women find work and bridge the digital divide."},
}

// ngoEnglish holds each demo NGO's focus areas (in the order of its
// Chinese ones) and address in English, by slug.
var ngoEnglish = map[string]struct {
	areas   []string
	address string
}{
	"women-entrepreneurship": {[]string{"Women's entrepreneurship", "Training for founders", "Support for small businesses", "Yangtze River Delta exchange"},
		"618 East Yan'an Road, Huangpu District, Shanghai"},
	"women-in-science": {[]string{"Science and innovation", "Women in science", "Science education"},
		"1634 Middle Huaihai Road, Xuhui District, Shanghai"},
	"women-physicians": {[]string{"Women's health", "Medical exchange", "Health education", "Free clinics"},
		"1320 West Beijing Road, Jing'an District, Shanghai"},
	"women-lawyers": {[]string{"Legal aid", "Marriage and family", "Women's rights"},
		"889 West Yan'an Road, Changning District, Shanghai"},
	"women-professors": {[]string{"Higher education", "Academic exchange", "Young women teachers"},
		"525 Guoquan Road, Yangpu District, Shanghai"},
	"family-education": {[]string{"Family education", "Parents and children", "Family values"},
		"1211 Changde Road, Jing'an District, Shanghai"},
	"women-volunteers": {[]string{"Volunteering", "Community service", "Epidemic response", "Care for older people"},
		"336 Middle Xizang Road, Huangpu District, Shanghai"},
	"women-journalists": {[]string{"New media", "Women's issues", "Media literacy"},
		"755 Weihai Road, Jing'an District, Shanghai"},
	"women-architects": {[]string{"Urban development", "Community renewal", "Professional exchange"},
		"75 South Wanping Road, Xuhui District, Shanghai"},
	"women-children-foundation": {[]string{"Fundraising", "Care for children", "Projects for women"},
		"145 Middle Huaihai Road, Huangpu District, Shanghai"},
	"women-org-service-centre": {[]string{"Growing social organisations", "Capacity building", "Project incubation"},
		"99 West Nanjing Road, Huangpu District, Shanghai"},
	"women-mental-health": {[]string{"Mental health", "Counselling", "Stress relief"},
		"399 Lingling Road, Xuhui District, Shanghai"},
	"women-in-finance": {[]string{"Financial literacy", "Women's careers", "Yangtze River Delta exchange"},
		"800 Dongfang Road, Pudong New Area, Shanghai"},
	"women-artists": {[]string{"Culture and the arts", "Free performances", "Arts education"},
		"1000 Middle Yan'an Road, Jing'an District, Shanghai"},
	"returned-women-scholars": {[]string{"International exchange", "People-to-people diplomacy", "Services for talent"},
		"1088 Yuyuan Road, Changning District, Shanghai"},
	"women-sports": {[]string{"Fitness for all", "Women's health", "Community sport"},
		"800 South Zhongshan No. 2 Road, Xuhui District, Shanghai"},
	"yrd-women-development": {[]string{"Yangtze River Delta integration", "Networks of women leaders", "Industrial exchange"},
		"1000 East Yinggang Road, Qingpu District, Shanghai"},
	"women-digital-skills": {[]string{"Digital skills", "Job training", "Digital help for older people"},
		"1500 Qixin Road, Minhang District, Shanghai"},
}

type official struct{ nameZH, nameEN, position string }

var officials = []official{
	{"徐枫", "Xu Feng", "chairperson"},
	{"翁文磊", "Weng Wenlei", "vice_chairperson"},
	{"王剑璋", "Wang Jianzhang", "vice_chairperson"},
}

// Password is the password of every demo account. It exists only in
// the demo: `seed --demo` is refused in production.
const Password = "demo-portal-2021"

// AdminEmail is the demo federation admin's sign-in.
const AdminEmail = "admin@example.org"

// ReviewerEmail is the demo federation reviewer's sign-in: an official who
// reads everything, reviews reports and runs check-in, and manages nothing.
const ReviewerEmail = "reviewer@example.org"

// StaffEmail is the sign-in of the staff member of the n-th demo NGO
// (1-based, in seed order): ngo01@example.org … ngo18@example.org.
func StaffEmail(n int) string { return fmt.Sprintf("ngo%02d@example.org", n) }

// staffNames are the invented names of the demo NGOs' staff, in order.
var staffNames = []string{
	"李静", "王芳", "张敏", "刘洋", "陈丽", "杨雪", "赵倩", "黄婷", "周慧",
	"吴佳", "徐燕", "孙琳", "马晓", "朱红", "胡蓉", "郭颖", "何萍", "高岚",
}

var termStart = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)

// Seed loads the demo federation into db in one transaction. It is
// idempotent: every row is keyed by its natural key and inserted only when
// missing, so a second run changes nothing.
func Seed(ctx context.Context, db *postgres.DB) error {
	return db.Load(ctx, func(tx postgres.Tx) error {
		for _, n := range ngos {
			if _, err := tx.Exec(ctx, `
				INSERT INTO ngos (slug, name_zh, name_en, short_name, active, show_in_directory,
				                  credit_code, focus_areas, founded_year, contact_person, phone,
				                  email, website, address, profile_zh, profile_en, focus_areas_en, address_en)
				VALUES ($1, $2, $3, $4, true, true, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
				ON CONFLICT (slug) DO NOTHING`,
				n.slug, n.nameZH, n.nameEN, n.short, n.creditCode, n.areas, n.founded, n.contact, n.phone,
				"contact@"+n.slug+".example.org", "https://"+n.slug+".example.org", n.address,
				n.profileZH, n.profileEN, ngoEnglish[n.slug].areas, ngoEnglish[n.slug].address); err != nil {
				return fmt.Errorf("seed NGO %s: %w", n.slug, err)
			}
		}
		for _, o := range officials {
			if _, err := tx.Exec(ctx, `
				INSERT INTO officials (name_zh, name_en, position, term_start)
				VALUES ($1, $2, $3, $4)
				ON CONFLICT (name_zh, position, term_start) DO NOTHING`,
				o.nameZH, o.nameEN, o.position, termStart); err != nil {
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
			SELECT $1,
			       '2021年上海市女性社会组织负责人年度会议',
			       '2021 Annual Leadership Session of Shanghai Women''s NGOs',
			       'municipal', '2021-01-19', '14:00',
			       '上海市妇女联合会三楼会议室', 'Conference Room, 3rd Floor, Shanghai Women''s Federation',
			       c.id, 'held'
			FROM reporting_cycles c WHERE c.review_year = 2020
			ON CONFLICT (slug) DO NOTHING`, session2021); err != nil {
			return fmt.Errorf("seed session 2021: %w", err)
		}
		if err := seedOfficialsPresent(ctx, tx, session2021); err != nil {
			return err
		}
		if err := seedAccounts(ctx, tx); err != nil {
			return err
		}
		if err := seedSecondFactor(ctx, tx); err != nil {
			return err
		}
		if err := seedSessions(ctx, tx); err != nil { // after the accounts: replies name who sent them
			return err
		}
		if err := seedPastSessions(ctx, tx); err != nil {
			return err
		}
		if err := seedCycles(ctx, tx); err != nil {
			return err
		}
		if err := seedReports(ctx, tx); err != nil { // after the cycles: reports are tagged with themes and projects
			return err
		}
		if err := seedNotifications(ctx, tx); err != nil { // after the reports: the notices of their steps
			return err
		}
		return seedSummary(ctx, tx)
	})
}

// AdminTOTPSecret is the authenticator key (base32) of the demo's two
// federation officials, the admin and the reviewer, printed
// in the README beside the password so that anyone trying the demo can
// compute the sign-in code (oathtool --totp -b KEY). Like the rest of the
// demo it never reaches production: `seed --demo` is refused there, and the
// portal refuses this key in production whatever the database holds.
const AdminTOTPSecret = password.DemoTOTPSecret

// seedSecondFactor sets up the two-step sign-in of the demo admin and
// reviewer with AdminTOTPSecret, as federation officials must have one.
func seedSecondFactor(ctx context.Context, tx postgres.Tx) error {
	if _, err := tx.Exec(ctx, `
		INSERT INTO user_second_factors (user_id, totp_secret)
		SELECT id, $2 FROM users WHERE email = ANY($1)
		ON CONFLICT (user_id) DO NOTHING`, []string{AdminEmail, ReviewerEmail}, AdminTOTPSecret); err != nil {
		return fmt.Errorf("seed the officials' second factor: %w", err)
	}
	return nil
}

// seedAccounts adds the demo admin and one staff member per demo NGO,
// hashing the demo password only when an account is missing.
func seedAccounts(ctx context.Context, tx postgres.Tx) error {
	emails := []string{AdminEmail, ReviewerEmail}
	for i := range ngos {
		emails = append(emails, StaffEmail(i+1))
	}
	var existing int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE email = ANY($1)`, emails).Scan(&existing); err != nil {
		return fmt.Errorf("seed accounts: %w", err)
	}
	if existing == len(emails) {
		return nil
	}
	hash, err := password.Hash(Password)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO users (email, name, name_en, role, status, password_hash, password_changed_at)
		VALUES ($1, '联合会管理员', 'Federation administrator', 'admin', 'active', $2, now())
		ON CONFLICT (email) DO NOTHING`, AdminEmail, hash); err != nil {
		return fmt.Errorf("seed admin: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO users (email, name, name_en, role, status, password_hash, password_changed_at)
		VALUES ($1, '联合会审阅员', 'Federation reviewer', 'reviewer', 'active', $2, now())
		ON CONFLICT (email) DO NOTHING`, ReviewerEmail, hash); err != nil {
		return fmt.Errorf("seed reviewer: %w", err)
	}
	for i, n := range ngos {
		if _, err := tx.Exec(ctx, `
			INSERT INTO users (email, name, role, ngo_id, status, password_hash, password_changed_at)
			SELECT $1, $2, 'staff', id, 'active', $3, now() FROM ngos WHERE slug = $4
			ON CONFLICT (email) DO NOTHING`, StaffEmail(i+1), staffNames[i], hash, n.slug); err != nil {
			return fmt.Errorf("seed staff of %s: %w", n.slug, err)
		}
	}
	return nil
}
