package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/markdown"
	"ngoportal/internal/portal"
)

// A summary's body is rendered from Markdown and sanitised (goldmark, then
// bluemonday) when it is written, not when its page is read: the HTML is
// stored beside the Markdown (summaries.body_html_zh, body_html_en, with
// the number of the session's requests it was rendered for in
// body_html_requests). Every write of a body, and every change of the
// number of a session's requests, renders it again in its own transaction
// through renderSummaryHTML.

// summaryBodyHTML is a summary's body as its public page shows it: without
// the section in which the composer used to list the session's requests
// (the page lists them itself), rendered and sanitised.
func summaryBodyHTML(body string, requests int) string {
	return markdown.Render(portal.WithoutComposedRequests(body, requests))
}

// renderSummaryHTML renders the body of the session's summary in both
// languages for the session's requests as they are now and stores it; a
// session without a summary has nothing to render. It neither bumps the
// summary's version nor its dates: the texts are unchanged. The summary's
// row is locked before the requests are counted, so that two transactions
// changing one session's requests at once render one after the other, the
// second counting the first's change.
func renderSummaryHTML(ctx context.Context, q querier, sessionID int64) error {
	var id int64
	var zh, en string
	err := q.QueryRow(ctx, `SELECT id, body_zh, body_en FROM summaries WHERE session_id = $1 FOR UPDATE`,
		sessionID).Scan(&id, &zh, &en)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("render the summary of session %d: %w", sessionID, err)
	}
	var n int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM session_requests WHERE session_id = $1`, sessionID).Scan(&n); err != nil {
		return fmt.Errorf("render summary %d: requests: %w", id, err)
	}
	if _, err := q.Exec(ctx, `
		UPDATE summaries SET body_html_zh = $2, body_html_en = $3, body_html_requests = $4
		WHERE id = $1`, id, summaryBodyHTML(zh, n), summaryBodyHTML(en, n), n); err != nil {
		return fmt.Errorf("render summary %d: %w", id, err)
	}
	return nil
}

// RenderSummaryHTML is renderSummaryHTML in the transaction, for loaders
// that write summaries or requests with SQL of their own (the demo).
func (tx Tx) RenderSummaryHTML(ctx context.Context, sessionID int64) error {
	return renderSummaryHTML(ctx, tx, sessionID)
}

// summaryHTMLPending is the condition on summaries m of a summary whose
// stored HTML is missing (written before migration 00028) or was rendered
// for another number of requests than its session has now (requests
// written by SQL of a loader's own).
const summaryHTMLPending = ` (m.body_html_zh IS NULL
	OR m.body_html_requests <> (SELECT count(*) FROM session_requests r WHERE r.session_id = m.session_id))`

// summaryHTMLBatch is how many summaries RenderPendingSummaryHTML renders
// in one transaction.
const summaryHTMLBatch = 100

// RenderPendingSummaryHTML renders and stores the HTML of every summary
// that has none or whose HTML is stale (summaryHTMLPending), in
// transactions of at most summaryHTMLBatch summaries, and returns how many
// it rendered. Run at start-up after the migrations. Rows another instance
// is rendering are skipped (FOR UPDATE SKIP LOCKED), so two instances
// starting at once share the work; run again, it finds nothing to do.
func (db *DB) RenderPendingSummaryHTML(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		err := db.Transact(ctx, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `
				SELECT m.session_id FROM summaries m
				WHERE`+summaryHTMLPending+`
				ORDER BY m.id
				LIMIT $1
				FOR UPDATE SKIP LOCKED`, summaryHTMLBatch)
			if err != nil {
				return err
			}
			sessions, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			for _, id := range sessions {
				if err := renderSummaryHTML(ctx, tx, id); err != nil {
					return err
				}
			}
			n = len(sessions)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("render pending summary HTML: %w", err)
		}
		total += n
		if n < summaryHTMLBatch {
			return total, nil
		}
	}
}

// storedSummaryHTML is the HTML of a summary's body as read with its
// summary: stored (zh, en and requests all set) or not rendered yet (all
// nil).
type storedSummaryHTML struct {
	zh, en   *string
	requests *int
}

// storedSummaryHTMLColumns are the columns of storedSummaryHTML, in
// scanArgs' order; m is summaries.
const storedSummaryHTMLColumns = `m.body_html_zh, m.body_html_en, m.body_html_requests`

func (h *storedSummaryHTML) scanArgs() []any { return []any{&h.zh, &h.en, &h.requests} }

// fill sets p's body HTML: the stored HTML when it was rendered for p's
// requests, else (a summary the start-up backfill has not reached yet)
// rendered now, as it was before the HTML was stored.
func (h storedSummaryHTML) fill(p *portal.PublicSummary) {
	if h.zh != nil && h.en != nil && h.requests != nil && *h.requests == len(p.Requests) {
		p.BodyHTMLZH, p.BodyHTMLEN = *h.zh, *h.en
		return
	}
	p.BodyHTMLZH = summaryBodyHTML(p.Summary.ZH.Body, len(p.Requests))
	p.BodyHTMLEN = summaryBodyHTML(p.Summary.EN.Body, len(p.Requests))
}
