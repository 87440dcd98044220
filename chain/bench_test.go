package chain_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

// BenchmarkSnapshot1000 reads 1,000 wallets against anvil per strategy,
// with a tracked head, and reports the node HTTP requests per snapshot
// (requests/op) next to the wall time: uncached (the cache off, so every
// read goes to the node: one request in the multicall modes, one per chunk
// in batch mode) and repeat (the same read within the block, from the
// cache: no request):
//
//	go test -run '^$' -bench Snapshot1000 -benchtime 20x ./chain/
func BenchmarkSnapshot1000(b *testing.B) {
	net := startAnvil(b)
	trex := net.chain.DeployToken(b, anviltest.TREX, "T", "T", 0)
	plain := net.chain.DeployToken(b, anviltest.Plain, "P", "P", 0)
	wallets := seqWallets(1000, 0x40000)
	for i := 0; i < len(wallets); i += 50 {
		trex.Mint(b, wallets[i], bi(int64(i+1)))
		trex.SetFrozen(b, wallets[i], bi(1))
		plain.Mint(b, wallets[i], bi(int64(i+1)))
	}
	cases := []struct {
		name     string
		token    chain.TokenConfig
		maxCalls int
	}{
		{"none/max1000", chain.TokenConfig{Address: plain.Address}, 1000},
		{"erc3643/max1000", chain.TokenConfig{Address: trex.Address, Freeze: "erc3643"}, 1000},
		{"erc3643/max3000", chain.TokenConfig{Address: trex.Address, Freeze: "erc3643"}, 3000},
	}
	for _, mode := range strategies {
		for _, c := range cases {
			for _, cached := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s/uncached", mode, c.name)
				if cached {
					name = fmt.Sprintf("%s/%s/repeat", mode, c.name)
				}
				b.Run(name, func(b *testing.B) {
					cfg := trackedConfig(net, mode, c.token)
					cfg.MaxCallsPerBatch = c.maxCalls
					if !cached {
						cfg.CacheSize = 0
					}
					r := mustDial(b, cfg)
					if cached {
						if _, err := r.Balances(context.Background(), chain.LatestBlock, c.token.Address, wallets); err != nil {
							b.Fatal(err)
						}
					}
					ctx := context.Background()
					before := r.Stats()[0].Requests
					b.ResetTimer()
					for range b.N {
						if _, err := r.Balances(ctx, chain.LatestBlock, c.token.Address, wallets); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					b.ReportMetric(float64(r.Stats()[0].Requests-before)/float64(b.N), "requests/op")
				})
			}
		}
	}
}
