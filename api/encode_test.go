package api

import (
	"encoding/json"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod"
)

// The hand-written encoders must give exactly json.Marshal's bytes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	tests := []struct {
		name string
		c    portfoliod.Customer
	}{
		{"reference", portfoliod.Customer{ID: "customer_c7a968e665d9", Type: portfoliod.Individual, CountryCode: "US",
			VerificationStatus: portfoliod.InProgress, Name: "John Doe", Email: "john.doe@example.com", Phone: "+1234567890",
			Metadata: map[string]string{"userId": "2b634b51-7f4a-470b-9bd6-c7a968e665d9"},
			Address:  &portfoliod.PostalAddress{Line1: "1234 Main St", Line2: "Suite 200", City: "Anytown", State: "CA", PostalCode: "12345"},
			Wallets:  []common.Address{common.HexToAddress("0x1234567890123456789012345678901234567890")}}},
		{"escaping", portfoliod.Customer{ID: "customer_000000000001", Type: portfoliod.Organization, CountryCode: "DE",
			VerificationStatus: portfoliod.Completed, Name: `Ä "quoted" <b>&</b> \ tab` + "\t\u2028", Username: "ünï",
			Metadata: map[string]string{"z": "1", "a": "<>", "m": "\u00e9"},
			Wallets:  []common.Address{common.HexToAddress("0xAB"), common.HexToAddress("0xCD")}}},
		{"no wallets", portfoliod.Customer{ID: "customer_000000000002", Type: portfoliod.Individual, CountryCode: "JP",
			VerificationStatus: portfoliod.Incomplete, Wallets: []common.Address{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := portfoliod.Portfolio{Token: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
			for i, w := range tt.c.Wallets {
				total := new(big.Int).Set(max)
				if i > 0 {
					total = big.NewInt(int64(i * 1000))
				}
				frozen := new(big.Int).Rsh(total, 1)
				snap.Balances = append(snap.Balances, portfoliod.Balance{Wallet: w, Total: total, Frozen: frozen, Available: new(big.Int).Sub(total, frozen)})
			}
			// The portfolio (balances, no createdAt), the onboarding
			// answer (balances and createdAt) and a write answer whose
			// balances could not be read (createdAt, no balances).
			tt.c.CreatedAt = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
			for _, shape := range []struct {
				name          string
				snap          *portfoliod.Portfolio
				withCreatedAt bool
			}{{"portfolio", &snap, false}, {"onboarding", &snap, true}, {"no balances", nil, true}} {
				out := toCustomerJSON(tt.c, shape.withCreatedAt)
				if shape.snap != nil {
					withBalances(&out, *shape.snap)
				}
				want, err := json.Marshal(out)
				if err != nil {
					t.Fatal(err)
				}
				got, err := appendCustomerJSON(nil, tt.c, shape.snap, shape.withCreatedAt)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("%s: appendCustomerJSON mismatch (-encoding/json +hand-written):\n%s", shape.name, diff)
				}
			}
			for i, w := range tt.c.Wallets {
				token := lowerHex(snap.Token)
				want, err := json.Marshal(walletJSON{Address: lowerHex(w), Object: "wallet", Balances: ptr(toBalancesJSON(token, snap.Balances[i]))})
				if err != nil {
					t.Fatal(err)
				}
				var tok [42]byte
				copy(tok[:], token)
				if got := appendWalletJSON(nil, w, &tok, &snap.Balances[i]); string(got) != string(want) {
					t.Errorf("appendWalletJSON = %s, want %s", got, want)
				}
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

// withBalances is the reference for the hand-written encoder: the DTOs of
// dto.go with balances, for encoding/json.
func withBalances(out *customerJSON, snap portfoliod.Portfolio) {
	token := lowerHex(snap.Token)
	all := make([]balancesJSON, len(out.Wallets)) // one allocation for every wallet
	for i := range out.Wallets {
		if i < len(snap.Balances) {
			all[i] = toBalancesJSON(token, snap.Balances[i])
			out.Wallets[i].Balances = &all[i]
		}
	}
}

func toBalancesJSON(token string, b portfoliod.Balance) balancesJSON {
	return balancesJSON{
		Token:     token,
		Total:     amount(b.Total),
		Available: amountJSON{Amount: amount(b.Available)},
		Frozen:    amountJSON{Amount: amount(b.Frozen)},
	}
}

func ptr[T any](v T) *T { return &v }

// amount renders a base-unit amount as encoding/json users would.
func amount(v *big.Int) string { return v.String() }
