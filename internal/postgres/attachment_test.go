package postgres_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/png"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"ngoportal/internal/pgtest"
	"ngoportal/internal/portal"
)

// rpFixture is a migrated database with two NGOs, a staff member of each
// and an open reporting cycle, built with plain SQL so that it does not
// depend on the demo data.
type rpFixture struct {
	testDB
	cycle          int64
	ngoA, ngoB     int64
	staffA, staffB portal.Actor
}

func newRPFixture(t *testing.T) rpFixture {
	t.Helper()
	f := rpFixture{testDB: testDB{db: pgtest.New(t)}}
	f.cycle = f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline) VALUES (2030, 2031, '2030-11-01', '2030-12-31') RETURNING id`)
	f.ngoA = f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-a', '甲会', 'NGO A') RETURNING id`)
	f.ngoB = f.id(t, `INSERT INTO ngos (slug, name_zh, name_en) VALUES ('ngo-b', '乙会', 'NGO B') RETURNING id`)
	f.staffA = portal.Actor{Email: "a@example.org", RequestID: "req-a"}
	f.staffA.UserID = f.id(t, `INSERT INTO users (email, name, role, ngo_id) VALUES ($1, '甲', 'staff', $2) RETURNING id`, f.staffA.Email, f.ngoA)
	f.staffB = portal.Actor{Email: "b@example.org"}
	f.staffB.UserID = f.id(t, `INSERT INTO users (email, name, role, ngo_id) VALUES ($1, '乙', 'staff', $2) RETURNING id`, f.staffB.Email, f.ngoB)
	return f
}

// report inserts a report of ngo in cycle with status; the timestamps the
// table's checks require follow from the status.
func (f rpFixture) report(t *testing.T, cycle, ngo int64, status string) int64 {
	t.Helper()
	return f.id(t, `
		INSERT INTO reports (cycle_id, ngo_id, status, submitted_at, accepted_at)
		VALUES ($1, $2, $3,
		        CASE WHEN $3 = 'draft' THEN NULL ELSE now() END,
		        CASE WHEN $3 = 'accepted' THEN now() END)
		RETURNING id`, cycle, ngo, status)
}

func (f rpFixture) setStatus(t *testing.T, report int64, status string) {
	t.Helper()
	f.exec(t, `
		UPDATE reports SET status = $2,
		       submitted_at = CASE WHEN $2 = 'draft' THEN submitted_at ELSE coalesce(submitted_at, now()) END,
		       accepted_at = CASE WHEN $2 = 'accepted' THEN now() END
		WHERE id = $1`, report, status)
}

// audits reads the audit rows whose action starts with prefix.
func (f rpFixture) audits(t *testing.T, prefix string) []auditRow {
	t.Helper()
	return f.testDB.audits(t, `action LIKE $1 || '%'`, prefix)
}

// roomy are limits the tests' files never reach, where the limits are
// not what is tested.
var roomy = portal.AttachmentLimits{MaxFiles: 1000, Quota: 1 << 40}

var testPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

func testPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAddAttachment(t *testing.T) {
	f := newRPFixture(t)
	ctx := t.Context()
	report := f.report(t, f.cycle, f.ngoA, "draft")

	t.Run("OK", func(t *testing.T) {
		att, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentSupporting, `C:\docs\活动照片.pdf`, portal.TypePDF, testPDF, roomy)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(testPDF)
		if att.ID == 0 || att.ReportID != report || att.NGOID != f.ngoA || att.Kind != portal.AttachmentSupporting ||
			att.Filename != "活动照片.pdf" || att.ContentType != portal.TypePDF || att.Size != int64(len(testPDF)) ||
			!bytes.Equal(att.SHA256, sum[:]) || att.UploadedBy != f.staffA.UserID || att.UploadedByEmail != f.staffA.Email {
			t.Errorf("saved %+v", att)
		}
		audits := f.audits(t, "attachment.")
		if len(audits) != 1 || audits[0].Action != portal.AuditAttachmentAdded || audits[0].ObjectID != att.ID ||
			audits[0].NGOID != f.ngoA || audits[0].ActorID != f.staffA.UserID ||
			audits[0].Changes["filename"].After != "活动照片.pdf" {
			t.Errorf("audit %+v", audits)
		}
	})

	t.Run("ErrAnotherNGOsReport", func(t *testing.T) {
		_, err := f.db.AddAttachment(ctx, f.staffB, f.ngoB, report, portal.AttachmentSupporting, "x.pdf", portal.TypePDF, testPDF, roomy)
		if !errorsIs(err, portal.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})

	t.Run("ErrClaimedTypeIsNotTheContent", func(t *testing.T) {
		_, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentSupporting, "x.png", portal.TypePNG, testPDF, roomy)
		if !errorsIs(err, portal.ErrUnsupportedType) {
			t.Fatalf("err = %v, want ErrUnsupportedType", err)
		}
	})

	t.Run("ErrHTMLRenamedPNG", func(t *testing.T) {
		_, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "x.png", portal.TypePNG, []byte("<html><script>alert(1)</script></html>"), roomy)
		if !errorsIs(err, portal.ErrUnsupportedType) {
			t.Fatalf("err = %v, want ErrUnsupportedType", err)
		}
	})

	t.Run("ErrEmpty", func(t *testing.T) {
		_, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentSupporting, "x.pdf", portal.TypePDF, nil, roomy)
		if !errorsIs(err, portal.ErrEmptyFile) {
			t.Fatalf("err = %v, want ErrEmptyFile", err)
		}
	})

	t.Run("ErrUnknownKind", func(t *testing.T) {
		_, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, "photo", "x.pdf", portal.TypePDF, testPDF, roomy)
		if err == nil {
			t.Fatal("stored an attachment of an unknown kind")
		}
	})

	list, err := f.db.ListAttachments(ctx, report)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Errorf("%d attachments after one success, want 1", len(list))
	}
}

func TestCoverReplacement(t *testing.T) {
	f := newRPFixture(t)
	ctx := t.Context()
	report := f.report(t, f.cycle, f.ngoA, "returned")

	if has, err := f.db.HasCover(ctx, report); err != nil || has {
		t.Fatalf("HasCover before any upload = %v, %v", has, err)
	}
	support, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentSupporting, "附件.pdf", portal.TypePDF, testPDF, roomy)
	if err != nil {
		t.Fatal(err)
	}
	first, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "封面.png", portal.TypePNG, testPNG(t), roomy)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "封面（盖章）.pdf", portal.TypePDF, testPDF, roomy)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OKOneCoverTheNewest", func(t *testing.T) {
		list, err := f.db.ListAttachments(ctx, report)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != second.ID || list[0].Kind != portal.AttachmentCover || list[1].ID != support.ID {
			t.Fatalf("attachments %+v; want the new cover first, then the supporting file", list)
		}
		if _, err := f.db.AttachmentForAdmin(ctx, first.ID); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("the replaced cover is still there: %v", err)
		}
		if has, err := f.db.HasCover(ctx, report); err != nil || !has {
			t.Errorf("HasCover = %v, %v", has, err)
		}
	})

	t.Run("OKAuditedAsReplacement", func(t *testing.T) {
		audits := f.audits(t, "attachment.")
		if len(audits) != 3 {
			t.Fatalf("%d audit rows, want 3: %+v", len(audits), audits)
		}
		r := audits[2]
		if r.Action != portal.AuditAttachmentReplaced || r.ObjectID != second.ID {
			t.Errorf("last audit %+v", r)
		}
		if c := r.Changes["id"]; c.Before != float64(first.ID) || c.After != float64(second.ID) {
			t.Errorf("id change %+v", c)
		}
		if c := r.Changes["filename"]; c.Before != "封面.png" || c.After != "封面（盖章）.pdf" {
			t.Errorf("filename change %+v", c)
		}
	})

	t.Run("ErrCoverMustBePDFOrImage", func(t *testing.T) {
		docx := []byte("PK\x03\x04") // not even a zip: refused before the cover rule
		if _, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "c.docx", portal.TypeDOCX, docx, roomy); err == nil {
			t.Fatal("stored a cover that is no PDF or image")
		}
		if has, _ := f.db.HasCover(ctx, report); !has {
			t.Error("a refused cover removed the old one")
		}
	})
}

