package postgres

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/portal"
)

// attachmentColumns is the metadata every attachment read returns, in
// attachmentScanArgs' order; the bytes are read only for a download.
const attachmentColumns = `a.id, a.report_id, r.ngo_id, a.kind, a.filename, a.content_type, a.size_bytes, a.sha256,
	coalesce(a.uploaded_by, 0), coalesce(u.email::text, ''), a.uploaded_at`

const attachmentFrom = ` FROM report_attachments a
	JOIN reports r ON r.id = a.report_id
	LEFT JOIN users u ON u.id = a.uploaded_by`

func attachmentScanArgs(a *portal.Attachment) []any {
	return []any{&a.ID, &a.ReportID, &a.NGOID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256,
		&a.UploadedBy, &a.UploadedByEmail, &a.UploadedAt}
}

// lockReportForAttachments locks report reportID of NGO ngoID against a
// concurrent submission or cover upload, and checks that its files may
// still change: the report is a draft or returned, and its cycle is not
// closed. Another NGO's report is ErrNotFound.
//
// FOR NO KEY UPDATE, not FOR UPDATE: it serialises with the status change
// of a submission and with another upload, but not with the inserts of a
// draft save running beside it (their foreign keys take KEY SHARE).
func lockReportForAttachments(ctx context.Context, tx pgx.Tx, ngoID, reportID int64) error {
	var status portal.ReportStatus
	var cycleStatus portal.CycleStatus
	err := tx.QueryRow(ctx, `
		SELECT r.status, c.status
		FROM reports r JOIN reporting_cycles c ON c.id = r.cycle_id
		WHERE r.id = $1 AND r.ngo_id = $2
		FOR NO KEY UPDATE OF r`, reportID, ngoID).Scan(&status, &cycleStatus)
	if err != nil {
		return fmt.Errorf("report %d of NGO %d: %w", reportID, ngoID, translate(err))
	}
	if !status.Editable() || cycleStatus == portal.CycleClosed {
		return fmt.Errorf("report %d is %s, cycle %s: %w", reportID, status, cycleStatus, portal.ErrAttachmentReadOnly)
	}
	return nil
}

