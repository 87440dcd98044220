package console_test

// The console in a real browser: Debian's chromium driven by chromedp
// against a real portfoliod (internal/service) following a real anvil.
// One browser serves the whole test binary (TestMain); each test opens
// its own tabs in a fresh browser context, so no cookie crosses tests.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
	"github.com/portfoliod/portfoliod/internal/apitest"
	"github.com/portfoliod/portfoliod/internal/service"
)

// browser is the context of the one Chromium of this test binary, or
// browserErr says why there is none.
var (
	browser    context.Context
	browserErr error
)

// chromiumPath is $CHROMIUM, or Debian's /usr/bin/chromium.
func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return exec.LookPath(p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		return "", fmt.Errorf("no Chromium: /usr/bin/chromium is missing and $CHROMIUM is unset; " +
			"`make test` installs it (apt-get install -y chromium), or set CHROMIUM=/path/to/chromium")
	}
	return "/usr/bin/chromium", nil
}

func TestMain(m *testing.M) {
	os.Exit(func() int {
		path, err := chromiumPath()
		if err != nil {
			browserErr = err
			return m.Run() // the browser tests fail, saying why
		}
		dir, err := os.MkdirTemp("", "console-chromium-")
		if err != nil {
			browserErr = err
			return m.Run()
		}
		defer os.RemoveAll(dir)
		actx, cancel := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(path), chromedp.UserDataDir(dir),
			chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("mute-audio", true), chromedp.WindowSize(1280, 900))
		defer cancel()
		bctx, bcancel := chromedp.NewContext(actx)
		defer bcancel()
		if err := chromedp.Do(bctx); err != nil {
			browserErr = fmt.Errorf("starting %s: %w", path, err)
			return m.Run()
		}
		browser = bctx
		return m.Run()
	}())
}

// Test keys: read only (support staff), read and write, and admin.
const (
	readKey  = "console-read-key"
	writeKey = "console-write-key"
	adminKey = "console-admin-key"
)

// consoleEnv is a portfoliod with the live layer on, following an anvil
// with one erc3643 token of 2 decimals.
type consoleEnv struct {
	node *anviltest.Node
	tok  *anviltest.Token
	svc  *service.Instance
	base string // http://127.0.0.1:port
}

func startConsole(t *testing.T) *consoleEnv {
	t.Helper()
	node := anviltest.Start(t)
	anviltest.PlaceMulticall3(t, node.URL)
	tok := node.Chain(t).DeployToken(t, anviltest.TREX, "Test Dollar", "TUSD", 2)
	tok.Unpause(t)
	s, err := service.Start(context.Background(), service.Options{
		StorePath: filepath.Join(t.TempDir(), "p.db"),
		Chain: chain.Config{ChainID: node.ChainID, RPCURLs: []string{node.URL}, HeadPollInterval: 50 * time.Millisecond,
			Tokens: []chain.TokenConfig{{Address: tok.Address, Freeze: chain.FreezeERC3643}}},
		API: api.Config{Keys: []api.Key{
			{Name: "support", Hash: api.HashKey(readKey), Scopes: []api.Scope{api.ScopeRead}},
			{Name: "ops", Hash: api.HashKey(writeKey), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite}},
			{Name: "root", Hash: api.HashKey(adminKey), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite, api.ScopeAdmin}},
		}},
		Addr: "127.0.0.1:0",
		Live: service.LiveOptions{Enabled: true},
		// Receivers in these tests are loopback servers they start.
		Webhooks: service.WebhookOptions{AllowHTTP: true, AllowPrivateTargets: true, Schedule: []time.Duration{time.Second}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return &consoleEnv{node: node, tok: tok, svc: s, base: "http://" + s.Addr()}
}

// do sends method path with key (and a JSON body) and returns the answer.
func (e *consoleEnv) do(t *testing.T, key, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	return apitest.Do(t, method, e.base+path, key, body)
}

// onboard creates a customer named name owning wallets.
func (e *consoleEnv) onboard(t *testing.T, name string, wallets ...common.Address) string {
	t.Helper()
	quoted := make([]string, len(wallets))
	for i, w := range wallets {
		quoted[i] = `"` + w.Hex() + `"`
	}
	n, _ := json.Marshal(name)
	res, body := e.do(t, writeKey, "POST", "/customer",
		`{"type":"INDIVIDUAL","countryCode":"US","name":`+string(n)+`,"wallets":[`+strings.Join(quoted, ",")+`]}`)
	var c struct{ ID string }
	if err := json.Unmarshal(body, &c); err != nil || res.StatusCode != 200 {
		t.Fatalf("onboard = %d %s", res.StatusCode, body)
	}
	return c.ID
}

// waitFollower waits until the follower has processed the node's head.
func (e *consoleEnv) waitFollower(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, body := e.do(t, readKey, "GET", "/frozen", "")
		if res.StatusCode == 200 && res.Header.Get("X-Block-Number") == fmt.Sprint(nodeHead(t, e.node)) {
			return
		}
		_ = body
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the follower did not reach the node's head within 10s")
}

func nodeHead(t *testing.T, node *anviltest.Node) uint64 {
	t.Helper()
	res, err := http.Post(node.URL, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Result string }
	json.NewDecoder(res.Body).Decode(&out)
	n, _ := new(big.Int).SetString(strings.TrimPrefix(out.Result, "0x"), 16)
	return n.Uint64()
}

// tab is one browser tab in its own browser context (its own cookies),
// recording the dialogs it opens and every request it sends.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	dialogs  []string
	requests []string
}

