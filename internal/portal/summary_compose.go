package portal

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// SessionFacts is everything the composer writes a session's summary from:
// the session's own records and, when the session closes a reporting cycle,
// what the accepted reports of that cycle say.
type SessionFacts struct {
	Federation Federation
	Session    Session // with ReviewYear and PlanYear from its cycle (0: none)
	// InvitedCount is the number of NGOs invited (withdrawn invitations
	// not counted).
	InvitedCount int
	// Attendees are the NGOs present, in the registry's order.
	Attendees []NGOName
	// Officials are the officials present, in order of precedence.
	Officials []Official
	// Requests are the chair's requests at the session, by number. The
	// composer does not write them into the body: the summary's page lists
	// them in a section of its own, in the reader's language (see
	// WithoutComposedRequests for bodies composed before).
	Requests []Request
	// Reports holds what the accepted reports of the session's cycle say;
	// nil when the session closes no cycle.
	Reports *ReportFacts
}

// NGOName is an NGO named in both languages.
type NGOName struct {
	ID     int64
	NameZH string
	NameEN string
}

// ReportFacts are the figures and words of a cycle's accepted reports.
type ReportFacts struct {
	ReviewYear int
	PlanYear   int
	// AcceptedCount is the number of accepted reports; when 0, nothing
	// below is said.
	AcceptedCount int
	// Total is the sum of the accepted reports' figures.
	Total IndicatorSet
	// ActivityThemes counts the activities tagged with each theme, most
	// frequent first (ties in the vocabulary's order); themes with none are
	// left out.
	ActivityThemes []ThemeCount
	// PlanThemes counts the plan items tagged with each theme, in the same
	// order.
	PlanThemes []ThemeCount
	// Highlights are the public highlights NGOs chose to share, in the
	// registry's order.
	Highlights []Highlight
}

// ThemeCount is how many rows were tagged with one theme.
type ThemeCount struct {
	NameZH string
	NameEN string
	Count  int
}

// Highlight is the public highlight of one NGO's accepted report.
type Highlight struct {
	NGONameZH string
	NGONameEN string
	Text      string
}

// Limits of what a composed summary lists.
const (
	composeActivityThemes = 5
	composePlanThemes     = 3
)

// ComposeSummary writes a first draft of a session's summary in Chinese and
// English from its facts. It is deterministic (equal facts, equal text) and
// leaves out what the facts do not hold: no attendance paragraph without
// attendance, no figures without accepted reports. The chair's requests are
// not in the body: the summary's page lists them once, in a section of its
// own. Leads are plain text; bodies are Markdown in which every
// fact from the database is escaped.
func ComposeSummary(f SessionFacts) (zh, en SummaryText) {
	return composeZH(f), composeEN(f)
}

// reportsSay reports whether there are accepted reports to quote.
func (f SessionFacts) reportsSay() bool { return f.Reports != nil && f.Reports.AcceptedCount > 0 }

// ---- Chinese ----

var positionZH = map[Position]string{
	PositionChair: "主席", PositionViceChair: "副主席", PositionSecretary: "秘书长", PositionOther: "",
}

var kindZH = map[ActivityKind]string{
	KindLecture: "讲座", KindThemedActivity: "主题活动", KindTraining: "培训", KindService: "服务活动",
	KindCampaign: "宣传倡导活动", KindEpidemicResponse: "疫情防控活动", KindOther: "其他活动",
}

var modeZH = map[ActivityMode]string{ModeOnline: "线上", ModeOffline: "线下", ModeHybrid: "线上线下结合"}

var channelZH = map[MediaChannel]string{
	ChannelWeChat: "微信公众号", ChannelWeibo: "微博", ChannelDouyin: "抖音", ChannelWebsite: "网站", ChannelOther: "其他平台",
}

func dateZH(f SessionFacts) string {
	d := f.Session.HeldOn
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// officialsZH is "上海市妇女联合会主席徐枫，副主席翁文磊、王剑璋".
func officialsZH(fed string, list []Official) string {
	var groups []string
	for _, g := range groupOfficials(list) {
		names := make([]string, len(g))
		for i, o := range g {
			names[i] = o.NameZH
		}
		groups = append(groups, positionZH[g[0].Position]+strings.Join(names, "、"))
	}
	if len(groups) == 0 {
		return ""
	}
	return fed + strings.Join(groups, "，")
}

// joinZH joins the last two items with "和", the others with "、".
func joinZH(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], "、") + "和" + items[len(items)-1]
}

