package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// summaryColumns is the column list every summary read uses, in
// summaryScanArgs' order; m is summaries.
const summaryColumns = `m.id, m.session_id, m.title_zh, m.lead_zh, m.body_zh, m.title_en, m.lead_en, m.body_en,
	m.cover_data IS NOT NULL, coalesce(m.cover_type, ''), m.cover_sha256, m.cover_alt_zh, m.cover_alt_en,
	m.status, m.first_published_at, m.content_updated_at, m.composed_hash, m.version, m.created_at, m.updated_at`

func summaryScanArgs(s *portal.Summary) []any {
	return []any{&s.ID, &s.SessionID, &s.ZH.Title, &s.ZH.Lead, &s.ZH.Body, &s.EN.Title, &s.EN.Lead, &s.EN.Body,
		&s.HasCover, &s.CoverType, &s.CoverSHA256, &s.CoverAltZH, &s.CoverAltEN,
		&s.Status, &s.FirstPublishedAt, &s.ContentUpdatedAt, &s.ComposedHash, &s.Version, &s.CreatedAt, &s.UpdatedAt}
}

// SummaryForSession returns the summary of a session, whatever its status
// (the admin's view); ErrNotFound when the session has none yet.
func (db *DB) SummaryForSession(ctx context.Context, sessionID int64) (portal.Summary, error) {
	s, found, err := summaryOfSession(ctx, db.pool, sessionID, false)
	if err != nil {
		return portal.Summary{}, err
	}
	if !found {
		return portal.Summary{}, fmt.Errorf("summary of session %d: %w", sessionID, portal.ErrNotFound)
	}
	return s, nil
}

