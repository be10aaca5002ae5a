package federationjourney

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// sessionCase is one window size and language of the journeys.
type sessionCase struct {
	name          string
	lang          string
	width, height int
	w             sessionWords
}

// pick is zh or en, in the case's language.
func (tc sessionCase) pick(zh, en string) string {
	if tc.lang == "en" {
		return en
	}
	return zh
}

// adminWithoutJavaScript starts a portal and a browser with JavaScript off,
// signs the demo admin in, and reports whether the window is a phone's.
func adminWithoutJavaScript(t *testing.T, tc sessionCase) (*browsertest.Portal, context.Context, bool) {
	t.Helper()
	p := browsertest.StartPortal(t)
	ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: tc.width, Height: tc.height})
	browsertest.SetJavaScript(t, ctx, false)
	browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
	if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/admin") {
		t.Fatalf("the admin landed on %s", loc)
	}
	return p, ctx, tc.width < 600
}

// sessionWords are the words the session journey expects, per language.
type sessionWords struct {
	officialsTitle, officialNewTitle, officialNameRequired, officialCreated string
	listTitle, newTitle, errorSummary, titleRequired                        string
	created, scheduleIncomplete, updated, scheduled, draft, scheduledBadge  string
	editPrefix                                                              string
}

// sessionJourneyCases are a desktop and a phone, in Chinese and in English.
func sessionJourneyCases() []sessionCase {
	zh := sessionWords{
		officialsTitle: "领导名册", officialNewTitle: "添加领导", officialNameRequired: "请填写中文姓名",
		officialCreated: "已添加到领导名册。",
		listTitle:       "年度会议", newTitle: "新建会议", errorSummary: "请修改以下内容后再提交",
		titleRequired: "请填写中文标题",
		created:       "会议草稿已创建。", scheduleIncomplete: "排定会议前，请先编辑会议并填写回复截止日期",
		updated: "会议已保存。", scheduled: "会议已排定，邀请开放回复。", draft: "草稿", scheduledBadge: "已排定",
		editPrefix: "编辑会议：",
	}
	en := sessionWords{
		officialsTitle: "Officials roster", officialNewTitle: "Add an official", officialNameRequired: "Enter the name in Chinese",
		officialCreated: "The official has been added to the roster.",
		listTitle:       "Leadership sessions", newTitle: "New session", errorSummary: "Please correct the following",
		titleRequired: "Enter the title in Chinese",
		created:       "The session has been created as a draft.", scheduleIncomplete: "Before scheduling, edit the session and set a reply deadline",
		updated: "The session has been saved.", scheduled: "The session is scheduled and invitations are open.",
		draft: "Draft", scheduledBadge: "Scheduled", editPrefix: "Edit session: ",
	}
	return []sessionCase{
		{"desktop-zh", "zh-CN", 1280, 900, zh},
		{"phone-zh", "zh-CN", 390, 844, zh},
		{"desktop-en", "en", 1280, 900, en},
		{"phone-en", "en", 390, 844, en},
	}
}