func composeZH(f SessionFacts) SummaryText {
	s := f.Session
	fed := f.Federation.NameZH
	scope := "本市"
	if s.Level == LevelDistrict {
		scope = "本区"
	}
	var t SummaryText
	t.Title = fed + "召开" + s.TitleZH

	lead := dateZH(f) + "，" + fed + "召开" + s.TitleZH + "。"
	var clauses []string
	if o := officialsZH(fed, f.Officials); o != "" {
		clauses = append(clauses, o+"出席会议")
	}
	if n := len(f.Attendees); n > 0 {
		c := fmt.Sprintf("%s%d家女性社会组织参加会议", scope, n)
		if s.ReviewYear != 0 {
			c += fmt.Sprintf("，交流%d年工作情况和%d年工作计划", s.ReviewYear, s.PlanYear)
		}
		clauses = append(clauses, c)
	}
	if len(clauses) > 0 {
		lead += strings.Join(clauses, "，") + "。"
	}
	t.Lead = lead

	var b strings.Builder
	level := "市级"
	if s.Level == LevelDistrict {
		level = "区级"
	}
	where := ""
	if s.StartsAt != "" {
		where += s.StartsAt
	}
	if s.VenueZH != "" {
		where += "在" + mdInline(s.VenueZH)
	}
	fmt.Fprintf(&b, "本次会议为%s会议，于%s%s举行。\n", level, dateZH(f), where)

	if n := len(f.Attendees); n > 0 {
		b.WriteString("\n## 参会组织\n\n")
		switch {
		case f.InvitedCount > n:
			fmt.Fprintf(&b, "会议共邀请%d家女性社会组织，实到%d家。", f.InvitedCount, n)
		case f.InvitedCount == n:
			fmt.Fprintf(&b, "应邀的%d家女性社会组织全部出席。", n)
		default:
			fmt.Fprintf(&b, "%d家女性社会组织出席会议。", n)
		}
		names := make([]string, n)
		for i, a := range f.Attendees {
			names[i] = mdInline(a.NameZH)
		}
		fmt.Fprintf(&b, "出席会议的组织有：%s。\n", strings.Join(names, "、"))
	}

	if f.reportsSay() {
		r := f.Reports
		tot := r.Total
		fmt.Fprintf(&b, "\n## %d年工作回顾\n\n", r.ReviewYear)
		fmt.Fprintf(&b, "据已通过审核的%d份%d年度工作报告统计，", r.AcceptedCount, r.ReviewYear)
		if tot.Activities > 0 {
			fmt.Fprintf(&b, "各组织全年共开展活动%d项", tot.Activities)
			var modes []string
			for _, m := range ActivityModes {
				if n := tot.ActivitiesByMode[m]; n > 0 {
					modes = append(modes, fmt.Sprintf("%s%d项", modeZH[m], n))
				}
			}
			if len(modes) > 1 {
				b.WriteString("，其中" + strings.Join(modes, "、"))
			}
			if tot.PeopleReached > 0 {
				fmt.Fprintf(&b, "，服务群众%d人次", tot.PeopleReached)
				if tot.WomenReached > 0 {
					fmt.Fprintf(&b, "，其中女性%d人次", tot.WomenReached)
				}
			}
			b.WriteString("。")
			var kinds []string
			for _, k := range ActivityKinds {
				if n := tot.ActivitiesByKind[k]; n > 0 {
					kinds = append(kinds, fmt.Sprintf("%s%d项", kindZH[k], n))
				}
			}
			if len(kinds) > 1 {
				b.WriteString("按类型分，" + strings.Join(kinds, "、") + "。")
			}
			if th := topThemes(r.ActivityThemes, composeActivityThemes); len(th) > 0 {
				items := make([]string, len(th))
				for i, c := range th {
					items[i] = fmt.Sprintf("%s（%d项）", mdInline(c.NameZH), c.Count)
				}
				b.WriteString("活动主要围绕" + joinZH(items) + "等主题开展。")
			}
		} else {
			b.WriteString("各组织报告了全年工作情况。")
		}
		if tot.MediaItems > 0 {
			var channels []string
			for _, c := range MediaChannels {
				if tot.MediaByChannel[c].Items > 0 {
					channels = append(channels, channelZH[c])
				}
			}
			fmt.Fprintf(&b, "各组织运用新媒体宣传倡导，在%s%s发布作品%d篇", strings.Join(channels, "、"),
				map[bool]string{true: "等平台", false: ""}[len(channels) > 1], tot.MediaItems)
			if tot.MediaReads > 0 {
				fmt.Fprintf(&b, "，累计阅读%d次", tot.MediaReads)
			}
			b.WriteString("。")
		}
		b.WriteString("\n")

		if tot.PlanItems > 0 {
			fmt.Fprintf(&b, "\n## %d年工作计划\n\n", r.PlanYear)
			fmt.Fprintf(&b, "各组织共提出%d年工作计划%d项", r.PlanYear, tot.PlanItems)
			if th := topThemes(r.PlanThemes, composePlanThemes); len(th) > 0 {
				items := make([]string, len(th))
				for i, c := range th {
					items[i] = mdInline(c.NameZH)
				}
				b.WriteString("，重点聚焦" + joinZH(items) + "等主题")
			}
			if n := projectItems(tot); n > 0 {
				fmt.Fprintf(&b, "，其中%d项对接%s重点项目", n, mdInline(f.Federation.NameZH))
			}
			b.WriteString("。\n")
		}

		if len(r.Highlights) > 0 {
			b.WriteString("\n## 工作亮点\n\n")
			for _, h := range r.Highlights {
				fmt.Fprintf(&b, "- **%s**：%s\n", mdInline(h.NGONameZH), mdInline(h.Text))
			}
		}
	}

	t.Body = b.String()
	return t
}

