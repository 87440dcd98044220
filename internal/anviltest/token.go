package anviltest

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/portfoliod/portfoliod/abi/brokentoken"
	"github.com/portfoliod/portfoliod/abi/erc7943token"
	"github.com/portfoliod/portfoliod/abi/freezabletoken"
	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/abi/usdctoken"
	"github.com/portfoliod/portfoliod/abi/usdttoken"
)

// Kind names a test token contract. Its value is the freeze preset of the
// service configuration (SPEC §2) that reads the token, except Broken.
type Kind string

// The token kinds, one per contract of contracts/.
const (
	TREX      Kind = "erc3643"      // TREXToken: getFrozenTokens + isFrozen; starts paused
	ERC7943   Kind = "erc7943"      // ERC7943Token: getFrozenTokens, may exceed the balance
	Freezable Kind = "oz-freezable" // FreezableToken: frozen(address)
	USDC      Kind = "usdc"         // USDCToken: isBlacklisted(address)
	USDT      Kind = "usdt"         // USDTToken: isBlackListed(address)
	Plain     Kind = "none"         // PlainToken: no freeze model
	Broken    Kind = "broken"       // BrokenToken: freeze views revert or return 7 bytes
)

// Kinds lists every Kind.
var Kinds = []Kind{TREX, ERC7943, Freezable, USDC, USDT, Plain, Broken}

// errUnsupported reports a helper called on a token kind without the
// matching function.
var errUnsupported = errors.New("not supported by this token kind")

// Bindings shared by the helpers. The ERC-20 part of every token has the same
// ABI, so plain packs and unpacks it for all kinds.
var (
	plain     = plaintoken.NewPlainToken()
	trex      = trextoken.NewTREXToken()
	erc7943   = erc7943token.NewERC7943Token()
	freezable = freezabletoken.NewFreezableToken()
	usdc      = usdctoken.NewUSDCToken()
	usdt      = usdttoken.NewUSDTToken()
)

// metaData returns the abigen metadata of kind's contract.
func (k Kind) metaData() (*bind.MetaData, error) {
	switch k {
	case TREX:
		return &trextoken.TREXTokenMetaData, nil
	case ERC7943:
		return &erc7943token.ERC7943TokenMetaData, nil
	case Freezable:
		return &freezabletoken.FreezableTokenMetaData, nil
	case USDC:
		return &usdctoken.USDCTokenMetaData, nil
	case USDT:
		return &usdttoken.USDTTokenMetaData, nil
	case Plain:
		return &plaintoken.PlainTokenMetaData, nil
	case Broken:
		return &brokentoken.BrokenTokenMetaData, nil
	}
	return nil, fmt.Errorf("unknown token kind %q", k)
}

// Token is a test token deployed by DeployToken. Its helpers send
// transactions as the owner (DevKey(0)) unless they take a key, and fail the
// test on any error, a revert included.
type Token struct {
	Kind    Kind
	Address common.Address
	Chain   *Chain
	// Owner deployed the token: it may mint, burn, freeze and, for TREX, is
	// an agent.
	Owner *ecdsa.PrivateKey
}

// DeployToken deploys a token of the given kind from DevKey(0), its owner.
// A TREX token starts paused, as in T-REX: see Unpause.
func (c *Chain) DeployToken(tb testing.TB, kind Kind, name, symbol string, decimals uint8) *Token {
	tb.Helper()
	meta, err := kind.metaData()
	if err != nil {
		tb.Fatalf("anviltest: DeployToken: %v", err)
	}
	owner := DevKey(0)
	// Every token has the constructor (string name_, string symbol_, uint8 decimals_).
	addr := c.Deploy(tb, owner, meta, plain.PackConstructor(name, symbol, decimals))
	return &Token{Kind: kind, Address: addr, Chain: c, Owner: owner}
}

// DeployMulticall3 deploys Multicall3 with an ordinary transaction, at an
// address that is not the canonical one (see PlaceMulticall3 and
// Multicall3Alloc for that).
func (c *Chain) DeployMulticall3(tb testing.TB) common.Address {
	tb.Helper()
	return c.Deploy(tb, DevKey(0), &multicall3.Multicall3MetaData, nil)
}

// Mint mints amount base units to to.
func (t *Token) Mint(tb testing.TB, to common.Address, amount *big.Int) {
	tb.Helper()
	t.Chain.Transact(tb, t.Owner, t.Address, plain.PackMint(to, amount))
}

// Burn burns amount base units of from. On a TREX token a burn above the
// free balance unfreezes the shortfall.
func (t *Token) Burn(tb testing.TB, from common.Address, amount *big.Int) {
	tb.Helper()
	t.Chain.Transact(tb, t.Owner, t.Address, plain.PackBurn(from, amount))
}

// Transfer transfers amount base units from the holder of key to to.
func (t *Token) Transfer(tb testing.TB, key *ecdsa.PrivateKey, to common.Address, amount *big.Int) {
	tb.Helper()
	t.Chain.Transact(tb, key, t.Address, plain.PackTransfer(to, amount))
}

// TryTransfer is Transfer returning the error, e.g. the revert of a transfer
// the freeze model forbids.
func (t *Token) TryTransfer(key *ecdsa.PrivateKey, to common.Address, amount *big.Int) error {
	_, err := t.Chain.TryTransact(key, t.Address, plain.PackTransfer(to, amount))
	return err
}

