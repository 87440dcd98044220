package api

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/customers"
)

// The hand-written portfolio encoder must give exactly json.Marshal's bytes.
func TestAppendPortfolioJSONMatchesEncodingJSON(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	tests := []struct {
		name string
		c    customers.Customer
	}{
		{"reference", customers.Customer{ID: "customer_c7a968e665d9", Type: customers.Individual, CountryCode: "US",
			VerificationStatus: customers.InProgress, Name: "John Doe", Email: "john.doe@example.com", Phone: "+1234567890",
			Metadata: map[string]string{"userId": "2b634b51-7f4a-470b-9bd6-c7a968e665d9"},
			Address:  &customers.PostalAddress{Line1: "1234 Main St", Line2: "Suite 200", City: "Anytown", State: "CA", PostalCode: "12345"},
			Wallets:  []common.Address{common.HexToAddress("0x1234567890123456789012345678901234567890")}}},
		{"escaping", customers.Customer{ID: "customer_000000000001", Type: customers.Organization, CountryCode: "DE",
			VerificationStatus: customers.Completed, Name: `Ä "quoted" <b>&</b> \ tab` + "\t\u2028", Username: "ünï",
			Metadata: map[string]string{"z": "1", "a": "<>", "m": "\u00e9"},
			Wallets:  []common.Address{common.HexToAddress("0xAB"), common.HexToAddress("0xCD")}}},
		{"no wallets", customers.Customer{ID: "customer_000000000002", Type: customers.Individual, CountryCode: "JP",
			VerificationStatus: customers.Incomplete, Wallets: []common.Address{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := chain.Snapshot{Token: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
			for i, w := range tt.c.Wallets {
				total := new(big.Int).Set(max)
				if i > 0 {
					total = big.NewInt(int64(i * 1000))
				}
				frozen := new(big.Int).Rsh(total, 1)
				snap.Balances = append(snap.Balances, chain.Balance{Wallet: w, Total: total, Frozen: frozen, Available: new(big.Int).Sub(total, frozen)})
			}
			out := toCustomerJSON(tt.c, false)
			withBalances(&out, snap)
			want, err := json.Marshal([]customerJSON{out})
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendPortfolioJSON(nil, tt.c, snap)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("appendPortfolioJSON mismatch (-encoding/json +hand-written):\n%s", diff)
			}
		})
	}
}

func TestAppendAmount(t *testing.T) {
	one := big.NewInt(1)
	pow := func(n uint) *big.Int { return new(big.Int).Lsh(one, n) }
	ten := func(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }
	vals := []*big.Int{big.NewInt(0), one, big.NewInt(1000), new(big.Int).Sub(pow(64), one), pow(64),
		ten(19), new(big.Int).Sub(ten(19), one), new(big.Int).Add(ten(38), one), ten(57), new(big.Int).Sub(pow(256), one),
		pow(256), big.NewInt(-5), new(big.Int).Mul(ten(30), big.NewInt(123456789))}
	for i := uint(1); i <= 256; i += 7 {
		vals = append(vals, new(big.Int).Sub(pow(i), big.NewInt(int64(i))))
	}
	for _, v := range vals {
		if got, want := string(appendAmount([]byte("x"), v)), "x"+v.String(); got != want {
			t.Errorf("appendAmount(%s) = %s", want[1:], got[1:])
		}
	}
}
