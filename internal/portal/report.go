package portal

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ReportStatus is where an NGO's annual work report is in its review.
type ReportStatus string

// Report states. Staff write a draft and submit it; the federation accepts
// it or returns it for changes; a returned report is revised and submitted
// again. Accepted is final.
const (
	ReportDraft     ReportStatus = "draft"
	ReportSubmitted ReportStatus = "submitted"
	ReportReturned  ReportStatus = "returned"
	ReportAccepted  ReportStatus = "accepted"
	// ReportNotStarted is no status of a stored report: the board shows it
	// for an NGO that has not started its report.
	ReportNotStarted ReportStatus = "not_started"
)

// ReportStatuses lists the board's statuses in the order a report passes
// through them.
var ReportStatuses = []ReportStatus{ReportNotStarted, ReportDraft, ReportSubmitted, ReportReturned, ReportAccepted}

var reportSteps = map[ReportStatus][]ReportStatus{
	ReportDraft:     {ReportSubmitted},
	ReportSubmitted: {ReportReturned, ReportAccepted},
	ReportReturned:  {ReportSubmitted},
}

// CanReportStep reports whether a report may go from one status to another.
func CanReportStep(from, to ReportStatus) bool {
	for _, s := range reportSteps[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Editable reports whether staff may still change a report in status s.
func (s ReportStatus) Editable() bool { return s == ReportDraft || s == ReportReturned }

// EditBlock says why staff may not change the report at now, nil when they
// may: ErrReportReadOnly once it is submitted or accepted, ErrCycleClosed
// in a closed cycle, ErrReportDeadlinePassed once the NGO's effective
// deadline day is over. The first that applies, in that order, is the
// reason: an accepted report in a closed cycle is read-only first. The
// repository enforces it under the row lock; pages call it to show the
// report read-only and to refuse a post before reading the form. Whether
// the editor's copy is the latest version is the repository's check.
func (r Report) EditBlock(now time.Time) error {
	switch {
	case !r.Status.Editable():
		return fmt.Errorf("report %d is %s: %w", r.ID, r.Status, ErrReportReadOnly)
	case r.CycleStatus == CycleClosed:
		return fmt.Errorf("report %d: %w", r.ID, ErrCycleClosed)
	case DeadlinePassed(r.Deadline, now):
		return fmt.Errorf("report %d, deadline %s: %w", r.ID, r.Deadline.Format(time.DateOnly), ErrReportDeadlinePassed)
	}
	return nil
}

// Errors of the report lifecycle. Each wraps ErrConflict, so a page that
// does not handle one specially still answers 409.
var (
	// ErrReportReadOnly: the report is submitted or accepted; staff cannot change it.
	ErrReportReadOnly = fmt.Errorf("report is read-only: %w", ErrConflict)
	// ErrReportIllegalStep: the lifecycle does not allow the requested step.
	ErrReportIllegalStep = fmt.Errorf("illegal report step: %w", ErrConflict)
	// ErrReportDeadlinePassed: the NGO's effective deadline is over.
	ErrReportDeadlinePassed = fmt.Errorf("report deadline has passed: %w", ErrConflict)
	// ErrCycleNotOpen: the cycle is still a draft the NGOs cannot see.
	ErrCycleNotOpen = fmt.Errorf("reporting cycle is not open: %w", ErrNotFound)
)

// ReportIncompleteError refuses a submission, listing what is missing. It
// matches ErrConflict with errors.Is.
type ReportIncompleteError struct {
	Missing []MissingItem
}

// Error implements error.
func (e *ReportIncompleteError) Error() string {
	return fmt.Sprintf("report incomplete: %d items missing", len(e.Missing))
}

// Unwrap makes the error match ErrConflict.
func (e *ReportIncompleteError) Unwrap() error { return ErrConflict }

// Report sections: the anchors of the report page, the keys of a return's
// section comments and the Section of a MissingItem.
const (
	SectionNarrative   = "narrative" // narrative and public highlight
	SectionActivities  = "activities"
	SectionMedia       = "media"
	SectionPlan        = "plan"
	SectionProgress    = "progress" // progress on last year's plan items
	SectionAnswers     = "answers"  // answers to last session's requests
	SectionAttestation = "attestation"
)

// ReportSections lists the sections in page order.
var ReportSections = []string{SectionNarrative, SectionActivities, SectionMedia, SectionPlan,
	SectionProgress, SectionAnswers, SectionAttestation}

// ValidSection reports whether s names a report section.
func ValidSection(s string) bool {
	for _, x := range ReportSections {
		if x == s {
			return true
		}
	}
	return false
}

// ActivityKind is what kind of activity a report row describes.
type ActivityKind string

// Activity kinds, as the database checks them.
const (
	KindLecture          ActivityKind = "lecture"
	KindThemedActivity   ActivityKind = "themed_activity"
	KindTraining         ActivityKind = "training"
	KindService          ActivityKind = "service"
	KindCampaign         ActivityKind = "campaign"
	KindEpidemicResponse ActivityKind = "epidemic_response"
	KindOther            ActivityKind = "other"
)

// ActivityKinds lists the kinds in the order the form offers them.
var ActivityKinds = []ActivityKind{KindLecture, KindThemedActivity, KindTraining, KindService,
	KindCampaign, KindEpidemicResponse, KindOther}

// ActivityMode is whether an activity was held online, offline or both.
type ActivityMode string

// Activity modes, as the database checks them.
const (
	ModeOnline  ActivityMode = "online"
	ModeOffline ActivityMode = "offline"
	ModeHybrid  ActivityMode = "hybrid"
)

// ActivityModes lists the modes in the order the form offers them.
var ActivityModes = []ActivityMode{ModeOnline, ModeOffline, ModeHybrid}

// MediaChannel is where new-media work was published.
type MediaChannel string

// Media channels, as the database checks them.
const (
	ChannelWeChat  MediaChannel = "wechat" // WeChat official account
	ChannelWeibo   MediaChannel = "weibo"
	ChannelDouyin  MediaChannel = "douyin"
	ChannelWebsite MediaChannel = "website"
	ChannelOther   MediaChannel = "other"
)

// MediaChannels lists the channels in the order the form offers them.
var MediaChannels = []MediaChannel{ChannelWeChat, ChannelWeibo, ChannelDouyin, ChannelWebsite, ChannelOther}

// ProgressStatus is how far a plan item of last year was carried out.
type ProgressStatus string

// Progress answers; ProgressUnanswered is a row nobody has answered yet.
const (
	ProgressUnanswered ProgressStatus = ""
	ProgressDone       ProgressStatus = "done"
	ProgressPartly     ProgressStatus = "partly"
	ProgressNotDone    ProgressStatus = "not_done"
)

// ProgressStatuses lists the answers the form offers.
var ProgressStatuses = []ProgressStatus{ProgressDone, ProgressPartly, ProgressNotDone}

// ReportEventAction is one step of a report's status history.
type ReportEventAction string

// Report history actions, as the database checks them.
const (
	EventCreated     ReportEventAction = "created"
	EventSubmitted   ReportEventAction = "submitted"
	EventReturned    ReportEventAction = "returned"
	EventResubmitted ReportEventAction = "resubmitted"
	EventAccepted    ReportEventAction = "accepted"
)

// Bounds of a report's texts (in characters) and rows, as the database
// checks them (the row count is checked here only).
const (
	MaxReportRows           = 200
	MaxNarrative            = 20000
	MaxHighlight            = 500
	MaxLegalRepresentative  = 50
	MaxReportTitle          = 200
	MaxPartners             = 500
	MaxPlanDescription      = 2000
	MaxProgressNote         = 1000
	MaxRequestAnswer        = 2000
	MaxReturnComment        = 5000
	MaxReturnSectionComment = 2000
)

// ReportContent is what staff write: everything a submission snapshots.
// The JSON names are those of the stored snapshots (report_events.snapshot):
// do not rename them.
type ReportContent struct {
	Narrative           string          `json:"narrative"`
	Highlight           string          `json:"highlight"` // may be quoted in the public summary
	LegalRepresentative string          `json:"legal_representative"`
	Activities          []Activity      `json:"activities"`
	Media               []MediaWork     `json:"media"`
	PlanItems           []PlanItem      `json:"plan_items"`
	Progress            []Progress      `json:"progress"`
	Answers             []RequestAnswer `json:"answers"`
}

// Report is one NGO's annual work report in one reporting cycle.
type Report struct {
	ID      int64
	CycleID int64
	NGOID   int64
	Status  ReportStatus
	ReportContent
	Declaration bool  // the truthfulness declaration is ticked
	DeclaredBy  int64 // who ticked it (the submitter, once submitted); 0 when not ticked
	SubmittedAt time.Time
	AcceptedAt  time.Time
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Filled by reads, ignored by writes.
	ReviewYear  int
	CycleStatus CycleStatus
	Deadline    time.Time // the NGO's effective deadline
}

// Activity is one activity of the year under review.
type Activity struct {
	ID            int64        `json:"-"`
	Title         string       `json:"title"`
	Kind          ActivityKind `json:"kind"`
	Mode          ActivityMode `json:"mode"`
	StartsOn      time.Time    `json:"starts_on"`
	EndsOn        time.Time    `json:"ends_on"`
	PeopleReached int          `json:"people_reached"`
	WomenReached  int          `json:"women_reached"` // of PeopleReached
	Partners      string       `json:"partners"`
	ThemeIDs      []int64      `json:"theme_ids"`
}

// MediaWork is the new-media work of one channel.
type MediaWork struct {
	ID      int64        `json:"-"`
	Channel MediaChannel `json:"channel"`
	Items   int          `json:"items"` // items published
	Reads   int64        `json:"reads"` // total reads or views
}

// PlanItem is one item of the plan for the plan year.
type PlanItem struct {
	ID           int64   `json:"-"`
	Title        string  `json:"title"`
	Description  string  `json:"description"`
	Quarter      int     `json:"quarter"`        // 1–4; 0 for the whole year
	KeyProjectID int64   `json:"key_project_id"` // 0 when none
	ThemeIDs     []int64 `json:"theme_ids"`
	// The requests of the cycle's session, addressed to the NGO, that the
	// item answers.
	RequestIDs []int64 `json:"request_ids"`
}

// Progress is the NGO's account of one plan item it made for the year under
// review: an item of its previous accepted report or of its plan addendum
// for the previous session. The items are listed when the report is
// started, and items that appear later are added on the next save; staff
// only answer them.
type Progress struct {
	ID                 int64          `json:"-"`
	PreviousPlanItemID int64          `json:"previous_plan_item_id"`
	Title              string         `json:"title"` // copied from the plan item
	Status             ProgressStatus `json:"status"`
	Note               string         `json:"note"`
	// Filled by reads (and kept in a submission's snapshot as they were):
	// the requests of the previous session the plan item answers, and
	// whether it was added after that session in the NGO's plan addendum
	// rather than planned in its report.
	RequestIDs   []int64 `json:"request_ids,omitempty"`
	FromAddendum bool    `json:"from_addendum,omitempty"`
}

// RequestAnswer is the NGO's answer to one request the previous session
// addressed to it. Which requests are listed is fixed when the report is
// started; staff only answer them.
type RequestAnswer struct {
	RequestID int64  `json:"request_id"`
	Number    int    `json:"number"`  // filled by reads
	TextZH    string `json:"text_zh"` // filled by reads
	TextEN    string `json:"text_en"` // filled by reads
	Answer    string `json:"answer"`
}

// ReportEvent is one step of a report's status history.
type ReportEvent struct {
	ID         int64
	ReportID   int64
	At         time.Time
	ActorID    int64 // 0 when unknown
	ActorEmail string
	Action     ReportEventAction
	Comment    string
	// SectionComments maps a section (SectionNarrative...) to the reviewer's
	// comment on it; set on returns.
	SectionComments map[string]string
	// Snapshot is the content as submitted; set on submissions only.
	Snapshot *ReportContent
}

// MissingItem is one thing a report lacks before it can be submitted:
// the section it belongs to, the field or row to link to (a Validate-style
// key such as "progress.2.status", or the section itself) and a message key.
type MissingItem struct {
	Section string
	Field   string
	Key     string
}

// RowField is the key of one field of one row in Validate's and Missing's
// results: section rows are counted from 0, as the form's field names are.
func RowField(table string, i int, field string) string {
	return table + "." + strconv.Itoa(i) + "." + field
}

// Validate lists what of the report cannot be stored at all, as field or
// row key → message key (report.err.*): a text over its size, a kind, mode,
// channel, quarter or status not on the list, a negative count, an id that
// cannot name a row, too many rows. The repository refuses to save a report
// with any of these; Storable clears them first. Whether themes, key
// projects and requests exist is the repository's check. Completeness is
// not checked here (a draft may be partial, its rows too): see Incomplete
// and Missing.
func (r Report) Validate() map[string]string {
	errs := map[string]string{}
	tooLong := func(field, value string, max int) {
		if utf8.RuneCountInString(value) > max {
			errs[field] = "report.err.too_long"
		}
	}
	tooLong("narrative", r.Narrative, MaxNarrative)
	tooLong("highlight", r.Highlight, MaxHighlight)
	tooLong("legal_representative", r.LegalRepresentative, MaxLegalRepresentative)
	tooMany := func(table string, n int) {
		if n > MaxReportRows {
			errs[table] = "report.err.too_many_rows"
		}
	}

	tooMany("activities", len(r.Activities))
	for i, a := range r.Activities {
		f := func(name string) string { return RowField("activities", i, name) }
		tooLong(f("title"), a.Title, MaxReportTitle)
		if a.Kind != "" && !validKind(a.Kind) {
			errs[f("kind")] = "report.err.kind_invalid"
		}
		if a.Mode != "" && !validMode(a.Mode) {
			errs[f("mode")] = "report.err.mode_invalid"
		}
		if a.PeopleReached < 0 {
			errs[f("people_reached")] = "report.err.number_negative"
		}
		if a.WomenReached < 0 {
			errs[f("women_reached")] = "report.err.number_negative"
		}
		tooLong(f("partners"), a.Partners, MaxPartners)
		if !validIDs(a.ThemeIDs) {
			errs[f("themes")] = "report.err.theme_invalid"
		}
	}

	tooMany("media", len(r.Media))
	for i, m := range r.Media {
		f := func(name string) string { return RowField("media", i, name) }
		if m.Channel != "" && !validChannel(m.Channel) {
			errs[f("channel")] = "report.err.channel_invalid"
		}
		if m.Items < 0 {
			errs[f("items")] = "report.err.number_negative"
		}
		if m.Reads < 0 {
			errs[f("reads")] = "report.err.number_negative"
		}
	}

	tooMany("plan_items", len(r.PlanItems))
	for i, p := range r.PlanItems {
		f := func(name string) string { return RowField("plan_items", i, name) }
		tooLong(f("title"), p.Title, MaxReportTitle)
		tooLong(f("description"), p.Description, MaxPlanDescription)
		if p.Quarter < 0 || p.Quarter > 4 {
			errs[f("quarter")] = "report.err.quarter_invalid"
		}
		if p.KeyProjectID < 0 {
			errs[f("key_project")] = "report.err.project_invalid"
		}
		if !validIDs(p.ThemeIDs) {
			errs[f("themes")] = "report.err.theme_invalid"
		}
		if !validIDs(p.RequestIDs) {
			errs[f("requests")] = "report.err.request_invalid"
		}
	}

	tooMany("progress", len(r.Progress))
	for i, p := range r.Progress {
		f := func(name string) string { return RowField("progress", i, name) }
		if p.Status != ProgressUnanswered && p.Status != ProgressDone && p.Status != ProgressPartly && p.Status != ProgressNotDone {
			errs[f("status")] = "report.err.progress_status_invalid"
		}
		tooLong(f("note"), p.Note, MaxProgressNote)
	}

	tooMany("answers", len(r.Answers))
	for i, a := range r.Answers {
		tooLong(RowField("answers", i, "answer"), a.Answer, MaxRequestAnswer)
	}
	return errs
}

// Storable returns r with every value Validate finds cannot be stored
// cleared, so that the rest of a draft can be saved, and Validate's
// findings: a top-level text over its size keeps prev's value (the report
// as stored), a row's value becomes its empty value (no text, kind or
// date, 0, no ids), rows beyond MaxReportRows are dropped.
func (r Report) Storable(prev Report) (Report, map[string]string) {
	errs := r.Validate()
	if len(errs) == 0 {
		return r, errs
	}
	r.Activities = slices.Clone(r.Activities)
	r.Media = slices.Clone(r.Media)
	r.PlanItems = slices.Clone(r.PlanItems)
	r.Progress = slices.Clone(r.Progress)
	r.Answers = slices.Clone(r.Answers)
	for key := range errs {
		switch key {
		case "narrative":
			r.Narrative = prev.Narrative
			continue
		case "highlight":
			r.Highlight = prev.Highlight
			continue
		case "legal_representative":
			r.LegalRepresentative = prev.LegalRepresentative
			continue
		case "activities":
			r.Activities = r.Activities[:MaxReportRows]
			continue
		case "media":
			r.Media = r.Media[:MaxReportRows]
			continue
		case "plan_items":
			r.PlanItems = r.PlanItems[:MaxReportRows]
			continue
		case "progress", "answers":
			continue // fixed when the report was started; the repository keeps its own
		}
		table, rest, _ := strings.Cut(key, ".")
		idx, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(idx)
		if err != nil {
			continue
		}
		switch table {
		case "activities":
			if i >= len(r.Activities) {
				continue
			}
			a := &r.Activities[i]
			switch field {
			case "title":
				a.Title = ""
			case "kind":
				a.Kind = ""
			case "mode":
				a.Mode = ""
			case "people_reached":
				a.PeopleReached = 0
			case "women_reached":
				a.WomenReached = 0
			case "partners":
				a.Partners = ""
			case "themes":
				a.ThemeIDs = nil
			}
		case "media":
			if i >= len(r.Media) {
				continue
			}
			m := &r.Media[i]
			switch field {
			case "channel":
				m.Channel = ""
			case "items":
				m.Items = 0
			case "reads":
				m.Reads = 0
			}
		case "plan_items":
			if i >= len(r.PlanItems) {
				continue
			}
			p := &r.PlanItems[i]
			switch field {
			case "title":
				p.Title = ""
			case "description":
				p.Description = ""
			case "quarter":
				p.Quarter = 0
			case "key_project":
				p.KeyProjectID = 0
			case "themes":
				p.ThemeIDs = nil
			case "requests":
				p.RequestIDs = nil
			}
		case "progress":
			if i >= len(r.Progress) {
				continue
			}
			switch field {
			case "status":
				r.Progress[i].Status = ProgressUnanswered
			case "note":
				r.Progress[i].Note = ""
			}
		case "answers":
			if i < len(r.Answers) {
				r.Answers[i].Answer = ""
			}
		}
	}
	return r, errs
}

// Incomplete lists what the report's rows lack, or get wrong, before the
// report can be submitted, as field key → message key (report.err.*): an
// activity's title, kind, mode and dates (inside reviewYear, the end not
// before the start), no more women than people reached; a media row's
// channel; a plan item's title. A draft stores its rows as they are; the
// form shows these as notes on the rows, and Missing refuses a submission
// while any remains.
func (r Report) Incomplete(reviewYear int) map[string]string {
	notes := map[string]string{}
	title := func(field, value string) {
		if strings.TrimSpace(value) == "" {
			notes[field] = "report.err.title_required"
		}
	}
	for i, a := range r.Activities {
		f := func(name string) string { return RowField("activities", i, name) }
		title(f("title"), a.Title)
		if a.Kind == "" {
			notes[f("kind")] = "report.err.kind_required"
		}
		if a.Mode == "" {
			notes[f("mode")] = "report.err.mode_required"
		}
		startOK := checkYearDate(notes, f("starts_on"), a.StartsOn, reviewYear)
		if checkYearDate(notes, f("ends_on"), a.EndsOn, reviewYear) && startOK && a.EndsOn.Before(a.StartsOn) {
			notes[f("ends_on")] = "report.err.ends_before_start"
		}
		if a.WomenReached > a.PeopleReached && a.PeopleReached >= 0 {
			notes[f("women_reached")] = "report.err.women_above_people"
		}
	}
	for i, m := range r.Media {
		if m.Channel == "" {
			notes[RowField("media", i, "channel")] = "report.err.channel_required"
		}
	}
	for i, p := range r.PlanItems {
		title(RowField("plan_items", i, "title"), p.Title)
	}
	return notes
}

// checkYearDate records a missing date or one outside the year under review
// and reports whether d is usable.
func checkYearDate(errs map[string]string, field string, d time.Time, year int) bool {
	switch {
	case d.IsZero():
		errs[field] = "report.err.date_required"
	case d.Year() != year:
		errs[field] = "report.err.date_outside_year"
	default:
		return true
	}
	return false
}

func validKind(k ActivityKind) bool {
	for _, x := range ActivityKinds {
		if x == k {
			return true
		}
	}
	return false
}

func validMode(m ActivityMode) bool {
	for _, x := range ActivityModes {
		if x == m {
			return true
		}
	}
	return false
}

func validChannel(c MediaChannel) bool {
	for _, x := range MediaChannels {
		if x == c {
			return true
		}
	}
	return false
}

// validIDs reports whether every id could name a row: positive, no repeats.
func validIDs(ids []int64) bool {
	seen := map[int64]bool{}
	for _, id := range ids {
		if id <= 0 || seen[id] {
			return false
		}
		seen[id] = true
	}
	return true
}

// Missing lists what the report lacks before it can be submitted, section
// by section in page order (report.missing.*, and Incomplete's findings on
// the rows, each naming its row, against r.ReviewYear); empty when it is
// complete. hasCover tells whether the signed and sealed cover page is
// attached.
func (r Report) Missing(hasCover bool) []MissingItem {
	var out []MissingItem
	add := func(section, field, key string) {
		out = append(out, MissingItem{Section: section, Field: field, Key: key})
	}
	if strings.TrimSpace(r.Narrative) == "" {
		add(SectionNarrative, "narrative", "report.missing.narrative")
	}
	if strings.TrimSpace(r.Highlight) == "" {
		add(SectionNarrative, "highlight", "report.missing.highlight")
	}
	rows := r.Incomplete(r.ReviewYear)
	addRows := func(section, table string, n int, fields []string) {
		for i := range n {
			for _, f := range fields {
				if key := RowField(table, i, f); rows[key] != "" {
					add(section, key, rows[key])
				}
			}
		}
	}
	if len(r.Activities) == 0 {
		add(SectionActivities, SectionActivities, "report.missing.activities")
	}
	addRows(SectionActivities, "activities", len(r.Activities),
		[]string{"title", "kind", "mode", "starts_on", "ends_on", "women_reached"})
	addRows(SectionMedia, "media", len(r.Media), []string{"channel"})
	if len(r.PlanItems) == 0 {
		add(SectionPlan, "plan_items", "report.missing.plan_items")
	}
	addRows(SectionPlan, "plan_items", len(r.PlanItems), []string{"title"})
	for i, p := range r.Progress {
		if p.Status == ProgressUnanswered {
			add(SectionProgress, RowField("progress", i, "status"), "report.missing.progress")
		}
	}
	for i, a := range r.Answers {
		if strings.TrimSpace(a.Answer) == "" {
			add(SectionAnswers, RowField("answers", i, "answer"), "report.missing.answer")
		}
	}
	if strings.TrimSpace(r.LegalRepresentative) == "" {
		add(SectionAttestation, "legal_representative", "report.missing.legal_representative")
	}
	if !r.Declaration {
		add(SectionAttestation, "declaration", "report.missing.declaration")
	}
	if !hasCover {
		add(SectionAttestation, "cover", "report.missing.cover")
	}
	return out
}

// ChangedSections lists, in page order, the sections whose content differs
// between two versions of a report's content — "what changed since the
// last submission" when prev is the latest snapshot. Row ids are ignored
// (a save replaces the rows), as are the request texts filled in by reads.
func ChangedSections(prev, cur ReportContent) []string {
	a, b := comparableContent(prev), comparableContent(cur)
	var out []string
	add := func(section string, x, y any) {
		if !reflect.DeepEqual(x, y) {
			out = append(out, section)
		}
	}
	add(SectionNarrative, [2]string{a.Narrative, a.Highlight}, [2]string{b.Narrative, b.Highlight})
	add(SectionActivities, a.Activities, b.Activities)
	add(SectionMedia, a.Media, b.Media)
	add(SectionPlan, a.PlanItems, b.PlanItems)
	add(SectionProgress, a.Progress, b.Progress)
	add(SectionAnswers, a.Answers, b.Answers)
	add(SectionAttestation, a.LegalRepresentative, b.LegalRepresentative)
	return out
}

// comparableContent copies c with ids and read-only texts cleared, empty slices
// as nil and dates as calendar days, so that equal content compares equal
// whether it was read from the tables or from a JSON snapshot.
func comparableContent(c ReportContent) ReportContent {
	day := func(t time.Time) time.Time {
		if t.IsZero() {
			return time.Time{}
		}
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	ids := func(s []int64) []int64 {
		if len(s) == 0 {
			return nil
		}
		return append([]int64(nil), s...)
	}
	out := ReportContent{Narrative: c.Narrative, Highlight: c.Highlight, LegalRepresentative: c.LegalRepresentative}
	for _, a := range c.Activities {
		a.ID, a.StartsOn, a.EndsOn, a.ThemeIDs = 0, day(a.StartsOn), day(a.EndsOn), ids(a.ThemeIDs)
		out.Activities = append(out.Activities, a)
	}
	for _, m := range c.Media {
		m.ID = 0
		out.Media = append(out.Media, m)
	}
	for _, p := range c.PlanItems {
		p.ID, p.ThemeIDs, p.RequestIDs = 0, ids(p.ThemeIDs), ids(p.RequestIDs)
		out.PlanItems = append(out.PlanItems, p)
	}
	for _, p := range c.Progress {
		p.ID, p.RequestIDs, p.FromAddendum = 0, nil, false
		out.Progress = append(out.Progress, p)
	}
	for _, a := range c.Answers {
		out.Answers = append(out.Answers, RequestAnswer{RequestID: a.RequestID, Answer: a.Answer})
	}
	return out
}

// ParseCount parses a typed count (people reached, items, reads): a whole,
// non-negative number. It returns the number, or a message key
// (report.err.number_*) when the text is not one. An empty text is 0.
func ParseCount(s string) (int64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ""
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil && strings.HasPrefix(s, "-"):
		return 0, "report.err.number_negative"
	case err != nil:
		return 0, "report.err.number_whole"
	case n < 0:
		return 0, "report.err.number_negative"
	case n > 2_000_000_000:
		// Counts go into integer columns (reads into bigint, but nobody
		// reads a report that claims more).
		return 0, "report.err.number_too_large"
	}
	return n, ""
}

// ParseReportDate parses an <input type="date"> value (or a day typed year
// first, see ParseDay) as a calendar day in the federation's time zone; a message key (report.err.date_*) when it is
// empty or not a date.
func ParseReportDate(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, "report.err.date_required"
	}
	d, ok := ParseDay(s, FederationZone)
	if !ok {
		return time.Time{}, "report.err.date_invalid"
	}
	return d, ""
}

// AuditFields are the report's content as the audit log records it: the
// texts, the declaration, and one line per row of each table, so that Diff
// shows which rows a save changed.
func (r Report) AuditFields() map[string]any {
	ids := func(s []int64) string {
		parts := make([]string, len(s))
		for i, id := range s {
			parts[i] = strconv.FormatInt(id, 10)
		}
		return strings.Join(parts, ",")
	}
	rows := func(n int, line func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = line(i)
		}
		return out
	}
	return map[string]any{
		"narrative":            r.Narrative,
		"highlight":            r.Highlight,
		"legal_representative": r.LegalRepresentative,
		"declaration":          r.Declaration,
		"activities": rows(len(r.Activities), func(i int) string {
			a := r.Activities[i]
			return fmt.Sprintf("%s|%s|%s|%s|%s|%d|%d|%s|%s", a.Title, a.Kind, a.Mode, dateString(a.StartsOn),
				dateString(a.EndsOn), a.PeopleReached, a.WomenReached, a.Partners, ids(a.ThemeIDs))
		}),
		"media": rows(len(r.Media), func(i int) string {
			m := r.Media[i]
			return fmt.Sprintf("%s|%d|%d", m.Channel, m.Items, m.Reads)
		}),
		"plan_items": rows(len(r.PlanItems), func(i int) string {
			p := r.PlanItems[i]
			return fmt.Sprintf("%s|%s|%d|%d|%s|%s", p.Title, p.Description, p.Quarter, p.KeyProjectID,
				ids(p.ThemeIDs), ids(p.RequestIDs))
		}),
		"progress": rows(len(r.Progress), func(i int) string {
			p := r.Progress[i]
			return fmt.Sprintf("%d|%s|%s", p.PreviousPlanItemID, p.Status, p.Note)
		}),
		"answers": rows(len(r.Answers), func(i int) string {
			a := r.Answers[i]
			return fmt.Sprintf("%d|%s", a.RequestID, a.Answer)
		}),
	}
}

