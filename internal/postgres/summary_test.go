package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/demo"
	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// smFed is the federation as the default configuration names it.
var smFed = portal.Federation{NameZH: "上海市妇女联合会", NameEN: "Shanghai Women's Federation"}

const smSlug2021 = "2021-municipal-leadership-session"

// smFixture is the demo federation, its admin and the 2021 session.
type smFixture struct {
	testDB
	admin   portal.Actor
	session int64
}

func newSmFixture(t *testing.T) smFixture {
	t.Helper()
	f := smFixture{testDB: newDemoDB(t)}
	f.admin = f.actor(t, demo.AdminEmail)
	f.admin.RequestID = "summary-test"
	f.session = f.id(t, `SELECT id FROM sessions WHERE slug = $1`, smSlug2021)
	// The demo publishes this session's summary; these tests write their own.
	f.exec(t, `DELETE FROM summaries WHERE session_id = $1`, f.session)
	return f
}

// heldSession adds a held session of its own on day, without a cycle.
func (f smFixture) heldSession(t *testing.T, slug, day string) int64 {
	t.Helper()
	return f.id(t, `
		INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status)
		VALUES ($1, $1 || '会议', 'Session ' || $1, 'municipal', $2, 'held') RETURNING id`, slug, day)
}

// audits lists the audit actions recorded on a summary, oldest first.
func (f smFixture) audits(t *testing.T, summaryID int64) []string {
	t.Helper()
	rows, err := f.db.Pool().Query(t.Context(), `
		SELECT action FROM audit_log WHERE object_type = 'summary' AND object_id = $1 ORDER BY id`, summaryID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (f smFixture) versions(t *testing.T, summaryID int64) []string {
	t.Helper()
	list, err := f.db.SummaryVersions(t.Context(), summaryID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range list {
		out = append(out, fmt.Sprintf("%d:%s:%s", v.Number, v.Action, v.Status))
	}
	return out
}

func wantStrings(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func wantContains(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

func TestComposeSummaryDemo(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatalf("compose: %v", err)
	}
	if s.Status != portal.SummaryDraft || s.Version != 1 || s.Edited() || s.SessionID != f.session {
		t.Errorf("composed summary = %+v", s)
	}
	zh, en := s.ZH.Lead+"\n"+s.ZH.Body, s.EN.Lead+"\n"+s.EN.Body
	wantContains(t, "zh", zh, "2021年1月19日", "市级", "本市18家女性社会组织", "应邀的18家女性社会组织全部出席",
		"上海市妇女联合会主席徐枫，副主席翁文磊、王剑璋出席会议",
		"上海市女性创业促进会", "上海市女性数字技能培训中心")
	wantContains(t, "en", en, "19 January 2021", "municipal-level", "18 women's NGOs",
		"Chairperson Xu Feng and Vice Chairpersons Weng Wenlei and Wang Jianzhang attended",
		"Shanghai Association for Women's Entrepreneurship", "Shanghai Women's Digital Skills Training Centre")
	// The requests are the summary page's own section, not the body's.
	if strings.Contains(zh, "拓宽上海女性发展的引领服务平台") || strings.Contains(en, "Broaden the platforms") {
		t.Errorf("the composed body lists the requests, which the page lists already")
	}

	// The figures only once the demo's 2020 reports are accepted.
	cycle := f.id(t, `SELECT id FROM reporting_cycles WHERE review_year = 2020`)
	ind, err := f.db.CycleIndicators(ctx, cycle)
	if err != nil {
		t.Fatal(err)
	}
	if ind.NGOCount > 0 {
		wantContains(t, "zh", zh, fmt.Sprintf("据已通过审核的%d份2020年度工作报告统计", ind.NGOCount))
		wantContains(t, "en", en, "## The work of 2020", "accepted report")
	} else if strings.Contains(zh, "工作回顾") || strings.Contains(en, "The work of") {
		t.Errorf("figures without accepted reports:\n%s\n%s", zh, en)
	}

	// Composing again without edits: fine, nothing written.
	again, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil || again.Version != 1 || again.ZH != s.ZH || again.EN != s.EN {
		t.Fatalf("compose again: %+v, %v", again, err)
	}

	// The admin edits; composing again is refused and changes nothing.
	in := s.Input()
	in.ZH.Body += "\n会议取得圆满成功。\n"
	edited, err := f.db.SaveSummary(ctx, f.admin, f.session, in, s.Version)
	if err != nil || edited.Version != 2 || !edited.Edited() {
		t.Fatalf("save: %+v, %v", edited, err)
	}
	_, err = f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if !errors.Is(err, portal.ErrSummaryEdited) || !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("compose over an edit: %v, want ErrSummaryEdited", err)
	}
	if cur, err := f.db.SummaryForSession(ctx, f.session); err != nil || cur.Version != 2 || cur.ZH != edited.ZH {
		t.Errorf("after the refused compose: %+v, %v", cur, err)
	}

	// With overwrite, the composer's text replaces the edit, which stays
	// in the history.
	over, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, true)
	if err != nil || over.Version != 3 || over.ZH != s.ZH || over.Edited() {
		t.Fatalf("compose with overwrite: %+v, %v", over, err)
	}
	wantStrings(t, "versions", f.versions(t, s.ID), "3:composed:draft", "2:edited:draft", "1:composed:draft")
	v2, err := f.db.SummaryVersion(ctx, s.ID, 2)
	if err != nil || !strings.Contains(v2.ZH.Body, "会议取得圆满成功。") || v2.ActorEmail != demo.AdminEmail {
		t.Errorf("version 2: %+v, %v", v2, err)
	}
	diff := portal.DiffText(v2.ZH.Body, over.ZH.Body)
	if last := diff[len(diff)-1]; last.Op != portal.DiffRemoved || last.Text != "会议取得圆满成功。" {
		t.Errorf("diff of versions 2 and 3 ends with %+v", last)
	}
	if _, err := f.db.SummaryVersion(ctx, s.ID, 99); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("version 99: %v, want ErrNotFound", err)
	}
	wantStrings(t, "audit", f.audits(t, s.ID), portal.AuditSummaryComposed, portal.AuditSummarySaved, portal.AuditSummaryComposed)

	var changes string
	if err := f.db.Pool().QueryRow(ctx, `SELECT changes::text FROM audit_log WHERE object_type = 'summary' AND object_id = $1 ORDER BY id LIMIT 1`, s.ID).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	wantContains(t, "audit of the first composition", changes, `"session_id"`, `"title_zh"`, "characters, sha256")
}

// A cycle of its own with accepted reports whose figures are known, and a
// draft whose words must not be quoted.
func TestComposeSummaryFromReports(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	cycle := f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline, status)
		VALUES (2040, 2041, '2040-11-01', '2041-01-08', 'closed') RETURNING id`)
	session := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on, status, cycle_id)
		VALUES ('s2041', '2041年会议', '2041 Session', 'district', '2041-01-19', 'held', $1) RETURNING id`, cycle)
	ngos := map[string]int64{}
	for _, slug := range []string{"women-lawyers", "women-professors", "family-education"} {
		ngos[slug] = f.id(t, `SELECT id FROM ngos WHERE slug = $1`, slug)
		f.exec(t, `INSERT INTO invitations (session_id, ngo_id, reply, attendance) VALUES ($1, $2, 'confirmed', 'present')`,
			session, ngos[slug])
	}
	themeZH := map[int64]string{}
	theme := func(name string) int64 {
		id := f.id(t, `SELECT id FROM themes WHERE name_en ILIKE $1`, name+"%")
		var zh string
		if err := f.db.Pool().QueryRow(ctx, `SELECT name_zh FROM themes WHERE id = $1`, id).Scan(&zh); err != nil {
			t.Fatal(err)
		}
		themeZH[id] = zh
		return id
	}
	epidemic, career, cpc := theme("Epidemic"), theme("Women's career"), theme("The CPC")
	report := func(slug, status, highlight string) int64 {
		return f.id(t, `
			INSERT INTO reports (cycle_id, ngo_id, status, highlight, submitted_at, accepted_at)
			VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'draft' THEN NULL ELSE now() END, CASE WHEN $3 = 'accepted' THEN now() END)
			RETURNING id`, cycle, ngos[slug], status, highlight)
	}
	activity := func(report int64, pos int, kind, mode string, people, women int, themes ...int64) {
		id := f.id(t, `
			INSERT INTO report_activities (report_id, position, title, kind, mode, starts_on, ends_on, people_reached, women_reached)
			VALUES ($1, $2, '活动', $3, $4, '2040-03-01', '2040-03-01', $5, $6) RETURNING id`, report, pos, kind, mode, people, women)
		for _, th := range themes {
			f.exec(t, `INSERT INTO report_activity_themes (activity_id, theme_id) VALUES ($1, $2)`, id, th)
		}
	}
	plan := func(report int64, pos int, themes ...int64) {
		id := f.id(t, `INSERT INTO report_plan_items (report_id, position, title) VALUES ($1, $2, '计划') RETURNING id`, report, pos)
		for _, th := range themes {
			f.exec(t, `INSERT INTO report_plan_item_themes (plan_item_id, theme_id) VALUES ($1, $2)`, id, th)
		}
	}
	a := report("women-lawyers", "accepted", "为300名妇女提供免费法律咨询。")
	activity(a, 1, "lecture", "online", 100, 90, epidemic)
	activity(a, 2, "epidemic_response", "offline", 50, 20, epidemic, career)
	plan(a, 1, cpc)
	plan(a, 2, cpc, career)
	f.exec(t, `INSERT INTO report_media (report_id, position, channel, items, reads) VALUES ($1, 1, 'wechat', 12, 3456)`, a)
	b := report("women-professors", "accepted", "")
	activity(b, 1, "lecture", "online", 1000, 1000, career)
	plan(b, 1, cpc)
	d := report("family-education", "draft", "草稿里的亮点不应出现")
	activity(d, 1, "lecture", "online", 99999, 0, epidemic)

	s, err := f.db.ComposeSummary(ctx, f.admin, session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "zh", s.ZH.Lead+s.ZH.Body, "本区3家女性社会组织参加会议", "区级会议",
		"据已通过审核的2份2040年度工作报告统计，各组织全年共开展活动3项，其中线上2项、线下1项，服务群众1150人次，其中女性1110人次。",
		"讲座2项、疫情防控活动1项",
		// Ties keep the vocabulary's order.
		"活动主要围绕"+themeZH[epidemic]+"（2项）和"+themeZH[career]+"（2项）等主题开展",
		"在微信公众号发布作品12篇，累计阅读3456次",
		"各组织共提出2041年工作计划3项，重点聚焦"+themeZH[cpc]+"和"+themeZH[career]+"等主题",
		"- **上海市女律师联谊会**：为300名妇女提供免费法律咨询。")
	wantContains(t, "en", s.EN.Lead+s.EN.Body, "from the district", "According to the two accepted reports on 2040",
		"3 activities over the year (2 online and 1 offline), reaching 1,150 people, 1,110 of them women",
		"set out 3 plan items for 2041", "- **Shanghai Women Lawyers Fellowship** (in Chinese): 为300名妇女提供免费法律咨询。")
	if strings.Contains(s.ZH.Body, "草稿里的亮点") || strings.Contains(s.ZH.Body, "99999") || strings.Contains(s.ZH.Body, "上海市女教授联谊会**") {
		t.Errorf("a draft report or an empty highlight is quoted:\n%s", s.ZH.Body)
	}
}

