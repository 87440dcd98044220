package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCatchupBound(t *testing.T) {
	for _, c := range []struct {
		blocks, touching, chunk int
		want                    int64
	}{
		// 996 blocks ranged: 1 ranged query + 10 header batches; 4 at
		// the tip × 2; 2×20 multicalls; 10 start-up.
		{1000, 20, 1000, 1 + 10 + 8 + 40 + 10},
		{1005, 20, 1000, 2 + 11 + 8 + 40 + 10}, // 1,001 ranged: 1,000 + 1
		{200, 5, 1000, 1 + 2 + 8 + 10 + 10},
		{250, 0, 100, 3 + 3 + 8 + 0 + 10}, // 246 ranged: 100 + 100 + 46, a header batch each
		{10, 0, 1, 6 + 6 + 8 + 0 + 10},    // 6 ranges of one block, a header batch each
		{6, 1, 1000, 1 + 1 + 8 + 2 + 10},  // 2 ranged, the fewest the follower ranges
		{5, 1, 1000, 0 + 0 + 10 + 2 + 10}, // all by hash
		{0, 0, 1000, 10},
	} {
		if got := catchupBound(c.blocks, c.touching, c.chunk); got != c.want {
			t.Errorf("catchupBound(%d, %d, %d) = %d, want %d", c.blocks, c.touching, c.chunk, got, c.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 queries", 1: "1 query", 2: "2 queries"} {
		if got := plural(n, "query", "queries"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestCatchupPass(t *testing.T) {
	for _, c := range []struct {
		ranged, single, bound int64
		want                  bool
	}{
		{34, 2023, 61, true},
		{61, 2023, 61, true},  // at the bound
		{62, 2023, 61, false}, // over it
		{34, 340, 61, false},  // not under a tenth of block by block
		{34, 341, 61, true},
		{0, 2023, 61, false}, // not measured
	} {
		if got := catchupPass(c.ranged, c.single, c.bound); got != c.want {
			t.Errorf("catchupPass(%d, %d, %d) = %t, want %t", c.ranged, c.single, c.bound, got, c.want)
		}
	}
}

func TestMintOffsets(t *testing.T) {
	if d := cmp.Diff([]int{249, 499, 749, 999}, mintOffsets(1000, 4)); d != "" {
		t.Errorf("mintOffsets(1000, 4) (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int{0, 1, 2}, mintOffsets(3, 3)); d != "" {
		t.Errorf("mintOffsets(3, 3) (-want +got):\n%s", d)
	}
	if got := mintOffsets(10, 0); len(got) != 0 {
		t.Errorf("mintOffsets(10, 0) = %v, want none", got)
	}
	// Distinct, increasing, within the blocks, the last block minting.
	for _, n := range []int{7, 100, 1000} {
		for _, m := range []int{1, 3, 7} {
			offs := mintOffsets(n, m)
			for i, o := range offs {
				if o < 0 || o >= n || (i > 0 && o <= offs[i-1]) {
					t.Fatalf("mintOffsets(%d, %d) = %v", n, m, offs)
				}
			}
			if len(offs) != m || offs[m-1] != n-1 {
				t.Fatalf("mintOffsets(%d, %d) = %v", n, m, offs)
			}
		}
	}
}

func TestCatchupParts(t *testing.T) {
	c := &catchupResult{Startup: catchupRun{Node: proxyStats{HTTPRequests: 3, Methods: map[string]int64{"eth_chainId": 1, "eth_getCode": 2, "eth_call": 2}}}}
	r := catchupRun{Touching: 20, Node: proxyStats{HTTPRequests: 34, Methods: map[string]int64{
		"eth_getBlockByNumber": 1002, "eth_call": 22, "eth_getCode": 2, "eth_chainId": 1, "eth_getLogs": 1}}}
	want := catchupParts{Startup: 3, Logs: 1, Multicalls: 20, Headers: 10, Parent: 0}
	if got := c.parts(r); got != want {
		t.Errorf("parts = %+v, want %+v", got, want)
	}
}

func TestReadMetrics(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `# HELP portfoliod_events_total balance.updated events emitted.
# TYPE portfoliod_events_total counter
portfoliod_events_total 20
portfoliod_follower_blocks_total 1000
portfoliod_node_request_duration_seconds_sum{method="eth_call"} 0.25
portfoliod_node_request_duration_seconds_sum{method="batch:eth_getBlockByNumber"} 0.5
portfoliod_node_request_duration_seconds_count{method="eth_call"} 20
`)
	}))
	defer srv.Close()
	got, err := readMetrics(context.Background(), srv.URL, "portfoliod_events_total", "portfoliod_node_request_duration_seconds_sum", "portfoliod_follower_sweeps_total")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"portfoliod_events_total": 20, "portfoliod_node_request_duration_seconds_sum": 0.75}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("readMetrics (-want +got):\n%s", d)
	}
}
