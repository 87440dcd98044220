package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/devnet"
)

// op is one kind of client request.
type op int

const (
	opOnboard       op = iota // POST /customer with fresh wallets: 200
	opOnboardTaken            // POST /customer with a wallet a seed customer owns: 409
	opOnboardReplay           // the same Idempotency-Key and body again: 200, replayed
	opPatch                   // PATCH /customer/{id}: 200
	opPatchInvalid            // PATCH with an unassigned country: 400
	opProfile                 // GET /customer/{id}: 200
	opPortfolio               // GET /customer/{id}/portfolio: 200
	opWallet                  // GET /wallet/{address}: 200
	opList                    // GET /customer?limit=20: 200
	opMissing                 // GET /customer/{unknown id}: 404
	numOps
)

var opNames = [numOps]string{
	"onboard", "onboard-taken", "onboard-replay", "patch", "patch-invalid",
	"profile", "portfolio", "wallet", "list", "missing",
}

// opWeights is the mix, in percent; opOnboardReplay follows every
// idempotent onboarding and has no weight of its own.
var opWeights = [numOps]int{
	opOnboard: 14, opOnboardTaken: 2, opPatch: 12, opPatchInvalid: 2,
	opProfile: 20, opPortfolio: 25, opWallet: 15, opList: 6, opMissing: 4,
}

// expectedStatus is the only status each operation may get.
var expectedStatus = [numOps]int{
	opOnboard: 200, opOnboardTaken: 409, opOnboardReplay: 200, opPatch: 200, opPatchInvalid: 400,
	opProfile: 200, opPortfolio: 200, opWallet: 200, opList: 200, opMissing: 404,
}

// sample is one request's outcome.
type sample struct {
	op      op
	status  int // 0: transport error
	latency time.Duration
}

// load drives the service with concurrent clients.
type load struct {
	url, key string
	client   *http.Client
	seq      atomic.Int64 // fresh wallets and tags

	mu      sync.RWMutex
	ids     []string          // every acknowledged customer
	seedIDs map[string]string // seed customer id -> its demo wallet, lowercase

	acked    atomic.Int64 // acknowledged onboardings, seeds included
	problems problemList
}

// problemList collects failures other than statuses: wrong balances, a
// replay with another id, transport errors.
type problemList struct {
	mu   sync.Mutex
	list []string
}

func (p *problemList) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.list) < 100 {
		p.list = append(p.list, fmt.Sprintf(format, args...))
	}
}

func newLoad(url, key string, clients int) *load {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}
	return &load{url: url, key: key, client: &http.Client{Transport: tr, Timeout: 30 * time.Second}, seedIDs: map[string]string{}}
}

// closeIdle closes the clients' kept-alive connections, so the server's
// connection goroutines end.
func (l *load) closeIdle() { l.client.Transport.(*http.Transport).CloseIdleConnections() }

// do sends one request and returns its status, headers, body and latency.
// The status is 0 on a transport error (also recorded as a problem) and -1
// when ctx ended first: the soak was interrupted.
func (l *load) do(ctx context.Context, method, path, contentType, body string, hdr ...string) (int, http.Header, []byte, time.Duration) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, l.url+path, rd)
	if err != nil {
		l.problems.add("%s %s: %v", method, path, err)
		return 0, nil, nil, 0
	}
	req.Header.Set("x-api-key", l.key)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	start := time.Now()
	res, err := l.client.Do(req)
	if err == nil {
		defer res.Body.Close()
		var b []byte
		if b, err = io.ReadAll(res.Body); err == nil {
			return res.StatusCode, res.Header, b, time.Since(start)
		}
	}
	if ctx.Err() != nil {
		return -1, nil, nil, 0
	}
	l.problems.add("%s %s: %v", method, path, err)
	return 0, nil, nil, time.Since(start)
}

// seed onboards one customer per demo wallet, so the demo balances can be
// checked under load, plus extra customers with fresh wallets.
func (l *load) seed(ctx context.Context, extra int) error {
	for _, h := range devnet.DemoHoldings {
		w := strings.ToLower(h.Wallet.Hex())
		id, err := l.onboard(ctx, fmt.Sprintf(`{"type":"ORGANIZATION","countryCode":"DE","name":"Seed","wallets":[%q]}`, w))
		if err != nil {
			return err
		}
		l.mu.Lock()
		l.seedIDs[id] = w
		l.mu.Unlock()
	}
	for range extra {
		if _, err := l.onboard(ctx, l.onboardBody(1)); err != nil {
			return err
		}
	}
	return nil
}

