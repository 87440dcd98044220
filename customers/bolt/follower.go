package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// The follower's state (portfoliod.FollowerStore): the event log, the last
// known figures and the recent processed blocks. Records are JSON of the
// types below, which are the storage format: the domain types carry no
// tags.

// eventRecord is the stored form of an event.
type eventRecord struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	CreatedAt int64    `json:"createdAt"` // Unix ns
	Customer  string   `json:"customer"`
	Wallet    string   `json:"wallet"`
	Token     string   `json:"token"`
	Block     blockRec `json:"block"`
	Previous  figRec   `json:"previous"`
	Balances  figRec   `json:"balances"`
	Changed   []string `json:"changed,omitempty"`
	Txs       []string `json:"txs,omitempty"`
	Reorg     bool     `json:"reorg,omitempty"`
}

type blockRec struct {
	Number uint64 `json:"n"`
	Hash   string `json:"h"`
	Time   int64  `json:"t"` // Unix seconds
}

type figRec struct {
	Total     string `json:"t"`
	Frozen    string `json:"f"`
	Available string `json:"a"`
	// AddressFrozen: a freeze-model flag was set (absent in records
	// written before it was kept: false until read again).
	AddressFrozen bool `json:"af,omitempty"`
}

type knownRec struct {
	figRec
	Block blockRec  `json:"b"`
	Since *sinceRec `json:"s,omitempty"` // while frozen > 0
}

type sinceRec struct {
	Block blockRec `json:"b"`
	Tx    string   `json:"tx,omitempty"`
}

type followedRec struct {
	Block   blockRec `json:"block"`
	Parent  string   `json:"parent"`
	Touched []string `json:"touched,omitempty"` // token+wallet, 40 bytes as 80 hex digits
}

func toBlockRec(b portfoliod.Block) blockRec {
	return blockRec{Number: b.Number, Hash: b.Hash.Hex(), Time: b.Time.Unix()}
}

func (r blockRec) block() portfoliod.Block {
	return portfoliod.Block{Number: r.Number, Hash: common.HexToHash(r.Hash), Time: time.Unix(r.Time, 0).UTC()}
}

func toFigRec(f portfoliod.Figures) figRec {
	return figRec{Total: f.Total.String(), Frozen: f.Frozen.String(), Available: f.Available.String(), AddressFrozen: f.AddressFrozen}
}

func (r figRec) figures() (portfoliod.Figures, error) {
	f := portfoliod.Figures{AddressFrozen: r.AddressFrozen}
	for _, a := range []struct {
		dst **big.Int
		s   string
	}{{&f.Total, r.Total}, {&f.Frozen, r.Frozen}, {&f.Available, r.Available}} {
		v, ok := new(big.Int).SetString(a.s, 10)
		if !ok {
			return f, fmt.Errorf("corrupt amount %q", a.s)
		}
		*a.dst = v
	}
	return f, nil
}

func seqKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// figuresKey is the figures bucket's key: wallet first, so that a freed
// wallet's figures in every token are one prefix.
func figuresKey(wallet, token common.Address) []byte {
	return append(append(make([]byte, 0, 40), wallet[:]...), token[:]...)
}

// forgetFigures deletes w's known figures in every token, in tx: a wallet
// that leaves its customer changes unseen by the follower, so figures
// kept from before would be wrong as the previous figures of its next
// owner's first event.
func forgetFigures(tx *bbolt.Tx, w common.Address) error {
	cur := tx.Bucket(figuresBucket).Cursor()
	idx := tx.Bucket(frozenBucket)
	for k, v := cur.Seek(w[:]); k != nil && bytes.HasPrefix(k, w[:]); k, v = cur.Seek(w[:]) {
		var r knownRec
		if err := json.Unmarshal(v, &r); err == nil {
			if f, ok := new(big.Int).SetString(r.Frozen, 10); ok && f.Sign() > 0 {
				if err := idx.Delete(frozenKey(common.BytesToAddress(k[20:]), f, w)); err != nil {
					return err
				}
			}
		}
		if err := cur.Delete(); err != nil {
			return err
		}
	}
	return nil
}

