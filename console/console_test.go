package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// The support flow end to end in Chromium: sign in with a read key,
// search the customer by wallet, open it, see a mint and a partial freeze
// sent to the chain change both figures within 2 s without a reload, see
// the register list the frozen wallet and its total change with a new
// freeze, read the page at 375 px, then sign out: a reload lands on
// sign-in and the cookie no longer reads anything.
func TestConsoleSupportFlow(t *testing.T) {
	e := startConsole(t)
	w, other := anviltest.DevAddress(4), anviltest.DevAddress(5)
	id := e.onboard(t, "John Doe", w, other)
	e.onboard(t, "Joan Smith", anviltest.DevAddress(6))
	e.tok.Mint(t, other, big.NewInt(5000)) // 50.00 TUSD, before the page opens
	e.waitFollower(t)

	tb := newTab(t)
	tb.signIn(t, e, readKey)
	if got := text(t, tb, "#who-key"); !strings.Contains(got, "support") || !strings.Contains(got, "read") {
		t.Errorf("signed-in key shown as %q, want support (read)", got)
	}
	if eval[bool](t, tb, `!document.querySelector('[data-nav="webhooks"]').hidden`) {
		t.Error("the webhooks page is offered to a read key")
	}
	// The key is in no storage the page can reach, and the cookie is
	// HttpOnly: script sees none of it.
	if got := eval[string](t, tb, `JSON.stringify([document.cookie, Object.keys(localStorage), Object.keys(sessionStorage), location.href])`); strings.Contains(got, readKey) || strings.Contains(got, "portfoliod_session") {
		t.Errorf("the page can read the key or the session: %s", got)
	}
	tb.screenshot(t, "search", "")

	// Search by wallet address, in mixed case as a support person might
	// paste it.
	tb.run(t, 10*time.Second, chromedp.SendKeys("#q", w.Hex()), chromedp.Click("#search button[type=submit]"))
	tb.waitJS(t, 5*time.Second, "one search result", `document.querySelectorAll("#results a.customer-link").length === 1`)
	if got := text(t, tb, "#results a.customer-link"); got != "John Doe" {
		t.Errorf("search by wallet found %q, want John Doe", got)
	}
	// By name prefix, in another case.
	eval[string](t, tb, `document.getElementById("q").value = ""`)
	tb.run(t, 10*time.Second, chromedp.SendKeys("#q", "jo"), chromedp.Click("#search button[type=submit]"))
	tb.waitJS(t, 5*time.Second, "two results for jo", `document.querySelectorAll("#results a.customer-link").length === 2`)
	eval[string](t, tb, `document.getElementById("q").value = ""`)
	tb.run(t, 10*time.Second, chromedp.SendKeys("#q", w.Hex()), chromedp.Click("#search button[type=submit]"))
	tb.waitJS(t, 5*time.Second, "one search result", `document.querySelectorAll("#results a.customer-link").length === 1`)
	// Open it by keyboard: focus the link, press Enter.
	tb.run(t, 10*time.Second, chromedp.Focus("#results a.customer-link"), chromedp.KeyEvent("\r"))

	lw, lo := strings.ToLower(w.Hex()), strings.ToLower(other.Hex())
	cell := func(wallet, field string) string {
		return `document.querySelector('tr[data-wallet="` + wallet + `"] [data-field="` + field + `"]')`
	}
	tb.waitJS(t, 5*time.Second, "the portfolio from the stream",
		cell(lw, "total")+`?.textContent === "0" && `+cell(lo, "total")+`?.textContent === "50"`)
	if got := eval[string](t, tb, cell(lo, "total")+`.title`); !strings.HasPrefix(got, "5000 base units") {
		t.Errorf("hover title of 50 TUSD = %q, want the base units 5000", got)
	}
	if got := text(t, tb, "#customer-name"); got != "John Doe" {
		t.Errorf("customer page heading %q", got)
	}
	if got := text(t, tb, "#verification"); got != "IN_PROGRESS" {
		t.Errorf("verification shown as %q", got)
	}
	tb.waitJS(t, 5*time.Second, "the stream is live", `document.getElementById("live-status").textContent.startsWith("Live")`)
	tb.waitJS(t, 5*time.Second, "the history", `!!document.querySelector("#history table, #history-empty")`)
	eval[bool](t, tb, `window.__noReload = true`)

	// A mint and a partial freeze: both figures change on the page, each
	// within 2 s of its transaction, without a reload.
	start := time.Now()
	e.tok.Mint(t, w, big.NewInt(123456)) // 1,234.56 TUSD
	tb.waitJS(t, 2*time.Second-time.Since(start), "the minted total", cell(lw, "total")+`.textContent === "1,234.56"`)
	t.Logf("mint to the page: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	e.tok.SetFrozen(t, w, big.NewInt(20000)) // 200 TUSD frozen
	tb.waitJS(t, 2*time.Second-time.Since(start), "the frozen figure",
		cell(lw, "frozen")+`.textContent === "200" && `+cell(lw, "available")+`.textContent === "1,034.56"`)
	t.Logf("freeze to the page: %s", time.Since(start).Round(time.Millisecond))
	if !eval[bool](t, tb, `window.__noReload === true`) {
		t.Error("the page reloaded to show the changes")
	}
	if !eval[bool](t, tb, cell(lw, "frozen")+`.classList.contains("flash") && `+
		`document.querySelector('tr[data-wallet="`+lw+`"]').classList.contains("has-frozen")`) {
		t.Error("the frozen figure is not flashed and marked as frozen")
	}
	// The wallet that did not change neither flashes nor shows frozen.
	if eval[bool](t, tb, cell(lo, "total")+`.classList.contains("flash") || `+
		`document.querySelector('tr[data-wallet="`+lo+`"] .frozen-flag').checkVisibility()`) {
		t.Error("the unchanged wallet flashed, or is flagged frozen")
	}
	if got := eval[string](t, tb, cell(lw, "frozen")+`.title`); !strings.HasPrefix(got, "20000 base units") {
		t.Errorf("frozen hover title %q", got)
	}
	tb.waitJS(t, 3*time.Second, "the history lists the changes", `document.querySelectorAll("#history tbody tr").length >= 2`)
	tb.run(t, 5*time.Second, chromedp.Sleep(1700*time.Millisecond)) // the flash fades
	tb.screenshot(t, "customer", "console-customer.png")

	// Readable on a phone: nothing wider than 375 px but the scrolling
	// tables.
	tb.run(t, 10*time.Second, chromedp.EmulateViewport(375, 812))
	if got := eval[string](t, tb, overflowing); got != "" {
		t.Errorf("at 375 px wide, these stick out of the page: %s", got)
	}
	// The figures fit without scrolling sideways.
	if !eval[bool](t, tb, `[...document.querySelectorAll("table.figures")].every((t) => t.scrollWidth <= t.parentElement.clientWidth)`) {
		t.Error("at 375 px wide the portfolio's figures need a sideways scroll")
	}
	tb.screenshot(t, "customer-375", "")
	tb.run(t, 10*time.Second, chromedp.EmulateViewport(1280, 900))

	// The register lists the frozen wallet; a further freeze changes its
	// total on the open page.
	tb.run(t, 10*time.Second, chromedp.Click(`a[data-nav="frozen"]`))
	tb.waitJS(t, 5*time.Second, "the register row", `document.querySelector('#register tr[data-wallet="`+lw+`"] [data-field="frozen"]')?.textContent === "200"`)
	if got := text(t, tb, "#frozen-total"); got != "200" {
		t.Errorf("register total %q, want 200", got)
	}
	if got := text(t, tb, "#frozen-wallets"); got != "1" {
		t.Errorf("register wallets %q, want 1", got)
	}
	tb.waitJS(t, 5*time.Second, "the chart", `!!document.querySelector("#chart canvas") && document.getElementById("chart").dataset.last === "20000"`)
	e.tok.SetFrozen(t, other, big.NewInt(1050)) // 10.50 TUSD more
	tb.waitJS(t, 3*time.Second, "the new register total", `document.getElementById("frozen-total")?.textContent === "210.5"`)
	if got := text(t, tb, "#frozen-wallets"); got != "2" {
		t.Errorf("register wallets after the second freeze %q, want 2", got)
	}
	tb.run(t, 5*time.Second, chromedp.Sleep(1700*time.Millisecond))
	tb.screenshot(t, "register", "console-register.png")
	tb.run(t, 10*time.Second, chromedp.EmulateViewport(375, 812))
	if got := eval[string](t, tb, overflowing); got != "" {
		t.Errorf("the register at 375 px wide: these stick out of the page: %s", got)
	}
	tb.screenshot(t, "register-375", "")
	tb.run(t, 10*time.Second, chromedp.EmulateViewport(1280, 900))
	tb.checkOwnRequests(t, e)

	// Sign-out: a reload lands on sign-in, and the browser's cookie reads
	// nothing any more.
	tb.run(t, 10*time.Second, chromedp.Click("#sign-out"))
	tb.waitJS(t, 5*time.Second, "the sign-in page", `!!document.querySelector("#sign-in #key")`)
	tb.run(t, 10*time.Second, chromedp.Reload())
	tb.waitJS(t, 5*time.Second, "the sign-in page after a reload", `!!document.querySelector("#sign-in #key") && document.getElementById("nav").hidden`)
	if got := fetchStatus(t, tb, "/customer/"+id, `{credentials: "same-origin"}`); got != http.StatusUnauthorized {
		t.Errorf("GET /customer/{id} with the signed-out cookie = %d, want 401", got)
	}
	tb.screenshot(t, "sign-in", "")
}

// fetchStatus runs fetch(path, init) in the page and returns the status.
func fetchStatus(t *testing.T, tb *tab, path, init string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch(`+jsString(path)+`, `+init+`).then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// overflowing names the elements wider than the viewport that are not
// inside a scrolling table box ("" when none).
const overflowing = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-wrap") || el.closest(".chart")) continue;
    const r = el.getBoundingClientRect();
    if (r.right > w + 1) out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + el.className + " right=" + Math.round(r.right));
  }
  if (document.documentElement.scrollWidth > w + 1 && !out.length) out.push("scrollWidth " + document.documentElement.scrollWidth);
  return out.slice(0, 8).join("; ");
})()`

// A customer whose strings are markup shows them as text and runs
// nothing: no dialog opens, no element is made of them. An unknown
// customer and an empty search say so.
func TestConsoleNamesStayText(t *testing.T) {
	e := startConsole(t)
	const name = `<img src=x onerror=alert(1)>`
	res, body := e.do(t, writeKey, "POST", "/customer", `{"type":"INDIVIDUAL","countryCode":"US","name":"<img src=x onerror=alert(1)>",`+
		`"email":"a@example.com","metadata":{"note":"<script>alert(2)</script>","<b onmouseover=alert(3)>":"x"},`+
		`"address":{"line1":"<svg onload=alert(4)>","city":"\"><img src=y onerror=alert(5)>"},"wallets":["`+anviltest.DevAddress(7).Hex()+`"]}`)
	if res.StatusCode != 200 {
		t.Fatalf("onboard = %d %s", res.StatusCode, body)
	}
	tb := newTab(t)
	tb.signIn(t, e, readKey)
	tb.run(t, 10*time.Second, chromedp.SendKeys("#q", "<IMG"), chromedp.Click("#search button[type=submit]"))
	tb.waitJS(t, 5*time.Second, "the search result", `document.querySelectorAll("#results a.customer-link").length === 1`)
	if got := text(t, tb, "#results a.customer-link"); got != name {
		t.Errorf("search result shows %q, want the name as text", got)
	}
	tb.run(t, 10*time.Second, chromedp.Click("#results a.customer-link"))
	tb.waitJS(t, 5*time.Second, "the customer page", `!!document.querySelector("#profile-name")`)
	tb.waitJS(t, 5*time.Second, "the portfolio", `!!document.querySelector('[data-field="total"]')?.dataset.base`)
	if got := text(t, tb, "#customer-name"); got != name {
		t.Errorf("heading %q, want %q", got, name)
	}
	if got := text(t, tb, "#profile-name"); got != name {
		t.Errorf("profile name %q, want %q", got, name)
	}
	for _, want := range []string{"<script>alert(2)</script>", "<b onmouseover=alert(3)>", "<svg onload=alert(4)>", `"><img src=y onerror=alert(5)>`} {
		if !strings.Contains(text(t, tb, "#profile"), want) {
			t.Errorf("the profile does not show %q as text", want)
		}
	}
	if n := eval[int](t, tb, `document.querySelectorAll("main img, main script, main svg, main b, main [onerror], main [onload], main [onmouseover]").length`); n != 0 {
		t.Errorf("%d elements were made of customer strings", n)
	}
	tb.run(t, 5*time.Second, chromedp.Sleep(300*time.Millisecond)) // an onerror fires after the image fails
	tb.mu.Lock()
	if len(tb.dialogs) > 0 {
		t.Errorf("dialogs opened: %q", tb.dialogs)
	}
	tb.mu.Unlock()
	tb.screenshot(t, "xss-name", "")
	tb.checkOwnRequests(t, e)
	// The policy is enforced and its recorder works: an inline script put
	// in the page does not run, and is reported.
	eval[bool](t, tb, `(() => { const s = document.createElement("script"); s.textContent = "window.__ran = true"; document.body.append(s); return true })()`)
	tb.waitJS(t, 2*time.Second, "the blocked inline script reported", `window.__csp.length > 0 && window.__ran === undefined`)

	// Empty and error states say so.
	tb.run(t, 10*time.Second, chromedp.Navigate(e.base+"/ui/#/search?q=nobody"))
	tb.waitJS(t, 5*time.Second, "the empty search", `document.getElementById("results")?.textContent.includes("No customer matches")`)
	tb.run(t, 10*time.Second, chromedp.Navigate(e.base+"/ui/#/customer/customer_000000000000"))
	tb.waitJS(t, 5*time.Second, "the unknown customer", `document.querySelector("main .error")?.textContent.includes("No customer has the id customer_000000000000")`)

	// The listener does see a dialog: the check above can fail.
	tb.run(t, 5*time.Second, chromedp.Navigate(e.base+"/healthz"))
	go chromedp.Run(tb.ctx, chromedp.Evaluate[chromedp.Void](`alert("probe")`))
	deadline := time.Now().Add(3 * time.Second)
	for {
		tb.mu.Lock()
		n := len(tb.dialogs)
		tb.mu.Unlock()
		if n > 0 {
			chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dialog listener saw no alert(): it would miss an XSS")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A forged cross-site POST is refused. A page on another loopback port
// is same-site (the browser sends the SameSite=Strict cookie) but another
// origin: its auto-submitted form to POST /customer carries the cookie
// and no anti-CSRF token, and gets 403; nothing is written. A page on
// another site (localhost) gets its form sent without the cookie (401).
// The console itself, with its token, writes with the same session.
func TestConsoleRefusesForgedPost(t *testing.T) {
	e := startConsole(t)
	tb := newTab(t)
	tb.signIn(t, e, writeKey)
	count := func() int {
		t.Helper()
		_, body := e.do(t, readKey, "GET", "/customer?limit=100", "")
		var l struct{ Data []json.RawMessage }
		json.Unmarshal(body, &l)
		return len(l.Data)
	}
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.URL.Query().Get("target")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><form id=f method=POST enctype=text/plain action=%q>`+
			`<input name='{"type":"INDIVIDUAL","countryCode":"US","name":"forged","x":"' value='"}'></form>`+
			`<script>document.getElementById("f").submit()</script>`, target)
	}))
	t.Cleanup(evil.Close)
	before := count()

	for _, tt := range []struct {
		name, page string
		status     int
		want       string
	}{
		{"same site, other origin", evil.URL, 403, `"param":"X-CSRF-Token"`},
		{"other site", strings.Replace(evil.URL, "127.0.0.1", "localhost", 1), 401, `"code":"unauthorized"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tb.run(t, 10*time.Second, chromedp.Navigate(tt.page+"/?target="+url.QueryEscape(e.base+"/customer")))
			tb.waitJS(t, 5*time.Second, "the forged POST's answer", `location.href === `+jsString(e.base+"/customer")+
				` && document.body.innerText.includes(`+jsString(tt.want)+`)`)
			tb.screenshot(t, "forged-post-"+strings.ReplaceAll(tt.name, " ", "-"), "")
		})
	}
	if n := count(); n != before {
		t.Fatalf("the forged posts wrote %d customers", n-before)
	}
	// The session is good for writes with its token: the refusal above is
	// the token's doing, not the key's scope.
	tb.run(t, 10*time.Second, chromedp.Navigate(e.base+"/ui/"), chromedp.WaitVisible("#q"))
	got := eval[int](t, tb, `fetch("/ui/session").then(r => r.json()).then(s => fetch("/customer", {method: "POST",
		headers: {"Content-Type": "application/json", "X-CSRF-Token": s.csrfToken},
		body: JSON.stringify({type: "INDIVIDUAL", countryCode: "US", name: "by the console"})})).then(r => r.status)`)
	if got != 200 || count() != before+1 {
		t.Errorf("a console write with the token = %d, customers %d, want 200 and %d", got, count(), before+1)
	}
}