// An admin, with JavaScript off, looks at the officials roster and its
// form: refused, then accepted, then opened again for editing. Every page
// passes axe and fits a phone, in Chinese and in English.
func TestOfficialRosterJourney(t *testing.T) {
	t.Parallel()
	for _, tc := range sessionJourneyCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ctx, phone := adminWithoutJavaScript(t, tc)
			w := tc.w
			pick := tc.pick

			// The officials roster, and its form: refused, then accepted.
			browsertest.Navigate(t, ctx, p.URL+"/admin/officials")
			browsertest.WantPage(t, ctx, tc.lang, w.officialsTitle, pick("徐枫", "Xu Feng"))
			browsertest.CheckPageNoJS(t, ctx, "officials list "+tc.name, phone)
			browsertest.ClickAndWait(t, ctx, `main a[href="/admin/officials/new"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.officialNewTitle)
			browsertest.CheckPageNoJS(t, ctx, "official form "+tc.name, phone)
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.officialNewTitle, w.officialNameRequired)
			if s := browsertest.Text(t, ctx, ".error-summary"); !strings.Contains(s, w.errorSummary) {
				t.Errorf("official error summary = %q", s)
			}
			browsertest.CheckPageNoJS(t, ctx, "official form errors "+tc.name, phone)
			browsertest.Fill(t, ctx, [][2]string{{"#f-name_zh", "沈慧琳"}, {"#f-name_en", "Shen Huilin"}})
			browsertest.SetValues(t, ctx, [][2]string{{"#f-position", "other"}, {"#f-term_start", "2024-01-01"}})
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, w.officialsTitle, w.officialCreated, pick("沈慧琳", "Shen Huilin"))
			browsertest.CheckPageNoJS(t, ctx, "officials list after adding "+tc.name, phone)
			browsertest.ClickAndWait(t, ctx, `main table a[href$="/edit"]`)
			if got := browsertest.Value(t, ctx, "#f-name_zh"); got == "" {
				t.Error("the official's edit form is empty")
			}
			browsertest.CheckPageNoJS(t, ctx, "official edit form "+tc.name, phone)

		})
	}
}

// An admin, with JavaScript off, creates a session whose agenda gets two rows through the
// "add row" button, tries to schedule it without a reply deadline (refused),
// sets the deadline and schedules it. Every page on the way passes axe, and
// fits a phone, in Chinese and in English.
func TestSessionJourney(t *testing.T) {
	t.Parallel()
	for _, tc := range sessionJourneyCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ctx, phone := adminWithoutJavaScript(t, tc)
			w := tc.w
			pick := tc.pick

			// The sessions: the list shows the demo's two.
			browsertest.Navigate(t, ctx, p.URL+"/admin/sessions")
			browsertest.WantPage(t, ctx, tc.lang, w.listTitle, pick("2021年上海市女性社会组织负责人年度会议", "2021 Annual Leadership Session"))
			browsertest.CheckPageNoJS(t, ctx, "session list "+tc.name, phone)

			browsertest.ClickAndWait(t, ctx, `main a[href="/admin/sessions/new"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.newTitle)
			browsertest.CheckPageNoJS(t, ctx, "session form "+tc.name, phone)

			// Saving the empty form is refused, with the errors listed.
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary[value="save"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.newTitle, w.titleRequired)
			if s := browsertest.Text(t, ctx, ".error-summary"); !strings.Contains(s, w.errorSummary) {
				t.Errorf("session error summary = %q", s)
			}
			browsertest.CheckPageNoJS(t, ctx, "session form errors "+tc.name, phone)

			// The form starts with one agenda row; two more are added by the
			// button, and the last is moved up by another: the form posts
			// back each time, keeping what was typed and saving nothing.
			titleZH := "2028年上海市女性社会组织负责人年度会议"
			titleEN := "2028 Annual Leadership Session of Shanghai Women's NGOs"
			browsertest.Fill(t, ctx, [][2]string{{"#f-title_zh", titleZH}, {"#f-title_en", titleEN}})
			browsertest.SetValues(t, ctx, [][2]string{{"#f-level", "municipal"}, {"#f-held_on", "2028-01-18"}, {"#f-starts_at", "14:00"}})
			if n := browsertest.Count(t, ctx, "fieldset.session-agenda-row"); n != 1 {
				t.Fatalf("a new session's form has %d agenda rows, want 1", n)
			}
			browsertest.Fill(t, ctx, [][2]string{{"#f-agenda_0_title_zh", "开幕致辞"}, {"#f-agenda_0_title_en", "Opening remarks"}, {"#f-agenda_0_minutes", "10"}})
			browsertest.ClickAndWait(t, ctx, `button[name="op"][value="add-row"]`)
			if n := browsertest.Count(t, ctx, "fieldset.session-agenda-row"); n != 2 {
				t.Fatalf("after one click on add row there are %d rows, want 2", n)
			}
			for sel, want := range map[string]string{"#f-title_zh": titleZH, "#f-held_on": "2028-01-18", "#f-agenda_0_title_zh": "开幕致辞"} {
				if got := browsertest.Value(t, ctx, sel); got != want {
					t.Errorf("after adding a row %s holds %q, want %q", sel, got, want)
				}
			}
			browsertest.Fill(t, ctx, [][2]string{{"#f-agenda_1_title_zh", "会议总结"}, {"#f-agenda_1_title_en", "Closing"}, {"#f-agenda_1_minutes", "5"}})
			browsertest.ClickAndWait(t, ctx, `button[name="op"][value="add-row"]`)
			if n := browsertest.Count(t, ctx, "fieldset.session-agenda-row"); n != 3 {
				t.Fatalf("after two clicks on add row there are %d rows, want 3", n)
			}
			browsertest.Fill(t, ctx, [][2]string{{"#f-agenda_2_title_zh", "社会组织年度工作交流"}, {"#f-agenda_2_title_en", "NGO reports"}, {"#f-agenda_2_minutes", "8"}})
			browsertest.SetValues(t, ctx, [][2]string{{"#f-agenda_2_ngo", ngoValue(t, ctx, "#f-agenda_2_ngo")}})
			browsertest.ClickAndWait(t, ctx, `button[name="op"][value="up-3"]`)
			if got := browsertest.Value(t, ctx, "#f-agenda_1_title_zh"); got != "社会组织年度工作交流" {
				t.Errorf("after moving row 3 up, row 2 is %q", got)
			}
			if got := browsertest.Value(t, ctx, "#f-agenda_2_title_zh"); got != "会议总结" {
				t.Errorf("after moving row 3 up, row 3 is %q", got)
			}
			if got := browsertest.Value(t, ctx, "#f-agenda_1_ngo"); got == "" {
				t.Error("the moved row lost its speaking slot")
			}
			browsertest.CheckPageNoJS(t, ctx, "session form with agenda "+tc.name, phone)
			var saved int
			if err := p.DB.Pool().QueryRow(t.Context(), `SELECT count(*) FROM sessions WHERE title_zh = $1`, titleZH).Scan(&saved); err != nil {
				t.Fatal(err)
			}
			if saved != 0 {
				t.Error("editing the agenda rows saved the session")
			}
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name="officials"]`))); err != nil {
				t.Fatalf("tick an official: %v", err)
			}
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary[value="save"]`)
			browsertest.WantPage(t, ctx, tc.lang, pick(titleZH, titleEN), w.created, w.draft,
				pick("开幕致辞", "Opening remarks"), pick("社会组织年度工作交流", "NGO reports"), pick("会议总结", "Closing"))
			agenda := browsertest.Text(t, ctx, "ol.session-agenda")
			i, j, k := strings.Index(agenda, pick("开幕致辞", "Opening remarks")), strings.Index(agenda, pick("社会组织年度工作交流", "NGO reports")), strings.Index(agenda, pick("会议总结", "Closing"))
			if !(i < j && j < k) {
				t.Errorf("the agenda is out of order: %q", agenda)
			}
			if n := browsertest.Count(t, ctx, "ol.session-agenda li"); n != 3 {
				t.Errorf("the saved agenda has %d items, want 3", n)
			}
			browsertest.CheckPageNoJS(t, ctx, "session detail "+tc.name, phone)
			detail := browsertest.Location(t, ctx)

			// Scheduling without a reply deadline is refused.
			browsertest.ClickAndWait(t, ctx, `form.session-step:has(input[name="to"][value="scheduled"]) button`)
			browsertest.WantPage(t, ctx, tc.lang, pick(titleZH, titleEN), w.scheduleIncomplete, w.draft)
			browsertest.CheckPageNoJS(t, ctx, "session detail refused "+tc.name, phone)

			// Set the deadline, then schedule.
			browsertest.ClickAndWait(t, ctx, `main a.button.secondary[href$="/edit"]`)
			browsertest.WantPage(t, ctx, tc.lang, w.editPrefix+pick(titleZH, titleEN))
			if n := browsertest.Count(t, ctx, "fieldset.session-agenda-row"); n != 3 {
				t.Errorf("the edit form has %d agenda rows, want 3", n)
			}
			browsertest.CheckPageNoJS(t, ctx, "session edit form "+tc.name, phone)
			browsertest.SetValues(t, ctx, [][2]string{{"#f-deadline_date", "2028-01-11"}, {"#f-deadline_time", "18:00"}})
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary[value="save"]`)
			browsertest.WantPage(t, ctx, tc.lang, pick(titleZH, titleEN), w.updated, "18:00")
			browsertest.ClickAndWait(t, ctx, `form.session-step:has(input[name="to"][value="scheduled"]) button`)
			browsertest.WantPage(t, ctx, tc.lang, pick(titleZH, titleEN), w.scheduled, w.scheduledBadge)
			if loc := browsertest.Location(t, ctx); loc != detail {
				t.Errorf("after scheduling the browser is at %s, want %s", loc, detail)
			}
			browsertest.CheckPageNoJS(t, ctx, "session detail scheduled "+tc.name, phone)

			browsertest.Navigate(t, ctx, p.URL+"/admin/sessions")
			if body := browsertest.Text(t, ctx, "main table"); !strings.Contains(body, pick(titleZH, titleEN)) {
				t.Errorf("the list lacks the new session: %q", body)
			}
			browsertest.CheckPageNoJS(t, ctx, "session list after "+tc.name, phone)
		})
	}
}

// ngoValue is the value of the first NGO a speaking-slot select offers.
func ngoValue(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+browsertest.JSString(sel+` option[value]:not([value=""])`)+`).value`))
	if err != nil || v == "" {
		t.Fatalf("no NGO to choose in %s: %v", sel, err)
	}
	return v
}