func (l *load) onboard(ctx context.Context, body string) (string, error) {
	st, _, b, _ := l.do(ctx, "POST", "/customer", "application/json", body)
	if st != http.StatusOK {
		return "", fmt.Errorf("seeding: POST /customer = %d %s", st, b)
	}
	var c struct{ ID string }
	if err := json.Unmarshal(b, &c); err != nil {
		return "", err
	}
	l.remember(c.ID)
	return c.ID, nil
}

func (l *load) remember(id string) {
	l.acked.Add(1)
	l.mu.Lock()
	l.ids = append(l.ids, id)
	l.mu.Unlock()
}

// onboardBody is a new customer with n fresh wallets.
func (l *load) onboardBody(n int) string {
	tag := l.seq.Add(1)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = fmt.Sprintf("%q", strings.ToLower(common.BigToAddress(big.NewInt(0x50a0000000+tag<<3|int64(i))).Hex()))
	}
	return fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","name":"Soak %d","email":"soak%d@example.com","metadata":{"tag":"%d"},"wallets":[%s]}`,
		tag, tag, tag, strings.Join(ws, ","))
}

func (l *load) randomID(rng *rand.Rand) string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.ids[rng.IntN(len(l.ids))]
}

func (l *load) randomSeed(rng *rand.Rand) (id, wallet string) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	i := rng.IntN(len(l.seedIDs))
	for id, w := range l.seedIDs {
		if i == 0 {
			return id, w
		}
		i--
	}
	panic("unreachable")
}

// pick draws an operation from opWeights.
func pick(rng *rand.Rand) op {
	n := rng.IntN(100)
	for o, w := range opWeights {
		if n < w {
			return op(o)
		}
		n -= w
	}
	return opProfile
}

// runClient runs requests until stop is set or ctx ends and returns its
// samples.
func (l *load) runClient(ctx context.Context, stop *atomic.Bool, rng *rand.Rand) []sample {
	var out []sample
	record := func(o op, st int, d time.Duration) {
		if st >= 0 {
			out = append(out, sample{op: o, status: st, latency: d})
		}
	}
	for !stop.Load() && ctx.Err() == nil {
		switch o := pick(rng); o {
		case opOnboard:
			body := l.onboardBody(1 + rng.IntN(3))
			var hdr []string
			idem := rng.IntN(4) == 0
			if idem {
				hdr = []string{"Idempotency-Key", fmt.Sprintf("soak-%d-%d", l.seq.Add(1), rng.Uint32())}
			}
			st, _, b, d := l.do(ctx, "POST", "/customer", "application/json", body, hdr...)
			record(o, st, d)
			if st != http.StatusOK {
				continue
			}
			var c struct{ ID string }
			if err := json.Unmarshal(b, &c); err != nil {
				l.problems.add("onboard: %v: %s", err, b)
				continue
			}
			l.remember(c.ID)
			if idem {
				st, h, b, d := l.do(ctx, "POST", "/customer", "application/json", body, hdr...)
				record(opOnboardReplay, st, d)
				var again struct{ ID string }
				if st == http.StatusOK && (json.Unmarshal(b, &again) != nil || again.ID != c.ID || h.Get("Idempotent-Replayed") != "true") {
					l.problems.add("replay of %s answered %s (Idempotent-Replayed %q)", c.ID, again.ID, h.Get("Idempotent-Replayed"))
				}
			}
		case opOnboardTaken:
			_, w := l.randomSeed(rng)
			st, _, _, d := l.do(ctx, "POST", "/customer", "application/json",
				fmt.Sprintf(`{"type":"INDIVIDUAL","countryCode":"US","wallets":[%q]}`, w))
			record(o, st, d)
		case opPatch:
			ct := "application/json"
			if rng.IntN(2) == 0 {
				ct = "application/merge-patch+json"
			}
			status := [...]string{"INCOMPLETE", "IN_PROGRESS", "COMPLETED"}[rng.IntN(3)]
			st, _, _, d := l.do(ctx, "PATCH", "/customer/"+l.randomID(rng), ct,
				fmt.Sprintf(`{"username":"u%d","verificationStatus":%q,"metadata":{"patched":"%d"},"phone":null}`, rng.IntN(1e6), status, rng.IntN(1e6)))
			record(o, st, d)
		case opPatchInvalid:
			st, _, _, d := l.do(ctx, "PATCH", "/customer/"+l.randomID(rng), "application/json", `{"countryCode":"XX"}`)
			record(o, st, d)
		case opProfile:
			st, _, _, d := l.do(ctx, "GET", "/customer/"+l.randomID(rng), "", "")
			record(o, st, d)
		case opPortfolio:
			id, wallet := l.randomID(rng), ""
			if rng.IntN(3) == 0 {
				id, wallet = l.randomSeed(rng)
			}
			st, _, b, d := l.do(ctx, "GET", "/customer/"+id+"/portfolio", "", "")
			record(o, st, d)
			if st == http.StatusOK && wallet != "" {
				var p []struct {
					Wallets []walletJSON `json:"wallets"`
				}
				if err := json.Unmarshal(b, &p); err != nil || len(p) != 1 || len(p[0].Wallets) != 1 {
					l.problems.add("portfolio %s: %v: %s", id, err, b)
				} else {
					l.checkDemo(p[0].Wallets[0])
				}
			}
		case opWallet:
			wallet := strings.ToLower(common.BigToAddress(big.NewInt(rng.Int64N(1 << 40))).Hex())
			demo := rng.IntN(2) == 0
			if demo {
				_, wallet = l.randomSeed(rng)
			}
			st, _, b, d := l.do(ctx, "GET", "/wallet/"+wallet, "", "")
			record(o, st, d)
			if st == http.StatusOK && demo {
				var ws []walletJSON
				if err := json.Unmarshal(b, &ws); err != nil || len(ws) != 1 {
					l.problems.add("wallet %s: %v: %s", wallet, err, b)
				} else {
					l.checkDemo(ws[0])
				}
			}
		case opList:
			st, _, _, d := l.do(ctx, "GET", "/customer?limit=20", "", "")
			record(o, st, d)
		case opMissing:
			st, _, _, d := l.do(ctx, "GET", fmt.Sprintf("/customer/customer_%012x", rng.Int64N(1<<48)), "", "")
			record(o, st, d)
		}
	}
	return out
}

