package chain_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// movingProxy forwards every request to a node that the test can change,
// as a load balancer re-pointed at another node does: the Reader keeps the
// same endpoint URL while the chain behind it changes. anvil cannot change
// its chain id while it runs, hence the proxy.
type movingProxy struct {
	URL    string
	to     atomic.Pointer[httputil.ReverseProxy]
	served atomic.Int64
}

func newMovingProxy(tb testing.TB, target string) *movingProxy {
	tb.Helper()
	p := &movingProxy{}
	p.point(tb, target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.served.Add(1)
		p.to.Load().ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// point sends the requests from now on to target.
func (p *movingProxy) point(tb testing.TB, target string) {
	tb.Helper()
	u, err := url.Parse(target)
	if err != nil {
		tb.Fatal(err)
	}
	p.to.Store(httputil.NewSingleHostReverseProxy(u))
}

// TestWrongChainQuarantined: the node behind the primary endpoint is
// replaced by one of another chain. Whether the readiness check or the
// verification of a read finds it, the consequences are the same: the
// endpoint is left out (no request reaches it), reported unhealthy, and
// reads are served by the fallback, with the right chain's values.
func TestWrongChainQuarantined(t *testing.T) {
	right := startAnvil(t)
	other := anviltest.Start(t, anviltest.WithChainID(5))
	dead := fmt.Sprintf("http://127.0.0.1:%d", mustFreePort(t))
	tok := right.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	w := common.HexToAddress("0x0000000000000000000000000000000000088802")
	tok.Mint(t, w, bi(7))
	want := []chain.Balance{balance(w, bi(7), bi(0))}

	for _, tc := range []struct {
		name string
		// find makes the Reader meet the other chain on the primary.
		find func(t *testing.T, r *chain.Reader, primary *movingProxy)
	}{
		{"readiness", func(t *testing.T, r *chain.Reader, primary *movingProxy) {
			primary.point(t, other.URL)
			err := r.Check(context.Background())
			if err != nil {
				t.Errorf("Check() = %v, want nil: the fallback serves the configured chain", err)
			}
		}},
		{"verification after a failure", func(t *testing.T, r *chain.Reader, primary *movingProxy) {
			// A failed request makes the Reader check the endpoint's
			// chain id again before its next use.
			primary.point(t, dead)
			if _, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w}); err != nil {
				t.Fatalf("Balances with the primary down: %v", err)
			}
			primary.point(t, other.URL)
			time.Sleep(100 * time.Millisecond) // the primary's back-off
			if _, err := r.Balances(context.Background(), chain.LatestBlock, tok.Address, []common.Address{w}); err != nil {
				t.Fatalf("Balances with the primary on chain 5: %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			primary := newMovingProxy(t, right.url)
			cfg := dialConfig(right, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
			cfg.RPCURLs = []string{primary.URL, right.url}
			cfg.RetryBackoff, cfg.MaxRetryBackoff = 50*time.Millisecond, time.Minute
			r := mustDial(t, cfg)
			ctx := context.Background()
			if _, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w}); err != nil {
				t.Fatal(err)
			}
			if st := r.Stats(); st[1].Requests != 1 { // the metadata and mode reads of Dial go to the primary
				t.Fatalf("fallback requests before the switch = %d, want 1 (its chain id): %+v", st[1].Requests, st)
			}

			tc.find(t, r, primary)

			before := primary.served.Load()
			for range 3 {
				snap, err := r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{w})
				if err != nil {
					t.Fatalf("Balances after the switch: %v", err)
				}
				if diff := cmp.Diff(want, snap.Balances, bigCmp); diff != "" {
					t.Errorf("Balances after the switch mismatch (-want +got):\n%s", diff)
				}
			}
			if n := primary.served.Load() - before; n != 0 {
				t.Errorf("%d requests reached the endpoint serving chain 5 after it was found", n)
			}
			if st := r.Stats(); st[0].Healthy {
				t.Errorf("Stats() = %+v: the endpoint serving chain 5 is reported healthy", st)
			}
			if err := r.Check(ctx); err != nil {
				t.Errorf("Check() = %v, want nil: the fallback serves the configured chain", err)
			}
			if n := primary.served.Load() - before; n != 0 {
				t.Errorf("Check sent %d requests to the quarantined endpoint", n)
			}
		})
	}
}

// TestWrongChainOnly: with every endpoint on another chain, readiness
// reports the mismatch naming both chain ids, and reads fail as
// unavailable without reading that chain.
func TestWrongChainOnly(t *testing.T) {
	right := startAnvil(t)
	other := anviltest.Start(t, anviltest.WithChainID(5))
	tok := right.chain.DeployToken(t, anviltest.Plain, "P", "P", 0)
	primary := newMovingProxy(t, right.url)
	cfg := dialConfig(right, chain.ModeAuto, chain.TokenConfig{Address: tok.Address})
	cfg.RPCURLs = []string{primary.URL}
	cfg.RetryBackoff, cfg.MaxRetryBackoff = 50*time.Millisecond, time.Minute
	r := mustDial(t, cfg)
	ctx := context.Background()

	primary.point(t, other.URL)
	err := r.Check(ctx)
	if !errors.Is(err, chain.ErrChainIDMismatch) || !strings.Contains(err.Error(), "chain id 5, configured 31337") {
		t.Fatalf("Check() = %v, want ErrChainIDMismatch naming both ids", err)
	}
	before := primary.served.Load()
	_, err = r.Balances(ctx, chain.LatestBlock, tok.Address, []common.Address{common.HexToAddress("0x0000000000000000000000000000000000088803")})
	if !errors.Is(err, chain.ErrUnavailable) || !strings.Contains(err.Error(), "chain id 5") {
		t.Errorf("Balances = %v, want ErrUnavailable naming chain id 5", err)
	}
	if n := primary.served.Load() - before; n != 0 {
		t.Errorf("%d requests reached the endpoint serving chain 5 after readiness found it", n)
	}
}
