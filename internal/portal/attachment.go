package portal

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// AttachmentKind says what a file attached to a report is for.
type AttachmentKind string

// The kinds of attachment (report_attachments.kind). A report has at most
// one cover: the signed and sealed cover page of the attestation section.
const (
	AttachmentCover      AttachmentKind = "cover"
	AttachmentSupporting AttachmentKind = "supporting"
)

// Valid reports whether k is a known kind.
func (k AttachmentKind) Valid() bool { return k == AttachmentCover || k == AttachmentSupporting }

// Why an upload is refused. Each is a conflict-free input problem the page
// shows beside the file field (see AttachmentErrorKey).
var (
	// ErrEmptyFile: the upload has no bytes.
	ErrEmptyFile = errors.New("attachment is empty")
	// ErrTooLarge: the upload is over the configured limit.
	ErrTooLarge = errors.New("attachment is too large")
	// ErrUnsupportedType: the content is none of the accepted types.
	ErrUnsupportedType = errors.New("attachment type is not accepted")
	// ErrCoverType: a cover page must be a PDF or an image.
	ErrCoverType = errors.New("cover page must be a PDF or an image")
	// ErrAttachmentReadOnly: the report is submitted or accepted (or its
	// cycle closed), so its files can no longer change. It is an
	// ErrReportReadOnly, hence an ErrConflict.
	ErrAttachmentReadOnly = fmt.Errorf("report attachments are read-only: %w", ErrReportReadOnly)
	// ErrTooManyFiles: the report already has as many files as it may.
	ErrTooManyFiles = errors.New("report has as many attachments as it may")
	// ErrStorageQuota: the file would take the NGO's attachments past its
	// storage quota.
	ErrStorageQuota = errors.New("attachment would exceed the NGO's storage quota")
)

// AttachmentErrorKey is the message key for an upload refusal, "" for an
// error that is not one.
func AttachmentErrorKey(err error) string {
	switch {
	case errors.Is(err, ErrEmptyFile):
		return "attachment.err.empty"
	case errors.Is(err, ErrTooLarge):
		return "attachment.err.too_large"
	case errors.Is(err, ErrCoverType):
		return "attachment.err.cover_type"
	case errors.Is(err, ErrUnsupportedType):
		return "attachment.err.type"
	case errors.Is(err, ErrAttachmentReadOnly):
		return "attachment.err.read_only"
	case errors.Is(err, ErrTooManyFiles):
		return "attachment.err.too_many"
	case errors.Is(err, ErrStorageQuota):
		return "attachment.err.quota"
	}
	return ""
}

// AttachmentLimits bound what an NGO keeps: the files on one report (the
// cover included) and the bytes of all its reports' files together. They
// come from the configuration; AddAttachment checks them in the upload's
// transaction.
type AttachmentLimits struct {
	MaxFiles int   // files on one report
	Quota    int64 // bytes of all of one NGO's attachments
}

// AttachmentUsage is what is stored now: the files on one report and the
// bytes of all of its NGO's attachments.
type AttachmentUsage struct {
	ReportFiles int
	NGOBytes    int64
}

// FilesLeft is how many more files the report may take (never negative).
func (l AttachmentLimits) FilesLeft(u AttachmentUsage) int { return max(0, l.MaxFiles-u.ReportFiles) }

// BytesLeft is how many more bytes the NGO may store (never negative).
func (l AttachmentLimits) BytesLeft(u AttachmentUsage) int64 { return max(0, l.Quota-u.NGOBytes) }

// CheckRoom reports whether one more file of size bytes fits: ErrTooManyFiles
// when the report is full, else ErrStorageQuota when the NGO's files would
// pass the quota. u is the usage without the file (a replaced cover
// already removed).
func (l AttachmentLimits) CheckRoom(u AttachmentUsage, size int64) error {
	if u.ReportFiles >= l.MaxFiles {
		return fmt.Errorf("%d files, limit %d: %w", u.ReportFiles, l.MaxFiles, ErrTooManyFiles)
	}
	if u.NGOBytes+size > l.Quota {
		return fmt.Errorf("%d + %d bytes, quota %d: %w", u.NGOBytes, size, l.Quota, ErrStorageQuota)
	}
	return nil
}

