package server

import "testing"

// wantOnlyError fails unless a form's field errors hold key on field and
// nothing else, or are empty when field is "" (a failure then stops the
// test: what follows checks the valid form).
func wantOnlyError(t *testing.T, errs map[string]string, field, key string) {
	t.Helper()
	if field == "" {
		if len(errs) != 0 {
			t.Fatalf("errors %v, want none", errs)
		}
		return
	}
	if errs[field] != key || len(errs) != 1 {
		t.Errorf("errors %v, want only %s: %s", errs, field, key)
	}
}
