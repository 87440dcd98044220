package chain

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"
)

func TestParseBlockRef(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    BlockRef
		wantErr bool
	}{
		{name: "empty is latest", in: "", want: LatestBlock},
		{name: "latest", in: "latest", want: BlockRef{Tag: Latest}},
		{name: "safe", in: "safe", want: BlockRef{Tag: Safe}},
		{name: "finalized", in: "finalized", want: BlockRef{Tag: Finalized}},
		{name: "decimal", in: "12345", want: BlockRef{Number: 12345}},
		{name: "zero", in: "0", want: BlockRef{Number: 0}},
		{name: "hex", in: "0x1f", want: BlockRef{Number: 31}},
		{name: "hex upper prefix", in: "0X1F", want: BlockRef{Number: 31}},
		{name: "pending rejected", in: "pending", wantErr: true},
		{name: "earliest rejected", in: "earliest", wantErr: true},
		{name: "negative", in: "-1", wantErr: true},
		{name: "plus sign", in: "+1", wantErr: true},
		{name: "bare 0x", in: "0x", wantErr: true},
		{name: "too large", in: "18446744073709551615", wantErr: true},
		{name: "garbage", in: "12a", wantErr: true},
		{name: "uppercase tag", in: "Latest", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBlockRef(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseBlockRef(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseBlockRef(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestTokenConfigModel(t *testing.T) {
	tests := []struct {
		name    string
		tc      TokenConfig
		want    FreezeModel
		wantErr string
	}{
		{name: "empty is none", tc: TokenConfig{}, want: FreezeModel{Name: "none"}},
		{name: "none", tc: TokenConfig{Freeze: "none"}, want: FreezeModel{Name: "none"}},
		{name: "erc3643", tc: TokenConfig{Freeze: "erc3643"}, want: FreezeModel{Name: "erc3643",
			AmountFns: []string{"getFrozenTokens(address)"}, FlagFns: []string{"isFrozen(address)"}}},
		{name: "erc7943", tc: TokenConfig{Freeze: "erc7943"}, want: FreezeModel{Name: "erc7943",
			AmountFns: []string{"getFrozenTokens(address)"}}},
		{name: "oz-freezable", tc: TokenConfig{Freeze: "oz-freezable"}, want: FreezeModel{Name: "oz-freezable",
			AmountFns: []string{"frozen(address)"}}},
		{name: "usdc", tc: TokenConfig{Freeze: "usdc"}, want: FreezeModel{Name: "usdc", FlagFns: []string{"isBlacklisted(address)"}}},
		{name: "usdt", tc: TokenConfig{Freeze: "usdt"}, want: FreezeModel{Name: "usdt", FlagFns: []string{"isBlackListed(address)"}}},
		{name: "custom", tc: TokenConfig{Freeze: "custom", AmountFns: []string{"lockedOf(address)", "vested_$1(address)"},
			FlagFns: []string{"isSanctioned(address)"}},
			want: FreezeModel{Name: "custom", AmountFns: []string{"lockedOf(address)", "vested_$1(address)"},
				FlagFns: []string{"isSanctioned(address)"}}},
		{name: "custom flags only", tc: TokenConfig{Freeze: "custom", FlagFns: []string{"isSanctioned(address)"}},
			want: FreezeModel{Name: "custom", FlagFns: []string{"isSanctioned(address)"}}},
		{name: "custom without functions", tc: TokenConfig{Freeze: "custom"}, wantErr: "needs amount_fns or flag_fns"},
		{name: "unknown preset", tc: TokenConfig{Freeze: "erc1400"}, wantErr: `unknown freeze model "erc1400"`},
		{name: "functions on a preset", tc: TokenConfig{Freeze: "erc3643", AmountFns: []string{"lockedOf(address)"}},
			wantErr: "need freeze: custom"},
		{name: "spaces", tc: TokenConfig{Freeze: "custom", AmountFns: []string{"lockedOf(address who)"}}, wantErr: "must have the form"},
		{name: "return type", tc: TokenConfig{Freeze: "custom", AmountFns: []string{"lockedOf(address) returns (uint256)"}}, wantErr: "must have the form"},
		{name: "two arguments", tc: TokenConfig{Freeze: "custom", FlagFns: []string{"f(address,uint256)"}}, wantErr: "must have the form"},
		{name: "no arguments", tc: TokenConfig{Freeze: "custom", FlagFns: []string{"paused()"}}, wantErr: "must have the form"},
		{name: "leading digit", tc: TokenConfig{Freeze: "custom", FlagFns: []string{"1f(address)"}}, wantErr: "must have the form"},
		{name: "uint160 not address", tc: TokenConfig{Freeze: "custom", FlagFns: []string{"f(uint160)"}}, wantErr: "must have the form"},
		{name: "empty", tc: TokenConfig{Freeze: "custom", FlagFns: []string{""}}, wantErr: "must have the form"},
		{name: "amount twice", tc: TokenConfig{Freeze: "custom", AmountFns: []string{"lockedOf(address)", "lockedOf(address)"}}, wantErr: "more than once"},
		{name: "amount and flag", tc: TokenConfig{Freeze: "custom", AmountFns: []string{"f(address)"}, FlagFns: []string{"f(address)"}}, wantErr: "more than once"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.tc.Model()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Model() error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Model() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Model() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPresetIsACopy(t *testing.T) {
	m, err := Preset("erc3643")
	if err != nil {
		t.Fatal(err)
	}
	m.AmountFns[0] = "changed(address)"
	again, _ := Preset("erc3643")
	if again.AmountFns[0] != "getFrozenTokens(address)" {
		t.Errorf("Preset returned shared slices: %v", again.AmountFns)
	}
}

func TestSelector(t *testing.T) {
	// Well-known selectors.
	tests := map[string]string{
		"balanceOf(address)":       "70a08231",
		"isBlacklisted(address)":   "fe575a87",
		"getFrozenTokens(address)": "158b1a57",
		"isFrozen(address)":        "e5839836",
		"decimals()":               "313ce567",
	}
	for sig, want := range tests {
		t.Run(sig, func(t *testing.T) {
			sel := selector(sig)
			if got := common.Bytes2Hex(sel[:]); got != want {
				t.Errorf("selector(%q) = %s, want %s", sig, got, want)
			}
		})
	}
}

func TestCallData(t *testing.T) {
	w := common.HexToAddress("0x1234567890123456789012345678901234567890")
	got := common.Bytes2Hex(callData(selector("balanceOf(address)"), w))
	want := "70a08231" + "000000000000000000000000" + "1234567890123456789012345678901234567890"
	if got != want {
		t.Errorf("callData = %s, want %s", got, want)
	}
}

func big10(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic(s)
	}
	return v
}

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// TestFrozenRule is SPEC §2's frozen = any flag true ? total : min(total,
// sum of amounts), through the decoding a snapshot read runs on the
// node's return data (decodeAmounts, then balancesOf), for models with
// zero, one and two amount and flag functions. TestFreezeModelTable runs
// the same rule end to end on a node.
func TestFrozenRule(t *testing.T) {
	w := common.HexToAddress("0x1")
	tests := []struct {
		name          string
		total         *big.Int
		amounts       []*big.Int
		flags         []bool
		frozen, avail *big.Int
	}{
		{name: "no model", total: big.NewInt(1000), frozen: big.NewInt(0), avail: big.NewInt(1000)},
		{name: "zero balance", total: big.NewInt(0), amounts: []*big.Int{big.NewInt(0)}, flags: []bool{false},
			frozen: big.NewInt(0), avail: big.NewInt(0)},
		{name: "partial", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(400)}, frozen: big.NewInt(400), avail: big.NewInt(600)},
		{name: "amounts summed", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(400), big.NewInt(300)},
			frozen: big.NewInt(700), avail: big.NewInt(300)},
		{name: "sum clamped", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(600), big.NewInt(600)},
			frozen: big.NewInt(1000), avail: big.NewInt(0)},
		{name: "amount above balance clamped", total: big.NewInt(100), amounts: []*big.Int{big.NewInt(250)},
			frozen: big.NewInt(100), avail: big.NewInt(0)},
		{name: "flag freezes all", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(1)}, flags: []bool{true},
			frozen: big.NewInt(1000), avail: big.NewInt(0)},
		{name: "any flag", total: big.NewInt(5), flags: []bool{false, true}, frozen: big.NewInt(5), avail: big.NewInt(0)},
		{name: "flags false", total: big.NewInt(5), flags: []bool{false, false}, frozen: big.NewInt(0), avail: big.NewInt(5)},
		{name: "flag on zero balance", total: big.NewInt(0), flags: []bool{true}, frozen: big.NewInt(0), avail: big.NewInt(0)},
		{name: "max uint256 amounts do not overflow", total: maxUint256, amounts: []*big.Int{maxUint256, maxUint256},
			frozen: maxUint256, avail: big.NewInt(0)},
		{name: "near max partial", total: maxUint256, amounts: []*big.Int{big.NewInt(1)},
			frozen: big.NewInt(1), avail: new(big.Int).Sub(maxUint256, big.NewInt(1))},
		{name: "two and two: summed", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(400), big.NewInt(300)},
			flags: []bool{false, false}, frozen: big.NewInt(700), avail: big.NewInt(300)},
		{name: "two and two: sum clamped", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(600), big.NewInt(600)},
			flags: []bool{false, false}, frozen: big.NewInt(1000), avail: big.NewInt(0)},
		{name: "two and two: second flag", total: big.NewInt(1000), amounts: []*big.Int{big.NewInt(1), big.NewInt(2)},
			flags: []bool{false, true}, frozen: big.NewInt(1000), avail: big.NewInt(0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			model := FreezeModel{Name: FreezeNone}
			raw := [][]byte{common.LeftPadBytes(tt.total.Bytes(), 32)}
			var amountFns, flagFns []string
			for i, a := range tt.amounts {
				amountFns = append(amountFns, fmt.Sprintf("amount%d(address)", i))
				raw = append(raw, common.LeftPadBytes(a.Bytes(), 32))
			}
			for i, f := range tt.flags {
				flagFns = append(flagFns, fmt.Sprintf("flag%d(address)", i))
				raw = append(raw, boolWord(f))
			}
			if len(amountFns)+len(flagFns) > 0 {
				var err error
				if model, err = CustomModel(amountFns, flagFns); err != nil {
					t.Fatal(err)
				}
			}
			a, err := decodeAmounts(newPlan(common.HexToAddress("0xaa"), model), w, raw)
			if err != nil {
				t.Fatal(err)
			}
			got := balancesOf([]common.Address{w}, map[common.Address]amounts{w: a})[0]
			want := Balance{Wallet: w, Total: tt.total, Frozen: tt.frozen, Available: tt.avail, AddressFrozen: slices.Contains(tt.flags, true)}
			if diff := cmp.Diff(want, got, cmp.Comparer(bigEqual)); diff != "" {
				t.Errorf("decoded balance mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func bigEqual(a, b *big.Int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cmp(b) == 0
}

func word(b ...byte) []byte {
	w := make([]byte, 32)
	copy(w[32-len(b):], b)
	return w
}

func TestDecodeUint256(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		want   *big.Int
		reason string
	}{
		{name: "zero", in: word(), want: big.NewInt(0)},
		{name: "one", in: word(1), want: big.NewInt(1)},
		{name: "max", in: common.FromHex("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), want: maxUint256},
		{name: "empty", in: nil, reason: reasonEmpty},
		{name: "seven bytes", in: []byte("broken!"), reason: "malformed return data: 7 bytes, want 32"},
		{name: "31 bytes", in: make([]byte, 31), reason: "malformed return data: 31 bytes, want 32"},
		{name: "64 bytes", in: make([]byte, 64), reason: "malformed return data: 64 bytes, want 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := decodeUint256(tt.in)
			if reason != tt.reason {
				t.Fatalf("decodeUint256 reason = %q, want %q", reason, tt.reason)
			}
			if !bigEqual(got, tt.want) {
				t.Errorf("decodeUint256 = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecodeBool(t *testing.T) {
	notBool := "malformed return data: not a bool"
	tests := []struct {
		name   string
		in     []byte
		want   bool
		reason string
	}{
		{name: "false", in: word()},
		{name: "true", in: word(1), want: true},
		{name: "two", in: word(2), reason: notBool},
		{name: "high byte set", in: append([]byte{1}, make([]byte, 31)...), reason: notBool},
		{name: "empty", in: nil, reason: reasonEmpty},
		{name: "one byte", in: []byte{1}, reason: "malformed return data: 1 bytes, want 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := decodeBool(tt.in)
			if reason != tt.reason || got != tt.want {
				t.Errorf("decodeBool = %v, %q; want %v, %q", got, reason, tt.want, tt.reason)
			}
		})
	}
}
