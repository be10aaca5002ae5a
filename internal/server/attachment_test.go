package server

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"ngoportal/internal/portal"
)

func init() {
	for k, v := range map[string]access{
		"GET /ngo/reports/{id}/attachments":                 staffOfA,
		"POST /ngo/reports/{id}/attachments":                staffOfA,
		"GET /ngo/reports/{id}/attachments/{attID}":         staffOfA,
		"GET /ngo/reports/{id}/attachments/{attID}/delete":  staffOfA,
		"POST /ngo/reports/{id}/attachments/{attID}/delete": staffOfA,
		"GET /admin/reports/{id}/attachments/{attID}":       officials,
	} {
		routeRules[k] = v
	}
	// NGO A's report in the open 2026 cycle (the one the staff report
	// pages use too) with one attachment on it, as {attID}. The admin route
	// needs the same report, or the attachment would not belong to it.
	matrixFixtures = append(matrixFixtures, func(t *testing.T, h *harness, ngoA int64, ids, objectIDs map[string]string) {
		const staffKey, adminKey = "/ngo/reports/{id}", "/admin/reports/{id}"
		reportParam, ok := ids[staffKey]
		if !ok {
			reportParam = strconv.FormatInt(attReport(t, h, ngoA, 2026), 10)
			ids[staffKey] = reportParam
		}
		if _, ok := ids[adminKey]; !ok {
			ids[adminKey] = reportParam
		}
		reportID, _ := strconv.ParseInt(reportParam, 10, 64)
		a := portal.Actor{ClientAddr: netip.MustParseAddr("192.0.2.1"), RequestID: "matrix"}
		att, err := h.db.AddAttachment(t.Context(), a, ngoA, reportID, portal.AttachmentSupporting, "matrix.png", portal.TypePNG, attPNG(t, 2), attRoomy)
		if err != nil {
			t.Fatalf("matrix attachment: %v", err)
		}
		objectIDs["{attID}"] = strconv.FormatInt(att.ID, 10)
	})
}

// attRoomy are limits the fixtures' files never reach.
var attRoomy = portal.AttachmentLimits{MaxFiles: 1000, Quota: 1 << 40}

// attReport returns NGO ngo's report in the cycle of reviewYear, inserting
// a draft when it has none (plain SQL: no deadline applies to a fixture).
func attReport(t *testing.T, h *harness, ngoID int64, reviewYear int) int64 {
	t.Helper()
	var id int64
	err := h.db.Pool().QueryRow(t.Context(), `
		WITH c AS (SELECT id FROM reporting_cycles WHERE review_year = $2),
		ins AS (
			INSERT INTO reports (cycle_id, ngo_id) SELECT c.id, $1 FROM c
			ON CONFLICT (cycle_id, ngo_id) DO NOTHING RETURNING id)
		SELECT id FROM ins
		UNION ALL
		SELECT r.id FROM reports r JOIN c ON c.id = r.cycle_id WHERE r.ngo_id = $1`, ngoID, reviewYear).Scan(&id)
	if err != nil {
		t.Fatalf("report of NGO %d for %d: %v", ngoID, reviewYear, err)
	}
	return id
}

// attPNG is a valid PNG of side×side pixels.
func attPNG(t *testing.T, side int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, side, side))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// attPDF is a file that sniffs as a PDF, padded to size bytes.
func attPDF(size int) []byte {
	b := []byte("%PDF-1.4\n% test\n")
	if size > len(b) {
		b = append(b, bytes.Repeat([]byte("0"), size-len(b))...)
	}
	return b
}

