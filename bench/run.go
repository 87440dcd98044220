package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// sizeResult holds the cases of one portfolio size.
type sizeResult struct {
	Wallets  int
	Naive    caseResult
	Uncached caseResult // ?block=N, a distinct recent block per request
	Fresh    caseResult // latest, sequential, first read of a new head
	Repeat   caseResult // latest, same block, repeated
}

// storeResult is one store's scale measurements.
type storeResult struct {
	Customers int
	Wallets   int
	Import    importResult
	Profile   caseResult
	Portfolio caseResult
	Heavy     *caseResult // largest portfolio under load (large store only)
	DBBytes   int64       // store file size after the import
	cfgPath   string
	storePath string
	// Mem is the service's memory after the profile and portfolio cases;
	// HeavyMem after the heaviest portfolio case too.
	Mem      memSample
	HeavyMem memSample
}

// benchReport is everything a run measured.
type benchReport struct {
	Config     benchConfig
	Machine    machine
	Started    time.Time
	Finished   time.Time
	Token      common.Address
	IdleRate   float64 // node HTTP requests per second while idle
	Idle       proxyStats
	IdleWindow time.Duration
	Sizes      []sizeResult
	Small      *storeResult
	Large      *storeResult
	// BoundedImport is the import of Config.ImportLarge customers into a
	// store of its own; nil when skipped.
	BoundedImport *importResult
	Live          *liveResult
	Fresh         *freshResult
	Webhooks      *webhookResult
	Register      *registerResult
	Postgres      *postgresResult
	Notes         []string
	Err           error
}

func (r *benchReport) notef(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// run executes the benchmark. It returns the report even on error (with
// what was measured so far) so that the caller can print it.
func run(ctx context.Context, cfg benchConfig) (*benchReport, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "bench: "+format+"\n", args...)
		}
	}
	rep := &benchReport{Config: cfg, Started: time.Now().UTC()}
	tmp, err := os.MkdirTemp("", "portfoliod-bench-")
	if err != nil {
		return nil, err
	}
	if cfg.Keep {
		logf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	anvilBin, err := localnet.FindAnvil(cfg.Anvil)
	if err != nil {
		return nil, err
	}
	// Build portfoliod while the chain is set up.
	bin := cfg.Portfoliod
	buildErr := make(chan error, 1)
	if bin == "" {
		bin = filepath.Join(tmp, "portfoliod")
		go func() { buildErr <- localnet.BuildPortfoliod(ctx, cfg.Root, bin, false) }()
	} else {
		buildErr <- nil
	}

	logf("starting anvil (%s)", anvilBin)
	node, err := startAnvil(ctx, anvilBin, filepath.Join(tmp, "anvil-cache"))
	if err != nil {
		<-buildErr
		return nil, err
	}
	defer node.Stop()
	rep.Machine = describeMachine(ctx, cfg.Root, localnet.AnvilVersion(ctx, anvilBin))

	total := 0
	for _, s := range cfg.Sizes {
		total += s
	}
	holdings := makeHoldings("perf", total)
	logf("deploying token and Multicall3, funding %d wallets", len(holdings))
	setup, err := setupChain(ctx, node.URL, holdings)
	if err != nil {
		<-buildErr
		return nil, err
	}
	rep.Token = setup.Token
	if err := <-buildErr; err != nil {
		return nil, err
	}

	px, err := startProxy(node.URL, cfg.Delay)
	if err != nil {
		return nil, err
	}
	defer px.Close()
	anvil := &rpcClient{url: node.URL, hc: &http.Client{Timeout: 2 * time.Minute}}
	naive := newNaiveReader(px.URL, setup.Token)

	err = runPhases(ctx, cfg, rep, tmp, bin, px, anvil, node.Pid(), naive, holdings, logf)
	if err == nil {
		err = runRegisterAndPostgres(ctx, cfg, rep, tmp, bin, px, anvil, node.Pid(), logf)
	}
	if err == nil && cfg.ImportLarge > 0 {
		rep.BoundedImport, err = measureBoundedImport(ctx, cfg, tmp, bin, px.URL, rep.Token, logf)
	}
	rep.Finished = time.Now().UTC()
	rep.Machine.LoadEnd = loadAvg()
	rep.Err = err
	if cfg.Out != "" && (err == nil || len(rep.Sizes) > 0) {
		if werr := os.WriteFile(cfg.Out, []byte(rep.Document()), 0o644); werr != nil && err == nil {
			err = werr
		}
	}
	return rep, err
}

