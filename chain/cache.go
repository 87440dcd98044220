package chain

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// DefaultCacheSize is the recommended Config.CacheSize: 100,000 (block,
// token, wallet) entries, about 30 MB.
const DefaultCacheSize = 100_000

// cacheKey names one wallet's balance in one token at one block. The block
// is named by hash, never by number, so that an entry can only ever be
// served for the very block it was read at, reorgs included.
type cacheKey struct {
	block  common.Hash
	token  common.Address
	wallet common.Address
}

// amounts is one wallet's total and frozen at one block, as 256-bit
// big-endian words. It is the cached value: fixed-size and pointer-free, so
// a large cache costs the garbage collector no scanning, and every read
// builds new *big.Int values from it, so no two callers ever share one.
type amounts struct {
	total, frozen [32]byte
}

// balance returns the Balance of wallet, with new big.Ints.
func (a *amounts) balance(wallet common.Address) Balance {
	s := newIntSlab(1)
	return s.balance(wallet, a)
}

// wordsPer256 is the number of big.Words in 256 bits.
const wordsPer256 = 256 / bits.UintSize

// intSlab hands out big.Ints for the Balances of one snapshot from two
// allocations instead of six per wallet (three big.Ints, three word
// slices). Each big.Int owns a disjoint part of the word slab whose
// capacity is capped at its own length, so changing one, even growing it,
// never touches another: callers may treat every big.Int as their own.
type intSlab struct {
	ints  []big.Int
	words []big.Word
}

func newIntSlab(balances int) *intSlab {
	return &intSlab{ints: make([]big.Int, 3*balances), words: make([]big.Word, 3*balances*wordsPer256)}
}

// balance returns the Balance of wallet with amounts a.
func (s *intSlab) balance(wallet common.Address, a *amounts) Balance {
	var available [32]byte
	sub256(&available, &a.total, &a.frozen)
	return Balance{Wallet: wallet, Total: s.next(&a.total), Frozen: s.next(&a.frozen), Available: s.next(&available)}
}

// next returns a big.Int holding the big-endian 256-bit word b.
func (s *intSlab) next(b *[32]byte) *big.Int {
	z := &s.ints[0]
	s.ints = s.ints[1:]
	w := s.words[:wordsPer256:wordsPer256]
	s.words = s.words[wordsPer256:]
	const size = bits.UintSize / 8
	for j := range w { // least significant word first
		off := 32 - (j+1)*size
		if size == 8 {
			w[j] = big.Word(binary.BigEndian.Uint64(b[off:]))
		} else {
			w[j] = big.Word(binary.BigEndian.Uint32(b[off:]))
		}
	}
	return z.SetBits(w) // normalizes: leading zero words are dropped
}

// sub256 sets z = x - y for big-endian 256-bit words with x >= y (frozen
// never exceeds total).
func sub256(z, x, y *[32]byte) {
	var borrow uint64
	for off := 24; off >= 0; off -= 8 {
		d, b := bits.Sub64(binary.BigEndian.Uint64(x[off:]), binary.BigEndian.Uint64(y[off:]), borrow)
		binary.BigEndian.PutUint64(z[off:], d)
		borrow = b
	}
}

// flight is one node read shared by every caller asking for it at the same
// time.
type flight struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int // callers still waiting, under Reader.flightMu
}

// coalesce runs fn once for all concurrent callers with the same key
// (golang.org/x/sync/singleflight) and returns its result to each.
//
// fn runs with a context detached from the caller that started it, so that
// this caller going away does not fail the others; each caller still
// returns as soon as its own context ends. When the last waiting caller
// has gone, the shared context is cancelled: nobody wants the answer any
// more, and a client that disconnects must cancel its node calls. Every
// node request inside fn is bounded by Config.CallTimeout (see do), so the
// shared context needs no deadline of its own.
func (r *Reader) coalesce(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.flightMu.Lock()
	f := r.flights[key]
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{ctx: fctx, cancel: cancel}
		r.flights[key] = f
	}
	f.waiters++
	// DoChan runs under flightMu, which the finishing call's cleanup also
	// takes: so a caller that found f in the map always joins f's own call
	// (still registered in the group) and never starts a new call with f's
	// already-cancelled context.
	ch := r.group.DoChan(key, func() (any, error) {
		defer func() {
			r.flightMu.Lock()
			if r.flights[key] == f {
				delete(r.flights, key)
			}
			r.flightMu.Unlock()
			f.cancel()
		}()
		return fn(f.ctx)
	})
	r.flightMu.Unlock()
	select {
	case res := <-ch:
		r.leave(key, f)
		return res.Val, res.Err
	case <-ctx.Done():
		r.leave(key, f)
		return nil, ctx.Err()
	}
}

// leave unregisters one waiter of f and cancels f when it was the last.
// Forget runs under the same lock as the map update, so a caller arriving
// later starts a new call instead of joining the cancelled one.
func (r *Reader) leave(key string, f *flight) {
	r.flightMu.Lock()
	defer r.flightMu.Unlock()
	f.waiters--
	if f.waiters == 0 && r.flights[key] == f {
		delete(r.flights, key)
		r.group.Forget(key)
		f.cancel()
	}
}

// flightKey names a read of wallets (sorted, distinct) in token at block.
func flightKey(block common.Hash, token common.Address, wallets []common.Address) string {
	b := make([]byte, 0, len(block)+len(token)+len(wallets)*common.AddressLength)
	b = append(b, block[:]...)
	b = append(b, token[:]...)
	for _, w := range wallets {
		b = append(b, w[:]...)
	}
	return string(b)
}

// lookup splits wallets into the values the cache holds at block and the
// distinct wallets it does not, sorted (so that the same set of misses
// gives the same flight key whatever the order asked).
func (r *Reader) lookup(block common.Hash, token common.Address, wallets []common.Address) (found map[common.Address]amounts, missing []common.Address) {
	found = make(map[common.Address]amounts, len(wallets))
	seen := make(map[common.Address]struct{}, len(wallets))
	for _, w := range wallets {
		if _, dup := seen[w]; dup {
			continue
		}
		seen[w] = struct{}{}
		if r.cache != nil {
			if v, ok := r.cache.Get(cacheKey{block: block, token: token, wallet: w}); ok {
				found[w] = v
				continue
			}
		}
		missing = append(missing, w)
	}
	if r.cache != nil && r.obs != nil {
		r.obs.OnCache(len(found), len(missing))
	}
	slices.SortFunc(missing, common.Address.Cmp)
	return found, missing
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

// packAggregate3 encodes aggregate3 with every call sent to target with
// allowFailure set, exactly as the ABI encoder would (see
// TestPackAggregate3). Written out by hand because go-ethereum's
// reflection-based encoder allocated about half of all the memory of an
// uncached 1,000-wallet read.
func packAggregate3(target common.Address, calls []call) []byte {
	return appendAggregate3(nil, target, calls)
}

// appendAggregate3 appends packAggregate3's encoding to dst, so that a
// pooled buffer can hold it.
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
		copy(t[12:32], target[:])
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
