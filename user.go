package kolaborasi

import (
	"context"
	"slices"
	"time"
)

// Role is what a user may do. Region roles apply to the user's own region;
// RoleAdmin and RoleObserver are platform-wide.
type Role string

// The roles of Kolaborasi. See docs/SECURITY.md for what each may do.
const (
	// RoleViewer reads the region's non-public data.
	RoleViewer Role = "viewer"
	// RoleEditor publishes the region's solutions, products, needs and
	// indicator data.
	RoleEditor Role = "editor"
	// RoleCoordinator (Bagian Kerja Sama) drafts and moves agreements.
	RoleCoordinator Role = "coordinator"
	// RoleSignatory is the head of region, or an official holding a surat
	// kuasa, who signs agreements for the region.
	RoleSignatory Role = "signatory"
	// RoleRegionAdmin manages the region's users and profile.
	RoleRegionAdmin Role = "region_admin"
	// RoleAdmin manages the platform and the regions' administrators.
	RoleAdmin Role = "admin"
	// RoleObserver has national read access to non-public data.
	RoleObserver Role = "observer"
)

// RegionRoles are the roles a user holds within its own region.
var RegionRoles = []Role{RoleViewer, RoleEditor, RoleCoordinator, RoleSignatory, RoleRegionAdmin}

// PlatformRoles are the platform-wide roles.
var PlatformRoles = []Role{RoleAdmin, RoleObserver}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return slices.Contains(RegionRoles, r) || slices.Contains(PlatformRoles, r)
}

// UserStatus says whether a user may sign in.
type UserStatus string

// User statuses.
const (
	UserActive   UserStatus = "active"
	UserDisabled UserStatus = "disabled"
)

// User is a person with an account: an officer of a region, a head of
// region, a national observer or a platform administrator.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	// RegionCode is the region the user works for; "" for platform staff.
	RegionCode string `json:"region_code"`
	// OPDID is the user's perangkat daerah, 0 when none.
	OPDID       int64      `json:"opd_id,omitempty"`
	Roles       []Role     `json:"roles"`
	Status      UserStatus `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt time.Time  `json:"last_login_at,omitzero"`
	// PasswordHash is the argon2id hash in PHC string form; never shown.
	PasswordHash string `json:"-"`
	// AccessChangedBy is the user who invited the account, last changed its
	// access or issued it a reset link (0: the operator's command line,
	// UnknownUser: not recorded). That person may not approve the
	// account's signing keys.
	AccessChangedBy int64 `json:"-"`
	// TokenScopes holds the scopes of the API token the request came with;
	// nil for a browser session. Not stored with the user.
	TokenScopes []string `json:"-"`
}

// Has reports whether the user holds the role.
func (u *User) Has(r Role) bool { return u != nil && slices.Contains(u.Roles, r) }

// HasIn reports whether the user holds the region role in the region.
func (u *User) HasIn(r Role, region string) bool {
	return u != nil && u.RegionCode != "" && u.RegionCode == region && u.Has(r)
}

// UnknownUser is the ID of a user who is not recorded.
const UnknownUser int64 = -1

// System is the actor of work the platform does itself: start-up loading,
// the command line run by the operator, demo seeding. It never comes from a
// request.
var System = &User{ID: 0, Name: "system", Roles: []Role{RoleAdmin}, Status: UserActive}

const userKey ctxKey = iota + 100

// WithUser returns a context carrying the acting user.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFrom returns the acting user, or nil for an anonymous visitor.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}
