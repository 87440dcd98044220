package anviltest

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/go-cmp/cmp"

	"github.com/portfoliod/portfoliod/abi/brokentoken"
	"github.com/portfoliod/portfoliod/abi/erc7943token"
	"github.com/portfoliod/portfoliod/abi/freezabletoken"
	"github.com/portfoliod/portfoliod/abi/multicall3"
	"github.com/portfoliod/portfoliod/abi/plaintoken"
	"github.com/portfoliod/portfoliod/abi/trextoken"
	"github.com/portfoliod/portfoliod/abi/usdctoken"
	"github.com/portfoliod/portfoliod/abi/usdttoken"
)

// TestArtifactsMatchBindings checks that each abi package's embedded
// artifacts (artifacts.go) and its abigen binding come from the same build.
func TestArtifactsMatchBindings(t *testing.T) {
	for _, tc := range []struct {
		pkg                   string
		abiJSON               string
		creation, runtimeCode []byte
		meta                  *bind.MetaData
	}{
		{"trextoken", trextoken.ABI, trextoken.CreationCode, trextoken.RuntimeCode, &trextoken.TREXTokenMetaData},
		{"erc7943token", erc7943token.ABI, erc7943token.CreationCode, erc7943token.RuntimeCode, &erc7943token.ERC7943TokenMetaData},
		{"freezabletoken", freezabletoken.ABI, freezabletoken.CreationCode, freezabletoken.RuntimeCode, &freezabletoken.FreezableTokenMetaData},
		{"usdctoken", usdctoken.ABI, usdctoken.CreationCode, usdctoken.RuntimeCode, &usdctoken.USDCTokenMetaData},
		{"usdttoken", usdttoken.ABI, usdttoken.CreationCode, usdttoken.RuntimeCode, &usdttoken.USDTTokenMetaData},
		{"plaintoken", plaintoken.ABI, plaintoken.CreationCode, plaintoken.RuntimeCode, &plaintoken.PlainTokenMetaData},
		{"brokentoken", brokentoken.ABI, brokentoken.CreationCode, brokentoken.RuntimeCode, &brokentoken.BrokenTokenMetaData},
		{"multicall3", multicall3.ABI, multicall3.CreationCode, multicall3.RuntimeCode, &multicall3.Multicall3MetaData},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			if !bytes.Equal(tc.creation, common.FromHex(tc.meta.Bin)) {
				t.Error("CreationCode differs from the binding's MetaData.Bin: run make contracts")
			}
			// The creation code returns the runtime code, which it carries
			// verbatim since the contracts have no immutables.
			if len(tc.runtimeCode) == 0 || !bytes.Contains(tc.creation, tc.runtimeCode) {
				t.Error("RuntimeCode is empty or not part of CreationCode")
			}
			embedded, err := abi.JSON(strings.NewReader(tc.abiJSON))
			if err != nil {
				t.Fatalf("parse embedded ABI: %v", err)
			}
			bound, err := tc.meta.ParseABI()
			if err != nil {
				t.Fatalf("parse binding ABI: %v", err)
			}
			if diff := cmp.Diff(signatures(embedded), signatures(*bound)); diff != "" {
				t.Errorf("%s ABI mismatch (-embedded +binding):\n%s", tc.pkg, diff)
			}
		})
	}
}

func TestMulticall3Address(t *testing.T) {
	const canonical = "0xcA11bde05977b3631167028862bE2a173976CA11"
	if multicall3.AddressHex != canonical || multicall3.Address.Hex() != canonical {
		t.Errorf("multicall3.Address = %s (%s), want %s", multicall3.Address.Hex(), multicall3.AddressHex, canonical)
	}
}

func signatures(a abi.ABI) []string {
	var sigs []string
	for _, m := range a.Methods {
		sigs = append(sigs, m.String())
	}
	for _, e := range a.Events {
		sigs = append(sigs, e.String())
	}
	slices.Sort(sigs)
	return sigs
}
