-- Walk-in representatives: a person who came for an invited NGO on the day
-- of the session without being named in its reply. They are recorded at
-- check-in, in the same table as the named representatives, so that every
-- list of who came (check-in, attendance review, exports) reads one table.
--
-- Named representatives keep positions 1–3 and a required mobile. Walk-ins
-- take positions 4–6: the (invitation, position) key then allows at most
-- three per NGO whatever the code does. A walk-in's mobile may be left
-- empty (not everyone at the door gives one); one that is given is a
-- mainland mobile like the others.

-- +goose Up
ALTER TABLE representatives
    ADD COLUMN walk_in boolean NOT NULL DEFAULT false,
    DROP CONSTRAINT representatives_position_check,
    DROP CONSTRAINT representatives_mobile_check,
    ADD CONSTRAINT representatives_position_check
        CHECK (CASE WHEN walk_in THEN position BETWEEN 4 AND 6 ELSE position BETWEEN 1 AND 3 END),
    ADD CONSTRAINT representatives_mobile_check
        CHECK (mobile ~ '^1[3-9][0-9]{9}$' OR (walk_in AND mobile = ''));

