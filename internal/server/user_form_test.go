package server

import (
	"net/url"
	"strings"
	"testing"

	"ngoportal/internal/portal"
)

func TestParseUserForm(t *testing.T) {
	valid := func() url.Values {
		return url.Values{"email": {" Li@Example.org "}, "name": {" 李华 "}, "role": {"staff"}, "ngo": {"7"}}
	}
	tests := []struct {
		name       string
		change     func(url.Values)
		field, key string
	}{
		{"OK", func(url.Values) {}, "", ""},
		{"OKAdminWithoutNGO", func(v url.Values) { v.Set("role", "admin"); v.Set("ngo", "") }, "", ""},
		{"ErrEmailRequired", func(v url.Values) { v.Set("email", " ") }, "email", "user.error.email_required"},
		{"ErrEmailWithName", func(v url.Values) { v.Set("email", "Li <li@example.org>") }, "email", "user.error.email_invalid"},
		{"ErrEmailNoDomainDot", func(v url.Values) { v.Set("email", "li@localhost") }, "email", "user.error.email_invalid"},
		{"ErrNameRequired", func(v url.Values) { v.Set("name", "") }, "name", "user.error.name_required"},
		{"ErrNameTooLong", func(v url.Values) { v.Set("name", strings.Repeat("名", 101)) }, "name", "user.error.name_too_long"},
		{"ErrRoleRequired", func(v url.Values) { v.Set("role", "king") }, "role", "user.error.role_required"},
		{"ErrNGORequired", func(v url.Values) { v.Set("ngo", "") }, "ngo", "user.error.ngo_required"},
		{"ErrNGOForAdmin", func(v url.Values) { v.Set("role", "admin") }, "ngo", "user.error.ngo_for_admin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := valid()
			tc.change(f)
			v, u, errs, err := parseUserForm(postForm("/", f), true)
			if err != nil {
				t.Fatal(err)
			}
			wantOnlyError(t, errs, tc.field, tc.key)
			if tc.field == "" && (u.Email != "li@example.org" || v.Name != "李华" || u.Name != v.Name) {
				t.Errorf("parsed %+v from %+v", u, v)
			}
		})
	}
	t.Run("EditIgnoresEmail", func(t *testing.T) {
		f := valid()
		f.Set("email", "")
		f.Set("version", "2")
		v, u, errs, err := parseUserForm(postForm("/", f), false)
		if err != nil || len(errs) != 0 || u.Version != 2 || v.NGOID != 7 || u.Role != portal.RoleStaff {
			t.Errorf("%+v, %+v, %v, %v", v, u, errs, err)
		}
	})
	for _, bad := range []url.Values{{"version": {"x"}}, {"ngo": {"abc"}}} {
		f := valid()
		for k, v := range bad {
			f[k] = v
		}
		if _, _, _, err := parseUserForm(postForm("/", f), false); err != errBadRequest {
			t.Errorf("%v gave %v, want errBadRequest", bad, err)
		}
	}
}