type walletJSON struct {
	Address  string `json:"address"`
	Balances *struct {
		Total  string `json:"total"`
		Frozen struct {
			Amount string `json:"amount"`
		} `json:"frozen"`
	} `json:"balances"`
}

// checkDemo checks a demo wallet's figures against what devnet.Seed wrote.
func (l *load) checkDemo(w walletJSON) {
	for _, h := range devnet.DemoHoldings {
		if !strings.EqualFold(h.Wallet.Hex(), w.Address) {
			continue
		}
		frozen := h.FrozenPartial
		if h.AddressFrozen {
			frozen = h.Balance
		}
		want := fmt.Sprintf("%d/%d", h.Balance, frozen)
		if w.Balances == nil {
			l.problems.add("demo wallet %s: no balances", w.Address)
		} else if got := w.Balances.Total + "/" + w.Balances.Frozen.Amount; got != want {
			l.problems.add("demo wallet %s: total/frozen %s, want %s", w.Address, got, want)
		}
		return
	}
	l.problems.add("wallet %s is not a demo wallet", w.Address)
}

// run starts n clients, stops them starting new requests after d, waits
// for their requests in flight (so that every write is answered and
// counted) and returns their samples.
func (l *load) run(ctx context.Context, n int, d time.Duration, seed uint64, progress io.Writer) []sample {
	var (
		stop    atomic.Bool
		wg      sync.WaitGroup
		mu      sync.Mutex
		samples []sample
	)
	for i := range n {
		wg.Go(func() {
			s := l.runClient(ctx, &stop, rand.New(rand.NewPCG(seed, uint64(i))))
			mu.Lock()
			samples = append(samples, s...)
			mu.Unlock()
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	start := time.Now()
	end := time.NewTimer(d)
	defer end.Stop()
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return samples
		case <-end.C:
			stop.Store(true)
		case <-tick.C:
			fmt.Fprintf(progress, "soak: %s of %s, %d customers acknowledged\n", time.Since(start).Round(time.Second), d, l.acked.Load())
		}
	}
}
