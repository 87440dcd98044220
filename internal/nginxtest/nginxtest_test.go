package nginxtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/portfoliod/portfoliod/internal/localnet"
)

func deployedConf(t *testing.T) string {
	t.Helper()
	root, err := localnet.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "deploy", "nginx.conf")
}

// Render replaces the upstream servers and the listen address and
// nothing else; a file whose shape differs from the test's is refused.
func TestRender(t *testing.T) {
	raw, err := os.ReadFile(deployedConf(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Render(raw, "127.0.0.1:1", []string{"127.0.0.1:2", "127.0.0.1:3", "127.0.0.1:4"})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer("127.0.0.1:8080", "127.0.0.1:1", "127.0.0.1:8081", "127.0.0.1:2",
		"127.0.0.1:8082", "127.0.0.1:3", "127.0.0.1:8083", "127.0.0.1:4").Replace(string(raw))
	if string(got) != want {
		t.Errorf("rendered config differs from the deployed one beyond the addresses:\n%s", got)
	}
	if _, err := Render(raw, "127.0.0.1:1", []string{"127.0.0.1:2"}); err == nil {
		t.Error("Render with 1 upstream for the file's 3: no error")
	}
}

// The deployed config, run by a real nginx over three loopback backends:
// requests are spread evenly over all three, whichever worker process
// takes them; a GET whose backend drops the
// connection is retried on another; a POST whose backend drops it is not
// re-sent (502), so a write is never made twice by the balancer.
func TestDeployedConfig(t *testing.T) {
	var (
		mu       sync.Mutex
		hits     [3]int
		posts    atomic.Int64
		flaky    atomic.Int64
		backends []string
	)
	for i := range 3 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			drop := r.Method == "POST" && r.URL.Path == "/die" || r.URL.Path == "/flaky" && flaky.Add(1) == 1
			if r.Method == "POST" {
				posts.Add(1)
			}
			if drop {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
			mu.Lock()
			hits[i]++
			mu.Unlock()
			io.WriteString(w, "backend "+strconv.Itoa(i)+" "+r.Header.Get("X-Request-Id"))
		}))
		t.Cleanup(srv.Close)
		backends = append(backends, srv.Listener.Addr().String())
	}
	s := Start(t, deployedConf(t), backends...)
	// A connection per request: they land on either worker process, which
	// share the round robin through the upstream's zone.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	get := func(path string) (int, string) {
		t.Helper()
		res, err := client.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for range 9 {
		if status, body := get("/"); status != 200 || len(strings.Fields(body)) != 3 {
			t.Fatalf("GET / = %d %q, want 200 with a request id", status, body)
		}
	}
	mu.Lock()
	if hits != [3]int{3, 3, 3} {
		t.Errorf("9 GETs reached the backends %v times, want 3 each", hits)
	}
	mu.Unlock()
	if status, body := get("/flaky"); status != 200 || flaky.Load() != 2 {
		t.Errorf("GET whose first backend drops the connection = %d %q after %d tries, want 200 after 2", status, body, flaky.Load())
	}
	res, err := http.Post(s.URL+"/die", "application/json", bytes.NewReader([]byte(`{}`)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadGateway || posts.Load() != 1 {
		t.Errorf("POST whose backend drops the connection = %d, sent to %d backends; want 502 from 1", res.StatusCode, posts.Load())
	}
	if !strings.Contains(s.ErrorLog(), "upstream prematurely closed connection") {
		t.Errorf("nginx's error log does not name the dropped connection:\n%s", s.ErrorLog())
	}
}

// While every replica answers 503 (the shared database or node is down)
// the client gets portfoliod's answer, not nginx's; the request after the
// outage is served, not refused for fail_timeout as "no live upstreams".
func TestDeployedConfigOutage(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	var backends []string
	for range 3 {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if down.Load() {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				io.WriteString(w, `{"error":{"code":"unavailable"}}`)
				return
			}
			io.WriteString(w, "ok")
		}))
		t.Cleanup(srv.Close)
		backends = append(backends, srv.Listener.Addr().String())
	}
	s := Start(t, deployedConf(t), backends...)
	get := func() (int, string) {
		t.Helper()
		res, err := http.Get(s.URL + "/customer/x")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for range 6 {
		if status, body := get(); status != http.StatusServiceUnavailable || !strings.Contains(body, `"unavailable"`) {
			t.Fatalf("GET during the outage = %d %q, want portfoliod's 503", status, body)
		}
	}
	down.Store(false)
	if status, body := get(); status != http.StatusOK {
		t.Errorf("GET after the outage = %d %.80q, want 200", status, body)
	}
}
