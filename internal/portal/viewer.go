package portal

// Role is what a signed-in user may do. The public signs in to nothing and
// has RolePublic.
type Role string

// The roles. Federation officials (admins and reviewers) and NGO staff are
// kept apart by login sessions.
const (
	RolePublic Role = ""
	RoleStaff  Role = "staff"
	RoleAdmin  Role = "admin"
	// RoleReviewer is a federation official who reads everything of the
	// federation, reviews reports and runs check-in, but manages nothing:
	// no accounts, NGO registry, vocabulary, sessions or summaries.
	RoleReviewer Role = "reviewer"
)

// Official reports whether the role works in the federation's area: an
// admin or a reviewer.
func (r Role) Official() bool { return r == RoleAdmin || r == RoleReviewer }

// Viewer is whoever is making the request: the public, or a signed-in user.
type Viewer struct {
	Role    Role
	UserID  int64
	Email   string
	Name    string // the display name in Chinese
	NameEN  string // the display name in English; "" when not given
	NGOID   int64  // set for staff only
	NGOName string // set for staff only
	Unread  int    // the user's unread notifications, for the header
}

// SignedIn reports whether the viewer has signed in.
func (v Viewer) SignedIn() bool { return v.Role != RolePublic }
