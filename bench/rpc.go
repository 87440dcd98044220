package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// rpcClient is a minimal JSON-RPC 2.0 client over HTTP. The benchmark uses
// it for anvil's admin methods and for the naive baseline, so that the
// baseline's traffic is exactly one HTTP request per call with no hidden
// batching or retries.
type rpcClient struct {
	url string
	hc  *http.Client
}

type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      int    `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

type rpcResponse struct {
	ID     int             `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *rpcError       `json:"error"`
}

type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("json-rpc error %d: %s", e.Code, e.Message) }

// maxRPCResponse bounds a node response the benchmark reads.
const maxRPCResponse = 64 << 20

// call sends one request and decodes its result into result (nil to
// discard it).
func (c *rpcClient) call(ctx context.Context, result any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(rpcRequest{JSONRPC: "2.0", ID: 1, Method: method, Params: params})
	if err != nil {
		return err
	}
	raw, err := c.post(ctx, body)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	var resp rpcResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		return fmt.Errorf("%s: decode response: %w", method, err)
	}
	if resp.Error != nil {
		return fmt.Errorf("%s: %w", method, resp.Error)
	}
	if result == nil {
		return nil
	}
	if len(resp.Result) == 0 || string(resp.Result) == "null" {
		return fmt.Errorf("%s: empty result", method)
	}
	if err := json.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("%s: decode result: %w", method, err)
	}
	return nil
}

// batch sends reqs as one JSON-RPC batch and returns the responses in the
// order of reqs. Any per-call error fails the batch.
func (c *rpcClient) batch(ctx context.Context, reqs []rpcRequest) ([]rpcResponse, error) {
	for i := range reqs {
		reqs[i].JSONRPC, reqs[i].ID = "2.0", i
		if reqs[i].Params == nil {
			reqs[i].Params = []any{}
		}
	}
	body, err := json.Marshal(reqs)
	if err != nil {
		return nil, err
	}
	raw, err := c.post(ctx, body)
	if err != nil {
		return nil, err
	}
	var resps []rpcResponse
	if err := json.Unmarshal(raw, &resps); err != nil {
		return nil, fmt.Errorf("decode batch response: %w", err)
	}
	if len(resps) != len(reqs) {
		return nil, fmt.Errorf("batch of %d calls got %d responses", len(reqs), len(resps))
	}
	out := make([]rpcResponse, len(reqs))
	seen := make([]bool, len(reqs))
	for _, r := range resps {
		if r.ID < 0 || r.ID >= len(reqs) || seen[r.ID] {
			return nil, fmt.Errorf("batch response has unexpected id %d", r.ID)
		}
		if r.Error != nil {
			return nil, fmt.Errorf("%s (batch item %d): %w", reqs[r.ID].Method, r.ID, r.Error)
		}
		seen[r.ID] = true
		out[r.ID] = r
	}
	return out, nil
}

func (c *rpcClient) post(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxRPCResponse))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("http status %d: %.200s", resp.StatusCode, raw)
	}
	return raw, nil
}

// blockNumber returns eth_blockNumber.
func (c *rpcClient) blockNumber(ctx context.Context) (uint64, error) {
	var s string
	if err := c.call(ctx, &s, "eth_blockNumber"); err != nil {
		return 0, err
	}
	return parseHexUint(s)
}

func parseHexUint(s string) (uint64, error) {
	if !strings.HasPrefix(s, "0x") {
		return 0, fmt.Errorf("not a hex quantity: %q", s)
	}
	return strconv.ParseUint(s[2:], 16, 64)
}

func hexUint(n uint64) string { return "0x" + strconv.FormatUint(n, 16) }

var errEmptyResult = errors.New("empty result")