// attDOCX is a minimal Word document (accepted as a supporting file only).
func attDOCX(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`,
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// attFile is one file part of an upload; name "" sends no file part.
type attFile struct {
	name string
	data []byte
}

// uploadBody is a multipart form with kind (omitted when "") and file.
func uploadBody(t *testing.T, kind string, f attFile) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if kind != "" {
		if err := mw.WriteField("kind", kind); err != nil {
			t.Fatal(err)
		}
	}
	if f.name != "" {
		w, err := mw.CreateFormFile("file", f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

// postUpload is a POST of an upload form to path.
func postUpload(t *testing.T, path, kind string, f attFile, headers ...string) *http.Request {
	t.Helper()
	body, ct := uploadBody(t, kind, f)
	r := httptest.NewRequest(http.MethodPost, path, body)
	r.Header.Set("Content-Type", ct)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	return r
}

// attFixture is a harness with NGO "women-lawyers"'s draft in the 2026
// cycle, a staff member of it, a staff member of another NGO and an admin.
type attFixture struct {
	h                   *harness
	ngo, report         int64
	staff, other, admin *http.Cookie
}

func newAttFixture(t *testing.T, env map[string]string) attFixture {
	t.Helper()
	h := newHarness(t, env)
	f := attFixture{h: h, ngo: ngoIDBySlug(t, h, "women-lawyers")}
	f.report = attReport(t, h, f.ngo, 2026)
	other := ngoIDBySlug(t, h, "women-artists")
	f.staff = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, f.ngo, "att-staff@example.org", "律师会员"))
	f.other = h.sessionCookie(t, createUser(t, h, portal.RoleStaff, other, "att-other@example.org", "艺术家会员"))
	f.admin = h.sessionCookie(t, createUser(t, h, portal.RoleAdmin, 0, "att-admin@example.org", "管理员"))
	return f
}

func (f attFixture) listPath() string { return staffAttachmentsPath(f.report) }

// count returns a number a query finds.
func (f attFixture) count(t *testing.T, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.h.db.Pool().QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (f attFixture) attachments(t *testing.T) int64 {
	t.Helper()
	return f.count(t, `SELECT count(*) FROM report_attachments WHERE report_id = $1`, f.report)
}

// upload posts a file as the NGO's staff and wants 303 back to the list;
// it returns the new attachment's id.
func (f attFixture) upload(t *testing.T, kind string, file attFile) int64 {
	t.Helper()
	res := f.h.as(t, f.staff, postUpload(t, f.listPath(), kind, file))
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload %s: status %d, want 303\n%s", file.name, res.status, res.body)
	}
	loc, err := url.Parse(res.header.Get("Location"))
	if err != nil || loc.Path != f.listPath() {
		t.Fatalf("Location %q, want %s?…", res.header.Get("Location"), f.listPath())
	}
	raw := loc.Query().Get("added") + loc.Query().Get("replaced")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		t.Fatalf("Location %q names no attachment", loc)
	}
	return id
}

func TestAttachmentUpload(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	h := f.h

	t.Run("OKPageAndForm", func(t *testing.T) {
		res := h.as(t, f.staff, get(f.listPath()))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "<h1>2026年度工作报告附件</h1>", `href="`+attachmentReportPath(f.report)+`"`,
			`enctype="multipart/form-data"`, `type="file"`, `accept="`+".pdf,.png", `name="kind" value="cover" checked`,
			"单个文件不超过10 MB", "尚未上传附件。")
	})
	var cover int64
	t.Run("OKCoverPDF", func(t *testing.T) {
		cover = f.upload(t, "cover", attFile{"封面.pdf", attPDF(1500)})
		res := h.as(t, f.staff, get(staffAttachmentsPathWith(f.report, "added", cover)))
		wantContains(t, res.body, "“封面.pdf”已上传。", "封面.pdf", "1.5 KB", "att-staff@example.org",
			`href="`+f.listPath()+"/"+strconv.FormatInt(cover, 10)+`"`,
			`href="`+f.listPath()+"/"+strconv.FormatInt(cover, 10)+`/delete"`,
			`name="kind" value="supporting" checked`)
		// The list deletes nothing itself: each row asks first.
		wantAbsent(t, res.body, `action="`+f.listPath()+"/"+strconv.FormatInt(cover, 10)+`/delete"`)
		// The flash is gone on reload; the query alone names nothing.
		res = h.as(t, f.staff, get(staffAttachmentsPathWith(f.report, "added", cover)))
		wantAbsent(t, res.body, "已上传。")
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditAttachmentAdded, cover); n != 1 {
			t.Errorf("%d audit rows for the upload, want 1", n)
		}
	})
	t.Run("OKReplaceCover", func(t *testing.T) {
		next := f.upload(t, "cover", attFile{"cover-signed.png", attPNG(t, 4)})
		if n := f.count(t, `SELECT count(*) FROM report_attachments WHERE report_id = $1 AND kind = 'cover'`, f.report); n != 1 {
			t.Fatalf("%d covers, want 1", n)
		}
		if n := f.count(t, `SELECT count(*) FROM report_attachments WHERE id = $1`, cover); n != 0 {
			t.Error("the old cover is still there")
		}
		res := h.as(t, f.staff, get(staffAttachmentsPathWith(f.report, "replaced", next), "Accept-Language", "en"))
		wantContains(t, res.body, "The cover page has been replaced by “cover-signed.png”.")
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditAttachmentReplaced, next); n != 1 {
			t.Errorf("%d replacement audit rows, want 1", n)
		}
	})
	t.Run("OKPNGRenamedPDF", func(t *testing.T) {
		id := f.upload(t, "supporting", attFile{"photo.pdf", attPNG(t, 3)})
		var ct string
		if err := h.db.Pool().QueryRow(t.Context(), `SELECT content_type FROM report_attachments WHERE id = $1`, id).Scan(&ct); err != nil {
			t.Fatal(err)
		}
		if ct != portal.TypePNG {
			t.Errorf("stored as %q, want %q", ct, portal.TypePNG)
		}
	})
	t.Run("OKTwoMegabytes", func(t *testing.T) {
		// Twice the 1 MB body cap: the upload route's cap is raised.
		f.upload(t, "supporting", attFile{"big.pdf", attPDF(2 << 20)})
	})
	t.Run("ErrTwoMegabytesElsewhere", func(t *testing.T) {
		// The same body to any other route is still refused at 1 MB.
		for _, path := range []string{f.listPath() + "/1/delete", f.listPath() + "/", "/ngo/reports/" + strconv.FormatInt(f.report, 10)} {
			res := h.as(t, f.staff, postUpload(t, path, "supporting", attFile{"big.pdf", attPDF(2 << 20)}))
			if res.status != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: status %d, want 413", path, res.status)
			}
		}
	})

	before := f.attachments(t)
	cases := []struct {
		name, kind string
		file       attFile
		lang       string
		want       []string
	}{
		{"ErrHTMLNamedPDF", "supporting", attFile{"cover.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}, "zh-CN",
			[]string{"不接受此类文件", `name="kind" value="supporting" checked`}},
		{"ErrExecutable", "supporting", attFile{"report.exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 200)...)}, "en",
			[]string{"This type of file is not accepted", `aria-invalid="true"`}},
		{"ErrUnknownContent", "cover", attFile{"cover.doc", []byte("not really a document at all")}, "en",
			[]string{"This type of file is not accepted"}},
		{"ErrCoverWordDocument", "cover", attFile{"cover.docx", attDOCX(t)}, "en",
			[]string{"The cover page must be a PDF or an image"}},
		{"ErrEmpty", "cover", attFile{"empty.pdf", nil}, "zh-CN", []string{"文件为空。"}},
		{"ErrNoFile", "cover", attFile{}, "zh-CN", []string{"请选择要上传的文件。"}},
		{"ErrNoKind", "", attFile{"a.pdf", attPDF(100)}, "en", []string{"Choose whether the file is the cover page or a supporting file."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := h.as(t, f.staff, postUpload(t, f.listPath(), tc.kind, tc.file, "Accept-Language", tc.lang))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			wantContains(t, res.body, tc.want...)
			wantContains(t, res.body, `class="error-summary"`, `type="file"`)
			if n := f.attachments(t); n != before {
				t.Errorf("%d attachments, want %d: the refused file was stored", n, before)
			}
		})
	}
	t.Run("ErrCrossOrigin", func(t *testing.T) {
		res := h.as(t, f.staff, postUpload(t, f.listPath(), "supporting", attFile{"a.pdf", attPDF(100)}, "Sec-Fetch-Site", "cross-site"))
		if res.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403", res.status)
		}
		if n := f.attachments(t); n != before {
			t.Error("a cross-origin upload was stored")
		}
	})
	t.Run("ErrNotMultipart", func(t *testing.T) {
		res := h.as(t, f.staff, postForm(f.listPath(), url.Values{"kind": {"cover"}}))
		if res.status != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", res.status)
		}
	})
}

