package postgres

import (
	"context"
	"testing"

	"github.com/portfoliod/portfoliod"
)

// BenchmarkImport100k imports 100,000 customers with 3 wallets each, in
// the batches of 5,000 `portfoliod customers import` uses, into a fresh
// database per iteration (SPEC target: at most 120 s):
//
//	go test -run '^$' -bench Import100k -benchtime 1x ./customers/postgres
func BenchmarkImport100k(b *testing.B) {
	const n, batchSize = 100_000, 5000
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		s := mustOpen(b, Options{})
		b.StartTimer()
		for from := 0; from < n; from += batchSize {
			batch := make([]portfoliod.Customer, batchSize)
			for i := range batch {
				k := from + i
				batch[i] = individual(wallet(3*k), wallet(3*k+1), wallet(3*k+2))
			}
			errs, err := s.Import(ctx, batch)
			if err != nil {
				b.Fatal(err)
			}
			for i, err := range errs {
				if err != nil {
					b.Fatalf("item %d: %v", from+i, err)
				}
			}
		}
		b.StopTimer()
		if c, w, err := s.Count(ctx); c != n || w != 3*n || err != nil {
			b.Fatalf("Count() = %d, %d, %v", c, w, err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n), "customers/op")
}
