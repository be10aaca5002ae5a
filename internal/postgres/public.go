package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
)

// What the public pages read. Every method here sees only published
// summaries and the NGOs of the public directory (active and shown in the
// directory): a draft or unpublished summary, or a hidden NGO, is
// ErrNotFound whatever the slug, and never appears in a list, the search,
// the sitemap or the feed.

// publishedSummary is the condition every public summary read carries; m
// is summaries.
const publishedSummary = ` m.status = 'published'`

// publicNGO is the condition every public NGO read carries; n is ngos.
const publicNGO = ` n.active AND n.show_in_directory`

// Bounds of a page of published summaries.
const (
	defaultSummaryPage = 20
	maxSummaryPage     = 100
)

// summaryListColumns is the column list of summary lists, in
// summaryListScanArgs' order; m is summaries, s sessions.
const summaryListColumns = `m.id, s.slug, s.title_zh, s.title_en, s.level, s.held_on,
	m.title_zh, m.lead_zh, m.title_en, m.lead_en, m.cover_data IS NOT NULL, m.cover_alt_zh, m.cover_alt_en,
	m.first_published_at, m.content_updated_at`

func summaryListScanArgs(it *portal.SummaryListItem) []any {
	return []any{&it.SummaryID, &it.SessionSlug, &it.SessionTitleZH, &it.SessionTitleEN, &it.Level, &it.HeldOn,
		&it.ZH.Title, &it.ZH.Lead, &it.EN.Title, &it.EN.Lead, &it.HasCover, &it.CoverAltZH, &it.CoverAltEN,
		&it.FirstPublishedAt, &it.ContentUpdatedAt}
}

// PublishedSummaries returns a page of published summaries, the latest
// session first, and how many there are in all. year 0 means every year,
// else only sessions held in that year. limit is bounded to 1–100 (0: 20).
func (db *DB) PublishedSummaries(ctx context.Context, limit, offset, year int) ([]portal.SummaryListItem, int, error) {
	list, err := db.publishedSummaries(ctx, limit, offset, year)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.pool.QueryRow(ctx, `
		SELECT count(*) FROM summaries m JOIN sessions s ON s.id = m.session_id
		WHERE`+publishedSummary+` AND ($1 = 0 OR extract(year FROM s.held_on) = $1)`, year).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count published summaries: %w", err)
	}
	return list, total, nil
}

// LatestPublished returns the limit most recent published summaries, for
// the home page.
func (db *DB) LatestPublished(ctx context.Context, limit int) ([]portal.SummaryListItem, error) {
	return db.publishedSummaries(ctx, limit, 0, 0)
}

func (db *DB) publishedSummaries(ctx context.Context, limit, offset, year int) ([]portal.SummaryListItem, error) {
	switch {
	case limit <= 0:
		limit = defaultSummaryPage
	case limit > maxSummaryPage:
		limit = maxSummaryPage
	}
	offset = max(offset, 0)
	rows, err := db.pool.Query(ctx, `
		SELECT `+summaryListColumns+`
		FROM summaries m JOIN sessions s ON s.id = m.session_id
		WHERE`+publishedSummary+` AND ($3 = 0 OR extract(year FROM s.held_on) = $3)
		ORDER BY s.held_on DESC, m.id DESC
		LIMIT $1 OFFSET $2`, limit, offset, year)
	if err != nil {
		return nil, fmt.Errorf("published summaries: %w", err)
	}
	list, err := pgx.CollectRows(rows, rowTo(summaryListScanArgs))
	if err != nil {
		return nil, fmt.Errorf("published summaries: %w", err)
	}
	return list, nil
}

