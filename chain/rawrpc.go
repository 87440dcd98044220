package chain

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/portfoliod/portfoliod/abi/multicall3"
)

// The aggregate3 eth_calls of the multicall modes bypass go-ethereum's
// rpc.Client. For 1,000 erc3643 wallets the client allocated about 9 MB a
// read: the calldata marshalled to hex by json.Marshal and copied into the
// request, the response buffered by json.Decoder, copied into a
// json.RawMessage and hex-decoded into a new slice. Here the request is
// written into a pooled buffer, the response is read into another, and
// each hex result (copied out by encoding/json) is decoded in place, where
// decodeAggregate3 reads it. Everything else the client did is kept: the same URL, headers and
// *http.Client (so the same basic auth, transport and request counting),
// the same errors (rpc.HTTPError, rpc.Error, rpc.ErrNoResult,
// rpc.ErrMissingBatchResponse, the hexutil.Bytes decoding errors), and the
// same reading of odd answers (see parseReplies).

// maxPooledBuffer bounds the buffers kept for reuse, so that one huge
// answer does not stay in memory.
const maxPooledBuffer = 32 << 20

var bufferPool = sync.Pool{New: func() any { return new([]byte) }}

// getBuffer returns an empty pooled buffer; give it back with putBuffer.
func getBuffer() *[]byte {
	b := bufferPool.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		bufferPool.Put(b)
	}
}

// requestBody is a pooled request body. A transport may still read a body
// after Client.Do returned (see http.RoundTripper), so the buffer goes
// back to the pool only if every reader handed out was closed by then.
type requestBody struct {
	buf  *[]byte
	open atomic.Int32
}

type bodyReader struct {
	bytes.Reader
	body   *requestBody
	closed atomic.Bool
}

func (b *requestBody) reader() io.ReadCloser {
	b.open.Add(1)
	r := &bodyReader{body: b}
	r.Reset(*b.buf)
	return r
}

func (r *bodyReader) Close() error {
	if r.closed.CompareAndSwap(false, true) {
		r.body.open.Add(-1)
	}
	return nil
}

// release gives the buffer back to the pool unless a reader is still open;
// the body must not be used after.
func (b *requestBody) release() {
	if b.open.Load() == 0 {
		putBuffer(b.buf)
	}
}

// multicallBody returns the eth_call request of each chunk's aggregate3,
// numbered from 1, as one JSON-RPC request when there is one chunk and a
// batch otherwise: byte for byte what go-ethereum would send for the
// arguments callArgs, blockParam and, in override mode, the state override
// (see TestMulticallBody), except the ids.
func (r *Reader) multicallBody(block common.Hash, token common.Address, chunks [][]call, override bool) *requestBody {
	return r.multicallBodyAt(&block, token, chunks, override)
}

// multicallBodyAt is multicallBody pinned to *block, or, with block nil,
// a batch of the chunks' eth_calls at "latest" followed by
// eth_getBlockByNumber("latest", false) numbered len(chunks)+1 (see
// balancesLatest).
func (r *Reader) multicallBodyAt(block *common.Hash, token common.Address, chunks [][]call, override bool) *requestBody {
	scratch := getBuffer()
	defer putBuffer(scratch)
	b := getBuffer()
	buf := *b
	batch := len(chunks) > 1 || block == nil
	if batch {
		buf = append(buf, '[')
	}
	for i, calls := range chunks {
		if i > 0 {
			buf = append(buf, ',')
		}
		*scratch = appendAggregate3((*scratch)[:0], token, calls)
		buf = append(buf, `{"jsonrpc":"2.0","id":`...)
		buf = strconv.AppendInt(buf, int64(i+1), 10)
		buf = append(buf, `,"method":"eth_call","params":[{"to":"`...)
		buf = appendHex(buf, r.mcAddr[:])
		buf = append(buf, `","data":"`...)
		buf = appendHex(buf, *scratch)
		buf = append(buf, `","gas":"0x`...)
		buf = strconv.AppendUint(buf, uint64(r.gas), 16)
		if block == nil {
			buf = append(buf, `"},"latest"`...)
		} else {
			buf = append(buf, `"},{"blockHash":"`...)
			buf = appendHex(buf, block[:])
			buf = append(buf, `","requireCanonical":false}`...)
		}
		if override {
			buf = append(buf, `,{"`...)
			buf = appendHex(buf, r.mcAddr[:])
			buf = append(buf, `":{"code":"`...)
			buf = appendHex(buf, multicall3.RuntimeCode)
			buf = append(buf, `"}}`...)
		}
		buf = append(buf, "]}"...)
	}
	if block == nil {
		buf = append(buf, `,{"jsonrpc":"2.0","id":`...)
		buf = strconv.AppendInt(buf, int64(len(chunks)+1), 10)
		buf = append(buf, `,"method":"eth_getBlockByNumber","params":["latest",false]}`...)
	}
	if batch {
		buf = append(buf, ']')
	}
	*b = buf
	return &requestBody{buf: b}
}

// appendHex appends b as hexutil.Bytes marshals it: 0x and lowercase hex.
func appendHex(dst, b []byte) []byte {
	return hex.AppendEncode(append(dst, "0x"...), b)
}

