package server

import (
	"net/http"
	"testing"

	"ngoportal/internal/portal"
)

// Changed fields are named in the reader's language, whatever area wrote
// them; a field without a label keeps its stored name.
func TestAuditFieldLabels(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	admin := createUser(t, h, portal.RoleAdmin, 0, "labels@example.org", "管理员")
	if _, err := h.db.Pool().Exec(t.Context(), `
		INSERT INTO audit_log (action, object_type, object_id, changes)
		VALUES ('ngo.updated', 'ngo', 1, '{"credit_code": {"before": "A", "after": "B"}, "mystery_field": {"before": 1, "after": 2}}')`); err != nil {
		t.Fatal(err)
	}
	c := h.sessionCookie(t, admin)
	en := h.as(t, c, get("/admin/audit?action=ngo.updated", "Accept-Language", "en"))
	if en.status != http.StatusOK {
		t.Fatalf("status %d", en.status)
	}
	wantContains(t, en.body, "Unified social credit code", "mystery_field")
	zh := h.as(t, c, get("/admin/audit?action=ngo.updated"))
	wantContains(t, zh.body, "统一社会信用代码")
}
