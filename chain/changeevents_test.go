package chain_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/chain"
	"github.com/portfoliod/portfoliod/internal/anviltest"
)

func TestParseChangeEvent(t *testing.T) {
	for _, tc := range []struct {
		sig, want, err string
	}{
		{sig: "Locked(address indexed account, uint256)", want: "Locked(address,uint256)"},
		{sig: " Moved ( address indexed from , address indexed to, address, uint256 amount ) ", want: "Moved(address,address,address,uint256)"},
		{sig: "Paused(address who)", want: "Paused(address)"},
		{sig: "Locked(address indexed, uint256 amount)", err: "names no wallet"},
		{sig: "Locked(address indexed account, uint)", err: `type "uint"`},
		{sig: "Locked(addr account)", err: `type "addr"`},
		{sig: "Locked address account", err: "must have the form"},
		{sig: "Locked(address indexed account extra)", err: "is not type [indexed] [name]"},
		{sig: "Locked(address 9lives)", err: "is not a name"},
		{sig: "Locked(address account,)", err: "parameter 2 is empty"},
		{sig: "E(address indexed a, address indexed b, address indexed c, address indexed d)", err: "at most 3"},
		{sig: "E(tuple account)", err: "tuples"},
	} {
		got, err := chain.ParseChangeEvent(tc.sig)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseChangeEvent(%q) = %q, %v; want %q", tc.sig, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.sig)):
			t.Errorf("ParseChangeEvent(%q) error %v, want one quoting the signature and saying %q", tc.sig, err, tc.err)
		}
	}
	if err := chain.CheckChangeEvents(chain.FreezeERC3643, []string{"Paused(address who)"}); err == nil || !strings.Contains(err.Error(), "custom") {
		t.Errorf("change events on a preset: %v, want an error naming custom", err)
	}
	if err := chain.CheckChangeEvents(chain.FreezeCustom, []string{"Paused(address who)", "Paused(address agent)"}); err == nil {
		t.Error("the same event twice: no error")
	}
}

// A custom token's change events name the wallets they touch, read from a
// real node's logs: the ERC-3643 demo token configured as custom, its
// TokensFrozen, AddressFrozen (the third, unnamed address is the agent,
// not a wallet) and Unpaused (an address in the data) declared as change
// events. Without change events a partial freeze touches nothing.
func TestCustomChangeEvents(t *testing.T) {
	net := startAnvil(t)
	ctx := context.Background()
	tok := net.chain.DeployToken(t, anviltest.TREX, "C", "C", 0) // paused
	custom := chain.TokenConfig{Address: tok.Address, Freeze: chain.FreezeCustom,
		AmountFns: []string{"getFrozenTokens(address)"}, FlagFns: []string{"isFrozen(address)"}}
	bare := mustDial(t, dialConfig(net, chain.ModeContract, custom))
	custom.ChangeEvents = []string{
		"TokensFrozen(address indexed account, uint256 amount)",
		"AddressFrozen(address indexed account, bool indexed, address indexed)",
		"Unpaused(address agent)",
	}
	r := mustDial(t, dialConfig(net, chain.ModeContract, custom))
	touched := func(r *chain.Reader) []common.Address {
		t.Helper()
		head, err := r.ResolveBlock(ctx, chain.LatestBlock)
		if err != nil {
			t.Fatal(err)
		}
		ts, err := r.Touches(ctx, head)
		if err != nil {
			t.Fatal(err)
		}
		var out []common.Address
		for _, x := range ts {
			if x.Token != tok.Address || x.Tx == (common.Hash{}) {
				t.Errorf("touch %+v: other token or no transaction", x)
			}
			out = append(out, x.Wallet)
		}
		return out
	}
	a, agent := anviltest.DevAddress(1), anviltest.DevAddress(0)
	for _, step := range []struct {
		what     string
		op       func()
		want     []common.Address
		wantBare []common.Address
	}{
		{"unpause (an address in the data)", func() { tok.Unpause(t) }, []common.Address{agent}, nil},
		{"mint", func() { tok.Mint(t, a, bi(100)) }, []common.Address{a}, []common.Address{a}},
		{"partial freeze", func() { tok.SetFrozen(t, a, bi(30)) }, []common.Address{a}, nil},
		{"address freeze", func() { tok.SetFrozenFlag(t, a, true) }, []common.Address{a}, nil},
	} {
		step.op()
		if got := touched(r); !slices.Equal(got, step.want) {
			t.Errorf("%s: touched %v, want %v", step.what, got, step.want)
		}
		if got := touched(bare); !slices.Equal(got, step.wantBare) {
			t.Errorf("%s without change events: touched %v, want %v", step.what, got, step.wantBare)
		}
	}
}
