package server

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lsc-bio/lsc/auth"
)

// signedIn returns a browser-like client signed in as user and its CSRF token.
func (f *fixture) signedIn(t *testing.T, user string) (*http.Client, string) {
	t.Helper()
	c := f.client(t)
	if r := f.login(t, c, user, user+"-password"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in %s: %d", user, r.StatusCode)
	}
	return c, f.srv.csrfToken(f.cookie(c))
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func post(t *testing.T, c *http.Client, u string, v url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(u, v)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

func (f *fixture) roleOf(name, study string) auth.Role {
	for id, u := range f.mem.users {
		if u.Name == name {
			return role(f.mem.members[id], study)
		}
	}
	return auth.NoRole
}

// Only a study's admins see and change its members; viewers and analysts
// get 403, outsiders 404 (as if the study did not exist).
func TestAdminPagesRefused(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		user string
		want int
	}{{"alice", 200}, {"anna", 403}, {"victor", 403}, {"olga", 404}} {
		cl, csrf := f.signedIn(t, c.user)
		for _, p := range []string{"/studies/S1/admin/users", "/studies/S1/admin/audit"} {
			if code, _ := get(t, cl, f.ts.URL+p); code != c.want {
				t.Errorf("%s GET %s: %d, want %d", c.user, p, code, c.want)
			}
		}
		want := c.want
		if want == 200 {
			want = http.StatusSeeOther
		}
		if code, _ := post(t, cl, f.ts.URL+"/studies/S1/admin/members", url.Values{"csrf": {csrf}, "user": {"victor"}, "role": {"viewer"}}); code != want {
			t.Errorf("%s POST members: %d, want %d", c.user, code, want)
		}
	}
	if f.roleOf("victor", "S1") != auth.Viewer {
		t.Error("a refused request changed a role")
	}
	// a bearer token without a session is refused on the admin pages too
	tok := f.token(2, f.now.Add(time.Hour), false)
	if r := bearer(t, "POST", f.ts.URL+"/studies/S1/admin/members", tok); r.StatusCode != 403 {
		t.Errorf("viewer token POST members: %d", r.StatusCode)
	}
	// no session: sent to the sign-in page
	if code, _ := get(t, f.client(t), f.ts.URL+"/studies/S1/admin/users"); code != http.StatusSeeOther {
		t.Errorf("no session: %d", code)
	}
}

func TestAdminSetRole(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signedIn(t, "alice")
	code, page := get(t, c, f.ts.URL+"/studies/S1/admin/users")
	for _, name := range []string{"alice", "anna", "victor"} {
		if !strings.Contains(page, `<td>`+name+`</td>`) {
			t.Errorf("member %s not listed", name)
		}
	}
	if code != 200 || strings.Contains(page, "<td>olga</td>") {
		t.Errorf("members page %d lists a non-member:\n%s", code, page)
	}
	set := func(user, role, token string) int {
		code, _ := post(t, c, f.ts.URL+"/studies/S1/admin/members", url.Values{"csrf": {token}, "user": {user}, "role": {role}})
		return code
	}
	if code := set("anna", "admin", ""); code != 403 || f.roleOf("anna", "S1") != auth.Analyst {
		t.Errorf("without the CSRF token: %d, role %v", code, f.roleOf("anna", "S1"))
	}
	for _, c := range []struct {
		user, role string
		code       int
		after      auth.Role
	}{
		{"anna", "admin", 303, auth.Admin},      // promote
		{"victor", "none", 303, auth.NoRole},    // remove
		{"olga", "viewer", 303, auth.Viewer},    // add an existing user
		{"olga", "owner", 400, auth.Viewer},     // unknown role: unchanged
		{"mallory", "viewer", 404, auth.NoRole}, // no such user
	} {
		if code := set(c.user, c.role, csrf); code != c.code || f.roleOf(c.user, "S1") != c.after {
			t.Errorf("%s -> %s: %d (want %d), role %v (want %v)", c.user, c.role, code, c.code, f.roleOf(c.user, "S1"), c.after)
		}
	}
	if f.roleOf("olga", "S2") != auth.Admin {
		t.Error("adding olga to S1 changed her role in S2")
	}
	// the last admin cannot leave: demote anna, then alice may not go
	set("anna", "analyst", csrf)
	if code := set("alice", "viewer", csrf); code != http.StatusConflict || f.roleOf("alice", "S1") != auth.Admin {
		t.Errorf("demoting the last admin: %d", code)
	}
	// every change, and every refused change, is audited
	var got []string
	for _, r := range f.mem.audit {
		if r.Action == "set-role" {
			got = append(got, r.Object+":"+r.Outcome)
		}
	}
	want := "anna=admin:ok victor=none:ok olga=viewer:ok olga=owner:failed mallory=viewer:failed anna=analyst:ok alice=viewer:failed"
	if strings.Join(got, " ") != want {
		t.Errorf("audit rows\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if err := auth.VerifyChain(f.mem.audit); err != nil {
		t.Error(err)
	}
}

func TestAdminAuditFilters(t *testing.T) {
	f := newFixture(t)
	c, csrf := f.signedIn(t, "alice")
	post(t, c, f.ts.URL+"/studies/S1/admin/members", url.Values{"csrf": {csrf}, "user": {"anna"}, "role": {"viewer"}})
	f.now = f.now.Add(48 * time.Hour) // 2026-12-03: sign in again (sessions last 12 h)
	c, csrf = f.signedIn(t, "alice")
	post(t, c, f.ts.URL+"/studies/S1/admin/members", url.Values{"csrf": {csrf}, "user": {"anna"}, "role": {"analyst"}})
	vc, _ := f.signedIn(t, "victor")
	get(t, vc, f.ts.URL+"/studies/S1/admin/audit") // denied, audited
	rows := func(q string) []string {
		t.Helper()
		code, page := get(t, c, f.ts.URL+"/studies/S1/admin/audit?"+q)
		if code != 200 {
			t.Fatalf("audit %s: %d", q, code)
		}
		var out []string
		for _, tr := range strings.Split(page, "<tr><td>")[1:] {
			cells := strings.Split(tr, "</td><td>")
			out = append(out, cells[2]+" "+cells[3]+" "+cells[4]+" "+cells[5])
		}
		return out
	}
	// newest first; sign-ins carry no study and are not listed
	for q, want := range map[string]string{
		"action=set-role": "alice set-role anna=analyst ok|alice set-role anna=viewer ok",
		"action=set-role&from=2026-12-01&to=2026-12-01": "alice set-role anna=viewer ok",
		"action=set-role&from=2026-12-02":               "alice set-role anna=analyst ok",
		"outcome=denied":                                "victor audit  denied",
		"actor=victor&outcome=ok":                       "",
	} {
		if got := strings.Join(rows(q), "|"); got != want {
			t.Errorf("%s:\n got %s\nwant %s", q, got, want)
		}
	}
	if code, _ := get(t, c, f.ts.URL+"/studies/S1/admin/audit?from=1.12.2026"); code != 400 {
		t.Errorf("bad date: %d", code)
	}
}
