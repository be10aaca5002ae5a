package federationjourney

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"ngoportal/internal/browsertest"
	"ngoportal/internal/demo"
)

// An admin signs in, registers an NGO through the form (after a refused
// first try), finds it in the registry, and every page on the way passes
// axe, on a desktop and on a phone, in Chinese and in English.
func TestNGORegistryJourney(t *testing.T) {
	t.Parallel()
	type words struct {
		listTitle, newTitle, errorSummary, nameRequired, created, empty, editButton string
	}
	zh := words{"社会组织名录", "登记社会组织", "请修改以下内容后再提交", "请填写中文名称", "社会组织已登记。", "没有符合条件的社会组织。", "编辑登记信息"}
	en := words{"NGO registry", "Register an NGO", "Please correct the following", "Enter the name in Chinese", "The NGO has been registered.", "No NGOs match these filters.", "Edit registry details"}
	cases := []struct {
		name          string
		lang          string
		width, height int
		w             words
		nameZH        string
		nameEN        string
		code          string
	}{
		{"desktop-zh", "zh-CN", 1280, 900, zh, "浦东新区女性互助会", "Pudong Women Mutual Aid Society", "51310115mj0000011l"},
		{"phone-zh", "zh-CN", 390, 844, zh, "徐汇区女性就业服务社", "Xuhui Women Employment Service", "51310115MJ0000022Q"},
		{"desktop-en", "en", 1280, 900, en, "静安区女性读书会", "Jing'an Women Reading Circle", "51310104MJ0000033Y"},
		{"phone-en", "en", 390, 844, en, "黄浦区女性健康之家", "Huangpu Women Health House", "51310104MJ00000443"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: tc.width, Height: tc.height})
			phone := tc.width < 600

			browsertest.SignIn(t, ctx, p.URL, demo.AdminEmail, demo.Password)
			if loc := browsertest.Location(t, ctx); !strings.Contains(loc, "/admin") {
				t.Fatalf("the admin landed on %s", loc)
			}

			browsertest.Navigate(t, ctx, p.URL+"/admin/ngos")
			browsertest.WantPage(t, ctx, tc.lang, tc.w.listTitle)
			if body := browsertest.Text(t, ctx, "main"); !strings.Contains(body, "上海市女性创业促进会") {
				t.Error("the registry does not list the demo NGOs")
			}
			browsertest.CheckPage(t, ctx, "ngo list "+tc.name, phone)

			browsertest.ClickAndWait(t, ctx, `main a[href="/admin/ngos/new"]`)
			browsertest.WantPage(t, ctx, tc.lang, tc.w.newTitle)
			browsertest.CheckPage(t, ctx, "ngo form "+tc.name, phone)

			// Submitting with no names is refused, with the errors listed.
			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			browsertest.WantPage(t, ctx, tc.lang, tc.w.newTitle, tc.w.nameRequired)
			if s := browsertest.Text(t, ctx, ".error-summary"); !strings.Contains(s, tc.w.errorSummary) {
				t.Errorf("error summary = %q", s)
			}
			browsertest.CheckPage(t, ctx, "ngo form errors "+tc.name, phone)

			browsertest.Fill(t, ctx, [][2]string{
				{"#f-name_zh", tc.nameZH},
				{"#f-name_en", tc.nameEN},
				{"#f-short_name", "互助会"},
				{"#f-credit_code", tc.code},
				{"#f-founded_year", "2016"},
				{"#f-focus_areas", "女性互助\n法律咨询，心理支持"},
				{"#f-contact_person", "沈玲"},
				{"#f-phone", "021-5888 1234"},
				{"#f-email", "hello@mutual-aid.example.org"},
				{"#f-website", "https://mutual-aid.example.org"},
				{"#f-address", "上海市浦东新区世纪大道100号"},
				{"#f-profile_zh", "为社区女性提供互助与支持。"},
				{"#f-profile_en", "Mutual aid and support for women in the community."},
			})

			browsertest.ClickAndWait(t, ctx, `form.stack button.primary`)
			h1 := tc.nameZH
			if tc.lang == "en" {
				h1 = tc.nameEN
			}
			browsertest.WantPage(t, ctx, tc.lang, h1, tc.w.created, strings.ToUpper(tc.code), "法律咨询", "心理支持", "沈玲")
			browsertest.CheckPage(t, ctx, "ngo detail "+tc.name, phone)

			browsertest.ClickAndWait(t, ctx, `main a.button.secondary`)
			if got := browsertest.Text(t, ctx, "h1"); !strings.Contains(got, h1) {
				t.Errorf("edit page h1 = %q", got)
			}
			v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-name_en")))
			if err != nil || v != tc.nameEN {
				t.Errorf("edit form holds %q (%v), want %q", v, err, tc.nameEN)
			}
			browsertest.CheckPage(t, ctx, "ngo edit "+tc.name, phone)

			// The new NGO is in the registry: find it with the search.
			browsertest.Navigate(t, ctx, p.URL+"/admin/ngos")
			browsertest.Fill(t, ctx, [][2]string{{"#f-q", tc.nameEN[:10]}})
			browsertest.ClickAndWait(t, ctx, `form.filters button[type="submit"]`)
			body := browsertest.Text(t, ctx, "main table")
			if !strings.Contains(body, tc.nameZH) || !strings.Contains(body, tc.nameEN) || !strings.Contains(body, "互助会") {
				t.Errorf("the registry search does not show the new NGO: %q", body)
			}
			if strings.Contains(body, "上海市女性创业促进会") {
				t.Error("the search still lists unrelated NGOs")
			}
			browsertest.CheckPage(t, ctx, "ngo list search "+tc.name, phone)

			browsertest.Navigate(t, ctx, p.URL+"/admin/ngos?q=no-such-ngo-at-all")
			browsertest.WantPage(t, ctx, tc.lang, tc.w.listTitle, tc.w.empty)
			browsertest.CheckPage(t, ctx, "ngo list empty "+tc.name, phone)
		})
	}
}

// Staff see their own NGO's home, readable and accessible on a phone and a
// desktop, in both languages.
func TestStaffHomeJourney(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, lang    string
		width, height int
		h1, password  string
	}{
		{"phone-zh", "zh-CN", 390, 844, "上海市女律师联谊会", "修改我的密码"},
		{"desktop-en", "en", 1280, 900, "Shanghai Women Lawyers Fellowship", "Change my password"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := browsertest.StartPortal(t)
			ctx := browsertest.NewBrowser(t, browsertest.Options{Lang: tc.lang, Width: tc.width, Height: tc.height})
			browsertest.SignIn(t, ctx, p.URL, demo.StaffEmail(4), demo.Password)
			browsertest.Navigate(t, ctx, p.URL+"/ngo")
			browsertest.WantPage(t, ctx, tc.lang, tc.h1, "513100005039051867", "刘洋", "ngo04@example.org", "法律援助", tc.password)
			browsertest.CheckPage(t, ctx, "staff home "+tc.name, tc.width < 600)
			browsertest.ClickAndWait(t, ctx, `main a[href="/account/password"]`)
			if loc := browsertest.Location(t, ctx); !strings.HasSuffix(loc, "/account/password") {
				t.Errorf("the password link leads to %s", loc)
			}
		})
	}
}
