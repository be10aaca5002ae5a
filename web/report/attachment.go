package report

import (
	"strconv"

	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// AttachmentAccept is the upload field's accept attribute: the extensions
// of the types portal.SniffAttachment accepts. It only helps the browser's
// file picker; the server decides by content.
const AttachmentAccept = ".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.doc,.xls,.ppt"

// attachmentTypeNames are short, language-neutral names of the accepted
// content types (format and product names need no translation).
var attachmentTypeNames = map[string]string{
	portal.TypePDF:  "PDF",
	portal.TypePNG:  "PNG",
	portal.TypeJPEG: "JPEG",
	portal.TypeGIF:  "GIF",
	portal.TypeWebP: "WebP",
	portal.TypeDOCX: "Word (.docx)",
	portal.TypeXLSX: "Excel (.xlsx)",
	portal.TypePPTX: "PowerPoint (.pptx)",
	portal.TypeDOC:  "Word (.doc)",
	portal.TypeXLS:  "Excel (.xls)",
	portal.TypePPT:  "PowerPoint (.ppt)",
}

// AttachmentTypeName is a reader's name for a stored content type.
func AttachmentTypeName(contentType string) string {
	if n, ok := attachmentTypeNames[contentType]; ok {
		return n
	}
	return contentType
}

// attachmentLink is the path of one attachment under base.
func attachmentLink(base string, id int64) string { return base + "/" + strconv.FormatInt(id, 10) }

// AttachmentsView is the staff's attachments page of one report: the
// files, and the upload form while the report may still change.
type AttachmentsView struct {
	ui.Page
	ReviewYear   int
	Items        []portal.Attachment
	Editable     bool
	ReadOnly     string // message key saying why the files cannot change; "" when editable
	Problem      string // message key of a refused action, shown at the top
	Kind         portal.AttachmentKind
	KindError    string // message key
	FileError    string // message key; may use the values of ErrorText
	FileSize     int64  // the refused file's size, for a quota message
	Limit        int64  // the largest file accepted, in bytes
	Limits       portal.AttachmentLimits
	Usage        portal.AttachmentUsage // what the report and its NGO store now
	ReportPath   string
	Action       string // the upload form's target
	DownloadBase string
	DeleteBase   string // "" when files cannot be deleted
}

// LimitText is the upload limit, readable.
func (v AttachmentsView) LimitText() string { return ui.FileSize(v.T, v.Limit) }

// ErrorText translates an upload form's message key with the values the
// messages use: the size limit, the file limit, the refused file's size
// and the NGO's storage used, quota and room left.
func (v AttachmentsView) ErrorText(key string) string {
	return v.T.T(key, "Limit", v.LimitText(), "MaxFiles", v.Limits.MaxFiles, "Size", ui.FileSize(v.T, v.FileSize),
		"Used", ui.FileSize(v.T, v.Usage.NGOBytes), "Quota", ui.FileSize(v.T, v.Limits.Quota),
		"Free", ui.FileSize(v.T, v.Limits.BytesLeft(v.Usage)))
}

// RoomFiles says how many files the report has and may still take.
func (v AttachmentsView) RoomFiles() string {
	return v.T.T("attachment.room.files", "Files", v.Usage.ReportFiles, "MaxFiles", v.Limits.MaxFiles,
		"Left", v.Limits.FilesLeft(v.Usage))
}

// RoomQuota says how much of the NGO's storage its attachments take.
func (v AttachmentsView) RoomQuota() string {
	return v.ErrorText("attachment.room.quota")
}

// ErrorList is the upload form's error summary. The messages are keys;
// attachmentErrorSummary translates them with the limit.
func (v AttachmentsView) ErrorList() []ui.FieldError {
	var out []ui.FieldError
	if v.KindError != "" {
		out = append(out, ui.FieldError{ID: "f-kind-" + string(portal.AttachmentCover), Label: "attachment.field.kind", Error: v.KindError})
	}
	if v.FileError != "" {
		out = append(out, ui.FieldError{ID: "f-file", Label: "attachment.field.file", Error: v.FileError})
	}
	return out
}

// fileDescribedBy links the file input to its hint and error.
func (v AttachmentsView) fileDescribedBy() string {
	if v.FileError != "" {
		return "f-file-hint f-file-error"
	}
	return "f-file-hint"
}

// AttachmentDeleteView asks before one of a report's files is deleted: it
// says which file goes, from which report, and offers the delete button
// (posting to Action) and a way back (Cancel).
type AttachmentDeleteView struct {
	ui.Page
	ReviewYear int
	Item       portal.Attachment
	Action     string // the delete route, POST
	Cancel     string // the attachments page
}

// KindName is the file's kind, in the page's language.
func (v AttachmentDeleteView) KindName() string {
	if v.Item.Kind == portal.AttachmentCover {
		return v.T.T("attachment.kind.cover")
	}
	return v.T.T("attachment.kind.supporting")
}
