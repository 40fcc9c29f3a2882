package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/web"
)

// stringList is a flag that may be repeated or given comma-separated.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"the only user subcommand is add: kolaborasi user add --email E --name N --region CODE --role ROLE"}
	}
	var cfg config
	var email, name, region string
	var roles stringList
	var admin bool
	fs := newFlagSet("user add", "user add --email E --name N (--region CODE --role ROLE... | --admin)", stderr)
	cfg.bind(fs, "", true)
	fs.StringVar(&email, "email", "", "the person's e-mail address (required)")
	fs.StringVar(&name, "name", "", "the person's name or office, e.g. \"Admin Kota Blitar\" (required)")
	fs.StringVar(&region, "region", "", "the region's code, e.g. 35.72")
	fs.Var(&roles, "role", "a role in the region: viewer, editor, coordinator, signatory, region_admin (repeat or comma-separate)")
	fs.BoolVar(&admin, "admin", false, "make a platform administrator (no region)")
	cfg.bindBaseURL(fs, web.DefaultBaseURL)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if email == "" || name == "" {
		return usageError{"--email and --name are required"}
	}
	if admin == (region != "") {
		return usageError{"give either --region with --role, or --admin"}
	}
	in := app.UserInput{Email: email, Name: name, Region: region, Status: kolaborasi.UserActive}
	if admin {
		in.Roles = []kolaborasi.Role{kolaborasi.RoleAdmin}
	}
	for _, r := range roles {
		in.Roles = append(in.Roles, kolaborasi.Role(r))
	}
	base, err := web.ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return usageError{"--base-url: " + err.Error()}
	}
	db, a, err := cfg.openApp(ctx, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	user, token, err := a.InviteUser(kolaborasi.WithUser(ctx, kolaborasi.System), in)
	if err != nil {
		return fmt.Errorf("%s%s", kolaborasi.ErrorMessage(err), fieldText(err))
	}
	link := base + "/tautan/" + url.PathEscape(token)
	fmt.Fprintf(stdout, "Created user %d <%s> (%s).\nOne-time link to set the password (valid %s):\n%s\n",
		user.ID, user.Email, roleList(user.Roles), app.InviteLinkTTL, link)
	return nil
}

// fieldText renders an error's field messages for the command line.
func fieldText(err error) string {
	var parts []string
	for f, m := range kolaborasi.ErrorFields(err) {
		parts = append(parts, f+" "+m)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