func TestComposeSummaryRefused(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	draft := f.id(t, `INSERT INTO sessions (slug, title_zh, title_en, level, held_on) VALUES ('s-draft', '草案', 'Draft', 'municipal', '2042-01-01') RETURNING id`)
	if _, err := f.db.ComposeSummary(ctx, f.admin, draft, smFed, false); !errors.Is(err, portal.ErrSummarySessionNotHeld) {
		t.Errorf("session not held: %v", err)
	}
	if _, err := f.db.SaveSummary(ctx, f.admin, draft, portal.SummaryInput{ZH: portal.SummaryText{Title: "x"}}, 0); !errors.Is(err, portal.ErrSummarySessionNotHeld) {
		t.Errorf("save for a session not held: %v", err)
	}
	if _, err := f.db.ComposeSummary(ctx, f.admin, 999999, smFed, false); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("no such session: %v", err)
	}
	if _, err := f.db.SummaryForSession(ctx, f.session); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("no summary yet: %v", err)
	}
	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.PublishSummary(ctx, f.admin, f.session, s.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, true); !errors.Is(err, portal.ErrSummaryPublished) {
		t.Errorf("recompose a published summary: %v", err)
	}
}

func TestSummaryLifecycle(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	session := f.heldSession(t, "s2043", "2043-01-19")

	// Written by hand: a draft may be incomplete, a publication not.
	s, err := f.db.SaveSummary(ctx, f.admin, session, portal.SummaryInput{ZH: portal.SummaryText{Title: " 标题 ", Body: "正文"}}, 0)
	if err != nil || s.Version != 1 || s.ZH.Title != "标题" || s.ComposedHash != nil {
		t.Fatalf("create by hand: %+v, %v", s, err)
	}
	_, err = f.db.PublishSummary(ctx, f.admin, session, s.Version)
	var ve *portal.ValidationError
	if !errors.As(err, &ve) || ve.Fields["title_en"] != "summary.err.title_en_required" || ve.Fields["body_en"] != "summary.err.body_en_required" {
		t.Fatalf("publish without English: %v", err)
	}
	in := s.Input()
	in.EN = portal.SummaryText{Title: "Title", Lead: "Lead", Body: "Body"}
	if s, err = f.db.SaveSummary(ctx, f.admin, session, in, s.Version); err != nil {
		t.Fatal(err)
	}

	// A stale form is refused.
	if _, err := f.db.SaveSummary(ctx, f.admin, session, in, s.Version-1); !errors.Is(err, portal.ErrSummaryStale) || !errors.Is(err, portal.ErrConflict) {
		t.Errorf("stale save: %v", err)
	}
	if _, err := f.db.PublishSummary(ctx, f.admin, session, s.Version+1); !errors.Is(err, portal.ErrSummaryStale) {
		t.Errorf("stale publish: %v", err)
	}
	// Saving what is there writes nothing.
	if same, err := f.db.SaveSummary(ctx, f.admin, session, in, s.Version); err != nil || same.Version != s.Version {
		t.Errorf("unchanged save: %+v, %v", same, err)
	}
	if _, err := f.db.UnpublishSummary(ctx, f.admin, session, s.Version); !errors.Is(err, portal.ErrSummaryIllegalStep) {
		t.Errorf("unpublish a draft: %v", err)
	}

	pub, err := f.db.PublishSummary(ctx, f.admin, session, s.Version)
	if err != nil || pub.Status != portal.SummaryPublished || pub.FirstPublishedAt == nil || pub.ContentUpdatedAt != nil {
		t.Fatalf("publish: %+v, %v", pub, err)
	}
	if _, err := f.db.PublishSummary(ctx, f.admin, session, pub.Version); !errors.Is(err, portal.ErrSummaryIllegalStep) {
		t.Errorf("publish twice: %v", err)
	}
	// A published summary keeps its English.
	broken := pub.Input()
	broken.EN.Body = ""
	if _, err := f.db.SaveSummary(ctx, f.admin, session, broken, pub.Version); !errors.As(err, &ve) || ve.Fields["body_en"] == "" {
		t.Errorf("empty body while published: %v", err)
	}

	// Editing the text of a published summary dates the update.
	in = pub.Input()
	in.ZH.Body = "更正后的正文"
	upd, err := f.db.SaveSummary(ctx, f.admin, session, in, pub.Version)
	if err != nil || upd.ContentUpdatedAt == nil || !upd.FirstPublishedAt.Equal(*pub.FirstPublishedAt) {
		t.Fatalf("edit while published: %+v, %v", upd, err)
	}
	firstUpdate := *upd.ContentUpdatedAt

	// Unpublish and republish unchanged: the dates stay.
	un, err := f.db.UnpublishSummary(ctx, f.admin, session, upd.Version)
	if err != nil || un.Status != portal.SummaryDraft || !un.FirstPublishedAt.Equal(*pub.FirstPublishedAt) {
		t.Fatalf("unpublish: %+v, %v", un, err)
	}
	re, err := f.db.PublishSummary(ctx, f.admin, session, un.Version)
	if err != nil || !re.ContentUpdatedAt.Equal(firstUpdate) || !re.FirstPublishedAt.Equal(*pub.FirstPublishedAt) {
		t.Fatalf("republish unchanged: %+v, %v", re, err)
	}
	// Unpublish, change, republish: updated again.
	un, _ = f.db.UnpublishSummary(ctx, f.admin, session, re.Version)
	in = un.Input()
	in.EN.Title = "New title"
	ed, err := f.db.SaveSummary(ctx, f.admin, session, in, un.Version)
	if err != nil || !ed.ContentUpdatedAt.Equal(firstUpdate) {
		t.Fatalf("edit a draft: %+v, %v", ed, err)
	}
	re, err = f.db.PublishSummary(ctx, f.admin, session, ed.Version)
	if err != nil || !re.ContentUpdatedAt.After(firstUpdate) {
		t.Fatalf("republish changed: %+v, %v", re, err)
	}

	wantStrings(t, "versions", f.versions(t, s.ID), "9:published:published", "8:edited:draft", "7:unpublished:draft",
		"6:published:published", "5:unpublished:draft", "4:edited:published", "3:published:published",
		"2:edited:draft", "1:edited:draft")
	wantStrings(t, "audit", f.audits(t, s.ID), portal.AuditSummarySaved, portal.AuditSummarySaved,
		portal.AuditSummaryPublished, portal.AuditSummarySaved, portal.AuditSummaryUnpublished, portal.AuditSummaryPublished,
		portal.AuditSummaryUnpublished, portal.AuditSummarySaved, portal.AuditSummaryPublished)
}