func summaryOfSession(ctx context.Context, q querier, sessionID int64, lock bool) (portal.Summary, bool, error) {
	sql := `SELECT ` + summaryColumns + ` FROM summaries m WHERE m.session_id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	var s portal.Summary
	err := q.QueryRow(ctx, sql, sessionID).Scan(summaryScanArgs(&s)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return portal.Summary{}, false, nil
	}
	if err != nil {
		return portal.Summary{}, false, fmt.Errorf("summary of session %d: %w", sessionID, err)
	}
	return s, true, nil
}

// SummaryCover returns the cover image of a session's summary, whatever the
// summary's status (the admin's preview); ErrNotFound when there is none.
func (db *DB) SummaryCover(ctx context.Context, sessionID int64) (portal.SummaryCover, error) {
	var c portal.SummaryCover
	err := db.pool.QueryRow(ctx, `
		SELECT cover_type, cover_sha256, cover_data FROM summaries
		WHERE session_id = $1 AND cover_data IS NOT NULL`, sessionID).Scan(&c.ContentType, &c.SHA256, &c.Data)
	if err != nil {
		return portal.SummaryCover{}, fmt.Errorf("cover of the summary of session %d: %w", sessionID, translate(err))
	}
	return c, nil
}

// SummaryFacts gathers what the composer writes a session's summary from,
// with a fixed number of queries whatever the number of NGOs: the session,
// the officials present, the invitations, the requests and, when the
// session closes a reporting cycle, the cycle's indicators (CycleIndicators),
// the activities by theme and the public highlights of its accepted
// reports. The Federation is left for the caller to fill in.
func (db *DB) SummaryFacts(ctx context.Context, sessionID int64) (portal.SessionFacts, error) {
	var f portal.SessionFacts
	var err error
	if f.Session, err = sessionByID(ctx, db.pool, sessionID, false); err != nil {
		return f, err
	}
	if f.Officials, err = sessionOfficials(ctx, db.pool, sessionID); err != nil {
		return f, err
	}
	rows, err := db.pool.Query(ctx, `
		SELECT n.id, n.name_zh, n.name_en, i.attendance = 'present'
		FROM invitations i JOIN ngos n ON n.id = i.ngo_id
		WHERE i.session_id = $1 AND i.withdrawn_at IS NULL
		ORDER BY n.name_zh, n.id`, sessionID)
	if err != nil {
		return f, fmt.Errorf("invitations of session %d: %w", sessionID, err)
	}
	var ngo portal.NGOName
	var present bool
	_, err = pgx.ForEachRow(rows, []any{&ngo.ID, &ngo.NameZH, &ngo.NameEN, &present}, func() error {
		f.InvitedCount++
		if present {
			f.Attendees = append(f.Attendees, ngo)
		}
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("invitations of session %d: %w", sessionID, err)
	}
	if f.Requests, err = sessionRequests(ctx, db.pool, sessionID); err != nil {
		return f, err
	}
	if f.Session.CycleID != 0 {
		if f.Reports, err = db.reportFacts(ctx, f.Session.CycleID); err != nil {
			return f, err
		}
	}
	return f, nil
}

// reportFacts is what the accepted reports of a cycle say, for the composer.
func (db *DB) reportFacts(ctx context.Context, cycleID int64) (*portal.ReportFacts, error) {
	ind, err := db.CycleIndicators(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	r := &portal.ReportFacts{ReviewYear: ind.ReviewYear, PlanYear: ind.PlanYear,
		AcceptedCount: ind.NGOCount, Total: ind.Total}
	if r.AcceptedCount == 0 {
		return r, nil
	}
	rows, err := db.pool.Query(ctx, `
		SELECT t.theme_id, count(*)
		FROM report_activity_themes t
		JOIN report_activities a ON a.id = t.activity_id
		JOIN reports r ON r.id = a.report_id
		WHERE r.cycle_id = $1 AND r.status = 'accepted'
		GROUP BY t.theme_id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("activity themes of cycle %d: %w", cycleID, err)
	}
	activities := map[int64]int{}
	var themeID int64
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&themeID, &n}, func() error {
		activities[themeID] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("activity themes of cycle %d: %w", cycleID, err)
	}
	r.ActivityThemes = themeCounts(ind.Themes, activities)
	r.PlanThemes = themeCounts(ind.Themes, ind.Total.PlanItemsByTheme)

	rows, err = db.pool.Query(ctx, `
		SELECT n.name_zh, n.name_en, btrim(r.highlight)
		FROM reports r JOIN ngos n ON n.id = r.ngo_id
		WHERE r.cycle_id = $1 AND r.status = 'accepted' AND btrim(r.highlight) <> ''
		ORDER BY n.name_zh, n.id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("highlights of cycle %d: %w", cycleID, err)
	}
	r.Highlights, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (portal.Highlight, error) {
		var h portal.Highlight
		err := row.Scan(&h.NGONameZH, &h.NGONameEN, &h.Text)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("highlights of cycle %d: %w", cycleID, err)
	}
	return r, nil
}

// themeCounts lists the themes with a count, most frequent first, ties in
// the vocabulary's order (themes is ordered by position).
func themeCounts(themes []portal.IndicatorLabel, counts map[int64]int) []portal.ThemeCount {
	var out []portal.ThemeCount
	for _, t := range themes {
		if n := counts[t.ID]; n > 0 {
			out = append(out, portal.ThemeCount{NameZH: t.NameZH, NameEN: t.NameEN, Count: n})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out
}

// summaryEditable reports whether a session in status s may have a summary
// written: it must have been held.
func summaryEditable(s portal.SessionStatus) bool {
	return s == portal.SessionHeld || s == portal.SessionClosed
}

// ComposeSummary writes the composer's draft of a session's summary (in
// both languages, from SummaryFacts and the federation's names): it creates
// the summary, or replaces the texts of an existing draft. When the texts
// were edited since they were last composed, nothing changes and
// ErrSummaryEdited is returned, unless overwrite is set (the edited texts
// stay in the version history). Composing what is already there changes
// nothing. A published summary is not recomposed (ErrSummaryPublished); a
// session not yet held has none (ErrSummarySessionNotHeld).
func (db *DB) ComposeSummary(ctx context.Context, a portal.Actor, sessionID int64, fed portal.Federation, overwrite bool) (portal.Summary, error) {
	facts, err := db.SummaryFacts(ctx, sessionID)
	if err != nil {
		return portal.Summary{}, fmt.Errorf("compose summary: %w", err)
	}
	if !summaryEditable(facts.Session.Status) {
		return portal.Summary{}, fmt.Errorf("compose summary of session %d: %w", sessionID, portal.ErrSummarySessionNotHeld)
	}
	facts.Federation = fed
	zh, en := portal.ComposeSummary(facts)
	hash := portal.SummaryTextHash(zh, en)

	var out portal.Summary
	err = db.Transact(ctx, func(tx pgx.Tx) error {
		cur, found, err := summaryOfSession(ctx, tx, sessionID, true)
		if err != nil {
			return err
		}
		if !found {
			out, err = insertSummary(ctx, tx, a, sessionID, portal.SummaryInput{ZH: zh, EN: en}, hash,
				portal.VersionComposed, portal.AuditSummaryComposed)
			return err
		}
		switch {
		case cur.Status == portal.SummaryPublished:
			return portal.ErrSummaryPublished
		case cur.ZH == zh && cur.EN == en:
			// Nothing to write; remember that this is the composer's text.
			out = cur
			if !bytes.Equal(cur.ComposedHash, hash) {
				if _, err := tx.Exec(ctx, `UPDATE summaries SET composed_hash = $2 WHERE id = $1`, cur.ID, hash); err != nil {
					return fmt.Errorf("compose summary %d: %w", cur.ID, err)
				}
				out.ComposedHash = hash
			}
			return nil
		case cur.Edited() && !overwrite:
			return portal.ErrSummaryEdited
		}
		next := cur
		next.ZH, next.EN, next.ComposedHash = zh, en, hash
		out, err = updateSummary(ctx, tx, a, cur, next, portal.VersionComposed, portal.AuditSummaryComposed)
		return err
	})
	if err != nil {
		return portal.Summary{}, fmt.Errorf("compose summary of session %d: %w", sessionID, err)
	}
	return out, nil
}

// insertSummary creates a session's summary with its first version, its
// body's HTML and its audit row. Two admins creating it at once: the second gets ErrSummaryStale.
func insertSummary(ctx context.Context, tx pgx.Tx, a portal.Actor, sessionID int64, in portal.SummaryInput,
	composedHash []byte, action portal.SummaryVersionAction, audit string) (portal.Summary, error) {
	var s portal.Summary
	err := tx.QueryRow(ctx, `
		INSERT INTO summaries (session_id, title_zh, lead_zh, body_zh, title_en, lead_en, body_en,
		                       cover_alt_zh, cover_alt_en, composed_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (session_id) DO NOTHING
		RETURNING `+summaryReturning,
		sessionID, in.ZH.Title, in.ZH.Lead, in.ZH.Body, in.EN.Title, in.EN.Lead, in.EN.Body,
		in.CoverAltZH, in.CoverAltEN, composedHash).Scan(summaryScanArgs(&s)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return portal.Summary{}, portal.ErrSummaryStale
	}
	if err != nil {
		return portal.Summary{}, fmt.Errorf("create summary of session %d: %w", sessionID, translate(err))
	}
	if err := renderSummaryHTML(ctx, tx, sessionID); err != nil {
		return portal.Summary{}, err
	}
	if err := writeSummaryVersion(ctx, tx, a, s, action); err != nil {
		return portal.Summary{}, err
	}
	changes := portal.Diff(map[string]any{}, s.AuditFields())
	changes["session_id"] = portal.Change{After: sessionID}
	if err := writeAudit(ctx, tx, a, portal.AuditEvent{Action: audit, ObjectType: portal.AuditObjectSummary,
		ObjectID: s.ID, Changes: changes}); err != nil {
		return portal.Summary{}, err
	}
	return s, nil
}

// summaryReturning is summaryColumns for a RETURNING clause (no alias).
const summaryReturning = `id, session_id, title_zh, lead_zh, body_zh, title_en, lead_en, body_en,
	cover_data IS NOT NULL, coalesce(cover_type, ''), cover_sha256, cover_alt_zh, cover_alt_en,
	status, first_published_at, content_updated_at, composed_hash, version, created_at, updated_at`

// updateSummary writes next's texts, alt texts, status and composed hash
// over cur (locked by the caller), keeping the public dates right: the
// first publication date is set once; the "updated" date whenever the text
// the public reads changes. It bumps the version, renders the body's HTML
// and records the version and the audit row.
func updateSummary(ctx context.Context, tx pgx.Tx, a portal.Actor, cur, next portal.Summary,
	action portal.SummaryVersionAction, audit string) (portal.Summary, error) {
	hash := portal.SummaryTextHash(next.ZH, next.EN)
	public := next.Status == portal.SummaryPublished
	var s portal.Summary
	err := tx.QueryRow(ctx, `
		UPDATE summaries SET
			title_zh = $3, lead_zh = $4, body_zh = $5, title_en = $6, lead_en = $7, body_en = $8,
			cover_alt_zh = $9, cover_alt_en = $10, status = $11, composed_hash = $12,
			first_published_at = CASE WHEN $13 THEN coalesce(first_published_at, now()) ELSE first_published_at END,
			content_updated_at = CASE WHEN $13 AND first_published_at IS NOT NULL AND public_hash IS DISTINCT FROM $14
			                          THEN now() ELSE content_updated_at END,
			public_hash = CASE WHEN $13 THEN $14 ELSE public_hash END,
			version = version + 1, updated_at = now()
		WHERE id = $1 AND version = $2
		RETURNING `+summaryReturning,
		cur.ID, cur.Version, next.ZH.Title, next.ZH.Lead, next.ZH.Body, next.EN.Title, next.EN.Lead, next.EN.Body,
		next.CoverAltZH, next.CoverAltEN, string(next.Status), next.ComposedHash, public, hash).Scan(summaryScanArgs(&s)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return portal.Summary{}, portal.ErrSummaryStale
	}
	if err != nil {
		return portal.Summary{}, fmt.Errorf("update summary %d: %w", cur.ID, err)
	}
	if err := renderSummaryHTML(ctx, tx, s.SessionID); err != nil {
		return portal.Summary{}, err
	}
	if err := writeSummaryVersion(ctx, tx, a, s, action); err != nil {
		return portal.Summary{}, err
	}
	if err := writeAudit(ctx, tx, a, portal.AuditEvent{Action: audit, ObjectType: portal.AuditObjectSummary,
		ObjectID: s.ID, Changes: portal.Diff(cur.AuditFields(), s.AuditFields())}); err != nil {
		return portal.Summary{}, err
	}
	return s, nil
}

// writeSummaryVersion keeps s (just written) as version s.Version.
func writeSummaryVersion(ctx context.Context, tx pgx.Tx, a portal.Actor, s portal.Summary, action portal.SummaryVersionAction) error {
	var cover []byte
	if s.HasCover {
		cover = s.CoverSHA256
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO summary_versions (summary_id, number, action, status, title_zh, title_en, lead_zh, lead_en,
		                              body_zh, body_en, cover_sha256, cover_alt_zh, cover_alt_en, actor_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		s.ID, s.Version, string(action), string(s.Status), s.ZH.Title, s.EN.Title, s.ZH.Lead, s.EN.Lead,
		s.ZH.Body, s.EN.Body, cover, s.CoverAltZH, s.CoverAltEN, nullIfZero(a.UserID))
	if err != nil {
		return fmt.Errorf("version %d of summary %d: %w", s.Version, s.ID, err)
	}
	return nil
}

// lockSummaryAt locks a session's summary and checks that it is still at
// version; ErrNotFound when there is none, ErrSummaryStale when it moved on.
func lockSummaryAt(ctx context.Context, tx pgx.Tx, sessionID int64, version int) (portal.Summary, error) {
	cur, found, err := summaryOfSession(ctx, tx, sessionID, true)
	switch {
	case err != nil:
		return cur, err
	case !found:
		return cur, fmt.Errorf("summary of session %d: %w", sessionID, portal.ErrNotFound)
	case cur.Version != version:
		return cur, portal.ErrSummaryStale
	}
	return cur, nil
}

// SaveSummary saves the admin's texts and the cover's alt texts. version
// is the summary's version the form was loaded with; 0 creates the summary
// when the session has none yet (written by hand rather than composed).
// The input is normalized and validated (titles and bodies are required
// once published; alt texts while there is a cover): a *ValidationError
// lists the problems. Saving what is already there changes nothing. Editing
// a published summary sets its public "updated" date.
func (db *DB) SaveSummary(ctx context.Context, a portal.Actor, sessionID int64, in portal.SummaryInput, version int) (portal.Summary, error) {
	in.Normalize()
	var out portal.Summary
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		if version == 0 {
			sess, err := sessionByID(ctx, tx, sessionID, false)
			if err != nil {
				return err
			}
			if !summaryEditable(sess.Status) {
				return portal.ErrSummarySessionNotHeld
			}
			if errs := in.Validate(false, false); len(errs) > 0 {
				return &portal.ValidationError{Fields: errs}
			}
			out, err = insertSummary(ctx, tx, a, sessionID, in, nil, portal.VersionEdited, portal.AuditSummarySaved)
			return err
		}
		cur, err := lockSummaryAt(ctx, tx, sessionID, version)
		if err != nil {
			return err
		}
		if errs := in.Validate(cur.HasCover, cur.Status == portal.SummaryPublished); len(errs) > 0 {
			return &portal.ValidationError{Fields: errs}
		}
		if cur.Input() == in {
			out = cur
			return nil
		}
		next := cur
		next.ZH, next.EN, next.CoverAltZH, next.CoverAltEN = in.ZH, in.EN, in.CoverAltZH, in.CoverAltEN
		out, err = updateSummary(ctx, tx, a, cur, next, portal.VersionEdited, portal.AuditSummarySaved)
		return err
	})
	if err != nil {
		return portal.Summary{}, fmt.Errorf("save summary of session %d: %w", sessionID, err)
	}
	return out, nil
}

// PublishSummary makes a draft summary public. It must have a title and a
// body in both languages (and alt texts for its cover): a *ValidationError
// says what is missing. Publishing a published summary is
// ErrSummaryIllegalStep. Republishing after an unpublish keeps the first
// publication date and, when the text changed meanwhile, sets the
// "updated" date.
func (db *DB) PublishSummary(ctx context.Context, a portal.Actor, sessionID int64, version int) (portal.Summary, error) {
	return db.stepSummary(ctx, a, sessionID, version, portal.SummaryPublished)
}

// UnpublishSummary takes a published summary off the public pages: it is a
// draft again. Unpublishing a draft is ErrSummaryIllegalStep.
func (db *DB) UnpublishSummary(ctx context.Context, a portal.Actor, sessionID int64, version int) (portal.Summary, error) {
	return db.stepSummary(ctx, a, sessionID, version, portal.SummaryDraft)
}

func (db *DB) stepSummary(ctx context.Context, a portal.Actor, sessionID int64, version int, to portal.SummaryStatus) (portal.Summary, error) {
	var out portal.Summary
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		cur, err := lockSummaryAt(ctx, tx, sessionID, version)
		if err != nil {
			return err
		}
		if !portal.CanSummaryStep(cur.Status, to) {
			return portal.ErrSummaryIllegalStep
		}
		action, audit := portal.VersionUnpublished, portal.AuditSummaryUnpublished
		if to == portal.SummaryPublished {
			action, audit = portal.VersionPublished, portal.AuditSummaryPublished
			if errs := cur.Input().Validate(cur.HasCover, true); len(errs) > 0 {
				return &portal.ValidationError{Fields: errs}
			}
		}
		next := cur
		next.Status = to
		out, err = updateSummary(ctx, tx, a, cur, next, action, audit)
		return err
	})
	if err != nil {
		return portal.Summary{}, fmt.Errorf("%s summary of session %d: %w", to, sessionID, err)
	}
	return out, nil
}

// SetSummaryCover sets (or replaces) the cover image of a session's
// summary with its alt texts in both languages. The image is vetted by
// portal.CheckCover; problems come back as a *ValidationError (fields
// cover, cover_alt_zh, cover_alt_en).
func (db *DB) SetSummaryCover(ctx context.Context, a portal.Actor, sessionID int64, data []byte, altZH, altEN string, version int) (portal.Summary, error) {
	in := portal.SummaryInput{CoverAltZH: altZH, CoverAltEN: altEN}
	in.Normalize()
	errs := map[string]string{}
	ct, err := portal.CheckCover(data)
	if ve := (*portal.ValidationError)(nil); errors.As(err, &ve) {
		errs = ve.Fields
	} else if err != nil {
		return portal.Summary{}, err
	}
	for _, f := range []string{"cover_alt_zh", "cover_alt_en"} {
		if k, ok := in.Validate(true, false)[f]; ok {
			errs[f] = k
		}
	}
	if len(errs) > 0 {
		return portal.Summary{}, &portal.ValidationError{Fields: errs}
	}
	sum := sha256.Sum256(data)
	var out portal.Summary
	err = db.Transact(ctx, func(tx pgx.Tx) error {
		cur, err := lockSummaryAt(ctx, tx, sessionID, version)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			UPDATE summaries SET cover_data = $3, cover_type = $4, cover_sha256 = $5,
			       cover_alt_zh = $6, cover_alt_en = $7, version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $2
			RETURNING `+summaryReturning,
			cur.ID, cur.Version, data, ct, sum[:], in.CoverAltZH, in.CoverAltEN).Scan(summaryScanArgs(&out)...); err != nil {
			return fmt.Errorf("set cover of summary %d: %w", cur.ID, err)
		}
		return recordSummaryChange(ctx, tx, a, cur, out, portal.VersionCoverSet, portal.AuditSummaryCoverSet)
	})
	if err != nil {
		return portal.Summary{}, fmt.Errorf("set cover of the summary of session %d: %w", sessionID, err)
	}
	return out, nil
}

