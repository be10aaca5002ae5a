package portal

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// completeReport is a report of review year 2026 that passes Validate and
// lacks nothing but the cover page.
func completeReport() Report {
	return Report{
		ReviewYear: 2026,
		ReportContent: ReportContent{
			Narrative:           "本年度开展了系列讲座。",
			Highlight:           "服务女性三千人次。",
			LegalRepresentative: "李静",
			Activities: []Activity{{Title: "职业女性沙龙", Kind: KindLecture, Mode: ModeOffline,
				StartsOn: date("2026-03-08"), EndsOn: date("2026-03-08"), PeopleReached: 120, WomenReached: 100,
				ThemeIDs: []int64{1, 2}}},
			Media:     []MediaWork{{Channel: ChannelWeChat, Items: 40, Reads: 52000}},
			PlanItems: []PlanItem{{Title: "导师计划", Quarter: 2, KeyProjectID: 1, ThemeIDs: []int64{2}}},
			Progress:  []Progress{{ID: 7, PreviousPlanItemID: 3, Title: "去年计划", Status: ProgressDone}},
			Answers:   []RequestAnswer{{RequestID: 1, Answer: "已搭建交流平台。"}},
		},
		Declaration: true,
	}
}

func TestReportValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Report)
		field  string // "" when the report is valid
		key    string
	}{
		{"OK", func(*Report) {}, "", ""},
		{"OKEmptyDraft", func(r *Report) { *r = Report{} }, "", ""},
		{"OKWholeYearPlanItem", func(r *Report) { r.PlanItems[0].Quarter = 0 }, "", ""},
		{"OKUnansweredProgress", func(r *Report) { r.Progress[0].Status = ProgressUnanswered }, "", ""},
		{"OKWomenEqualPeople", func(r *Report) { r.Activities[0].WomenReached = 120 }, "", ""},
		{"OKLastDayOfYear", func(r *Report) { r.Activities[0].EndsOn = date("2026-12-31") }, "", ""},
		{"ErrNarrativeTooLong", func(r *Report) { r.Narrative = strings.Repeat("字", MaxNarrative+1) }, "narrative", "report.err.too_long"},
		{"ErrHighlightTooLong", func(r *Report) { r.Highlight = strings.Repeat("字", MaxHighlight+1) }, "highlight", "report.err.too_long"},
		{"ErrLegalRepresentativeTooLong", func(r *Report) { r.LegalRepresentative = strings.Repeat("名", 51) }, "legal_representative", "report.err.too_long"},
		{"IncompleteActivityTitleRequired", func(r *Report) { r.Activities[0].Title = "  " }, "activities.0.title", "report.err.title_required"},
		{"ErrActivityTitleTooLong", func(r *Report) { r.Activities[0].Title = strings.Repeat("题", 201) }, "activities.0.title", "report.err.too_long"},
		{"ErrKindInvalid", func(r *Report) { r.Activities[0].Kind = "party" }, "activities.0.kind", "report.err.kind_invalid"},
		{"ErrModeInvalid", func(r *Report) { r.Activities[0].Mode = "both" }, "activities.0.mode", "report.err.mode_invalid"},
		{"IncompleteKindMissing", func(r *Report) { r.Activities[0].Kind = "" }, "activities.0.kind", "report.err.kind_required"},
		{"IncompleteModeMissing", func(r *Report) { r.Activities[0].Mode = "" }, "activities.0.mode", "report.err.mode_required"},
		{"IncompleteChannelMissing", func(r *Report) { r.Media[0].Channel = "" }, "media.0.channel", "report.err.channel_required"},
		{"IncompleteStartRequired", func(r *Report) { r.Activities[0].StartsOn = date("0001-01-01") }, "activities.0.starts_on", "report.err.date_required"},
		{"IncompleteStartOutsideYear", func(r *Report) { r.Activities[0].StartsOn = date("2025-12-31") }, "activities.0.starts_on", "report.err.date_outside_year"},
		{"IncompleteEndOutsideYear", func(r *Report) { r.Activities[0].EndsOn = date("2027-01-01") }, "activities.0.ends_on", "report.err.date_outside_year"},
		{"IncompleteEndBeforeStart", func(r *Report) { r.Activities[0].EndsOn = date("2026-03-07") }, "activities.0.ends_on", "report.err.ends_before_start"},
		{"ErrPeopleNegative", func(r *Report) { r.Activities[0].PeopleReached = -1 }, "activities.0.people_reached", "report.err.number_negative"},
		{"ErrWomenNegative", func(r *Report) { r.Activities[0].WomenReached = -1 }, "activities.0.women_reached", "report.err.number_negative"},
		{"IncompleteWomenAbovePeople", func(r *Report) { r.Activities[0].WomenReached = 121 }, "activities.0.women_reached", "report.err.women_above_people"},
		{"ErrPartnersTooLong", func(r *Report) { r.Activities[0].Partners = strings.Repeat("伙", 501) }, "activities.0.partners", "report.err.too_long"},
		{"ErrActivityThemeRepeated", func(r *Report) { r.Activities[0].ThemeIDs = []int64{2, 2} }, "activities.0.themes", "report.err.theme_invalid"},
		{"IncompleteSecondRowCounted", func(r *Report) {
			r.Activities = append(r.Activities, r.Activities[0])
			r.Activities[1].Title = ""
		}, "activities.1.title", "report.err.title_required"},
		{"ErrTooManyActivities", func(r *Report) {
			for range MaxReportRows {
				r.Activities = append(r.Activities, r.Activities[0])
			}
		}, "activities", "report.err.too_many_rows"},
		{"ErrChannelInvalid", func(r *Report) { r.Media[0].Channel = "tiktok" }, "media.0.channel", "report.err.channel_invalid"},
		{"ErrItemsNegative", func(r *Report) { r.Media[0].Items = -3 }, "media.0.items", "report.err.number_negative"},
		{"ErrReadsNegative", func(r *Report) { r.Media[0].Reads = -3 }, "media.0.reads", "report.err.number_negative"},
		{"ErrTooManyMedia", func(r *Report) {
			for range MaxReportRows {
				r.Media = append(r.Media, r.Media[0])
			}
		}, "media", "report.err.too_many_rows"},
		{"OKMaxRows", func(r *Report) {
			for range MaxReportRows - 1 {
				r.PlanItems = append(r.PlanItems, r.PlanItems[0])
			}
		}, "", ""},
		{"IncompletePlanTitleRequired", func(r *Report) { r.PlanItems[0].Title = "" }, "plan_items.0.title", "report.err.title_required"},
		{"ErrPlanDescriptionTooLong", func(r *Report) { r.PlanItems[0].Description = strings.Repeat("述", 2001) }, "plan_items.0.description", "report.err.too_long"},
		{"ErrQuarterInvalid", func(r *Report) { r.PlanItems[0].Quarter = 5 }, "plan_items.0.quarter", "report.err.quarter_invalid"},
		{"ErrPlanRequestInvalid", func(r *Report) { r.PlanItems[0].RequestIDs = []int64{0} }, "plan_items.0.requests", "report.err.request_invalid"},
		{"ErrProgressStatusInvalid", func(r *Report) { r.Progress[0].Status = "maybe" }, "progress.0.status", "report.err.progress_status_invalid"},
		{"ErrProgressNoteTooLong", func(r *Report) { r.Progress[0].Note = strings.Repeat("注", 1001) }, "progress.0.note", "report.err.too_long"},
		{"ErrAnswerTooLong", func(r *Report) { r.Answers[0].Answer = strings.Repeat("答", 2001) }, "answers.0.answer", "report.err.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := completeReport()
			tt.change(&r)
			// What cannot be stored is Validate's; what a row lacks before
			// submission, Incomplete's. A draft may have the latter.
			errs, notes := r.Validate(), r.Incomplete(2026)
			if tt.field == "" {
				if len(errs) != 0 || len(notes) != 0 {
					t.Fatalf("Validate = %v, Incomplete = %v, want nothing", errs, notes)
				}
				return
			}
			if strings.HasPrefix(tt.name, "Incomplete") {
				if len(errs) != 0 {
					t.Errorf("Validate = %v, want nothing: a draft stores an incomplete row", errs)
				}
				errs = notes
			} else if len(notes) != 0 {
				t.Errorf("Incomplete = %v, want nothing", notes)
			}
			if got := errs[tt.field]; got != tt.key {
				t.Errorf("Validate[%q] = %q, want %q (all: %v)", tt.field, got, tt.key, errs)
			}
			if len(errs) != 1 {
				t.Errorf("Validate = %v, want only %q", errs, tt.field)
			}
		})
	}
}

