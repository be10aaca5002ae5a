package portal

import (
	"strings"
	"testing"
	"time"
)

// composeFacts is a session like the demo's 2021 one, with three accepted
// reports.
func composeFacts() SessionFacts {
	return SessionFacts{
		Federation: Federation{NameZH: "上海市妇女联合会", NameEN: "Shanghai Women's Federation"},
		Session: Session{ID: 1, Slug: "2021-municipal-leadership-session",
			TitleZH: "2021年上海市女性社会组织负责人年度会议", TitleEN: "2021 Annual Leadership Session of Shanghai Women's NGOs",
			Level: LevelMunicipal, HeldOn: time.Date(2021, 1, 19, 0, 0, 0, 0, time.UTC), StartsAt: "14:00",
			VenueZH: "上海市妇女联合会三楼会议室", VenueEN: "Conference Room, 3rd Floor",
			Status: SessionHeld, CycleID: 7, ReviewYear: 2020, PlanYear: 2021},
		InvitedCount: 3,
		Attendees: []NGOName{{1, "上海市女性创业促进会", "Shanghai Association for Women's Entrepreneurship"},
			{2, "上海市女科技工作者联谊会", "Shanghai Women Scientists Fellowship"},
			{3, "上海市*星号*协会", "The [Bracket] Society"}},
		Officials: []Official{{ID: 1, NameZH: "徐枫", NameEN: "Xu Feng", Position: PositionChair},
			{ID: 2, NameZH: "翁文磊", NameEN: "Weng Wenlei", Position: PositionViceChair},
			{ID: 3, NameZH: "王剑璋", NameEN: "Wang Jianzhang", Position: PositionViceChair}},
		Requests: []Request{
			{Number: 1, TextZH: "拓宽上海女性发展的引领服务平台。", TextEN: "Broaden the platforms.", MadeBy: 1,
				MadeByNameZH: "徐枫", MadeByNameEN: "Xu Feng", MadeByPosition: PositionChair},
			{Number: 2, TextZH: "讲好中国故事和上海女性故事。", TextEN: "Tell the story of Shanghai women well.", MadeBy: 1,
				MadeByNameZH: "徐枫", MadeByNameEN: "Xu Feng", MadeByPosition: PositionChair}},
		Reports: &ReportFacts{ReviewYear: 2020, PlanYear: 2021, AcceptedCount: 3,
			Total: IndicatorSet{Activities: 12,
				ActivitiesByKind: map[ActivityKind]int{KindLecture: 5, KindEpidemicResponse: 7},
				ActivitiesByMode: map[ActivityMode]int{ModeOnline: 4, ModeOffline: 8},
				PeopleReached:    12345, WomenReached: 9876,
				MediaItems: 40, MediaReads: 1234567,
				MediaByChannel:     map[MediaChannel]MediaFigures{ChannelWeChat: {30, 1000000}, ChannelWeibo: {10, 234567}},
				PlanItems:          9,
				PlanItemsByProject: map[int64]int{0: 5, 4: 4}},
			ActivityThemes: []ThemeCount{{"疫情防控", "Epidemic response", 7}, {"新媒体宣传", "New-media advocacy", 3}},
			PlanThemes:     []ThemeCount{{"建党百年", "The CPC's 100th anniversary", 6}, {"长三角一体化", "Yangtze River Delta integration", 2}},
			Highlights: []Highlight{{"上海市女性创业促进会", "Shanghai Association for Women's Entrepreneurship", "举办线上创业课堂20场。"},
				{"上海市女科技工作者联谊会", "Shanghai Women Scientists Fellowship", "Ran <b>40</b> science talks."}},
		},
	}
}

func wantAll(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

func wantNone(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(text, p) {
			t.Errorf("%s has %q:\n%s", what, p, text)
		}
	}
}