// RemoveSummaryCover removes the cover image and its alt texts. A summary
// without a cover is returned unchanged.
func (db *DB) RemoveSummaryCover(ctx context.Context, a portal.Actor, sessionID int64, version int) (portal.Summary, error) {
	var out portal.Summary
	err := db.Transact(ctx, func(tx pgx.Tx) error {
		cur, err := lockSummaryAt(ctx, tx, sessionID, version)
		if err != nil {
			return err
		}
		if !cur.HasCover {
			out = cur
			return nil
		}
		if err := tx.QueryRow(ctx, `
			UPDATE summaries SET cover_data = NULL, cover_type = NULL, cover_sha256 = NULL,
			       cover_alt_zh = '', cover_alt_en = '', version = version + 1, updated_at = now()
			WHERE id = $1 AND version = $2
			RETURNING `+summaryReturning, cur.ID, cur.Version).Scan(summaryScanArgs(&out)...); err != nil {
			return fmt.Errorf("remove cover of summary %d: %w", cur.ID, err)
		}
		return recordSummaryChange(ctx, tx, a, cur, out, portal.VersionCoverRemoved, portal.AuditSummaryCoverRemoved)
	})
	if err != nil {
		return portal.Summary{}, fmt.Errorf("remove cover of the summary of session %d: %w", sessionID, err)
	}
	return out, nil
}