// With the node down the page says so and keeps the last figures, marked
// stale.
func TestConsoleNodeDown(t *testing.T) {
	e := startConsole(t)
	w := anviltest.DevAddress(8)
	e.tok.Mint(t, w, big.NewInt(4200))
	id := e.onboard(t, "Node Down", w)
	tb := newTab(t)
	tb.signIn(t, e, readKey)
	tb.run(t, 10*time.Second, chromedp.Navigate(e.base+"/ui/#/customer/"+id))
	total := `document.querySelector('[data-field="total"]')`
	tb.waitJS(t, 5*time.Second, "the figures", total+`?.textContent === "42"`)
	e.node.Stop()
	tb.waitJS(t, 15*time.Second, "the node-down banner", `!document.getElementById("banner").hidden && document.getElementById("banner").textContent.includes("unreachable")`)
	tb.waitJS(t, 2*time.Second, "stale figures", `document.getElementById("portfolio").classList.contains("stale") && `+
		total+`.textContent === "42" && document.getElementById("live-status").textContent.startsWith("Stale")`)
	tb.screenshot(t, "node-down", "")
}

// An admin sees a webhook endpoint and its deliveries and sends a test,
// which reaches the receiver (the write carries the anti-CSRF token); a
// read key's console offers no webhooks page.
func TestConsoleWebhooks(t *testing.T) {
	e := startConsole(t)
	got := make(chan http.Header, 4)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Clone()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(recv.Close)
	res, body := e.do(t, adminKey, "POST", "/webhooks", `{"url":"`+recv.URL+`/hooks","types":["balance.updated"],"description":"back office"}`)
	var ep struct{ ID string }
	if err := json.Unmarshal(body, &ep); err != nil || res.StatusCode != 201 {
		t.Fatalf("POST /webhooks = %d %s", res.StatusCode, body)
	}

	tb := newTab(t)
	tb.signIn(t, e, adminKey)
	tb.run(t, 10*time.Second, chromedp.Click(`a[data-nav="webhooks"]`))
	card := `document.querySelector('[data-endpoint="` + ep.ID + `"]')`
	tb.waitJS(t, 5*time.Second, "the endpoint and its empty delivery log", card+`?.textContent.includes("No deliveries yet")`)
	if got := text(t, tb, `[data-endpoint="`+ep.ID+`"] h2`); got != recv.URL+"/hooks" {
		t.Errorf("endpoint shown as %q", got)
	}
	tb.run(t, 10*time.Second, chromedp.Click(`[data-endpoint="`+ep.ID+`"] .send-test`))
	select {
	case h := <-got:
		if h.Get("webhook-id") == "" || !strings.HasPrefix(h.Get("webhook-signature"), "v1,") {
			t.Errorf("the test delivery's headers %v", h)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the receiver got no test delivery within 10s")
	}
	tb.waitJS(t, 10*time.Second, "the delivered test in the log", card+`.querySelector("tr[data-delivery] .badge.d-delivered")?.textContent === "delivered"`)
	if got := text(t, tb, `[data-endpoint="`+ep.ID+`"] tr[data-delivery] .attempt`); !strings.Contains(got, "HTTP 204") {
		t.Errorf("attempt shown as %q, want HTTP 204", got)
	}
	tb.screenshot(t, "webhooks", "")
	tb.checkOwnRequests(t, e)

	reader := newTab(t)
	reader.signIn(t, e, readKey)
	reader.run(t, 10*time.Second, chromedp.Navigate(e.base+"/ui/#/webhooks"))
	reader.waitJS(t, 5*time.Second, "the admin-only note", `document.getElementById("webhooks")?.textContent.includes("admin key")`)

	// A reload that removes the read key signs its console out: the open
	// register's stream ends, and the page goes to sign-in by itself.
	reader.run(t, 10*time.Second, chromedp.Navigate(e.base+"/ui/#/frozen"))
	reader.waitJS(t, 5*time.Second, "the register", `!!document.getElementById("frozen-total")`)
	e.svc.API.SetKeys([]api.Key{{Name: "root", Hash: api.HashKey(adminKey), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite, api.ScopeAdmin}}})
	reader.waitJS(t, 8*time.Second, "sign-in after the key's removal", `!!document.querySelector("#sign-in #key")`)
}