// ---- English ----

var positionEN = map[Position][2]string{ // singular, plural
	PositionChair:     {"Chairperson", "Chairpersons"},
	PositionViceChair: {"Vice Chairperson", "Vice Chairpersons"},
	PositionSecretary: {"Secretary-General", "Secretaries-General"},
	PositionOther:     {"", ""},
}

var kindEN = map[ActivityKind][2]string{
	KindLecture:          {"lecture", "lectures"},
	KindThemedActivity:   {"themed activity", "themed activities"},
	KindTraining:         {"training course", "training courses"},
	KindService:          {"service activity", "service activities"},
	KindCampaign:         {"advocacy campaign", "advocacy campaigns"},
	KindEpidemicResponse: {"epidemic response activity", "epidemic response activities"},
	KindOther:            {"other activity", "other activities"},
}

var channelEN = map[MediaChannel]string{
	ChannelWeChat: "WeChat official accounts", ChannelWeibo: "Weibo", ChannelDouyin: "Douyin",
	ChannelWebsite: "websites", ChannelOther: "other platforms",
}

var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

func dateEN(f SessionFacts) string {
	d := f.Session.HeldOn
	return fmt.Sprintf("%d %s %d", d.Day(), monthsEN[d.Month()-1], d.Year())
}

// numberEN spells out one to nine and writes larger numbers with thousands
// separators.
func numberEN[T int | int64](n T) string {
	words := []string{"no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if n >= 0 && int(n) < len(words) {
		return words[n]
	}
	return digitsEN(n)
}