// Bounds on what postJSON reads from a node, so that a misbehaving one
// cannot exhaust memory: a multicall response is about 200 bytes per call
// (under 1 MiB for 3,000 calls), an error body a few hundred.
const (
	maxResponseBytes = 128 << 20
	maxErrorBody     = 4 << 10
)

// postJSON sends body to ep as go-ethereum's HTTP transport does, reads
// the answer into resp and parses it (see parseReplies). A status outside
// 2xx is an rpc.HTTPError with the body (its first maxErrorBody bytes), as
// the client returned it; a response over maxResponseBytes is an error.
func (ep *endpoint) postJSON(ctx context.Context, body *requestBody, resp *[]byte, batch bool) ([]reply, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.url, body.reader())
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(*body.buf))
	// GetBody lets net/http resend the request on a stale keep-alive
	// connection or a redirect.
	req.GetBody = func() (io.ReadCloser, error) { return body.reader(), nil }
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	res, err := ep.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode >= 300 {
		var buf bytes.Buffer
		var data []byte
		if _, err := buf.ReadFrom(io.LimitReader(res.Body, maxErrorBody)); err == nil {
			data = buf.Bytes()
		}
		return nil, rpc.HTTPError{Status: res.Status, StatusCode: res.StatusCode, Body: data}
	}
	buf := bytes.NewBuffer((*resp)[:0])
	if n := res.ContentLength; n > 0 && n < maxPooledBuffer {
		buf.Grow(int(n))
	}
	n, readErr := buf.ReadFrom(io.LimitReader(res.Body, maxResponseBytes+1))
	*resp = buf.Bytes()
	if n > maxResponseBytes {
		return nil, fmt.Errorf("node response exceeds %d MiB", maxResponseBytes>>20)
	}
	replies, err := parseReplies(*resp, batch)
	if readErr != nil && err != nil {
		// json.Decoder reported a failed read (a timeout, say) only when
		// the value was not complete without it.
		return nil, readErr
	}
	return replies, err
}

// reply is one JSON-RPC response object: the raw id, result and error
// values, nil when absent, as go-ethereum's client keeps them.
type reply struct {
	id, result, err []byte
}

