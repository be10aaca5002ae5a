-- +goose Up
-- Stored attachment names at most 100 characters and 255 bytes of UTF-8
-- (the limit of most file systems; a Chinese name reaches it at 85
-- characters), as portal.SafeFilename now cuts them on upload. Longer
-- names stored before are cut the same way: on a character boundary
-- before the extension (a final ".xyz" of at most 10 characters), dots
-- and spaces at the cut dropped, the extension kept.
-- +goose StatementBegin
DO $$
DECLARE
    att  record;
    base text;
    ext  text;
BEGIN
    FOR att IN
        SELECT id, filename FROM report_attachments
        WHERE char_length(filename) > 100 OR octet_length(filename) > 255
        FOR UPDATE
    LOOP
        ext := coalesce(substring(att.filename FROM '\.[^.]*$'), '');
        IF char_length(ext) > 10 OR ext = att.filename THEN
            ext := '';
        END IF;
        base := left(att.filename, char_length(att.filename) - char_length(ext));
        base := left(base, 100 - char_length(ext));
        WHILE octet_length(base) + octet_length(ext) > 255 LOOP
            base := left(base, -1);
        END LOOP;
        UPDATE report_attachments SET filename = rtrim(base, '. ') || ext WHERE id = att.id;
    END LOOP;
END
$$;
-- +goose StatementEnd

ALTER TABLE report_attachments
    DROP CONSTRAINT report_attachments_filename_check,
    ADD CONSTRAINT report_attachments_filename_check
        CHECK (btrim(filename) <> '' AND char_length(filename) <= 100 AND octet_length(filename) <= 255);
