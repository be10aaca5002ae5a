package portal_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"ngoportal/internal/portal"
)

// Minimal real files, built here so that the test shows what each is.

func pngFile(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.White, color.Black}), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pdfFile() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// zipFile builds a zip holding the named parts.
func zipFile(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const contentTypesXML = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`

func docxFile(t *testing.T) []byte {
	return zipFile(t, map[string]string{"[Content_Types].xml": contentTypesXML, "word/document.xml": "<w:document/>"})
}

func xlsxFile(t *testing.T) []byte {
	return zipFile(t, map[string]string{"[Content_Types].xml": contentTypesXML, "xl/workbook.xml": "<workbook/>"})
}

// oleFile builds a minimal compound file (512-byte sectors: sector 0 the
// FAT, sector 1 the directory) whose directory holds the root and one
// stream of the given name.
func oleFile(stream string) []byte {
	le := binary.LittleEndian
	b := make([]byte, 512*3)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(b[0x18:], 0x3E)
	le.PutUint16(b[0x1A:], 3)
	le.PutUint16(b[0x1C:], 0xFFFE)
	le.PutUint16(b[0x1E:], 9)
	le.PutUint16(b[0x20:], 6)
	le.PutUint32(b[0x2C:], 1)          // one FAT sector
	le.PutUint32(b[0x30:], 1)          // the directory starts at sector 1
	le.PutUint32(b[0x38:], 4096)       // mini stream cutoff
	le.PutUint32(b[0x3C:], 0xFFFFFFFE) // no mini FAT
	le.PutUint32(b[0x44:], 0xFFFFFFFE) // no DIFAT sectors
	for i := 0x4C; i < 0x200; i += 4 {
		le.PutUint32(b[i:], 0xFFFFFFFF)
	}
	le.PutUint32(b[0x4C:], 0) // the FAT is sector 0
	fat := b[512:1024]
	for i := 0; i < 512; i += 4 {
		le.PutUint32(fat[i:], 0xFFFFFFFF)
	}
	le.PutUint32(fat[0:], 0xFFFFFFFD) // sector 0: FAT
	le.PutUint32(fat[4:], 0xFFFFFFFE) // sector 1: end of the directory chain
	dir := b[1024:1536]
	entry := func(e []byte, name string, typ byte) {
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*len(u)+2))
		e[0x42] = typ
	}
	entry(dir[0:128], "Root Entry", 5)
	entry(dir[128:256], stream, 2)
	return b
}

func TestSniffAttachment(t *testing.T) {
	const limit = 4096
	tests := []struct {
		name     string
		kind     portal.AttachmentKind
		filename string
		data     []byte
		want     string
		err      error
	}{
		{"OKPDF", portal.AttachmentCover, "封面.pdf", pdfFile(), portal.TypePDF, nil},
		{"OKPNG", portal.AttachmentCover, "cover.png", pngFile(t), portal.TypePNG, nil},
		{"OKJPEG", portal.AttachmentCover, "cover.jpg", jpegFile(t), portal.TypeJPEG, nil},
		{"OKGIF", portal.AttachmentSupporting, "x.gif", gifFile(t), portal.TypeGIF, nil},
		{"OKWebP", portal.AttachmentSupporting, "x.webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd"), portal.TypeWebP, nil},
		{"OKDOCX", portal.AttachmentSupporting, "总结.docx", docxFile(t), portal.TypeDOCX, nil},
		{"OKXLSX", portal.AttachmentSupporting, "data.xlsx", xlsxFile(t), portal.TypeXLSX, nil},
		{"OKPPTXWhateverItsName", portal.AttachmentSupporting, "slides.bin",
			zipFile(t, map[string]string{"[Content_Types].xml": contentTypesXML, "ppt/presentation.xml": "<p/>"}), portal.TypePPTX, nil},
		{"OKDocxNamedPDF", portal.AttachmentSupporting, "report.pdf", docxFile(t), portal.TypeDOCX, nil},
		{"OKLegacyWord", portal.AttachmentSupporting, "old.doc", oleFile("WordDocument"), portal.TypeDOC, nil},
		{"OKLegacyExcelNamedDoc", portal.AttachmentSupporting, "old.doc", oleFile("Workbook"), portal.TypeXLS, nil},
		{"OKLegacyPowerPoint", portal.AttachmentSupporting, "old.ppt", oleFile("PowerPoint Document"), portal.TypePPT, nil},
		{"OKExactlyAtLimit", portal.AttachmentSupporting, "big.pdf", append(pdfFile(), bytes.Repeat([]byte(" "), limit-len(pdfFile()))...), portal.TypePDF, nil},

		{"ErrTextRenamedPDF", portal.AttachmentSupporting, "report.pdf", []byte("just some text, not a PDF\n"), "", portal.ErrUnsupportedType},
		{"ErrHTMLRenamedPNG", portal.AttachmentCover, "cover.png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "", portal.ErrUnsupportedType},
		{"ErrSVG", portal.AttachmentSupporting, "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "", portal.ErrUnsupportedType},
		{"ErrEmpty", portal.AttachmentSupporting, "empty.pdf", nil, "", portal.ErrEmptyFile},
		{"ErrOneByteOverLimit", portal.AttachmentSupporting, "big.pdf", append(pdfFile(), bytes.Repeat([]byte(" "), limit+1-len(pdfFile()))...), "", portal.ErrTooLarge},
		{"ErrPlainZip", portal.AttachmentSupporting, "x.docx", zipFile(t, map[string]string{"word/document.xml": "<w/>"}), "", portal.ErrUnsupportedType},
		{"ErrMacroEnabled", portal.AttachmentSupporting, "x.docx", zipFile(t, map[string]string{
			"[Content_Types].xml": `<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>`,
			"word/document.xml":   "<w/>"}), "", portal.ErrUnsupportedType},
		{"ErrOLEHeaderOnly", portal.AttachmentSupporting, "old.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...), "", portal.ErrUnsupportedType},
		{"ErrOLEOtherStream", portal.AttachmentSupporting, "mail.doc", oleFile("__substg1.0_0037001F"), "", portal.ErrUnsupportedType},
		{"ErrExecutable", portal.AttachmentSupporting, "setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 60)...), "", portal.ErrUnsupportedType},
		{"ErrCoverDOCX", portal.AttachmentCover, "cover.docx", docxFile(t), "", portal.ErrCoverType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := portal.CheckAttachment(tc.kind, tc.filename, tc.data, limit)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("CheckAttachment error = %v, want %v", err, tc.err)
			}
			if got != tc.want {
				t.Errorf("content type = %q, want %q", got, tc.want)
			}
			if tc.err != nil && portal.AttachmentErrorKey(err) == "" {
				t.Errorf("no message key for %v", err)
			}
		})
	}
}

func TestSafeFilename(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"OKChineseKept", "2020年度工作报告（盖章）.pdf", "2020年度工作报告（盖章）.pdf"},
		{"OKUnixPathStripped", "/etc/passwd", "passwd"},
		{"OKWindowsPathStripped", `C:\Users\张\Desktop\封面.png`, "封面.png"},
		{"OKTraversalStripped", "../../secret.pdf", "secret.pdf"},
		{"OKControlCharsRemoved", "a\x00b\r\nc\x7f.pdf", "abc.pdf"},
		{"OKRightToLeftOverrideRemoved", "report\u202Efdp.exe", "reportfdp.exe"},
		{"OKReservedReplaced", `a<b>c:"d"|e?f*.pdf`, "a_b_c__d__e_f_.pdf"},
		{"OKLeadingDotsTrimmed", "..hidden.pdf", "hidden.pdf"},
		{"OKEmptyBecomesAttachment", "../", "attachment"},
		{"OKOnlyControl", "\x01\x02", "attachment"},
		// 300 Chinese characters: cut to 255 bytes with the extension,
		// 83 whole characters (249 bytes) and ".pdf".
		{"OKLongChineseKeepsExtension", strings.Repeat("长", 300) + ".pdf", strings.Repeat("长", 83) + ".pdf"},
		{"OKLongLatinCutAt100Characters", strings.Repeat("a", 300) + ".docx", strings.Repeat("a", 95) + ".docx"},
		{"OKFourByteCharactersWhole", strings.Repeat("𠀀", 100) + ".png", strings.Repeat("𠀀", 62) + ".png"},
		{"OKCutLeavesNoTrailingDot", strings.Repeat("a", 94) + ". " + strings.Repeat("b", 10) + ".pdf", strings.Repeat("a", 94) + ".pdf"},
		{"OKLongExtensionIsName", strings.Repeat("名", 50) + "." + strings.Repeat("x", 90), strings.Repeat("名", 50) + "." + strings.Repeat("x", 49)},
		{"OKAtTheLimitKept", strings.Repeat("长", 81) + ".pdf", strings.Repeat("长", 81) + ".pdf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := portal.SafeFilename(tc.in)
			if got != tc.want {
				t.Errorf("SafeFilename(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !utf8.ValidString(got) || utf8.RuneCountInString(got) > 100 || len(got) > 255 {
				t.Errorf("SafeFilename(%q) = %q: %d characters, %d bytes", tc.in, got, utf8.RuneCountInString(got), len(got))
			}
		})
	}
}

func TestDownloadFilename(t *testing.T) {
	tests := []struct {
		name, in, ct, want string
	}{
		{"OKMatchingExtension", "封面.PDF", portal.TypePDF, "封面.PDF"},
		{"OKJPEGAlternative", "a.jpeg", portal.TypeJPEG, "a.jpeg"},
		{"OKMissingExtensionAdded", "scan", portal.TypePDF, "scan.pdf"},
		{"OKWrongExtensionAdded", "report.pdf", portal.TypeDOCX, "report.pdf.docx"},
		// A stored name at the limit still gets the type's extension, and
		// stays within 255 bytes.
		{"OKLongNameExtensionAdded", strings.Repeat("长", 85), portal.TypePDF, strings.Repeat("长", 83) + ".pdf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := portal.DownloadFilename(tc.in, tc.ct); got != tc.want {
				t.Errorf("DownloadFilename(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestContentDisposition(t *testing.T) {
	if got, want := portal.ContentDisposition("cover.pdf", portal.TypePDF), `attachment; filename=cover.pdf`; got != want {
		t.Errorf("ASCII: %q, want %q", got, want)
	}
	got := portal.ContentDisposition("封面.pdf", portal.TypePDF)
	if want := `attachment; filename*=utf-8''%E5%B0%81%E9%9D%A2.pdf`; got != want {
		t.Errorf("Chinese: %q, want %q", got, want)
	}
	if got := portal.ContentDisposition("a\"b\r\nSet-Cookie: x.pdf", portal.TypePDF); strings.ContainsAny(got, "\r\n") {
		t.Errorf("header injection: %q", got)
	}
	// A 300-character Chinese name (from before names were shortened on
	// upload) is offered shortened, whole characters, extension kept.
	got = portal.ContentDisposition(strings.Repeat("长", 300)+".pdf", portal.TypePDF)
	if want := `attachment; filename*=utf-8''` + strings.Repeat("%E9%95%BF", 83) + ".pdf"; got != want {
		t.Errorf("long Chinese: %q, want %q", got, want)
	}
}

func TestAttachmentLimits(t *testing.T) {
	l := portal.AttachmentLimits{MaxFiles: 3, Quota: 1000}
	tests := []struct {
		name  string
		usage portal.AttachmentUsage
		size  int64
		err   error
	}{
		{"OKEmpty", portal.AttachmentUsage{}, 1000, nil},
		{"OKLastFile", portal.AttachmentUsage{ReportFiles: 2, NGOBytes: 10}, 990, nil},
		{"ErrReportFull", portal.AttachmentUsage{ReportFiles: 3}, 1, portal.ErrTooManyFiles},
		{"ErrOneByteOverQuota", portal.AttachmentUsage{ReportFiles: 1, NGOBytes: 10}, 991, portal.ErrStorageQuota},
		{"ErrQuotaAlreadyPassed", portal.AttachmentUsage{NGOBytes: 2000}, 1, portal.ErrStorageQuota},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := l.CheckRoom(tc.usage, tc.size)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("CheckRoom(%+v, %d) = %v, want %v", tc.usage, tc.size, err, tc.err)
			}
			if tc.err != nil && portal.AttachmentErrorKey(err) == "" {
				t.Errorf("no message key for %v", err)
			}
		})
	}
	if n, b := l.FilesLeft(portal.AttachmentUsage{ReportFiles: 5}), l.BytesLeft(portal.AttachmentUsage{NGOBytes: 2000}); n != 0 || b != 0 {
		t.Errorf("over the limits: %d files, %d bytes left; want 0, 0", n, b)
	}
	if n, b := l.FilesLeft(portal.AttachmentUsage{ReportFiles: 1}), l.BytesLeft(portal.AttachmentUsage{NGOBytes: 400}); n != 2 || b != 600 {
		t.Errorf("%d files, %d bytes left; want 2, 600", n, b)
	}
}