// BalanceOf returns balanceOf(holder) at the latest block.
func (t *Token) BalanceOf(tb testing.TB, holder common.Address) *big.Int {
	tb.Helper()
	out := t.Chain.Call(tb, t.Address, plain.PackBalanceOf(holder))
	v, err := plain.UnpackBalanceOf(out)
	if err != nil {
		tb.Fatalf("anviltest: unpack balanceOf: %v", err)
	}
	return v
}

// SetFrozen makes holder's partially frozen amount equal amount:
// freezePartialTokens/unfreezePartialTokens by the difference on TREX (which
// requires amount <= balance), setFrozenTokens on ERC7943, freeze on
// Freezable (both accept any amount). Other kinds fail the test.
func (t *Token) SetFrozen(tb testing.TB, holder common.Address, amount *big.Int) {
	tb.Helper()
	var data []byte
	switch t.Kind {
	case TREX:
		current := t.Frozen(tb, holder)
		switch diff := new(big.Int).Sub(amount, current); diff.Sign() {
		case 0:
			return
		case 1:
			data = trex.PackFreezePartialTokens(holder, diff)
		default:
			data = trex.PackUnfreezePartialTokens(holder, diff.Neg(diff))
		}
	case ERC7943:
		data = erc7943.PackSetFrozenTokens(holder, amount)
	case Freezable:
		data = freezable.PackFreeze(holder, amount)
	default:
		tb.Fatalf("anviltest: SetFrozen on %s token: %v", t.Kind, errUnsupported)
	}
	t.Chain.Transact(tb, t.Owner, t.Address, data)
}

// Frozen returns holder's partially frozen amount as the token reports it
// (getFrozenTokens or frozen), which on ERC7943 and Freezable may exceed the
// balance. Kinds without an amount view fail the test.
func (t *Token) Frozen(tb testing.TB, holder common.Address) *big.Int {
	tb.Helper()
	var (
		v   *big.Int
		err error
	)
	switch t.Kind {
	case TREX:
		v, err = trex.UnpackGetFrozenTokens(t.Chain.Call(tb, t.Address, trex.PackGetFrozenTokens(holder)))
	case ERC7943:
		v, err = erc7943.UnpackGetFrozenTokens(t.Chain.Call(tb, t.Address, erc7943.PackGetFrozenTokens(holder)))
	case Freezable:
		v, err = freezable.UnpackFrozen(t.Chain.Call(tb, t.Address, freezable.PackFrozen(holder)))
	default:
		err = errUnsupported
	}
	if err != nil {
		tb.Fatalf("anviltest: Frozen on %s token: %v", t.Kind, err)
	}
	return v
}

// SetFrozenFlag sets or clears the whole-address freeze of holder:
// setAddressFrozen on TREX, blacklist/unBlacklist on USDC,
// addBlackList/removeBlackList on USDT. Other kinds fail the test.
func (t *Token) SetFrozenFlag(tb testing.TB, holder common.Address, frozen bool) {
	tb.Helper()
	var data []byte
	switch {
	case t.Kind == TREX:
		data = trex.PackSetAddressFrozen(holder, frozen)
	case t.Kind == USDC && frozen:
		data = usdc.PackBlacklist(holder)
	case t.Kind == USDC:
		data = usdc.PackUnBlacklist(holder)
	case t.Kind == USDT && frozen:
		data = usdt.PackAddBlackList(holder)
	case t.Kind == USDT:
		data = usdt.PackRemoveBlackList(holder)
	default:
		tb.Fatalf("anviltest: SetFrozenFlag on %s token: %v", t.Kind, errUnsupported)
	}
	t.Chain.Transact(tb, t.Owner, t.Address, data)
}

// DestroyBlackFunds zeroes a blacklisted holder's balance on a USDT token
// (destroyBlackFunds: a DestroyedBlackFunds event, no Transfer); other
// kinds fail the test.
func (t *Token) DestroyBlackFunds(tb testing.TB, holder common.Address) {
	tb.Helper()
	t.usdtOnly(tb, "DestroyBlackFunds")
	t.Chain.Transact(tb, t.Owner, t.Address, usdt.PackDestroyBlackFunds(holder))
}

// Issue adds amount to the owner's balance on a USDT token (issue: an
// Issue event naming no address, no Transfer); other kinds fail the test.
func (t *Token) Issue(tb testing.TB, amount *big.Int) {
	tb.Helper()
	t.usdtOnly(tb, "Issue")
	t.Chain.Transact(tb, t.Owner, t.Address, usdt.PackIssue(amount))
}

// Redeem takes amount from the owner's balance on a USDT token (redeem:
// a Redeem event, no Transfer); other kinds fail the test.
func (t *Token) Redeem(tb testing.TB, amount *big.Int) {
	tb.Helper()
	t.usdtOnly(tb, "Redeem")
	t.Chain.Transact(tb, t.Owner, t.Address, usdt.PackRedeem(amount))
}

func (t *Token) usdtOnly(tb testing.TB, op string) {
	tb.Helper()
	if t.Kind != USDT {
		tb.Fatalf("anviltest: %s on %s token: %v", op, t.Kind, errUnsupported)
	}
}

// Unpause unpauses a TREX token so holders can transfer; other kinds fail
// the test.
func (t *Token) Unpause(tb testing.TB) {
	tb.Helper()
	if t.Kind != TREX {
		tb.Fatalf("anviltest: Unpause on %s token: %v", t.Kind, errUnsupported)
	}
	t.Chain.Transact(tb, t.Owner, t.Address, trex.PackUnpause())
}