func TestReportMissing(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*Report)
		hasCover bool
		want     []MissingItem
	}{
		{"OK", func(*Report) {}, true, nil},
		{"ErrCover", func(*Report) {}, false, []MissingItem{{SectionAttestation, "cover", "report.missing.cover"}}},
		{"ErrNarrative", func(r *Report) { r.Narrative = " " }, true, []MissingItem{{SectionNarrative, "narrative", "report.missing.narrative"}}},
		{"ErrHighlight", func(r *Report) { r.Highlight = "" }, true, []MissingItem{{SectionNarrative, "highlight", "report.missing.highlight"}}},
		{"ErrActivities", func(r *Report) { r.Activities = nil }, true, []MissingItem{{SectionActivities, "activities", "report.missing.activities"}}},
		{"OKNoMedia", func(r *Report) { r.Media = nil }, true, nil},
		{"ErrPlanItems", func(r *Report) { r.PlanItems = nil }, true, []MissingItem{{SectionPlan, "plan_items", "report.missing.plan_items"}}},
		{"ErrProgressUnanswered", func(r *Report) {
			r.Progress = append(r.Progress, Progress{ID: 8, Title: "另一项"})
		}, true, []MissingItem{{SectionProgress, "progress.1.status", "report.missing.progress"}}},
		{"OKNoProgressToReport", func(r *Report) { r.Progress = nil }, true, nil},
		{"ErrAnswerBlank", func(r *Report) { r.Answers[0].Answer = "  " }, true, []MissingItem{{SectionAnswers, "answers.0.answer", "report.missing.answer"}}},
		{"ErrLegalRepresentative", func(r *Report) { r.LegalRepresentative = "" }, true, []MissingItem{{SectionAttestation, "legal_representative", "report.missing.legal_representative"}}},
		{"ErrDeclaration", func(r *Report) { r.Declaration = false }, true, []MissingItem{{SectionAttestation, "declaration", "report.missing.declaration"}}},
		{"ErrIncompleteRowsNamed", func(r *Report) {
			r.Activities = append(r.Activities, Activity{Title: "只有标题"})
			r.Media[0].Channel = ""
			r.PlanItems[0].Title = " "
		}, true, []MissingItem{
			{SectionActivities, "activities.1.kind", "report.err.kind_required"},
			{SectionActivities, "activities.1.mode", "report.err.mode_required"},
			{SectionActivities, "activities.1.starts_on", "report.err.date_required"},
			{SectionActivities, "activities.1.ends_on", "report.err.date_required"},
			{SectionMedia, "media.0.channel", "report.err.channel_required"},
			{SectionPlan, "plan_items.0.title", "report.err.title_required"},
		}},
		{"ErrEverythingInPageOrder", func(r *Report) {
			*r = Report{ReportContent: ReportContent{
				Progress: []Progress{{ID: 1}}, Answers: []RequestAnswer{{RequestID: 1}}}}
		}, false, []MissingItem{
			{SectionNarrative, "narrative", "report.missing.narrative"},
			{SectionNarrative, "highlight", "report.missing.highlight"},
			{SectionActivities, "activities", "report.missing.activities"},
			{SectionPlan, "plan_items", "report.missing.plan_items"},
			{SectionProgress, "progress.0.status", "report.missing.progress"},
			{SectionAnswers, "answers.0.answer", "report.missing.answer"},
			{SectionAttestation, "legal_representative", "report.missing.legal_representative"},
			{SectionAttestation, "declaration", "report.missing.declaration"},
			{SectionAttestation, "cover", "report.missing.cover"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := completeReport()
			tt.change(&r)
			if got := r.Missing(tt.hasCover); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Missing = %v\nwant      %v", got, tt.want)
			}
		})
	}
}

