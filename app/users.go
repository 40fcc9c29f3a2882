package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kolaborasi/kolaborasi"
)

// UserInput describes an account to create or the access to give it.
type UserInput struct {
	Email string
	Name  string
	// Region is the user's region; "" for platform staff (admin, observer).
	Region string
	OPDID  int64
	Roles  []kolaborasi.Role
	Status kolaborasi.UserStatus
}

// checkGrant validates the roles and decides which action granting them
// needs: region roles need user management in the region, region_admin and
// the platform roles need a platform administrator.
func (a *App) checkGrant(ctx context.Context, in *UserInput) error {
	fields := map[string]string{}
	if len(in.Roles) == 0 {
		fields["roles"] = "choose at least one role"
	}
	platform := false
	for _, r := range in.Roles {
		switch {
		case !r.Valid():
			fields["roles"] = fmt.Sprintf("%q is not a role", r)
		case slices.Contains(kolaborasi.PlatformRoles, r):
			platform = true
		}
	}
	if platform && in.Region != "" {
		fields["roles"] = "admin and observer are platform roles: give them to an account without a region"
	}
	if !platform && in.Region == "" && len(in.Roles) > 0 {
		fields["region"] = "region roles need a region"
	}
	if in.Region != "" && !kolaborasi.ValidRegionCode(in.Region) {
		fields["region"] = "must look like 35.72"
	}
	if len(fields) > 0 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The roles are not valid.", Fields: fields}
	}
	if platform || slices.Contains(in.Roles, kolaborasi.RoleRegionAdmin) {
		_, err := a.authorize(ctx, ActRegionAdminManage, "")
		return err
	}
	_, err := a.authorize(ctx, ActUserManage, in.Region)
	return err
}

func (a *App) checkOPD(ctx context.Context, tx kolaborasi.Store, region string, opd int64) error {
	if opd == 0 {
		return nil
	}
	o, err := tx.FindOPD(ctx, opd)
	if kolaborasi.ErrorCode(err) == kolaborasi.ENOTFOUND || err == nil && o.RegionCode != region {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The OPD is not one of the region's.",
			Fields: map[string]string{"opd": "must be an OPD of the region"}}
	}
	return err
}

// Users lists the accounts of a region (its administrators and platform
// administrators only).
func (a *App) Users(ctx context.Context, region string) ([]*kolaborasi.User, error) {
	if !kolaborasi.ValidRegionCode(region) {
		return nil, errBadRegionCode(region)
	}
	if _, err := a.authorize(ctx, ActUserManage, region); err != nil {
		return nil, err
	}
	return a.store.FindUsers(ctx, kolaborasi.UserFilter{RegionCode: region})
}