// sizeCustomer is a benchmark customer holding one size's wallets.
type sizeCustomer struct {
	id       string
	holdings []holding
	wallets  []common.Address
}

func runPhases(ctx context.Context, cfg benchConfig, rep *benchReport, tmp, bin string, px *nodeProxy, anvil *rpcClient, anvilPID int, naive *naiveReader, holdings []holding, logf func(string, ...any)) error {
	// Small store: import, serve, onboard the size customers over the API.
	small, svc, customers, err := openStore(ctx, cfg, tmp, "small", cfg.StoreSmall, bin, px, rep.Token, holdings, logf)
	if err != nil {
		return err
	}
	defer svc.Stop()
	rep.Small = small
	api := newAPIClient(svc.URL)
	env := &caseEnv{px: px, pids: map[string]int{"anvil": anvilPID, "portfoliod": svc.Pid()}}
	if cfg.ProfileDir != "" {
		if err := os.MkdirAll(cfg.ProfileDir, 0o755); err != nil {
			return err
		}
		env.prof = &profiler{dir: cfg.ProfileDir}
		rep.notef("perf profiles of the uncached and repeat cases are in %s.", cfg.ProfileDir)
	}

	if err := checkCorrectness(ctx, api, naive, customers); err != nil {
		return fmt.Errorf("correctness check: %w", err)
	}

	// Head tracking: node requests while nothing asks for anything.
	if rep.Idle, rep.IdleWindow, err = measureIdle(ctx, px, cfg.Idle); err != nil {
		return err
	}
	rep.IdleRate = float64(rep.Idle.HTTPRequests) / rep.IdleWindow.Seconds()
	env.idleRate = rep.IdleRate
	logf("idle: %d node requests in %v (%s)", rep.Idle.HTTPRequests, rep.IdleWindow.Round(time.Millisecond), rep.Idle.methodSummary())

	for _, c := range customers {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sr, err := measureSize(ctx, cfg, rep, env, api, anvil, naive, c, logf)
		rep.Sizes = append(rep.Sizes, sr)
		if err != nil {
			return err
		}
	}

	if cfg.FreshBlocks > 0 && len(customers) > 0 {
		logf("freshness: %d blocks, polled every %v by portfoliod (max_head_age 100ms, 30s, ws_url) and the naive baseline", cfg.FreshBlocks, freshPollEvery)
		if rep.Fresh, err = measureFreshness(ctx, cfg, tmp, bin, anvil.url, anvil, naive, customers[0], logf); err != nil {
			return fmt.Errorf("freshness: %w", err)
		}
	}

	// Store scale: a fresh process on the small store next to one on the
	// large store, measured in alternating rounds so that drift in the
	// shared machine's load hits both stores alike.
	svc.Stop()
	ssvc, err := startService(ctx, bin, small.cfgPath, filepath.Join(tmp, "small-serve-2.log"))
	if err != nil {
		return err
	}
	defer ssvc.Stop()
	targets := []*storeTarget{{st: small, n: cfg.StoreSmall, api: newAPIClient(ssvc.URL),
		env: &caseEnv{px: px, pids: map[string]int{"anvil": anvilPID, "portfoliod": ssvc.Pid()}}}}
	live := []liveTarget{{st: small, customers: customers, name: "small"}}
	var lsvc *service
	if cfg.StoreLarge > 0 {
		large, svc, lcust, err := openStore(ctx, cfg, tmp, "large", cfg.StoreLarge, bin, px, rep.Token, holdings, logf)
		if err != nil {
			return err
		}
		lsvc = svc
		defer lsvc.Stop()
		rep.Large = large
		targets = append(targets, &storeTarget{st: large, n: cfg.StoreLarge, api: newAPIClient(lsvc.URL),
			env:   &caseEnv{px: px, pids: map[string]int{"anvil": anvilPID, "portfoliod": lsvc.Pid()}},
			heavy: &lcust[len(lcust)-1]})
	} else {
		rep.notef("The %d-customer store was not run (quick mode or -store-large 0).", defaultConfig().StoreLarge)
	}
	// Every running service tracks the head: measure the idle rate again.
	idle, window, err := measureIdle(ctx, px, max(2*time.Second, cfg.Idle/2))
	if err != nil {
		return err
	}
	for _, t := range targets {
		t.env.idleRate = float64(idle.HTTPRequests) / window.Seconds()
	}
	logf("store scale: profile and portfolio, %d customers and %d customers, alternating", cfg.StoreSmall, cfg.StoreLarge)
	if err := measureStores(ctx, cfg, anvil, targets); err != nil {
		return err
	}
	if !cfg.Live {
		rep.notef("The live-layer rows were not run (-live=false).")
		return nil
	}
	// The live layer: each store again, now with the follower, one
	// service at a time (bbolt has one process per file).
	ssvc.Stop()
	lsvc.Stop()
	rep.Live, err = measureLive(ctx, cfg, tmp, bin, px, anvil, rep.Token, live, logf)
	if err != nil {
		return err
	}
	logf("webhooks: %d loopback receivers and one down, on the %d-customer store", webhookReceivers, small.Customers)
	rep.Webhooks, err = measureWebhooks(ctx, cfg, tmp, bin, px, anvil, rep.Token, small, logf)
	return err
}