// PublishedSummaryYears lists the years with a published summary, latest
// first, for the archive's filter.
func (db *DB) PublishedSummaryYears(ctx context.Context) ([]int, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT DISTINCT extract(year FROM s.held_on)::int AS y
		FROM summaries m JOIN sessions s ON s.id = m.session_id
		WHERE`+publishedSummary+`
		ORDER BY y DESC`)
	if err != nil {
		return nil, fmt.Errorf("years of published summaries: %w", err)
	}
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("years of published summaries: %w", err)
	}
	return years, nil
}

// PublishedSummaryBySlug returns the published summary of the session with
// that slug and everything its page shows: the session, the officials
// present, the NGOs present (linked when in the public directory) and the
// chair's requests. ErrNotFound for a draft or unpublished summary, or no
// summary at all. Four queries, whatever the number of NGOs, in one
// read-only snapshot.
func (db *DB) PublishedSummaryBySlug(ctx context.Context, slug string) (portal.PublicSummary, error) {
	p, err := db.publicSummary(ctx, `s.slug = $1 AND`+publishedSummary, slug)
	if err != nil {
		return portal.PublicSummary{}, fmt.Errorf("published summary %q: %w", slug, err)
	}
	return p, nil
}

// publicSummary reads what a summary's public page shows, for the summary
// whose session matches where (on summaries m and sessions s, with arg as
// $1), whatever the summary's status, with its body's HTML as stored when
// it was written (storedSummaryHTML.fill). The public page and the admin's
// preview both read through it, so that the preview shows exactly what the
// public will see.
func (db *DB) publicSummary(ctx context.Context, where string, arg any) (portal.PublicSummary, error) {
	var p portal.PublicSummary
	var html storedSummaryHTML
	err := db.readSnapshot(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			SELECT `+summaryColumns+`, `+sessionColumns+`, `+storedSummaryHTMLColumns+`
			FROM summaries m JOIN sessions s ON s.id = m.session_id
			LEFT JOIN reporting_cycles c ON c.id = s.cycle_id
			WHERE `+where, arg).
			Scan(slices.Concat(summaryScanArgs(&p.Summary), sessionScanArgs(&p.Session), html.scanArgs())...)
		if err != nil {
			return translate(err)
		}
		if p.Officials, err = sessionOfficials(ctx, tx, p.Session.ID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `
			SELECT n.name_zh, n.name_en, CASE WHEN`+publicNGO+` THEN n.slug ELSE '' END
			FROM invitations i JOIN ngos n ON n.id = i.ngo_id
			WHERE i.session_id = $1 AND i.withdrawn_at IS NULL AND i.attendance = 'present'
			ORDER BY n.name_zh, n.id`, p.Session.ID)
		if err != nil {
			return fmt.Errorf("NGOs present: %w", err)
		}
		if p.Attendees, err = pgx.CollectRows(rows, pgx.RowToStructByPos[portal.PublicNGORef]); err != nil {
			return fmt.Errorf("NGOs present: %w", err)
		}
		p.Requests, err = sessionRequests(ctx, tx, p.Session.ID)
		return err
	})
	if err != nil {
		return p, err
	}
	html.fill(&p)
	return p, nil
}

// PublishedSummaryCover returns the cover image of the published summary
// of the session with that slug; ErrNotFound when the summary is not
// published or has no cover.
func (db *DB) PublishedSummaryCover(ctx context.Context, slug string) (portal.SummaryCover, error) {
	var c portal.SummaryCover
	err := db.pool.QueryRow(ctx, `
		SELECT m.cover_type, m.cover_sha256, m.cover_data
		FROM summaries m JOIN sessions s ON s.id = m.session_id
		WHERE s.slug = $1 AND m.cover_data IS NOT NULL AND`+publishedSummary, slug).
		Scan(&c.ContentType, &c.SHA256, &c.Data)
	if err != nil {
		return portal.SummaryCover{}, fmt.Errorf("cover of published summary %q: %w", slug, translate(err))
	}
	return c, nil
}

// publicNGOColumns is the column list of public NGO reads, in
// publicNGOScanArgs' order; n is ngos.
const publicNGOColumns = `n.slug, n.name_zh, n.name_en, n.short_name, n.focus_areas, coalesce(n.founded_year, 0),
	n.website, n.profile_zh, n.profile_en, n.updated_at, n.focus_areas_en`

func publicNGOScanArgs(g *portal.PublicNGO) []any {
	return []any{&g.Slug, &g.NameZH, &g.NameEN, &g.ShortName, &g.FocusAreas, &g.FoundedYear,
		&g.Website, &g.ProfileZH, &g.ProfileEN, &g.UpdatedAt, &g.FocusAreasEN}
}

// PublicNGOs returns the public directory: active NGOs shown in the
// directory, by Chinese name (pinyin).
func (db *DB) PublicNGOs(ctx context.Context) ([]portal.PublicNGO, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+publicNGOColumns+` FROM ngos n WHERE`+publicNGO+` ORDER BY n.name_zh, n.id`)
	if err != nil {
		return nil, fmt.Errorf("public NGOs: %w", err)
	}
	list, err := pgx.CollectRows(rows, rowTo(publicNGOScanArgs))
	if err != nil {
		return nil, fmt.Errorf("public NGOs: %w", err)
	}
	return list, nil
}

