package bolt

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/portfoliod/portfoliod"
)

// benchSizes compare a small store with the 100,000-customer store of the
// performance targets: lookups on the large one should cost about the same.
var benchSizes = []int{1_000, 100_000}

// mustFill imports n customers with 3 wallets each (wallet(3i) ..
// wallet(3i+2)) and returns their ids.
func mustFill(tb testing.TB, s *Store, n int) []string {
	tb.Helper()
	const chunk = 10_000
	ids := make([]string, 0, n)
	for from := 0; from < n; from += chunk {
		batch := make([]portfoliod.Customer, min(chunk, n-from))
		for i := range batch {
			j := from + i
			batch[i] = portfoliod.Customer{
				ID:          fmt.Sprintf("customer_%012x", j*7919),
				Type:        portfoliod.Individual,
				CountryCode: "FR",
				Name:        "Customer Name",
				Email:       "someone@example.test",
				Metadata:    map[string]string{"segment": "retail"},
				Wallets:     wallets(3*j, 3*j+3),
			}
			ids = append(ids, batch[i].ID)
		}
		errs, err := s.Import(context.Background(), batch)
		if err != nil {
			tb.Fatal(err)
		}
		for i, err := range errs {
			if err != nil {
				tb.Fatalf("item %d: %v", from+i, err)
			}
		}
	}
	return ids
}

func BenchmarkGet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			s := mustOpen(b)
			ids := mustFill(b, s, n)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Get(ctx, ids[(i*7177)%n]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func BenchmarkFindByWallet(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("customers=%d", n), func(b *testing.B) {
			s := mustOpen(b)
			mustFill(b, s, n)
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.FindByWallet(ctx, wallet((i*7177)%(3*n))); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkCreateParallel measures concurrent onboarding, where Create's
// batching shares fsyncs.
func BenchmarkCreateParallel(b *testing.B) {
	s := mustOpen(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(16)
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := int(next.Add(1)) + 1<<40
			if _, err := s.Create(ctx, individual(wallet(w))); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkImport imports the target data set of 100,000 customers with
// 300,000 wallets (target: under 60 s).
func BenchmarkImport(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := mustOpen(b)
		b.StartTimer()
		mustFill(b, s, 100_000)
	}
}