// measureIdle returns the node requests of a window in which the
// benchmark asks nothing: what head tracking costs.
func measureIdle(ctx context.Context, px *nodeProxy, d time.Duration) (proxyStats, time.Duration, error) {
	if err := sleepCtx(ctx, 300*time.Millisecond); err != nil {
		return proxyStats{}, 0, err
	}
	before := px.Stats()
	t0 := time.Now()
	if err := sleepCtx(ctx, d); err != nil {
		return proxyStats{}, 0, err
	}
	return px.Stats().sub(before), time.Since(t0), nil
}

// measureBoundedImport runs `portfoliod customers import` of
// cfg.ImportLarge generated customers into a store of its own, sampling
// its memory (SPEC section 8, "Bounded import"), and removes the file and
// the store afterwards.
func measureBoundedImport(ctx context.Context, cfg benchConfig, tmp, bin, nodeURL string, token common.Address, logf func(string, ...any)) (*importResult, error) {
	dir := filepath.Join(tmp, "bounded-import")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	jsonl := filepath.Join(dir, "customers.jsonl")
	if err := writeCustomersJSONL(jsonl, cfg.ImportLarge, cfg.WalletsPerCustomer); err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(dir, "import.yaml")
	if err := writeConfig(cfgPath, serviceConfig{NodeURL: nodeURL, StorePath: filepath.Join(dir, "store.db"), Token: token}); err != nil {
		return nil, err
	}
	logf("bounded import: %d customers (%d wallets each) into a store of their own", cfg.ImportLarge, cfg.WalletsPerCustomer)
	imp, err := importCustomers(ctx, bin, cfgPath, jsonl)
	if err != nil {
		return nil, err
	}
	logf("  %s; peak %s", imp.Summary, imp.memString())
	return &imp, nil
}

// openStore generates and imports a store of n customers, serves it and
// onboards one customer per benchmark size over the API.
func openStore(ctx context.Context, cfg benchConfig, tmp, name string, n int, bin string, px *nodeProxy, token common.Address, holdings []holding, logf func(string, ...any)) (*storeResult, *service, []sizeCustomer, error) {
	jsonl := filepath.Join(tmp, name+".jsonl")
	if err := writeCustomersJSONL(jsonl, n, cfg.WalletsPerCustomer); err != nil {
		return nil, nil, nil, err
	}
	cfgPath := filepath.Join(tmp, name+".yaml")
	if err := writeConfig(cfgPath, serviceConfig{
		NodeURL: px.URL, StorePath: filepath.Join(tmp, name+".db"), Token: token, MaxCallsPerBatch: cfg.MaxCallsPerBatch,
	}); err != nil {
		return nil, nil, nil, err
	}
	logf("importing %d customers (%d wallets each)", n, cfg.WalletsPerCustomer)
	imp, err := importCustomers(ctx, bin, cfgPath, jsonl)
	if err != nil {
		return nil, nil, nil, err
	}
	_ = os.Remove(jsonl)
	logf("%s", imp.Summary)
	st := &storeResult{Customers: imp.Customers, Wallets: imp.Wallets, Import: imp, cfgPath: cfgPath, storePath: filepath.Join(tmp, name+".db")}
	if fi, err := os.Stat(filepath.Join(tmp, name+".db")); err == nil {
		st.DBBytes = fi.Size()
	}
	svc, err := startService(ctx, bin, cfgPath, filepath.Join(tmp, name+"-serve.log"))
	if err != nil {
		return nil, nil, nil, err
	}
	api := newAPIClient(svc.URL)
	var customers []sizeCustomer
	off := 0
	for _, size := range cfg.Sizes {
		c := sizeCustomer{holdings: holdings[off : off+size]}
		off += size
		for _, h := range c.holdings {
			c.wallets = append(c.wallets, h.Wallet)
		}
		octx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		c.id, err = api.onboard(octx, c.wallets)
		cancel()
		if err != nil {
			svc.Stop()
			return nil, nil, nil, fmt.Errorf("onboard %d-wallet customer: %w (log: %s)", size, err, tail(svc.logPath, 1000))
		}
		customers = append(customers, c)
	}
	return st, svc, customers, nil
}