func TestAttachmentAccess(t *testing.T) {
	f := newRPFixture(t)
	ctx := t.Context()
	report := f.report(t, f.cycle, f.ngoA, "draft")
	att, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "cover.pdf", portal.TypePDF, testPDF, roomy)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OKOwnNGO", func(t *testing.T) {
		got, err := f.db.AttachmentForNGO(ctx, f.ngoA, att.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Data, testPDF) || got.Filename != "cover.pdf" || got.ContentType != portal.TypePDF {
			t.Errorf("got %+v", got.Attachment)
		}
	})
	t.Run("ErrAnotherNGO", func(t *testing.T) {
		if _, err := f.db.AttachmentForNGO(ctx, f.ngoB, att.ID); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrNoNGO", func(t *testing.T) {
		if _, err := f.db.AttachmentForNGO(ctx, 0, att.ID); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("OKAdmin", func(t *testing.T) {
		got, err := f.db.AttachmentForAdmin(ctx, att.ID)
		if err != nil || !bytes.Equal(got.Data, testPDF) || got.NGOID != f.ngoA {
			t.Errorf("got %+v, %v", got.Attachment, err)
		}
	})
	t.Run("ErrAdminMissing", func(t *testing.T) {
		if _, err := f.db.AttachmentForAdmin(ctx, att.ID+1000); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("OKListHasNoBytes", func(t *testing.T) {
		list, err := f.db.ListAttachments(ctx, report)
		if err != nil || len(list) != 1 || list[0].Size != int64(len(testPDF)) {
			t.Errorf("list %+v, %v", list, err)
		}
	})
	t.Run("ErrDeleteAnotherNGOs", func(t *testing.T) {
		if err := f.db.DeleteAttachment(ctx, f.staffB, f.ngoB, att.ID); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
		if _, err := f.db.AttachmentForAdmin(ctx, att.ID); err != nil {
			t.Errorf("another NGO's delete removed it: %v", err)
		}
	})
	t.Run("OKDelete", func(t *testing.T) {
		if err := f.db.DeleteAttachment(ctx, f.staffA, f.ngoA, att.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AttachmentForNGO(ctx, f.ngoA, att.ID); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		audits := f.audits(t, "attachment.deleted")
		if len(audits) != 1 || audits[0].ObjectID != att.ID || audits[0].Changes["filename"].Before != "cover.pdf" {
			t.Errorf("audit %+v", audits)
		}
	})
	t.Run("ErrDeleteTwice", func(t *testing.T) {
		if err := f.db.DeleteAttachment(ctx, f.staffA, f.ngoA, att.ID); !errorsIs(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestAttachmentsReadOnlyAfterSubmit(t *testing.T) {
	f := newRPFixture(t)
	ctx := t.Context()
	report := f.report(t, f.cycle, f.ngoA, "draft")
	att, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentSupporting, "a.pdf", portal.TypePDF, testPDF, roomy)
	if err != nil {
		t.Fatal(err)
	}
	for _, status := range []string{"submitted", "accepted"} {
		t.Run("Err"+status, func(t *testing.T) {
			f.setStatus(t, report, status)
			_, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "c.pdf", portal.TypePDF, testPDF, roomy)
			if !errorsIs(err, portal.ErrAttachmentReadOnly) || !errorsIs(err, portal.ErrReportReadOnly) || !errorsIs(err, portal.ErrConflict) {
				t.Errorf("add: err = %v, want ErrAttachmentReadOnly", err)
			}
			if err := f.db.DeleteAttachment(ctx, f.staffA, f.ngoA, att.ID); !errorsIs(err, portal.ErrAttachmentReadOnly) {
				t.Errorf("delete: err = %v, want ErrAttachmentReadOnly", err)
			}
		})
	}
	t.Run("OKReturnedIsEditable", func(t *testing.T) {
		f.setStatus(t, report, "returned")
		if _, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentCover, "c.pdf", portal.TypePDF, testPDF, roomy); err != nil {
			t.Errorf("add to a returned report: %v", err)
		}
	})
	t.Run("ErrCycleClosed", func(t *testing.T) {
		f.exec(t, `UPDATE reporting_cycles SET status = 'closed' WHERE id = $1`, f.cycle)
		_, err := f.db.AddAttachment(ctx, f.staffA, f.ngoA, report, portal.AttachmentSupporting, "b.pdf", portal.TypePDF, testPDF, roomy)
		if !errorsIs(err, portal.ErrAttachmentReadOnly) {
			t.Errorf("err = %v, want ErrAttachmentReadOnly", err)
		}
	})
	list, err := f.db.ListAttachments(ctx, report)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Errorf("%d attachments, want 2 (the first file and the cover added while returned)", len(list))
	}
}

// The database itself holds one cover page per report, whatever the code
// above it does.
func TestOneCoverPerReport(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := newDemoDB(t).db
	var reportID int64
	if err := db.Pool().QueryRow(ctx, `
		INSERT INTO reports (cycle_id, ngo_id)
		SELECT c.id, n.id FROM reporting_cycles c, ngos n
		WHERE c.review_year = 2026 AND n.slug = 'women-lawyers'
		RETURNING id`).Scan(&reportID); err != nil {
		t.Fatal(err)
	}
	insert := func(kind string) error {
		_, err := db.Pool().Exec(ctx, `
			INSERT INTO report_attachments (report_id, kind, filename, content_type, size_bytes, sha256, data)
			VALUES ($1, $2, 'cover.pdf', 'application/pdf', 5, sha256('%PDF-'), '%PDF-')`, reportID, kind)
		return err
	}
	for _, kind := range []string{"cover", "supporting", "supporting"} {
		if err := insert(kind); err != nil {
			t.Fatalf("insert %s: %v", kind, err)
		}
	}
	var pgErr *pgconn.PgError
	if err := insert("cover"); !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Errorf("a second cover: err = %v, want a unique violation", err)
	}
}

// uploadAtOnce runs n uploads of testPDF at the same moment, upload i to
// reports[i%len(reports)] of NGO A with limits, and returns how many were
// stored and the refusals' errors.
func uploadAtOnce(t *testing.T, f rpFixture, n int, kind portal.AttachmentKind, reports []int64, limits portal.AttachmentLimits) (int, []error) {
	t.Helper()
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, reports[i%len(reports)], kind,
				fmt.Sprintf("证明材料-%02d.pdf", i), portal.TypePDF, testPDF, limits)
		})
	}
	close(start)
	wg.Wait()
	ok, refused := 0, []error{}
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			refused = append(refused, err)
		}
	}
	return ok, refused
}

