package chain

import (
	"context"
	"encoding/binary"
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
	// flagged: a flag function of the freeze model answered true.
	flagged bool
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
	return Balance{Wallet: wallet, Total: s.next(&a.total), Frozen: s.next(&a.frozen), Available: s.next(&available), AddressFrozen: a.flagged}
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