func smPNG(t *testing.T) []byte {
	t.Helper()
	// A 1×1 PNG.
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
}

func TestSummaryCover(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}
	var ve *portal.ValidationError
	_, err = f.db.SetSummaryCover(ctx, f.admin, f.session, []byte("<html><script>alert(1)</script>"), "", "", s.Version)
	if !errors.As(err, &ve) || ve.Fields["cover"] != "summary.err.cover_type" ||
		ve.Fields["cover_alt_zh"] != "summary.err.cover_alt_zh_required" || ve.Fields["cover_alt_en"] != "summary.err.cover_alt_en_required" {
		t.Fatalf("bad cover: %v", err)
	}
	if _, err := f.db.SetSummaryCover(ctx, f.admin, 999999, smPNG(t), "图", "Picture", 1); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("cover for a session without summary: %v", err)
	}
	c, err := f.db.SetSummaryCover(ctx, f.admin, f.session, smPNG(t), "会议现场", "The session in progress", s.Version)
	if err != nil || !c.HasCover || c.CoverType != portal.TypePNG || c.Version != s.Version+1 || c.CoverAltEN != "The session in progress" {
		t.Fatalf("set cover: %+v, %v", c, err)
	}
	if img, err := f.db.SummaryCover(ctx, f.session); err != nil || string(img.Data) != string(smPNG(t)) || img.ContentType != portal.TypePNG {
		t.Errorf("admin's cover: %v", err)
	}
	// Not public while a draft.
	if _, err := f.db.PublishedSummaryCover(ctx, smSlug2021); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("draft's cover in public: %v", err)
	}
	// Alt texts stay required while there is a cover.
	in := c.Input()
	in.CoverAltZH = ""
	if _, err := f.db.SaveSummary(ctx, f.admin, f.session, in, c.Version); !errors.As(err, &ve) || ve.Fields["cover_alt_zh"] == "" {
		t.Errorf("drop the alt text: %v", err)
	}
	p, err := f.db.PublishSummary(ctx, f.admin, f.session, c.Version)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := f.db.PublishedSummaryCover(ctx, smSlug2021); err != nil || len(img.Data) == 0 {
		t.Errorf("published cover: %v", err)
	}
	r, err := f.db.RemoveSummaryCover(ctx, f.admin, f.session, p.Version)
	if err != nil || r.HasCover || r.CoverAltZH != "" {
		t.Fatalf("remove cover: %+v, %v", r, err)
	}
	if _, err := f.db.PublishedSummaryCover(ctx, smSlug2021); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("removed cover in public: %v", err)
	}
	if same, err := f.db.RemoveSummaryCover(ctx, f.admin, f.session, r.Version); err != nil || same.Version != r.Version {
		t.Errorf("remove again: %+v, %v", same, err)
	}
	wantStrings(t, "versions", f.versions(t, s.ID), "4:cover_removed:published", "3:published:published",
		"2:cover_set:draft", "1:composed:draft")
	wantStrings(t, "audit", f.audits(t, s.ID), portal.AuditSummaryComposed, portal.AuditSummaryCoverSet,
		portal.AuditSummaryPublished, portal.AuditSummaryCoverRemoved)
}