// The limits hold under parallel uploads: the report and then its NGO are
// locked before the check, so that exactly the limit gets through.
func TestAttachmentLimitsParallel(t *testing.T) {
	t.Parallel()
	size := int64(len(testPDF))

	t.Run("OKExactlyMaxFilesPerReport", func(t *testing.T) {
		f := newRPFixture(t)
		report := f.report(t, f.cycle, f.ngoA, "draft")
		ok, refused := uploadAtOnce(t, f, 12, portal.AttachmentSupporting, []int64{report}, portal.AttachmentLimits{MaxFiles: 5, Quota: 1 << 40})
		if ok != 5 {
			t.Errorf("%d uploads got through, want exactly 5", ok)
		}
		for _, err := range refused {
			if !errorsIs(err, portal.ErrTooManyFiles) {
				t.Errorf("refused with %v, want ErrTooManyFiles", err)
			}
		}
		if n := f.id(t, `SELECT count(*) FROM report_attachments WHERE report_id = $1`, report); n != 5 {
			t.Errorf("%d files stored, want 5", n)
		}
		if n := len(f.audits(t, portal.AuditAttachmentAdded)); n != 5 {
			t.Errorf("%d upload audit rows, want 5", n)
		}
	})

	t.Run("OKExactlyTheQuotaAcrossReports", func(t *testing.T) {
		f := newRPFixture(t)
		later := f.id(t, `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline) VALUES (2031, 2032, '2031-11-01', '2031-12-31') RETURNING id`)
		reports := []int64{f.report(t, f.cycle, f.ngoA, "draft"), f.report(t, later, f.ngoA, "draft")}
		// Room for three files and most of a fourth, on two reports.
		limits := portal.AttachmentLimits{MaxFiles: 1000, Quota: 4*size - 1}
		ok, refused := uploadAtOnce(t, f, 10, portal.AttachmentSupporting, reports, limits)
		if ok != 3 {
			t.Errorf("%d uploads got through, want exactly 3", ok)
		}
		for _, err := range refused {
			if !errorsIs(err, portal.ErrStorageQuota) {
				t.Errorf("refused with %v, want ErrStorageQuota", err)
			}
		}
		usage, err := f.db.AttachmentUsage(t.Context(), f.ngoA, reports[0])
		if err != nil {
			t.Fatal(err)
		}
		if usage.NGOBytes != 3*size {
			t.Errorf("NGO A stores %d bytes, want %d", usage.NGOBytes, 3*size)
		}
		// The quota is the NGO's own: another NGO's report still takes a file.
		other := f.report(t, f.cycle, f.ngoB, "draft")
		if _, err := f.db.AddAttachment(t.Context(), f.staffB, f.ngoB, other, portal.AttachmentSupporting, "b.pdf", portal.TypePDF, testPDF, limits); err != nil {
			t.Errorf("NGO B's upload: %v", err)
		}
	})

	t.Run("OKCoverReplacedWhenFull", func(t *testing.T) {
		f := newRPFixture(t)
		report := f.report(t, f.cycle, f.ngoA, "draft")
		limits := portal.AttachmentLimits{MaxFiles: 2, Quota: 2 * size}
		if _, err := f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, report, portal.AttachmentCover, "封面.pdf", portal.TypePDF, testPDF, limits); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, report, portal.AttachmentSupporting, "a.pdf", portal.TypePDF, testPDF, limits); err != nil {
			t.Fatal(err)
		}
		// Full on both counts; a new cover takes the old one's place.
		if _, err := f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, report, portal.AttachmentCover, "封面（盖章）.pdf", portal.TypePDF, testPDF, limits); err != nil {
			t.Errorf("replacing the cover of a full report: %v", err)
		}
		// A larger cover does not fit: refused, and the old one stays.
		bigger := append(slices.Clone(testPDF), ' ')
		_, err := f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, report, portal.AttachmentCover, "大封面.pdf", portal.TypePDF, bigger, limits)
		if !errorsIs(err, portal.ErrStorageQuota) {
			t.Errorf("a larger cover over the quota: err = %v, want ErrStorageQuota", err)
		}
		list, err := f.db.ListAttachments(t.Context(), report)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Filename != "封面（盖章）.pdf" {
			t.Errorf("files after the refusal: %+v", list)
		}
		_, err = f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, report, portal.AttachmentSupporting, "b.pdf", portal.TypePDF, testPDF, portal.AttachmentLimits{MaxFiles: 2, Quota: 1 << 40})
		if !errorsIs(err, portal.ErrTooManyFiles) {
			t.Errorf("a third file: err = %v, want ErrTooManyFiles", err)
		}
	})

	t.Run("OKLongNameShortened", func(t *testing.T) {
		f := newRPFixture(t)
		report := f.report(t, f.cycle, f.ngoA, "draft")
		att, err := f.db.AddAttachment(t.Context(), f.staffA, f.ngoA, report, portal.AttachmentSupporting, strings.Repeat("长", 300)+".pdf", portal.TypePDF, testPDF, roomy)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Repeat("长", 83) + ".pdf"; att.Filename != want {
			t.Errorf("stored as %q (%d bytes), want %q", att.Filename, len(att.Filename), want)
		}
	})
}

// The database refuses a file name over 100 characters or 255 bytes,
// whatever the code above it does.
func TestAttachmentFilenameCheck(t *testing.T) {
	t.Parallel()
	f := newRPFixture(t)
	report := f.report(t, f.cycle, f.ngoA, "draft")
	for _, c := range []struct {
		name, filename string
		ok             bool
	}{
		{"OK85Chinese", strings.Repeat("长", 85), true},
		{"OK100Latin", strings.Repeat("a", 100), true},
		{"Err86Chinese", strings.Repeat("长", 86), false},
		{"Err101Latin", strings.Repeat("a", 101), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.db.Pool().Exec(t.Context(), `
				INSERT INTO report_attachments (report_id, kind, filename, content_type, size_bytes, sha256, data)
				VALUES ($1, 'supporting', $2, 'application/pdf', 1, sha256('x'), 'x')`, report, c.filename)
			var pgErr *pgconn.PgError
			if c.ok && err != nil || !c.ok && !(errors.As(err, &pgErr) && pgErr.Code == "23514") {
				t.Errorf("insert of %d characters, %d bytes: err = %v, want ok %v", len([]rune(c.filename)), len(c.filename), err, c.ok)
			}
		})
	}
}
