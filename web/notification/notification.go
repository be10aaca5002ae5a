// Package notification holds the views of notifications: a user's list and
// settings, and the admins' mail log.
package notification

import (
	"ngoportal/internal/portal"
	"ngoportal/web/ui"
)

// Item is one notification in its reader's list.
type Item struct {
	portal.Notification
	Message  string // in the reader's language
	OpenPath string // POST: marks it read and goes to its object
	ReadPath string // POST: marks it read
}

// ListView is a signed-in user's notifications, newest first.
type ListView struct {
	ui.Page
	Items       []Item
	Pager       ui.Pager
	Unread      int
	ReadAllPath string
	PrefsPath   string
	MailLogPath string // admins only: the mail log
}

// KindChoice is one kind on the settings form, with whether email is on.
type KindChoice struct {
	Kind  portal.NotificationKind
	Field ui.Field
}

// PrefsView is the account's notification settings form.
type PrefsView struct {
	ui.Page
	Language  ui.Field
	Languages []ui.Option
	Kinds     []KindChoice
	Digest    *ui.Field // admins only: the opt-in to the daily digest
	Errors    []ui.FieldError
	Action    string
	ListPath  string
}

// MailFilter is one status link of the mail log's filter.
type MailFilter struct {
	Label   string
	Path    string
	Current bool
	Failed  bool // the failed ones stand out
}

// MailRow is one email of the mail log.
type MailRow struct {
	portal.Delivery
	ShowPath string
}

// MailLogView is the admins' log of every email sent or kept.
type MailLogView struct {
	ui.Page
	Rows        []MailRow
	Filters     []MailFilter
	Pager       ui.Pager
	SMTPEnabled bool
}

// MailShowView is one email of the mail log, with its parts as sent.
type MailShowView struct {
	ui.Page
	Delivery  portal.Delivery
	RetryPath string // "" unless the message failed
	BackPath  string
}
