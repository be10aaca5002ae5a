-- The body of each summary as its public page shows it, rendered once when
-- the summary is written rather than on every request.
--
-- body_html_zh/body_html_en: the body in each language rendered from
-- Markdown and sanitised, without the requests section the composer used
-- to write (the page lists the requests itself); body_html_requests: the
-- number of the session's requests it was rendered for, so that a read can
-- tell the HTML is stale when the requests changed without the summary
-- being rendered again. All three NULL: not rendered yet (a summary
-- written before this migration, until the start-up backfill renders it).
-- Written only by internal/postgres (renderSummaryHTML).

-- +goose Up
ALTER TABLE summaries
    ADD COLUMN body_html_zh       text,
    ADD COLUMN body_html_en       text,
    ADD COLUMN body_html_requests integer CHECK (body_html_requests >= 0),
    ADD CONSTRAINT summaries_body_html_check
        CHECK ((body_html_zh IS NULL) = (body_html_en IS NULL)
               AND (body_html_zh IS NULL) = (body_html_requests IS NULL));

-- +goose Down
ALTER TABLE summaries
    DROP CONSTRAINT summaries_body_html_check,
    DROP COLUMN body_html_requests,
    DROP COLUMN body_html_en,
    DROP COLUMN body_html_zh;
