package chain

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// callResult is one aggregate3 sub-call result; data aliases the return
// data it was decoded from.
type callResult struct {
	ok   bool
	data []byte
}

// errAggregate3 marks aggregate3 return data that is not well formed.
var errAggregate3 = errors.New("malformed aggregate3 result")

// errNoMulticallCode is aggregate3 answered with empty return data: an
// eth_call to an address without code succeeds with no data, and
// Multicall3 with code always returns at least an empty array.
var errNoMulticallCode = errors.New("empty return data: no Multicall3 code at the block")

// decodeAggregate3 decodes aggregate3's (bool success, bytes returnData)[]
// without copying and checks it has n entries. It is strict: every offset
// and length must lie within ret, and a success flag must be 0 or 1.
// Decoding 3,000 results with go-ethereum's reflection-based ABI decoder
// allocated several values per result; this allocates one slice.
func decodeAggregate3(ret []byte, n int) ([]callResult, error) {
	if len(ret) == 0 {
		return nil, errNoMulticallCode
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", errAggregate3, fmt.Sprintf(format, args...))
	}
	arr, ok := wordInt(ret, 0)
	if !ok {
		return nil, bad("array offset out of range")
	}
	count, ok := wordInt(ret, arr)
	if !ok {
		return nil, bad("array length out of range")
	}
	if count != n {
		return nil, fmt.Errorf("aggregate3 returned %d results for %d calls", count, n)
	}
	head := arr + 32 // tuple offsets are relative to here
	if count > (len(ret)-head)/32 {
		return nil, bad("%d results do not fit in %d bytes", count, len(ret))
	}
	out := make([]callResult, count)
	for i := range out {
		rel, ok := wordInt(ret, head+32*i)
		if !ok || rel > len(ret)-head {
			return nil, bad("result %d offset out of range", i)
		}
		tuple := head + rel
		success, ok := wordInt(ret, tuple)
		if !ok || success > 1 {
			return nil, bad("result %d success flag is not a bool", i)
		}
		dataRel, ok := wordInt(ret, tuple+32)
		if !ok || dataRel > len(ret)-tuple {
			return nil, bad("result %d data offset out of range", i)
		}
		data := tuple + dataRel
		size, ok := wordInt(ret, data)
		if !ok || size > len(ret)-data-32 {
			return nil, bad("result %d data length out of range", i)
		}
		out[i] = callResult{ok: success == 1, data: ret[data+32 : data+32+size : data+32+size]}
	}
	return out, nil
}

// wordInt reads the 32-byte word at off as a non-negative int; false when
// the word is out of range or its value does not fit in 32 bits (no
// offset or length in a node's answer can be that large).
func wordInt(b []byte, off int) (int, bool) {
	if off < 0 || off > len(b)-32 {
		return 0, false
	}
	w := b[off : off+32]
	if binary.BigEndian.Uint64(w)|binary.BigEndian.Uint64(w[8:])|binary.BigEndian.Uint64(w[16:]) != 0 ||
		binary.BigEndian.Uint32(w[24:]) != 0 {
		return 0, false
	}
	return int(binary.BigEndian.Uint32(w[28:])), true
}

// selAggregate3 is the selector of aggregate3((address,bool,bytes)[]).
var selAggregate3 = selector("aggregate3((address,bool,bytes)[])")

// appendAggregate3 appends to dst the encoding of aggregate3 with every
// call sent to target (or the call's own target) with allowFailure set, exactly as the ABI encoder
// would (see TestPackAggregate3), so that a pooled buffer can hold it.
// Written out by hand because go-ethereum's reflection-based encoder
// allocated about half of all the memory of an uncached 1,000-wallet read.
func appendAggregate3(dst []byte, target common.Address, calls []call) []byte {
	size := 4 + 64 + 32*len(calls)
	for _, c := range calls {
		size += 128 + (len(c.data)+31)/32*32
	}
	start := len(dst)
	dst = slices.Grow(dst, size)[:start+size]
	out := dst[start:]
	clear(out) // the padding and the words' leading bytes must be zero
	copy(out, selAggregate3[:])
	body := out[4:]
	putInt(body[0:], 32)
	putInt(body[32:], len(calls))
	offsets := body[64:]
	tuple := 32 * len(calls) // relative to offsets
	for i, c := range calls {
		putInt(offsets[32*i:], tuple)
		t := offsets[tuple:]
		to := target
		if c.target != (common.Address{}) {
			to = c.target
		}
		copy(t[12:32], to[:])
		t[63] = 1          // allowFailure
		putInt(t[64:], 96) // callData's offset within the tuple
		putInt(t[96:], len(c.data))
		copy(t[128:], c.data)
		tuple += 128 + (len(c.data)+31)/32*32
	}
	return dst
}

// putInt writes v as a 32-byte big-endian word at the start of b (the
// leading bytes are already zero).
func putInt(b []byte, v int) {
	binary.BigEndian.PutUint64(b[24:32], uint64(v))
}
