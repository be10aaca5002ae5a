package reportjourney

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// ajUpload chooses kind and the file at path on the attachments page and
// submits the form.
func ajUpload(t *testing.T, ctx context.Context, kind, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#f-kind-"+kind))); err != nil {
		t.Fatalf("choose %s: %v", kind, err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{path})); err != nil {
		t.Fatalf("choose the file: %v", err)
	}
	browsertest.ClickAndWait(t, ctx, `main form[enctype="multipart/form-data"] button[type="submit"]`)
}

// ajFile writes a PDF-looking file of size bytes and returns its path.
func ajFile(t *testing.T, name string, size int) string {
	t.Helper()
	data := make([]byte, size)
	copy(data, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
	copy(data[size-6:], "%%EOF\n")
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Staff upload files too large for the portal, well over the body cap and
// just over the file limit: each time they stay on the attachments page,
// signed in, told the limit. Then deleting the cover asks first, and
// cancelling keeps it.
func TestAttachmentJourney(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	cycleID := rjOpenCycle(t, p)
	const lang = "zh-CN"
	staff := rjSignIn(t, p, browsertest.Options{Lang: lang}, demo.StaffEmail(4), "/ngo")
	reportID := rjStart(t, staff, lang, cycleID, "工作报告", "2026年度工作报告", "报告已创建。")
	list := fmt.Sprintf("/ngo/reports/%d/attachments", reportID)
	browsertest.Navigate(t, staff, p.URL+list)
	browsertest.WantPage(t, staff, lang, "2026年度工作报告附件", "尚未上传附件。")

	// An oversized upload keeps the page.
	for _, c := range []struct {
		name string
		size int
	}{{"well-over.pdf", 12 << 20}, {"just-over.pdf", 10<<20 + 600<<10}} {
		ajUpload(t, staff, "supporting", ajFile(t, c.name, c.size))
		if loc := browsertest.Location(t, staff); !strings.HasSuffix(loc, list) {
			t.Errorf("%s: landed on %s", c.name, loc)
		}
		browsertest.WantPage(t, staff, lang, "2026年度工作报告附件", "文件超过大小上限（10 MB）。", "尚未上传附件。")
		if n := browsertest.Count(t, staff, `header form.signout`); n != 1 {
			t.Errorf("%s: the header shows no sign-out: the page forgot who is signed in", c.name)
		}
		browsertest.WantText(t, staff, "header", "刘洋")
		if !browsertest.Checked(t, staff, "#f-kind-supporting") {
			t.Errorf("%s: the kind chosen was lost", c.name)
		}
	}

	// Delete asks first.
	ajUpload(t, staff, "cover", ajFile(t, "signed-cover.pdf", 2048))
	browsertest.WantPage(t, staff, lang, "2026年度工作报告附件", "“signed-cover.pdf”已上传。")
	browsertest.ClickAndWait(t, staff, `main table.attachment-table a.danger`)
	browsertest.WantPage(t, staff, lang, "删除“signed-cover.pdf”？",
		"此操作将从2026年度工作报告中删除文件“signed-cover.pdf”（封面，2 KB），删除后无法恢复。")
	browsertest.CheckPageNoJS(t, staff, "delete confirmation", false)
	browsertest.ClickAndWait(t, staff, chromedp.CSS(`main a[href="`+list+`"]`))
	browsertest.WantText(t, staff, "main table.attachment-table", "signed-cover.pdf")
	browsertest.ClickAndWait(t, staff, `main table.attachment-table a.danger`)
	browsertest.ClickAndWait(t, staff, `main form button.danger[type="submit"]`)
	browsertest.WantPage(t, staff, lang, "2026年度工作报告附件", "文件已删除。", "尚未上传附件。")
}

// leaveAsks clicks the link sel and reports whether the browser asked
// before leaving (a beforeunload dialog), which it then dismisses, staying.
func leaveAsks(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	dialog := make(chan page.DialogType, 1)
	loaded := make(chan struct{}, 1)
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := chromedp.Listen(lctx, func(ev any) {
		switch e := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			select {
			case dialog <- e.Type:
			default:
			}
		case *page.EventLoadEventFired:
			select {
			case loaded <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	// The click does not return while a dialog is open: it runs aside.
	clicked := make(chan error, 1)
	go func() { clicked <- chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))) }()
	asked := false
	select {
	case typ := <-dialog:
		if typ != page.DialogTypeBeforeunload {
			t.Errorf("a %s dialog, want beforeunload", typ)
		}
		if _, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
			return err
		})); err != nil {
			t.Fatalf("dismiss the dialog: %v", err)
		}
		asked = true
	case <-loaded:
	case <-time.After(15 * time.Second):
		t.Fatalf("clicking %s neither asked nor left", sel)
	}
	if err := <-clicked; err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	return asked
}

// Where scripts run, leaving the attachments form after choosing
// something asks first; leaving it untouched, or uploading, does not.
func TestAttachmentUnsavedWarns(t *testing.T) {
	t.Parallel()
	p := browsertest.StartPortal(t)
	cycleID := rjOpenCycle(t, p)
	const lang = "en"
	staff := rjSignIn(t, p, browsertest.Options{Lang: lang}, demo.StaffEmail(4), "/ngo")
	reportID := rjStart(t, staff, lang, cycleID, "Work reports", "Work report 2026", "The report is started.")
	list := fmt.Sprintf("%s/ngo/reports/%d/attachments", p.URL, reportID)
	browsertest.SetJavaScript(t, staff, true)
	back := fmt.Sprintf(`main a[href="/ngo/reports/%d"]`, reportID)

	browsertest.Navigate(t, staff, list)
	if leaveAsks(t, staff, back) {
		t.Error("leaving an untouched form asked first")
	}

	browsertest.Navigate(t, staff, list)
	if err := chromedp.Do(staff, chromedp.Click(chromedp.CSS("#f-kind-supporting"))); err != nil {
		t.Fatal(err)
	}
	if !leaveAsks(t, staff, back) {
		t.Fatal("leaving a changed form did not ask first")
	}
	if loc := browsertest.Location(t, staff); loc != list {
		t.Errorf("after staying the page is %s", loc)
	}

	// Submitting the changed form is not leaving it.
	ajUpload(t, staff, "supporting", ajFile(t, "evidence.pdf", 1024))
	browsertest.WantPage(t, staff, lang, "Attachments of the 2026 work report", "“evidence.pdf” has been uploaded.")
}