func pairKey(token, wallet common.Address) []byte {
	return append(append(make([]byte, 0, 40), token[:]...), wallet[:]...)
}

func encodeEvent(e portfoliod.Event) ([]byte, error) {
	d := e.Data
	r := eventRecord{ID: e.ID, Type: e.Type, CreatedAt: e.CreatedAt.UnixNano(), Customer: d.CustomerID,
		Wallet: d.Wallet.Hex(), Token: d.Token.Hex(), Block: toBlockRec(d.Block),
		Previous: toFigRec(d.Previous), Balances: toFigRec(d.Balances), Changed: d.Changed, Reorg: d.Reorg}
	for _, h := range d.Transactions {
		r.Txs = append(r.Txs, h.Hex())
	}
	return json.Marshal(r)
}

func decodeEvent(v []byte) (portfoliod.Event, eventRecord, error) {
	var r eventRecord
	if err := json.Unmarshal(v, &r); err != nil {
		return portfoliod.Event{}, r, fmt.Errorf("corrupt event record: %w", err)
	}
	prev, err := r.Previous.figures()
	if err != nil {
		return portfoliod.Event{}, r, err
	}
	cur, err := r.Balances.figures()
	if err != nil {
		return portfoliod.Event{}, r, err
	}
	e := portfoliod.Event{ID: r.ID, Type: r.Type, CreatedAt: time.Unix(0, r.CreatedAt).UTC(), Data: portfoliod.BalanceChange{
		CustomerID: r.Customer, Wallet: common.HexToAddress(r.Wallet), Token: common.HexToAddress(r.Token),
		Block: r.Block.block(), Previous: prev, Balances: cur, Changed: r.Changed, Reorg: r.Reorg,
	}}
	for _, h := range r.Txs {
		e.Data.Transactions = append(e.Data.Transactions, common.HexToHash(h))
	}
	return e, r, nil
}

// putFigures sets f in tx, keeping the frozen-funds index and the
// frozen-since record with it: since is the transaction that froze the
// wallet if f starts a freeze. With keepNewer, figures read at a higher
// block than f's are left as they are (a wallet read at link time while
// the follower moved on).
func putFigures(tx *bbolt.Tx, f portfoliod.TokenWalletFigures, since common.Hash, keepNewer bool) error {
	b, idx := tx.Bucket(figuresBucket), tx.Bucket(frozenBucket)
	key := figuresKey(f.Wallet, f.Token)
	var old *knownRec
	if v := b.Get(key); v != nil {
		var r knownRec
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("corrupt figures of %s: %w", walletString(f.Wallet), err)
		}
		old = &r
		if keepNewer && r.Block.Number > f.Known.Block.Number {
			return nil
		}
		if oldFrozen, ok := new(big.Int).SetString(r.Frozen, 10); ok && oldFrozen.Sign() > 0 {
			if err := idx.Delete(frozenKey(f.Token, oldFrozen, f.Wallet)); err != nil {
				return err
			}
		}
	}
	rec := knownRec{figRec: toFigRec(f.Known.Figures), Block: toBlockRec(f.Known.Block)}
	if f.Known.Frozen.Sign() > 0 {
		switch {
		case old != nil && old.Since != nil:
			rec.Since = old.Since // still frozen since then
		default:
			rec.Since = &sinceRec{Block: rec.Block}
			if since != (common.Hash{}) {
				rec.Since.Tx = since.Hex()
			}
		}
		if err := idx.Put(frozenKey(f.Token, f.Known.Frozen, f.Wallet), nil); err != nil {
			return err
		}
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return b.Put(key, v)
}