func TestComposeSummary(t *testing.T) {
	zh, en := ComposeSummary(composeFacts())

	if zh.Title != "上海市妇女联合会召开2021年上海市女性社会组织负责人年度会议" {
		t.Errorf("zh title = %q", zh.Title)
	}
	if en.Title != "Shanghai Women's Federation holds the 2021 Annual Leadership Session of Shanghai Women's NGOs" {
		t.Errorf("en title = %q", en.Title)
	}
	wantAll(t, "zh lead", zh.Lead, "2021年1月19日，上海市妇女联合会召开2021年上海市女性社会组织负责人年度会议。",
		"上海市妇女联合会主席徐枫，副主席翁文磊、王剑璋出席会议", "本市3家女性社会组织参加会议", "交流2020年工作情况和2021年工作计划")
	wantAll(t, "en lead", en.Lead, "On 19 January 2021 the Shanghai Women's Federation held the 2021 Annual Leadership Session",
		"Chairperson Xu Feng and Vice Chairpersons Weng Wenlei and Wang Jianzhang attended",
		"representatives of three women's NGOs from across the city took part", "their work of 2020 and their plans for 2021")
	wantAll(t, "zh body", zh.Body, "本次会议为市级会议，于2021年1月19日14:00在上海市妇女联合会三楼会议室举行。",
		"应邀的3家女性社会组织全部出席", "上海市女性创业促进会、上海市女科技工作者联谊会",
		"据已通过审核的3份2020年度工作报告统计", "开展活动12项，其中线上4项、线下8项", "服务群众12345人次，其中女性9876人次",
		"讲座5项、疫情防控活动7项", "疫情防控（7项）和新媒体宣传（3项）", "微信公众号、微博等平台发布作品40篇，累计阅读1234567次",
		"## 2021年工作计划", "工作计划9项，重点聚焦建党百年和长三角一体化等主题，其中4项对接上海市妇女联合会重点项目",
		"- **上海市女性创业促进会**：举办线上创业课堂20场。")
	wantAll(t, "en body", en.Body, "This municipal-level session was held on 19 January 2021 at 14:00 in Conference Room, 3rd Floor.",
		"All three women's NGOs invited attended", "- Shanghai Association for Women's Entrepreneurship",
		"According to the three accepted reports on 2020, the NGOs held 12 activities over the year (4 online and 8 offline)",
		"reaching 12,345 people, 9,876 of them women", "5 lectures and 7 epidemic response activities",
		"Epidemic response (7) and New-media advocacy (3)", "published 40 items on WeChat official accounts and Weibo, read 1,234,567 times",
		"9 plan items for 2021, most often under the themes The CPC's 100th anniversary and Yangtze River Delta integration; 4 of them support the Shanghai Women's Federation's key projects",
		"- **Shanghai Association for Women's Entrepreneurship** (in Chinese): 举办线上创业课堂20场。")

	// The requests are not in the body: the summary's page lists them once,
	// in a section of its own.
	wantNone(t, "zh body", zh.Body, "工作要求", "拓宽上海女性发展的引领服务平台", "讲好中国故事")
	wantNone(t, "en body", en.Body, "Requests for", "Broaden the platforms", "Tell the story")

	// Facts are escaped: they cannot turn into Markdown (or HTML).
	wantAll(t, "zh body", zh.Body, `上海市\*星号\*协会`)
	wantAll(t, "en body", en.Body, `The \[Bracket\] Society`, `Ran \<b>40\</b> science talks.`)

	// Deterministic.
	zh2, en2 := ComposeSummary(composeFacts())
	if zh2 != zh || en2 != en {
		t.Error("composing the same facts twice gave different texts")
	}
}

// Missing facts are left out, not written as zeros.
func TestComposeSummaryLeavesOutWhatIsMissing(t *testing.T) {
	f := composeFacts()
	f.Session.CycleID, f.Session.ReviewYear, f.Session.PlanYear = 0, 0, 0
	f.Session.StartsAt, f.Session.VenueZH, f.Session.VenueEN = "", "", ""
	f.Reports = nil
	f.Attendees, f.InvitedCount = nil, 0
	f.Officials = nil
	f.Requests = nil
	zh, en := ComposeSummary(f)
	if zh.Lead != "2021年1月19日，上海市妇女联合会召开2021年上海市女性社会组织负责人年度会议。" {
		t.Errorf("zh lead = %q", zh.Lead)
	}
	if en.Lead != "On 19 January 2021 the Shanghai Women's Federation held the 2021 Annual Leadership Session of Shanghai Women's NGOs." {
		t.Errorf("en lead = %q", en.Lead)
	}
	if zh.Body != "本次会议为市级会议，于2021年1月19日举行。\n" {
		t.Errorf("zh body = %q", zh.Body)
	}
	if en.Body != "This municipal-level session was held on 19 January 2021.\n" {
		t.Errorf("en body = %q", en.Body)
	}

	// A cycle with no accepted report yet: no figures, no "0".
	f = composeFacts()
	f.Reports = &ReportFacts{ReviewYear: 2020, PlanYear: 2021, Total: NewIndicatorSet()}
	zh, en = ComposeSummary(f)
	wantNone(t, "zh body", zh.Body, "工作回顾", "工作计划", "工作亮点", "0项", "0份")
	wantNone(t, "en body", en.Body, "The work of", "Plans for 2021", "Highlights", " 0 ", "no accepted")

	// Some invited NGOs stayed away; district level.
	f = composeFacts()
	f.InvitedCount = 5
	f.Session.Level = LevelDistrict
	zh, en = ComposeSummary(f)
	wantAll(t, "zh", zh.Lead+zh.Body, "本区3家女性社会组织参加会议", "区级会议", "会议共邀请5家女性社会组织，实到3家。")
	wantAll(t, "en", en.Lead+en.Body, "from the district", "district-level", "Of the five women's NGOs invited, three attended")

	// One NGO, one official.
	f = composeFacts()
	f.Attendees, f.InvitedCount = f.Attendees[:1], 1
	f.Officials = f.Officials[:1]
	_, en = ComposeSummary(f)
	wantAll(t, "en", en.Lead+en.Body, "Chairperson Xu Feng attended, and representatives of one women's NGO from",
		"One women's NGO attended:")
}

