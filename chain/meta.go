package chain

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"golang.org/x/sync/errgroup"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

func errgroupWithLimit(ctx context.Context, limit int) (*errgroup.Group, context.Context) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	return g, gctx
}

var (
	selSymbol   = selector("symbol()")
	selDecimals = selector("decimals()")
)

// readMetadata checks that the token has code and reads its symbol and
// decimals at the latest block, in one JSON-RPC batch.
func (r *Reader) readMetadata(ctx context.Context, t *Token) error {
	return r.do(ctx, "batch:token_metadata", func(ctx context.Context, ep *endpoint) error {
		var code, sym, dec hexutil.Bytes
		elems := []rpc.BatchElem{
			{Method: "eth_getCode", Args: []any{t.Address, "latest"}, Result: &code},
			{Method: "eth_call", Args: []any{callArgs{To: t.Address, Data: selSymbol[:], Gas: r.gas}, "latest"}, Result: &sym},
			{Method: "eth_call", Args: []any{callArgs{To: t.Address, Data: selDecimals[:], Gas: r.gas}, "latest"}, Result: &dec},
		}
		if err := ep.client.BatchCallContext(ctx, elems); err != nil {
			return err
		}
		fail := func(fn, reason string) error {
			return &ReadError{Token: t.Address, Function: fn, Reason: reason}
		}
		if err := requestProblem(outcomes(elems), true); err != nil {
			return err
		}
		if elems[0].Error != nil {
			return elems[0].Error
		}
		for i, fn := range []string{"symbol()", "decimals()"} {
			if err := elems[1+i].Error; err != nil {
				return fail(fn, batchReason(err))
			}
		}
		if len(code) == 0 {
			return fail("code", reasonNoCode)
		}
		symbol, reason := decodeSymbol(sym)
		if reason != "" {
			return fail("symbol()", reason)
		}
		decimals, reason := decodeUint256(dec)
		if reason == "" && decimals.BitLen() > 8 {
			reason = "malformed return data: decimals above 255"
		}
		if reason != "" {
			return fail("decimals()", reason)
		}
		t.Symbol, t.Decimals = symbol, uint8(decimals.Uint64())
		return nil
	})
}

var stringArgs = abi.Arguments{{Type: mustType("string")}}

func mustType(t string) abi.Type {
	typ, err := abi.NewType(t, "", nil)
	if err != nil {
		panic(err)
	}
	return typ
}

// decodeSymbol accepts an ABI string or, as some early tokens return, a
// bytes32 padded with zeros.
func decodeSymbol(data []byte) (string, string) {
	if len(data) == 0 {
		return "", reasonEmpty
	}
	if len(data) == 32 {
		return strings.TrimRight(string(data), "\x00"), ""
	}
	out, err := stringArgs.Unpack(data)
	if err != nil || len(out) != 1 {
		return "", "malformed return data: not a string"
	}
	return out[0].(string), ""
}

// resolveMode turns the configured mode into the effective one, checking
// that it works: contract needs code at the multicall address, override a
// node that accepts the state override.
func (r *Reader) resolveMode(ctx context.Context, mode string) (string, error) {
	if mode == ModeBatch {
		return ModeBatch, nil
	}
	var code hexutil.Bytes
	err := r.do(ctx, "eth_getCode", func(ctx context.Context, ep *endpoint) error {
		return ep.client.CallContext(ctx, &code, "eth_getCode", r.mcAddr, "latest")
	})
	if err != nil {
		return "", fmt.Errorf("multicall code: %w", err)
	}
	if len(code) > 0 && mode != ModeOverride {
		return ModeContract, nil
	}
	if mode == ModeContract {
		return "", fmt.Errorf("multicall mode contract: no code at %s", hexAddr(r.mcAddr))
	}
	err = r.probeOverride(ctx)
	switch {
	case err == nil:
		return ModeOverride, nil
	case mode == ModeOverride:
		return "", fmt.Errorf("multicall mode override: the node does not accept the state override: %w", err)
	case errors.Is(err, ErrUnavailable) || ctx.Err() != nil:
		return "", err
	}
	r.log.Info("state override not supported, using JSON-RPC batches", "err", err)
	return ModeBatch, nil
}

// probeOverride runs an empty aggregate3 with Multicall3's code placed by
// state override.
func (r *Reader) probeOverride(ctx context.Context) error {
	data, err := r.mc.TryPackAggregate3(nil)
	if err != nil {
		return err
	}
	var ret hexutil.Bytes
	err = r.do(ctx, "eth_call", func(ctx context.Context, ep *endpoint) error {
		return ep.client.CallContext(ctx, &ret, "eth_call", callArgs{To: r.mcAddr, Data: data, Gas: r.gas}, "latest",
			map[common.Address]overrideAccount{r.mcAddr: {Code: multicall3.RuntimeCode}})
	})
	if err != nil {
		return err
	}
	_, err = decodeAggregate3(ret, 0)
	return err
}
