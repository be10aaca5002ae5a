package postgres_test

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"sync"
	"testing"
	"time"

	"ngoportal/internal/demo"
	"ngoportal/internal/portal"
	"ngoportal/internal/postgres"
)

// seeded returns a database with the demo data and an actor for the demo
// admin.
func seeded(t *testing.T) (*postgres.DB, portal.Actor) {
	t.Helper()
	db := newDemoDB(t).db
	u, _, err := db.SignInUser(t.Context(), demo.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	return db, portal.Actor{UserID: u.ID, Email: u.Email, ClientAddr: netip.MustParseAddr("192.0.2.7"), RequestID: "test"}
}

func newNGO(zh, en, code string) portal.NGO {
	return portal.NGO{
		NameZH: zh, NameEN: en, ShortName: "简称", CreditCode: code,
		FocusAreas: []string{"女性创业", "家庭教育"}, FoundedYear: 2015, ContactPerson: "李静",
		Phone: "021-6321 0000", Email: "contact@example.org", Website: "https://example.org",
		FocusAreasEN: []string{"Women's entrepreneurship", "Family education"},
		Address:      "上海市黄浦区", AddressEN: "Huangpu District, Shanghai", ProfileZH: "简介", ProfileEN: "Profile", ShowInDirectory: true,
	}
}

func TestSeededNGORegistry(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t)
	items, total, err := db.ListNGOs(t.Context(), portal.NGOFilter{Status: portal.NGOStatusAll, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if total != 18 || len(items) != 18 {
		t.Fatalf("%d NGOs (%d listed), want 18", total, len(items))
	}
	codes := map[string]bool{}
	for _, it := range items {
		n := it.NGO
		t.Run(n.Slug, func(t *testing.T) {
			if !portal.ValidCreditCode(n.CreditCode) {
				t.Errorf("credit code %q is not valid", n.CreditCode)
			}
			if codes[n.CreditCode] {
				t.Errorf("credit code %q seeded twice", n.CreditCode)
			}
			codes[n.CreditCode] = true
			if errs := n.Validate(); len(errs) != 0 {
				t.Errorf("the seeded entry breaks the registry's rules: %v", errs)
			}
			if n.FoundedYear == 0 || len(n.FocusAreas) == 0 || n.ContactPerson == "" || n.Phone == "" ||
				n.Address == "" || len(n.FocusAreasEN) != len(n.FocusAreas) || n.AddressEN == "" || n.ProfileZH == "" || n.ProfileEN == "" || !n.ShowInDirectory || !n.Active {
				t.Errorf("incomplete demo entry: %+v", n)
			}
			if n.Email != "contact@"+n.Slug+".example.org" || n.Website != "https://"+n.Slug+".example.org" {
				t.Errorf("email %q, website %q", n.Email, n.Website)
			}
			if it.StaffCount != 1 {
				t.Errorf("staff count %d, want 1", it.StaffCount)
			}
		})
	}
}

func TestCreateNGO(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()

	n, err := db.CreateNGO(ctx, actor, newNGO("上海市女性公益发展中心", "Shanghai Women's Welfare Centre", "31310000MD0123456H"))
	if err != nil {
		t.Fatalf("CreateNGO: %v", err)
	}
	if n.ID == 0 || n.Slug != "shanghai-womens-welfare-centre" || !n.Active || n.Version != 1 {
		t.Fatalf("created %+v", n)
	}
	got, err := db.NGOByID(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := newNGO("上海市女性公益发展中心", "Shanghai Women's Welfare Centre", "31310000MD0123456H")
	if d := portal.Diff(want.AuditFields(), got.AuditFields()); len(d) != 0 {
		t.Errorf("stored NGO differs from what was created: %v", d)
	}
	audit := objectAudit(t, db, portal.AuditObjectNGO, n.ID)
	if len(audit) != 1 || audit[0].Action != portal.AuditNGOCreated || audit[0].NGOID != n.ID {
		t.Fatalf("audit = %+v", audit)
	}
	for field, after := range map[string]any{"name_zh": "上海市女性公益发展中心", "slug": n.Slug, "founded_year": float64(2015), "active": true} {
		c, ok := audit[0].Changes[field]
		if !ok || c.Before != nil || !reflect.DeepEqual(c.After, after) {
			t.Errorf("audit change %s = %+v, want nil → %v", field, c, after)
		}
	}

	t.Run("OKSlugTaken", func(t *testing.T) {
		second, err := db.CreateNGO(ctx, actor, newNGO("另一个组织", "Shanghai Women's Welfare Centre", ""))
		if err != nil {
			t.Fatal(err)
		}
		if second.Slug != "shanghai-womens-welfare-centre-2" {
			t.Errorf("slug %q, want the -2 variant", second.Slug)
		}
		third, err := db.CreateNGO(ctx, actor, newNGO("第三个组织", "Shanghai Women’s Welfare Centre!", ""))
		if err != nil {
			t.Fatal(err)
		}
		if third.Slug != "shanghai-womens-welfare-centre-3" {
			t.Errorf("slug %q, want the -3 variant", third.Slug)
		}
	})
	t.Run("OKNoCreditCode", func(t *testing.T) {
		// Blank codes are NULL, so any number of NGOs may lack one.
		for i := range 2 {
			if _, err := db.CreateNGO(ctx, actor, newNGO(fmt.Sprintf("无代码组织%d", i), "No Code", "")); err != nil {
				t.Fatal(err)
			}
		}
	})
	t.Run("ErrCreditCodeTaken", func(t *testing.T) {
		_, err := db.CreateNGO(ctx, actor, newNGO("重复代码组织", "Duplicate Code", "51310000501830272K"))
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["credit_code"] != portal.MsgNGOCreditCodeTaken {
			t.Errorf("err = %v, want a credit_code field error", err)
		}
	})
	t.Run("ErrNameZHTaken", func(t *testing.T) {
		_, err := db.CreateNGO(ctx, actor, newNGO("上海市女律师联谊会", "Another", ""))
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["name_zh"] != portal.MsgNGONameZHTaken {
			t.Errorf("err = %v, want a name_zh field error", err)
		}
	})
}

// Two admins creating NGOs with the same English name at the same moment
// both succeed, with different slugs.
func TestCreateNGOConcurrentSlugs(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	var wg sync.WaitGroup
	slugs := make([]string, 4)
	errs := make([]error, 4)
	for i := range 4 {
		wg.Go(func() {
			n, err := db.CreateNGO(t.Context(), actor, newNGO(fmt.Sprintf("并发组织%d", i), "Same Name", ""))
			slugs[i], errs[i] = n.Slug, err
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range 4 {
		if errs[i] != nil {
			t.Errorf("create %d: %v", i, errs[i])
		}
		if seen[slugs[i]] {
			t.Errorf("slug %q given twice", slugs[i])
		}
		seen[slugs[i]] = true
	}
	for _, s := range []string{"same-name", "same-name-2", "same-name-3", "same-name-4"} {
		if !seen[s] {
			t.Errorf("slugs %v lack %s", slugs, s)
		}
	}
}

func TestUpdateNGO(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	n, err := db.CreateNGO(ctx, actor, newNGO("待编辑组织", "To Be Edited", ""))
	if err != nil {
		t.Fatal(err)
	}

	edit := n
	edit.NameEN = "Edited Name"
	edit.FocusAreas = []string{"心理健康"}
	edit.FocusAreasEN = []string{"Mental health"}
	edit.AddressEN = ""
	edit.FoundedYear = 0
	saved, err := db.UpdateNGO(ctx, actor, n.ID, edit)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Version != 2 || saved.NameEN != "Edited Name" || saved.FoundedYear != 0 || saved.Slug != n.Slug ||
		!reflect.DeepEqual(saved.FocusAreasEN, []string{"Mental health"}) || saved.AddressEN != "" {
		t.Errorf("saved %+v", saved)
	}
	audit := objectAudit(t, db, portal.AuditObjectNGO, n.ID)
	if len(audit) != 2 || audit[1].Action != portal.AuditNGOUpdated {
		t.Fatalf("audit = %+v", audit)
	}
	wantChanges := map[string]portal.Change{
		"name_en":      {Before: "To Be Edited", After: "Edited Name"},
		"focus_areas":  {Before: []any{"女性创业", "家庭教育"}, After: []any{"心理健康"}},
		"founded_year": {Before: float64(2015), After: nil},
		"focus_areas_en": {Before: []any{"Women's entrepreneurship", "Family education"},
			After: []any{"Mental health"}},
		"address_en": {Before: "Huangpu District, Shanghai", After: ""},
	}
	if !reflect.DeepEqual(audit[1].Changes, wantChanges) {
		t.Errorf("audit changes = %#v, want %#v", audit[1].Changes, wantChanges)
	}

	t.Run("ErrFocusAreasENNotParallel", func(t *testing.T) {
		// The schema keeps the English list parallel to the Chinese one,
		// whatever a caller skipping portal.NGO.Validate sends.
		bad := saved
		bad.FocusAreasEN = []string{"Mental health", "Counselling"}
		if _, err := db.UpdateNGO(ctx, actor, n.ID, bad); err == nil {
			t.Error("saved two English focus areas for one Chinese one")
		}
	})
	t.Run("ErrConflictStaleVersion", func(t *testing.T) {
		stale := n // still at version 1
		stale.NameEN = "Overwrite"
		if _, err := db.UpdateNGO(ctx, actor, n.ID, stale); !errors.Is(err, portal.ErrConflict) {
			t.Fatalf("err = %v, want ErrConflict", err)
		}
		if got, _ := db.NGOByID(ctx, n.ID); got.NameEN != "Edited Name" {
			t.Errorf("a stale save overwrote the name: %q", got.NameEN)
		}
	})
	t.Run("OKNothingChanged", func(t *testing.T) {
		again, err := db.UpdateNGO(ctx, actor, n.ID, saved)
		if err != nil {
			t.Fatal(err)
		}
		if again.Version != saved.Version || len(objectAudit(t, db, portal.AuditObjectNGO, n.ID)) != 2 {
			t.Error("a save without changes bumped the version or wrote an audit row")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := db.UpdateNGO(ctx, actor, 999999, saved); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("ErrCreditCodeTaken", func(t *testing.T) {
		dup := saved
		dup.CreditCode = "51310000501830272K"
		_, err := db.UpdateNGO(ctx, actor, n.ID, dup)
		var ve *portal.ValidationError
		if !errors.As(err, &ve) || ve.Fields["credit_code"] != portal.MsgNGOCreditCodeTaken {
			t.Errorf("err = %v, want a credit_code field error", err)
		}
	})
}

func TestDeactivateNGO(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	var ngoID, staffID int64
	if err := db.Pool().QueryRow(ctx, `
		SELECT n.id, u.id FROM ngos n JOIN users u ON u.ngo_id = n.id WHERE u.email = $1`,
		demo.StaffEmail(3)).Scan(&ngoID, &staffID); err != nil {
		t.Fatal(err)
	}
	sid := "session-of-staff-3"
	if err := db.CreateLoginSession(ctx, actor, staffID, sid, "", time.Hour, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoginSessionByID(ctx, sid, time.Hour); err != nil {
		t.Fatalf("fresh login session: %v", err)
	}

	if err := db.DeactivateNGO(ctx, actor, ngoID); err != nil {
		t.Fatal(err)
	}
	var sessions int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM auth_sessions WHERE user_id = $1`, staffID).Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	if sessions != 0 {
		t.Errorf("%d login sessions of the NGO's staff survive deactivation", sessions)
	}
	if _, err := db.LoginSessionByID(ctx, sid, time.Hour); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("login session after deactivation: err = %v, want ErrNotFound", err)
	}
	n, err := db.NGOByID(ctx, ngoID)
	if err != nil || n.Active {
		t.Fatalf("after deactivation: %+v, %v", n, err)
	}
	staff, err := db.NGOStaff(ctx, ngoID, true)
	if err != nil || len(staff) != 1 {
		t.Errorf("staff rows after deactivation: %v, %v", staff, err)
	}
	if _, mayIn, _ := db.SignInUser(ctx, demo.StaffEmail(3)); mayIn {
		t.Error("staff of a deactivated NGO may still sign in")
	}

	t.Run("OKAlreadyInactive", func(t *testing.T) {
		if err := db.DeactivateNGO(ctx, actor, ngoID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := db.DeactivateNGO(ctx, actor, 999999); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
		if err := db.ReactivateNGO(ctx, actor, 999999); !errors.Is(err, portal.ErrNotFound) {
			t.Errorf("err = %v", err)
		}
	})

	if err := db.ReactivateNGO(ctx, actor, ngoID); err != nil {
		t.Fatal(err)
	}
	if _, mayIn, _ := db.SignInUser(ctx, demo.StaffEmail(3)); !mayIn {
		t.Error("staff of a reactivated NGO may not sign in")
	}
	audit := objectAudit(t, db, portal.AuditObjectNGO, ngoID)
	if len(audit) != 2 {
		t.Fatalf("audit = %+v, want one deactivation and one reactivation", audit)
	}
	if a := audit[0]; a.Action != portal.AuditNGODeactivated || a.NGOID != ngoID ||
		a.Changes["active"] != (portal.Change{Before: true, After: false}) ||
		a.Changes["login_sessions"] != (portal.Change{Before: float64(1), After: float64(0)}) {
		t.Errorf("deactivation audit = %+v", a)
	}
	if a := audit[1]; a.Action != portal.AuditNGOReactivated || a.Changes["active"] != (portal.Change{Before: false, After: true}) {
		t.Errorf("reactivation audit = %+v", a)
	}
}

func TestListNGOs(t *testing.T) {
	t.Parallel()
	db, actor := seeded(t)
	ctx := t.Context()
	inactive, err := db.CreateNGO(ctx, actor, newNGO("停用的组织_100%", "Dormant Group", ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeactivateNGO(ctx, actor, inactive.ID); err != nil {
		t.Fatal(err)
	}
	// By Chinese name in pinyin order: 上海市妇女儿童发展基金会 (fùnǚ) first,
	// where registration order has women-entrepreneurship; the dormant
	// 停用的组织 (tíng) after every 上海市 (shàng).
	cases := []struct {
		name      string
		filter    portal.NGOFilter
		wantTotal int
		wantFirst string // slug of the first row; "" for none
		wantRows  int
	}{
		{"OKActive", portal.NGOFilter{Status: portal.NGOStatusActive, Limit: 20}, 18, "women-children-foundation", 18},
		{"OKDefaultsToActive", portal.NGOFilter{Limit: 20}, 18, "women-children-foundation", 18},
		{"OKInactive", portal.NGOFilter{Status: portal.NGOStatusInactive, Limit: 20}, 1, "dormant-group", 1},
		{"OKAll", portal.NGOFilter{Status: portal.NGOStatusAll, Limit: 20}, 19, "women-children-foundation", 19},
		{"OKSecondPage", portal.NGOFilter{Status: portal.NGOStatusAll, Limit: 5, Offset: 15}, 19, "women-physicians", 4},
		{"OKSearchChinese", portal.NGOFilter{Status: portal.NGOStatusAll, Query: "律师", Limit: 20}, 1, "women-lawyers", 1},
		{"OKSearchEnglishAnyCase", portal.NGOFilter{Status: portal.NGOStatusAll, Query: "FOUNDATION", Limit: 20}, 1, "women-children-foundation", 1},
		{"OKSearchShortName", portal.NGOFilter{Status: portal.NGOStatusAll, Query: "长三角女促会", Limit: 20}, 1, "yrd-women-development", 1},
		{"OKSearchPercentLiteral", portal.NGOFilter{Status: portal.NGOStatusAll, Query: "100%", Limit: 20}, 1, "dormant-group", 1},
		{"OKSearchUnderscoreLiteral", portal.NGOFilter{Status: portal.NGOStatusAll, Query: "_", Limit: 20}, 1, "dormant-group", 1},
		{"OKSearchRespectsStatus", portal.NGOFilter{Status: portal.NGOStatusActive, Query: "Dormant", Limit: 20}, 0, "", 0},
		{"OKNoMatch", portal.NGOFilter{Status: portal.NGOStatusAll, Query: "no such NGO", Limit: 20}, 0, "", 0},
		// For a reader of English pages, by English name: "Dormant Group"
		// before every "Shanghai …"; among those, "… Association for Women's
		// Development in the Yangtze River Delta" first.
		{"OKEnglishAll", portal.NGOFilter{Status: portal.NGOStatusAll, English: true, Limit: 20}, 19, "dormant-group", 19},
		{"OKEnglishActive", portal.NGOFilter{Status: portal.NGOStatusActive, English: true, Limit: 20}, 18, "yrd-women-development", 18},
		{"OKEnglishSecondPage", portal.NGOFilter{Status: portal.NGOStatusActive, English: true, Limit: 1, Offset: 1}, 18, "women-entrepreneurship", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			items, total, err := db.ListNGOs(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if total != tc.wantTotal || len(items) != tc.wantRows {
				t.Fatalf("total %d, rows %d; want %d, %d", total, len(items), tc.wantTotal, tc.wantRows)
			}
			if len(items) > 0 && items[0].Slug != tc.wantFirst {
				t.Errorf("first row %s, want %s", items[0].Slug, tc.wantFirst)
			}
		})
	}
}

func TestNGOStaff(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t)
	ctx := t.Context()
	var ngoID int64
	if err := db.Pool().QueryRow(ctx, `SELECT ngo_id FROM users WHERE email = $1`, demo.StaffEmail(1)).Scan(&ngoID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, `
		INSERT INTO users (email, name, role, ngo_id, status, password_hash)
		VALUES ('gone@example.org', '离职者', 'staff', $1, 'disabled', 'x')`, ngoID); err != nil {
		t.Fatal(err)
	}
	names := func(withDisabled bool) []string {
		staff, err := db.NGOStaff(ctx, ngoID, withDisabled)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range staff {
			if u.NGOID != ngoID || u.Role != portal.RoleStaff {
				t.Errorf("staff row %+v", u)
			}
			out = append(out, u.Email+":"+string(u.Status))
		}
		return out
	}
	if got := names(false); !reflect.DeepEqual(got, []string{"ngo01@example.org:active"}) {
		t.Errorf("staff = %v", got)
	}
	if got := names(true); len(got) != 2 {
		t.Errorf("staff with disabled = %v", got)
	}
}