// checkCorrectness compares portfoliod and the naive baseline with the
// balances written to the chain, for every size.
func checkCorrectness(ctx context.Context, api *apiClient, naive *naiveReader, customers []sizeCustomer) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for _, c := range customers {
		want := expectedBalances(c.holdings)
		resp, err := api.portfolio(ctx, c.id, "")
		if err != nil {
			return err
		}
		got, err := decodePortfolio(resp.Body)
		if err != nil {
			return fmt.Errorf("portfoliod %d wallets: %w", len(c.wallets), err)
		}
		if err := compareBalances(want, got); err != nil {
			return fmt.Errorf("portfoliod %d wallets: %w", len(c.wallets), err)
		}
		np, err := naive.Portfolio(ctx, c.wallets)
		if err != nil {
			return fmt.Errorf("naive %d wallets: %w", len(c.wallets), err)
		}
		if err := compareBalances(want, np.Balances); err != nil {
			return fmt.Errorf("naive %d wallets: %w", len(c.wallets), err)
		}
	}
	return nil
}

// mineFor mines n fresh blocks on anvil for an uncached case and returns a
// cursor over them.
func mineFor(ctx context.Context, anvil *rpcClient, n int) (*blockCursor, error) {
	head, err := mineBlocks(ctx, anvil, n)
	if err != nil {
		return nil, fmt.Errorf("mine %d blocks: %w", n, err)
	}
	return newBlockCursor(head-uint64(n)+1, head), nil
}

func measureSize(ctx context.Context, cfg benchConfig, rep *benchReport, env *caseEnv, api *apiClient, anvil *rpcClient, naive *naiveReader, c sizeCustomer, logf func(string, ...any)) (sizeResult, error) {
	size := len(c.wallets)
	sr := sizeResult{Wallets: size}
	spec := loadSpec{clients: cfg.Clients, minRequests: cfg.Clients, maxRequests: cfg.MaxRequests, duration: cfg.Duration}

	logf("%d wallets: naive", size)
	sr.Naive = measureCase(ctx, env, "naive", size, spec, func(ctx context.Context, _ int) error {
		_, err := naive.Portfolio(ctx, c.wallets)
		return err
	})

	logf("%d wallets: portfoliod uncached (distinct ?block=N)", size)
	blocks, err := mineFor(ctx, anvil, cfg.UncachedRequests+1)
	if err != nil {
		return sr, err
	}
	warm, _ := blocks.take()
	if _, err := api.portfolio(ctx, c.id, strconv.FormatUint(warm, 10)); err != nil {
		return sr, fmt.Errorf("uncached warm-up: %w", err)
	}
	uspec := spec
	uspec.maxRequests = cfg.UncachedRequests
	uspec.minRequests = min(cfg.Clients, cfg.UncachedRequests)
	rep.Notes = append(rep.Notes, profiled(ctx, env.prof, fmt.Sprintf("uncached-%d", size), env.pids, func() {
		sr.Uncached = measureCase(ctx, env, "portfoliod uncached", size, uspec, func(ctx context.Context, _ int) error {
			b, err := blocks.take()
			if err != nil {
				return err
			}
			resp, err := api.portfolio(ctx, c.id, strconv.FormatUint(b, 10))
			if err == nil && resp.Block != b {
				err = fmt.Errorf("asked for block %d, got %d", b, resp.Block)
			}
			return err
		})
	})...)

	logf("%d wallets: portfoliod new head (latest, sequential)", size)
	sr.Fresh, err = measureFresh(ctx, cfg, rep, env, api, anvil, c)
	if err != nil {
		return sr, err
	}

	logf("%d wallets: portfoliod repeat within block", size)
	first, err := api.portfolio(ctx, c.id, "")
	if err != nil {
		return sr, fmt.Errorf("repeat warm-up: %w", err)
	}
	rep.Notes = append(rep.Notes, profiled(ctx, env.prof, fmt.Sprintf("repeat-%d", size), env.pids, func() {
		sr.Repeat = measureCase(ctx, env, "portfoliod repeat", size, spec, func(ctx context.Context, _ int) error {
			resp, err := api.portfolio(ctx, c.id, "")
			if err == nil && resp.Block != first.Block {
				err = fmt.Errorf("block moved from %d to %d during the repeat case", first.Block, resp.Block)
			}
			return err
		})
	})...)
	for _, r := range []caseResult{sr.Naive, sr.Uncached, sr.Fresh, sr.Repeat} {
		logf("  %-20s p50 %s p99 %s %.1f req/s node %.2f req/portfolio (%s) errors %d %s",
			r.Name, ms(r.P50), ms(r.P99), r.Throughput, r.NodePerRequest, r.Node.methodSummary(), r.Errors, r.FirstError)
	}
	return sr, nil
}

