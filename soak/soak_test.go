package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// The soak for 10 seconds (with the race detector under `make test`): no
// 5xx, no unexpected status, right demo balances, a store that agrees with
// the acknowledged writes and no goroutine leak.
func TestSoak(t *testing.T) {
	cfg := defaultConfig()
	cfg.Duration = 10 * time.Second
	cfg.Seed = 1
	var logs bytes.Buffer
	cfg.Log = &logs
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := run(ctx, cfg)
	if err != nil {
		t.Fatalf("soak did not run: %v\n%s", err, logs.String())
	}
	var out strings.Builder
	rep.print(&out)
	t.Log("\n" + out.String())
	for _, f := range rep.failures() {
		t.Error(f)
	}
	for o := range numOps {
		if len(rep.byOp[o]) == 0 {
			t.Errorf("no %s request completed", opNames[o])
		}
	}
	if t.Failed() {
		t.Logf("service log:\n%s", logs.String())
	}
}

// A run that breaks the bar fails: a 5xx, an unexpected status, a leak.
func TestReportFailures(t *testing.T) {
	ok := &report{cfg: defaultConfig(), acked: 3, stored: 3, goroutinesBefore: 10, goroutinesAfter: 12}
	ok.tally([]sample{{op: opProfile, status: 200}, {op: opMissing, status: 404}, {op: opOnboardTaken, status: 409}})
	if f := ok.failures(); len(f) != 0 {
		t.Fatalf("a clean run fails: %v", f)
	}
	for name, tc := range map[string]struct {
		samples []sample
		mutate  func(*report)
		want    string
	}{
		"5xx":        {[]sample{{op: opPortfolio, status: 503}}, nil, "503"},
		"unexpected": {[]sample{{op: opProfile, status: 404}}, nil, "unexpected 404"},
		"transport":  {[]sample{{op: opWallet, status: 0}}, nil, "transport"},
		"leak":       {nil, func(r *report) { r.goroutinesAfter = 30 }, "goroutine leak"},
		"lost write": {nil, func(r *report) { r.stored = 2 }, "acknowledged"},
	} {
		r := &report{cfg: defaultConfig(), acked: 3, stored: 3, goroutinesBefore: 10, goroutinesAfter: 10}
		r.tally(append([]sample{{op: opProfile, status: 200}}, tc.samples...))
		if tc.mutate != nil {
			tc.mutate(r)
		}
		if f := strings.Join(r.failures(), "; "); !strings.Contains(f, tc.want) {
			t.Errorf("%s: failures %q do not mention %q", name, f, tc.want)
		}
	}
}