// recordSummaryChange writes the version and the audit row of a change
// from cur to s.
func recordSummaryChange(ctx context.Context, tx pgx.Tx, a portal.Actor, cur, s portal.Summary,
	action portal.SummaryVersionAction, audit string) error {
	if err := writeSummaryVersion(ctx, tx, a, s, action); err != nil {
		return err
	}
	return writeAudit(ctx, tx, a, portal.AuditEvent{Action: audit, ObjectType: portal.AuditObjectSummary,
		ObjectID: s.ID, Changes: portal.Diff(cur.AuditFields(), s.AuditFields())})
}

// summaryVersionColumns is the column list of version reads, in
// summaryVersionScanArgs' order; v is summary_versions, u the actor.
const summaryVersionColumns = `v.summary_id, v.number, v.action, v.status,
	v.title_zh, v.lead_zh, v.body_zh, v.title_en, v.lead_en, v.body_en,
	v.cover_sha256, v.cover_alt_zh, v.cover_alt_en, coalesce(v.actor_id, 0), coalesce(u.email::text, ''), v.at`

func summaryVersionScanArgs(v *portal.SummaryVersion) []any {
	return []any{&v.SummaryID, &v.Number, &v.Action, &v.Status,
		&v.ZH.Title, &v.ZH.Lead, &v.ZH.Body, &v.EN.Title, &v.EN.Lead, &v.EN.Body,
		&v.CoverSHA256, &v.CoverAltZH, &v.CoverAltEN, &v.ActorID, &v.ActorEmail, &v.At}
}