func newTab(t *testing.T) *tab {
	t.Helper()
	if browser == nil {
		t.Fatalf("the console's browser tests need Chromium: %v", browserErr)
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, string(ev.Type)+": "+ev.Message)
			tb.mu.Unlock()
		case *network.EventRequestWillBeSent:
			tb.mu.Lock()
			tb.requests = append(tb.requests, ev.Request.URL)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	// Record what the Content-Security-Policy blocks, from before any
	// page script runs (a script added by DevTools is not subject to it).
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
	}); err != nil {
		t.Fatal(err)
	}
	return tb
}

// run runs actions with a time limit.
func (tb *tab) run(t *testing.T, d time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, d)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS waits up to d for a JavaScript expression to be truthy; on
// timeout the test fails with what (and the page's main text).
func (tb *tab) waitJS(t *testing.T, d time.Duration, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, d+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(d),
		chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		main := eval[string](t, tb, `(document.querySelector("main")||document.body).innerText`)
		t.Fatalf("%s: not within %s (%v); the page shows:\n%s", what, d, err, main)
	}
}

// text is the textContent of the first element matching a CSS selector.
func text(t *testing.T, tb *tab, sel string) string {
	t.Helper()
	return eval[string](t, tb, fmt.Sprintf(`(document.querySelector(%q)||{}).textContent||""`, sel))
}

// screenshot writes the tab's page to the artifact directory
// ($CONSOLE_ARTIFACTS, default .artifacts/console at the repository
// root, git-ignored) and, with $CONSOLE_SCREENSHOTS set (make
// screenshots), to that directory under docName too.
func (tb *tab) screenshot(t *testing.T, name, docName string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("CONSOLE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", ".artifacts", "console")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	if docs := os.Getenv("CONSOLE_SCREENSHOTS"); docs != "" && docName != "" {
		if err := os.WriteFile(filepath.Join(docs, docName), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// signIn opens the console and signs in with key.
func (tb *tab) signIn(t *testing.T, e *consoleEnv, key string) {
	t.Helper()
	tb.run(t, 15*time.Second, chromedp.Navigate(e.base+"/ui/"), chromedp.WaitVisible("#key"))
	// By keyboard: the key field has the focus, Enter submits.
	if !eval[bool](t, tb, `document.activeElement === document.getElementById("key")`) {
		t.Error("the sign-in page does not focus the key field")
	}
	tb.run(t, 10*time.Second, chromedp.KeyEvent(key+"\r"))
	tb.waitJS(t, 5*time.Second, "signed in", `!document.getElementById("nav").hidden && !!document.querySelector("#q")`)
}

// checkOwnRequests fails the test if the page asked any host but e's, or
// if its Content-Security-Policy blocked anything.
func (tb *tab) checkOwnRequests(t *testing.T, e *consoleEnv) {
	t.Helper()
	if got := eval[[]string](t, tb, `window.__csp`); len(got) > 0 {
		t.Errorf("the Content-Security-Policy blocked: %q", got)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.requests) == 0 {
		t.Error("no request was recorded: the network listener saw nothing")
	}
	for _, r := range tb.requests {
		u, err := url.Parse(r)
		if err != nil || (r != "about:blank" && u.Scheme != "data" && "http://"+u.Host != e.base) {
			t.Errorf("the console requested %s, not on %s", r, e.base)
		}
	}
}