// frozenKey orders the frozen-funds index: token, then the frozen amount
// descending (its complement to 2^256-1, big-endian), then wallet.
func frozenKey(token common.Address, frozen *big.Int, wallet common.Address) []byte {
	inv := new(big.Int).Sub(maxUint256, frozen)
	k := make([]byte, 0, 72)
	k = append(k, token[:]...)
	k = append(k, inv.FillBytes(make([]byte, 32))...)
	return append(k, wallet[:]...)
}

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// CommitBlock appends c's events (skipping ids already in the log) with
// their webhook deliveries, sets its figures and records its block as the
// cursor, in one fsynced transaction. Blocks older than the kept depth are forgotten.
func (s *Store) CommitBlock(ctx context.Context, c portfoliod.BlockCommit) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec := followedRec{Block: toBlockRec(c.Block), Parent: c.Parent.Hex()}
	for _, tw := range c.Touched {
		rec.Touched = append(rec.Touched, hex.EncodeToString(pairKey(tw.Token, tw.Wallet)))
	}
	blockVal, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	events := make([][]byte, len(c.Events))
	for i, e := range c.Events {
		if events[i], err = encodeEvent(e); err != nil {
			return err
		}
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		eb, ib := tx.Bucket(eventsBucket), tx.Bucket(eventIDsBucket)
		var appended []portfoliod.Event
		for i, e := range c.Events {
			if ib.Get([]byte(e.ID)) != nil {
				continue
			}
			appended = append(appended, e)
			seq, err := eb.NextSequence()
			if err != nil {
				return err
			}
			if err := eb.Put(seqKey(seq), events[i]); err != nil {
				return err
			}
			if err := ib.Put([]byte(e.ID), seqKey(seq)); err != nil {
				return err
			}
		}
		// The outbox: a delivery per endpoint that wants an event, in the
		// transaction that appends it, so a crash loses neither.
		if err := enqueueDeliveries(tx, appended); err != nil {
			return err
		}
		froze := map[portfoliod.TokenWallet]common.Hash{}
		for _, e := range c.Events {
			if len(e.Data.Transactions) > 0 {
				froze[portfoliod.TokenWallet{Token: e.Data.Token, Wallet: e.Data.Wallet}] = e.Data.Transactions[0]
			}
		}
		for _, f := range c.Figures {
			if err := putFigures(tx, f, froze[f.TokenWallet], false); err != nil {
				return err
			}
		}
		bb := tx.Bucket(blocksBucket)
		// A block replaces those at or above its number: after a reorg
		// they are orphaned.
		cur := bb.Cursor()
		for k, _ := cur.Seek(seqKey(c.Block.Number)); k != nil; k, _ = cur.Seek(seqKey(c.Block.Number)) {
			if err := cur.Delete(); err != nil {
				return err
			}
		}
		if err := bb.Put(seqKey(c.Block.Number), blockVal); err != nil {
			return err
		}
		// Keep the blocks of the newest recentBlocks numbers: a reorg
		// deeper than that is followed by a sweep, not by walking back.
		if c.Block.Number < uint64(s.recentBlocks) {
			return nil
		}
		keep := seqKey(c.Block.Number - uint64(s.recentBlocks) + 1)
		for k, _ := cur.First(); k != nil && bytes.Compare(k, keep) < 0; k, _ = cur.First() {
			if err := cur.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecentBlocks returns the kept processed blocks, newest first.
func (s *Store) RecentBlocks(ctx context.Context) ([]portfoliod.FollowedBlock, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []portfoliod.FollowedBlock
	err := s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(blocksBucket).Cursor()
		for k, v := cur.Last(); k != nil; k, v = cur.Prev() {
			var r followedRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt followed block %d: %w", binary.BigEndian.Uint64(k), err)
			}
			fb := portfoliod.FollowedBlock{Block: r.Block.block(), Parent: common.HexToHash(r.Parent)}
			for _, t := range r.Touched {
				raw, err := hex.DecodeString(t)
				if err != nil || len(raw) != 40 {
					return fmt.Errorf("corrupt touched pair %q", t)
				}
				fb.Touched = append(fb.Touched, portfoliod.TokenWallet{Token: common.BytesToAddress(raw[:20]), Wallet: common.BytesToAddress(raw[20:])})
			}
			out = append(out, fb)
		}
		return nil
	})
	return out, err
}