// SummaryVersions returns every saved state of a summary, newest first.
func (db *DB) SummaryVersions(ctx context.Context, summaryID int64) ([]portal.SummaryVersion, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT `+summaryVersionColumns+`
		FROM summary_versions v LEFT JOIN users u ON u.id = v.actor_id
		WHERE v.summary_id = $1
		ORDER BY v.number DESC`, summaryID)
	if err != nil {
		return nil, fmt.Errorf("versions of summary %d: %w", summaryID, err)
	}
	list, err := pgx.CollectRows(rows, rowTo(summaryVersionScanArgs))
	if err != nil {
		return nil, fmt.Errorf("versions of summary %d: %w", summaryID, err)
	}
	return list, nil
}

// SummaryVersion returns version n of a summary; ErrNotFound when there is
// no such version.
func (db *DB) SummaryVersion(ctx context.Context, summaryID int64, n int) (portal.SummaryVersion, error) {
	var v portal.SummaryVersion
	err := db.pool.QueryRow(ctx, `
		SELECT `+summaryVersionColumns+`
		FROM summary_versions v LEFT JOIN users u ON u.id = v.actor_id
		WHERE v.summary_id = $1 AND v.number = $2`, summaryID, n).Scan(summaryVersionScanArgs(&v)...)
	if err != nil {
		return portal.SummaryVersion{}, fmt.Errorf("version %d of summary %d: %w", n, summaryID, translate(err))
	}
	return v, nil
}

// SummaryPreview returns the summary of a session and everything its public
// page shows, whatever the summary's status: the same data as
// PublishedSummaryBySlug, for the admin's preview of a draft. ErrNotFound
// when the session has no summary. Four queries in one read-only snapshot.
func (db *DB) SummaryPreview(ctx context.Context, sessionID int64) (portal.PublicSummary, error) {
	p, err := db.publicSummary(ctx, `s.id = $1`, sessionID)
	if err != nil {
		return portal.PublicSummary{}, fmt.Errorf("summary preview of session %d: %w", sessionID, err)
	}
	return p, nil
}