func TestAttachmentSizeLimit(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, map[string]string{"PORTAL_MAX_UPLOAD_BYTES": "2048"})
	h := f.h

	t.Run("OKAtTheLimit", func(t *testing.T) {
		f.upload(t, "supporting", attFile{"exact.pdf", attPDF(2048)})
	})
	before := f.attachments(t)
	// Whatever the size, the reader stays on the attachments page, signed
	// in, with the limit named and the kind kept: a file just over the
	// limit, one over the route's cap (1 MB body + 2 KB upload), the same
	// without Content-Length (the cap is found while reading).
	over := func(t *testing.T, size int, unannounced bool, lang string) {
		t.Helper()
		r := postUpload(t, f.listPath(), "supporting", attFile{"scan.pdf", attPDF(size)}, "Accept-Language", lang)
		if unannounced {
			r.Body = io.NopCloser(io.MultiReader(r.Body))
			r.ContentLength = -1
		}
		res := h.as(t, f.staff, r)
		if res.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", res.status)
		}
		want := map[string]string{"zh-CN": "文件超过大小上限（2 KB）。", "en": "The file is larger than the limit of 2 KB."}[lang]
		wantContains(t, res.body, want, `id="f-file-error"`, `name="kind" value="supporting" checked`,
			`action="`+logoutPath+`"`, "律师会员", `enctype="multipart/form-data"`)
		wantAbsent(t, res.body, "提交的内容过大", "larger than allowed")
		if n := f.attachments(t); n != before {
			t.Errorf("%d attachments, want %d", n, before)
		}
	}
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run("ErrJustOverTheLimit/"+lang, func(t *testing.T) { over(t, 2049, false, lang) })
	}
	t.Run("ErrOverRaisedCap", func(t *testing.T) { over(t, 2<<20, false, "zh-CN") })
	t.Run("ErrWellOverRaisedCap", func(t *testing.T) { over(t, 12<<20, false, "en") })
	t.Run("ErrOverRaisedCapUnannounced", func(t *testing.T) { over(t, 2<<20, true, "zh-CN") })
}

