package postgres_test

import (
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"ngoportal/internal/pgtest"
)

// Names sort as their readers expect: Chinese by pinyin, English
// alphabetically ignoring case. The names are chosen so that code-point
// (and byte) order differs: 女医师 (yī), 女建筑师 (jiàn), 女律师 (lǜ) in code
// points; "Women ..." before "women ..." in bytes.
func TestNameCollation(t *testing.T) {
	t.Parallel()
	d := testDB{db: pgtest.New(t)}
	ctx := t.Context()
	for _, n := range [][3]string{
		{"physicians", "女医师", "Women Physicians"},
		{"architects", "女建筑师", "women architects"},
		{"lawyers", "女律师", "Women lawyers"},
	} {
		d.exec(t, `INSERT INTO ngos (slug, name_zh, name_en, show_in_directory) VALUES ($1, $2, $3, true)`, n[0], n[1], n[2])
	}
	strs := func(t *testing.T, sql string) []string {
		t.Helper()
		rows, err := d.db.Pool().Query(ctx, sql)
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return out
	}
	check := func(t *testing.T, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	}

	t.Run("ChineseByPinyin", func(t *testing.T) {
		check(t, strs(t, `SELECT name_zh FROM ngos ORDER BY name_zh`), []string{"女建筑师", "女律师", "女医师"})
	})
	t.Run("EnglishAlphabetically", func(t *testing.T) {
		check(t, strs(t, `SELECT name_en FROM ngos ORDER BY name_en`), []string{"women architects", "Women lawyers", "Women Physicians"})
	})
	t.Run("PublicDirectoryByPinyin", func(t *testing.T) {
		list, err := d.db.PublicNGOs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range list {
			got = append(got, n.NameZH)
		}
		check(t, got, []string{"女建筑师", "女律师", "女医师"})
	})
	// Every column of names has its collation, so a new ORDER BY on any
	// of them is in the readers' order without a COLLATE of its own.
	t.Run("EveryNameColumn", func(t *testing.T) {
		got := strs(t, `
			SELECT table_name || '.' || column_name || ' ' || coalesce(collation_name, 'default')
			FROM information_schema.columns
			WHERE table_schema = 'public' AND data_type = 'text'
			  AND column_name IN ('name', 'name_zh', 'name_en', 'short_name')
			ORDER BY (table_name || '.' || column_name) COLLATE "C"`)
		check(t, got, []string{
			"key_projects.name_en en-x-icu", "key_projects.name_zh zh-Hans-x-icu",
			"ngos.name_en en-x-icu", "ngos.name_zh zh-Hans-x-icu", "ngos.short_name zh-Hans-x-icu",
			"officials.name_en en-x-icu", "officials.name_zh zh-Hans-x-icu",
			"readiness_rows.name_en en-x-icu", "readiness_rows.name_zh zh-Hans-x-icu",
			"representatives.name zh-Hans-x-icu",
			"themes.name_en en-x-icu", "themes.name_zh zh-Hans-x-icu",
			"users.name zh-Hans-x-icu", "users.name_en en-x-icu",
		})
	})
}