// oldComposedBodyZH and oldComposedBodyEN end the way the composer used to
// end a body: with the chair's requests under a heading of their own.
const (
	oldComposedBodyZH = "本次会议为市级会议，于2021年1月19日举行。\n\n## 工作亮点\n\n- **甲**：乙。\n\n## 工作要求\n\n" +
		"会上，上海市妇女联合会主席徐枫对女性社会组织2021年的工作提出两点要求：\n\n1. 拓宽平台。\n2. 讲好故事。\n"
	oldComposedBodyEN = "This municipal-level session was held on 19 January 2021.\n\n## Requests for 2021\n\n" +
		"Chairperson Xu Feng made two requests of the NGOs for 2021:\n\n1. Broaden the platforms.\n2. 讲好故事。\n\n## Afterwards\n\nMore.\n"
)

func TestWithoutComposedRequests(t *testing.T) {
	cases := []struct {
		name string
		body string
		n    int
		want string
	}{
		{"OKLastSectionZH", oldComposedBodyZH, 2, "本次会议为市级会议，于2021年1月19日举行。\n\n## 工作亮点\n\n- **甲**：乙。\n"},
		{"OKMiddleSectionEN", oldComposedBodyEN, 2,
			"This municipal-level session was held on 19 January 2021.\n\n## Afterwards\n\nMore.\n"},
		// The list does not match the session's requests: someone edited it.
		{"KeptOtherCount", oldComposedBodyZH, 3, oldComposedBodyZH},
		{"KeptNoRequests", oldComposedBodyZH, 0, oldComposedBodyZH},
		// A heading of the admin's own words is the admin's text.
		{"KeptOwnHeading", "## 市妇联提出两点要求\n\n1. 甲\n2. 乙\n", 2, "## 市妇联提出两点要求\n\n1. 甲\n2. 乙\n"},
		{"KeptComposedToday", "本次会议为市级会议。\n", 2, "本次会议为市级会议。\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := WithoutComposedRequests(tc.body, tc.n); got != tc.want {
				t.Errorf("WithoutComposedRequests(%q, %d) =\n%q\nwant\n%q", tc.body, tc.n, got, tc.want)
			}
		})
	}
}

func TestMdInline(t *testing.T) {
	cases := map[string]string{
		"普通文字":                     "普通文字",
		"# 标题":                     `\# 标题`,
		"- 项":                      `\- 项`,
		"12. 项":                    `12\. 项`,
		"a *b* _c_ `d`":            "a \\*b\\* \\_c\\_ \\`d\\`",
		"[x](javascript:alert(1))": `\[x\](javascript:alert(1))`,
		"<script>":                 `\<script>`,
		"> 引用 | 表格!":               `\> 引用 | 表格!`,
		"line\nbreak":              "line break",
		"&amp;":                    `\&amp;`,
		"![i](/x.png)":             `!\[i\](/x.png)`,
	}
	for in, want := range cases {
		if got := mdInline(in); got != want {
			t.Errorf("mdInline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNumberEN(t *testing.T) {
	for n, want := range map[int]string{0: "no", 1: "one", 9: "nine", 10: "10", 1234: "1,234", 1234567: "1,234,567"} {
		if got := numberEN(n); got != want {
			t.Errorf("numberEN(%d) = %q, want %q", n, got, want)
		}
	}
}
