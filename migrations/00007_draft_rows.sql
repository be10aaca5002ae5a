-- A draft keeps what staff typed, complete or not: an activity may lack
-- its title, kind, mode or dates, or have them out of order (ends before
-- it starts, more women than people reached); a media row its channel; a
-- plan item its title. The portal refuses to submit a report whose rows
-- are incomplete (portal.Report.Missing, in the submission's
-- transaction), so submitted and accepted reports hold complete rows as
-- before. What can never be stored (a text over its size, an unknown kind,
-- a negative count) is still checked here.

-- +goose Up

ALTER TABLE report_activities
    DROP CONSTRAINT report_activities_title_check,
    ADD CONSTRAINT report_activities_title_check CHECK (length(title) <= 200),
    ALTER COLUMN kind DROP NOT NULL,      -- NULL: not chosen yet
    ALTER COLUMN mode DROP NOT NULL,
    ALTER COLUMN starts_on DROP NOT NULL, -- NULL: not entered yet
    ALTER COLUMN ends_on DROP NOT NULL,
    DROP CONSTRAINT report_activities_check,  -- ends_on >= starts_on
    DROP CONSTRAINT report_activities_check1; -- women_reached <= people_reached

ALTER TABLE report_media
    ALTER COLUMN channel DROP NOT NULL;   -- NULL: not chosen yet

ALTER TABLE report_plan_items
    DROP CONSTRAINT report_plan_items_title_check,
    ADD CONSTRAINT report_plan_items_title_check CHECK (length(title) <= 200);