// PublicNGOBySlug returns an NGO of the public directory with the sessions
// it attended whose summary is published, the latest first; ErrNotFound
// for an NGO that is inactive or not shown in the directory.
func (db *DB) PublicNGOBySlug(ctx context.Context, slug string) (portal.PublicNGOProfile, error) {
	var p portal.PublicNGOProfile
	var id int64
	err := db.pool.QueryRow(ctx, `SELECT n.id, `+publicNGOColumns+` FROM ngos n WHERE n.slug = $1 AND`+publicNGO, slug).
		Scan(append([]any{&id}, publicNGOScanArgs(&p.NGO)...)...)
	if err != nil {
		return p, fmt.Errorf("public NGO %q: %w", slug, translate(err))
	}
	rows, err := db.pool.Query(ctx, `
		SELECT s.slug, s.held_on, s.level, s.title_zh, s.title_en, m.title_zh, m.title_en
		FROM invitations i
		JOIN sessions s ON s.id = i.session_id
		JOIN summaries m ON m.session_id = s.id AND`+publishedSummary+`
		WHERE i.ngo_id = $1 AND i.withdrawn_at IS NULL AND i.attendance = 'present'
		ORDER BY s.held_on DESC, s.id DESC`, id)
	if err != nil {
		return p, fmt.Errorf("sessions of public NGO %q: %w", slug, err)
	}
	if p.Sessions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[portal.PublicSessionRef]); err != nil {
		return p, fmt.Errorf("sessions of public NGO %q: %w", slug, err)
	}
	return p, nil
}

// Search-related bounds.
const (
	maxSearchWords   = 5
	defaultSearchHit = 20
	maxSearchHits    = 50
	snippetWidth     = 40 // characters either side of the match
)

// summaryTextZH and ngoTextZH are the Chinese texts the trigram indexes of
// migration 00006 cover; a condition must repeat them exactly for the
// index to serve it.
const (
	summaryTextZH = `(m.title_zh || ' ' || m.lead_zh || ' ' || m.body_zh)`
	ngoTextZH     = `(n.name_zh || ' ' || n.short_name || ' ' || n.profile_zh)`
	ngoVectorEN   = `to_tsvector('english', n.name_en || ' ' || n.profile_en)`
)