// ReportLabels names what a report's rows refer to by id: the federation's
// themes and key projects (retired ones too, so old reports still read
// well) and the requests of the cycle's session.
type ReportLabels struct {
	Themes   map[int64]Theme
	Projects map[int64]KeyProject
	Requests map[int64]Request
}

// ThemeNames returns the names of the themes with the given ids, in the
// language pick chooses (Translator.Pick); an unknown id is skipped.
func (l ReportLabels) ThemeNames(ids []int64, pick func(zh, en string) string) []string {
	var out []string
	for _, id := range ids {
		if t, ok := l.Themes[id]; ok {
			out = append(out, pick(t.NameZH, t.NameEN))
		}
	}
	return out
}

// ProjectName returns the key project's name, or "" for 0 or an unknown id.
func (l ReportLabels) ProjectName(id int64, pick func(zh, en string) string) string {
	if p, ok := l.Projects[id]; ok {
		return pick(p.NameZH, p.NameEN)
	}
	return ""
}

// WithoutRow returns r without row i of table ("activities", "media" or
// "plan_items", as RowField names them), and whether there was such a row.
// The progress and answer rows were fixed when the report was started and
// are never removed.
func (r Report) WithoutRow(table string, i int) (Report, bool) {
	drop := func(n int, del func()) bool {
		if i < 0 || i >= n {
			return false
		}
		del()
		return true
	}
	switch table {
	case "activities":
		return r, drop(len(r.Activities), func() { r.Activities = slices.Delete(slices.Clone(r.Activities), i, i+1) })
	case "media":
		return r, drop(len(r.Media), func() { r.Media = slices.Delete(slices.Clone(r.Media), i, i+1) })
	case "plan_items":
		return r, drop(len(r.PlanItems), func() { r.PlanItems = slices.Delete(slices.Clone(r.PlanItems), i, i+1) })
	}
	return r, false
}