// digitsEN writes n with thousands separators: 12,345.
func digitsEN[T int | int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural picks the singular or plural form for n.
func plural[T int | int64](n T, forms [2]string) string {
	if n == 1 {
		return forms[0]
	}
	return forms[1]
}

// joinEN is "a", "a and b", "a, b and c".
func joinEN(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// theName puts "the" before a name unless it has one.
func theName(name string) string {
	if strings.HasPrefix(strings.ToLower(name), "the ") {
		return name
	}
	return "the " + name
}

func capitalise(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// officialsEN is "Chairperson Xu Feng and Vice Chairpersons Weng Wenlei and
// Wang Jianzhang".
func officialsEN(list []Official) string {
	var groups []string
	for _, g := range groupOfficials(list) {
		names := make([]string, len(g))
		for i, o := range g {
			names[i] = o.NameEN
		}
		title := plural(len(g), positionEN[g[0].Position])
		if title == "" {
			groups = append(groups, joinEN(names))
		} else {
			groups = append(groups, title+" "+joinEN(names))
		}
	}
	if len(groups) <= 2 {
		return joinEN(groups)
	}
	return strings.Join(groups[:len(groups)-1], "; ") + "; and " + groups[len(groups)-1]
}

func composeEN(f SessionFacts) SummaryText {
	s := f.Session
	fed := f.Federation.NameEN
	scope := "from across the city"
	level := "municipal-level"
	if s.Level == LevelDistrict {
		scope, level = "from the district", "district-level"
	}
	var t SummaryText
	t.Title = strings.TrimPrefix(strings.TrimPrefix(fed, "the "), "The ") + " holds " + theName(s.TitleEN)

	lead := fmt.Sprintf("On %s %s held %s.", dateEN(f), theName(fed), theName(s.TitleEN))
	var clauses []string
	if o := officialsEN(f.Officials); o != "" {
		clauses = append(clauses, o+" attended")
	}
	if n := len(f.Attendees); n > 0 {
		c := fmt.Sprintf("representatives of %s women's %s %s took part", numberEN(n), plural(n, [2]string{"NGO", "NGOs"}), scope)
		if s.ReviewYear != 0 {
			c += fmt.Sprintf(", sharing their work of %d and their plans for %d", s.ReviewYear, s.PlanYear)
		}
		clauses = append(clauses, c)
	}
	if len(clauses) > 0 {
		lead += " " + capitalise(strings.Join(clauses, ", and ")) + "."
	}
	t.Lead = lead

	var b strings.Builder
	fmt.Fprintf(&b, "This %s session was held on %s", level, dateEN(f))
	if s.StartsAt != "" {
		fmt.Fprintf(&b, " at %s", s.StartsAt)
	}
	if s.VenueEN != "" {
		b.WriteString(" in " + mdInline(s.VenueEN))
	}
	b.WriteString(".\n")

	if n := len(f.Attendees); n > 0 {
		b.WriteString("\n## NGOs present\n\n")
		ngos := plural(n, [2]string{"NGO", "NGOs"})
		switch {
		case f.InvitedCount > n:
			fmt.Fprintf(&b, "Of the %s women's NGOs invited, %s attended:\n\n", numberEN(f.InvitedCount), numberEN(n))
		case f.InvitedCount == n && n > 1:
			fmt.Fprintf(&b, "All %s women's %s invited attended:\n\n", numberEN(n), ngos)
		default:
			fmt.Fprintf(&b, "%s women's %s attended:\n\n", capitalise(numberEN(n)), ngos)
		}
		for _, a := range f.Attendees {
			b.WriteString("- " + mdInline(a.NameEN) + "\n")
		}
	}

	if f.reportsSay() {
		r := f.Reports
		tot := r.Total
		fmt.Fprintf(&b, "\n## The work of %d\n\n", r.ReviewYear)
		fmt.Fprintf(&b, "According to the %s accepted %s on %d, ", numberEN(r.AcceptedCount),
			plural(r.AcceptedCount, [2]string{"report", "reports"}), r.ReviewYear)
		if tot.Activities > 0 {
			fmt.Fprintf(&b, "the NGOs held %s %s over the year", digitsEN(tot.Activities),
				plural(tot.Activities, [2]string{"activity", "activities"}))
			var modes []string
			if n := tot.ActivitiesByMode[ModeOnline]; n > 0 {
				modes = append(modes, digitsEN(n)+" online")
			}
			if n := tot.ActivitiesByMode[ModeOffline]; n > 0 {
				modes = append(modes, digitsEN(n)+" offline")
			}
			if n := tot.ActivitiesByMode[ModeHybrid]; n > 0 {
				modes = append(modes, digitsEN(n)+" both online and offline")
			}
			if len(modes) > 1 {
				b.WriteString(" (" + joinEN(modes) + ")")
			}
			if tot.PeopleReached > 0 {
				fmt.Fprintf(&b, ", reaching %s %s", digitsEN(tot.PeopleReached), plural(tot.PeopleReached, [2]string{"person", "people"}))
				if tot.WomenReached > 0 {
					fmt.Fprintf(&b, ", %s of them women", digitsEN(tot.WomenReached))
				}
			}
			b.WriteString(".")
			var kinds []string
			for _, k := range ActivityKinds {
				if n := tot.ActivitiesByKind[k]; n > 0 {
					kinds = append(kinds, digitsEN(n)+" "+plural(n, kindEN[k]))
				}
			}
			if len(kinds) > 1 {
				b.WriteString(" They included " + joinEN(kinds) + ".")
			}
			if th := topThemes(r.ActivityThemes, composeActivityThemes); len(th) > 0 {
				items := make([]string, len(th))
				for i, c := range th {
					items[i] = fmt.Sprintf("%s (%s)", mdInline(c.NameEN), digitsEN(c.Count))
				}
				b.WriteString(" The most frequent themes were " + joinEN(items) + ".")
			}
		} else {
			b.WriteString("the NGOs reported on their work over the year.")
		}
		if tot.MediaItems > 0 {
			var channels []string
			for _, c := range MediaChannels {
				if tot.MediaByChannel[c].Items > 0 {
					channels = append(channels, channelEN[c])
				}
			}
			fmt.Fprintf(&b, " Through new media they published %s %s on %s", digitsEN(tot.MediaItems),
				plural(tot.MediaItems, [2]string{"item", "items"}), joinEN(channels))
			if tot.MediaReads > 0 {
				fmt.Fprintf(&b, ", read %s %s in all", digitsEN(tot.MediaReads), plural(tot.MediaReads, [2]string{"time", "times"}))
			}
			b.WriteString(".")
		}
		b.WriteString("\n")

		if tot.PlanItems > 0 {
			fmt.Fprintf(&b, "\n## Plans for %d\n\n", r.PlanYear)
			fmt.Fprintf(&b, "The reports set out %s plan %s for %d", digitsEN(tot.PlanItems),
				plural(tot.PlanItems, [2]string{"item", "items"}), r.PlanYear)
			if th := topThemes(r.PlanThemes, composePlanThemes); len(th) > 0 {
				items := make([]string, len(th))
				for i, c := range th {
					items[i] = mdInline(c.NameEN)
				}
				b.WriteString(", most often under the themes " + joinEN(items))
			}
			if n := projectItems(tot); n > 0 {
				fmt.Fprintf(&b, "; %s of them support %s's key projects", digitsEN(n), mdInline(theName(fed)))
			}
			b.WriteString(".\n")
		}

		if len(r.Highlights) > 0 {
			b.WriteString("\n## Highlights\n\n")
			for _, h := range r.Highlights {
				note := ""
				if hasHan(h.Text) {
					note = " (in Chinese)"
				}
				fmt.Fprintf(&b, "- **%s**%s: %s\n", mdInline(h.NGONameEN), note, mdInline(h.Text))
			}
		}
	}

	t.Body = b.String()
	return t
}

// ---- shared ----

// groupOfficials splits officials (in order of precedence) into runs of the
// same position.
func groupOfficials(list []Official) [][]Official {
	var out [][]Official
	for _, o := range list {
		if n := len(out); n > 0 && out[n-1][0].Position == o.Position {
			out[n-1] = append(out[n-1], o)
			continue
		}
		out = append(out, []Official{o})
	}
	return out
}

// topThemes returns the first n themes with a count, most frequent first;
// the sort is stable, so ties keep the order given.
func topThemes(list []ThemeCount, n int) []ThemeCount {
	var out []ThemeCount
	for _, c := range list {
		if c.Count > 0 {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// projectItems is the number of plan items tied to a key project.
func projectItems(s IndicatorSet) int {
	n := 0
	for id, c := range s.PlanItemsByProject {
		if id != 0 {
			n += c
		}
	}
	return n
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// mdSpecial are the characters that could start Markdown syntax inside a
// line: emphasis, code, links (and so images), raw HTML and autolinks,
// strikethrough, entities and escapes. Others (">", "|", "!") mean
// something only where a composed line never puts a fact, and are left as
// they are so that the text stays easy to edit.
var mdSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `~`, `\~`, `&`, `\&`,
)

// mdBlockStart matches what would open a block (heading, list item, quote,
// ordered item, table row) at the start of a line.
var mdBlockStart = regexp.MustCompile(`^(#|[-+=>|]|\d+[.)])`)

// mdInline makes a database value safe to put inside a line of Markdown:
// on one line, every special character escaped, and not able to open a
// block of its own.
func mdInline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = mdSpecial.Replace(s)
	if m := mdBlockStart.FindStringIndex(s); m != nil {
		s = s[:m[1]-1] + `\` + s[m[1]-1:]
	}
	return s
}

// composedRequestsHeading matches the heading under which the composer used
// to list the chair's requests in the body, in either language.
var composedRequestsHeading = regexp.MustCompile(`^## (工作要求|Requests for \d{4})$`)

// composedListItem matches an item of an ordered Markdown list.
var composedListItem = regexp.MustCompile(`^\d+\. `)

// WithoutComposedRequests removes from a summary's body the section in which
// the composer used to list the chair's requests (its heading, the sentence
// saying who made them, and the list), so that a page that lists the
// requests itself does not list them twice. Only a section with the
// composer's own heading and exactly n list items is removed: a section the
// admin wrote or reworded is the admin's text and stays as it is.
func WithoutComposedRequests(body string, n int) string {
	if n == 0 {
		return body
	}
	lines := strings.Split(body, "\n")
	for i, line := range lines {
		if !composedRequestsHeading.MatchString(strings.TrimRight(line, "\r ")) {
			continue
		}
		end, items := len(lines), 0
		for j := i + 1; j < len(lines); j++ {
			if strings.HasPrefix(lines[j], "## ") || strings.HasPrefix(lines[j], "# ") {
				end = j
				break
			}
			if composedListItem.MatchString(lines[j]) {
				items++
			}
		}
		if items != n {
			continue
		}
		out := append(append([]string{}, lines[:i]...), lines[end:]...)
		return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
	}
	return body
}