func TestAttachmentDownload(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	h := f.h
	data := attPDF(777)
	id := f.upload(t, "cover", attFile{"年度报告 封面", data})
	path := f.listPath() + "/" + strconv.FormatInt(id, 10)
	adminPath := adminAttachmentsPath(f.report) + "/" + strconv.FormatInt(id, 10)

	for _, c := range []struct {
		name, path string
		cookie     *http.Cookie
	}{{"OKStaff", path, f.staff}, {"OKAdmin", adminPath, f.admin}} {
		t.Run(c.name, func(t *testing.T) {
			res := h.as(t, c.cookie, get(c.path))
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			if res.body != string(data) {
				t.Error("the body is not the uploaded file")
			}
			want := map[string]string{
				"Content-Type":            "application/pdf",
				"Content-Disposition":     "attachment; filename*=utf-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A%20%E5%B0%81%E9%9D%A2.pdf",
				"X-Content-Type-Options":  "nosniff",
				"Cache-Control":           "private, no-store",
				"Content-Length":          "777",
				"Content-Security-Policy": "sandbox; default-src 'none'",
			}
			for k, v := range want {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
	// Another report of the same NGO: the attachment is not under it.
	older := attReport(t, h, f.ngo, 2020)
	for _, c := range []struct {
		name, path string
		cookie     *http.Cookie
	}{
		{"ErrOtherNGO", path, f.other},
		{"ErrOtherReportStaff", staffAttachmentsPath(older) + "/" + strconv.FormatInt(id, 10), f.staff},
		{"ErrOtherReportAdmin", adminAttachmentsPath(older) + "/" + strconv.FormatInt(id, 10), f.admin},
		{"ErrUnknown", f.listPath() + "/999999999", f.staff},
		{"ErrBadID", f.listPath() + "/01", f.staff},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := h.as(t, c.cookie, get(c.path))
			if res.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", res.status)
			}
			if strings.Contains(res.body, string(data)) {
				t.Error("the file leaked")
			}
		})
	}
}

func TestAttachmentOtherNGO(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	h := f.h
	id := f.upload(t, "supporting", attFile{"evidence.png", attPNG(t, 2)})
	one := f.listPath() + "/" + strconv.FormatInt(id, 10)
	for _, c := range []struct {
		name string
		r    func() *http.Request
	}{
		{"List", func() *http.Request { return get(f.listPath()) }},
		{"Upload", func() *http.Request {
			return postUpload(t, f.listPath(), "supporting", attFile{"x.pdf", attPDF(100)})
		}},
		{"DeleteConfirm", func() *http.Request { return get(one + "/delete") }},
		{"Delete", func() *http.Request { return postForm(one+"/delete", nil) }},
		{"Download", func() *http.Request { return get(one) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			if res := h.as(t, f.other, c.r()); res.status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", res.status)
			}
		})
	}
	if n := f.attachments(t); n != 1 {
		t.Errorf("%d attachments, want 1: another NGO changed them", n)
	}
}