// Accepted content types.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
	TypeGIF  = "image/gif"
	TypeWebP = "image/webp"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeDOC  = "application/msword"
	TypeXLS  = "application/vnd.ms-excel"
	TypePPT  = "application/vnd.ms-powerpoint"
)

// typeExtensions are the file name extensions that fit each accepted type,
// the canonical one first.
var typeExtensions = map[string][]string{
	TypePDF: {".pdf"}, TypePNG: {".png"}, TypeJPEG: {".jpg", ".jpeg"}, TypeGIF: {".gif"}, TypeWebP: {".webp"},
	TypeDOCX: {".docx"}, TypeXLSX: {".xlsx"}, TypePPTX: {".pptx"},
	TypeDOC: {".doc"}, TypeXLS: {".xls"}, TypePPT: {".ppt"},
}

// Attachment is one file attached to a report, without its bytes.
type Attachment struct {
	ID              int64
	ReportID        int64
	NGOID           int64
	Kind            AttachmentKind
	Filename        string
	ContentType     string
	Size            int64
	SHA256          []byte
	UploadedBy      int64 // 0: the uploader's account is gone
	UploadedByEmail string
	UploadedAt      time.Time
}

// AttachmentFile is an attachment with its bytes, for download.
type AttachmentFile struct {
	Attachment
	Data []byte
}

// AuditFields are the attachment's fields as the audit log records them
// (never the bytes: the checksum identifies the file).
func (a Attachment) AuditFields() map[string]any {
	return map[string]any{
		"report_id": a.ReportID, "kind": string(a.Kind), "filename": a.Filename,
		"content_type": a.ContentType, "size_bytes": a.Size, "sha256": fmt.Sprintf("%x", a.SHA256),
	}
}

// IsImageOrPDF reports whether contentType may be a cover page.
func IsImageOrPDF(contentType string) bool {
	switch contentType {
	case TypePDF, TypePNG, TypeJPEG, TypeGIF, TypeWebP:
		return true
	}
	return false
}

// CheckAttachment vets one upload of kind: at most limit bytes, not empty,
// an accepted type by content (a cover: PDF or image only). It returns the
// content type to store and serve.
func CheckAttachment(kind AttachmentKind, name string, data []byte, limit int64) (string, error) {
	if int64(len(data)) > limit {
		return "", fmt.Errorf("%d bytes, limit %d: %w", len(data), limit, ErrTooLarge)
	}
	ct, err := SniffAttachment(name, data)
	if err != nil {
		return "", err
	}
	if kind == AttachmentCover && !IsImageOrPDF(ct) {
		return "", fmt.Errorf("cover of type %s: %w", ct, ErrCoverType)
	}
	return ct, nil
}

// SniffAttachment tells an accepted file's content type from its bytes,
// never from its name or the type the browser claimed: a text file renamed
// .pdf, or an HTML page renamed .png, is refused (ErrUnsupportedType); an
// empty file is refused (ErrEmptyFile). The name is taken for the error
// message only.
//
// Accepted: PDF, PNG, JPEG, GIF, WebP; Office Open XML documents (.docx,
// .xlsx, .pptx: a zip holding [Content_Types].xml and a word/, xl/ or ppt/
// part; macro-enabled variants are refused, since a macro is code the
// reviewer would be invited to run); and legacy Office files (.doc, .xls,
// .ppt). A legacy file is an OLE compound file, and the container alone does
// not say what it holds; rather than trust the extension, its directory is
// read and the type follows from the stream the application writes
// (WordDocument, Workbook or Book, PowerPoint Document). Any other compound
// file (an installer, an Outlook message, an encrypted document) is refused.
func SniffAttachment(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", fmt.Errorf("%q: %w", name, ErrEmptyFile)
	}
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF, nil
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if ct := sniffOOXML(data); ct != "" {
			return ct, nil
		}
	case bytes.HasPrefix(data, oleSignature):
		if ct := sniffOLE(data); ct != "" {
			return ct, nil
		}
	default:
		switch ct := http.DetectContentType(data); ct {
		case TypePNG, TypeJPEG, TypeGIF, TypeWebP:
			return ct, nil
		}
	}
	return "", fmt.Errorf("%q: %w", name, ErrUnsupportedType)
}

