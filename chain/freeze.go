package chain

import (
	"bytes"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Freeze model names accepted by Preset and TokenConfig.Freeze (SPEC §2).
const (
	FreezeNone        = "none"
	FreezeERC3643     = "erc3643"
	FreezeERC7943     = "erc7943"
	FreezeOZFreezable = "oz-freezable"
	FreezeUSDC        = "usdc"
	FreezeUSDT        = "usdt"
	FreezeCustom      = "custom"
)

var presets = map[string]FreezeModel{
	FreezeNone:        {Name: FreezeNone},
	FreezeERC3643:     {Name: FreezeERC3643, AmountFns: []string{"getFrozenTokens(address)"}, FlagFns: []string{"isFrozen(address)"}},
	FreezeERC7943:     {Name: FreezeERC7943, AmountFns: []string{"getFrozenTokens(address)"}},
	FreezeOZFreezable: {Name: FreezeOZFreezable, AmountFns: []string{"frozen(address)"}},
	FreezeUSDC:        {Name: FreezeUSDC, FlagFns: []string{"isBlacklisted(address)"}},
	FreezeUSDT:        {Name: FreezeUSDT, FlagFns: []string{"isBlackListed(address)"}},
}

// PresetNames lists the freeze model names in the order of SPEC §2, custom
// last.
func PresetNames() []string {
	return []string{FreezeNone, FreezeERC3643, FreezeERC7943, FreezeOZFreezable, FreezeUSDC, FreezeUSDT, FreezeCustom}
}

// Preset returns the freeze model of a preset name. "custom" has no fixed
// functions: use CustomModel. An unknown name is an error listing the
// accepted ones.
func Preset(name string) (FreezeModel, error) {
	if name == FreezeCustom {
		return FreezeModel{}, fmt.Errorf("freeze model custom needs amount_fns or flag_fns")
	}
	m, ok := presets[name]
	if !ok {
		return FreezeModel{}, fmt.Errorf("unknown freeze model %q (want one of %s)", name, strings.Join(PresetNames(), ", "))
	}
	return FreezeModel{Name: m.Name, AmountFns: slices.Clone(m.AmountFns), FlagFns: slices.Clone(m.FlagFns)}, nil
}

// CustomModel returns a custom freeze model after validating every
// signature with ValidateSignature. At least one function is required,
// and none may be listed twice.
func CustomModel(amountFns, flagFns []string) (FreezeModel, error) {
	if len(amountFns)+len(flagFns) == 0 {
		return FreezeModel{}, fmt.Errorf("freeze model custom needs amount_fns or flag_fns")
	}
	seen := map[string]bool{}
	for _, sig := range slices.Concat(amountFns, flagFns) {
		if err := ValidateSignature(sig); err != nil {
			return FreezeModel{}, err
		}
		// Twice would count an amount twice, or read one function both
		// as an amount and as a flag.
		if seen[sig] {
			return FreezeModel{}, fmt.Errorf("function %s is listed more than once in amount_fns and flag_fns", sig)
		}
		seen[sig] = true
	}
	return FreezeModel{Name: FreezeCustom, AmountFns: slices.Clone(amountFns), FlagFns: slices.Clone(flagFns)}, nil
}

var signatureRE = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*\(address\)$`)

// ValidateSignature accepts only the canonical form `name(address)`, e.g.
// `lockedOf(address)`: no spaces, no parameter names, no return type, since
// the 4-byte selector is the Keccak-256 of exactly that text.
func ValidateSignature(sig string) error {
	if !signatureRE.MatchString(sig) {
		return fmt.Errorf("function signature %q must have the form name(address)", sig)
	}
	return nil
}

// selector returns the 4-byte function selector of a canonical signature.
func selector(sig string) [4]byte {
	var s [4]byte
	copy(s[:], crypto.Keccak256([]byte(sig))[:4])
	return s
}

// callData encodes a call of a one-address-argument function.
func callData(sel [4]byte, wallet common.Address) []byte {
	data := make([]byte, 4+32)
	copy(data, sel[:])
	copy(data[4+12:], wallet[:])
	return data
}

// frozenAmount applies SPEC §2: any flag set freezes the whole total,
// otherwise the sum of the amounts clamped to the total. The result is a new
// big.Int.
func frozenAmount(total *big.Int, amounts []*big.Int, flags []bool) *big.Int {
	if slices.Contains(flags, true) {
		return new(big.Int).Set(total)
	}
	sum := new(big.Int)
	for _, a := range amounts {
		sum.Add(sum, a)
	}
	if sum.Cmp(total) > 0 {
		return sum.Set(total)
	}
	return sum
}

// Reasons carried by ReadError.
const (
	reasonEmpty  = "empty return data (no contract code at the block?)"
	reasonNoCode = "no contract code"
)

// decodeUint256 accepts exactly one 32-byte word.
func decodeUint256(data []byte) (*big.Int, string) {
	switch {
	case len(data) == 0:
		return nil, reasonEmpty
	case len(data) != 32:
		return nil, fmt.Sprintf("malformed return data: %d bytes, want 32", len(data))
	}
	return new(big.Int).SetBytes(data), ""
}

// decodeBool accepts exactly one 32-byte word holding 0 or 1.
func decodeBool(data []byte) (bool, string) {
	switch {
	case len(data) == 0:
		return false, reasonEmpty
	case len(data) != 32:
		return false, fmt.Sprintf("malformed return data: %d bytes, want 32", len(data))
	}
	for _, b := range data[:31] {
		if b != 0 {
			return false, "malformed return data: not a bool"
		}
	}
	switch data[31] {
	case 0:
		return false, ""
	case 1:
		return true, ""
	}
	return false, "malformed return data: not a bool"
}

// decodeAmounts turns one wallet's raw return data (balanceOf, amounts,
// flags, in p.fns order) into its amounts after SPEC §2: a flag set
// freezes the whole total, otherwise the sum of the amounts clamped to the
// total. The first value that is not well formed is a *ReadError.
func decodeAmounts(p *tokenPlan, wallet common.Address, raw [][]byte) (amounts, error) {
	var a amounts
	fail := func(i int, reason string) error {
		return &ReadError{Token: p.token.Address, Wallet: wallet, Function: p.fns[i].sig, Reason: reason}
	}
	if reason := wordReason(raw[0]); reason != "" {
		return amounts{}, fail(0, reason)
	}
	copy(a.total[:], raw[0])
	for j := 1; j <= p.amounts; j++ {
		if reason := wordReason(raw[j]); reason != "" {
			return amounts{}, fail(j, reason)
		}
	}
	flagged := false
	for j := 1 + p.amounts; j < len(p.fns); j++ {
		v, reason := decodeBool(raw[j])
		if reason != "" {
			return amounts{}, fail(j, reason)
		}
		flagged = flagged || v
	}
	a.flagged = flagged
	switch {
	case flagged:
		a.frozen = a.total
	case p.amounts == 0:
	case p.amounts == 1:
		// min(amount, total) on big-endian words: no big.Int needed.
		if bytes.Compare(raw[1], a.total[:]) < 0 {
			copy(a.frozen[:], raw[1])
		} else {
			a.frozen = a.total
		}
	default:
		total := new(big.Int).SetBytes(a.total[:])
		parts := make([]*big.Int, p.amounts)
		for j := range parts {
			parts[j] = new(big.Int).SetBytes(raw[1+j])
		}
		frozenAmount(total, parts, nil).FillBytes(a.frozen[:])
	}
	return a, nil
}

// wordReason checks that data is exactly one 32-byte word.
func wordReason(data []byte) string {
	switch {
	case len(data) == 0:
		return reasonEmpty
	case len(data) != 32:
		return fmt.Sprintf("malformed return data: %d bytes, want 32", len(data))
	}
	return ""
}
