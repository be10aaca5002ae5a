package postgres_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

// smPublished composes and publishes the demo 2021 session's summary.
func (f smFixture) publish2021(t *testing.T) portal.Summary {
	t.Helper()
	s, err := f.db.ComposeSummary(t.Context(), f.admin, f.session, smFed, false)
	if err != nil {
		t.Fatal(err)
	}
	if s, err = f.db.PublishSummary(t.Context(), f.admin, f.session, s.Version); err != nil {
		t.Fatal(err)
	}
	return s
}

// draftSummary adds a held session of its own whose NGOs include
// women-lawyers, with a draft summary holding words found nowhere else.
func (f smFixture) draftSummary(t *testing.T) (slug string) {
	t.Helper()
	slug = "s2044-draft"
	session := f.heldSession(t, slug, "2044-01-19")
	f.exec(t, `INSERT INTO invitations (session_id, ngo_id, reply, attendance)
		SELECT $1, id, 'confirmed', 'present' FROM ngos WHERE slug = 'women-lawyers'`, session)
	_, err := f.db.SaveSummary(t.Context(), f.admin, session, portal.SummaryInput{
		ZH: portal.SummaryText{Title: "秘密草稿标题", Lead: "尚未发布的导语", Body: "保密的正文内容"},
		EN: portal.SummaryText{Title: "Confidential draft", Lead: "Unreleased lead", Body: "Embargoed zanzibarian text"},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return slug
}

func sitemapSlugs(t *testing.T, f smFixture, kind portal.SearchKind) []string {
	t.Helper()
	entries, err := f.db.SitemapEntries(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Kind == kind {
			if e.Updated.IsZero() {
				t.Errorf("sitemap entry %s without a date", e.Slug)
			}
			out = append(out, e.Slug)
		}
	}
	return out
}

func searchSlugs(t *testing.T, f smFixture, q string, kind portal.SearchKind) []string {
	t.Helper()
	hits, err := f.db.Search(t.Context(), q, 0)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var out []string
	for _, h := range hits {
		if h.Kind == kind {
			out = append(out, h.Slug)
		}
	}
	return out
}

// Drafts and unpublished summaries are never public, whatever function
// or slug asks.
func TestPublicSummaryVisibility(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	draft := f.draftSummary(t)

	checkNothingPublic := func(when string) {
		t.Helper()
		if list, total, err := f.db.PublishedSummaries(ctx, 0, 0, 0); err != nil || len(list) != 0 || total != 0 {
			t.Errorf("%s: PublishedSummaries = %d of %d, %v", when, len(list), total, err)
		}
		if list, err := f.db.LatestPublished(ctx, 3); err != nil || len(list) != 0 {
			t.Errorf("%s: LatestPublished = %v, %v", when, list, err)
		}
		for _, slug := range []string{smSlug2021, draft, "no-such-session"} {
			if _, err := f.db.PublishedSummaryBySlug(ctx, slug); !errors.Is(err, portal.ErrNotFound) {
				t.Errorf("%s: PublishedSummaryBySlug(%s): %v, want ErrNotFound", when, slug, err)
			}
		}
		if s := sitemapSlugs(t, f, portal.SearchSummary); len(s) != 0 {
			t.Errorf("%s: sitemap lists %v", when, s)
		}
		if feed, err := f.db.FeedEntries(ctx, "en", 10); err != nil || len(feed) != 0 {
			t.Errorf("%s: feed = %v, %v", when, feed, err)
		}
		for _, q := range []string{"徐枫", "Xu Feng", "秘密草稿", "zanzibarian"} {
			if s := searchSlugs(t, f, q, portal.SearchSummary); len(s) != 0 {
				t.Errorf("%s: search %q finds %v", when, q, s)
			}
		}
		if years, err := f.db.PublishedSummaryYears(ctx); err != nil || len(years) != 0 {
			t.Errorf("%s: years = %v, %v", when, years, err)
		}
		p, err := f.db.PublicNGOBySlug(ctx, "women-lawyers")
		if err != nil || len(p.Sessions) != 0 {
			t.Errorf("%s: women-lawyers' public sessions = %+v, %v", when, p.Sessions, err)
		}
	}
	checkNothingPublic("before publishing")

	s := f.publish2021(t)
	list, total, err := f.db.PublishedSummaries(ctx, 10, 0, 0)
	if err != nil || total != 1 || len(list) != 1 || list[0].SessionSlug != smSlug2021 || list[0].ZH.Title != s.ZH.Title ||
		list[0].ZH.Body != "" || list[0].HeldOn.Format("2006-01-02") != "2021-01-19" {
		t.Fatalf("PublishedSummaries = %+v, %d, %v", list, total, err)
	}
	if l, total, _ := f.db.PublishedSummaries(ctx, 10, 0, 2021); len(l) != 1 || total != 1 {
		t.Errorf("year 2021: %d of %d", len(l), total)
	}
	if l, total, _ := f.db.PublishedSummaries(ctx, 10, 0, 2044); len(l) != 0 || total != 0 {
		t.Errorf("year 2044 (a draft): %d of %d", len(l), total)
	}
	if l, total, _ := f.db.PublishedSummaries(ctx, 10, 1, 0); len(l) != 0 || total != 1 {
		t.Errorf("second page: %d of %d", len(l), total)
	}
	if years, _ := f.db.PublishedSummaryYears(ctx); !slices.Equal(years, []int{2021}) {
		t.Errorf("years = %v", years)
	}
	if _, err := f.db.PublishedSummaryBySlug(ctx, draft); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("the draft by slug: %v", err)
	}

	// The page: session, officials, NGOs (linked when public), requests.
	f.exec(t, `UPDATE ngos SET show_in_directory = false WHERE slug = 'women-artists'`)
	p, err := f.db.PublishedSummaryBySlug(ctx, smSlug2021)
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary.ID != s.ID || p.Session.Slug != smSlug2021 || p.Session.Level != portal.LevelMunicipal || p.Session.ReviewYear != 2020 {
		t.Errorf("summary page: %+v / %+v", p.Summary, p.Session)
	}
	if len(p.Officials) != 3 || p.Officials[0].NameEN != "Xu Feng" || p.Officials[0].Position != portal.PositionChair {
		t.Errorf("officials = %+v", p.Officials)
	}
	if p.AttendanceCount() != 18 || p.Attendees[0].NameZH != "上海市妇女儿童发展基金会" || p.Attendees[0].Slug != "women-children-foundation" {
		t.Errorf("attendees = %+v", p.Attendees)
	}
	for _, a := range p.Attendees {
		if a.NameEN == "Shanghai Women Artists Fellowship" && a.Slug != "" {
			t.Errorf("an NGO hidden from the directory is linked: %+v", a)
		}
	}
	if len(p.Requests) != 2 || p.Requests[0].Number != 1 || !strings.HasPrefix(p.Requests[1].TextZH, "讲好中国故事") ||
		p.Requests[0].MadeByNameEN != "Xu Feng" {
		t.Errorf("requests = %+v", p.Requests)
	}

	if got := sitemapSlugs(t, f, portal.SearchSummary); !slices.Equal(got, []string{smSlug2021}) {
		t.Errorf("sitemap summaries = %v", got)
	}
	ngos := sitemapSlugs(t, f, portal.SearchNGO)
	if len(ngos) != 17 || slices.Contains(ngos, "women-artists") {
		t.Errorf("sitemap NGOs = %v", ngos)
	}
	feed, err := f.db.FeedEntries(ctx, "en", 10)
	if err != nil || len(feed) != 1 || feed[0].Slug != smSlug2021 || feed[0].Title != s.EN.Title || feed[0].Lead != s.EN.Lead {
		t.Errorf("feed = %+v, %v", feed, err)
	}
	if zh, _ := f.db.FeedEntries(ctx, "zh-CN", 10); len(zh) != 1 || zh[0].Title != s.ZH.Title {
		t.Errorf("Chinese feed = %+v", zh)
	}
	prof, err := f.db.PublicNGOBySlug(ctx, "women-lawyers")
	if err != nil || len(prof.Sessions) != 1 || prof.Sessions[0].Slug != smSlug2021 || prof.Sessions[0].SummaryTitleZH != s.ZH.Title {
		t.Errorf("women-lawyers' public sessions = %+v, %v", prof.Sessions, err)
	}

	if _, err := f.db.UnpublishSummary(ctx, f.admin, f.session, s.Version); err != nil {
		t.Fatal(err)
	}
	checkNothingPublic("after unpublishing")
}

func TestPublicNGOs(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	f.exec(t, `UPDATE ngos SET show_in_directory = false WHERE slug = 'women-artists'`)
	f.exec(t, `UPDATE ngos SET active = false WHERE slug = 'women-sports'`)
	list, err := f.db.PublicNGOs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, n := range list {
		slugs = append(slugs, n.Slug)
	}
	if len(list) != 16 || slices.Contains(slugs, "women-artists") || slices.Contains(slugs, "women-sports") || slugs[0] != "women-children-foundation" {
		t.Errorf("public NGOs = %v", slugs)
	}
	if list[0].ProfileZH == "" || list[0].Website == "" || list[0].FoundedYear != 1995 || len(list[0].FocusAreas) == 0 {
		t.Errorf("directory entry = %+v", list[0])
	}
	for _, slug := range []string{"women-artists", "women-sports", "no-such-ngo"} {
		if _, err := f.db.PublicNGOBySlug(ctx, slug); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("PublicNGOBySlug(%s): %v, want ErrNotFound", slug, err)
		}
	}
	for _, q := range []string{"艺术家", "artists"} {
		if s := searchSlugs(t, f, q, portal.SearchNGO); slices.Contains(s, "women-artists") {
			t.Errorf("search %q finds a hidden NGO: %v", q, s)
		}
	}
}

