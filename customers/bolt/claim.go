package bolt

import (
	"bytes"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	bbolt "go.etcd.io/bbolt"

	"github.com/portfoliod/portfoliod"
)

// walletClaims gives wallets to customers within one write transaction:
// the one place that decides whether a customer may have a wallet, for
// Create, Import and LinkWallet alike. A wallet may be claimed if the
// wallet index holds it for nobody or for the claimant already, and no
// earlier claim of the transaction took it.
//
// Claims reach the index only through write, all at once and in key
// order: within one transaction bbolt keeps a leaf's new keys in one
// growing sorted slice, so inserting random keys costs a memmove each and
// an Import of a large batch would be quadratic; in key order they mostly
// append.
type walletClaims struct {
	index *bbolt.Bucket
	// owners holds the claims not yet written, for the next claim to see.
	owners  map[common.Address]string
	entries []walletClaim
}

type walletClaim struct {
	wallet common.Address
	id     string
}

// newWalletClaims starts the claims of tx; n is how many wallets it will
// likely claim.
func newWalletClaims(tx *bbolt.Tx, n int) *walletClaims {
	return &walletClaims{
		index:   tx.Bucket(walletsBucket),
		owners:  make(map[common.Address]string, n),
		entries: make([]walletClaim, 0, n),
	}
}

// claim claims every wallet of ws for customer id and returns how many it
// newly claimed (a wallet id already owns counts for nothing). If another
// customer owns or has claimed one of them, claim returns a
// *WalletTakenError naming the first such wallet and claims none. ws
// must not repeat a wallet (see checkWallets).
func (wc *walletClaims) claim(id string, ws []common.Address) (int, error) {
	mark := len(wc.entries)
	for _, w := range ws {
		if owner, ok := wc.owners[w]; ok {
			if owner != id {
				wc.entries = wc.entries[:mark]
				return 0, &portfoliod.WalletTakenError{Wallet: w}
			}
			continue
		}
		if owner := wc.index.Get(w[:]); owner != nil {
			if string(owner) != id {
				wc.entries = wc.entries[:mark]
				return 0, &portfoliod.WalletTakenError{Wallet: w}
			}
			continue
		}
		wc.entries = append(wc.entries, walletClaim{wallet: w, id: id})
	}
	// Recorded only now, so a rejected claim leaves nothing behind.
	for _, e := range wc.entries[mark:] {
		wc.owners[e.wallet] = id
	}
	return len(wc.entries) - mark, nil
}

// write indexes every claimed wallet to its claimant, in key order.
func (wc *walletClaims) write() error {
	slices.SortFunc(wc.entries, func(a, b walletClaim) int { return bytes.Compare(a.wallet[:], b.wallet[:]) })
	for i := range wc.entries {
		e := &wc.entries[i]
		if err := wc.index.Put(e.wallet[:], []byte(e.id)); err != nil {
			return err
		}
	}
	return nil
}
