package portal

import (
	"slices"
	"testing"
)

// The federation's officials are admins and reviewers: both need a second
// factor, both are told of the federation's events, and neither belongs to
// an NGO.
func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		role                   Role
		official, secondFactor bool
	}{
		{RoleAdmin, true, true},
		{RoleReviewer, true, true},
		{RoleStaff, false, false},
		{RolePublic, false, false},
	} {
		if got := tc.role.Official(); got != tc.official {
			t.Errorf("%q.Official() = %v, want %v", tc.role, got, tc.official)
		}
		if got := tc.role.RequiresSecondFactor(); got != tc.secondFactor {
			t.Errorf("%q.RequiresSecondFactor() = %v, want %v", tc.role, got, tc.secondFactor)
		}
	}
	admin, reviewer := KindsFor(RoleAdmin), KindsFor(RoleReviewer)
	if len(admin) == 0 || !slices.Equal(admin, reviewer) {
		t.Errorf("a reviewer's kinds %v, want the admin's %v", reviewer, admin)
	}
	if !slices.Contains(reviewer, NotifyReportSubmitted) || slices.Contains(reviewer, NotifyReportReturned) {
		t.Errorf("a reviewer's kinds %v: want the submissions, not the staff's returns", reviewer)
	}
	u := User{Name: "审阅员", Role: RoleReviewer}
	wantOnlyError(t, u.Validate(), "", "")
	u.NGOID = 7
	wantOnlyError(t, u.Validate(), "ngo", "user.error.ngo_for_admin")
}