// smCounter counts the statements a pool sends.
type smCounter struct{ n atomic.Int64 }

func (c *smCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *smCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// counted returns a DB on the same database whose statements c counts.
func counted(t *testing.T, db *postgres.DB, c *smCounter) *postgres.DB {
	t.Helper()
	return pgtest.Traced(t, db, c)
}

// queries runs fn and returns how many statements it sent.
func queries(t *testing.T, c *smCounter, fn func() error) int64 {
	t.Helper()
	before := c.n.Load()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	return c.n.Load() - before
}

// The composer's facts and a published summary's page cost the same number
// of queries whatever the number of NGOs present.
func TestSummaryQueriesFixed(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.PublishSummary(ctx, f.admin, f.session, s.Version); err != nil {
		t.Fatal(err)
	}
	c := &smCounter{}
	db := counted(t, f.db, c)
	measure := func() (facts, page int64, present int) {
		facts = queries(t, c, func() error { _, err := db.SummaryFacts(ctx, f.session); return err })
		page = queries(t, c, func() error {
			p, err := db.PublishedSummaryBySlug(ctx, smSlug2021)
			present = p.AttendanceCount()
			return err
		})
		return facts, page, present
	}
	facts18, page18, n := measure()
	if n != 18 {
		t.Fatalf("%d NGOs present, want the demo's 18", n)
	}
	for i := range 7 {
		ngo := f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id`,
			fmt.Sprintf("extra-%d", i), fmt.Sprintf("新增组织%d", i), fmt.Sprintf("Extra NGO %d", i))
		f.exec(t, `INSERT INTO invitations (session_id, ngo_id, reply, attendance) VALUES ($1, $2, 'confirmed', 'present')`, f.session, ngo)
	}
	facts25, page25, n := measure()
	if n != 25 {
		t.Fatalf("%d NGOs present, want 25", n)
	}
	if facts25 != facts18 || page25 != page18 {
		t.Errorf("queries with 18 and 25 NGOs: facts %d → %d, page %d → %d", facts18, facts25, page18, page25)
	}
	if page18 > 6 { // begin, summary and session, officials, NGOs, requests, commit
		t.Errorf("the summary page takes %d queries", page18)
	}
	if facts18 > 16 {
		t.Errorf("the composer's facts take %d queries", facts18)
	}
}

func TestSummaryPreview(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	// Whatever the demo data holds for the session, start from no summary.
	f.exec(t, `DELETE FROM summaries WHERE session_id = $1`, f.session)

	t.Run("ErrNotFoundWithoutSummary", func(t *testing.T) {
		if _, err := f.db.SummaryPreview(ctx, f.session); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("preview without a summary: %v, want ErrNotFound", err)
		}
		if _, err := f.db.SummaryPreview(ctx, 1<<40); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("preview of no session: %v, want ErrNotFound", err)
		}
	})

	s, err := f.db.ComposeSummary(ctx, f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("DraftShown", func(t *testing.T) {
		p, err := f.db.SummaryPreview(ctx, f.session)
		if err != nil {
			t.Fatal(err)
		}
		if p.Summary.ID != s.ID || p.Summary.Status != portal.SummaryDraft || p.Summary.ZH != s.ZH || p.Summary.EN != s.EN {
			t.Errorf("summary = %+v", p.Summary)
		}
		if p.Session.ID != f.session || p.Session.Slug != smSlug2021 || p.Session.ReviewYear != 2020 {
			t.Errorf("session = %+v", p.Session)
		}
		if len(p.Officials) != 3 || p.Officials[0].NameEN != "Xu Feng" {
			t.Errorf("officials = %+v", p.Officials)
		}
		if p.AttendanceCount() != 18 || len(p.Requests) != 2 {
			t.Errorf("%d NGOs present, %d requests; want 18 and 2", p.AttendanceCount(), len(p.Requests))
		}
		// The public still sees nothing.
		if _, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("public read of a draft: %v, want ErrNotFound", err)
		}
	})

	t.Run("SameAsPublicOncePublished", func(t *testing.T) {
		if _, err := f.db.PublishSummary(ctx, f.admin, f.session, s.Version); err != nil {
			t.Fatal(err)
		}
		pub, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021)
		if err != nil {
			t.Fatal(err)
		}
		pre, err := f.db.SummaryPreview(ctx, f.session)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(pub, pre) {
			t.Errorf("preview differs from the public page:\npublic  %+v\npreview %+v", pub, pre)
		}
	})
}