// Search finds Chinese words (by substring) and English ones (full text,
// stemmed) in published summaries and public NGO profiles, never in a draft.
func TestSearch(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	f.draftSummary(t)
	f.publish2021(t)

	cases := []struct {
		q, kind, slug, locale, match string
	}{
		{"徐枫", "summary", smSlug2021, "zh-CN", "徐枫"},
		{"长三角一体化", "summary", smSlug2021, "zh-CN", "长三角一体化"},
		{"徐枫  王剑璋", "summary", smSlug2021, "zh-CN", ""}, // every word must occur
		{"epidemic", "summary", smSlug2021, "en", "epidemic"},
		{"lecture", "summary", smSlug2021, "en", "lectures"}, // stemmed
		{"法律咨询", "ngo", "women-lawyers", "zh-CN", "法律咨询"},
		{"女医师", "ngo", "women-physicians", "zh-CN", "女医师"},
		{"organised", "ngo", "women-physicians", "en", "Organises"}, // stemmed
		{"Lawyers", "ngo", "women-lawyers", "en", ""},
	}
	for _, c := range cases {
		hits, err := f.db.Search(ctx, c.q, 10)
		if err != nil {
			t.Fatalf("search %q: %v", c.q, err)
		}
		var hit *portal.SearchHit
		for i := range hits {
			if string(hits[i].Kind) == c.kind && hits[i].Slug == c.slug {
				hit = &hits[i]
			}
		}
		if hit == nil {
			t.Errorf("search %q: no %s %s in %+v", c.q, c.kind, c.slug, hits)
			continue
		}
		if hit.Locale != c.locale || (c.match != "" && hit.Snippet.Match != c.match) || hit.TitleZH == "" || hit.TitleEN == "" {
			t.Errorf("search %q: hit %+v", c.q, *hit)
		}
	}
	for _, q := range []string{"徐枫 不存在的词", "秘密草稿", "保密的正文", "zanzibarian", "embargoed", "", "   ", `100%_\`} {
		if hits, err := f.db.Search(ctx, q, 10); err != nil || slices.ContainsFunc(hits, func(h portal.SearchHit) bool {
			return h.Kind == portal.SearchSummary
		}) {
			t.Errorf("search %q: %+v, %v", q, hits, err)
		}
	}
	// A wildcard in the query is a character, not a pattern.
	if s := searchSlugs(t, f, "%", portal.SearchNGO); len(s) != 0 {
		t.Errorf("search %%: %v", s)
	}
}

// The Chinese conditions are the ones the trigram indexes cover, so the
// planner can use them (here forced, the tables being tiny); the English
// ones use the full-text indexes.
func TestSearchIndexes(t *testing.T) {
	t.Parallel()
	f := newSmFixture(t)
	ctx := t.Context()
	conn, err := f.db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	plans := map[string]string{
		"summaries_search_zh_idx": `SELECT 1 FROM summaries m WHERE (m.title_zh || ' ' || m.lead_zh || ' ' || m.body_zh) ILIKE '%徐枫主席%'`,
		"summaries_search_en_idx": `SELECT 1 FROM summaries m WHERE m.search_en @@ websearch_to_tsquery('english', 'diplomacy')`,
		"ngos_search_zh_idx":      `SELECT 1 FROM ngos n WHERE (n.name_zh || ' ' || n.short_name || ' ' || n.profile_zh) ILIKE '%法律咨询%'`,
		"ngos_search_en_idx":      `SELECT 1 FROM ngos n WHERE to_tsvector('english', n.name_en || ' ' || n.profile_en) @@ websearch_to_tsquery('english', 'lawyers')`,
	}
	for index, q := range plans {
		rows, err := conn.Query(ctx, `EXPLAIN `+q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, line)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "\n"), index) {
			t.Errorf("%s is not used by %s:\n%s", index, q, strings.Join(plan, "\n"))
		}
	}
}
