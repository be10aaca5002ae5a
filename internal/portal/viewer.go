package portal

// Role is what a signed-in user may do. The public signs in to nothing and
// has RolePublic.
type Role string

// The roles. Federation admins and NGO staff are kept apart by login sessions.
const (
	RolePublic Role = ""
	RoleStaff  Role = "staff"
	RoleAdmin  Role = "admin"
)

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