// wireReply is one JSON-RPC response object. The raw id, result and error
// values are kept as go-ethereum's client keeps them; jsonrpc and method
// are decoded only so that a value of the wrong type is an error, as there.
type wireReply struct {
	Version string          `json:"jsonrpc"`
	Method  string          `json:"method"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   json.RawMessage `json:"error"`
}

// parseReplies decodes a JSON-RPC answer: a batch answer is an array of
// objects (null elements are skipped, null is no element), a single answer
// an object (null is an empty one). encoding/json copies each raw value
// out of body, so the results decoded in place later are owned here. One
// difference from go-ethereum's json.Decoder: data after the answer is an
// error rather than ignored (no node sends any), which fails over.
func parseReplies(body []byte, batch bool) ([]reply, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, io.EOF
	}
	if !batch {
		var r wireReply
		if err := json.Unmarshal(body, &r); err != nil {
			return nil, err
		}
		return []reply{r.reply()}, nil
	}
	var rs []*wireReply
	if err := json.Unmarshal(body, &rs); err != nil {
		return nil, err
	}
	out := make([]reply, 0, len(rs))
	for _, r := range rs {
		if r != nil {
			out = append(out, r.reply())
		}
	}
	return out, nil
}

func (r *wireReply) reply() reply {
	return reply{id: r.ID, result: r.Result, err: r.Error}
}

// decode turns a reply into what go-ethereum's client returns for it:
// the node's error object as an rpc.Error, rpc.ErrNoResult without a
// result, or the result hex-decoded in place (aliasing the reply's buffer).
func (rep reply) decode() ([]byte, error) {
	switch {
	case rep.err != nil:
		e := new(rpcError)
		json.Unmarshal(rep.err, e) // as the client: a malformed error object is a code 0 error
		return nil, e
	case rep.result == nil:
		return nil, rpc.ErrNoResult
	}
	return decodeHexInPlace(rep.result)
}

// rpcError is a JSON-RPC error object; like go-ethereum's it implements
// rpc.Error and rpc.DataError.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func (e *rpcError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("json-rpc error %d", e.Code)
	}
	return e.Message
}

func (e *rpcError) ErrorCode() int { return e.Code }
func (e *rpcError) ErrorData() any { return e.Data }

// errHexSyntax is what json.Unmarshal into a hexutil.Bytes returns for a
// character that is not hex.
var errHexSyntax = &json.UnmarshalTypeError{Value: hexutil.ErrSyntax.Error(), Type: reflect.TypeFor[hexutil.Bytes]()}

// decodeHexInPlace decodes a JSON value as json.Unmarshal into a
// hexutil.Bytes does (no unescaping: hexutil reads the raw string), but
// writes the bytes over the value instead of into a new slice: byte i goes
// to v[1+i], before the digits it is decoded from (v[3+2i], v[4+2i]), so
// nothing unread is overwritten.
func decodeHexInPlace(v []byte) ([]byte, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || len(v) > 2 && (len(v) < 4 || v[1] != '0' || v[2]|0x20 != 'x' || len(v)%2 != 0) {
		var b hexutil.Bytes
		return nil, b.UnmarshalJSON(v) // the same error
	}
	if len(v) == 2 {
		return []byte{}, nil
	}
	digits := v[3 : len(v)-1]
	out := v[1 : 1+len(digits)/2]
	for i := range out {
		hi, lo := unhex(digits[2*i]), unhex(digits[2*i+1])
		if hi|lo > 0x0f {
			return nil, errHexSyntax
		}
		out[i] = hi<<4 | lo
	}
	return out, nil
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 0xff
}

// batchIndex returns the element an id of the request of n elements
// (numbered from 1) names; like go-ethereum's client it compares the raw id.
func batchIndex(id []byte, n int) (int, bool) {
	if len(id) == 0 || len(id) > 9 || id[0] == '0' {
		return 0, false
	}
	v := 0
	for _, c := range id {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v - 1, v <= n
}

// callOutcome is how the node answered one call of a JSON-RPC request:
// its method, and the error go-ethereum's client gives for it (an
// rpc.Error, rpc.ErrNoResult, rpc.ErrMissingBatchResponse, a decoding
// error), nil for a result.
type callOutcome struct {
	method string
	err    error
}

// outcomes returns the outcomes of a batch sent with go-ethereum's client.
func outcomes(elems []rpc.BatchElem) []callOutcome {
	out := make([]callOutcome, len(elems))
	for i, el := range elems {
		out[i] = callOutcome{method: el.Method, err: el.Error}
	}
	return out
}

// matchReplies reads the replies to a request of len(rets) calls of
// method as go-ethereum's client does, into each call's result (rets[i],
// aliasing the reply buffer) and outcome: a single request's one reply, or
// a batch's replies by id, where unknown ids and repeats are ignored and a
// call without a reply is rpc.ErrMissingBatchResponse.
func matchReplies(replies []reply, method string, rets [][]byte, batch bool) []callOutcome {
	calls := make([]callOutcome, len(rets))
	for i := range calls {
		calls[i].method = method
	}
	if !batch {
		if len(replies) == 0 {
			calls[0].err = rpc.ErrNoResult
		} else {
			rets[0], calls[0].err = replies[0].decode()
		}
		return calls
	}
	answered := make([]bool, len(rets))
	for _, rep := range replies {
		i, ok := batchIndex(rep.id, len(rets))
		if !ok || answered[i] {
			continue
		}
		answered[i] = true
		rets[i], calls[i].err = rep.decode()
	}
	for i := range calls {
		if !answered[i] {
			calls[i].err = rpc.ErrMissingBatchResponse
		}
	}
	return calls
}

// multicallRets fills rets from the replies to a request of len(rets)
// aggregate3 eth_calls (a batch if batch is set) and returns its error:
// the request's problem (see requestProblem), else the first call's
// error, since one aggregate3 answered with an error fails the snapshot.
func multicallRets(replies []reply, rets [][]byte, batch bool) error {
	calls := matchReplies(replies, "eth_call", rets, batch)
	if err := requestProblem(calls, batch); err != nil {
		return err
	}
	for _, c := range calls {
		if c.err != nil {
			return c.err
		}
	}
	return nil
}

// requestProblem judges the answer to one JSON-RPC request, whichever
// client sent it: it returns the error that concerns the request rather
// than one of its calls, or nil when each call got its own answer (a
// revert, say, which the caller reports for that call). A single
// request's problem is its call's error, as go-ethereum's CallContext
// returns it (classify tells its kind). In a batch it is missing
// responses (geth answers a batch above its limit, 1000 by default, with
// one error and drops the rest), a call the node rejects, a rate limit, or
// a block the node does not know or whose state it pruned: whichever call
// it is reported on, the whole request fails with it.
func requestProblem(calls []callOutcome, batch bool) error {
	if !batch {
		return calls[0].err
	}
	missing := 0
	for _, c := range calls {
		if errors.Is(c.err, rpc.ErrMissingBatchResponse) {
			missing++
		}
	}
	if missing > 0 {
		return fmt.Errorf("node answered %d of %d batched calls (batch size limit? lower max_calls_per_batch)",
			len(calls)-missing, len(calls))
	}
	for _, c := range calls {
		var rpcErr rpc.Error
		if !errors.As(c.err, &rpcErr) {
			continue
		}
		switch code := rpcErr.ErrorCode(); {
		case code == 3:
		case isPrunedStateMessage(rpcErr.Error()): // anvil's is a -32602
			return fmt.Errorf("%w: %s", errUnknownBlock, rpcErr.Error())
		case code == -32600 || code == -32601 || code == -32602 || code == -32700:
			return final(fmt.Errorf("node rejected a batched %s: %w", c.method, c.err))
		case isRateLimit(rpcErr):
			return fmt.Errorf("node rate-limited a batched %s: %w", c.method, c.err)
		case isUnknownBlockMessage(rpcErr.Error()):
			return fmt.Errorf("%w: %s", errUnknownBlock, rpcErr.Error())
		}
	}
	return nil
}