// InviteUser creates an account without a password and returns a one-time
// invitation link token with which the person sets one.
func (a *App) InviteUser(ctx context.Context, in UserInput) (*kolaborasi.User, string, error) {
	in.Email, in.Name = normEmail(in.Email), strings.TrimSpace(in.Name)
	fields := map[string]string{}
	if !validEmail(in.Email) || len(in.Email) > 200 {
		fields["email"] = "must be an e-mail address"
	}
	if in.Name == "" || len(in.Name) > 120 {
		fields["name"] = "is required, at most 120 characters"
	}
	if len(fields) > 0 {
		return nil, "", &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The invitation is not valid.", Fields: fields}
	}
	if err := a.checkGrant(ctx, &in); err != nil {
		return nil, "", err
	}
	actor := kolaborasi.UserFrom(ctx)
	u := &kolaborasi.User{Email: in.Email, Name: in.Name, RegionCode: in.Region, OPDID: in.OPDID, Roles: in.Roles,
		Status: kolaborasi.UserActive, CreatedAt: a.now(), AccessChangedBy: actor.ID}
	token := randomToken()
	err := a.audited(ctx, actor, ActUserManage, in.Region, func(tx kolaborasi.Store) (string, string, error) {
		if err := a.checkOPD(ctx, tx, in.Region, in.OPDID); err != nil {
			return "", "", err
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return "", "", err
		}
		err := tx.CreateLink(ctx, &kolaborasi.Link{TokenHash: hashToken(token), Purpose: kolaborasi.LinkInvite, UserID: u.ID,
			CreatedBy: actor.ID, CreatedAt: u.CreatedAt, ExpiresAt: u.CreatedAt.Add(InviteLinkTTL)})
		if err != nil {
			return "", "", err
		}
		return fmt.Sprintf("user:%d", u.ID), fmt.Sprintf("invited %s as %s", u.Email, rolesText(u.Roles)), nil
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

func rolesText(roles []kolaborasi.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// UpdateUserAccess changes the name, OPD, roles and status of an account of
// a region. Nobody can disable themselves or take away their own right to
// manage users.
func (a *App) UpdateUserAccess(ctx context.Context, id int64, in UserInput) error {
	old, err := a.store.FindUser(ctx, id)
	if err != nil {
		return err
	}
	if old.RegionCode != in.Region {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "User %d does not exist in region %s.", id, in.Region)
	}
	// Changing a region_admin needs what granting it needs.
	check := in
	if slices.Contains(old.Roles, kolaborasi.RoleRegionAdmin) && !slices.Contains(check.Roles, kolaborasi.RoleRegionAdmin) {
		check.Roles = append(slices.Clone(check.Roles), kolaborasi.RoleRegionAdmin)
	}
	if err := a.checkGrant(ctx, &check); err != nil {
		return err
	}
	actor := kolaborasi.UserFrom(ctx)
	if in.Status != kolaborasi.UserActive && in.Status != kolaborasi.UserDisabled {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The status must be active or disabled.",
			Fields: map[string]string{"status": "must be active or disabled"}}
	}
	if actor.ID == id && (in.Status != kolaborasi.UserActive || !slices.Equal(sortedRoles(in.Roles), sortedRoles(old.Roles))) {
		return kolaborasi.Errorf(kolaborasi.EINVALID, "You cannot change your own roles or disable yourself; ask another administrator.")
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 120 {
		return &kolaborasi.Error{Code: kolaborasi.EINVALID, Message: "The name is not valid.", Fields: map[string]string{"name": "is required, at most 120 characters"}}
	}
	u := *old
	u.Name, u.OPDID, u.Roles, u.Status, u.AccessChangedBy = in.Name, in.OPDID, in.Roles, in.Status, actor.ID
	return a.audited(ctx, actor, ActUserManage, in.Region, func(tx kolaborasi.Store) (string, string, error) {
		if err := a.checkOPD(ctx, tx, in.Region, in.OPDID); err != nil {
			return "", "", err
		}
		if err := tx.UpdateUser(ctx, &u); err != nil {
			return "", "", err
		}
		summary := diffSummary("name", old.Name, u.Name, "roles", rolesText(sortedRoles(old.Roles)),
			rolesText(sortedRoles(u.Roles)), "status", string(old.Status), string(u.Status),
			"opd", fmt.Sprint(old.OPDID), fmt.Sprint(u.OPDID))
		if u.Status == kolaborasi.UserDisabled {
			ended, err := a.signOutEverywhere(ctx, tx, u.ID)
			if err != nil {
				return "", "", err
			}
			summary += "; " + ended
		}
		return fmt.Sprintf("user:%d", u.ID), summary, nil
	})
}

func sortedRoles(rs []kolaborasi.Role) []kolaborasi.Role {
	out := slices.Clone(rs)
	slices.Sort(out)
	return slices.Compact(out)
}

// IssueResetLink makes a one-time password reset link for an account of a
// region, for its administrator to pass on.
func (a *App) IssueResetLink(ctx context.Context, region string, id int64) (string, error) {
	u, err := a.store.FindUser(ctx, id)
	if err != nil {
		return "", err
	}
	if u.RegionCode != region {
		return "", kolaborasi.Errorf(kolaborasi.ENOTFOUND, "User %d does not exist in region %s.", id, region)
	}
	act := ActUserManage
	if slices.Contains(u.Roles, kolaborasi.RoleRegionAdmin) || region == "" {
		act = ActRegionAdminManage
	}
	token := randomToken()
	err = a.change(ctx, act, region, func(tx kolaborasi.Store) (string, string, error) {
		now := a.now()
		actor := kolaborasi.UserFrom(ctx).ID
		err := tx.CreateLink(ctx, &kolaborasi.Link{TokenHash: hashToken(token), Purpose: kolaborasi.LinkReset, UserID: u.ID,
			CreatedBy: actor, CreatedAt: now, ExpiresAt: now.Add(ResetLinkTTL)})
		if err != nil {
			return "", "", err
		}
		// Whoever holds the link can take the account over: for the four-eyes
		// rule on signing keys, the issuer counts as having changed it.
		u, err := tx.FindUser(ctx, u.ID)
		if err != nil {
			return "", "", err
		}
		u.AccessChangedBy = actor
		return fmt.Sprintf("user:%d", u.ID), "issued a password reset link for " + u.Email, tx.UpdateUser(ctx, u)
	})
	return token, err
}

// LinkUser returns the link of a token and its user when the link can still
// be used: unknown, used and expired links are errors that say so.
func (a *App) LinkUser(ctx context.Context, token string) (*kolaborasi.Link, *kolaborasi.User, error) {
	l, err := a.store.FindLink(ctx, hashToken(token))
	if err != nil {
		return nil, nil, err
	}
	switch {
	case !l.UsedAt.IsZero():
		return nil, nil, kolaborasi.Errorf(kolaborasi.ECONFLICT, "This link has already been used. Ask your administrator for a new one.")
	case !a.now().Before(l.ExpiresAt):
		return nil, nil, kolaborasi.Errorf(kolaborasi.EINVALID, "This link expired on %s. Ask your administrator for a new one.",
			l.ExpiresAt.Format(time.DateOnly))
	}
	u, err := a.store.FindUser(ctx, l.UserID)
	if err != nil {
		return nil, nil, err
	}
	if u.Status != kolaborasi.UserActive {
		return nil, nil, kolaborasi.Errorf(kolaborasi.EFORBIDDEN, "This account is disabled.")
	}
	return l, u, nil
}

// RedeemLink sets the password of the link's user, uses up the link and ends
// the user's other sessions. Holding the link is the authorisation.
func (a *App) RedeemLink(ctx context.Context, token, password string) (*kolaborasi.User, error) {
	l, u, err := a.LinkUser(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := validatePassword(password, "password"); err != nil {
		return nil, err
	}
	hash, err := a.hashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	err = a.audited(ctx, u, ActOwnAccount, u.RegionCode, func(tx kolaborasi.Store) (string, string, error) {
		// UseLink is conditional, so two concurrent redemptions cannot
		// both succeed.
		if err := tx.UseLink(ctx, l.TokenHash, a.now()); err != nil {
			return "", "", err
		}
		if err := tx.SetPassword(ctx, u.ID, hash); err != nil {
			return "", "", err
		}
		ended, err := a.signOutEverywhere(ctx, tx, u.ID)
		if err != nil {
			return "", "", err
		}
		return fmt.Sprintf("user:%d", u.ID), fmt.Sprintf("set password with a %s link; %s", l.Purpose, ended), nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
