package browsertest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/demo"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAttachmentOversizeRepro(t *testing.T) {
	p := StartPortal(t)
	cycleID := rjOpenCycle(t, p)
	staff := rjSignIn(t, p, Options{Lang: "zh-CN"}, demo.StaffEmail(4), "/ngo")
	id := rjStart(t, staff, "zh-CN", cycleID, "工作报告", "2026年度工作报告", "报告已创建。")
	navigate(t, staff, p.URL+"/ngo/reports/"+itoa(id)+"/attachments")
	for _, size := range []int{12 << 20, 10<<20 + 600<<10} {
		f := filepath.Join(t.TempDir(), "big.pdf")
		data := make([]byte, size)
		copy(data, "%PDF-1.4\n")
		os.WriteFile(f, data, 0o600)
		if err := chromedp.Do(staff, chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{f})); err != nil {
			t.Fatal(err)
		}
		clickAndWait(t, staff, `main form[enctype="multipart/form-data"] button[type="submit"]`)
		t.Logf("%d: %s\nheader: %s\nmain: %s", size, location(t, staff), text(t, staff, "header"), text(t, staff, "main"))
		navigate(t, staff, p.URL+"/ngo/reports/"+itoa(id)+"/attachments")
	}
}