// KnownFigures returns the last known figures of those wallets in token
// that have any.
func (s *Store) KnownFigures(ctx context.Context, token common.Address, wallets []common.Address) (map[common.Address]portfoliod.KnownFigures, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[common.Address]portfoliod.KnownFigures, len(wallets))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(figuresBucket)
		for _, w := range wallets {
			v := b.Get(figuresKey(w, token))
			if v == nil {
				continue
			}
			var r knownRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt figures of %s: %w", walletString(w), err)
			}
			f, err := r.figures()
			if err != nil {
				return err
			}
			out[w] = portfoliod.KnownFigures{Figures: f, Block: r.Block.block()}
		}
		return nil
	})
	return out, err
}

// SetKnownFigures sets figures without an event, leaving any read at a
// higher block.
func (s *Store) SetKnownFigures(ctx context.Context, figures []portfoliod.TokenWalletFigures) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bbolt.Tx) error {
		for _, f := range figures {
			if err := putFigures(tx, f, common.Hash{}, true); err != nil {
				return err
			}
		}
		return nil
	})
}

// Events returns a page of the log after q.After matching q's filters.
// Filters scan the log in order, so a sparse filter over a long log reads
// more than a page; retention bounds the log.
func (s *Store) Events(ctx context.Context, q portfoliod.EventQuery) ([]portfoliod.Event, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = portfoliod.DefaultListLimit
	case limit > portfoliod.MaxEventPage:
		limit = portfoliod.MaxEventPage
	}
	var out []portfoliod.Event
	more := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		cur := tx.Bucket(eventsBucket).Cursor()
		var k, v []byte
		var after uint64
		if q.After != "" {
			seq := tx.Bucket(eventIDsBucket).Get([]byte(q.After))
			if seq == nil {
				return portfoliod.ErrEventNotFound
			}
			after = binary.BigEndian.Uint64(seq)
		}
		step := cur.Next
		switch {
		case !q.Newest:
			k, v = cur.Seek(seqKey(after + 1))
		case q.After == "":
			k, v = cur.Last()
			step = cur.Prev
		default:
			step = cur.Prev
			if k, _ = cur.Seek(seqKey(after)); k != nil {
				k, v = cur.Prev()
			}
		}
		for ; k != nil; k, v = step() {
			if err := ctx.Err(); err != nil {
				return err
			}
			e, _, err := decodeEvent(v)
			if err != nil {
				return err
			}
			if (q.CustomerID != "" && e.Data.CustomerID != q.CustomerID) ||
				(q.Token != (common.Address{}) && e.Data.Token != q.Token) ||
				(q.Type != "" && e.Type != q.Type) {
				continue
			}
			if len(out) == limit {
				more = true
				return nil
			}
			out = append(out, e)
		}
		return nil
	})
	return out, more, err
}

