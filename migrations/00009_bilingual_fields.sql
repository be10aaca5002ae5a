-- English counterparts of the texts that were kept in Chinese only: an NGO's
-- focus areas and address, and a user's display name. An English page
-- shows the English text, or the Chinese one marked as such when there is
-- none.
--
-- Focus areas are two parallel arrays rather than an array of pairs: each
-- page shows one language's list, the Chinese column keeps its shape (and
-- what reads it), and the form stays two plain text areas. The English list
-- is either empty (not translated yet) or as long as the Chinese one, in
-- the same order, so that item i of each is the same area.
--
-- The checks mirror the registry's rules (internal/portal), on both
-- languages alike.

-- +goose Up
ALTER TABLE ngos
    ADD COLUMN focus_areas_en text[] NOT NULL DEFAULT '{}',
    ADD COLUMN address_en     text NOT NULL DEFAULT '',
    ADD CONSTRAINT ngos_focus_areas_count CHECK (cardinality(focus_areas) <= 10),
    ADD CONSTRAINT ngos_focus_areas_en_count
        CHECK (cardinality(focus_areas_en) IN (0, cardinality(focus_areas))),
    ADD CONSTRAINT ngos_focus_areas_no_blank
        CHECK (array_position(focus_areas, '') IS NULL AND array_position(focus_areas_en, '') IS NULL),
    ADD CONSTRAINT ngos_address_length CHECK (length(address) <= 200),
    ADD CONSTRAINT ngos_address_en_length CHECK (length(address_en) <= 200);


-- The English name is optional; when given it is not blank, and as long as
-- the Chinese one may be.
ALTER TABLE users
    ADD COLUMN name_en text COLLATE "en-x-icu" NOT NULL DEFAULT ''
        CONSTRAINT users_name_en_check CHECK (length(name_en) <= 100 AND (name_en = '' OR btrim(name_en) = name_en));
