package console_test

import (
	"context"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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
	tb.run(t, 10*time.Second, chromedp.Click("#results a.customer-link"))

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