func TestReportSteps(t *testing.T) {
	all := []ReportStatus{ReportDraft, ReportSubmitted, ReportReturned, ReportAccepted}
	legal := map[[2]ReportStatus]bool{
		{ReportDraft, ReportSubmitted}:    true,
		{ReportSubmitted, ReportReturned}: true,
		{ReportSubmitted, ReportAccepted}: true,
		{ReportReturned, ReportSubmitted}: true,
	}
	for _, from := range all {
		for _, to := range all {
			if got := CanReportStep(from, to); got != legal[[2]ReportStatus{from, to}] {
				t.Errorf("CanReportStep(%s, %s) = %v", from, to, got)
			}
		}
	}
	for _, s := range all {
		want := s == ReportDraft || s == ReportReturned
		if s.Editable() != want {
			t.Errorf("%s.Editable() = %v, want %v", s, s.Editable(), want)
		}
	}
}

func TestReportEditBlock(t *testing.T) {
	now := time.Date(2027, 1, 8, 23, 59, 0, 0, FederationZone) // the last minute of the deadline day
	open := Report{Status: ReportDraft, CycleStatus: CycleOpen, Deadline: date("2027-01-08")}
	tests := []struct {
		name   string
		change func(*Report)
		want   error
	}{
		{"OKDraft", func(r *Report) {}, nil},
		{"OKReturned", func(r *Report) { r.Status = ReportReturned }, nil},
		{"ErrSubmitted", func(r *Report) { r.Status = ReportSubmitted }, ErrReportReadOnly},
		{"ErrAccepted", func(r *Report) { r.Status = ReportAccepted }, ErrReportReadOnly},
		{"ErrCycleClosed", func(r *Report) { r.CycleStatus = CycleClosed }, ErrCycleClosed},
		{"ErrDeadlinePassed", func(r *Report) { r.Deadline = date("2027-01-07") }, ErrReportDeadlinePassed},
		// Several apply: read-only says most, then the closed cycle.
		{"ErrAcceptedInClosedCycle", func(r *Report) { r.Status, r.CycleStatus = ReportAccepted, CycleClosed }, ErrReportReadOnly},
		{"ErrClosedPastDeadline", func(r *Report) { r.CycleStatus, r.Deadline = CycleClosed, date("2026-12-01") }, ErrCycleClosed},
		{"ErrSubmittedPastDeadline", func(r *Report) { r.Status, r.Deadline = ReportSubmitted, date("2026-12-01") }, ErrReportReadOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := open
			tt.change(&r)
			err := r.EditBlock(now)
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("EditBlock = %v, want %v", err, tt.want)
			}
			if err != nil && !errors.Is(err, ErrConflict) {
				t.Errorf("EditBlock = %v, does not match ErrConflict", err)
			}
		})
	}
}

