package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"ngoportal/internal/i18n"
	"ngoportal/internal/portal"
)

func TestVocabularyPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := asAdmin(t, h)

	t.Run("Index", func(t *testing.T) {
		res := h.as(t, admin, get(adminVocabularyPath))
		wantStatus(t, res, http.StatusOK)
		wantContains(t, res.body, cyText(h, i18n.ZhCN, "vocabulary.title"), "抗击疫情", "Epidemic response", "巾帼职场导师计划",
			`href="/admin/vocabulary/themes/new"`, `href="/admin/vocabulary/projects/new"`)
		en := h.as(t, admin, inEnglish(get(adminVocabularyPath)))
		wantContains(t, en.body, "Themes and key projects", "Key projects", "Retire “Epidemic response”")
		// The first theme cannot move up, the last not down.
		first := cyQueryID(t, h, `SELECT id FROM themes ORDER BY position LIMIT 1`)
		last := cyQueryID(t, h, `SELECT id FROM themes ORDER BY position DESC LIMIT 1`)
		wantAbsent(t, res.body, adminTermPath(portal.KindTheme, first)+`/up"`, adminTermPath(portal.KindTheme, last)+`/down"`)
		wantContains(t, res.body, adminTermPath(portal.KindTheme, first)+`/down"`, adminTermPath(portal.KindTheme, last)+`/up"`)
	})

	for _, kind := range portal.VocabularyKinds {
		t.Run(string(kind), func(t *testing.T) {
			list := adminTermsPath(kind)
			valid := func() url.Values {
				return url.Values{"name_zh": {"乡村振兴巾帼行动"}, "name_en": {"Women in rural revitalisation"},
					"description_zh": {"助力乡村振兴"}, "description_en": {""}}
			}
			tests := []struct {
				name   string
				change func(url.Values)
				key    string
			}{
				{"ErrNameZHRequired", func(v url.Values) { v.Set("name_zh", "") }, "vocabulary.err.name_zh_required"},
				{"ErrNameENRequired", func(v url.Values) { v.Set("name_en", " ") }, "vocabulary.err.name_en_required"},
				{"ErrNameZHTooLong", func(v url.Values) { v.Set("name_zh", strings.Repeat("长", 61)) }, "vocabulary.err.name_zh_too_long"},
				{"ErrNameENTooLong", func(v url.Values) { v.Set("name_en", strings.Repeat("x", 101)) }, "vocabulary.err.name_en_too_long"},
				{"ErrDescriptionTooLong", func(v url.Values) { v.Set("description_en", strings.Repeat("x", 501)) }, "vocabulary.err.description_en_too_long"},
				{"ErrNameTaken", func(v url.Values) {
					v.Set("name_zh", map[portal.VocabularyKind]string{portal.KindTheme: "抗击疫情", portal.KindProject: "巾帼职场导师计划"}[kind])
				}, "vocabulary.err.name_zh_taken"},
			}
			for _, l := range []i18n.Locale{i18n.ZhCN, i18n.En} {
				for _, tt := range tests {
					t.Run(string(l)+"/"+tt.name, func(t *testing.T) {
						form := valid()
						tt.change(form)
						r := postForm(list, form)
						if l == i18n.En {
							r = inEnglish(r)
						}
						res := h.as(t, admin, r)
						wantStatus(t, res, http.StatusUnprocessableEntity)
						wantContains(t, res.body, cyText(h, l, tt.key), cyText(h, l, "form.error_summary"), "助力乡村振兴")
					})
				}
			}

			res := h.as(t, admin, postForm(list, valid()))
			wantStatus(t, res, http.StatusSeeOther)
			table := map[portal.VocabularyKind]string{portal.KindTheme: "themes", portal.KindProject: "key_projects"}[kind]
			id := cyQueryID(t, h, `SELECT id FROM `+table+` WHERE name_zh = '乡村振兴巾帼行动'`)
			page := h.as(t, admin, get(res.header.Get("Location")))
			wantContains(t, page.body, cyText(h, i18n.ZhCN, "vocabulary.flash.created."+string(kind)), "乡村振兴巾帼行动")

			edit := h.as(t, admin, get(adminTermEditPath(kind, id)))
			wantStatus(t, edit, http.StatusOK)
			wantContains(t, edit.body, `name="version" value="1"`, `value="Women in rural revitalisation"`)

			upd := valid()
			upd.Set("version", "1")
			upd.Set("name_en", "Women and rural revitalisation")
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, id), upd)), http.StatusSeeOther)
			upd.Set("name_en", "A stale edit")
			stale := h.as(t, admin, postForm(adminTermPath(kind, id), upd))
			wantStatus(t, stale, http.StatusConflict)
			wantContains(t, stale.body, cyText(h, i18n.ZhCN, "form.conflict"), `value="A stale edit"`, `name="version" value="2"`)

			// Retire and restore; a stale version is a 409.
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, id)+"/retire", url.Values{"version": {"1"}})), http.StatusConflict)
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, id)+"/retire", url.Values{})), http.StatusBadRequest)
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, id)+"/retire", url.Values{"version": {"2"}})), http.StatusSeeOther)
			if active, _ := h.db.ListTerms(t.Context(), kind, true); len(active) != map[portal.VocabularyKind]int{portal.KindTheme: 6, portal.KindProject: 4}[kind] {
				t.Errorf("%d active after retiring", len(active))
			}
			idx := h.as(t, admin, get(adminVocabularyPath))
			wantContains(t, idx.body, cyText(h, i18n.ZhCN, "vocabulary.status.retired"), adminTermPath(kind, id)+`/restore"`)
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, id)+"/restore", url.Values{"version": {"3"}})), http.StatusSeeOther)

			// Reorder: up one place, then down again.
			before := cyQueryID(t, h, `SELECT position FROM `+table+` WHERE id = $1`, id)
			up := h.as(t, admin, postForm(adminTermPath(kind, id)+"/up", url.Values{}))
			wantStatus(t, up, http.StatusSeeOther)
			if after := cyQueryID(t, h, `SELECT position FROM `+table+` WHERE id = $1`, id); after != before-1 {
				t.Errorf("position %d → %d after moving up", before, after)
			}
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, id)+"/down", url.Values{})), http.StatusSeeOther)
			if after := cyQueryID(t, h, `SELECT position FROM `+table+` WHERE id = $1`, id); after != before {
				t.Errorf("position %d → %d after moving back down", before, after)
			}

			var actions []string
			rows, err := h.db.Pool().Query(t.Context(), `SELECT action FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id`,
				map[portal.VocabularyKind]string{portal.KindTheme: portal.AuditObjectTheme, portal.KindProject: portal.AuditObjectKeyProject}[kind], id)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var a string
				if err := rows.Scan(&a); err != nil {
					t.Fatal(err)
				}
				actions = append(actions, a)
			}
			rows.Close()
			p := map[portal.VocabularyKind]string{portal.KindTheme: "theme.", portal.KindProject: "project."}[kind]
			if got, want := strings.Join(actions, " "), strings.Join([]string{p + "created", p + "updated", p + "retired", p + "restored", p + "moved", p + "moved"}, " "); got != want {
				t.Errorf("audit = %s, want %s", got, want)
			}

			wantStatus(t, h.as(t, admin, get(adminTermEditPath(kind, 999999))), http.StatusNotFound)
			wantStatus(t, h.as(t, admin, postForm(adminTermPath(kind, 999999)+"/up", url.Values{})), http.StatusNotFound)
		})
	}
	t.Run("ThemeIDIsNotAProjectID", func(t *testing.T) {
		maxProject := cyQueryID(t, h, `SELECT max(id) FROM key_projects`)
		wantStatus(t, h.as(t, admin, get(adminTermEditPath(portal.KindProject, maxProject+1000))), http.StatusNotFound)
		wantStatus(t, h.as(t, admin, get(fmt.Sprintf("/admin/vocabulary/other/%d/edit", maxProject))), http.StatusNotFound)
	})
}
