package api

import (
	"encoding/json"
	"io"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod"
)

// BenchmarkEncodePortfolio1000 measures the hot path after the chain read:
// turning a 1,000-wallet portfolio into its response body, through
// encoding/json and through the hand-written encoder the route uses.
func BenchmarkEncodePortfolio1000(b *testing.B) {
	c := portfoliod.Customer{ID: "customer_c7a968e665d9", Type: portfoliod.Individual, CountryCode: "US",
		VerificationStatus: portfoliod.InProgress, Name: "John Doe", Metadata: map[string]string{"userId": "x"}}
	snap := portfoliod.Portfolio{Token: common.HexToAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3")}
	total := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	frozen := new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil)
	avail := new(big.Int).Sub(total, frozen)
	for i := 0; i < 1000; i++ {
		w := common.BigToAddress(big.NewInt(int64(i + 1)))
		c.Wallets = append(c.Wallets, w)
		snap.Balances = append(snap.Balances, portfoliod.Balance{Wallet: w, Total: total, Frozen: frozen, Available: avail})
	}
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		enc := json.NewEncoder(io.Discard)
		for b.Loop() {
			out := toCustomerJSON(c, false)
			withBalances(&out, snap)
			if err := enc.Encode([]customerJSON{out}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			var err error
			if buf, err = appendCustomerJSON(buf[:0], c, &snap, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