// measureFresh measures the spec's uncached request: latest, first read of
// a head nobody has read yet. It mines a block directly on anvil, waits
// until portfoliod's head tracker has polled since (if it polls at all),
// then sends one request and counts the node requests it caused. A
// response at an older block is retried after the next poll.
func measureFresh(ctx context.Context, cfg benchConfig, rep *benchReport, env *caseEnv, api *apiClient, anvil *rpcClient, c sizeCustomer) (caseResult, error) {
	r := caseResult{Name: "portfoliod new head", Wallets: len(c.wallets), Sequential: true}
	px := env.px
	cpu0 := env.cpu()
	tracks := rep.Idle.HeadPolls > 0
	pollWait := 2 * time.Second
	if tracks {
		// Three observed polling intervals, at least a second.
		pollWait = max(time.Second, 3*time.Duration(float64(rep.IdleWindow)/float64(rep.Idle.HeadPolls)))
	}
	const maxAttempts = 5
	var lat []time.Duration
	var node proxyStats
	var window time.Duration
	stale := 0
	fail := func(err error) {
		r.Errors++
		if r.FirstError == "" {
			r.FirstError = err.Error()
		}
	}
	for i := 0; i < cfg.FreshRequests && ctx.Err() == nil; i++ {
		mined := time.Now()
		head, err := mineBlocks(ctx, anvil, 1)
		if err != nil {
			return r, err
		}
		for attempt := 1; ; attempt++ {
			if tracks {
				px.waitHeadPoll(ctx, mined, pollWait)
			} else if attempt > 1 {
				time.Sleep(pollWait / maxAttempts)
			}
			// Let the tracker finish what it does after a poll (say,
			// fetch the new header) and publish the head.
			px.waitQuiet(ctx, 3*time.Millisecond+cfg.Delay, time.Second)
			before := px.Stats()
			t0 := time.Now()
			resp, err := api.portfolio(ctx, c.id, "")
			d := time.Since(t0)
			delta := px.Stats().sub(before)
			if err != nil {
				fail(err)
				break
			}
			if resp.Block == head {
				lat = append(lat, d)
				node = addStats(node, delta)
				window += d
				break
			}
			stale++
			if attempt == maxAttempts {
				fail(fmt.Errorf("portfoliod still answers block %d %d tries after block %d was mined", resp.Block, maxAttempts, head))
				break
			}
			mined = time.Now()
		}
	}
	sortDurations(lat)
	r.Requests, r.Elapsed, r.Node = len(lat), window, node
	// Includes the waits between requests: anvil mining, the tracker's
	// polls.
	r.CPUPerRequest = cpuPerRequest(cpu0, env.cpu(), len(lat)+r.Errors)
	r.P50, r.P99 = percentile(lat, 50), percentile(lat, 99)
	if window > 0 {
		r.Throughput = float64(len(lat)) / window.Seconds()
	}
	if n := len(lat); n > 0 {
		// Raw: the requests are a few ms apart from the head polls, so a
		// poll rarely lands in a window; when one does, it counts.
		r.NodePerRequest = float64(node.HTTPRequests) / float64(n)
		r.EthCallsPerRequest = float64(node.EthCalls) / float64(n)
	}
	if stale > 0 {
		r.Note = fmt.Sprintf("%d responses named the previous head and were retried", stale)
	}
	if !tracks {
		r.Note = "no head polling seen while idle: each request resolves latest itself"
	}
	return r, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func addStats(a, b proxyStats) proxyStats {
	out := proxyStats{
		HTTPRequests: a.HTTPRequests + b.HTTPRequests, RPCCalls: a.RPCCalls + b.RPCCalls,
		EthCalls: a.EthCalls + b.EthCalls, HeadPolls: a.HeadPolls + b.HeadPolls, Methods: map[string]int64{},
	}
	for m, n := range a.Methods {
		out.Methods[m] += n
	}
	for m, n := range b.Methods {
		out.Methods[m] += n
	}
	return out
}

// storeTarget is one store's service during the store-scale cases.
type storeTarget struct {
	st    *storeResult
	n     int // customers
	api   *apiClient
	env   *caseEnv
	heavy *sizeCustomer // read under load after the rounds; nil: none
}

// measureStores measures profile and uncached portfolio latency for
// customers picked across each store, in rounds that alternate the order
// of the stores (ABBA), then samples each service's memory; last, 16
// clients read each target's heavy portfolio uncached, and memory is
// sampled again.
func measureStores(ctx context.Context, cfg benchConfig, anvil *rpcClient, targets []*storeTarget) error {
	rounds := 4
	if cfg.Quick {
		rounds = 2
	}
	seg := loadSpec{clients: cfg.Clients, minRequests: cfg.Clients, maxRequests: max(cfg.Clients, cfg.MaxRequests/rounds), duration: cfg.Duration / time.Duration(rounds)}
	useg := seg
	useg.maxRequests = max(cfg.Clients, cfg.UncachedRequests/rounds)
	samplers := make([]*memSampler, len(targets))
	for i, t := range targets {
		samplers[i] = startMemSampler(t.env.pids["portfoliod"])
		defer samplers[i].stop()
	}
	for r := 0; r < rounds; r++ {
		order := slices.Clone(targets)
		if r%2 == 1 {
			slices.Reverse(order)
		}
		for _, t := range order {
			c := measureCase(ctx, t.env, "profile", cfg.WalletsPerCustomer, seg, func(ctx context.Context, i int) error {
				return t.api.profile(ctx, pickCustomer(t.n, r, i))
			})
			t.st.Profile = mergeCases(t.st.Profile, c)
		}
		for _, t := range order {
			blocks, err := mineFor(ctx, anvil, useg.maxRequests)
			if err != nil {
				return err
			}
			c := measureCase(ctx, t.env, "portfolio uncached", cfg.WalletsPerCustomer, useg, func(ctx context.Context, i int) error {
				b, err := blocks.take()
				if err != nil {
					return err
				}
				_, err = t.api.portfolio(ctx, pickCustomer(t.n, r, i), strconv.FormatUint(b, 10))
				return err
			})
			t.st.Portfolio = mergeCases(t.st.Portfolio, c)
		}
	}
	for i, t := range targets {
		m, err := sampleMemory(t.env.pids["portfoliod"])
		if err != nil {
			return err
		}
		m.PeakAnon = max(samplers[i].peakAnon(), m.Anon)
		t.st.Mem = m
	}
	for i, t := range targets {
		if t.heavy == nil {
			continue
		}
		spec := useg
		spec.maxRequests = cfg.UncachedRequests
		spec.duration = cfg.Duration
		blocks, err := mineFor(ctx, anvil, spec.maxRequests)
		if err != nil {
			return err
		}
		h := measureCase(ctx, t.env, "heaviest portfolio uncached", len(t.heavy.wallets), spec, func(ctx context.Context, _ int) error {
			b, err := blocks.take()
			if err != nil {
				return err
			}
			_, err = t.api.portfolio(ctx, t.heavy.id, strconv.FormatUint(b, 10))
			return err
		})
		t.st.Heavy = &h
		m, err := sampleMemory(t.env.pids["portfoliod"])
		if err != nil {
			return err
		}
		m.PeakAnon = max(samplers[i].peakAnon(), m.Anon)
		t.st.HeavyMem = m
		if h.Errors > 0 && h.Requests == 0 {
			return errors.New("heaviest portfolio: every request failed: " + h.FirstError)
		}
	}
	return nil
}

// pickCustomer spreads requests over the n customers of a store: the i-th
// request of round r.
func pickCustomer(n, r, i int) string { return storeCustomerID(pickIndex(n, r, i)) }

// pickIndex is pickCustomer's customer number.
func pickIndex(n, r, i int) int {
	k := uint64(r)*1_000_003 + uint64(i)
	return int(k * 2654435761 % uint64(n))
}