// AddAttachment attaches a file of kind to report reportID of NGO ngoID
// (another NGO's report: ErrNotFound), while the report is a draft or
// returned (else ErrAttachmentReadOnly) and the file fits limits (else
// ErrTooManyFiles or ErrStorageQuota). contentType must be what
// portal.CheckAttachment found; the bytes are checked again here, so that no
// caller can store a file under a type it is not. A report has one cover: a
// new cover replaces the old one in the same transaction, audited as one
// replacement, and takes the old one's place in the limits. The file name
// is cleaned with portal.SafeFilename.
//
// The limits are checked after the report and then the NGO are locked, so
// that two uploads at once, to one report or to two of the NGO's, cannot
// both fit in the last place: the second waits for the first to commit and
// counts its file. Report before NGO is the order the readiness and result
// triggers take when a report changes, so the two cannot deadlock.
func (db *DB) AddAttachment(ctx context.Context, a portal.Actor, ngoID, reportID int64, kind portal.AttachmentKind,
	filename, contentType string, data []byte, limits portal.AttachmentLimits) (portal.Attachment, error) {
	if !kind.Valid() {
		return portal.Attachment{}, fmt.Errorf("attachment kind %q: %w", kind, portal.ErrUnsupportedType)
	}
	sniffed, err := portal.SniffAttachment(filename, data)
	if err != nil {
		return portal.Attachment{}, err
	}
	if sniffed != contentType {
		return portal.Attachment{}, fmt.Errorf("attachment claimed %s, content is %s: %w", contentType, sniffed, portal.ErrUnsupportedType)
	}
	if kind == portal.AttachmentCover && !portal.IsImageOrPDF(contentType) {
		return portal.Attachment{}, fmt.Errorf("cover of type %s: %w", contentType, portal.ErrCoverType)
	}
	sum := sha256.Sum256(data)
	name := portal.SafeFilename(filename)

	var saved portal.Attachment
	err = db.Transact(ctx, func(tx pgx.Tx) error {
		if err := lockReportForAttachments(ctx, tx, ngoID, reportID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM ngos WHERE id = $1 FOR NO KEY UPDATE`, ngoID).Scan(new(int64)); err != nil {
			return fmt.Errorf("lock NGO %d for attachments: %w", ngoID, translate(err))
		}
		var replaced []portal.Attachment
		if kind == portal.AttachmentCover {
			rows, err := tx.Query(ctx, `
				WITH gone AS (
					DELETE FROM report_attachments WHERE report_id = $1 AND kind = 'cover'
					RETURNING id, report_id, kind, filename, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
				SELECT `+attachmentColumns+` FROM gone a
				JOIN reports r ON r.id = a.report_id
				LEFT JOIN users u ON u.id = a.uploaded_by`, reportID)
			if err != nil {
				return fmt.Errorf("replace cover of report %d: %w", reportID, err)
			}
			if replaced, err = pgx.CollectRows(rows, rowTo(attachmentScanArgs)); err != nil {
				return fmt.Errorf("replace cover of report %d: %w", reportID, err)
			}
		}
		usage, err := attachmentUsage(ctx, tx, ngoID, reportID)
		if err != nil {
			return err
		}
		if err := limits.CheckRoom(usage, int64(len(data))); err != nil {
			return fmt.Errorf("report %d of NGO %d: %w", reportID, ngoID, err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `
			INSERT INTO report_attachments (report_id, kind, filename, content_type, size_bytes, sha256, data, uploaded_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			RETURNING id`,
			reportID, string(kind), name, contentType, len(data), sum[:], data, nullIfZero(a.UserID)).Scan(&id); err != nil {
			return fmt.Errorf("add attachment to report %d: %w", reportID, translate(err))
		}
		if saved, err = attachmentByID(ctx, tx, id, 0); err != nil {
			return err
		}
		if len(replaced) == 0 {
			return writeAudit(ctx, tx, a, portal.AuditEvent{
				Action: portal.AuditAttachmentAdded, ObjectType: portal.AuditObjectAttachment, ObjectID: id, NGOID: ngoID,
				Changes: portal.Diff(map[string]any{}, saved.AuditFields()),
			})
		}
		// The old cover's fields as "before", the new one's as "after";
		// the replaced row's id is recorded so the trail stays complete.
		before := replaced[0].AuditFields()
		before["id"] = replaced[0].ID
		after := saved.AuditFields()
		after["id"] = saved.ID
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAttachmentReplaced, ObjectType: portal.AuditObjectAttachment, ObjectID: id, NGOID: ngoID,
			Changes: portal.Diff(before, after),
		})
	})
	if err != nil {
		return portal.Attachment{}, err
	}
	return saved, nil
}

// AttachmentUsage is what report reportID and its NGO ngoID store now: the
// report's files and the bytes of all the NGO's attachments, for the page
// that shows what room is left.
func (db *DB) AttachmentUsage(ctx context.Context, ngoID, reportID int64) (portal.AttachmentUsage, error) {
	return attachmentUsage(ctx, db.pool, ngoID, reportID)
}

// attachmentUsage counts report reportID's files and sums the sizes of NGO
// ngoID's attachments (the bytes themselves are not read: size_bytes is
// kept beside them).
func attachmentUsage(ctx context.Context, q querier, ngoID, reportID int64) (portal.AttachmentUsage, error) {
	var u portal.AttachmentUsage
	err := q.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE a.report_id = $2), coalesce(sum(a.size_bytes), 0)
		FROM report_attachments a JOIN reports r ON r.id = a.report_id
		WHERE r.ngo_id = $1`, ngoID, reportID).Scan(&u.ReportFiles, &u.NGOBytes)
	if err != nil {
		return portal.AttachmentUsage{}, fmt.Errorf("attachment usage of NGO %d, report %d: %w", ngoID, reportID, err)
	}
	return u, nil
}

// attachmentByID reads one attachment's metadata; ngoID 0 means any NGO.
func attachmentByID(ctx context.Context, q querier, id, ngoID int64) (portal.Attachment, error) {
	var att portal.Attachment
	err := q.QueryRow(ctx, `SELECT `+attachmentColumns+attachmentFrom+`
		WHERE a.id = $1 AND ($2::bigint = 0 OR r.ngo_id = $2)`, id, ngoID).Scan(attachmentScanArgs(&att)...)
	if err != nil {
		return portal.Attachment{}, fmt.Errorf("attachment %d: %w", id, translate(err))
	}
	return att, nil
}

// attachmentFile reads one attachment with its bytes; ngoID 0 means any NGO.
func (db *DB) attachmentFile(ctx context.Context, id, ngoID int64) (portal.AttachmentFile, error) {
	var f portal.AttachmentFile
	err := db.pool.QueryRow(ctx, `SELECT `+attachmentColumns+`, a.data`+attachmentFrom+`
		WHERE a.id = $1 AND ($2::bigint = 0 OR r.ngo_id = $2)`, id, ngoID).Scan(append(attachmentScanArgs(&f.Attachment), &f.Data)...)
	if err != nil {
		return portal.AttachmentFile{}, fmt.Errorf("attachment %d: %w", id, translate(err))
	}
	return f, nil
}

// AttachmentForNGO returns attachment id with its bytes, for the staff of
// NGO ngoID; another NGO's attachment is ErrNotFound.
func (db *DB) AttachmentForNGO(ctx context.Context, ngoID, id int64) (portal.AttachmentFile, error) {
	if ngoID == 0 {
		// 0 means "any NGO" below; staff always have an NGO.
		return portal.AttachmentFile{}, fmt.Errorf("attachment %d without an NGO: %w", id, portal.ErrNotFound)
	}
	return db.attachmentFile(ctx, id, ngoID)
}

// AttachmentForAdmin returns attachment id with its bytes, whatever its NGO.
func (db *DB) AttachmentForAdmin(ctx context.Context, id int64) (portal.AttachmentFile, error) {
	return db.attachmentFile(ctx, id, 0)
}

// ListAttachments returns the metadata (never the bytes) of report
// reportID's attachments: the cover first, then by upload. It is not scoped:
// callers pass the id of a report they have already read through a scoped
// method.
func (db *DB) ListAttachments(ctx context.Context, reportID int64) ([]portal.Attachment, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+attachmentColumns+attachmentFrom+`
		WHERE a.report_id = $1
		ORDER BY a.kind = 'cover' DESC, a.uploaded_at, a.id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("list attachments of report %d: %w", reportID, err)
	}
	list, err := pgx.CollectRows(rows, rowTo(attachmentScanArgs))
	if err != nil {
		return nil, fmt.Errorf("list attachments of report %d: %w", reportID, err)
	}
	return list, nil
}

// DeleteAttachment removes attachment id of NGO ngoID's report while the
// report is a draft or returned (else ErrAttachmentReadOnly); another NGO's
// attachment is ErrNotFound.
func (db *DB) DeleteAttachment(ctx context.Context, a portal.Actor, ngoID, id int64) error {
	if ngoID == 0 {
		return fmt.Errorf("delete attachment %d without an NGO: %w", id, portal.ErrNotFound)
	}
	return db.Transact(ctx, func(tx pgx.Tx) error {
		before, err := attachmentByID(ctx, tx, id, ngoID)
		if err != nil {
			return err
		}
		if err := lockReportForAttachments(ctx, tx, ngoID, before.ReportID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM report_attachments WHERE id = $1 AND report_id = $2`, id, before.ReportID)
		if err != nil {
			return fmt.Errorf("delete attachment %d: %w", id, err)
		}
		if tag.RowsAffected() != 1 {
			// Deleted by a colleague between the read and the lock.
			return fmt.Errorf("delete attachment %d: %w", id, portal.ErrNotFound)
		}
		return writeAudit(ctx, tx, a, portal.AuditEvent{
			Action: portal.AuditAttachmentDeleted, ObjectType: portal.AuditObjectAttachment, ObjectID: id, NGOID: ngoID,
			Changes: portal.Diff(before.AuditFields(), map[string]any{}),
		})
	})
}

// HasCover reports whether report reportID has its cover page, for the
// completeness check before submission.
func (db *DB) HasCover(ctx context.Context, reportID int64) (bool, error) {
	return hasCover(ctx, db.pool, reportID)
}

// hasCover reports whether report id has a cover page attached.
func hasCover(ctx context.Context, q querier, id int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM report_attachments WHERE report_id = $1 AND kind = 'cover')`, id).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("cover of report %d: %w", id, err)
	}
	return ok, nil
}

// ReportHeaderForNGO returns report id of NGO ngoID without its section
// rows (status, cycle, review year, deadline: what the attachments page
// needs); another NGO's report is ErrNotFound.
func (db *DB) ReportHeaderForNGO(ctx context.Context, ngoID, id int64) (portal.Report, error) {
	r, err := reportHeader(ctx, db.pool, false, `r.id = $1 AND r.ngo_id = $2`, id, ngoID)
	if err != nil {
		return portal.Report{}, fmt.Errorf("report %d of NGO %d: %w", id, ngoID, err)
	}
	return r, nil
}