func TestAttachmentDelete(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	h := f.h
	gone := f.upload(t, "supporting", attFile{"draft-photo.png", attPNG(t, 2)})
	kept := f.upload(t, "cover", attFile{"cover.pdf", attPDF(300)})

	t.Run("OKAsksFirst", func(t *testing.T) {
		// The list links to a page that says what goes and deletes nothing.
		list := h.as(t, f.staff, get(f.listPath()))
		confirm := fmt.Sprintf("%s/%d/delete", f.listPath(), kept)
		wantContains(t, list.body, `<a class="button danger" href="`+confirm+`">`)
		for _, c := range []struct{ lang, h1, body, note string }{
			{"zh-CN", "删除“cover.pdf”？", "此操作将从2026年度工作报告中删除文件“cover.pdf”（封面，300 字节），删除后无法恢复。", "删除后报告将没有封面，需要重新上传。"},
			{"en", "Delete “cover.pdf”?", "This removes the file “cover.pdf” (Cover page, 300 bytes) from the 2026 work report. It cannot be undone.", "The report will have no cover page until you upload another one."},
		} {
			res := h.as(t, f.staff, get(confirm, "Accept-Language", c.lang))
			if res.status != http.StatusOK {
				t.Fatalf("%s: status %d", c.lang, res.status)
			}
			wantContains(t, res.body, "<h1>"+c.h1+"</h1>", c.body, c.note,
				`<form method="post" action="`+confirm+`"`, `<button type="submit" class="danger">`,
				`<a href="`+f.listPath()+`">`)
		}
		if n := f.count(t, `SELECT count(*) FROM report_attachments WHERE id = $1`, kept); n != 1 {
			t.Fatal("asking deleted the file")
		}
		res := h.as(t, f.staff, get(fmt.Sprintf("%s/%d/delete", staffAttachmentsPath(attReport(t, h, f.ngo, 2020)), kept)))
		if res.status != http.StatusNotFound {
			t.Errorf("asked through another report's path: status %d, want 404", res.status)
		}
	})
	t.Run("OK", func(t *testing.T) {
		res := h.as(t, f.staff, postForm(fmt.Sprintf("%s/%d/delete", f.listPath(), gone), nil))
		if res.status != http.StatusSeeOther || res.header.Get("Location") != f.listPath() {
			t.Fatalf("status %d Location %q, want 303 to the list", res.status, res.header.Get("Location"))
		}
		if n := f.count(t, `SELECT count(*) FROM report_attachments WHERE id = $1`, gone); n != 0 {
			t.Fatal("the attachment is still there")
		}
		if n := f.count(t, `SELECT count(*) FROM audit_log WHERE action = $1 AND object_id = $2`, portal.AuditAttachmentDeleted, gone); n != 1 {
			t.Errorf("%d audit rows, want 1", n)
		}
		page := h.as(t, f.staff, get(f.listPath(), "Accept-Language", "en"))
		wantContains(t, page.body, "The file has been deleted.", "cover.pdf")
		wantAbsent(t, page.body, "draft-photo.png")
	})
	t.Run("ErrUnderOtherReport", func(t *testing.T) {
		older := attReport(t, h, f.ngo, 2020)
		res := h.as(t, f.staff, postForm(fmt.Sprintf("%s/%d/delete", staffAttachmentsPath(older), kept), nil))
		if res.status != http.StatusNotFound {
			t.Fatalf("status %d, want 404", res.status)
		}
		if n := f.count(t, `SELECT count(*) FROM report_attachments WHERE id = $1`, kept); n != 1 {
			t.Fatal("deleted through another report's path")
		}
	})
	t.Run("ErrAlreadyGone", func(t *testing.T) {
		res := h.as(t, f.staff, postForm(fmt.Sprintf("%s/%d/delete", f.listPath(), gone), nil))
		if res.status != http.StatusNotFound {
			t.Fatalf("status %d, want 404", res.status)
		}
	})

	if _, err := h.db.Pool().Exec(t.Context(), `UPDATE reports SET status = 'submitted', submitted_at = now() WHERE id = $1`, f.report); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrSubmitted", func(t *testing.T) {
		res := h.as(t, f.staff, postForm(fmt.Sprintf("%s/%d/delete", f.listPath(), kept), nil))
		if res.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", res.status)
		}
		wantContains(t, res.body, "报告提交后不能再修改附件。")
		if n := f.count(t, `SELECT count(*) FROM report_attachments WHERE id = $1`, kept); n != 1 {
			t.Fatal("a submitted report's attachment was deleted")
		}
	})
	t.Run("ErrAskSubmitted", func(t *testing.T) {
		res := h.as(t, f.staff, get(fmt.Sprintf("%s/%d/delete", f.listPath(), kept)))
		if res.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", res.status)
		}
		wantContains(t, res.body, "报告提交后不能再修改附件。")
	})
	t.Run("ErrUploadSubmitted", func(t *testing.T) {
		res := h.as(t, f.staff, postUpload(t, f.listPath(), "supporting", attFile{"late.pdf", attPDF(100)}))
		if res.status != http.StatusConflict {
			t.Fatalf("status %d, want 409", res.status)
		}
		if n := f.attachments(t); n != 1 {
			t.Errorf("%d attachments, want 1", n)
		}
	})
	t.Run("OKReadOnlyPage", func(t *testing.T) {
		res := h.as(t, f.staff, get(f.listPath(), "Accept-Language", "en"))
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		wantContains(t, res.body, "The report has been submitted, so its files cannot change.", "cover.pdf")
		wantAbsent(t, res.body, `type="file"`, "/delete")
	})
}