// maxContentTypesXML bounds what is read of [Content_Types].xml, so that a
// zip bomb cannot make the check expensive.
const maxContentTypesXML = 1 << 20

// sniffOOXML returns the type of an Office Open XML document, or "".
func sniffOOXML(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	var types *zip.File
	var word, xl, ppt bool
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = f
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		case strings.HasPrefix(f.Name, "ppt/"):
			ppt = true
		}
	}
	if types == nil {
		return ""
	}
	rc, err := types.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	manifest, err := io.ReadAll(io.LimitReader(rc, maxContentTypesXML))
	if err != nil || bytes.Contains(bytes.ToLower(manifest), []byte("macroenabled")) {
		return ""
	}
	switch {
	case word && !xl && !ppt:
		return TypeDOCX
	case xl && !word && !ppt:
		return TypeXLSX
	case ppt && !word && !xl:
		return TypePPTX
	}
	return ""
}

// oleSignature opens every OLE compound file (MS-CFB).
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// CFB sector markers.
const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbMaxSector  = 0xFFFFFFFA
)

// sniffOLE reads the directory of a compound file and returns the legacy
// Office type its streams show, or "" for anything else or a damaged file.
func sniffOLE(data []byte) string {
	if len(data) < 512 {
		return ""
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[0x1E:])
	if shift != 9 && shift != 12 {
		return ""
	}
	size := 1 << shift
	sector := func(n uint32) []byte {
		off := (int64(n) + 1) * int64(size)
		if n > cfbMaxSector || off+int64(size) > int64(len(data)) {
			return nil
		}
		return data[off : off+int64(size)]
	}
	// The FAT's sectors: 109 listed in the header, the rest in a chain of
	// DIFAT sectors. Every loop is bounded by the file's sector count so
	// that a cyclic chain cannot hang the check.
	sectors := len(data)/size + 1
	var fat []uint32
	addFAT := func(list []byte) {
		for i := 0; i+4 <= len(list); i += 4 {
			if n := le.Uint32(list[i:]); n <= cfbMaxSector {
				if s := sector(n); s != nil {
					for j := 0; j+4 <= len(s); j += 4 {
						fat = append(fat, le.Uint32(s[j:]))
					}
				}
			}
		}
	}
	addFAT(data[0x4C:0x200])
	next := le.Uint32(data[0x44:])
	for i := 0; next <= cfbMaxSector && i < sectors; i++ {
		s := sector(next)
		if s == nil {
			return ""
		}
		addFAT(s[:size-4])
		next = le.Uint32(s[size-4:])
	}

	var word, excel, powerpoint bool
	dir := le.Uint32(data[0x30:])
	for i := 0; dir != cfbEndOfChain && i < sectors; i++ {
		s := sector(dir)
		if s == nil {
			return ""
		}
		for e := 0; e+128 <= len(s); e += 128 {
			entry := s[e : e+128]
			if entry[0x42] != 2 { // streams only
				continue
			}
			switch cfbName(entry) {
			case "WordDocument":
				word = true
			case "Workbook", "Book":
				excel = true
			case "PowerPoint Document":
				powerpoint = true
			}
		}
		if int(dir) >= len(fat) {
			return ""
		}
		dir = fat[dir]
	}
	switch {
	case word && !excel && !powerpoint:
		return TypeDOC
	case excel && !word && !powerpoint:
		return TypeXLS
	case powerpoint && !word && !excel:
		return TypePPT
	}
	return ""
}