func TestReportIncompleteErrorIsConflict(t *testing.T) {
	var err error = &ReportIncompleteError{Missing: []MissingItem{{SectionNarrative, "narrative", "report.missing.narrative"}}}
	if !errors.Is(err, ErrConflict) {
		t.Error("ReportIncompleteError does not match ErrConflict")
	}
	if !errors.Is(ErrCycleNotOpen, ErrNotFound) || !errors.Is(ErrReportDeadlinePassed, ErrConflict) || !errors.Is(ErrReportReadOnly, ErrConflict) {
		t.Error("lifecycle errors do not wrap the error vocabulary")
	}
}

func TestChangedSections(t *testing.T) {
	prev := completeReport().ReportContent
	tests := []struct {
		name   string
		change func(*ReportContent)
		want   []string
	}{
		{"NoChange", func(*ReportContent) {}, nil},
		{"NewRowIDsAreNoChange", func(c *ReportContent) {
			c.Activities = append([]Activity(nil), c.Activities...)
			c.Activities[0].ID = 99
			c.Answers = []RequestAnswer{{RequestID: 1, Number: 1, TextZH: "要求", Answer: c.Answers[0].Answer}}
		}, nil},
		{"Highlight", func(c *ReportContent) { c.Highlight = "新的亮点" }, []string{SectionNarrative}},
		{"ActivityAndAttestation", func(c *ReportContent) {
			c.Activities = append([]Activity(nil), c.Activities...)
			c.Activities[0].PeopleReached = 130
			c.LegalRepresentative = "王芳"
		}, []string{SectionActivities, SectionAttestation}},
		{"PlanItemRemoved", func(c *ReportContent) { c.PlanItems = nil }, []string{SectionPlan}},
		{"ProgressNote", func(c *ReportContent) {
			c.Progress = []Progress{{ID: 7, PreviousPlanItemID: 3, Title: "去年计划", Status: ProgressDone, Note: "提前完成"}}
		}, []string{SectionProgress}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := completeReport().ReportContent
			tt.change(&cur)
			if got := ChangedSections(prev, cur); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ChangedSections = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseCount(t *testing.T) {
	tests := []struct {
		name, in string
		want     int64
		key      string
	}{
		{"OK", "120", 120, ""},
		{"OKEmptyIsZero", "", 0, ""},
		{"OKSpaces", " 7 ", 7, ""},
		{"ErrNegative", "-5", 0, "report.err.number_negative"},
		{"ErrFraction", "2.5", 0, "report.err.number_whole"},
		{"ErrWords", "一百", 0, "report.err.number_whole"},
		{"ErrTooLarge", "3000000000", 0, "report.err.number_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, key := ParseCount(tt.in)
			if n != tt.want || key != tt.key {
				t.Errorf("ParseCount(%q) = %d, %q; want %d, %q", tt.in, n, key, tt.want, tt.key)
			}
		})
	}
}

func TestParseReportDate(t *testing.T) {
	if d, key := ParseReportDate("2026-03-08"); key != "" || d.Year() != 2026 || d.Month() != 3 || d.Day() != 8 || d.Location() != FederationZone {
		t.Errorf("ParseReportDate(2026-03-08) = %v, %q", d, key)
	}
	if _, key := ParseReportDate(""); key != "report.err.date_required" {
		t.Errorf("empty: key %q", key)
	}
	if _, key := ParseReportDate("2026-02-30"); key != "report.err.date_invalid" {
		t.Errorf("2026-02-30: key %q", key)
	}
}

func TestReportStorable(t *testing.T) {
	prev := completeReport()
	r := completeReport()
	r.Narrative = strings.Repeat("字", MaxNarrative+1)
	r.Activities[0].Partners = strings.Repeat("伙", MaxPartners+1)
	r.Activities[0].PeopleReached = -1
	r.Media[0].Channel = "tiktok"
	got, errs := r.Storable(prev)
	want := map[string]string{"narrative": "report.err.too_long", "activities.0.partners": "report.err.too_long",
		"activities.0.people_reached": "report.err.number_negative", "media.0.channel": "report.err.channel_invalid"}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("Storable findings %v, want %v", errs, want)
	}
	if len(got.Validate()) != 0 {
		t.Errorf("Storable left %v", got.Validate())
	}
	// The stored narrative is kept; the row keeps everything else.
	a := got.Activities[0]
	if got.Narrative != prev.Narrative || a.Partners != "" || a.PeopleReached != 0 || a.Title != prev.Activities[0].Title ||
		got.Media[0].Channel != "" || got.Media[0].Items != prev.Media[0].Items {
		t.Errorf("Storable = %+v", got)
	}
	if r.Activities[0].Partners == "" {
		t.Error("Storable changed its receiver's rows")
	}
}

func TestReportWithoutRow(t *testing.T) {
	r := completeReport()
	r.Activities = append(r.Activities, Activity{Title: "第二场"})
	got, ok := r.WithoutRow("activities", 0)
	if !ok || len(got.Activities) != 1 || got.Activities[0].Title != "第二场" || len(r.Activities) != 2 {
		t.Errorf("WithoutRow(activities, 0) = %+v, %v", got.Activities, ok)
	}
	for _, c := range []struct {
		table string
		i     int
	}{{"activities", 2}, {"media", -1}, {"progress", 0}} {
		if _, ok := r.WithoutRow(c.table, c.i); ok {
			t.Errorf("WithoutRow(%s, %d) found a row", c.table, c.i)
		}
	}
}
