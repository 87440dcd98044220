package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

// benchAPIKey is the API key the benchmark configures (by its SHA-256).
const benchAPIKey = "portfoliod-bench-key-not-a-secret"

// serviceConfig is what differs between the benchmark's portfoliod runs.
type serviceConfig struct {
	NodeURL          string
	StorePath        string
	Token            common.Address
	MaxCallsPerBatch int // 0: portfoliod's default
	// Live runs the chain follower (the live-layer rows); WSURL sets
	// chain.ws_url.
	Live  bool
	WSURL string
	// MaxHeadAge sets chain.max_head_age ("" keeps portfoliod's default).
	MaxHeadAge string
	// MaxStreamsPerKey sets live.max_streams_per_key (0: the default).
	MaxStreamsPerKey int
	// BackfillChunk sets live.backfill_chunk and MaxBackfill
	// live.max_backfill (0: the defaults).
	BackfillChunk int
	MaxBackfill   int
	// Admin gives the benchmark key the admin scope too (the export and
	// the webhook routes are admin's).
	Admin bool
	// LoopbackWebhooks lets webhook deliveries go to http:// loopback
	// receivers.
	LoopbackWebhooks bool
}

// writeConfig writes a portfoliod YAML config: port 0 on loopback, one
// read+write key, a rate limit far above the benchmark's load, warn-level
// logs (a log line per request would compete for the 2 cores).
func writeConfig(path string, c serviceConfig) error {
	sum := sha256.Sum256([]byte(benchAPIKey))
	var b strings.Builder
	fmt.Fprintf(&b, "http:\n  addr: \"127.0.0.1:0\"\n  request_timeout: 60s\n  write_timeout: 120s\n")
	fmt.Fprintf(&b, "store:\n  path: %q\n", c.StorePath)
	fmt.Fprintf(&b, "chain:\n  chain_id: %d\n  rpc_urls: [%q]\n  call_timeout: 30s\n", localnet.DefaultChainID, c.NodeURL)
	if c.MaxCallsPerBatch > 0 {
		fmt.Fprintf(&b, "  max_calls_per_batch: %d\n", c.MaxCallsPerBatch)
	}
	if c.WSURL != "" {
		fmt.Fprintf(&b, "  ws_url: %q\n", c.WSURL)
	}
	if c.MaxHeadAge != "" {
		fmt.Fprintf(&b, "  max_head_age: %s\n", c.MaxHeadAge)
	}
	fmt.Fprintf(&b, "tokens:\n  - address: %q\n    freeze: erc3643\n", strings.ToLower(c.Token.Hex()))
	scopes := "read, write"
	if c.Admin {
		scopes += ", admin"
	}
	fmt.Fprintf(&b, "auth:\n  keys:\n    - name: bench\n      sha256: %q\n      scopes: [%s]\n", hex.EncodeToString(sum[:]), scopes)
	if c.LoopbackWebhooks {
		fmt.Fprintf(&b, "webhooks:\n  allow_http: true\n  allow_private_targets: true\n")
	}
	fmt.Fprintf(&b, "rate_limit:\n  requests_per_second: 1000000\n  burst: 1000000\n")
	// The read-path rows count the node requests a portfolio costs; the
	// chain follower's own (a header and an eth_getLogs per new block,
	// independent of the request rate) would be counted into them, so
	// they run without it. The live-layer rows run it (Live), after them.
	fmt.Fprintf(&b, "live:\n  enabled: %t\n", c.Live)
	if c.MaxStreamsPerKey > 0 {
		fmt.Fprintf(&b, "  max_streams_per_key: %d\n", c.MaxStreamsPerKey)
	}
	if c.BackfillChunk > 0 {
		fmt.Fprintf(&b, "  backfill_chunk: %d\n", c.BackfillChunk)
	}
	if c.MaxBackfill > 0 {
		fmt.Fprintf(&b, "  max_backfill: %d\n", c.MaxBackfill)
	}
	fmt.Fprintf(&b, "log:\n  level: warn\n  format: json\n")
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

// importResult is a `portfoliod customers import` run.
type importResult struct {
	Elapsed   time.Duration // wall time of the command
	Summary   string        // the command's summary line
	Customers int
	Wallets   int
	// The command's memory, from its /proc status every 20 ms: peak RSS
	// (VmHWM), and the highest anonymous (heap, stacks) and file-backed
	// (bbolt's memory-mapped file, the binary) resident memory sampled.
	// Not the rusage maxrss of the child: exec carries the forking
	// process's peak RSS into it, so it reported this benchmark's own
	// (about 1 GiB) rather than the import's.
	PeakRSS, PeakAnon, PeakFile int64
}

func (r importResult) memString() string {
	return fmt.Sprintf("anon %.0f MiB · file-backed %.0f MiB (RSS %.0f MiB)", mib(r.PeakAnon), mib(r.PeakFile), mib(r.PeakRSS))
}

var importSummary = regexp.MustCompile(`imported (\d+) customers \((\d+) wallets\), rejected (\d+) lines`)

// importCustomers runs `portfoliod customers import FILE --config CFG`.
func importCustomers(ctx context.Context, bin, cfgPath, file string) (importResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "customers", "import", "--config", cfgPath, file)
	cmd.Stdout, cmd.Stderr = &stdout, &boundedWriter{w: &stderr, max: 64 << 10}
	start := time.Now()
	err := cmd.Start()
	var res importResult
	if err == nil {
		sampler := startMemSampler(cmd.Process.Pid)
		err = cmd.Wait()
		sampler.stop()
		peak := sampler.peaks()
		res.PeakRSS, res.PeakAnon, res.PeakFile = peak.Peak, peak.Anon, peak.File
	}
	res.Elapsed = time.Since(start)
	for _, line := range strings.Split(stdout.String(), "\n") {
		if m := importSummary.FindStringSubmatch(line); m != nil {
			res.Summary = strings.TrimSpace(line)
			res.Customers, _ = strconv.Atoi(m[1])
			res.Wallets, _ = strconv.Atoi(m[2])
		}
	}
	if err != nil {
		return res, fmt.Errorf("customers import: %w\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if res.Summary == "" {
		return res, fmt.Errorf("customers import printed no summary line: %q", stdout.String())
	}
	return res, nil
}

type boundedWriter struct {
	w   *bytes.Buffer
	max int
}

func (b *boundedWriter) Write(p []byte) (int, error) {
	if b.w.Len() < b.max {
		b.w.Write(p[:min(len(p), b.max-b.w.Len())])
	}
	return len(p), nil
}

// service is a running `portfoliod serve` logging to logPath.
type service struct {
	*localnet.Portfoliod
	logPath string
	log     *os.File
}

// startService runs `portfoliod serve --config cfgPath`, logging to
// logPath, and waits until it listens.
func startService(ctx context.Context, bin, cfgPath, logPath string) (*service, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	p, err := localnet.StartPortfoliod(ctx, bin, cfgPath, logf)
	if err != nil {
		logf.Close()
		return nil, fmt.Errorf("%w: %s", err, tail(logPath, 2000))
	}
	return &service{Portfoliod: p, logPath: logPath, log: logf}, nil
}

// Stop sends SIGTERM, waits up to 20 s for a graceful exit, then kills; it
// may be called again.
func (s *service) Stop() {
	if s == nil {
		return
	}
	s.Portfoliod.Stop(20 * time.Second)
	s.log.Close()
}

// memSample is a process's memory from /proc/PID/status, in bytes.
type memSample struct {
	Peak     int64 // VmHWM: peak resident set size
	Anon     int64 // RssAnon now: heap, stacks
	File     int64 // RssFile now: mapped files (bbolt's data file, the binary)
	PeakAnon int64 // highest RssAnon sampled (every 20 ms); 0 if not sampled
}

func (m memSample) String() string {
	s := fmt.Sprintf("%.1f MiB (", mib(m.Peak))
	if m.PeakAnon > 0 {
		s += fmt.Sprintf("peak anon %.0f MiB; ", mib(m.PeakAnon))
	}
	return s + fmt.Sprintf("now %.0f MiB anon + %.0f MiB file-backed)", mib(m.Anon), mib(m.File))
}

// memSampler records the highest VmHWM, RssAnon and RssFile of a process.
type memSampler struct {
	mu   sync.Mutex
	high memSample // the highest of each field sampled
	quit chan struct{}
	done chan struct{}
}

func startMemSampler(pid int) *memSampler {
	m := &memSampler{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if s, err := sampleMemory(pid); err == nil {
				m.mu.Lock()
				m.high.Peak, m.high.Anon, m.high.File = max(m.high.Peak, s.Peak), max(m.high.Anon, s.Anon), max(m.high.File, s.File)
				m.mu.Unlock()
			}
			select {
			case <-m.quit:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// peakAnon is the highest RssAnon sampled.
func (m *memSampler) peakAnon() int64 { return m.peaks().Anon }

// peaks returns the highest VmHWM, RssAnon and RssFile sampled, each in
// its field (not one sample).
func (m *memSampler) peaks() memSample {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.high
}

func (m *memSampler) stop() {
	select {
	case <-m.quit:
	default:
		close(m.quit)
	}
	<-m.done
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// sampleMemory reads VmHWM, RssAnon and RssFile of a process.
func sampleMemory(pid int) (memSample, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return memSample{}, err
	}
	var m memSample
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmHWM":
			m.Peak = kb << 10
		case "RssAnon":
			m.Anon = kb << 10
		case "RssFile":
			m.File = kb << 10
		}
	}
	if m.Peak == 0 {
		return m, errors.New("no VmHWM in /proc status")
	}
	return m, nil
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// apiClient calls portfoliod's HTTP API.
type apiClient struct {
	base string
	hc   *http.Client
}

func newAPIClient(base string) *apiClient {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &apiClient{base: base, hc: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

// do sends a request and returns the status, headers and body.
func (c *apiClient) do(ctx context.Context, method, path string, body []byte) (int, http.Header, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("x-api-key", benchAPIKey)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	return resp.StatusCode, resp.Header, b, err
}

// onboard creates a customer owning wallets with POST /customer and
// returns its id.
func (c *apiClient) onboard(ctx context.Context, wallets []common.Address) (string, error) {
	body, err := json.Marshal(customerLine("", wallets))
	if err != nil {
		return "", err
	}
	status, _, b, err := c.do(ctx, http.MethodPost, "/customer", body)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("POST /customer: status %d: %.300s", status, b)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.ID == "" {
		return "", fmt.Errorf("POST /customer: no id in %.300s", b)
	}
	return out.ID, nil
}

// profile fetches GET /customer/{id}.
func (c *apiClient) profile(ctx context.Context, id string) error {
	status, _, b, err := c.do(ctx, http.MethodGet, "/customer/"+id, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("GET /customer/%s: status %d: %.300s", id, status, b)
	}
	return nil
}

// portfolioResponse is GET /customer/{id}/portfolio, undecoded.
type portfolioResponse struct {
	Block uint64
	Hash  string
	Body  []byte
}

// portfolio fetches GET /customer/{id}/portfolio (block "" = latest).
func (c *apiClient) portfolio(ctx context.Context, id, block string) (portfolioResponse, error) {
	path := "/customer/" + id + "/portfolio"
	if block != "" {
		path += "?block=" + block
	}
	status, h, b, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return portfolioResponse{}, err
	}
	if status != http.StatusOK {
		return portfolioResponse{}, fmt.Errorf("GET %s: status %d: %.300s", path, status, b)
	}
	n, err := strconv.ParseUint(h.Get("X-Block-Number"), 10, 64)
	if err != nil {
		return portfolioResponse{}, fmt.Errorf("GET %s: bad X-Block-Number %q", path, h.Get("X-Block-Number"))
	}
	return portfolioResponse{Block: n, Hash: h.Get("X-Block-Hash"), Body: b}, nil
}

// decodePortfolio extracts the balances of a portfolio body.
func decodePortfolio(body []byte) ([]walletBalance, error) {
	var out []struct {
		Wallets []struct {
			Address  string `json:"address"`
			Balances *struct {
				Total     string `json:"total"`
				Available struct {
					Amount string `json:"amount"`
				} `json:"available"`
				Frozen struct {
					Amount string `json:"amount"`
				} `json:"frozen"`
			} `json:"balances"`
		} `json:"wallets"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, err
	}
	if len(out) != 1 {
		return nil, fmt.Errorf("portfolio is an array of %d customers, want 1", len(out))
	}
	dec := func(s string) (*big.Int, error) {
		v, ok := new(big.Int).SetString(s, 10)
		if !ok {
			return nil, fmt.Errorf("bad amount %q", s)
		}
		return v, nil
	}
	res := make([]walletBalance, len(out[0].Wallets))
	for i, w := range out[0].Wallets {
		if w.Balances == nil {
			return nil, fmt.Errorf("wallet %s has no balances", w.Address)
		}
		var err error
		res[i].Wallet = common.HexToAddress(w.Address)
		if res[i].Total, err = dec(w.Balances.Total); err != nil {
			return nil, err
		}
		if res[i].Frozen, err = dec(w.Balances.Frozen.Amount); err != nil {
			return nil, err
		}
		if res[i].Available, err = dec(w.Balances.Available.Amount); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// customerRecord is one onboarding body / JSON Lines record.
type customerRecord struct {
	ID          string       `json:"id,omitempty"`
	Type        string       `json:"type"`
	CountryCode string       `json:"countryCode"`
	Name        string       `json:"name,omitempty"`
	Email       string       `json:"email,omitempty"`
	Wallets     []walletJSON `json:"wallets"`
}

type walletJSON struct {
	Address string `json:"address"`
}

func customerLine(id string, wallets []common.Address) customerRecord {
	r := customerRecord{ID: id, Type: "INDIVIDUAL", CountryCode: "US", Wallets: make([]walletJSON, len(wallets))}
	for i, w := range wallets {
		r.Wallets[i] = walletJSON{Address: strings.ToLower(w.Hex())}
	}
	return r
}

// storeCustomerID is the id of the i-th generated store customer.
func storeCustomerID(i int) string { return fmt.Sprintf("customer_%012x", i) }

// storeWallets returns the wallets of the i-th generated store customer.
func storeWallets(i, perCustomer int) []common.Address {
	ws := make([]common.Address, perCustomer)
	for j := range ws {
		ws[j] = walletAddress("store", i*perCustomer+j)
	}
	return ws
}

// writeCustomersJSONL writes n store customers with perCustomer wallets
// each as JSON Lines.
func writeCustomersJSONL(path string, n, perCustomer int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	for i := 0; i < n; i++ {
		r := customerLine(storeCustomerID(i), storeWallets(i, perCustomer))
		r.Name = fmt.Sprintf("Bench Customer %d", i)
		r.Email = fmt.Sprintf("customer%d@example.com", i)
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