// cfbName decodes a directory entry's UTF-16 name.
func cfbName(entry []byte) string {
	n := int(binary.LittleEndian.Uint16(entry[0x40:]))
	if n < 2 || n > 64 || n%2 != 0 {
		return ""
	}
	u := make([]uint16, 0, n/2-1)
	for i := 0; i+2 <= n-2; i += 2 {
		u = append(u, binary.LittleEndian.Uint16(entry[i:]))
	}
	return string(utf16.Decode(u))
}

// The longest file name stored and offered on download: 100 characters
// and 255 bytes of UTF-8, the limit of most file systems (a Chinese name
// reaches it at 85 characters). report_attachments.filename checks both.
const (
	maxFilenameRunes = 100
	maxFilenameBytes = 255
	// maxExtRunes: a longer "extension" is part of the name, not one.
	maxExtRunes = 10
)

// SafeFilename cleans an uploaded file's name for storing and offering on
// download: the last element of any path (either slash), without control
// or formatting characters (a right-to-left override can disguise
// "exe.pdf"), without characters Windows refuses, not starting with a dot,
// at most 100 characters and 255 bytes with the extension kept (see
// shortenFilename). Chinese and other letters stay. An empty result
// becomes "attachment".
func SafeFilename(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		case strings.ContainsRune(`<>:"|?*`, r):
			return '_'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ". ")
	name = strings.TrimRight(name, ". ")
	name = shortenFilename(name, "")
	if name == "" {
		return "attachment"
	}
	return name
}

// shortenFilename returns name+ext cut to at most maxFilenameRunes
// characters and maxFilenameBytes bytes. The cut falls on a character
// boundary in the part before the extension (name's own extension when ext
// is "", so that "….pdf" stays a PDF), and the dots and spaces it leaves
// at the end of that part go too.
func shortenFilename(name, ext string) string {
	fits := func(s string) bool {
		return utf8.RuneCountInString(s) <= maxFilenameRunes && len(s) <= maxFilenameBytes
	}
	if fits(name + ext) {
		return name + ext
	}
	if ext == "" {
		if e := path.Ext(name); e != name && utf8.RuneCountInString(e) <= maxExtRunes {
			name, ext = strings.TrimSuffix(name, e), e
		}
	}
	limitRunes := maxFilenameRunes - utf8.RuneCountInString(ext)
	limitBytes := maxFilenameBytes - len(ext)
	cut, n := 0, 0
	for i, r := range name {
		end := i + utf8.RuneLen(r)
		if n == limitRunes || end > limitBytes {
			break
		}
		cut, n = end, n+1
	}
	return strings.TrimRight(name[:cut], ". ") + ext
}

// DownloadFilename is the name to offer for a file of contentType: the
// stored name, with the type's extension added when its own does not fit
// (a PDF uploaded as "scan" downloads as "scan.pdf"), so that the reader's
// computer opens it with the right program; shortened like SafeFilename,
// the added extension kept.
func DownloadFilename(name, contentType string) string {
	name = SafeFilename(name)
	exts := typeExtensions[contentType]
	if len(exts) == 0 {
		return name
	}
	ext := strings.ToLower(path.Ext(name))
	for _, e := range exts {
		if ext == e {
			return name
		}
	}
	return shortenFilename(name, exts[0])
}

// ContentDisposition is the Content-Disposition header value that makes a
// browser save the file rather than show it: "attachment" with the name
// encoded for any language (RFC 2231 filename* when it is not ASCII).
func ContentDisposition(name, contentType string) string {
	v := mime.FormatMediaType("attachment", map[string]string{"filename": DownloadFilename(name, contentType)})
	if v == "" {
		return "attachment"
	}
	return v
}