// Search finds published summaries and public NGO profiles matching q, at
// most limit of each (bounded to 1–50; 0: 20), summaries first. English is
// matched by full-text search (stemmed: "organised" finds "organises");
// Chinese and any other text by substring, every word of q having to occur
// ("妇联" finds "市妇联召开"), case-insensitively. Each hit carries an
// excerpt around the match in the language that matched.
func (db *DB) Search(ctx context.Context, q string, limit int) ([]portal.SearchHit, error) {
	q = portal.NormalizeSearchQuery(q)
	if q == "" {
		return []portal.SearchHit{}, nil
	}
	switch {
	case limit <= 0:
		limit = defaultSearchHit
	case limit > maxSearchHits:
		limit = maxSearchHits
	}
	words := strings.Fields(q)
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	args := []any{q, limit}
	var zhSummary, zhNGO []string
	for _, w := range words {
		args = append(args, likePattern(w))
		n := "$" + strconv.Itoa(len(args))
		zhSummary = append(zhSummary, summaryTextZH+` ILIKE `+n)
		zhNGO = append(zhNGO, ngoTextZH+` ILIKE `+n)
	}
	terms := searchTerms(q, words)

	zhSummaryCond := "(" + strings.Join(zhSummary, " AND ") + ")"
	rows, err := db.pool.Query(ctx, `
		SELECT s.slug, m.title_zh, m.title_en, s.held_on, m.lead_zh, m.body_zh, m.lead_en, m.body_en,
		       `+zhSummaryCond+` AS zh_hit
		FROM summaries m JOIN sessions s ON s.id = m.session_id
		WHERE`+publishedSummary+`
		  AND (`+zhSummaryCond+` OR m.search_en @@ websearch_to_tsquery('english', $1))
		ORDER BY zh_hit DESC, ts_rank(m.search_en, websearch_to_tsquery('english', $1)) DESC, s.held_on DESC
		LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("search summaries: %w", err)
	}
	var hits []portal.SearchHit
	var slug, titleZH, titleEN, leadZH, bodyZH, leadEN, bodyEN string
	var heldOn time.Time
	var zhHit bool
	_, err = pgx.ForEachRow(rows, []any{&slug, &titleZH, &titleEN, &heldOn, &leadZH, &bodyZH, &leadEN, &bodyEN, &zhHit}, func() error {
		h := portal.SearchHit{Kind: portal.SearchSummary, Slug: slug, TitleZH: titleZH, TitleEN: titleEN, HeldOn: heldOn}
		if zhHit {
			h.Locale, h.Snippet = "zh-CN", portal.MakeSnippet(leadZH+"\n"+markdown.PlainText(bodyZH), terms, snippetWidth)
		} else {
			h.Locale, h.Snippet = "en", portal.MakeSnippet(leadEN+"\n"+markdown.PlainText(bodyEN), terms, snippetWidth)
		}
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search summaries: %w", err)
	}

	rows, err = db.pool.Query(ctx, `
		SELECT n.slug, n.name_zh, n.name_en, n.profile_zh, n.profile_en, (`+strings.Join(zhNGO, " AND ")+`) AS zh_hit
		FROM ngos n
		WHERE`+publicNGO+`
		  AND ((`+strings.Join(zhNGO, " AND ")+`) OR `+ngoVectorEN+` @@ websearch_to_tsquery('english', $1))
		ORDER BY zh_hit DESC, ts_rank(`+ngoVectorEN+`, websearch_to_tsquery('english', $1)) DESC, n.id
		LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("search NGOs: %w", err)
	}
	var profileZH, profileEN string
	_, err = pgx.ForEachRow(rows, []any{&slug, &titleZH, &titleEN, &profileZH, &profileEN, &zhHit}, func() error {
		h := portal.SearchHit{Kind: portal.SearchNGO, Slug: slug, TitleZH: titleZH, TitleEN: titleEN}
		if zhHit {
			h.Locale, h.Snippet = "zh-CN", portal.MakeSnippet(profileZH, terms, snippetWidth)
		} else {
			h.Locale, h.Snippet = "en", portal.MakeSnippet(profileEN, terms, snippetWidth)
		}
		hits = append(hits, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("search NGOs: %w", err)
	}
	if hits == nil {
		hits = []portal.SearchHit{}
	}
	return hits, nil
}

// searchTerms are what an excerpt looks for, in order: the whole query,
// each word, then the stems of the longer words (full-text search matched
// "organised" to "organises"; "organis" finds it in the text).
func searchTerms(q string, words []string) []string {
	terms := append([]string{q}, words...)
	for _, w := range words {
		if r := []rune(w); len(r) > 5 {
			terms = append(terms, string(r[:len(r)-2]), string(r[:len(r)-3]))
		}
	}
	return terms
}

// SitemapEntries lists every public page with content: the published
// summaries (latest session first) and the public NGO profiles (registry
// order), each with when it last changed.
func (db *DB) SitemapEntries(ctx context.Context) ([]portal.SitemapEntry, error) {
	rows, err := db.pool.Query(ctx, `
		(SELECT 'summary', s.slug, greatest(m.first_published_at, m.content_updated_at), 1, s.held_on, m.id
		 FROM summaries m JOIN sessions s ON s.id = m.session_id
		 WHERE`+publishedSummary+`)
		UNION ALL
		(SELECT 'ngo', n.slug, n.updated_at, 2, NULL::date, n.id FROM ngos n WHERE`+publicNGO+`)
		ORDER BY 4, 5 DESC, 6`)
	if err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.SitemapEntry, error) {
		var e portal.SitemapEntry
		var group int
		var held *time.Time
		var id int64
		err := row.Scan(&e.Kind, &e.Slug, &e.Updated, &group, &held, &id)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	return list, nil
}

// FeedEntries returns the limit most recently changed published summaries
// in one language ("en" for English, anything else Chinese), for the feed.
func (db *DB) FeedEntries(ctx context.Context, locale string, limit int) ([]portal.FeedEntry, error) {
	switch {
	case limit <= 0:
		limit = defaultSummaryPage
	case limit > maxSummaryPage:
		limit = maxSummaryPage
	}
	lang := "zh"
	if locale == "en" {
		lang = "en"
	}
	rows, err := db.pool.Query(ctx, `
		SELECT s.slug, m.title_`+lang+`, m.lead_`+lang+`, m.first_published_at,
		       greatest(m.first_published_at, m.content_updated_at) AS updated
		FROM summaries m JOIN sessions s ON s.id = m.session_id
		WHERE`+publishedSummary+`
		ORDER BY updated DESC, m.id DESC
		LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[portal.FeedEntry])
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return list, nil
}