// TestUploadLimitRoutes: the body cap is carried by the routes, never
// found by parsing paths. Exactly the two routes that take a file wear
// uploadLimit; every other route keeps MaxBodyBytes (ErrTwoMegabytesElsewhere
// and ErrOverRaisedCap check the caps themselves).
func TestUploadLimitRoutes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	upload := reflect.ValueOf(h.srv.uploadLimit).Pointer()
	var got []string
	err := chi.Walk(h.srv.router, func(method, route string, _ http.Handler, mws ...func(http.Handler) http.Handler) error {
		for _, mw := range mws {
			if reflect.ValueOf(mw).Pointer() == upload {
				got = append(got, method+" "+route)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{"POST /admin/sessions/{id}/summary/cover", "POST /ngo/reports/{id}/attachments"}
	if !slices.Equal(got, want) {
		t.Errorf("routes with the upload cap: %v, want %v", got, want)
	}
}

func TestAttachmentPageMarkup(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	f.upload(t, "cover", attFile{"cover.pdf", attPDF(100)})
	f.upload(t, "supporting", attFile{"photo.png", attPNG(t, 2)})
	for _, lang := range []string{"zh-CN", "en"} {
		t.Run("OK/"+lang, func(t *testing.T) {
			res := f.h.as(t, f.staff, get(f.listPath(), "Accept-Language", lang))
			wantContains(t, res.body, `<caption>`, `<th scope="col">`, `class="table-wrap"`)
			checkMarkup(t, res.body)
		})
		t.Run("ErrForm/"+lang, func(t *testing.T) {
			res := f.h.as(t, f.staff, postUpload(t, f.listPath(), "", attFile{"x.html", []byte("<html>")}, "Accept-Language", lang))
			wantContains(t, res.body, `href="#f-kind-cover"`, `href="#f-file"`)
			checkMarkup(t, res.body)
		})
	}
}

// A polyglot (a GIF header, then HTML with a script) is accepted as the
// GIF its first bytes say it is; every route that serves it back does so
// as a sandboxed download, so the script can never run as the portal. A
// 300-character Chinese name is stored and offered cut to 255 bytes on a
// character boundary, the extension kept.
func TestAttachmentDownloadPolyglot(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, nil)
	h := f.h
	polyglot := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;<html><body><script>fetch('/ngo').then(r=>r.text()).then(alert)</script></body></html>")
	id := f.upload(t, "supporting", attFile{strings.Repeat("活动照片", 75) + ".gif", polyglot})
	var name string
	if err := h.db.Pool().QueryRow(t.Context(), `SELECT filename FROM report_attachments WHERE id = $1`, id).Scan(&name); err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("活动照片", 20) + "活动照.gif"; name != want {
		t.Errorf("stored name %q (%d bytes), want %q", name, len(name), want)
	}
	page := h.as(t, f.staff, get(f.listPath()))
	wantContains(t, page.body, ">"+name+"</a>")

	wantDisposition := "attachment; filename*=utf-8''" + url.PathEscape(name)
	for _, c := range []struct {
		name, path string
		cookie     *http.Cookie
	}{
		{"OKStaff", f.listPath() + "/" + strconv.FormatInt(id, 10), f.staff},
		{"OKAdmin", adminAttachmentsPath(f.report) + "/" + strconv.FormatInt(id, 10), f.admin},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := h.as(t, c.cookie, get(c.path))
			if res.status != http.StatusOK || res.body != string(polyglot) {
				t.Fatalf("status %d, %d bytes", res.status, len(res.body))
			}
			for k, v := range map[string]string{
				"Content-Type":            portal.TypeGIF,
				"Content-Security-Policy": "sandbox; default-src 'none'",
				"X-Content-Type-Options":  "nosniff",
				"Content-Disposition":     wantDisposition,
			} {
				if got := res.header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestAttachmentLimits: the files-per-report limit and the NGO's storage
// quota, shown on the page, refused beside the file field in both
// languages with the kind kept, and held under parallel uploads.
func TestAttachmentLimits(t *testing.T) {
	t.Parallel()
	f := newAttFixture(t, map[string]string{
		"PORTAL_MAX_FILES_PER_REPORT": "3", "PORTAL_MAX_UPLOAD_BYTES": "2048", "PORTAL_NGO_STORAGE_QUOTA": "4096",
	})
	h := f.h
	// The demo's files of the NGO's earlier reports would take most of a
	// quota this small.
	if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM report_attachments a USING reports r
		WHERE r.id = a.report_id AND r.ngo_id = $1`, f.ngo); err != nil {
		t.Fatal(err)
	}

	t.Run("OKRoomShown", func(t *testing.T) {
		res := h.as(t, f.staff, get(f.listPath()))
		wantContains(t, res.body, "本报告已有0个附件，最多3个（含封面），还可上传3个。",
			"本机构所有报告的附件已用0 字节，存储上限4 KB，剩余4 KB。")
		res = h.as(t, f.staff, get(f.listPath(), "Accept-Language", "en"))
		wantContains(t, res.body, "Files on this report: 0 of at most 3 (the cover page included); 3 more can be added.",
			"Storage for your organisation&#39;s attachments on all its reports: 0 bytes of 4 KB used, 4 KB left.")
	})

	t.Run("OKExactlyMaxFilesInParallel", func(t *testing.T) {
		const n = 8
		reqs := make([]*http.Request, n)
		for i := range reqs {
			reqs[i] = postUpload(t, f.listPath(), "supporting", attFile{fmt.Sprintf("scan-%d.pdf", i), attPDF(100)})
			reqs[i].AddCookie(f.staff)
		}
		res := make([]response, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range reqs {
			wg.Go(func() {
				<-start
				res[i] = h.do(t, reqs[i])
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, r := range res {
			switch r.status {
			case http.StatusSeeOther:
				ok++
			case http.StatusUnprocessableEntity:
				wantContains(t, r.body, "本报告已有3个附件，达到每份报告的上限。", `id="f-file-error"`,
					`name="kind" value="supporting" checked`, "还可上传0个。")
			default:
				t.Errorf("status %d", r.status)
			}
		}
		if ok != 3 || f.attachments(t) != 3 {
			t.Errorf("%d uploads answered 303, %d stored; want exactly 3", ok, f.attachments(t))
		}
	})

	t.Run("ErrReportFull/en", func(t *testing.T) {
		res := h.as(t, f.staff, postUpload(t, f.listPath(), "supporting", attFile{"one-more.pdf", attPDF(100)}, "Accept-Language", "en"))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.status)
		}
		wantContains(t, res.body, "This report already has 3 files, the most a report may have.", `class="error-summary"`, `href="#f-file"`)
	})

	t.Run("OKCoverReplacesWhenFull", func(t *testing.T) {
		if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM report_attachments WHERE id = (SELECT min(id) FROM report_attachments WHERE report_id = $1)`, f.report); err != nil {
			t.Fatal(err)
		}
		f.upload(t, "cover", attFile{"封面.pdf", attPDF(200)})
		f.upload(t, "cover", attFile{"封面（盖章）.pdf", attPDF(300)})
		if n := f.attachments(t); n != 3 {
			t.Errorf("%d attachments, want 3", n)
		}
	})

	// Another report of the NGO: its files count towards the same quota
	// (2 × 100 bytes and the cover's 300 stored so far, then 2 KB here).
	if _, err := h.db.Pool().Exec(t.Context(), `INSERT INTO reporting_cycles (review_year, plan_year, opens_on, deadline)
		VALUES (2045, 2046, '2045-11-01', '2045-12-31')`); err != nil {
		t.Fatal(err)
	}
	older := attReport(t, h, f.ngo, 2045)
	olderPath := staffAttachmentsPath(older)
	for _, c := range []struct{ lang, want string }{
		{"zh-CN", "此文件（2 KB）放不下：本机构所有报告的附件已用2.5 KB，存储上限4 KB，剩余1.5 KB。"},
		{"en", "This file (2 KB) does not fit: your organisation&#39;s attachments on all its reports take 2.5 KB of its 4 KB of storage, 1.5 KB left."},
	} {
		t.Run("OKQuotaAcrossReports/"+c.lang, func(t *testing.T) {
			res := h.as(t, f.staff, postUpload(t, olderPath, "supporting", attFile{"a.pdf", attPDF(2048)}))
			if res.status != http.StatusSeeOther {
				t.Fatalf("first file: status %d, want 303", res.status)
			}
			res = h.as(t, f.staff, postUpload(t, olderPath, "supporting", attFile{"b.pdf", attPDF(2048)}, "Accept-Language", c.lang))
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			wantContains(t, res.body, c.want, `name="kind" value="supporting" checked`, `aria-invalid="true"`)
			if _, err := h.db.Pool().Exec(t.Context(), `DELETE FROM report_attachments WHERE report_id = $1`, older); err != nil {
				t.Fatal(err)
			}
		})
	}
}