// PurgeEvents deletes the events created before t, oldest first, and
// returns how many it deleted.
func (s *Store) PurgeEvents(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.Update(func(tx *bbolt.Tx) error {
		eb, ib := tx.Bucket(eventsBucket), tx.Bucket(eventIDsBucket)
		cur := eb.Cursor()
		for k, v := cur.First(); k != nil; k, v = cur.First() {
			e, r, err := decodeEvent(v)
			if err != nil {
				return err
			}
			if !e.CreatedAt.Before(before) {
				return nil
			}
			if err := cur.Delete(); err != nil {
				return err
			}
			if err := ib.Delete([]byte(r.ID)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Frozen returns a page of token's frozen-funds register from the frozen
// index, and the register's totals (one pass over the token's frozen
// wallets, not over every wallet).
func (s *Store) Frozen(ctx context.Context, q portfoliod.FrozenQuery) (portfoliod.FrozenPage, error) {
	if err := ctx.Err(); err != nil {
		return portfoliod.FrozenPage{}, err
	}
	limit := portfoliod.ListOptions{Limit: q.Limit}.Size()
	page := portfoliod.FrozenPage{FrozenTotal: new(big.Int)}
	err := s.db.View(func(tx *bbolt.Tx) error {
		idx, figs, owners := tx.Bucket(frozenBucket).Cursor(), tx.Bucket(figuresBucket), tx.Bucket(walletsBucket)
		prefix := q.Token[:]
		t := s.totals.get(tx, q.Token)
		page.Wallets, page.Customers, page.FrozenTotal = t.wallets, t.customers, new(big.Int).Set(t.frozen)
		k, _ := idx.Seek(prefix)
		if q.After != (common.Address{}) {
			v := figs.Get(figuresKey(q.After, q.Token))
			var r knownRec
			if v == nil || json.Unmarshal(v, &r) != nil {
				return portfoliod.Invalidf("startingAfter", "wallet %s is not in the register", walletString(q.After))
			}
			f, ok := new(big.Int).SetString(r.Frozen, 10)
			if !ok || f.Sign() == 0 {
				return portfoliod.Invalidf("startingAfter", "wallet %s is not in the register", walletString(q.After))
			}
			start := frozenKey(q.Token, f, q.After)
			if k, _ = idx.Seek(start); k != nil && bytes.Equal(k, start) {
				k, _ = idx.Next()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = idx.Next() {
			if len(page.Entries) == limit {
				page.HasMore = true
				break
			}
			w := common.BytesToAddress(k[52:])
			v := figs.Get(figuresKey(w, q.Token))
			var r knownRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("corrupt figures of %s: %w", walletString(w), err)
			}
			f, err := r.figures()
			if err != nil {
				return err
			}
			e := portfoliod.FrozenEntry{CustomerID: string(owners.Get(w[:])), Token: q.Token, Wallet: w,
				Known: portfoliod.KnownFigures{Figures: f, Block: r.Block.block()}}
			if r.Since != nil {
				e.Since = portfoliod.FrozenSince{Block: r.Since.Block.block(), Transaction: common.HexToHash(r.Since.Tx)}
			}
			page.Entries = append(page.Entries, e)
		}
		return nil
	})
	return page, err
}

// registerTotals are a token's register totals as of one committed write
// transaction of the store.
type registerTotals struct {
	txid      int
	wallets   int
	customers int
	frozen    *big.Int
}

// registerTotalsCache keeps each token's register totals until the next
// write to the store: a page of the register is then a page, not a walk of
// every frozen wallet (the totals are on every page).
type registerTotalsCache struct {
	mu sync.Mutex
	m  map[common.Address]registerTotals
}

// get returns token's totals as of read transaction tx: cached if no
// write committed since they were counted, else counted from the index
// keys (which hold the frozen amount) and the wallet owners, no figures
// decoded.
func (c *registerTotalsCache) get(tx *bbolt.Tx, token common.Address) registerTotals {
	c.mu.Lock()
	t, ok := c.m[token]
	c.mu.Unlock()
	if ok && t.txid == tx.ID() {
		return t
	}
	t = registerTotals{txid: tx.ID(), frozen: new(big.Int)}
	owners := tx.Bucket(walletsBucket)
	customers := map[string]bool{}
	inv := new(big.Int)
	cur := tx.Bucket(frozenBucket).Cursor()
	for k, _ := cur.Seek(token[:]); k != nil && bytes.HasPrefix(k, token[:]); k, _ = cur.Next() {
		t.wallets++
		inv.SetBytes(k[20:52])
		t.frozen.Add(t.frozen, inv.Sub(maxUint256, inv))
		if id := owners.Get(k[52:]); id != nil {
			customers[string(id)] = true
		}
	}
	t.customers = len(customers)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[common.Address]registerTotals{}
	}
	if cur, ok := c.m[token]; !ok || cur.txid <= t.txid {
		c.m[token] = t
	}
	c.mu.Unlock()
	return t
}
