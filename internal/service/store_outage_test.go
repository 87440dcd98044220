package service

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/api"
	"github.com/portfoliod/portfoliod/customers/postgres"
	"github.com/portfoliod/portfoliod/internal/apitest"
	"github.com/portfoliod/portfoliod/internal/localnet"
	"github.com/portfoliod/portfoliod/internal/pgtest"
)

// outageKey has every scope.
const outageKey = "outage-key"

type outageResponse struct {
	status int
	header http.Header
	body   string
}

// outageDo sends one request with outageKey (or none, for key "") and
// fails tb on a transport error.
func outageDo(tb testing.TB, base, key, method, path, body string) outageResponse {
	tb.Helper()
	res, b := apitest.Do(tb, method, base+path, key, body)
	return outageResponse{res.StatusCode, res.Header, string(b)}
}

// The PostgreSQL server stopped under a running service, with clients
// onboarding, and started again: during the outage every store route
// answers 503 store_unavailable with Retry-After (never 500, never the
// database's address), /readyz fails its store check (the reason for an
// admin key only), and each failure is logged; once the server is back the
// same process serves again, without a restart; every onboarding is whole
// or absent and the wallet index is clean.
func TestStoreOutage(t *testing.T) {
	srv := pgtest.StartDedicated(t)
	const password = "s3cret-service-pw"
	dsn := strings.Replace(srv.NewDatabase(t), "postgres@", "postgres:"+password+"@", 1)
	logs := &localnet.Output{}
	ctx := context.Background()
	s, err := Start(ctx, Options{
		OpenStore: func(ctx context.Context) (Store, error) {
			return postgres.Open(ctx, dsn, postgres.Options{ConnectTimeout: 2 * time.Second})
		},
		Chain:  demoChain(t),
		Addr:   "127.0.0.1:0",
		API:    api.Config{RequestsPerSecond: 1e6, Burst: 1e6, Keys: []api.Key{{Name: "o", Hash: api.HashKey(outageKey), Scopes: []api.Scope{api.ScopeRead, api.ScopeWrite, api.ScopeAdmin}}}},
		Logger: slog.New(slog.NewJSONHandler(logs, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := s.Shutdown(sctx); err != nil {
			t.Error(err)
		}
	})
	base := "http://" + s.Addr()
	do := func(method, path, body string) outageResponse {
		t.Helper()
		return outageDo(t, base, outageKey, method, path, body)
	}
	onboard := func(ws ...common.Address) string {
		quoted := make([]string, len(ws))
		for i, w := range ws {
			quoted[i] = fmt.Sprintf("%q", w.Hex())
		}
		return `{"type":"INDIVIDUAL","countryCode":"US","wallets":[` + strings.Join(quoted, ",") + `]}`
	}
	idOf := func(r outageResponse) string {
		var c struct{ ID string }
		if err := json.Unmarshal([]byte(r.body), &c); err != nil || c.ID == "" {
			t.Fatalf("no customer id in %d %s", r.status, r.body)
		}
		return c.ID
	}
	addr := func(n int) common.Address {
		a := common.Address{0x5e}
		binary.BigEndian.PutUint64(a[12:], uint64(n))
		return a
	}

	first := do("POST", "/customer", onboard(addr(1)))
	if first.status != 200 {
		t.Fatalf("onboard before the outage: %d %s", first.status, first.body)
	}
	cid := "/customer/" + idOf(first)

	// Clients onboard customers with two wallets each throughout.
	type attempt struct {
		ws     []common.Address
		status int
		id     string
	}
	var (
		mu       sync.Mutex
		attempts []attempt
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	for g := range 3 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ws := []common.Address{addr(1000 + g*10_000 + 2*i), addr(1001 + g*10_000 + 2*i)}
				r := outageDo(t, base, outageKey, "POST", "/customer", onboard(ws...))
				a := attempt{ws: ws, status: r.status}
				if r.status == 200 {
					a.id = idOf(r)
				}
				mu.Lock()
				attempts = append(attempts, a)
				mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	srv.Stop(t)

	unavailable := func(t *testing.T, r outageResponse) {
		t.Helper()
		var e struct {
			Error struct{ Code, Message string }
		}
		if r.status != http.StatusServiceUnavailable || json.Unmarshal([]byte(r.body), &e) != nil ||
			e.Error.Code != "store_unavailable" || e.Error.Message != "the customer store is unavailable; try again shortly" {
			t.Errorf("got %d %s, want 503 store_unavailable", r.status, r.body)
		}
		if r.header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
		if strings.Contains(r.body, password) || strings.Contains(r.body, "127.0.0.1") {
			t.Errorf("the answer shows the database: %s", r.body)
		}
	}
	for _, rc := range []struct{ method, path, body string }{
		{"POST", "/customer", onboard(addr(2))},
		{"GET", cid, ""},
		{"GET", "/customer", ""},
		{"GET", "/customer?wallet=" + addr(1).Hex(), ""},
		{"PATCH", cid, `{"name":"Outage"}`},
		{"POST", cid + "/wallets", fmt.Sprintf(`{"address":%q}`, addr(3).Hex())},
		{"DELETE", cid + "/wallets/" + addr(1).Hex(), ""},
		{"DELETE", cid, ""},
		{"GET", cid + "/portfolio", ""},
	} {
		t.Run("down "+rc.method+" "+rc.path, func(t *testing.T) { unavailable(t, do(rc.method, rc.path, rc.body)) })
	}
	var ready struct {
		Status string
		Checks []struct{ Name, Status, Error string }
	}
	r := outageDo(t, base, "", "GET", "/readyz", "")
	if err := json.Unmarshal([]byte(r.body), &ready); err != nil || r.status != 503 ||
		!slices.ContainsFunc(ready.Checks, func(c struct{ Name, Status, Error string }) bool { return c.Name == "store" && c.Status == "failing" }) {
		t.Errorf("/readyz during the outage: %d %s, want 503 with the store check failing", r.status, r.body)
	}
	if strings.Contains(r.body, "unavailable:") || strings.Contains(r.body, "127.0.0.1") {
		t.Errorf("/readyz without a key shows the reason: %s", r.body)
	}
	if r := do("GET", "/readyz", ""); !strings.Contains(r.body, "customer store unavailable") || strings.Contains(r.body, password) {
		t.Errorf("/readyz with an admin key: %s; want the reason, without the password", r.body)
	}
	time.Sleep(300 * time.Millisecond)

	srv.Restart(t)
	back := time.Now()
	for outageDo(t, base, "", "GET", "/readyz", "").status != 200 {
		if time.Since(back) > 15*time.Second {
			t.Fatalf("/readyz still failing 15s after the database came back: %s", outageDo(t, base, outageKey, "GET", "/readyz", "").body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("/readyz answered 200 %v after the database accepted connections", time.Since(back).Round(time.Millisecond))
	for _, rc := range []struct{ method, path, body string }{
		{"GET", cid, ""},
		{"PATCH", cid, `{"name":"After"}`},
		{"POST", cid + "/wallets", fmt.Sprintf(`{"address":%q}`, addr(3).Hex())},
		{"POST", "/customer", onboard(addr(4))},
		{"GET", "/customer?wallet=" + addr(3).Hex(), ""},
	} {
		if r := do(rc.method, rc.path, rc.body); r.status != 200 {
			t.Errorf("%s %s after recovery: %d %s", rc.method, rc.path, r.status, r.body)
		}
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()

	// Only 200 or 503; whole or absent.
	var ok, down int
	for _, a := range attempts {
		switch a.status {
		case 200:
			ok++
			r := do("GET", "/customer/"+a.id, "")
			var c struct{ Wallets []struct{ Address string } }
			_ = json.Unmarshal([]byte(r.body), &c)
			if r.status != 200 || len(c.Wallets) != len(a.ws) {
				t.Errorf("acknowledged customer %s: %d %s, want it with its %d wallets", a.id, r.status, r.body, len(a.ws))
			}
		case 503:
			down++
			var owners []string
			for _, w := range a.ws {
				var l struct{ Data []struct{ ID string } }
				r := do("GET", "/customer?wallet="+w.Hex(), "")
				if err := json.Unmarshal([]byte(r.body), &l); err != nil || r.status != 200 {
					t.Fatalf("find by wallet after recovery: %d %s", r.status, r.body)
				}
				owner := ""
				if len(l.Data) == 1 {
					owner = l.Data[0].ID
				}
				owners = append(owners, owner)
			}
			if owners[0] != owners[1] {
				t.Errorf("an onboarding answered 503 is half-written: its wallets belong to %q", owners)
			}
		default:
			t.Errorf("an onboarding during the outage answered %d, want 200 or 503", a.status)
		}
	}
	if ok == 0 || down == 0 {
		t.Errorf("the clients did not span the outage: %d acknowledged, %d answered 503", ok, down)
	}
	if err := s.Store.VerifyIndex(ctx); err != nil {
		t.Errorf("VerifyIndex after recovery: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"request failed"`) || !strings.Contains(out, `"code":"store_unavailable"`) {
		t.Errorf("no request failed log line with code store_unavailable:\n%.2000s", out)
	}
	if strings.Contains(out, password) {
		t.Errorf("the log shows the DSN's password")
	}
	t.Logf("%d onboardings: %d acknowledged, %d answered 503", len(attempts), ok, down)
}
